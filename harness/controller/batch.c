// SPDX-License-Identifier: MIT
/*
 * One batch: the same command to every creator of a point's group at once,
 * their replies gathered; timed batches keep their samples, counter
 * batches their counts, traced batches (--trace) the kernel's events
 * matched to their samples, warm-up batches nothing. The next batch is sized
 * to take about BATCH_TARGET_S.
 */
#include <stdlib.h>
#include <string.h>

#include "../../arch/arch.h"
#include "runner_int.h"

void pb_record_error(struct pb_record *r, const char *msg)
{
	r->status = PB_ERROR;
	r->active = 0;
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

static int grow(struct pb_record *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 1024;
	double *a, *b, *c;

	if (need <= r->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	a = realloc(r->round_trip, cap * sizeof(double));
	if (a)
		r->round_trip = a;
	b = realloc(r->parent_return, cap * sizeof(double));
	if (b)
		r->parent_return = b;
	c = realloc(r->child_running, cap * sizeof(double));
	if (c)
		r->child_running = c;
	if (!a || !b || !c)
		return -1;
	r->cap = cap;
	return 0;
}

/*
 * A reply is read only after it is known to fit: its count within the
 * shared sample array and within what was asked, and (stamped batches) its
 * times forwards: t2 - t0 is unsigned, so a counter that went backwards
 * would read as a 1.8e19-tick sample. 0, or -1 with the record's error set.
 */
static int reply_fits(struct pb_record *r, const struct pb_context *ctx, int pid,
		      const struct pb_sample *s, const struct pb_reply *rep, unsigned count,
		      int stamped)
{
	char msg[sizeof(r->msg)], where[32] = "";

	if (rep->done > count || rep->done > PB_BATCH_MAX) {
		snprintf(msg, sizeof(msg),
			 "creator %d reported %u samples for a batch of %u (the shared memory holds "
			 "%u): a creator of another build? rebuild with make",
			 pid, rep->done, count, PB_BATCH_MAX);
		pb_record_error(r, msg);
		return -1;
	}
	if (!stamped)
		return 0;
	if ((int64_t)rep->elapsed_ticks < 0)
		snprintf(where, sizeof(where), "over");
	for (uint32_t i = 0; !where[0] && i < rep->done; i++)
		if (s[i].t2 < s[i].t0)
			snprintf(where, sizeof(where), "in sample %u of", i);
	if (!where[0])
		return 0;
	snprintf(msg, sizeof(msg),
		 "the %s counter went backwards %s creator %d's batch: no sample of it can be "
		 "trusted here; keep the creator pinned (no --no-pin) or build on "
		 "CLOCK_MONOTONIC_RAW (make ARCH=generic)",
		 ctx->counter.source, where, pid);
	pb_record_error(r, msg);
	return -1;
}

static void keep_samples(struct pb_record *r, const struct pb_context *ctx,
			 const struct pb_sample *s, const struct pb_reply *rep)
{
	double ops = r->ops_per_sample;

	if (grow(r, r->n + rep->done)) {
		pb_record_error(r, "out of memory for samples");
		return;
	}
	for (uint32_t i = 0; i < rep->done; i++) {
		size_t k = r->n + i;

		/* t2 >= t0: reply_fits() saw to it. */
		r->round_trip[k] = pb_ticks_to_ns((double)(s[i].t2 - s[i].t0), &ctx->counter) / ops;
		r->parent_return[k] =
			pb_ticks_to_ns((double)(int64_t)(s[i].t1 - s[i].t0), &ctx->counter);
		r->child_running[k] =
			pb_ticks_to_ns((double)(int64_t)(s[i].tc - s[i].t0), &ctx->counter);
		r->round_ticks += s[i].t2 - s[i].t0;
	}
	r->n += rep->done;
	r->cpu_ns += rep->self_cpu_ns + rep->child_cpu_ns;
	r->elapsed_ticks += rep->elapsed_ticks;
}

static int grow_counters(struct pb_record *r)
{
	if (r->cnt_batches < r->cnt_cap)
		return 0;
	r->cnt_cap = r->cnt_cap ? r->cnt_cap * 2 : 64;
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		double *p = realloc(r->cnt_batch[i], r->cnt_cap * sizeof(double));

		if (!p)
			return -1;
		r->cnt_batch[i] = p;
	}
	return 0;
}

/* A counter batch's counts, summed over jobs, per creation. */
static void keep_counts(struct pb_record *r, const uint64_t *sum, const int *err, double creations)
{
	if (!creations || grow_counters(r))
		return;
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		if (err[i] && !r->cnt_err[i])
			r->cnt_err[i] = err[i];
		r->cnt_total[i] += (double)sum[i];
		r->cnt_batch[i][r->cnt_batches] = (double)sum[i] / creations;
	}
	r->cnt_creations += creations;
	r->cnt_batches++;
}

/* Trace the group's creators (and what they create) from now on; -1 when that fails. */
static int trace_start(struct runner *rn, struct pb_record *r, const struct group *g,
		       struct pb_trace_map *m)
{
	pid_t pids[PB_MAX_JOBS];
	int e;

	for (unsigned j = 0; j < g->pt.jobs; j++)
		pids[j] = g->cr[j].pid;
	m->same = rn->run->ctx.trace_checks;
	m->hz = rn->run->ctx.counter.hz;
	m->ns0 = pb_mono_raw_ns();
	m->c0 = pb_counter();
	if ((e = pb_trace_follow(&rn->trace, pids, g->pt.jobs))) {
		r->trace.status = PB_SKIP;
		snprintf(r->trace.why, sizeof(r->trace.why), "cannot set the trace's pid filter: %s",
			 strerror(e));
		return -1;
	}
	return 0;
}

/* The traced batch's events into the record. */
static void trace_end(struct runner *rn, struct pb_record *r, const struct group *g,
		      const uint32_t *done, const struct pb_trace_map *m)
{
	struct pb_traced_job jobs[PB_MAX_JOBS];
	struct pb_trace_map two = *m;
	uint64_t c1 = pb_counter(), ns1 = pb_mono_raw_ns();
	size_t len;
	char *text;

	/*
	 * On a mapped clock, a second anchor after the batch: the stamps are placed between the
	 * two readings, at the rate they show, so no error in the calibrated rate grows over a
	 * long batch (a riscv64 guest's 10 MHz counter, calibrated to 1e-5, drifted past the
	 * microsecond the events are printed to within 0.1 s and left samples unmatched).
	 */
	if (!m->same && c1 > m->c0 && ns1 > m->ns0 + 1000000)
		two.hz = (double)(c1 - m->c0) * 1e9 / (double)(ns1 - m->ns0);
	pb_trace_pause(&rn->trace);
	text = pb_trace_take(&rn->trace, &len);
	if (!text) {
		r->trace.status = PB_SKIP;
		snprintf(r->trace.why, sizeof(r->trace.why), "cannot read the trace back");
		return;
	}
	for (unsigned j = 0; j < g->pt.jobs; j++)
		jobs[j] = (struct pb_traced_job){ g->cr[j].pid, pb_link_samples(&g->cr[j]), done[j] };
	if (r->status == PB_OK)
		pb_traced_keep(r, &rn->run->ctx, text, jobs, g->pt.jobs, &two);
	free(text);
}

/* One batch on every job of the point's group at once. Only timed batches are kept as samples. */
void pb_batch_run(struct runner *rn, struct pb_record *r, unsigned count, enum pb_batch_kind kind)
{
	uint64_t sums[PB_NCOUNTERS] = { 0 };
	int errs[PB_NCOUNTERS] = { 0 };
	uint32_t done_by[PB_MAX_JOBS] = { 0 };
	struct pb_trace_map map;
	uint32_t flags = kind == BATCH_TIMED || kind == BATCH_TRACE ? PB_RUN_MEASURED
			 : kind == BATCH_COUNTERS			    ? PB_RUN_COUNTERS
									    : 0;
	int keep = kind == BATCH_TIMED;
	struct group *g = &rn->groups[r->group];
	struct pb_reply rep;
	unsigned done = 0, jobs = g->pt.jobs;
	double t = pb_now_s();
	int failed = 0;

	if (kind == BATCH_TRACE && trace_start(rn, r, g, &map))
		return;
	for (unsigned j = 0; j < jobs; j++)
		if (pb_link_send(&g->cr[j], PB_OP_RUN, r->index, count, flags)) {
			failed = 1;
			jobs = j; /* wait only for those that got the command */
			break;
		}
	for (unsigned j = 0; j < jobs; j++) {
		if (pb_link_wait(&g->cr[j], &rep) || rep.status == PB_ERROR) {
			if (r->status == PB_OK)
				pb_record_error(r, rep.msg[0] ? rep.msg : "the creator reported an error");
			continue;
		}
		if (reply_fits(r, &rn->run->ctx, g->cr[j].pid, pb_link_samples(&g->cr[j]), &rep, count,
			       kind == BATCH_TIMED || kind == BATCH_TRACE))
			continue;
		r->tls_verified = rep.tls_verified;
		r->ops_per_sample = rep.ops_per_sample ? rep.ops_per_sample : 1;
		if (rep.child_cpu >= 0)
			r->observed_child_cpu = rep.child_cpu;
		done += rep.done;
		done_by[j] = rep.done;
		if (keep && r->status == PB_OK)
			keep_samples(r, &rn->run->ctx, pb_link_samples(&g->cr[j]), &rep);
		for (int i = 0; i < PB_NCOUNTERS; i++) {
			sums[i] += rep.counts[i];
			if (rep.count_err[i])
				errs[i] = rep.count_err[i];
		}
	}
	if (failed && r->status == PB_OK)
		pb_record_error(r, "lost a creator"); /* one never got the command */
	t = pb_now_s() - t;
	if (kind == BATCH_TRACE) {
		trace_end(rn, r, g, done_by, &map);
		return;
	}
	if (r->status != PB_OK)
		return;
	if (kind == BATCH_COUNTERS) {
		keep_counts(r, sums, errs, (double)done * r->ops_per_sample);
		return;
	}
	/* Next batch sized so it takes about BATCH_TARGET_S. */
	if (done) {
		double per = t * g->pt.jobs / done;
		double want = per > 0 ? BATCH_TARGET_S / per : PB_BATCH_MAX;

		r->batch = want < 1 ? 1 : want > PB_BATCH_MAX ? PB_BATCH_MAX : (unsigned)want;
	}
	if (keep) {
		r->spent_s += t;
		r->batch_wall_s += t;
	}
}

void pb_record_finish(struct pb_record *r, const struct pb_context *ctx)
{
	if (r->status != PB_OK)
		return;
	if (r->n < 2) {
		pb_record_error(r, "fewer than two samples in the time budget; raise --time-budget");
		return;
	}
	pb_summarize(r->round_trip, r->n, ctx->ci_level, &r->s_round);
	pb_summarize(r->parent_return, r->n, ctx->ci_level, &r->s_parent);
	pb_summarize(r->child_running, r->n, ctx->ci_level, &r->s_child);
	r->ci_met = pb_ci_rel_width(&r->s_round) <= ctx->ci_target;
	r->cpu_ns_per_op = (double)r->cpu_ns / ((double)r->n * r->ops_per_sample);
	pb_traced_finish(r, ctx);
	r->loop_overhead_ns =
		pb_ticks_to_ns((double)(int64_t)(r->elapsed_ticks - r->round_ticks), &ctx->counter) /
		(double)r->n;
	r->creations_per_s =
		r->batch_wall_s > 0 ? (double)r->n * r->ops_per_sample / r->batch_wall_s : 0;
}
