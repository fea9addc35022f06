/* SPDX-License-Identifier: MIT */
/*
 * A cost model over a sweep's points, pure: the round trip as
 *   base + per_mib x resident MiB + per_vma x mappings + per_thread x threads
 *        + per_fd x open files
 * (the terms the points vary), fitted by weighted least squares, each point
 * weighted by the inverse variance of its median (from its CI, with a floor
 * of PB_MODEL_REL_FLOOR of the median: a deterministic guest's CI can be
 * empty). Solved by Householder QR on scaled columns; a term the points do
 * not separate from the others (constant, or moving with another) is an
 * error naming it, never a number.
 *
 * Intervals (95%): with every point's raw samples, a percentile bootstrap:
 * each replicate resamples every point's samples, takes their medians and
 * refits with the same weights. Without samples, the normal interval from
 * the weighted fit's covariance. Where the line misses the points by more
 * than their noise (chi^2 per degree of freedom above 1), both are widened
 * by sqrt(chi^2/dof) about the estimate, so a model that does not fit never
 * claims the precision of its points.
 */
#ifndef PB_MODEL_H
#define PB_MODEL_H

#include <stddef.h>
#include <stdint.h>

enum pb_mterm { PB_MT_BASE, PB_MT_MIB, PB_MT_VMA, PB_MT_THREAD, PB_MT_FD, PB_MT_COUNT };

/* "base", "per_mib", "per_vma", "per_thread", "per_fd"; and what one unit of each is. */
extern const char *const pb_mterm_names[PB_MT_COUNT];
extern const char *const pb_mterm_units[PB_MT_COUNT];

/* A point's standard error is at least this share of its median. */
#define PB_MODEL_REL_FLOOR 1e-5

struct pb_mpoint {
	double x[PB_MT_COUNT]; /* the regressors (x[PB_MT_BASE] is not read: 1) */
	double y;              /* the round trip's median, ns per operation */
	double sd;             /* its standard error (0: the floor) */
	const double *s;       /* its raw samples (NULL: none) */
	size_t n;
};

struct pb_mfit {
	unsigned terms; /* 1u << enum pb_mterm for each fitted term (base always) */
	double coef[PB_MT_COUNT], lo[PB_MT_COUNT], hi[PB_MT_COUNT];
	double r2;        /* 1 - sum (y - fit)^2 / sum (y - mean y)^2 over the points */
	double chi2_dof;  /* weighted residuals squared per degree of freedom */
	double widen;     /* the intervals' factor for misfit (1: none) */
	unsigned boot;    /* bootstrap replicates; 0: normal intervals from the fit */
};

/*
 * Fit terms (PB_MT_BASE is added) over n points; boot > 0 asks for the
 * bootstrap where every point has samples. 0, or -1 with err set to one
 * sentence naming the problem and its fix (too few points, a term not
 * separable, a value not finite).
 */
int pb_model_fit(const struct pb_mpoint *p, size_t n, unsigned terms, unsigned boot, uint64_t seed,
		 struct pb_mfit *f, char *err, size_t errlen);

/* The fitted round trip at regressors x. */
double pb_model_predict(const struct pb_mfit *f, const double *x);

#endif
