// SPDX-License-Identifier: MIT
/* The regression gate's statistics (gate.h): Welch's t on log run medians. */
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "gate.h"

const char *const pb_verdict_names[PB_NVERDICTS] = { "slower", "faster", "no change",
						     "inconclusive" };

/*
 * The continued fraction of the regularized incomplete beta function
 * I_x(a, b), evaluated by the modified Lentz method; converges quickly
 * for x < (a + 1) / (a + b + 2).
 */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, num, delta;

		num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return h;
}

/* I_x(a, b). */
static double beta_reg(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double pb_t_cdf(double t, double df)
{
	double tail;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return t > 0 ? 1 : 0;
	/* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
	tail = beta_reg(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? 1 - tail / 2 : tail / 2;
}

double pb_t_quantile(double p, double df)
{
	double lo = -1, hi = 1;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	while (pb_t_cdf(lo, df) > p)
		lo *= 2;
	while (pb_t_cdf(hi, df) < p)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * (1 + fabs(lo)); i++) {
		double mid = (lo + hi) / 2;

		if (pb_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static void mean_var(const double *y, size_t n, double *mean, double *var)
{
	double m = 0, v = 0;

	for (size_t i = 0; i < n; i++)
		m += y[i];
	m /= (double)n;
	for (size_t i = 0; i < n; i++)
		v += (y[i] - m) * (y[i] - m);
	*mean = m;
	*var = n > 1 ? v / (double)(n - 1) : NAN;
}

int pb_gate_interval(const double *ya, size_t na, const double *yb, size_t nb, double level,
		     double threshold, struct pb_gate *g)
{
	double ma, va, mb, vb, qa, qb, t;

	g->na = na;
	g->nb = nb;
	g->typical_a = g->typical_b = g->ratio = NAN;
	g->lo = g->hi = g->p = g->df = g->se = g->sd = g->mde = NAN;
	if (!na || !nb)
		return -1;
	mean_var(ya, na, &ma, &va);
	mean_var(yb, nb, &mb, &vb);
	g->typical_a = exp(ma);
	g->typical_b = exp(mb);
	g->ratio = exp(mb - ma);
	if (na < PB_GATE_MIN_RUNS || nb < PB_GATE_MIN_RUNS)
		return -1;
	qa = va / (double)na;
	qb = vb / (double)nb;
	g->sd = sqrt(((double)(na - 1) * va + (double)(nb - 1) * vb) / (double)(na + nb - 2));
	g->se = sqrt(qa + qb);
	if (g->se == 0) {
		/* Identical runs on both sides (a deterministic counter): the interval is a point. */
		g->df = (double)(na + nb - 2);
		g->lo = g->hi = g->ratio;
		g->p = mb == ma ? 1 : 0;
		g->mde = threshold;
		return 0;
	}
	/* Welch-Satterthwaite. */
	g->df = (qa + qb) * (qa + qb) /
		(qa * qa / (double)(na - 1) + qb * qb / (double)(nb - 1));
	t = pb_t_quantile(1 - (1 - level) / 2, g->df);
	g->lo = exp(mb - ma - t * g->se);
	g->hi = exp(mb - ma + t * g->se);
	g->p = 2 * (1 - pb_t_cdf(fabs(mb - ma) / g->se, g->df));
	g->mde = exp(log1p(threshold) + (t + pb_t_quantile(PB_GATE_POWER, g->df)) * g->se) - 1;
	return 0;
}

unsigned pb_gate_runs_needed(double sd, double change, double threshold, double level)
{
	double need = log1p(change) - log1p(threshold);

	if (!(need > 0) || isnan(sd))
		return 0;
	for (unsigned n = PB_GATE_MIN_RUNS; n <= 1000; n++) {
		double df = 2.0 * n - 2, se = sd * sqrt(2.0 / n);

		if ((pb_t_quantile(1 - (1 - level) / 2, df) + pb_t_quantile(PB_GATE_POWER, df)) * se <=
		    need)
			return n;
	}
	return UINT_MAX;
}

enum pb_verdict pb_gate_verdict(const struct pb_gate *g, double p_adj, double threshold,
				double alpha, char *why, size_t len)
{
	double up = 1 + threshold, down = 1 - threshold;

	if (isnan(g->lo)) {
		snprintf(why, len, "%zu and %zu runs: fewer than %d runs on a side leave the drift "
				   "between runs unknown; pass several runs a side",
			 g->na, g->nb, PB_GATE_MIN_RUNS);
		return PB_INCONCLUSIVE;
	}
	if (p_adj < alpha && g->lo > up) {
		snprintf(why, len, "CI above +%g%% and significant", threshold * 100);
		return PB_SLOWER;
	}
	if (p_adj < alpha && g->hi < down) {
		snprintf(why, len, "CI below -%g%% and significant", threshold * 100);
		return PB_FASTER;
	}
	if (g->lo >= down && g->hi <= up) {
		snprintf(why, len, "CI within +-%g%%", threshold * 100);
		return PB_SAME;
	}
	snprintf(why, len, "CI straddles the +-%g%% threshold%s", threshold * 100,
		 p_adj < alpha ? "" : " and the difference is not significant");
	return PB_INCONCLUSIVE;
}
