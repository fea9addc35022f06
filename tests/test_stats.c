// SPDX-License-Identifier: MIT
/* Statistics against known vectors: quantiles, median CI ranks, summaries. */
#include <math.h>

#include "../harness/analysis/stats.h"
#include "helpers.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

int main(void)
{
	double v10[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	double v8[] = { 9, 2, 5, 4, 4, 7, 4, 5 }; /* unsorted on purpose */
	struct pb_summary s;
	size_t lo, hi;
	double cov;

	/* Hyndman-Fan type 7 (R's default, numpy's linear). */
	T_CHECK(NEAR(pb_quantile_sorted(v10, 10, 0.5), 5.5, 1e-12), "p50");
	T_CHECK(NEAR(pb_quantile_sorted(v10, 10, 0.9), 9.1, 1e-12), "p90");
	T_CHECK(NEAR(pb_quantile_sorted(v10, 10, 0.99), 9.91, 1e-12), "p99");
	T_CHECK(pb_quantile_sorted(v10, 10, 0) == 1 && pb_quantile_sorted(v10, 10, 1) == 10, "ends");

	/* Median CI from Binomial(n, 1/2): the classic table's ranks. */
	cov = pb_median_ci_ranks(10, 0.95, &lo, &hi);
	T_CHECK(lo == 1 && hi == 8, "n=10 ranks %zu,%zu", lo, hi);
	T_CHECK(NEAR(cov, 1 - 2 * 11.0 / 1024, 1e-12), "n=10 coverage %g", cov);
	cov = pb_median_ci_ranks(100, 0.95, &lo, &hi);
	T_CHECK(lo == 39 && hi == 60, "n=100 ranks %zu,%zu (1-based 40,61)", lo, hi);
	T_CHECK(cov >= 0.95 && cov < 0.97, "n=100 coverage %g", cov);
	cov = pb_median_ci_ranks(6, 0.95, &lo, &hi);
	T_CHECK(lo == 0 && hi == 5 && NEAR(cov, 1 - 2.0 / 64, 1e-12), "n=6: [min,max] at 96.9%%");
	T_CHECK(pb_median_ci_ranks(5, 0.95, &lo, &hi) == 0, "n=5 is too small for 95%%");
	cov = pb_median_ci_ranks(10000, 0.95, &lo, &hi);
	T_CHECK(lo + hi == 9999, "n=10000 symmetric ranks %zu,%zu", lo, hi);
	/* Normal approximation: half-width 1.96 * sqrt(n) / 2 = 98 ranks. */
	T_CHECK(lo >= 4899 && lo <= 4903, "n=10000 lower rank %zu", lo);
	T_CHECK(cov >= 0.95 && cov < 0.953, "n=10000 coverage %g", cov);

	/* Summaries. */
	T_CHECK(pb_summarize(v8, 1, 0.95, &s) == -1, "refuses one sample");
	T_CHECK(pb_summarize(v8, 8, 0.95, &s) == 0, "summarizes");
	T_CHECK(NEAR(s.mean, 5, 1e-12), "mean %g", s.mean);
	T_CHECK(NEAR(s.stddev, sqrt(32.0 / 7), 1e-12), "sample stddev %g", s.stddev);
	T_CHECK(s.min == 2 && s.max == 9 && NEAR(s.p50, 4.5, 1e-12), "min/max/p50");
	T_CHECK(s.ci_valid && s.ci_lo == 2 && s.ci_hi == 9, "n=8 CI is [X(1), X(8)]");
	T_CHECK(v8[0] == 9, "input left unsorted");
	T_CHECK(isinf(pb_ci_rel_width(&(struct pb_summary){ .ci_valid = 0 })), "invalid CI width");
	return t_result();
}
