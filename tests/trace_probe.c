// SPDX-License-Identifier: MIT
/*
 * trace-probe [N]: N traced forks of this process in a private tracefs
 * instance on the counter's clock (harness/controller/trace.c), each
 * creation's kernel phases matched (harness/analysis/ktrace.c) and the user
 * stamps checked against them. Prints the phase medians; exit 0 when every
 * fork was matched and no stamp broke the order, 77 when tracing is not
 * possible here (the reason printed), 1 otherwise. tests/test_trace_guest.sh
 * runs it in a qemu guest, so no test writes to the host's tracefs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "../arch/arch.h"
#include "../harness/analysis/ktrace.h"
#include "../harness/analysis/stats.h"
#include "../harness/controller/trace.h"

#define MAX_N 200

int main(int argc, char **argv)
{
	static const char *const events[] = {
		"syscalls/sys_enter_clone", "syscalls/sys_exit_clone", "syscalls/sys_enter_wait4",
		"syscalls/sys_exit_wait4", "sched/sched_process_fork", "sched/sched_wakeup_new",
		"sched/sched_wakeup", "sched/sched_switch", "sched/sched_process_exit", NULL,
	};
	static uint64_t t0[MAX_N], t1[MAX_N], t2[MAX_N], tcs[MAX_N];
	static struct pb_kev ev[20000];
	static double ph[PB_KPHASES_MAX][MAX_N];
	const struct pb_kphase *phases;
	unsigned nph;
	int n = argc > 1 ? atoi(argv[1]) : 20, matched = 0, bad = 0;
	volatile uint64_t *tc = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				     -1, 0);
	struct pb_trace t;
	char why[600], *text, *line, *save = NULL;
	unsigned nev = 0;
	size_t len;

	if (n < 1 || n > MAX_N || tc == MAP_FAILED)
		return 2;
	pid_t self = getpid();

	if (pb_trace_open(&t, events, why, sizeof(why))) {
		printf("skip: %s\n", why);
		return 77;
	}
	if (pb_trace_follow(&t, &self, 1)) {
		printf("cannot set the pid filter\n");
		pb_trace_close(&t);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid;

		t0[i] = pb_counter();
		pid = fork();
		if (pid < 0) {
			perror("trace-probe: fork");
			pb_trace_close(&t);
			return 1;
		}
		if (pid == 0) {
			*tc = pb_counter();
			_exit(0);
		}
		t1[i] = pb_counter();
		waitpid(pid, NULL, 0);
		t2[i] = pb_counter();
		tcs[i] = *tc;
	}
	text = pb_trace_take(&t, &len);
	snprintf(why, sizeof(why), "%s", t.dir);
	pb_trace_close(&t);
	if (!access(why, F_OK)) {
		printf("the instance %s is still there after closing\n", why);
		bad++;
	}
	if (!text) {
		printf("cannot read the trace back\n");
		return 1;
	}
	for (line = strtok_r(text, "\n", &save); line && nev < 20000; line = strtok_r(NULL, "\n", &save))
		nev += !pb_kev_parse(line, &ev[nev]);
	phases = pb_kphases(PB_KSHAPE_FORK, &nph);
	for (int i = 0; i < n; i++) {
		struct pb_kcreation k;
		unsigned checked;

		if (pb_kmatch(ev, nev, getpid(), PB_KSHAPE_FORK, t0[i], t1[i], tcs[i], t2[i], &k))
			continue;
		matched++;
		if (pb_kcheck(&k, PB_KSHAPE_FORK, &checked, why, sizeof(why))) {
			bad++;
			printf("fork %d: %s\n", i, why);
		}
		for (unsigned p = 0; p < nph; p++)
			ph[p][matched - 1] = (double)(k.at[phases[p].to] - k.at[phases[p].from]);
	}
	printf("trace-probe: %d forks on the %s clock, %u events, %d matched, %d stamps out of "
	       "order\n",
	       n, pb_trace_clock(), nev, matched, bad);
	for (unsigned p = 0; p < nph && matched; p++)
		printf("  %-20s median %10.0f\n", phases[p].name,
		       pb_median_inplace(ph[p], (size_t)matched));
	free(text);
	if (!access("/sys/kernel/tracing/instances", F_OK))
		printf("instance removed\n");
	return matched == n && !bad ? 0 : 1;
}
