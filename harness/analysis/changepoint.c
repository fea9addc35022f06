// SPDX-License-Identifier: MIT
/*
 * E-divisive with means (changepoint.h). One split of n runs costs
 * O(n log n): with alpha = 1 every sum of distances the statistic needs moves
 * by one run's distances to the runs on its left and right as tau advances,
 * and those come from a Fenwick tree over the runs' ranks (the distance of a
 * run to all others from prefix sums of the sorted values). A shuffle keeps
 * each run's value, rank and total distance, so a permutation test only
 * re-walks the tree.
 */
#include "changepoint.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct run {
	double v;   /* the value, centred on the segment's mean */
	size_t rk;  /* its rank among the segment's values (ties broken by position) */
	double d;   /* the sum of its distances to every run of the segment */
};

struct seg {
	struct run *r, *w; /* the runs in order, and a shuffled copy */
	size_t n;
	double *fc, *fs;   /* the Fenwick tree: counts and sums by rank (1-based) */
};

struct ranked {
	double v;
	size_t i;
};

static int by_value(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void seg_free(struct seg *s)
{
	free(s->r);
	free(s->w);
	free(s->fc);
	free(s->fs);
}

static int seg_init(struct seg *s, const double *y, size_t n)
{
	struct ranked *k = malloc(n * sizeof(*k));
	double mean = 0, below = 0, total = 0;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->r = malloc(n * sizeof(*s->r));
	s->w = malloc(n * sizeof(*s->w));
	s->fc = calloc(n + 1, sizeof(double));
	s->fs = calloc(n + 1, sizeof(double));
	if (!k || !s->r || !s->w || !s->fc || !s->fs) {
		free(k);
		seg_free(s);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		mean += y[i] / (double)n;
	for (size_t i = 0; i < n; i++) {
		k[i].v = y[i] - mean;
		k[i].i = i;
		total += k[i].v;
	}
	qsort(k, n, sizeof(*k), by_value);
	for (size_t j = 0; j < n; j++) {
		struct run *r = &s->r[k[j].i];
		double v = k[j].v;

		r->v = v;
		r->rk = j;
		/* below: the sum of the j values under this one; above, what is left */
		r->d = v * (double)j - below + (total - below - v) - v * (double)(n - 1 - j);
		below += v;
	}
	free(k);
	return 0;
}

/* The best split of runs r[0..n) in this order: tau (runs on the left) and Q. */
static double best_split(struct seg *s, const struct run *r, size_t min, size_t *tau)
{
	size_t n = s->n;
	double a = 0, b = 0, c = 0, left_sum = 0, best = -INFINITY;

	for (size_t i = 0; i <= n; i++)
		s->fc[i] = s->fs[i] = 0;
	for (size_t i = 0; i < n; i++)
		c += r[i].d / 2;
	*tau = 0;
	for (size_t t = 0; t + min <= n; t++) {
		double cl = 0, sl = 0, v = r[t].v, l, rt;
		size_t m = t + 1, k = n - m;

		for (size_t i = r[t].rk; i > 0; i -= i & -i) { /* ranks below r[t]'s */
			cl += s->fc[i];
			sl += s->fs[i];
		}
		l = v * cl - sl + (left_sum - sl) - v * ((double)t - cl);
		rt = r[t].d - l;
		b += l;
		c -= rt;
		a += rt - l;
		for (size_t i = r[t].rk + 1; i <= n; i += i & -i) {
			s->fc[i] += 1;
			s->fs[i] += v;
		}
		left_sum += v;
		if (m < min || k < min)
			continue;
		double e = 2 * a / ((double)m * (double)k) - b / ((double)m * (double)(m - 1) / 2) -
			   c / ((double)k * (double)(k - 1) / 2);
		double q = (double)m * (double)k / (double)(m + k) * e;

		if (q > best) {
			best = q;
			*tau = m;
		}
	}
	return best;
}

static int at_least(double q, double q_obs)
{
	/* Orderings that reproduce the observed one give the same Q up to rounding. */
	return q >= q_obs - 1e-9 * fabs(q_obs);
}

/* Exact: every ordering of the segment (Heap's algorithm), counting those as extreme. */
static double p_exact(struct seg *s, size_t min, double q_obs)
{
	size_t n = s->n, c[PB_CP_EXACT_MAX] = { 0 }, tau;
	double all = 1, ge = 1; /* the identity ordering */

	memcpy(s->w, s->r, n * sizeof(*s->w));
	for (size_t i = 1; i < n;) {
		if (c[i] < i) {
			struct run t;
			size_t j = i % 2 ? c[i] : 0;

			t = s->w[j];
			s->w[j] = s->w[i];
			s->w[i] = t;
			all += 1;
			ge += at_least(best_split(s, s->w, min, &tau), q_obs);
			c[i]++;
			i = 1;
		} else {
			c[i] = 0;
			i++;
		}
	}
	return ge / all;
}

static double p_shuffled(struct seg *s, const struct pb_cp_opts *o, double q_obs, uint64_t seed)
{
	size_t n = s->n, tau;
	unsigned ge = 0;

	memcpy(s->w, s->r, n * sizeof(*s->w));
	for (unsigned k = 1; k <= o->perms; k++) {
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)(pb_splitmix64(&seed) % (i + 1));
			struct run t = s->w[i];

			s->w[i] = s->w[j];
			s->w[j] = t;
		}
		ge += at_least(best_split(s, s->w, o->min_size, &tau), q_obs);
		/* Past this count the p stays above alpha whatever the remaining shuffles give. */
		if ((double)(ge + 1) > o->alpha * (double)(o->perms + 1))
			return (double)(ge + 1) / (double)(k + 1);
	}
	return (double)(ge + 1) / (double)(o->perms + 1);
}

int pb_edivisive_split(const double *y, size_t n, size_t min_size, size_t *tau, double *q)
{
	struct seg s;

	if (min_size < 2)
		min_size = 2;
	if (n < 2 * min_size)
		return -1;
	if (seg_init(&s, y, n))
		return -1;
	*q = best_split(&s, s.r, min_size, tau);
	seg_free(&s);
	return 0;
}

long pb_edivisive(const double *y, size_t n, const struct pb_cp_opts *o,
		  struct pb_changepoint *cp, size_t max)
{
	struct pb_cp_opts opt = *o;
	size_t (*stack)[2], top = 0, found = 0;

	if (opt.min_size < 2)
		opt.min_size = 2;
	if (!opt.perms)
		opt.perms = PB_CP_PERMS;
	if (n < 2 * opt.min_size || !max)
		return 0;
	/* Every split adds one segment to test; n / min_size bounds them. */
	stack = malloc((n / opt.min_size + 2) * sizeof(*stack));
	if (!stack)
		return -1;
	stack[top][0] = 0;
	stack[top++][1] = n;
	while (top && found < max) {
		size_t a = stack[--top][0], b = stack[top][1], tau;
		struct seg s;
		double q, p;

		if (b - a < 2 * opt.min_size)
			continue;
		if (seg_init(&s, y + a, b - a)) {
			free(stack);
			return -1;
		}
		q = best_split(&s, s.r, opt.min_size, &tau);
		if (!(q > 0))
			p = 1; /* runs that agree (or a split no better than none) */
		else if (s.n <= PB_CP_EXACT_MAX)
			p = p_exact(&s, opt.min_size, q);
		else
			p = p_shuffled(&s, &opt, q, opt.seed ^ ((uint64_t)a << 32) ^ (uint64_t)b);
		seg_free(&s);
		if (p > opt.alpha)
			continue;
		cp[found].at = a + tau;
		cp[found].q = q;
		cp[found].p = p;
		cp[found++].exact = b - a <= PB_CP_EXACT_MAX;
		stack[top][0] = a;
		stack[top++][1] = a + tau;
		stack[top][0] = a + tau;
		stack[top++][1] = b;
	}
	free(stack);
	for (size_t i = 1; i < found; i++) /* in index order */
		for (size_t j = i; j > 0 && cp[j - 1].at > cp[j].at; j--) {
			struct pb_changepoint t = cp[j];

			cp[j] = cp[j - 1];
			cp[j - 1] = t;
		}
	return (long)found;
}
