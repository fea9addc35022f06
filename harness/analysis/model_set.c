// SPDX-License-Identifier: MIT
/* Results files into cost models (model_set.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_set.h"

#define SEED 0x70726f63u

/* A point while grouping: its model's name and the requested values that pick its terms. */
struct mpoint {
	size_t idx;
	const char *name;
	double x[PB_MT_COUNT]; /* the measured regressors, for the order */
	char group[600];
	double req[PB_MT_COUNT];
};

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static double num(json_object *o, const char *key, int *ok)
{
	json_object *v = get(o, key);

	if (!v || (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double) &&
		   !json_object_is_type(v, json_type_boolean))) {
		*ok = 0;
		return NAN;
	}
	return json_object_get_double(v);
}

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Never cut: a cut name could merge two models, or end inside a character. 0, or -1 full. */
static int append(char *s, size_t len, const char *fmt, const char *a, double v)
{
	size_t used = strlen(s);
	int n = a ? snprintf(s + used, len - used, fmt, a) : snprintf(s + used, len - used, fmt, v);

	return n < 0 || (size_t)n >= len - used ? -1 : 0;
}

/* One ok benchmark into a point: its model's name, requested values, measured regressors. */
static int point_of(const struct pb_results *r, const struct pb_rbench *b, struct mpoint *mp,
		    struct pb_mpoint *p, char *err, size_t errlen)
{
	json_object *o = b->obj, *par = get(o, "params"), *shape = get(o, "parent_shape");
	json_object *rt = get(get(o, "phases"), "round_trip");
	const char *method = str(o, "method"), *thp = str(par, "thp"), *pin = str(par, "pin");
	int ok = 1;
	double touch = num(par, "touch", &ok), rss = num(par, "rss_bytes", &ok);
	double jobs = num(par, "jobs", &ok), node = num(par, "mem_node", &ok);
	double cloexec = num(par, "fds_cloexec", &ok);

	memset(p, 0, sizeof(*p));
	/* The memory's mappings are swept by --vmas: no memory, or one mapping, is the default. */
	mp->req[PB_MT_VMA] = rss > 0 ? fmax(num(par, "vmas", &ok), 1) : 1;
	mp->req[PB_MT_THREAD] = num(par, "threads", &ok);
	mp->req[PB_MT_FD] = num(par, "fds", &ok);
	mp->req[PB_MT_MIB] = touch ? rss : 0;
	p->x[PB_MT_MIB] = num(shape, "vm_rss_kib", &ok) / 1024;
	p->x[PB_MT_VMA] = num(shape, "mappings", &ok);
	p->x[PB_MT_THREAD] = num(shape, "threads", &ok);
	p->x[PB_MT_FD] = num(shape, "fds", &ok);
	p->y = num(o, "real_time", &ok);
	if (!ok || !method || !thp || !pin) {
		snprintf(err, errlen, "%s: %s lacks a field a model needs (params, parent_shape, "
			 "real_time): write it with a procbench of this version", r->path, b->name);
		return -1;
	}
	{
		int ci = 1, sn = 1;
		double lo = num(rt, "ci_lo", &ci), hi = num(rt, "ci_hi", &ci);
		double sdev = num(rt, "stddev", &sn), n = num(rt, "n", &sn);

		/* The median's standard error from its 95% CI; where too few samples gave none,
		 * the large-sample one, sqrt(pi/2) stddev / sqrt(n); else 0 (the fit's floor). */
		p->sd = ci ? (hi - lo) / (2 * 1.959963984540054)
			: sn && n > 0 ? 1.2533141373155 * sdev / sqrt(n) : 0;
	}
	if (b->x && b->n) {
		p->s = b->x;
		p->n = b->n;
	}
	if (!isfinite(p->y) || p->y < 0 || !isfinite(p->sd) || p->sd < 0) {
		snprintf(err, errlen, "%s: %s has a median or CI that is not a finite, ordered value: "
			 "the file was changed or damaged", r->path, b->name);
		return -1;
	}
	/* What is not a term keeps points apart. */
	mp->group[0] = 0;
	if (append(mp->group, sizeof(mp->group), "%s", method, 0) ||
	    (strcmp(thp, "default") && append(mp->group, sizeof(mp->group), "/thp:%s", thp, 0)) ||
	    (cloexec && append(mp->group, sizeof(mp->group), "/fds-cloexec", "", 0)) ||
	    (node >= 0 && append(mp->group, sizeof(mp->group), "/mem-node:%.0f", NULL, node)) ||
	    (strcmp(pin, "same-cpu") && append(mp->group, sizeof(mp->group), "/pin:%s", pin, 0)) ||
	    (jobs != 1 && append(mp->group, sizeof(mp->group), "/jobs:%.0f", NULL, jobs))) {
		snprintf(err, errlen, "%s: %s: its method and parameters are too long for a model's "
			 "name: the file was changed or damaged", r->path, b->name);
		return -1;
	}
	return 0;
}

/* By model, then by the parent's measured size (memory, mappings, threads, files), then name. */
static int cmp_group(const void *a, const void *b)
{
	const struct mpoint *x = a, *y = b;
	int c = strcmp(x->group, y->group);

	for (unsigned t = 1; !c && t < PB_MT_COUNT; t++)
		c = (x->x[t] > y->x[t]) - (x->x[t] < y->x[t]);
	return c ? c : strcmp(x->name, y->name);
}

void pb_model_set_free(struct pb_model_set *s)
{
	free(s->p);
	free(s->b);
	free(s->m);
	memset(s, 0, sizeof(*s));
}

const struct pb_model *pb_model_set_find(const struct pb_model_set *s, const char *name)
{
	for (size_t i = 0; i < s->nm; i++)
		if (!strcmp(s->m[i].name, name))
			return &s->m[i];
	return NULL;
}

int pb_model_set_fit(struct pb_model_set *s, const struct pb_results *rs, size_t nf, unsigned terms,
		     unsigned boot, char *err, size_t errlen)
{
	struct mpoint *mp = NULL;
	struct pb_mpoint *pp = NULL;
	const struct pb_rbench **bb = NULL;
	size_t total = 0, np = 0;
	int r = -1;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < nf; i++)
		total += rs[i].nb;
	mp = calloc(total + 1, sizeof(*mp));
	pp = calloc(total + 1, sizeof(*pp));
	bb = calloc(total + 1, sizeof(*bb));
	s->p = calloc(total + 1, sizeof(*s->p));
	s->b = calloc(total + 1, sizeof(*s->b));
	s->m = calloc(total + 1, sizeof(*s->m));
	if (!mp || !pp || !bb || !s->p || !s->b || !s->m) {
		snprintf(err, errlen, "out of memory for %zu points", total);
		goto out;
	}
	for (size_t i = 0; i < nf; i++)
		for (size_t j = 0; j < rs[i].nb; j++) {
			if (strcmp(rs[i].b[j].status, "ok"))
				continue;
			if (point_of(&rs[i], &rs[i].b[j], &mp[np], &pp[np], err, errlen))
				goto out;
			bb[np] = &rs[i].b[j];
			mp[np].idx = np;
			mp[np].name = rs[i].b[j].name;
			memcpy(mp[np].x, pp[np].x, sizeof(mp[np].x));
			np++;
		}
	if (!np) {
		snprintf(err, errlen, "%s: no benchmark measured (all skipped or failed): nothing to model",
			 nf ? rs[0].path : "no file");
		goto out;
	}
	/* Points in models, in name order; the regressors and benchmarks follow their points. */
	qsort(mp, np, sizeof(*mp), cmp_group);
	for (size_t i = 0; i < np; i++) {
		s->p[i] = pp[mp[i].idx];
		s->b[i] = bb[mp[i].idx];
	}
	s->np = np;
	for (size_t g = 0, e; g < np; g = e) {
		struct pb_model *m = &s->m[s->nm++];
		unsigned t = 0;

		for (e = g; e < np && !strcmp(mp[e].group, mp[g].group); e++)
			;
		snprintf(m->name, sizeof(m->name), "%s", mp[g].group);
		m->method = str(s->b[g]->obj, "method");
		m->first = g;
		m->n = e - g;
		for (unsigned k = 1; k < PB_MT_COUNT; k++)
			for (size_t i = g + 1; i < e; i++)
				if (mp[i].req[k] != mp[g].req[k])
					t |= 1u << k;
		if (terms)
			t = terms;
		if (!t && m->n > 1)
			snprintf(m->why, sizeof(m->why), "%zu points that differ in no swept parameter "
				 "(--rss with --touch, --vmas, --threads, --fds): nothing to fit a cost to",
				 m->n);
		else if (!pb_model_fit(s->p + g, m->n, t, boot, SEED, &m->fit, m->why, sizeof(m->why)))
			m->why[0] = 0;
		s->fitted += !m->why[0];
	}
	r = 0;
out:
	free(mp);
	free(pp);
	free(bb);
	if (r)
		pb_model_set_free(s);
	return r;
}
