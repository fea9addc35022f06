// SPDX-License-Identifier: MIT
/* tracefs text into events, and a creation's kernel phases (ktrace.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktrace.h"

/* "key=" followed by an integer, in fields; -1 when absent. */
static int field_int(const char *fields, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strstr(fields, key); p; p = strstr(p + 1, key))
		if ((p == fields || p[-1] == ' ') && p[len] == '=')
			return atoi(p + len + 1);
	return -1;
}

static void classify(struct pb_kev *ev, const char *name, size_t nlen, const char *rest)
{
	static const struct {
		const char *name;
		enum pb_kev_type type;
		const char *other;
	} sched[] = {
		{ "sched_process_fork", PB_KEV_FORK, "child_pid" },
		{ "sched_wakeup_new", PB_KEV_WAKEUP_NEW, "pid" },
		{ "sched_wakeup", PB_KEV_WAKEUP, "pid" },
		{ "sched_switch", PB_KEV_SWITCH, "next_pid" },
		{ "sched_process_exec", PB_KEV_EXEC, "pid" },
		{ "sched_process_exit", PB_KEV_EXIT, "pid" },
	};

	for (size_t i = 0; i < sizeof(sched) / sizeof(sched[0]); i++)
		if (strlen(sched[i].name) == nlen && !strncmp(name, sched[i].name, nlen)) {
			ev->type = sched[i].type;
			ev->other = field_int(rest, sched[i].other);
			if (ev->type == PB_KEV_SWITCH) {
				const char *st = strstr(rest, " prev_state=");

				ev->prev = field_int(rest, "prev_pid");
				/* R or R+: preempted, still runnable; S, D, ...: asleep. */
				ev->prev_slept = st && st[12] && st[12] != 'R';
			}
			return;
		}
	ev->type = PB_KEV_OTHER;
}

int pb_kev_parse(const char *line, struct pb_kev *ev)
{
	const char *p = line, *br, *dash, *name, *end;
	char *num_end;

	memset(ev, 0, sizeof(*ev));
	ev->other = ev->prev = -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n' || *p == '#')
		return 1;
	/* TASK-PID: the comm may hold spaces and dashes; the pid is what follows the last dash. */
	br = strstr(p, " [");
	while (br && !isdigit((unsigned char)br[2]))
		br = strstr(br + 1, " [");
	if (!br)
		return -1;
	for (end = br; end > p && end[-1] == ' '; end--)
		;
	for (dash = end; dash > p && dash[-1] != '-'; dash--)
		;
	if (dash == p || !isdigit((unsigned char)*dash))
		return -1;
	ev->pid = atoi(dash);
	ev->cpu = atoi(br + 2);
	p = strchr(br, ']');
	if (!p)
		return -1;
	/* The flags, then the timestamp: a raw count (counter clocks) or seconds.micros. */
	p++;
	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	ev->ts = strtoull(p, &num_end, 10);
	if (num_end == p)
		return -1;
	if (*num_end == '.') { /* a nanosecond clock: seconds.microseconds */
		const char *frac = num_end + 1;

		ev->ts = ev->ts * 1000000000ull + strtoull(frac, &num_end, 10) * 1000;
	}
	if (num_end[0] != ':' || num_end[1] != ' ')
		return -1;
	name = num_end + 2;
	if (!strncmp(name, "sys_", 4)) {
		size_t n = strcspn(name + 4, "( ");

		snprintf(ev->sys, sizeof(ev->sys), "%.*s", (int)n, name + 4);
		if (name[4 + n] == '(') {
			ev->type = PB_KEV_SYS_ENTER;
		} else if (!strncmp(name + 4 + n, " -> ", 4)) {
			ev->type = PB_KEV_SYS_EXIT;
			ev->ret = strtoll(name + 4 + n + 4, NULL, 0);
		} else {
			ev->type = PB_KEV_OTHER;
		}
		return 0;
	}
	end = strchr(name, ':');
	if (!end)
		return -1;
	classify(ev, name, (size_t)(end - name), end + 1);
	return 0;
}

static int is_create(const char *sys)
{
	return !strcmp(sys, "clone") || !strcmp(sys, "clone3") || !strcmp(sys, "fork") ||
	       !strcmp(sys, "vfork");
}

const char *const pb_ktrace_events[] = {
	"syscalls/sys_enter_clone",
	"syscalls/sys_exit_clone",
	"?syscalls/sys_enter_clone3",
	"?syscalls/sys_exit_clone3",
	"?syscalls/sys_enter_vfork",
	"?syscalls/sys_exit_vfork",
	"?syscalls/sys_enter_fork",
	"?syscalls/sys_exit_fork",
	"syscalls/sys_enter_execve",
	"syscalls/sys_exit_execve",
	"syscalls/sys_exit_wait4",
	"syscalls/sys_exit_waitid",
	"?syscalls/sys_exit_futex",            /* thread joins */
	"?syscalls/sys_enter_io_uring_setup",  /* the SQ thread */
	"?syscalls/sys_exit_io_uring_setup",
	"sched/sched_process_fork",
	"sched/sched_wakeup_new",
	"sched/sched_wakeup",
	"sched/sched_switch",
	"sched/sched_process_exec",
	"sched/sched_process_exit",
	NULL,
};

const char *pb_kshape_name(int kshape)
{
	static const char *const names[] = { "none",	  "fork",   "vfork",
					     "spawn", "fork_exec", "thread", "io_thread" };

	return kshape >= 0 && kshape < (int)(sizeof(names) / sizeof(names[0])) ? names[kshape]
										 : "?";
}

const char *pb_kpoint_name(enum pb_kpoint p)
{
	static const char *const names[PB_KP_COUNT] = {
		[PB_KP_T0] = "t0",
		[PB_KP_ENTER] = "sys_enter",
		[PB_KP_FORKED] = "sched_process_fork",
		[PB_KP_WOKEN_NEW] = "sched_wakeup_new",
		[PB_KP_RELEASE_WOKEN] = "parent_woken_release",
		[PB_KP_PARENT_RET] = "sys_exit_parent",
		[PB_KP_T1] = "t1",
		[PB_KP_CHILD_IN] = "child_switched_in",
		[PB_KP_CHILD_RET] = "sys_exit_child",
		[PB_KP_EXEC_ENTER] = "sys_enter_execve",
		[PB_KP_EXEC] = "sched_process_exec",
		[PB_KP_EXEC_RET] = "sys_exit_execve",
		[PB_KP_TC] = "tc",
		[PB_KP_CHILD_EXIT] = "sched_process_exit",
		[PB_KP_EXIT_WOKEN] = "parent_woken_exit",
		[PB_KP_WAIT_RET] = "sys_exit_wait",
		[PB_KP_T2] = "t2",
	};

	return (unsigned)p < PB_KP_COUNT ? names[p] : "?";
}

/* The phases, once each; a shape lists the ones on its path. */
const char *const pb_ktask_names[] = { "parent", "child", "user" };

#define PH(id, nm, wh, f, t, who) [id] = { nm, wh, PB_KP_##f, PB_KP_##t, PB_KTASK_##who }
enum {
	ENTRY, COPY, WAKE, PRET, PT1, CWAIT, RFORK, CEXIT, NOTIFY, REAP, TOT2, RELEASE, VRET,
	VREAP, TOEXEC, EXEC_REL, EXEC_LOAD, EXEC_LOAD_ALL, EXEC_RET, IMG_EXIT, TRELEASE, JOIN, IOSETUP,
	IORET, NPHASES
};
static const struct pb_kphase phases[NPHASES] = {
	PH(ENTRY, "entry", "user space up to the syscall's entry (libc wrapper, atfork handlers, a thread's stack)", T0,
	   ENTER, USER),
	PH(COPY, "copy_process", "the new task: mm, files, signals, copy_thread()", ENTER, FORKED, PARENT),
	PH(WAKE, "wake_up_new_task", "the child made runnable", FORKED, WOKEN_NEW, PARENT),
	PH(PRET, "parent_return", "the rest of the syscall, out to the parent", WOKEN_NEW,
	   PARENT_RET, PARENT),
	PH(PT1, "parent_to_t1", "the parent's syscall exit to its stamp", PARENT_RET, T1, USER),
	PH(CWAIT, "child_wait", "the woken child waits for a CPU", WOKEN_NEW, CHILD_IN, CHILD),
	PH(RFORK, "ret_from_fork", "the child's first switch-in to its return to user space",
	   CHILD_IN, CHILD_RET, CHILD),
	PH(CEXIT, "child_to_exit", "the child runs (its stamp), exits, do_exit up to its tracepoint (6.1: after exit_mm)", CHILD_RET,
	   CHILD_EXIT, CHILD),
	PH(NOTIFY, "exit_notify", "the rest of do_exit up to waking the parent (mm teardown too where the tracepoint comes first)", CHILD_EXIT, EXIT_WOKEN, CHILD),
	PH(REAP, "reap", "the woken parent's wait returns the child", EXIT_WOKEN, WAIT_RET, PARENT),
	PH(TOT2, "wait_to_t2", "the wait's return to the parent's last stamp", WAIT_RET, T2, USER),
	PH(RELEASE, "child_to_release", "the child runs to _exit, whose mm release wakes the parent",
	   CHILD_RET, RELEASE_WOKEN, CHILD),
	PH(VRET, "parent_return", "the woken parent leaves the syscall", RELEASE_WOKEN, PARENT_RET, PARENT),
	PH(VREAP, "reap", "the parent's wait, from its stamp to the return", T1, WAIT_RET, PARENT),
	PH(TOEXEC, "child_to_execve", "the child from its return to execve's entry", CHILD_RET,
	   EXEC_ENTER, CHILD),
	PH(EXEC_REL, "exec_to_release",
	   "execve opens and checks the image, up to dropping the borrowed mm (wakes the parent)",
	   EXEC_ENTER, RELEASE_WOKEN, CHILD),
	PH(EXEC_LOAD, "exec_load", "the rest of the exec: the new image mapped (sched_process_exec)",
	   RELEASE_WOKEN, EXEC, CHILD),
	PH(EXEC_LOAD_ALL, "exec_load",
	   "execve: the old mm dropped, the new image mapped (sched_process_exec)", EXEC_ENTER, EXEC, CHILD),
	PH(EXEC_RET, "exec_return", "execve's return into the new image", EXEC, EXEC_RET, CHILD),
	PH(IMG_EXIT, "image_to_exit", "the new image runs (its stamp), exits, do_exit up to its tracepoint", EXEC_RET,
	   CHILD_EXIT, CHILD),
	PH(TRELEASE, "thread_to_release",
	   "the thread runs (its stamp) and exits; its mm release clears the tid and wakes the joiner",
	   CHILD_RET, RELEASE_WOKEN, CHILD),
	PH(JOIN, "join", "the woken joiner's futex wait returns", RELEASE_WOKEN, WAIT_RET, PARENT),
	PH(IOSETUP, "io_uring_setup",
	   "the rings and their mappings, then create_io_thread(): copy_process() and the SQ "
	   "thread made runnable",
	   ENTER, WOKEN_NEW, PARENT),
	PH(IORET, "parent_return", "the rest of io_uring_setup, out to the parent", WOKEN_NEW,
	   PARENT_RET, PARENT),
};

static const unsigned char fork_path[] = { ENTRY, COPY,	 WAKE,	 PRET, PT1,  CWAIT,
					   RFORK, CEXIT, NOTIFY, REAP, TOT2 };
static const unsigned char vfork_path[] = { ENTRY,   COPY, WAKE, CWAIT, RFORK,
					    RELEASE, VRET, PT1,	 VREAP, TOT2 };
static const unsigned char spawn_path[] = { ENTRY,    COPY,	 WAKE,	   CWAIT,    RFORK,
					    TOEXEC,   EXEC_REL,	 VRET,	   PT1,	     EXEC_LOAD,
					    EXEC_RET, IMG_EXIT,	 NOTIFY,   REAP,     TOT2 };
static const unsigned char fork_exec_path[] = { ENTRY,	COPY,	       WAKE,	 PRET,
						PT1,	CWAIT,	       RFORK,	 TOEXEC,
						EXEC_LOAD_ALL, EXEC_RET, IMG_EXIT, NOTIFY,
						REAP,	TOT2 };

static const unsigned char thread_path[] = { ENTRY, COPY,	  WAKE,	    PRET, PT1,
					     CWAIT, RFORK, TRELEASE, JOIN, TOT2 };

static const unsigned char io_thread_path[] = { ENTRY, IOSETUP, IORET, PT1, CWAIT };

static const unsigned char *path_of(int kshape, unsigned *n)
{
	switch (kshape) {
	case PB_KSHAPE_IO_THREAD:
		*n = sizeof(io_thread_path);
		return io_thread_path;
	case PB_KSHAPE_THREAD:
		*n = sizeof(thread_path);
		return thread_path;
	case PB_KSHAPE_FORK:
		*n = sizeof(fork_path);
		return fork_path;
	case PB_KSHAPE_VFORK:
		*n = sizeof(vfork_path);
		return vfork_path;
	case PB_KSHAPE_SPAWN:
		*n = sizeof(spawn_path);
		return spawn_path;
	case PB_KSHAPE_FORK_EXEC:
		*n = sizeof(fork_exec_path);
		return fork_exec_path;
	}
	*n = 0;
	return NULL;
}

const struct pb_kphase *pb_kphases(int kshape, unsigned *n)
{
	static struct pb_kphase out[PB_KSHAPE_IO_THREAD + 1][PB_KPHASES_MAX];
	const unsigned char *p = path_of(kshape, n);

	if (!p || kshape < 0 || kshape > PB_KSHAPE_IO_THREAD)
		return NULL;
	for (unsigned i = 0; i < *n; i++)
		out[kshape][i] = phases[p[i]];
	return out[kshape];
}

const struct pb_kphase *pb_kphases_ret_at_tc(int kshape, unsigned *n)
{
	static struct pb_kphase out[PB_KSHAPE_IO_THREAD + 1][PB_KPHASES_MAX];
	static char names[PB_KSHAPE_IO_THREAD + 1][PB_KPHASES_MAX][48];
	const struct pb_kphase *ph = pb_kphases(kshape, n);

	if (!ph)
		return NULL;
	for (unsigned i = 0; i < *n; i++) {
		out[kshape][i] = ph[i];
		if (ph[i].to == PB_KP_CHILD_RET) {
			snprintf(names[kshape][i], sizeof(names[0][0]), "%s_to_tc", ph[i].name);
			out[kshape][i].to = PB_KP_TC;
			out[kshape][i].what = "the kernel's return into the new child and the child's own "
					      "start-up in user space, up to its first stamp tc (this kernel "
					      "traces no syscall exit for a new child)";
		} else if (ph[i].from == PB_KP_CHILD_RET) {
			snprintf(names[kshape][i], sizeof(names[0][0]), "%s_from_tc", ph[i].name);
			out[kshape][i].from = PB_KP_TC;
		} else {
			continue;
		}
		out[kshape][i].name = names[kshape][i];
	}
	return out[kshape];
}

/* The first event in [from, n) of this type, task (pid, -1 any) and other (-1 any) before end. */
static unsigned next(const struct pb_kev *ev, unsigned from, unsigned n, enum pb_kev_type type,
		     int pid, int other, uint64_t end)
{
	for (unsigned i = from; i < n && ev[i].ts <= end; i++)
		if (ev[i].type == type && (pid < 0 || ev[i].pid == pid) &&
		    (other < 0 || ev[i].other == other))
			return i;
	return n;
}

/* The first syscall exit in [from, n) by pid before end that sel() accepts. */
static unsigned next_exit(const struct pb_kev *ev, unsigned from, unsigned n, int pid,
			  uint64_t end, int (*sel)(const struct pb_kev *e, int arg), int arg)
{
	for (unsigned i = from; i < n && ev[i].ts <= end; i++)
		if (ev[i].pid == pid && ev[i].type == PB_KEV_SYS_EXIT && sel(&ev[i], arg))
			return i;
	return n;
}

static int created(const struct pb_kev *e, int child)
{
	return is_create(e->sys) && e->ret == child;
}

static int execve_exit(const struct pb_kev *e, int unused)
{
	(void)unused;
	return !strcmp(e->sys, "execve");
}

/* A thread's joiner: its futex wait returns 0 (woken) or -EAGAIN (the tid had changed). */
static int joined(const struct pb_kev *e, int child)
{
	(void)child;
	return !strcmp(e->sys, "futex") && (e->ret == 0 || e->ret == -11);
}

static int reaped(const struct pb_kev *e, int child)
{
	return (!strcmp(e->sys, "wait4") && e->ret == child) ||
	       (!strcmp(e->sys, "waitid") && e->ret == 0);
}

/* The index of the first event at or after ts (events are in time order). */
static unsigned first_at(const struct pb_kev *ev, unsigned n, uint64_t ts)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (ev[mid].ts < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Note event i (when below n) as point p; returns i. */
static unsigned mark(struct pb_kcreation *k, enum pb_kpoint p, const struct pb_kev *ev,
		     unsigned i, unsigned n)
{
	if (i < n)
		k->at[p] = ev[i].ts;
	return i;
}

/*
 * Points a sample may lack and still count: a wake-up that does not happen
 * when the waiter finds the work done, and the SQ thread's first switch-in,
 * seen only when it comes from a traced task (create_io_thread() fires no
 * sched_process_fork, so the pid filter cannot follow the thread).
 */
static int optional(int kshape, enum pb_kpoint p)
{
	return p == PB_KP_EXIT_WOKEN || (kshape == PB_KSHAPE_THREAD && p == PB_KP_RELEASE_WOKEN) ||
	       (kshape == PB_KSHAPE_IO_THREAD && p == PB_KP_CHILD_IN);
}

/* Whether pid left its CPU to sleep between from and to (events in time order). */
static int slept(const struct pb_kev *ev, unsigned n, int pid, uint64_t from, uint64_t to)
{
	for (unsigned i = first_at(ev, n, from); i < n && ev[i].ts <= to; i++)
		if (ev[i].type == PB_KEV_SWITCH && ev[i].prev == pid && ev[i].prev_slept)
			return 1;
	return 0;
}

/*
 * A waiter's wake-up and its wait's return exist only when it slept: a vfork
 * parent the child released before it reached wait_for_vfork_done() (the new
 * child ran first), a joiner whose thread was gone before it looked, never
 * sleeps. Such a point may be missing when the trace shows the waiter never
 * left its CPU to sleep over the stretch: a parent that slept and was not
 * seen woken is a miss.
 */
static int never_slept(const struct pb_kev *ev, unsigned n, int parent, int kshape,
		       enum pb_kpoint p, const struct pb_kcreation *k)
{
	uint64_t to = k->at[PB_KP_T2];

	if ((kshape == PB_KSHAPE_VFORK || kshape == PB_KSHAPE_SPAWN) && p == PB_KP_RELEASE_WOKEN)
		return k->at[PB_KP_FORKED] && k->at[PB_KP_PARENT_RET] &&
		       !slept(ev, n, parent, k->at[PB_KP_FORKED], k->at[PB_KP_PARENT_RET]);
	if (kshape == PB_KSHAPE_THREAD && p == PB_KP_WAIT_RET)
		return k->at[PB_KP_CHILD_RET] && k->at[PB_KP_PARENT_RET] &&
		       !slept(ev, n, parent, k->at[PB_KP_PARENT_RET], to);
	return 0;
}

/* The syscall whose entry starts a sample of this shape. */
static int creating(int kshape, const char *sys)
{
	return kshape == PB_KSHAPE_IO_THREAD ? !strcmp(sys, "io_uring_setup") : is_create(sys);
}

static int ring_made(const struct pb_kev *e, int unused)
{
	(void)unused;
	return !strcmp(e->sys, "io_uring_setup") && e->ret >= 0;
}

/* io_uring's SQ thread: create_io_thread() calls copy_process() itself (no sched_process_fork). */
static void io_thread_points(const struct pb_kev *ev, unsigned n, unsigned i, int parent,
			     uint64_t t2, struct pb_kcreation *k)
{
	unsigned w = mark(k, PB_KP_WOKEN_NEW, ev, next(ev, i, n, PB_KEV_WAKEUP_NEW, parent, -1, t2), n);

	if (w == n)
		return;
	k->child = ev[w].other;
	mark(k, PB_KP_PARENT_RET, ev, next_exit(ev, w, n, parent, t2, ring_made, 0), n);
	mark(k, PB_KP_CHILD_IN, ev, next(ev, w, n, PB_KEV_SWITCH, -1, k->child, t2), n);
}

/* The child's path after copy_process (event f): exec, exit, the parent's wake-ups and wait. */
static void child_points(const struct pb_kev *ev, unsigned n, unsigned f, int parent, int kshape,
			 uint64_t t2, struct pb_kcreation *k)
{
	int c = k->child;

	if ((kshape == PB_KSHAPE_VFORK || kshape == PB_KSHAPE_SPAWN) && k->at[PB_KP_PARENT_RET])
		mark(k, PB_KP_RELEASE_WOKEN, ev,
		     next(ev, f, n, PB_KEV_WAKEUP, -1, parent, k->at[PB_KP_PARENT_RET]), n);
	if (kshape == PB_KSHAPE_SPAWN || kshape == PB_KSHAPE_FORK_EXEC) {
		unsigned e = next(ev, f, n, PB_KEV_SYS_ENTER, c, -1, t2);

		while (e < n && strcmp(ev[e].sys, "execve"))
			e = next(ev, e + 1, n, PB_KEV_SYS_ENTER, c, -1, t2);
		mark(k, PB_KP_EXEC_ENTER, ev, e, n);
		if ((e = mark(k, PB_KP_EXEC, ev, next(ev, f, n, PB_KEV_EXEC, c, -1, t2), n)) < n)
			mark(k, PB_KP_EXEC_RET, ev, next_exit(ev, e, n, c, t2, execve_exit, 0), n);
	}
	if (kshape == PB_KSHAPE_THREAD) {
		/* The joiner sleeps on the tid until the thread's mm release clears it. */
		unsigned r = first_at(ev, n, k->at[PB_KP_CHILD_RET]);
		unsigned w = k->at[PB_KP_CHILD_RET] ? next_exit(ev, r, n, parent, t2, joined, c) : n;

		if (mark(k, PB_KP_WAIT_RET, ev, w, n) < n)
			mark(k, PB_KP_RELEASE_WOKEN, ev, next(ev, r, w, PB_KEV_WAKEUP, -1, parent, t2), w);
		mark(k, PB_KP_CHILD_EXIT, ev, next(ev, f, n, PB_KEV_EXIT, c, c, t2), n);
	} else {
		unsigned x = mark(k, PB_KP_CHILD_EXIT, ev, next(ev, f, n, PB_KEV_EXIT, c, c, t2), n);
		unsigned w = next_exit(ev, x < n ? x : f, n, parent, t2, reaped, c);

		if (mark(k, PB_KP_WAIT_RET, ev, w, n) < n && x < n)
			mark(k, PB_KP_EXIT_WOKEN, ev, next(ev, x, w, PB_KEV_WAKEUP, -1, parent, t2), w);
	}
}

int pb_kchild_exits_traced(const struct pb_kev *ev, unsigned n)
{
	unsigned forks = 0;

	for (unsigned i = 0; i < n; i++) {
		if (ev[i].type == PB_KEV_SYS_EXIT && is_create(ev[i].sys) && ev[i].ret == 0)
			return 1;
		forks += ev[i].type == PB_KEV_FORK;
	}
	return !forks;
}

int pb_kmatch(const struct pb_kev *ev, unsigned n, int parent, int kshape, uint64_t t0,
	      uint64_t t1, uint64_t tc, uint64_t t2, unsigned flags, struct pb_kcreation *k)
{
	unsigned i, f, np;
	const unsigned char *path = path_of(kshape, &np);

	memset(k, 0, sizeof(*k));
	k->at[PB_KP_T0] = t0;
	k->at[PB_KP_T1] = t1;
	k->at[PB_KP_TC] = tc;
	k->at[PB_KP_T2] = t2;
	if (!path)
		return -1;
	for (i = first_at(ev, n, t0); i < n && ev[i].ts <= t2; i++)
		if (ev[i].pid == parent && ev[i].type == PB_KEV_SYS_ENTER && creating(kshape, ev[i].sys))
			break;
	if (mark(k, PB_KP_ENTER, ev, i, n) == n || ev[i].ts > t2) {
		k->at[PB_KP_ENTER] = 0;
		k->missing = 1u << PB_KP_ENTER;
		return -1;
	}
	if (kshape == PB_KSHAPE_IO_THREAD) {
		io_thread_points(ev, n, i, parent, t2, k);
	} else {
		if ((f = mark(k, PB_KP_FORKED, ev, next(ev, i, n, PB_KEV_FORK, parent, -1, t2), n)) == n) {
			k->missing = 1u << PB_KP_FORKED;
			return -1;
		}
		k->child = ev[f].other;
		mark(k, PB_KP_WOKEN_NEW, ev, next(ev, f, n, PB_KEV_WAKEUP_NEW, -1, k->child, t2), n);
		mark(k, PB_KP_PARENT_RET, ev, next_exit(ev, f, n, parent, t2, created, k->child), n);
		mark(k, PB_KP_CHILD_IN, ev, next(ev, f, n, PB_KEV_SWITCH, -1, k->child, t2), n);
		mark(k, PB_KP_CHILD_RET, ev, next_exit(ev, f, n, k->child, t2, created, 0), n);
		/* Not for the exec shapes: their tc is taken in the new image, after execve. */
		if ((flags & PB_KM_RET_AT_TC) && kshape != PB_KSHAPE_SPAWN &&
		    kshape != PB_KSHAPE_FORK_EXEC && !k->at[PB_KP_CHILD_RET] &&
		    k->at[PB_KP_CHILD_IN] && tc > k->at[PB_KP_CHILD_IN] && tc <= t2) {
			k->at[PB_KP_CHILD_RET] = tc;
			k->ret_at_tc = 1;
		}
		child_points(ev, n, f, parent, kshape, t2, k);
	}
	int missing = 0, other = 0;

	for (unsigned p = 0; p < np; p++) {
		const struct pb_kphase *ph = &phases[path[p]];
		enum pb_kpoint ends[2] = { ph->from, ph->to };

		for (int e = 0; e < 2; e++) {
			if (k->at[ends[e]] || optional(kshape, ends[e]) ||
			    never_slept(ev, n, parent, kshape, ends[e], k))
				continue;
			missing = 1;
			k->missing |= 1u << ends[e];
			/* A thread's join is found from its return to user: missing with it. */
			if (ends[e] != PB_KP_CHILD_RET &&
			    !(kshape == PB_KSHAPE_THREAD && ends[e] == PB_KP_WAIT_RET))
				other = 1;
		}
	}
	if (!missing)
		return 0;
	/* Only the child's return to user space is missing, though the child ran. */
	return !other && k->at[PB_KP_CHILD_IN] && !k->at[PB_KP_CHILD_RET] ? -2 : -1;
}

int pb_kcheck(const struct pb_kcreation *k, int kshape, unsigned *checked, char *why,
	      unsigned len)
{
	int ex = kshape == PB_KSHAPE_SPAWN || kshape == PB_KSHAPE_FORK_EXEC;
	enum pb_kpoint child_ev = ex ? PB_KP_EXEC_RET : PB_KP_CHILD_RET;
	const struct {
		enum pb_kpoint user, kernel;
		int before;
		const char *what;
	} c[] = {
		{ PB_KP_T0, PB_KP_ENTER, 1, "t0 is not before the syscall entry" },
		{ PB_KP_T1, PB_KP_PARENT_RET, 0, "t1 is not after the parent's syscall exit" },
		{ PB_KP_TC, child_ev, 0,
		  ex ? "tc is not after execve returned into the new image"
		     : "tc is not after the child's return to user space" },
		{ PB_KP_T2, PB_KP_WAIT_RET, 0, "t2 is not after the wait returned" },
	};
	int bad = 0;

	*checked = 0;
	if (len)
		why[0] = 0;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t u = k->at[c[i].user], kv = k->at[c[i].kernel];

		if (!u || !kv || (k->ret_at_tc && c[i].kernel == PB_KP_CHILD_RET))
			continue;
		++*checked;
		if (c[i].before ? u < kv : u > kv)
			continue;
		if (!bad++)
			snprintf(why, len, "child %d: %s (%s %llu, %s %llu)", k->child, c[i].what,
				 pb_kpoint_name(c[i].user), (unsigned long long)u,
				 pb_kpoint_name(c[i].kernel), (unsigned long long)kv);
	}
	return bad;
}

unsigned long long pb_ktrace_lost(const char *text)
{
	const char *p = strstr(text, "entries-in-buffer/entries-written:");
	unsigned long long in, written;

	if (!p || sscanf(p + strlen("entries-in-buffer/entries-written:"), " %llu/%llu", &in,
			 &written) != 2)
		return 0;
	return written > in ? written - in : 0;
}
