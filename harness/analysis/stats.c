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

static void swap_d(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* k-th smallest (0-based), Hoare-style quickselect with median-of-three pivots. */
static double select_kth(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		double pivot;

		if (x[mid] < x[lo])
			swap_d(&x[mid], &x[lo]);
		if (x[hi] < x[lo])
			swap_d(&x[hi], &x[lo]);
		if (x[hi] < x[mid])
			swap_d(&x[hi], &x[mid]);
		pivot = x[mid];
		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				swap_d(&x[i], &x[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return x[k];
	}
	return x[k];
}

double pb_median_inplace(double *x, size_t n)
{
	double hi_mid;

	if (n == 0)
		return NAN;
	hi_mid = select_kth(x, n, n / 2);
	if (n % 2)
		return hi_mid;
	/* The largest of the lower half now sits below index n/2. */
	{
		double lo_mid = x[0];

		for (size_t i = 1; i < n / 2; i++)
			if (x[i] > lo_mid)
				lo_mid = x[i];
		return (lo_mid + hi_mid) / 2;
	}
}

struct tagged {
	double v;
	int from_a;
};

static int cmp_tagged(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;

	return (x > y) - (x < y);
}

double pb_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t n = na + nb, i = 0;
	struct tagged *t;
	double rank_a = 0, ties = 0, u, mean, var, z;

	if (!na || !nb)
		return NAN;
	t = malloc(n * sizeof(*t));
	if (!t)
		return NAN;
	for (size_t k = 0; k < na; k++)
		t[k] = (struct tagged){ a[k], 1 };
	for (size_t k = 0; k < nb; k++)
		t[na + k] = (struct tagged){ b[k], 0 };
	qsort(t, n, sizeof(*t), cmp_tagged);
	while (i < n) {
		size_t j = i;
		double avg;

		while (j + 1 < n && t[j + 1].v == t[i].v)
			j++;
		avg = (double)(i + j) / 2 + 1; /* ranks are 1-based */
		for (size_t k = i; k <= j; k++)
			if (t[k].from_a)
				rank_a += avg;
		ties += pow((double)(j - i + 1), 3) - (double)(j - i + 1);
		i = j + 1;
	}
	free(t);
	u = rank_a - (double)na * (double)(na + 1) / 2;
	mean = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 *
	      ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (var <= 0)
		return 1;
	z = (fabs(u - mean) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return erfc(z / M_SQRT2);
}

struct idx_p {
	double p;
	size_t i;
};

static int cmp_idx_p(const void *a, const void *b)
{
	double x = ((const struct idx_p *)a)->p, y = ((const struct idx_p *)b)->p;

	return (x > y) - (x < y);
}

void pb_holm(const double *p, size_t n, double *adjusted)
{
	struct idx_p *s = malloc(n * sizeof(*s));
	double running = 0;

	if (!s) {
		for (size_t i = 0; i < n; i++)
			adjusted[i] = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		s[i] = (struct idx_p){ p[i], i };
	qsort(s, n, sizeof(*s), cmp_idx_p);
	for (size_t k = 0; k < n; k++) {
		double v = (double)(n - k) * s[k].p;

		if (v > 1)
			v = 1;
		if (v < running)
			v = running; /* adjusted p-values never decrease */
		running = v;
		adjusted[s[k].i] = v;
	}
	free(s);
}

uint64_t pb_splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t draw(uint64_t *s, size_t n)
{
	return (size_t)(((unsigned __int128)pb_splitmix64(s) * n) >> 64);
}

static size_t total_of(const struct pb_runs *r)
{
	size_t t = 0;

	for (size_t i = 0; i < r->runs; i++)
		t += r->n[i];
	return t;
}

/* One hierarchical resample of a side into buf (sized for its total); returns its length. */
static size_t resample(const struct pb_runs *r, double *buf, size_t cap, uint64_t *s)
{
	size_t len = 0;

	for (size_t k = 0; k < r->runs; k++) {
		size_t run = r->runs > 1 ? draw(s, r->runs) : 0;

		for (size_t i = 0; i < r->n[run] && len < cap; i++)
			buf[len++] = r->x[run][draw(s, r->n[run])];
	}
	return len;
}

int pb_bootstrap_ratio_ci(const struct pb_runs *a, const struct pb_runs *b, unsigned iters,
			  double level, uint64_t seed, double *lo, double *hi)
{
	size_t ta = total_of(a), tb = total_of(b), cap_a, cap_b;
	double *buf_a, *buf_b, *logs;
	int ok = -1;

	if (!ta || !tb || iters < 10)
		return -1;
	/* A resampled run set can be larger than the original when runs differ in size. */
	cap_a = 0;
	for (size_t i = 0; i < a->runs; i++)
		cap_a = a->n[i] > cap_a ? a->n[i] : cap_a;
	cap_a *= a->runs;
	cap_b = 0;
	for (size_t i = 0; i < b->runs; i++)
		cap_b = b->n[i] > cap_b ? b->n[i] : cap_b;
	cap_b *= b->runs;
	buf_a = malloc(cap_a * sizeof(double));
	buf_b = malloc(cap_b * sizeof(double));
	logs = malloc(iters * sizeof(double));
	if (buf_a && buf_b && logs) {
		for (unsigned it = 0; it < iters; it++) {
			size_t la = resample(a, buf_a, cap_a, &seed);
			size_t lb = resample(b, buf_b, cap_b, &seed);

			logs[it] = log(pb_median_inplace(buf_b, lb) / pb_median_inplace(buf_a, la));
		}
		qsort(logs, iters, sizeof(double), cmp_double);
		*lo = exp(pb_quantile_sorted(logs, iters, (1 - level) / 2));
		*hi = exp(pb_quantile_sorted(logs, iters, 1 - (1 - level) / 2));
		ok = 0;
	}
	free(buf_a);
	free(buf_b);
	free(logs);
	return ok;
}
