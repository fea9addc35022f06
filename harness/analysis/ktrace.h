/* SPDX-License-Identifier: MIT */
/*
 * The kernel's side of a creation, from tracefs text (issue 15, in
 * progress: the parser and the fork-family phase matcher, not yet wired to
 * a --trace option). Pure: lines in, events and phases out.
 *
 * A line of an instance's `trace` file, with trace_clock x86-tsc (the
 * counter procbench reads, printed as a raw count):
 *
 *   procbench-creat-144     [000] ...1.   3174060477: sys_clone(clone_flags: 1200011, ...)
 *   procbench-creat-144     [000] .....   3174217191: sched_process_fork: comm=... child_pid=162
 *
 * tests/fixtures/trace-fork-icount.txt is one such trace, taken in an
 * instruction-time guest (Debian 6.1).
 */
#ifndef PB_KTRACE_H
#define PB_KTRACE_H

#include <stdint.h>

enum pb_kev_type {
	PB_KEV_SYS_ENTER,   /* sys_NAME(args) */
	PB_KEV_SYS_EXIT,    /* sys_NAME -> ret */
	PB_KEV_FORK,        /* sched_process_fork: other = child_pid */
	PB_KEV_WAKEUP_NEW,  /* sched_wakeup_new: other = the new task */
	PB_KEV_WAKEUP,      /* sched_wakeup: other = the woken task */
	PB_KEV_SWITCH,      /* sched_switch: prev = prev_pid, other = next_pid */
	PB_KEV_EXEC,        /* sched_process_exec: other = pid */
	PB_KEV_EXIT,        /* sched_process_exit: other = pid */
	PB_KEV_OTHER,
};

struct pb_kev {
	uint64_t ts;             /* the trace clock's count */
	int pid;                 /* the task the event ran in */
	int cpu;
	enum pb_kev_type type;
	char sys[24];            /* SYS_ENTER/EXIT: the syscall ("clone", "clone3", "wait4") */
	long long ret;           /* SYS_EXIT: its return value */
	int other, prev;
};

/* One line: 0 an event, 1 a comment or blank line, -1 not a trace line. */
int pb_kev_parse(const char *line, struct pb_kev *ev);

/*
 * The kernel phases of one process creation of the fork family (fork,
 * clone, clone3: a child with its own address space, reaped by wait4 or
 * waitid), as event timestamps, 0 where not seen.
 */
struct pb_kfork {
	int child;
	uint64_t sys_enter;      /* parent enters the creating syscall */
	uint64_t forked;         /* copy_process() done (sched_process_fork) */
	uint64_t woken_new;      /* the child made runnable (sched_wakeup_new) */
	uint64_t sys_exit;       /* parent returns from the syscall with the child's pid */
	uint64_t child_in;       /* the child first switched in */
	uint64_t child_ret;      /* the child returns to user space (its syscall exit, 0) */
	uint64_t child_exit;     /* the child enters do_exit (sched_process_exit) */
	uint64_t parent_woken;   /* the parent woken after the child's exit */
	uint64_t wait_exit;      /* the parent's wait returns the child */
};

/*
 * Find, among n events, the first creation by parent at or after t0 and
 * its phases. Returns 0 when every phase was seen, -1 otherwise.
 */
int pb_kfork_match(const struct pb_kev *ev, unsigned n, int parent, uint64_t t0,
		   struct pb_kfork *k);

/*
 * The user stamps against the kernel's events: t0 before the syscall
 * entry, t1 after its exit, tc after the child's return to user space, t2
 * after the wait returned. Returns 0, or the number of violations with the
 * first one named in why.
 */
int pb_kfork_check(const struct pb_kfork *k, uint64_t t0, uint64_t t1, uint64_t tc, uint64_t t2,
		   char *why, unsigned len);

#endif
