// SPDX-License-Identifier: MIT
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double pb_quantile_sorted(const double *x, size_t n, double q)
{
	double pos, frac;
	size_t i;

	if (n == 0)
		return NAN;
	if (q <= 0)
		return x[0];
	if (q >= 1)
		return x[n - 1];
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + frac * (x[i + 1] - x[i]);
}

/* log P(B = k) for B ~ Binomial(n, 1/2). */
static double log_binom_half(size_t n, size_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) -
	       (double)n * M_LN2;
}

double pb_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi)
{
	double alpha = 1 - level, tail = 0, next;
	size_t j = 0;

	/*
	 * [X_(j+1), X_(n-j)] (1-based) covers the median with probability
	 * 1 - 2 P(B <= j). Take the largest j keeping that >= level.
	 */
	if (n < 2)
		return 0;
	/* Mass below n/2 - 6 sigma (sigma = sqrt(n)/2) is under 1e-9: skip it. */
	if (n > 400)
		j = n / 2 - (size_t)(3 * sqrt((double)n));
	for (;;) {
		next = tail + exp(log_binom_half(n, j));
		if (2 * next > alpha || j + 1 > n / 2)
			break;
		tail = next;
		j++;
	}
	if (j == 0)
		return 0; /* even [min, max] falls short of the level */
	*lo = j - 1;
	*hi = n - j;
	return 1 - 2 * tail;
}

int pb_summarize(const double *x, size_t n, double ci_level, struct pb_summary *out)
{
	double *s, sum = 0, sq = 0;
	size_t i, lo, hi;

	memset(out, 0, sizeof(*out));
	if (n < 2)
		return -1;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	for (i = 0; i < n; i++)
		sum += s[i];
	out->n = n;
	out->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += (s[i] - out->mean) * (s[i] - out->mean);
	out->stddev = sqrt(sq / (double)(n - 1));
	out->min = s[0];
	out->max = s[n - 1];
	out->p50 = pb_quantile_sorted(s, n, 0.5);
	out->p90 = pb_quantile_sorted(s, n, 0.9);
	out->p99 = pb_quantile_sorted(s, n, 0.99);
	out->p999 = pb_quantile_sorted(s, n, 0.999);
	out->ci_level = pb_median_ci_ranks(n, ci_level, &lo, &hi);
	out->ci_valid = out->ci_level > 0;
	if (out->ci_valid) {
		out->ci_lo = s[lo];
		out->ci_hi = s[hi];
	} else {
		out->ci_lo = out->ci_hi = NAN;
	}
	free(s);
	return 0;
}

double pb_ci_rel_width(const struct pb_summary *s)
{
	if (!s->ci_valid || s->p50 <= 0)
		return INFINITY;
	return (s->ci_hi - s->ci_lo) / s->p50;
}
