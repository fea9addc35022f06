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

#include "../../arch/arch.h"
#include "trace.h"

/*
 * instances/procbench-PID-START: PID and its start time (/proc/PID/stat's
 * field 22) name one process for as long as the machine is up, so a stale
 * instance is one whose process is gone or whose pid another process now
 * holds. Instances named otherwise (an older procbench's procbench-PID) are
 * never removed: such a name cannot tell a live owner from a dead one.
 */
#define INSTANCE_PREFIX "procbench-"
/* The initial PID namespace's inode number (PROC_PID_INIT_INO), fixed since Linux 3.8. */
#define PID_INIT_INO 0xEFFFFFFCu

/* For the fatal-signal path: the open instance's folder (one at a time). */
static char open_dir[512];

/*
 * An instance with a file open cannot be removed (rmdir: EBUSY), and opening
 * `trace` to clear it waits for an RCU grace period, long enough for a signal
 * to land between the open and its close: the fatal signals wait while one of
 * the instance's files is open.
 */
static void hold_signals(sigset_t *old)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGQUIT);
	sigprocmask(SIG_BLOCK, &s, old);
}

static void release_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/*
 * Where tracefs is mounted (PROCBENCH_TRACEFS first, then the usual places):
 * 0 with *root set, or an errno with why written.
 */
static int tracefs(const char **root, char *why, size_t len)
{
	static const char *const where[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *env = getenv("PROCBENCH_TRACEFS");
	struct stat st;
	int denied = 0;

	for (size_t i = 0; i < (env ? 1 : sizeof(where) / sizeof(where[0])); i++) {
		const char *dir = env ? env : where[i];
		char p[600];

		snprintf(p, sizeof(p), "%s/instances", dir);
		if (!stat(p, &st) && S_ISDIR(st.st_mode)) {
			*root = dir;
			return 0;
		}
		denied |= errno == EACCES || errno == EPERM;
	}
	if (denied)
		snprintf(why, len, "tracing needs root: tracefs is there but not open to this user");
	else if (env)
		snprintf(why, len, "PROCBENCH_TRACEFS=%s has no instances folder", env);
	else
		snprintf(why, len, "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
	return denied ? EACCES : ENOENT;
}

/*
 * Outside the initial PID namespace, the pids procbench knows (its creators',
 * what fork and wait4 return) are not the ones tracefs filters on and prints:
 * the kernel uses the initial namespace's. 1 with why, 0 in the initial
 * namespace (or when /proc cannot tell).
 */
static int pid_namespaced(char *why, size_t len)
{
	char line[256], *p, *end;
	int fields = 0, outer = 0;
	struct stat st;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "NSpid:", 6))
			for (p = line + 6;; p = end, fields++) {
				long v = strtol(p, &end, 10);

				if (end == p)
					break;
				if (!fields)
					outer = (int)v;
			}
	if (f)
		fclose(f);
	/* NSpid lists the pids from /proc's namespace down: one also where /proc is the namespace's. */
	if (fields <= 1 && (stat("/proc/self/ns/pid", &st) || st.st_ino == PID_INIT_INO))
		return 0;
	if (fields > 1)
		snprintf(why, len, "procbench runs in a PID namespace (pid %d here, %d outside)",
			 (int)getpid(), outer);
	else
		snprintf(why, len, "procbench runs in a PID namespace (pid %d here)", (int)getpid());
	snprintf(why + strlen(why), len - strlen(why),
		 ", and tracefs filters and names tasks by the initial namespace's pids; run it in "
		 "the initial PID namespace (not under unshare -p or in a container's)");
	return 1;
}

/* A process's start time (/proc/<pid>/stat, field 22): 0, or an errno (ENOENT: no such process). */
static int start_time(const char *pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field = 2;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return EIO;
	buf[n] = 0;
	p = strrchr(buf, ')'); /* the comm may hold spaces and parentheses */
	while (p && field < 22) {
		p = strchr(p + 1, ' ');
		field++;
	}
	if (!p || sscanf(p, " %llu", start) != 1)
		return EIO;
	return 0;
}

const char *pb_trace_clock(void)
{
	/* The build's counter, not the machine's: a generic build on x86_64 reads mono_raw. */
	return PB_TRACE_CLOCK;
}

int pb_trace_clock_is_counter(void)
{
	return PB_TRACE_CLOCK_IS_COUNTER;
}

/* Write s into the instance's file rel: 0 or an errno. */
static int put(const struct pb_trace *t, const char *rel, const char *s)
{
	char p[768];
	sigset_t old;
	int fd, e = 0;

	snprintf(p, sizeof(p), "%s/%s", t->dir, rel);
	hold_signals(&old);
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		release_signals(&old);
		return e;
	}
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		e = errno ? errno : EIO;
	close(fd);
	release_signals(&old);
	return e;
}

int pb_trace_open(struct pb_trace *t, const char *const *events, char *why, size_t len)
{
	const char *root;
	char buf[256];
	int e;

	unsigned long long start;

	t->dir[0] = 0;
	if (pid_namespaced(why, len) || tracefs(&root, why, len))
		return -1;
	if ((e = start_time("self", &start))) {
		snprintf(why, len, "cannot read /proc/self/stat for the instance's name: %s", strerror(e));
		return -1;
	}
	pb_trace_clean_stale();
	snprintf(t->dir, sizeof(t->dir), "%s/instances/" INSTANCE_PREFIX "%d-%llu", root,
		 (int)getpid(), start);
	/* An instance of that name is someone else's (EEXIST): never taken over, nor removed. */
	if (mkdir(t->dir, 0700)) {
		e = errno;
		if (e == EEXIST)
			snprintf(why, len, "the tracefs instance %s already exists (another program's); "
				 "not taken over", t->dir);
		else
			snprintf(why, len, "cannot make a tracefs instance in %s: %s%s", root, strerror(e),
				 e == EACCES || e == EPERM ? " (tracing needs root)" : "");
		t->dir[0] = 0;
		return -1;
	}
	snprintf(open_dir, sizeof(open_dir), "%s", t->dir);
	/* Off until a batch names its pids: an empty set_event_pid would trace everything. */
	if ((e = put(t, "tracing_on", "0"))) {
		snprintf(why, len, "%s is not a tracefs instance: %s", t->dir, strerror(e));
		goto fail;
	}
	if ((e = put(t, "trace_clock", pb_trace_clock()))) {
		snprintf(why, len, "this kernel has no %s trace clock: %s", pb_trace_clock(), strerror(e));
		goto fail;
	}
	if ((e = put(t, "options/event-fork", "1"))) {
		snprintf(why, len, "this kernel cannot follow forks in a pid filter (options/event-fork): %s",
			 strerror(e));
		goto fail;
	}
	put(t, "options/event-fork", "0"); /* on only while a batch is traced */
	/* Each event once now, so a missing one is a skip before anything runs. */
	t->nevents = 0;
	for (size_t i = 0; events[i] && t->nevents < PB_TRACE_MAX_EVENTS; i++) {
		int optional = events[i][0] == '?';
		const char *ev = events[i] + optional;

		snprintf(buf, sizeof(buf), "events/%s/enable", ev);
		if ((e = put(t, buf, "1"))) {
			if (optional)
				continue;
			snprintf(why, len, "this kernel has no %s event: %s", ev, strerror(e));
			goto fail;
		}
		put(t, buf, "0");
		t->events[t->nevents++] = ev;
	}
	return 0;
fail:
	pb_trace_close(t);
	return -1;
}

/* Write on ("1" or "0") to every event's enable file: 0 or the first errno. */
static int events_enable(struct pb_trace *t, const char *on)
{
	char buf[256];
	int e, first = 0;

	for (unsigned i = 0; i < t->nevents; i++) {
		snprintf(buf, sizeof(buf), "events/%s/enable", t->events[i]);
		if ((e = put(t, buf, on)) && !first)
			first = e;
	}
	return first;
}

int pb_trace_follow(struct pb_trace *t, const pid_t *pids, unsigned n)
{
	char buf[PB_TRACE_MAX_PIDS * 12 + 1] = "";
	size_t at = 0;
	int e;

	if (!n || n > PB_TRACE_MAX_PIDS)
		return EINVAL;
	for (unsigned i = 0; i < n; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%d", i ? " " : "", (int)pids[i]);
	if ((e = put(t, "set_event_pid", buf)) || (e = put(t, "options/event-fork", "1")) ||
	    (e = events_enable(t, "1")))
		return e;
	return put(t, "tracing_on", "1");
}

/*
 * Off between traced batches: the events, and the pid filter and its fork
 * following too, which hook every context switch, wake-up, fork and exit of
 * the machine while set.
 */
void pb_trace_pause(struct pb_trace *t)
{
	put(t, "tracing_on", "0");
	events_enable(t, "0");
	put(t, "options/event-fork", "0");
	put(t, "set_event_pid", "");
}

char *pb_trace_take(struct pb_trace *t, size_t *len)
{
	char p[768], *buf = NULL;
	size_t cap = 0, n = 0;
	ssize_t got;
	sigset_t old;
	int fd;

	snprintf(p, sizeof(p), "%s/trace", t->dir);
	hold_signals(&old);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		release_signals(&old);
		return NULL;
	}
	for (;;) {
		if (n + 65536 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 65536 + 1);

			if (!nb) {
				free(buf);
				close(fd);
				release_signals(&old);
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
	release_signals(&old);
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
	open_dir[0] = 0;
}

void pb_trace_emergency_close(void)
{
	if (open_dir[0])
		rmdir(open_dir);
}

/* "PID-START" (digits, a dash, digits) into its parts: 0, or -1 for another name. */
static int instance_owner(const char *name, char *pid, size_t len, unsigned long long *start)
{
	const char *dash = strchr(name, '-');
	char *end;

	if (!dash || dash == name || (size_t)(dash - name) >= len ||
	    strspn(name, "0123456789") != (size_t)(dash - name) || !dash[1] ||
	    strspn(dash + 1, "0123456789") != strlen(dash + 1))
		return -1;
	memcpy(pid, name, (size_t)(dash - name));
	pid[dash - name] = 0;
	errno = 0;
	*start = strtoull(dash + 1, &end, 10);
	return errno ? -1 : 0;
}

void pb_trace_clean_stale(void)
{
	const char *root;
	char dir[640], why[300];
	struct dirent *d;
	DIR *dp;

	/* Another namespace's pids name other processes in this one's /proc. */
	if (pid_namespaced(why, sizeof(why)) || tracefs(&root, why, sizeof(why)))
		return;
	snprintf(dir, sizeof(dir), "%s/instances", root);
	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		char path[1000], pid[16];
		unsigned long long start, now;
		int e;

		if (strncmp(d->d_name, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)) ||
		    instance_owner(d->d_name + strlen(INSTANCE_PREFIX), pid, sizeof(pid), &start) ||
		    atoi(pid) == (int)getpid())
			continue;
		/* Stale: its process is gone, or its pid now names a process started at another time. */
		e = start_time(pid, &now);
		if (e == ENOENT || (!e && now != start)) {
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			rmdir(path);
		}
	}
	if (dp)
		closedir(dp);
}
