// SPDX-License-Identifier: MIT
/*
 * kmod-probe N: run in a guest with the procbench-kthread module loaded, by
 * tests/test_kmod_guest.sh. Checks that the module refuses every malformed
 * request with EINVAL (version, kind, count 0 and over the maximum) and an
 * unknown ioctl with ENOTTY; runs N kthread-run samples in one request and
 * checks every sample's order (t0 < t1, t0 < tc < t2); then times N more,
 * one ioctl each, while a private tracefs instance records this process's
 * ioctl entries and exits, and prints the median module round trip (t2 - t0)
 * against the median ioctl as the tracepoints saw it. Exit 0 when all hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "../bench/kmod/pb_kthread.h"
#include "../harness/analysis/ktrace.h"
#include "../harness/analysis/stats.h"
#include "../harness/controller/trace.h"

#define MAX_N 1000

static int req(int fd, unsigned version, unsigned kind, unsigned count, struct pb_kt_sample *s)
{
	struct pb_kt_req r = { .version = version, .kind = kind, .count = count,
			       .samples = (uint64_t)(uintptr_t)s };

	return ioctl(fd, PB_KT_IOC_RUN, &r) ? errno : (int)(r.done == count ? 0 : -1);
}

int main(int argc, char **argv)
{
	static struct pb_kt_sample s[MAX_N];
	static struct pb_kev ev[8 * MAX_N];
	static double rt[MAX_N], sys[MAX_N];
	static const char *const events[] = { "syscalls/sys_enter_ioctl", "syscalls/sys_exit_ioctl",
					      NULL };
	int n = argc > 1 ? atoi(argv[1]) : 200, fd = open(PB_KT_DEVICE, O_RDWR), bad = 0, e;
	unsigned nev = 0, nsys = 0;
	pid_t self = getpid();
	struct pb_trace t;
	char why[300], *text, *line, *save;
	size_t len;

	if (fd < 0 || n < 1 || n > MAX_N) {
		printf("cannot open %s: %s\n", PB_KT_DEVICE, strerror(errno));
		return 1;
	}
	{
		const struct {
			unsigned version, kind, count;
			const char *what;
		} badreq[] = {
			{ 99, PB_KT_RUN, 1, "another version" }, { PB_KT_VERSION, 0, 1, "kind 0" },
			{ PB_KT_VERSION, 77, 1, "kind 77" },	 { PB_KT_VERSION, PB_KT_RUN, 0, "count 0" },
			{ PB_KT_VERSION, PB_KT_RUN, PB_KT_MAX_COUNT + 1, "count over the maximum" },
		};

		for (size_t i = 0; i < sizeof(badreq) / sizeof(badreq[0]); i++)
			if ((e = req(fd, badreq[i].version, badreq[i].kind, badreq[i].count, s)) != EINVAL) {
				printf("%s: got %s, wanted EINVAL\n", badreq[i].what, strerror(e));
				bad++;
			}
		if (ioctl(fd, _IO('p', 0x4c), 0) == 0 || errno != ENOTTY) {
			printf("an unknown ioctl: wanted ENOTTY\n");
			bad++;
		}
		printf("malformed requests refused: %s\n", bad ? "no" : "yes");
	}
	for (unsigned kind = PB_KT_RUN; kind <= PB_KT_WORKER; kind++) {
		if ((e = req(fd, PB_KT_VERSION, kind, (unsigned)n, s))) {
			printf("kind %u: %d samples failed: %s\n", kind, n, strerror(e));
			return 1;
		}
		for (int i = 0; i < n; i++)
			if (!(s[i].t0 < s[i].t1 && s[i].t0 < s[i].tc && s[i].tc < s[i].t2)) {
				printf("kind %u sample %d out of order\n", kind, i);
				bad++;
			}
	}
	printf("%d samples of each kind, every one in order: %s\n", n, bad ? "no" : "yes");
	if (pb_trace_open(&t, events, why, sizeof(why)) || pb_trace_follow(&t, &self, 1)) {
		printf("no trace: %s\n", why);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (req(fd, PB_KT_VERSION, PB_KT_RUN, 1, &s[i]))
			return 1;
		rt[i] = (double)(s[i].t2 - s[i].t0);
	}
	pb_trace_pause(&t);
	text = pb_trace_take(&t, &len);
	pb_trace_close(&t);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && nev < 8 * MAX_N;
	     line = strtok_r(NULL, "\n", &save))
		nev += !pb_kev_parse(line, &ev[nev]);
	for (unsigned i = 0; i + 1 < nev && nsys < MAX_N; i++)
		if (ev[i].type == PB_KEV_SYS_ENTER && !strcmp(ev[i].sys, "ioctl") &&
		    ev[i + 1].type == PB_KEV_SYS_EXIT && !strcmp(ev[i + 1].sys, "ioctl"))
			sys[nsys++] = (double)(ev[i + 1].ts - ev[i].ts);
	free(text);
	if (nsys != (unsigned)n) {
		printf("the trace has %u ioctls, wanted %d\n", nsys, n);
		return 1;
	}
	{
		double m = pb_median_inplace(rt, (size_t)n), k = pb_median_inplace(sys, nsys);

		printf("kthread-run: module round trip median %.0f, the ioctl by tracepoints %.0f, "
		       "ratio %.4f\n", m, k, m / k);
		bad += m / k < 0.95 || m / k > 1.0;
	}
	close(fd);
	return bad ? 1 : 0;
}
