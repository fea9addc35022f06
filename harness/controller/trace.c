// SPDX-License-Identifier: MIT
/* A private tracefs instance on the counter's clock (trace.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "trace.h"

#define INSTANCE_PREFIX "procbench-"

/* Where tracefs is mounted: its instances folder's parent, or NULL. */
static const char *tracefs(void)
{
	static const char *const where[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct stat st;

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		char p[128];

		snprintf(p, sizeof(p), "%s/instances", where[i]);
		if (!stat(p, &st) && S_ISDIR(st.st_mode))
			return where[i];
	}
	return NULL;
}

const char *pb_trace_clock(void)
{
#if defined(__x86_64__)
	return "x86-tsc";
#else
	return "mono_raw";
#endif
}

/* Write s into the instance's file rel: 0 or an errno. */
static int put(const struct pb_trace *t, const char *rel, const char *s)
{
	char p[768];
	int fd, e = 0;

	snprintf(p, sizeof(p), "%s/%s", t->dir, rel);
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		e = errno ? errno : EIO;
	close(fd);
	return e;
}

int pb_trace_open(struct pb_trace *t, const char *const *events, pid_t pid, char *why,
		  size_t len)
{
	const char *root = tracefs();
	char buf[256];
	int e;

	t->dir[0] = 0;
	if (!root) {
		snprintf(why, len, "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
		return -1;
	}
	pb_trace_clean_stale();
	snprintf(t->dir, sizeof(t->dir), "%s/instances/" INSTANCE_PREFIX "%d", root, (int)getpid());
	if (mkdir(t->dir, 0700) && errno != EEXIST) {
		snprintf(why, len, "cannot make a tracefs instance in %s: %s%s", root, strerror(errno),
			 errno == EACCES || errno == EPERM ? " (tracing needs root)" : "");
		t->dir[0] = 0;
		return -1;
	}
	if ((e = put(t, "trace_clock", pb_trace_clock()))) {
		snprintf(why, len, "this kernel has no %s trace clock: %s", pb_trace_clock(), strerror(e));
		pb_trace_close(t);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	if ((e = put(t, "set_event_pid", buf)) || (e = put(t, "options/event-fork", "1"))) {
		snprintf(why, len, "cannot filter the trace by pid: %s", strerror(e));
		pb_trace_close(t);
		return -1;
	}
	for (size_t i = 0; events[i]; i++) {
		snprintf(buf, sizeof(buf), "events/%s/enable", events[i]);
		if ((e = put(t, buf, "1"))) {
			snprintf(why, len, "this kernel has no %s event: %s", events[i], strerror(e));
			pb_trace_close(t);
			return -1;
		}
	}
	put(t, "tracing_on", "1");
	return 0;
}

char *pb_trace_take(struct pb_trace *t, size_t *len)
{
	char p[768], *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t got;
	int fd;

	snprintf(p, sizeof(p), "%s/trace", t->dir);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 65536 + 1);

			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (got < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	put(t, "trace", ""); /* opened with O_TRUNC: the buffer is cleared */
	return buf;
}

void pb_trace_close(struct pb_trace *t)
{
	if (!t->dir[0])
		return;
	put(t, "tracing_on", "0");
	rmdir(t->dir); /* removing an instance frees its buffers and turns its events off */
	t->dir[0] = 0;
}

void pb_trace_clean_stale(void)
{
	const char *root = tracefs();
	char dir[256];
	struct dirent *d;
	DIR *dp;

	if (!root)
		return;
	snprintf(dir, sizeof(dir), "%s/instances", root);
	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		char *end, path[600];
		long pid;

		if (strncmp(d->d_name, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)))
			continue;
		pid = strtol(d->d_name + strlen(INSTANCE_PREFIX), &end, 10);
		if (*end || pid <= 0 || pid == getpid() || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		rmdir(path);
	}
	if (dp)
		closedir(dp);
}
