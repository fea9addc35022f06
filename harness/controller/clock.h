/* SPDX-License-Identifier: MIT */
/*
 * The counter is not a clock: its frequency is measured here against
 * CLOCK_MONOTONIC_RAW, and its cross-CPU consistency is checked once.
 */
#ifndef PB_CLOCK_H
#define PB_CLOCK_H

#include <stdint.h>

#include "../report/record.h" /* the types these fill */


/* Calibrate over `rounds` windows of `window_ms` each; returns 0 or -1. */
int pb_counter_calibrate(struct pb_counter_info *ci, int rounds, int window_ms);
uint64_t pb_mono_raw_ns(void);

static inline double pb_ticks_to_ns(double ticks, const struct pb_counter_info *ci)
{
	return ticks * 1e9 / ci->hz;
}

#endif
