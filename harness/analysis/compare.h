/* SPDX-License-Identifier: MIT */
/*
 * Comparing finished results, as pure steps on a struct pb_comparison:
 * load both sides (each one or more runs), pair their benchmarks, then for
 * every pair the ratio of medians NEW/BASE with a CI that resamples runs as
 * units, a Mann-Whitney U p-value with Holm's correction, and a verdict
 * against the threshold. Nothing here prints; report/compare_out.c does,
 * and controller/compare_main.c is the command.
 */
#ifndef PB_COMPARE_H
#define PB_COMPARE_H

#include <stddef.h>

#include "results_read.h"
#include "../protocol/counters.h"

#define PB_CMP_MAX_RUNS 64
#define PB_CMP_MIN_SAMPLES 20

struct pb_cmp_side {
	struct pb_results runs[PB_CMP_MAX_RUNS];
	size_t nruns;
	const char *given;            /* the comma list as given */
};

/* A perf counter's per-creation values, BASE vs NEW (secondary: never a verdict). */
struct pb_cmp_counter {
	const char *name;
	double base, new_, ratio, lo, hi, p;
};

struct pb_cmp_row {
	const char *name;
	double med_a, med_b, ratio, lo, hi, p, p_adj;
	size_t n_a, n_b;
	const char *verdict;          /* slower, faster, no change, inconclusive */
	char why[128];
	struct pb_cmp_counter counters[PB_NCOUNTERS];
	unsigned ncounters;
};

/* A context field that differs between the sides, or a benchmark's shape or placement. */
struct pb_cmp_diff {
	char what[320];
	char base[128], new_[128];    /* "" for a benchmark's difference (all in what) */
};

struct pb_cmp_unpaired {
	const char *name;
	const char *base_status, *new_status; /* NULL: absent on that side */
};

enum { PB_CMP_SLOWER, PB_CMP_FASTER, PB_CMP_SAME, PB_CMP_INCONCLUSIVE, PB_CMP_NVERDICTS };

struct pb_comparison {
	/* Settings (filled by the caller before pb_compare_load). */
	double threshold, alpha;
	unsigned iters;
	int match_method;             /* pair by method, not by full point name */
	/* Inputs and results. */
	struct pb_cmp_side a, b;
	struct pb_cmp_row *rows;
	size_t nrows;
	struct pb_cmp_diff *diffs;
	size_t ndiffs, ncontext_diffs; /* the first ncontext_diffs are the context's */
	struct pb_cmp_unpaired *unpaired; /* only on one side, or not ok on one */
	size_t nunpaired;
	int counts[PB_CMP_NVERDICTS];
	double geomean;
	int regressed;
};

/* Load both sides (comma lists of results files): 0, or -1 with a one-line reason in err. */
int pb_compare_load(struct pb_comparison *c, const char *base, const char *new_, char *err,
		    size_t errlen);
/* Pair, measure and decide: 0, or -1 when out of memory. */
int pb_compare_run(struct pb_comparison *c);
void pb_compare_free(struct pb_comparison *c);
/* "wall" or "instructions". */
const char *pb_compare_time_base(const struct pb_comparison *c);

#endif
