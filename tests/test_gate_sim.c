// SPDX-License-Identifier: MIT
/*
 * The gate itself on simulated data, where the truth is known. A two-level
 * model: every run drifts as a whole (log-normal, sd 5%, 10% or 20%, as
 * this VM drifts from run to run), and within a run the samples spread like
 * fork's do here (a log-normal core of 4% and a 5% tail up to several times
 * the median). 2,000 A/A pairs at 3 and 5 runs a side: the false "slower"
 * rate must stay at or below 5% (alpha 0.05, threshold 2%) in every
 * setting and the interval must cover the truth about 95% of the time; the
 * power at +5%, +10% and +20% is printed. Seeded: the same numbers every
 * time. test-scope: native (pure arithmetic: tests/run.sh does not run it
 * under qemu-user, where it took 110 s and proved nothing new).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../harness/analysis/gate.h"
#include "../harness/analysis/stats.h"
#include "helpers.h"

#define PAIRS 2000
#define SAMPLES 101   /* per run */
#define THRESHOLD 0.02
#define ALPHA 0.05

static uint64_t rng = 0x5eed0f9a7e5ull;

static double uniform(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

/* log(median) of one run whose level has drifted by drift (log units). */
static double run_log_median(double drift)
{
	double x[SAMPLES];

	for (int i = 0; i < SAMPLES; i++) {
		double v = 70e3 * exp(drift + 0.04 * normal());

		if (uniform() < 0.05) /* the tail: preemption, page-cache misses, ... */
			v *= 1 - 2 * log(uniform());
		x[i] = v;
	}
	return log(pb_median_inplace(x, SAMPLES));
}

static const double effects[] = { 0.05, 0.10, 0.20 };

/* One setting: false alarms, coverage and power; returns the false "slower" rate. */
static double setting(double drift_sd, unsigned runs)
{
	unsigned slower_aa = 0, covered = 0, power[3] = { 0 };
	double sigma = log1p(drift_sd), mde_sum = 0;
	char why[200];

	for (int pair = 0; pair < PAIRS; pair++) {
		double ya[8], yb[8], yshift[8];
		struct pb_gate g;

		for (unsigned r = 0; r < runs; r++) {
			ya[r] = run_log_median(sigma * normal());
			yb[r] = run_log_median(sigma * normal());
		}
		if (pb_gate_interval(ya, runs, yb, runs, 0.95, THRESHOLD, &g))
			return 1;
		slower_aa += pb_gate_verdict(&g, g.p, THRESHOLD, ALPHA, why, sizeof(why)) == PB_SLOWER;
		covered += g.lo <= 1 && g.hi >= 1;
		mde_sum += g.mde;
		/* A change scales every sample of NEW, so it shifts each log median exactly. */
		for (int e = 0; e < 3; e++) {
			for (unsigned r = 0; r < runs; r++)
				yshift[r] = yb[r] + log1p(effects[e]);
			pb_gate_interval(ya, runs, yshift, runs, 0.95, THRESHOLD, &g);
			power[e] += pb_gate_verdict(&g, g.p, THRESHOLD, ALPHA, why, sizeof(why)) ==
				    PB_SLOWER;
		}
	}
	printf("drift %3.0f%%  %u runs a side: false slower %5.2f%%  coverage %5.1f%%  "
	       "power +5%% %5.1f%%  +10%% %5.1f%%  +20%% %5.1f%%  mean detectable %5.1f%%\n",
	       drift_sd * 100, runs, 100.0 * slower_aa / PAIRS, 100.0 * covered / PAIRS,
	       100.0 * power[0] / PAIRS, 100.0 * power[1] / PAIRS, 100.0 * power[2] / PAIRS,
	       100 * mde_sum / PAIRS);
	T_CHECK(covered >= PAIRS * 93 / 100, "coverage %u of %d", covered, PAIRS);
	/* Power grows with the change: the gate sees what it should. */
	T_CHECK(power[0] <= power[1] && power[1] <= power[2], "power not monotonic");
	return (double)slower_aa / PAIRS;
}

int main(void)
{
	static const double drifts[] = { 0.05, 0.10, 0.20 };
	static const unsigned runs[] = { 3, 5 };

	printf("%d simulated A/A pairs per setting, threshold %g%%, alpha %g\n", PAIRS,
	       THRESHOLD * 100, ALPHA);
	for (int d = 0; d < 3; d++)
		for (int r = 0; r < 2; r++) {
			double f = setting(drifts[d], runs[r]);

			T_CHECK(f <= 0.05, "false slower rate %.2f%% at drift %g, %u runs", f * 100,
				drifts[d], runs[r]);
		}
	/* With little drift and 5 runs a side, a +20% change is caught nearly always. */
	{
		unsigned hits = 0;
		char why[200];

		for (int pair = 0; pair < 200; pair++) {
			double ya[5], yb[5];
			struct pb_gate g;

			for (int r = 0; r < 5; r++) {
				ya[r] = run_log_median(log1p(0.05) * normal());
				yb[r] = run_log_median(log1p(0.05) * normal()) + log1p(0.20);
			}
			pb_gate_interval(ya, 5, yb, 5, 0.95, THRESHOLD, &g);
			hits += pb_gate_verdict(&g, g.p, THRESHOLD, ALPHA, why, sizeof(why)) == PB_SLOWER;
		}
		T_CHECK(hits >= 180, "+20%% at 5%% drift, 5 runs: caught %u of 200", hits);
	}
	return t_result();
}
