// SPDX-License-Identifier: MIT
/* Comparison statistics against known values: quickselect median, Mann-Whitney U (scipy's), Holm, bootstrap CI. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/analysis/stats.h"
#include "helpers.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	double a5[] = { 1, 2, 3, 4, 5 }, b5[] = { 6, 7, 8, 9, 10 };
	double at[] = { 1, 2, 2, 3, 4, 4, 4, 5 }, bt[] = { 2, 3, 4, 5, 5, 6, 7 };
	double same[] = { 3.1, 1.2, 5.5, 2.2 };
	double p[] = { 0.01, 0.04, 0.03, 0.005 }, adj[4];
	uint64_t seed = 42;

	/* Reference p-values: scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True). */
	T_CHECK(NEAR(pb_mann_whitney_p(a5, 5, b5, 5), 0.012185780355344813, 1e-12), "MW separated");
	T_CHECK(NEAR(pb_mann_whitney_p(at, 8, bt, 7), 0.11194323153940994, 1e-12), "MW with ties");
	T_CHECK(NEAR(pb_mann_whitney_p(same, 4, same, 4), 1.0, 1e-12), "MW identical");
	T_CHECK(isnan(pb_mann_whitney_p(a5, 0, b5, 5)), "MW empty side");

	/* Holm: sorted p 0.005,0.01,0.03,0.04 times 4,3,2,1 -> 0.02,0.03,0.06,0.06 (monotone). */
	pb_holm(p, 4, adj);
	T_CHECK(NEAR(adj[3], 0.02, 1e-12) && NEAR(adj[0], 0.03, 1e-12), "Holm smallest two");
	T_CHECK(NEAR(adj[2], 0.06, 1e-12) && NEAR(adj[1], 0.06, 1e-12), "Holm monotone tail");

	/* Quickselect median agrees with sorting, odd and even, with duplicates. */
	for (size_t n = 1; n < 300; n += 7) {
		double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));

		for (size_t i = 0; i < n; i++)
			x[i] = y[i] = (double)((i * 7919 + seed) % 97);
		qsort(y, n, sizeof(double), cmp);
		T_CHECK(pb_median_inplace(x, n) == pb_quantile_sorted(y, n, 0.5), "median n=%zu", n);
		free(x);
		free(y);
	}

	/* Bootstrap: a pure 10% shift is inside the CI, and the CI is narrow for 4000 samples. */
	{
		enum { N = 4000 };
		static double xa[N], xb[N];
		const double *ra[1] = { xa }, *rb[1] = { xb };
		size_t na[1] = { N }, nb[1] = { N };
		struct pb_runs A = { ra, na, 1 }, Bs = { rb, nb, 1 };
		double lo, hi, lo2, hi2;

		for (int i = 0; i < N; i++) {
			xa[i] = 100 + (double)((i * 7919) % 1000) / 100.0;
			xb[i] = xa[i] * 1.10;
		}
		T_CHECK(pb_bootstrap_ratio_ci(&A, &Bs, 500, 0.95, 7, &lo, &hi) == 0, "bootstrap runs");
		T_CHECK(lo <= 1.10 + 1e-9 && hi >= 1.10 - 1e-9, "CI [%g, %g] holds 1.10", lo, hi);
		T_CHECK(hi - lo < 0.02, "CI [%g, %g] narrow", lo, hi);
		T_CHECK(pb_bootstrap_ratio_ci(&A, &Bs, 500, 0.95, 7, &lo2, &hi2) == 0 && lo == lo2 &&
				hi == hi2,
			"same seed, same CI");
	}
	/* Hierarchical: runs that disagree widen the CI beyond the within-run one. */
	{
		static double r1[1000], r2[1000], r3[1000], r4[1000];
		const double *ra[2] = { r1, r2 }, *rb[2] = { r3, r4 };
		size_t n2[2] = { 1000, 1000 };
		struct pb_runs A = { ra, n2, 2 }, Bs = { rb, n2, 2 };
		double lo, hi;

		for (int i = 0; i < 1000; i++) {
			double v = 100 + (double)((i * 31) % 100) / 10.0;

			r1[i] = v;
			r2[i] = v * 1.3; /* a second run in a slower machine state */
			r3[i] = v;
			r4[i] = v * 1.3;
		}
		T_CHECK(pb_bootstrap_ratio_ci(&A, &Bs, 500, 0.95, 9, &lo, &hi) == 0, "hierarchical");
		T_CHECK(lo < 0.98 && hi > 1.02, "run-level spread shows: [%g, %g]", lo, hi);
	}
	return t_result();
}
