/* SPDX-License-Identifier: MIT */
/*
 * A private tracefs instance (instances/procbench-<pid>) on the counter's
 * clock, for the kernel's side of each creation (issue 15, in progress:
 * used by tests/trace_probe.c in a guest, not yet by a --trace option).
 */
#ifndef PB_TRACE_H
#define PB_TRACE_H

#include <stddef.h>
#include <sys/types.h>

struct pb_trace {
	char dir[512];   /* the instance's folder, "" when none */
};

/* The trace clock that reads procbench's counter: "x86-tsc" on x86_64, else "mono_raw". */
const char *pb_trace_clock(void);

/*
 * Make the instance, set its clock, enable events ("group/name", NULL-ended)
 * and trace only pid and what it creates. 0, or -1 with why (no tracefs, no
 * permission, a missing event): a reason to skip tracing, not an error.
 */
int pb_trace_open(struct pb_trace *t, const char *const *events, pid_t pid, char *why,
		  size_t len);
/* The buffer as text (malloc'd, NUL-ended), then cleared: NULL on failure. */
char *pb_trace_take(struct pb_trace *t, size_t *len);
/* Stop and remove the instance (safe to call twice). */
void pb_trace_close(struct pb_trace *t);
/* Remove instances left by procbench processes that no longer exist. */
void pb_trace_clean_stale(void);

#endif
