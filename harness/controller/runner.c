// SPDX-License-Identifier: MIT
/*
 * The runner: expands the command line into benchmark points (method x
 * parent shape x placement x jobs), starts one group of creators per
 * distinct shape/placement, probes and sets up each point, warms up, then
 * samples every point in interleaved rounds until its median CI is tight
 * enough or its budget is spent. With --jobs N a batch runs on N creators
 * at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "context.h"
#include "environment.h"
#include "runner_int.h"

/* --perf-ctl fd:CTL[,ACK] (descriptors perf stat gave us) or fifo:CTL[,ACK] (paths). */
static int open_perf_ctl(struct runner *rn, const char *spec)
{
	char buf[512], *ack;
	int fifo = !strncmp(spec, "fifo:", 5);

	rn->perf_ctl_fd = rn->perf_ack_fd = -1;
	snprintf(buf, sizeof(buf), "%s", spec + (fifo ? 5 : 3));
	ack = strchr(buf, ',');
	if (ack)
		*ack++ = 0;
	for (int i = 0; i < 2; i++) {
		const char *what = i ? ack : buf;
		int *fd = i ? &rn->perf_ack_fd : &rn->perf_ctl_fd;
		char *end;

		if (!what)
			continue;
		if (fifo) {
			struct stat st;

			/* O_RDWR: never blocks for lack of a peer; perf holds the other ends. */
			*fd = open(what, O_RDWR | O_NONBLOCK | O_CLOEXEC);
			if (*fd < 0) {
				fprintf(stderr, "procbench: --perf-ctl: cannot open the fifo %s: %s\n", what,
					strerror(errno));
				return -1;
			}
			/* Commands written into a regular file would overwrite it: a FIFO, or nothing. */
			if (fstat(*fd, &st) || !S_ISFIFO(st.st_mode)) {
				fprintf(stderr, "procbench: --perf-ctl: %s is not a FIFO; perf stat --control "
						"fifo:CTL,ACK names FIFOs (mkfifo)\n",
					what);
				close(*fd);
				return -1;
			}
			fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) & ~O_NONBLOCK);
		} else {
			long v = strtol(what, &end, 10);

			if (*end || end == what || v < 0 || v > 1 << 20 || fcntl((int)v, F_GETFD) < 0) {
				fprintf(stderr, "procbench: --perf-ctl: '%s' is not an open descriptor; "
						"perf stat --control fd:... must pass it to procbench\n",
					what);
				return -1;
			}
			*fd = (int)v;
		}
		/* Above the creator's fixed descriptors, or spawning it would overwrite it first. */
		{
			int high = pb_fd_above_fixed(*fd);

			if (fifo)
				close(*fd);
			*fd = high;
		}
	}
	return 0;
}

/* Start a group's creators and grow them into shape; -1 when one cannot start at all. */
static int start_group(struct runner *rn, struct group *g)
{
	struct pb_creator_spec spec = {
		.creator_path = rn->creator_path,
		.exec_target = rn->run->ctx.exec_target,
		.chain_len = rn->o->chain_len,
		.want_cpu = rn->o->check_placement,
		.perf_ctl_fd = rn->perf_ctl_fd,
		.perf_ack_fd = rn->perf_ack_fd,
		.shape = g->pt.shape,
	};
	struct pb_reply rep;

	for (unsigned j = 0; j < g->pt.jobs && g->status == PB_OK; j++) {
		spec.cpu = g->pt.parent_cpu[j];
		spec.child_cpu = g->pt.child_cpu[j];
		if (pb_link_open(&g->cr[j], &spec, 0, g->msg, sizeof(g->msg))) {
			fprintf(stderr, "procbench: %s\n", g->msg);
			return -1;
		}
		if (pb_link_cmd(&g->cr[j], PB_OP_SHAPE, 0, 0, &rep) || rep.status != PB_OK) {
			g->status = PB_ERROR;
			snprintf(g->msg, sizeof(g->msg), "shaping the parent: %.200s", rep.msg);
		}
	}
	if (g->status == PB_OK)
		pb_creator_shape_read(&g->pt.measured, g->cr[0].pid);
	return 0;
}

static void stop_all(struct runner *rn)
{
	for (unsigned i = 0; i < rn->ngroups; i++)
		for (unsigned j = 0; j < rn->groups[i].pt.jobs; j++)
			if (rn->groups[i].cr[j].shm)
				pb_link_stop(&rn->groups[i].cr[j]);
}
static void probe_and_setup(struct runner *rn, struct pb_record *r)
{
	struct group *g = &rn->groups[r->group];
	struct pb_reply rep;

	if (r->status != PB_OK)
		return;
	if (g->status != PB_OK) {
		r->status = g->status;
		snprintf(r->msg, sizeof(r->msg), "%s", g->msg);
		return;
	}
	r->pt.measured = g->pt.measured;
	pb_link_cmd(&g->cr[0], PB_OP_PROBE, r->index, 0, &rep);
	if (rep.status != PB_OK) {
		r->status = rep.status;
		snprintf(r->msg, sizeof(r->msg), "%s", rep.msg);
		return;
	}
	for (unsigned j = 0; j < g->pt.jobs; j++) {
		pb_link_cmd(&g->cr[j], PB_OP_SETUP, r->index, 0, &rep);
		if (rep.status != PB_OK) {
			pb_record_error(r, rep.msg);
			return;
		}
	}
	r->set_up = 1;
	r->active = 1;
	r->batch = 4;
	if (rn->run->ctx.trace > 0)
		pb_traced_init(r, (int)r->m->kshape);
}

/* --trace: the instance, or a skip with its reason (the run goes on untraced). */
static void trace_open(struct runner *rn)
{
	struct pb_context *ctx = &rn->run->ctx;

	ctx->trace_clock = pb_trace_clock();
	/* Stamps are checked where the trace clock is procbench's counter, printed as a raw count. */
	ctx->trace_checks = pb_trace_clock_is_counter();
	if (pb_trace_open(&rn->trace, pb_ktrace_events, ctx->trace_why, sizeof(ctx->trace_why))) {
		ctx->trace = -1;
		fprintf(stderr, "procbench: --trace skipped: %s; the run goes on untraced\n",
			ctx->trace_why);
		return;
	}
	ctx->trace = 1;
	pb_link_at_fatal_signal(pb_trace_emergency_close);
}

int pb_prepare(struct pb_run *run, const char *prog)
{
	char err[256];

	if (pb_topology_load(err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	pb_environment_read(&run->ctx.env);
	if (pb_counter_calibrate(&run->ctx.counter, 5, 20)) {
		fprintf(stderr, "%s: the %s counter does not advance: cannot time anything\n", prog,
			run->ctx.counter.source);
		return -1;
	}
	fflush(NULL); /* nothing buffered may be duplicated by a fork */
	return 0;
}

struct pb_session {
	struct runner rn;
};

struct pb_session *pb_session_open(const struct pb_options *o, struct pb_run *run,
				   pb_announce announce)
{
	struct pb_session *ss = calloc(1, sizeof(*ss));
	struct runner *rn;
	struct pb_context *ctx = &run->ctx;
	char err[4400];
	unsigned i;

	if (!ss)
		return NULL;
	rn = &ss->rn;
	rn->o = o;
	rn->run = run;
	rn->perf_ctl_fd = rn->perf_ack_fd = -1;
	if (pb_programs_locate(ctx, o, rn->creator_path, sizeof(rn->creator_path))) {
		fprintf(stderr, "procbench: cannot find my own directory via /proc/self/exe\n");
		goto fail;
	}
	if (o->perf_ctl && open_perf_ctl(rn, o->perf_ctl))
		goto fail;
	ctx->counters = o->counters;
	snprintf(ctx->perf_ctl, sizeof(ctx->perf_ctl), "%s", o->perf_ctl ? o->perf_ctl : "");
	{
		struct pb_creator_spec spec = { .creator_path = rn->creator_path,
						.exec_target = ctx->exec_target,
						.cpu = -1,
						.child_cpu = -1,
						.perf_ctl_fd = -1,
						.perf_ack_fd = -1 };

		if (pb_link_methods(&spec, 0, run->methods, &run->nmethods, err, sizeof(err))) {
			fprintf(stderr, "procbench: %s\n", err);
			goto fail;
		}
	}
	if (pb_plan_check_machine(o, run) || pb_plan_build(rn) || pb_plan_check_tasks(rn))
		goto fail;
	/* A bad request (not a skip) stops the run before anything starts. */
	for (i = 0; i < rn->ngroups; i++)
		if (rn->groups[i].status == PB_ERROR) {
			fprintf(stderr, "procbench: %s\n", rn->groups[i].msg);
			goto fail;
		}
	if (announce)
		announce(ctx, o);
	for (i = 0; i < rn->ngroups; i++)
		if (rn->groups[i].status == PB_OK && start_group(rn, &rn->groups[i]))
			goto fail;
	if (o->trace)
		trace_open(rn);
	for (i = 0; i < run->nrecs; i++)
		probe_and_setup(rn, &run->recs[i]);
	return ss;
fail:
	stop_all(rn);
	pb_trace_close(&rn->trace);
	free(rn->groups);
	free(ss);
	return NULL;
}

/* Warm-up: caches, page tables, the exec target's page cache. */
void pb_session_warmup(struct pb_session *ss)
{
	struct pb_run *run = ss->rn.run;

	for (unsigned i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];
		double t0 = pb_now_s();

		while (r->active && pb_now_s() - t0 < ss->rn.o->warmup_s)
			pb_batch_run(&ss->rn, r, r->batch, BATCH_WARMUP);
	}
}

int pb_session_batch(struct pb_session *ss, unsigned rec, unsigned count)
{
	struct pb_record *r = &ss->rn.run->recs[rec];

	if (r->status != PB_OK || !r->set_up)
		return -1;
	while (count && r->status == PB_OK) {
		unsigned n = count > PB_BATCH_MAX ? PB_BATCH_MAX : count;

		pb_batch_run(&ss->rn, r, n, BATCH_TIMED);
		count -= n;
	}
	return r->status == PB_OK ? 0 : -1;
}

void pb_session_close(struct pb_session *ss)
{
	struct runner *rn = &ss->rn;
	struct pb_run *run = rn->run;

	for (unsigned i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];
		struct group *g = &rn->groups[r->group];
		struct pb_reply rep;

		if (r->set_up)
			for (unsigned j = 0; j < g->pt.jobs; j++)
				pb_link_cmd(&g->cr[j], PB_OP_TEARDOWN, r->index, 0, &rep);
	}
	stop_all(rn);
	pb_trace_close(&rn->trace);
	for (unsigned i = 0; i < run->nrecs; i++)
		pb_record_finish(&run->recs[i], &run->ctx);
	if (rn->ngroups)
		run->ctx.creator = rn->groups[run->recs[0].group].pt.measured;
	/* The record is complete here: reporters only read it. */
	if (getloadavg(run->ctx.env.load_end, 3) < 0)
		run->ctx.env.load_end[0] = run->ctx.env.load_end[1] = run->ctx.env.load_end[2] = -1;
	free(rn->groups);
	free(ss);
}
int pb_run(const struct pb_options *o, struct pb_run *run, pb_announce announce)
{
	struct pb_session *ss = pb_session_open(o, run, announce);
	unsigned i, active, round = 0;
	struct pb_progress prog = { !o->quiet && isatty(STDERR_FILENO), pb_now_s(), 0 };

	if (!ss)
		return -1;
	pb_session_warmup(ss);
	/* Interleaved rounds; each round starts one point later than the last. */
	do {
		active = 0;
		for (unsigned k = 0; k < run->nrecs; k++) {
			struct pb_record *r = &run->recs[(k + round) % run->nrecs];

			if (!r->active)
				continue;
			{
				unsigned want = r->batch, jobs = ss->rn.groups[r->group].pt.jobs;

				/* --count: land on it exactly (every job runs `want`). */
				if (o->count && r->n + (size_t)want * jobs > o->count)
					want = (unsigned)((o->count - r->n + jobs - 1) / jobs);
				pb_batch_run(&ss->rn, r, want, BATCH_TIMED);
				/* Counters in a batch of their own: inherited events slow fork. */
				if (r->active && o->counters)
					pb_batch_run(&ss->rn, r, want / 4 ? want / 4 : 1, BATCH_COUNTERS);
				/* Traced batches too: tracing slows every creation it sees. */
				if (r->active && run->ctx.trace > 0 && pb_traced_wants(r))
					pb_batch_run(&ss->rn, r, want / 4 < 1 ? 1 : want / 4 > 32 ? 32 : want / 4,
						     BATCH_TRACE);
			}
			if (!r->active)
				continue;
			if (r->spent_s >= o->time_budget_s || r->n >= o->max_samples)
				r->active = 0;
			active += r->active;
			pb_progress_draw(&prog, o, run, r, round);
		}
		/* Convergence is checked once per round: sorting is not free. */
		for (i = 0; i < run->nrecs; i++) {
			struct pb_record *r = &run->recs[i];
			struct pb_summary s;

			if (!r->active || r->n < o->min_samples || r->spent_s < o->min_time_s)
				continue;
			if (!pb_summarize(r->round_trip, r->n, o->ci_level, &s) &&
			    pb_ci_rel_width(&s) <= o->ci_target) {
				r->active = 0;
				active--;
			}
		}
		round++;
	} while (active);
	pb_progress_end(&prog);
	pb_session_close(ss);
	return 0;
}

void pb_run_free(struct pb_run *run)
{
	for (unsigned i = 0; i < run->nrecs; i++) {
		free(run->recs[i].round_trip);
		free(run->recs[i].parent_return);
		free(run->recs[i].child_running);
		for (int k = 0; k < PB_NCOUNTERS; k++)
			free(run->recs[i].cnt_batch[k]);
		free(run->recs[i].trace.at);
		free(run->recs[i].trace.round_trip);
	}
	free(run->recs);
	run->recs = NULL;
	run->nrecs = 0;
	pb_context_free(&run->ctx);
}
