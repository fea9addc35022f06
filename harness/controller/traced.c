// SPDX-License-Identifier: MIT
/*
 * --trace: a traced batch's tracefs text into its record. Every sample is
 * matched to its creation's kernel events (harness/analysis/ktrace.c), its
 * user stamps are checked against them where the trace clock is the counter,
 * and its points are kept as offsets from t0; pb_traced_finish() turns them
 * into phase summaries.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runner_int.h"

/* Samples of one benchmark traced at most (kept points: PB_KP_COUNT doubles each). */
#define TRACE_MAX_SAMPLES 4000

int pb_traced_wants(const struct pb_record *r)
{
	return r->trace.status == PB_OK && r->trace.samples < TRACE_MAX_SAMPLES;
}

void pb_traced_init(struct pb_record *r, int kshape)
{
	r->trace.kshape = kshape;
	r->trace.status = PB_OK;
	if (kshape == PB_KSHAPE_NONE) {
		r->trace.status = PB_SKIP;
		snprintf(r->trace.why, sizeof(r->trace.why),
			 "no kernel phase set for this method (the fork, vfork, exec, thread and "
			 "SQ-thread paths have one)");
	}
}

/* A user stamp on the trace clock: the counter itself, or mapped onto mono_raw nanoseconds. */
static uint64_t on_trace_clock(uint64_t ticks, const struct pb_trace_map *m)
{
	if (m->same)
		return ticks;
	return m->ns0 + (uint64_t)((double)(int64_t)(ticks - m->c0) * 1e9 / m->hz);
}

/* A point's offset from t0 in ns; signed: a point printed to the microsecond can come before t0. */
static double to_ns(uint64_t at, uint64_t t0, const struct pb_trace_map *m,
		    const struct pb_context *ctx)
{
	double d = (double)(int64_t)(at - t0);

	return m->same ? pb_ticks_to_ns(d, &ctx->counter) : d;
}

static int grow(struct pb_trace_record *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 256;
	double *a, *b;

	if (need <= t->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	a = realloc(t->at, cap * PB_KP_COUNT * sizeof(double));
	if (a)
		t->at = a;
	b = realloc(t->round_trip, cap * sizeof(double));
	if (b)
		t->round_trip = b;
	if (!a || !b)
		return -1;
	t->cap = cap;
	return 0;
}

/* The text's events, in time order (the trace file merges the CPUs' buffers by time). */
static struct pb_kev *parse(char *text, unsigned *n)
{
	struct pb_kev *ev = NULL;
	unsigned cap = 0;
	char *line = text, *nl;

	*n = 0;
	for (; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (*n == cap) {
			struct pb_kev *g = realloc(ev, (cap = cap ? cap * 2 : 1024) * sizeof(*ev));

			if (!g) {
				free(ev);
				return NULL;
			}
			ev = g;
		}
		*n += !pb_kev_parse(line, &ev[*n]);
	}
	return ev ? ev : calloc(1, sizeof(*ev));
}

void pb_traced_keep(struct pb_record *r, const struct pb_context *ctx, char *text,
		    const struct pb_traced_job *jobs, unsigned njobs, const struct pb_trace_map *m)
{
	struct pb_trace_record *t = &r->trace;
	unsigned nev;
	struct pb_kev *ev = parse(text, &nev);
	size_t total = 0;
	unsigned flags;

	if (!ev) {
		pb_record_error(r, "trace: out of memory for events");
		return;
	}
	t->lost += pb_ktrace_lost(text);
	/* A kernel that traces no new child's syscall exit (arm64): its return at its stamp tc. */
	flags = pb_kchild_exits_traced(ev, nev) ? 0 : PB_KM_RET_AT_TC;
	t->mapped = !m->same;
	for (unsigned j = 0; j < njobs; j++)
		total += jobs[j].done;
	if (grow(t, t->samples + total)) {
		free(ev);
		pb_record_error(r, "trace: out of memory for traced samples");
		return;
	}
	for (unsigned j = 0; j < njobs && r->status == PB_OK; j++)
		for (uint32_t i = 0; i < jobs[j].done; i++) {
			const struct pb_sample *s = &jobs[j].s[i];
			uint64_t t0 = on_trace_clock(s->t0, m);
			struct pb_kcreation k;
			char why[300];
			unsigned checked;
			double *at;

			t->round_trip[t->samples++] =
				pb_ticks_to_ns((double)(int64_t)(s->t2 - s->t0), &ctx->counter) / r->ops_per_sample;
			int got;

			/* A nanosecond clock is printed to the microsecond: open the window 1 us early. */
			got = pb_kmatch(ev, nev, jobs[j].pid, t->kshape, m->same ? t0 : t0 - 1000,
					on_trace_clock(s->t1, m), on_trace_clock(s->tc, m),
					on_trace_clock(s->t2, m), flags, &k);
			if (got) {
				t->no_child_ret += got == -2;
				for (int p = 0; p < PB_KP_COUNT; p++)
					t->missing[p] += (k.missing >> p) & 1;
				continue;
			}
			k.at[PB_KP_T0] = t0;
			if (m->same && pb_kcheck(&k, t->kshape, &checked, why, sizeof(why))) {
				char msg[512];

				snprintf(msg, sizeof(msg), "trace: traced sample %zu (creator %d): %s",
					 t->samples, jobs[j].pid, why);
				pb_record_error(r, msg);
				break;
			}
			if (m->same)
				t->checked += checked;
			t->ret_at_tc += k.ret_at_tc;
			at = &t->at[t->matched++ * PB_KP_COUNT];
			for (int p = 0; p < PB_KP_COUNT; p++)
				at[p] = k.at[p] ? to_ns(k.at[p], k.at[PB_KP_T0], m, ctx) : NAN;
		}
	free(ev);
}

/* The kept points' column `to` (from < 0), or a phase's durations (to - from), into out: how many. */
static size_t column(const struct pb_trace_record *t, int from, int to, double *out)
{
	size_t n = 0;

	for (size_t i = 0; i < t->matched; i++) {
		const double *at = &t->at[i * PB_KP_COUNT];
		double v = from < 0 ? at[to] : at[to] - at[from];

		/* On a mapped clock (mono_raw, printed to the microsecond) a phase between a
		 * user stamp and an event can come out below 0 by up to that resolution: a
		 * duration is never negative, so it reads as 0 (the results say the phases
		 * are good to the microsecond there). */
		if (from >= 0 && t->mapped && v < 0)
			v = 0;
		if (!isnan(v))
			out[n++] = v;
	}
	return n;
}

/*
 * Phases stand for a benchmark only when most of its traced samples were
 * matched: a trace that saw none of the creators' creations (a pid filter
 * that named other tasks, events lost) is "not traced", with why, never an
 * "ok" with nothing in it.
 */
static int too_few_matched(struct pb_trace_record *t)
{
	if (t->matched >= 2 && t->matched * 2 >= t->samples)
		return 0;
	t->status = PB_SKIP;
	if (!t->samples)
		snprintf(t->why, sizeof(t->why), "no traced batch ran");
	else if (!t->lost && t->no_child_ret * 2 >= t->samples)
		snprintf(t->why, sizeof(t->why),
			 "%zu of %zu traced samples matched: in %zu the child ran but the kernel "
			 "traced no syscall exit for it (as on arm64, whose ret_from_fork returns to "
			 "user without the syscall-exit tracepoint), so the child's return to user "
			 "space, where this method's phases meet, cannot be placed (an exec method's "
			 "child takes its stamp only after execve); no phase reported",
			 t->matched, t->samples, t->no_child_ret);
	else
		snprintf(t->why, sizeof(t->why),
			 "%zu of %zu traced samples matched their creation in the kernel's events "
			 "(%llu events lost): too few to stand for the benchmark, no phase reported",
			 t->matched, t->samples, t->lost);
	return 1;
}

void pb_traced_finish(struct pb_record *r, const struct pb_context *ctx)
{
	struct pb_trace_record *t = &r->trace;
	double *x;

	if (t->status != PB_OK || too_few_matched(t))
		return;
	/* The child's return placed at its stamp tc: phases named and measured to tc. */
	t->phases = t->ret_at_tc ? pb_kphases_ret_at_tc(t->kshape, &t->nphases)
				 : pb_kphases(t->kshape, &t->nphases);
	x = malloc((t->samples + 1) * sizeof(double)); /* matched <= samples */
	if (!x)
		return;
	for (int p = 0; p < PB_KP_COUNT; p++) {
		size_t n = column(t, -1, p, x);

		t->at_median[p] = n ? pb_median_inplace(x, n) : NAN;
	}
	if (t->ret_at_tc) /* that column holds tc, which has a point of its own */
		t->at_median[PB_KP_CHILD_RET] = NAN;
	for (unsigned p = 0; p < t->nphases; p++) {
		t->phase_n[p] = column(t, (int)t->phases[p].from, (int)t->phases[p].to, x);
		if (pb_summarize(x, t->phase_n[p], ctx->ci_level, &t->phase[p]))
			memset(&t->phase[p], 0, sizeof(t->phase[p]));
	}
	memcpy(x, t->round_trip, t->samples * sizeof(double));
	t->traced_median_ns = pb_median_inplace(x, t->samples);
	t->inflation = r->s_round.p50 > 0 ? t->traced_median_ns / r->s_round.p50 : 0;
	free(x);
}
