// SPDX-License-Identifier: MIT
/* The gate's statistics against known values: Student's t (scipy's), Welch's interval, runs-needed, the verdict rule. */
#include <limits.h>
#include <math.h>

#include "../harness/analysis/gate.h"
#include "helpers.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

int main(void)
{
	/* scipy.stats.t.ppf and .cdf */
	static const double q[][3] = {
		{ 0.975, 1, 12.706204736432095 }, { 0.975, 2, 4.302652729911275 },
		{ 0.975, 4, 2.7764451051977987 }, { 0.975, 10, 2.2281388519649385 },
		{ 0.8, 4, 0.94096457719753 },     { 0.975, 2.5, 3.5746548420118773 },
		{ 0.025, 3, -3.1824463052842638 },
	};
	double ya[3], yb[4], up[3], same[3];
	const double va[] = { 100, 102, 98 }, vb[] = { 110, 108, 113, 111 };
	struct pb_gate g;
	char why[200];

	for (unsigned i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		T_CHECK(NEAR(pb_t_quantile(q[i][0], q[i][1]), q[i][2], 1e-8 * fabs(q[i][2])),
			"t quantile p=%g df=%g: %.12g", q[i][0], q[i][1], pb_t_quantile(q[i][0], q[i][1]));
	T_CHECK(NEAR(pb_t_cdf(2.0, 5), 0.9490302605850709, 1e-12), "t cdf");
	T_CHECK(NEAR(pb_t_cdf(-1.3, 2.7), 0.14672632185192247, 1e-12), "t cdf fractional df");
	T_CHECK(isnan(pb_t_quantile(1, 3)) && isnan(pb_t_cdf(1, 0)), "out of domain is NAN");

	/* Welch on log run medians: scipy.stats.ttest_ind(equal_var=False) and the t interval. */
	for (int i = 0; i < 3; i++)
		ya[i] = log(va[i]);
	for (int i = 0; i < 4; i++)
		yb[i] = log(vb[i]);
	T_CHECK(!pb_gate_interval(ya, 3, yb, 4, 0.95, 0.02, &g), "interval from 3 and 4 runs");
	T_CHECK(NEAR(g.ratio, 1.1050002677245523, 1e-12), "ratio %.12g", g.ratio);
	T_CHECK(NEAR(g.df, 4.283098709707941, 1e-9), "Welch df %.12g", g.df);
	T_CHECK(NEAR(g.lo, 1.0613290656385481, 1e-9) && NEAR(g.hi, 1.1504684373613214, 1e-9),
		"interval [%.12g, %.12g]", g.lo, g.hi);
	T_CHECK(NEAR(g.p, 0.0020161198910473997, 1e-9), "Welch p %.12g", g.p);
	T_CHECK(g.mde > 0.02 && g.mde < 0.2, "a detectable change above the threshold: %g", g.mde);
	T_CHECK(pb_gate_verdict(&g, g.p, 0.02, 0.05, why, sizeof(why)) == PB_SLOWER, "slower: %s", why);
	T_CHECK(pb_gate_verdict(&g, 0.2, 0.02, 0.05, why, sizeof(why)) == PB_INCONCLUSIVE,
		"not significant after Holm: inconclusive (%s)", why);

	/* One run on a side: a ratio, but no interval and no verdict. */
	T_CHECK(pb_gate_interval(ya, 1, yb, 4, 0.95, 0.02, &g) == -1 && isnan(g.lo) &&
			NEAR(g.ratio, exp(yb[0] / 4 + yb[1] / 4 + yb[2] / 4 + yb[3] / 4 - ya[0]), 1e-12),
		"one run: ratio only");
	T_CHECK(pb_gate_verdict(&g, 0.0, 0.02, 0.05, why, sizeof(why)) == PB_INCONCLUSIVE,
		"one run: inconclusive (%s)", why);

	/* Identical runs (a deterministic counter): a point interval; equal sides are no change. */
	for (int i = 0; i < 3; i++)
		same[i] = up[i] = log(1000);
	T_CHECK(!pb_gate_interval(same, 3, up, 3, 0.95, 0.01, &g) && g.lo == 1 && g.hi == 1,
		"point interval");
	T_CHECK(pb_gate_verdict(&g, g.p, 0.01, 0.05, why, sizeof(why)) == PB_SAME, "no change: %s", why);

	/* Runs needed: more for smaller changes and larger spreads, none at or below the threshold. */
	T_CHECK(pb_gate_runs_needed(0.03, 0.05, 0.02, 0.95) > pb_gate_runs_needed(0.03, 0.10, 0.02, 0.95),
		"smaller changes need more runs");
	T_CHECK(pb_gate_runs_needed(0.06, 0.10, 0.02, 0.95) > pb_gate_runs_needed(0.03, 0.10, 0.02, 0.95),
		"larger spreads need more runs");
	T_CHECK(pb_gate_runs_needed(0.03, 0.02, 0.02, 0.95) == 0, "a change at the threshold is never called");
	T_CHECK(pb_gate_runs_needed(0.5, 0.05, 0.02, 0.95) == UINT_MAX, "beyond 1000 runs");
	{
		/*
		 * At the runs it names, data with exactly that spread detect the change:
		 * n/2 runs at +a and n/2 at -a (and one at 0 when n is odd) have sd 0.03.
		 */
		unsigned n = pb_gate_runs_needed(0.03, 0.10, 0.02, 0.95);
		double y[64], a = n % 2 ? 0.03 : 0.03 * sqrt((double)(n - 1) / (double)n);

		for (unsigned i = 0; i < n && i < 64; i++)
			y[i] = i == n - 1 && n % 2 ? 0 : i % 2 ? a : -a;
		T_CHECK(n >= 2 && n < 64 && !pb_gate_interval(y, n, y, n, 0.95, 0.02, &g) &&
				NEAR(g.sd, 0.03, 1e-12) && g.mde <= 0.10,
			"%u runs: sd %g, detectable %g, wanted at most 0.10", n, g.sd, g.mde);
	}
	return t_result();
}
