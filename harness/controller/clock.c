// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../arch/arch.h"
#include "clock.h"
#include "../analysis/stats.h"

uint64_t pb_mono_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Read the clock, the counter, the clock again; keep the tightest bracket
 * of a few tries so a preemption between the reads does not skew the pair.
 */
static void paired_read(uint64_t *ns, uint64_t *ticks)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 16; i++) {
		uint64_t a = pb_mono_raw_ns(), c = pb_counter(), b = pb_mono_raw_ns();

		if (b - a < best) {
			best = b - a;
			*ns = a + (b - a) / 2;
			*ticks = c;
		}
	}
}

static void check_invariant(struct pb_counter_info *ci)
{
#if defined(__x86_64__) && !defined(PB_FORCE_GENERIC)
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	int constant = 0, nonstop = 0;

	ci->invariant = -1;
	snprintf(ci->invariant_why, sizeof(ci->invariant_why), "/proc/cpuinfo unreadable");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		constant = strstr(line, " constant_tsc") != NULL;
		nonstop = strstr(line, " nonstop_tsc") != NULL;
		break;
	}
	fclose(f);
	ci->invariant = constant && nonstop;
	snprintf(ci->invariant_why, sizeof(ci->invariant_why), "%s",
		 ci->invariant ? "constant_tsc and nonstop_tsc"
			       : "TSC lacks constant_tsc/nonstop_tsc: pin the run");
#else
	ci->invariant = 1;
	snprintf(ci->invariant_why, sizeof(ci->invariant_why), "%s",
		 strcmp(PB_ARCH_NAME, "generic") == 0 ? "CLOCK_MONOTONIC_RAW"
						      : "architectural system counter");
#endif
}

int pb_counter_calibrate(struct pb_counter_info *ci, int rounds, int window_ms)
{
	double hz[32];
	struct timespec nap = { window_ms / 1000, (window_ms % 1000) * 1000000L };

	if (rounds < 1 || rounds > 32)
		return -1;
	memset(ci, 0, sizeof(*ci));
	ci->source = PB_COUNTER_NAME;
	ci->hz_hint = (double)pb_counter_hz_hint();
	for (int r = 0; r < rounds; r++) {
		uint64_t ns0, t0, ns1, t1;

		paired_read(&ns0, &t0);
		nanosleep(&nap, NULL);
		paired_read(&ns1, &t1);
		if (ns1 <= ns0 || t1 <= t0)
			return -1; /* the counter did not advance: not usable */
		hz[r] = (double)(t1 - t0) * 1e9 / (double)(ns1 - ns0);
	}
	{
		double lo = hz[0], hi = hz[0];

		for (int r = 1; r < rounds; r++) {
			lo = hz[r] < lo ? hz[r] : lo;
			hi = hz[r] > hi ? hz[r] : hi;
		}
		ci->hz = pb_median_inplace(hz, (size_t)rounds);
		ci->spread = (hi - lo) / ci->hz;
	}
	check_invariant(ci);
	return 0;
}
