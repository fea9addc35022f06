// SPDX-License-Identifier: MIT
/* The cost model (analysis/model.h) on synthetic sweeps with known answers, and its refusals. */
/* test-scope: native */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../harness/analysis/model.h"
#include "../harness/analysis/stats.h"
#include "helpers.h"

#define NP 14
#define NS 301

static double samples[NP][NS];

/* A deterministic noise in [-1, 1). */
static double noise(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return ((*s >> 8) & 0xffff) / 32768.0 - 1;
}

/* base 250000 + 2900 x MiB + 1100 x mappings, sampled with noise of +-amp; points p. */
static void sweep(struct pb_mpoint *p, double amp, int vma_follows_mib)
{
	static const double mib[7] = { 0, 1, 4, 16, 64, 256, 1024 };
	unsigned s = 7;

	for (int i = 0; i < NP; i++) {
		double truth;

		memset(&p[i], 0, sizeof(p[i]));
		p[i].x[PB_MT_MIB] = mib[i % 7];
		p[i].x[PB_MT_VMA] = vma_follows_mib ? 8 + 2 * mib[i % 7] : 8 + (i / 7) * 500;
		truth = 250000 + 2900 * p[i].x[PB_MT_MIB] + 1100 * p[i].x[PB_MT_VMA];
		for (int j = 0; j < NS; j++)
			samples[i][j] = truth * (1 + amp * noise(&s));
		p[i].s = samples[i];
		p[i].n = NS;
		p[i].y = truth; /* the noise is symmetric: its median is near the truth */
		p[i].sd = truth * amp / sqrt(NS);
	}
}

int main(void)
{
	struct pb_mpoint p[NP];
	struct pb_mfit f;
	char err[300];
	const unsigned both = (1u << PB_MT_MIB) | (1u << PB_MT_VMA);

	/* Exact points: the coefficients to nine digits, intervals from the floor only. */
	sweep(p, 0, 0);
	T_CHECK(!pb_model_fit(p, NP, both, 200, 1, &f, err, sizeof(err)), "exact fit: %s", err);
	T_CHECK(fabs(f.coef[PB_MT_BASE] / 250000 - 1) < 1e-9 && fabs(f.coef[PB_MT_MIB] / 2900 - 1) < 1e-9 &&
			fabs(f.coef[PB_MT_VMA] / 1100 - 1) < 1e-9 && f.r2 > 0.999999999 && f.widen == 1,
		"exact: base %.3f per_mib %.6f per_vma %.6f r2 %.12f widen %g", f.coef[PB_MT_BASE],
		f.coef[PB_MT_MIB], f.coef[PB_MT_VMA], f.r2, f.widen);
	T_CHECK(f.lo[PB_MT_MIB] <= 2900 && f.hi[PB_MT_MIB] >= 2900 && f.hi[PB_MT_MIB] - f.lo[PB_MT_MIB] < 1,
		"exact: per_mib interval [%f, %f]", f.lo[PB_MT_MIB], f.hi[PB_MT_MIB]);

	/* Noisy samples: the bootstrap's intervals hold the truth and are not empty. */
	sweep(p, 0.05, 0);
	for (int i = 0; i < NP; i++) {
		double x[NS];

		memcpy(x, p[i].s, sizeof(x));
		p[i].y = pb_median_inplace(x, NS);
	}
	T_CHECK(!pb_model_fit(p, NP, both, 500, 1, &f, err, sizeof(err)), "noisy fit: %s", err);
	T_CHECK(f.boot == 500, "bootstrap used: %u", f.boot);
	for (unsigned t = 0; t < 3; t++) {
		double truth = t == 0 ? 250000 : t == 1 ? 2900 : 1100;

		printf("noisy: %s %.2f [%.2f, %.2f] (truth %.0f)\n", pb_mterm_names[t], f.coef[t], f.lo[t],
		       f.hi[t], truth);
		T_CHECK(f.lo[t] < truth && truth < f.hi[t] && f.lo[t] < f.coef[t] && f.coef[t] < f.hi[t],
			"%s: %f not in [%f, %f]", pb_mterm_names[t], truth, f.lo[t], f.hi[t]);
	}
	/* Without samples: the normal interval from the points' errors. */
	for (int i = 0; i < NP; i++)
		p[i].s = NULL;
	T_CHECK(!pb_model_fit(p, NP, both, 500, 1, &f, err, sizeof(err)) && f.boot == 0 &&
			f.lo[PB_MT_MIB] < 2900 && 2900 < f.hi[PB_MT_MIB],
		"no samples: boot %u, per_mib [%f, %f]", f.boot, f.lo[PB_MT_MIB], f.hi[PB_MT_MIB]);

	/* A curve fitted by a line: misfit widens the intervals. */
	sweep(p, 0, 0);
	for (int i = 0; i < NP; i++)
		p[i].y += 0.5 * p[i].x[PB_MT_MIB] * p[i].x[PB_MT_MIB];
	T_CHECK(!pb_model_fit(p, NP, both, 0, 1, &f, err, sizeof(err)) && f.widen > 10 && f.r2 < 1,
		"misfit: widen %g chi2/dof %g", f.widen, f.chi2_dof);

	/* Refusals: one line each, naming the problem. */
	sweep(p, 0, 1);
	T_CHECK(pb_model_fit(p, NP, both, 0, 1, &f, err, sizeof(err)) == -1 && strstr(err, "per_vma") &&
			strstr(err, "cannot be told apart"),
		"collinear: %s", err);
	sweep(p, 0, 0);
	T_CHECK(pb_model_fit(p, 1, both, 0, 1, &f, err, sizeof(err)) == -1 && strstr(err, "a model needs a sweep"),
		"one point: %s", err);
	T_CHECK(pb_model_fit(p, 3, both, 0, 1, &f, err, sizeof(err)) == -1 && strstr(err, "more points than terms"),
		"three points, three terms: %s", err);
	T_CHECK(pb_model_fit(p, NP, 1u << PB_MT_THREAD, 0, 1, &f, err, sizeof(err)) == -1 &&
			strstr(err, "per_thread") && strstr(err, "do not vary"),
		"a term at 0 everywhere: %s", err);
	for (int i = 0; i < NP; i++)
		p[i].x[PB_MT_FD] = 6;
	T_CHECK(pb_model_fit(p, NP, 1u << PB_MT_FD, 0, 1, &f, err, sizeof(err)) == -1 &&
			strstr(err, "per_fd") && strstr(err, "cannot be told apart"),
		"a constant term: %s", err);
	p[3].y = NAN;
	T_CHECK(pb_model_fit(p, NP, both, 0, 1, &f, err, sizeof(err)) == -1 && strstr(err, "point 4"),
		"NaN: %s", err);
	return t_result();
}
