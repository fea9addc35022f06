// SPDX-License-Identifier: MIT
/* A sweep's cost model: weighted least squares with bootstrap intervals (model.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "stats.h"

const char *const pb_mterm_names[PB_MT_COUNT] = { "base", "per_mib", "per_vma", "per_thread",
						  "per_fd" };
const char *const pb_mterm_units[PB_MT_COUNT] = { "creation", "resident MiB", "mapping",
						  "thread", "open file" };

/* A column this much smaller after the earlier ones are taken out moves with them. */
#define SEPARABLE 1e-9

struct qr {
	size_t m;
	unsigned k;
	unsigned term[PB_MT_COUNT]; /* column -> enum pb_mterm */
	double scale[PB_MT_COUNT];  /* a column's largest |x|: columns are fitted as x / scale */
	double rdiag[PB_MT_COUNT];
	double *a;                  /* k columns of m: Householder vectors below, R above */
	double *sd;                 /* each point's standard error (floored) */
};

/* Householder QR of the weighted, scaled design; the first column not separable, or -1. */
static int factor(struct qr *q)
{
	size_t m = q->m;

	for (unsigned c = 0; c < q->k; c++) {
		double *col = q->a + c * m, before = 0, nrm = 0;

		for (size_t i = 0; i < m; i++)
			before += col[i] * col[i];
		for (size_t i = c; i < m; i++)
			nrm = hypot(nrm, col[i]);
		if (!(nrm > SEPARABLE * sqrt(before)))
			return (int)c;
		if (col[c] < 0)
			nrm = -nrm;
		for (size_t i = c; i < m; i++)
			col[i] /= nrm;
		col[c] += 1;
		for (unsigned j = c + 1; j < q->k; j++) {
			double *cj = q->a + j * m, s = 0;

			for (size_t i = c; i < m; i++)
				s += col[i] * cj[i];
			s = -s / col[c];
			for (size_t i = c; i < m; i++)
				cj[i] += s * col[i];
		}
		q->rdiag[c] = -nrm;
	}
	return -1;
}

/* Least squares for the right-hand side b (m values, overwritten): the scaled coefficients. */
static void solve(const struct qr *q, double *b, double *beta)
{
	size_t m = q->m;

	for (unsigned c = 0; c < q->k; c++) {
		const double *col = q->a + c * m;
		double s = 0;

		for (size_t i = c; i < m; i++)
			s += col[i] * b[i];
		s = -s / col[c];
		for (size_t i = c; i < m; i++)
			b[i] += s * col[i];
	}
	for (int c = (int)q->k - 1; c >= 0; c--) {
		double v = b[c];

		for (unsigned j = (unsigned)c + 1; j < q->k; j++)
			v -= q->a[j * m + (size_t)c] * beta[j];
		beta[c] = v / q->rdiag[c];
	}
}

/* The coefficients' variances from (R'R)^-1 (the points' variances known), unscaled. */
static void variances(const struct qr *q, double *var)
{
	double rinv[PB_MT_COUNT][PB_MT_COUNT] = { { 0 } };
	size_t m = q->m;

	for (int c = (int)q->k - 1; c >= 0; c--) {
		rinv[c][c] = 1 / q->rdiag[c];
		for (unsigned j = (unsigned)c + 1; j < q->k; j++) {
			double s = 0;

			for (unsigned l = (unsigned)c + 1; l <= j; l++)
				s += q->a[l * m + (size_t)c] * rinv[l][j];
			rinv[c][j] = -s / q->rdiag[c];
		}
	}
	for (unsigned c = 0; c < q->k; c++) {
		double s = 0;

		for (unsigned j = c; j < q->k; j++)
			s += rinv[c][j] * rinv[c][j];
		var[c] = s / (q->scale[c] * q->scale[c]);
	}
}

static double xval(const struct pb_mpoint *p, unsigned term)
{
	return term == PB_MT_BASE ? 1 : p->x[term];
}

double pb_model_predict(const struct pb_mfit *f, const double *x)
{
	double y = f->coef[PB_MT_BASE];

	for (unsigned t = 1; t < PB_MT_COUNT; t++)
		if (f->terms & (1u << t))
			y += f->coef[t] * x[t];
	return y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Each replicate: every point's samples resampled, their medians refitted. */
static int bootstrap(const struct qr *q, const struct pb_mpoint *p, unsigned boot, uint64_t seed,
		     double *lo, double *hi)
{
	size_t m = q->m, most = 0;
	double *coefs, *buf, *b;
	int r = -1;

	for (size_t i = 0; i < m; i++)
		most = p[i].n > most ? p[i].n : most;
	coefs = malloc((size_t)boot * q->k * sizeof(double));
	buf = malloc((most ? most : 1) * sizeof(double));
	b = malloc(m * sizeof(double));
	if (!coefs || !buf || !b)
		goto out;
	for (unsigned rep = 0; rep < boot; rep++) {
		double beta[PB_MT_COUNT];

		for (size_t i = 0; i < m; i++) {
			for (size_t j = 0; j < p[i].n; j++)
				buf[j] = p[i].s[pb_splitmix64(&seed) % p[i].n];
			b[i] = pb_median_inplace(buf, p[i].n) / q->sd[i];
		}
		solve(q, b, beta);
		for (unsigned c = 0; c < q->k; c++)
			coefs[(size_t)c * boot + rep] = beta[c] / q->scale[c];
	}
	for (unsigned c = 0; c < q->k; c++) {
		double *v = coefs + (size_t)c * boot;

		qsort(v, boot, sizeof(double), cmp_double);
		lo[c] = pb_quantile_sorted(v, boot, 0.025);
		hi[c] = pb_quantile_sorted(v, boot, 0.975);
	}
	r = 0;
out:
	free(coefs);
	free(buf);
	free(b);
	return r;
}

int pb_model_fit(const struct pb_mpoint *p, size_t n, unsigned terms, unsigned boot, uint64_t seed,
		 struct pb_mfit *f, char *err, size_t errlen)
{
	struct qr q = { .m = n };
	double beta[PB_MT_COUNT], var[PB_MT_COUNT], *b = NULL, mean = 0, ss = 0, sr = 0, chi2 = 0;
	double blo[PB_MT_COUNT], bhi[PB_MT_COUNT];
	int bad, r = -1, use_boot = boot > 0;

	memset(f, 0, sizeof(*f));
	terms |= 1u << PB_MT_BASE;
	for (unsigned t = 0; t < PB_MT_COUNT; t++)
		if (terms & (1u << t))
			q.term[q.k++] = t;
	if (n < 2) {
		snprintf(err, errlen, "%zu point: a model needs a sweep, points that differ in memory, "
			 "mappings, threads or files (procbench sweep)", n);
		return -1;
	}
	if (n <= q.k) {
		snprintf(err, errlen, "%zu points for %u terms: a fit needs more points than terms "
			 "(sweep more values, or fit fewer terms)", n, q.k);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int finite = isfinite(p[i].y) && isfinite(p[i].sd) && p[i].sd >= 0;

		for (unsigned c = 1; c < q.k; c++)
			finite = finite && isfinite(p[i].x[q.term[c]]);
		if (!finite) {
			snprintf(err, errlen, "point %zu has a value that is not a finite number: "
				 "validate its results file", i + 1);
			return -1;
		}
		use_boot = use_boot && p[i].s && p[i].n;
	}
	q.a = calloc(q.k * n, sizeof(double));
	q.sd = calloc(n, sizeof(double));
	b = calloc(n, sizeof(double));
	if (!q.a || !q.sd || !b) {
		snprintf(err, errlen, "out of memory for %zu points", n);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		double floor = PB_MODEL_REL_FLOOR * fabs(p[i].y);

		q.sd[i] = p[i].sd > floor ? p[i].sd : floor > 0 ? floor : 1e-9;
	}
	for (unsigned c = 0; c < q.k; c++) {
		q.scale[c] = 0;
		for (size_t i = 0; i < n; i++)
			q.scale[c] = fmax(q.scale[c], fabs(xval(&p[i], q.term[c])));
		if (q.scale[c] == 0) {
			snprintf(err, errlen, "%s: its regressor is 0 at every point, so these points "
				 "do not vary it (sweep it, or leave the term out)", pb_mterm_names[q.term[c]]);
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			q.a[c * n + i] = xval(&p[i], q.term[c]) / q.scale[c] / q.sd[i];
	}
	if ((bad = factor(&q)) >= 0) {
		snprintf(err, errlen, "%s cannot be told apart from the other terms over these points "
			 "(it does not vary, or moves with another): sweep it on its own, or leave it out",
			 pb_mterm_names[q.term[bad]]);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		b[i] = p[i].y / q.sd[i];
	solve(&q, b, beta);
	variances(&q, var);
	f->terms = terms;
	for (unsigned c = 0; c < q.k; c++)
		f->coef[q.term[c]] = beta[c] / q.scale[c];
	for (size_t i = 0; i < n; i++)
		mean += p[i].y / (double)n;
	for (size_t i = 0; i < n; i++) {
		double d = p[i].y - pb_model_predict(f, p[i].x);

		sr += d * d;
		ss += (p[i].y - mean) * (p[i].y - mean);
		chi2 += (d / q.sd[i]) * (d / q.sd[i]);
	}
	f->r2 = ss > 0 ? 1 - sr / ss : NAN;
	f->chi2_dof = chi2 / (double)(n - q.k);
	f->widen = f->chi2_dof > 1 ? sqrt(f->chi2_dof) : 1;
	if (use_boot && bootstrap(&q, p, boot, seed, blo, bhi)) {
		snprintf(err, errlen, "out of memory for the bootstrap over %zu points", n);
		goto out;
	}
	f->boot = use_boot ? boot : 0;
	/* Each side: the wider of the bootstrap's and the fit's normal interval, widened for misfit. */
	for (unsigned c = 0; c < q.k; c++) {
		unsigned t = q.term[c];
		double half = 1.959963984540054 * sqrt(var[c]), down = half, up = half;

		if (use_boot) {
			down = fmax(down, f->coef[t] - blo[c]);
			up = fmax(up, bhi[c] - f->coef[t]);
		}
		f->lo[t] = f->coef[t] - f->widen * down;
		f->hi[t] = f->coef[t] + f->widen * up;
	}
	r = 0;
out:
	free(q.a);
	free(q.sd);
	free(b);
	return r;
}
