/* SPDX-License-Identifier: MIT */
/*
 * The perf events the creator counts per creation (in batches of their own,
 * so the inherited events' cost at fork never lands on timed samples), and
 * the names results use for them (perf's, with :u/:k for user/kernel).
 */
#ifndef PB_COUNTERS_H
#define PB_COUNTERS_H

#include <stdint.h>

enum {
	PB_CNT_TASK_CLOCK,
	PB_CNT_PAGE_FAULTS,
	PB_CNT_MINOR_FAULTS,
	PB_CNT_MAJOR_FAULTS,
	PB_CNT_CONTEXT_SWITCHES,
	PB_CNT_CPU_MIGRATIONS,
	PB_CNT_CYCLES_U,
	PB_CNT_CYCLES_K,
	PB_CNT_INSTRUCTIONS_U,
	PB_CNT_INSTRUCTIONS_K,
	PB_CNT_BRANCH_MISSES_U,
	PB_CNT_BRANCH_MISSES_K,
	PB_NCOUNTERS
};

struct pb_counter_def {
	const char *name;   /* as perf names it */
	const char *unit;   /* of the per-creation value */
	uint32_t type;      /* PERF_TYPE_* */
	uint64_t config;
	int exclude_user, exclude_kernel;
};

extern const struct pb_counter_def pb_counter_defs[PB_NCOUNTERS];

/* Why a counter could not be opened, from perf_event_open's errno. */
const char *pb_counter_unavailable_reason(int err);

#endif
