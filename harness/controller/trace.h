/* SPDX-License-Identifier: MIT */
/*
 * A private tracefs instance (instances/procbench-<pid>-<start time>) on
 * the counter's clock, for the kernel's side of each creation (--trace).
 * Only in the initial PID namespace: tracefs filters and prints the initial
 * namespace's pids, not those procbench knows inside another.
 */
#ifndef PB_TRACE_H
#define PB_TRACE_H

#include <stddef.h>
#include <sys/types.h>

#define PB_TRACE_MAX_EVENTS 32

struct pb_trace {
	char dir[512];   /* the instance's folder, "" when none */
	/* The events this kernel has, enabled only while a batch is traced. */
	const char *events[PB_TRACE_MAX_EVENTS];
	unsigned nevents;
};

/*
 * The trace clock for procbench's counter, as arch/<arch>/arch.h names it
 * beside the counter (PB_TRACE_CLOCK): "x86-tsc" where the counter is rdtsc
 * (the same count), else "mono_raw" (nanoseconds, printed to the
 * microsecond: stamps are mapped onto it, not checked against it).
 * pb_trace_clock_is_counter: 1 where a trace stamp is a counter stamp.
 */
const char *pb_trace_clock(void);
int pb_trace_clock_is_counter(void);

/*
 * Make the instance (tracing off), set its clock, let its pid filter follow
 * forks, enable events ("group/name"; a leading '?' marks one that may be
 * missing; NULL-ended). 0, or -1 with why (a PID namespace, no tracefs, no
 * permission, an instance of that name already there, a missing event or
 * clock): a reason to skip tracing, not an error.
 * PROCBENCH_TRACEFS names tracefs's folder where it is not mounted in the
 * usual places.
 */
int pb_trace_open(struct pb_trace *t, const char *const *events, char *why, size_t len);
#define PB_TRACE_MAX_PIDS 256
/*
 * Trace only these tasks and what they create, from now on: 0 or an errno.
 * The events are enabled here and disabled by pb_trace_pause, so that no
 * tracepoint costs anything outside traced batches.
 */
int pb_trace_follow(struct pb_trace *t, const pid_t *pids, unsigned n);
/* Stop recording and disable the events (the buffer is kept for pb_trace_take). */
void pb_trace_pause(struct pb_trace *t);
/* The buffer as text (malloc'd, NUL-ended), then cleared: NULL on failure. */
char *pb_trace_take(struct pb_trace *t, size_t *len);
/* Stop and remove the instance (safe to call twice). */
void pb_trace_close(struct pb_trace *t);
/* Async-signal-safe: remove the open instance, for a fatal signal's handler. */
void pb_trace_emergency_close(void);
/*
 * Remove instances left by procbench processes that no longer exist (none
 * from inside a PID namespace, where /proc cannot say).
 */
void pb_trace_clean_stale(void);

#endif
