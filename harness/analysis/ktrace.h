/* SPDX-License-Identifier: MIT */
/*
 * The kernel's side of a creation, from tracefs text: events, the points of
 * one sample, the phases between them and the truth checks (--trace).
 * Pure: lines in, events and phases out.
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

#include "../protocol/shm.h"

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
	int prev_slept;          /* SWITCH: prev left the CPU to sleep (prev_state not R) */
};

/* One line: 0 an event, 1 a comment or blank line, -1 not a trace line. */
int pb_kev_parse(const char *line, struct pb_kev *ev);

/*
 * The points of one sample on one axis: the user stamps and the kernel's
 * events, each an instant on the trace clock (0 where not seen).
 */
enum pb_kpoint {
	PB_KP_T0,           /* user: before the call */
	PB_KP_ENTER,        /* the parent enters the creating syscall */
	PB_KP_FORKED,       /* copy_process() done: sched_process_fork */
	PB_KP_WOKEN_NEW,    /* wake_up_new_task(): sched_wakeup_new */
	PB_KP_RELEASE_WOKEN, /* the parent woken by the child's mm release (vfork done, a cleared tid) */
	PB_KP_PARENT_RET,   /* the parent leaves the syscall with the child's pid */
	PB_KP_T1,           /* user: the call returned in the parent */
	PB_KP_CHILD_IN,     /* the child's first switch-in (schedule_tail, ret_from_fork) */
	PB_KP_CHILD_RET,    /* the child leaves the syscall (0) for user space */
	PB_KP_EXEC_ENTER,   /* exec shapes: the child enters execve */
	PB_KP_EXEC,         /* exec shapes: the new image is in (sched_process_exec) */
	PB_KP_EXEC_RET,     /* exec shapes: execve returns into the new image */
	PB_KP_TC,           /* user: the child's stamp */
	PB_KP_CHILD_EXIT,   /* the child in do_exit (sched_process_exit) */
	PB_KP_EXIT_WOKEN,   /* the parent woken by the exit (absent if it never slept) */
	PB_KP_WAIT_RET,     /* the parent's wait returns the child (threads: its futex wait) */
	PB_KP_T2,           /* user: after the reap */
	PB_KP_COUNT
};

/* A shape's name in the results ("fork", "spawn"). */
const char *pb_kshape_name(int kshape);
/* A point's name in the results ("sched_process_fork", "t0"). */
const char *pb_kpoint_name(enum pb_kpoint p);

/* Who spends a phase: the parent in the kernel, the child, or the parent in user space. */
enum pb_ktask { PB_KTASK_PARENT, PB_KTASK_CHILD, PB_KTASK_USER };
extern const char *const pb_ktask_names[]; /* "parent", "child", "user" */

/* One phase: the time from one point to another, named in the kernel's terms. */
struct pb_kphase {
	const char *name;   /* "copy_process" */
	const char *what;   /* a few words for docs/trace.md and the report */
	enum pb_kpoint from, to;
	enum pb_ktask task;
};

/* The phases of a shape (enum pb_kshape), in the order of the timeline; *n = 0 for none. */
const struct pb_kphase *pb_kphases(int kshape, unsigned *n);
#define PB_KPHASES_MAX 16
/*
 * The same phases where the child's return to user was placed at its stamp tc
 * (PB_KM_RET_AT_TC): a phase ending there is NAME_to_tc (ret_from_fork_to_tc:
 * the kernel's return and the child's user start-up), one starting there
 * NAME_from_tc, each measured to or from the point tc.
 */
const struct pb_kphase *pb_kphases_ret_at_tc(int kshape, unsigned *n);

/* The tracefs events a shape needs ("group/name"); a leading '?' marks one a kernel may lack. */
extern const char *const pb_ktrace_events[];

_Static_assert(PB_KP_COUNT <= 32, "pb_kcreation.missing holds one bit per point");

/* One sample's points. */
struct pb_kcreation {
	int child;
	int ret_at_tc; /* the child's return to user is its first user stamp (PB_KM_RET_AT_TC) */
	uint32_t missing; /* unmatched: the points (1u << enum pb_kpoint) not found */
	uint64_t at[PB_KP_COUNT];
};

/*
 * pb_kmatch's flags. PB_KM_RET_AT_TC: the kernel traces no syscall exit for a
 * new child (arm64's ret_from_fork returns to user without the syscall-exit
 * tracepoint), so the child's return to user space is placed at the child's
 * first user stamp, tc, taken right after it (a few user instructions late).
 * Not for the exec shapes, whose tc is taken after execve: they stay -2.
 */
#define PB_KM_RET_AT_TC 1u

/*
 * Whether the kernel traced a new child's syscall exit (a create syscall
 * returning 0) among n events: 0 when children were forked and none was seen
 * (pass PB_KM_RET_AT_TC then), 1 otherwise.
 */
int pb_kchild_exits_traced(const struct pb_kev *ev, unsigned n);

/*
 * Find, among n events (in time order), the creation by parent inside the
 * sample's stamps (t0 .. t2) and its points. Returns 0 when every point the
 * shape's phases need was seen (a waiter's wake-up, and a joiner's futex
 * return, may be missing where it never slept: a parent that finds its
 * child already gone, a vfork parent whose child ran first), -1 otherwise,
 * and -2 when that is because of one point only: the child ran (switched in)
 * but its return to user space is not in the trace (arm64's ret_from_fork
 * returns to user without the syscall-exit tracepoint, so no kernel there
 * shows it). When not 0, k->missing names the points not found (the syscall's
 * entry alone when no creation was found inside the stamps).
 */
int pb_kmatch(const struct pb_kev *ev, unsigned n, int parent, int kshape, uint64_t t0,
	      uint64_t t1, uint64_t tc, uint64_t t2, unsigned flags, struct pb_kcreation *k);

/*
 * The user stamps against the kernel's events: t0 before the syscall entry,
 * t1 after the parent's syscall exit, tc after the child's return to user
 * space (after execve's return for exec shapes), t2 after the wait returned.
 * Sets *checked to the number of checks made; returns the number that failed,
 * the first one named in why.
 */
int pb_kcheck(const struct pb_kcreation *k, int kshape, unsigned *checked, char *why,
	      unsigned len);

/*
 * The header's "entries-in-buffer/entries-written: A/B": B - A events the
 * ring buffer dropped (0 when none or no header).
 */
unsigned long long pb_ktrace_lost(const char *text);

#endif
