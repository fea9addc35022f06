/* SPDX-License-Identifier: MIT */
/*
 * Results files into cost models (model.h), for procbench model and
 * compare: every ok benchmark is a point of its method's model; points of
 * one method that differ in a parameter no term measures (THP, placement,
 * jobs, fds' O_CLOEXEC, memory node) make models of their own, named like a
 * point (fork/thp:on). Points are in order of the parent's measured size. A model's terms are those its points' requested
 * values vary (--rss with --touch, --vmas, --threads, --fds) unless the
 * caller names them; each regressor is the parent's measured shape
 * (parent_shape: VmRSS in MiB, mappings, threads, descriptors).
 */
#ifndef PB_MODEL_SET_H
#define PB_MODEL_SET_H

#include <stddef.h>

#include "model.h"
#include "results_read.h"

struct pb_model {
	char name[600];  /* the method and what keeps its points apart */
	const char *method;
	size_t first, n; /* its points in the set's arrays */
	struct pb_mfit fit;
	char why[600];   /* "" fitted; else why not */
};

struct pb_model_set {
	struct pb_mpoint *p;          /* the points, model by model, in name order */
	const struct pb_rbench **b;   /* each point's benchmark */
	size_t np;
	struct pb_model *m;
	size_t nm, fitted;
};

/*
 * Fit the models of nf results files' points (terms: 0 for each model's
 * varied terms, else 1u << enum pb_mterm for each one asked for). 0, or -1
 * with err set (a file without a field a model needs, no point measured,
 * out of memory). A model that cannot be fitted has its why.
 */
int pb_model_set_fit(struct pb_model_set *s, const struct pb_results *rs, size_t nf, unsigned terms,
		     unsigned boot, char *err, size_t errlen);
void pb_model_set_free(struct pb_model_set *s);

/* The model of that name, or NULL. */
const struct pb_model *pb_model_set_find(const struct pb_model_set *s, const char *name);

#endif
