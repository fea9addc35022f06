/* SPDX-License-Identifier: MIT */
/*
 * The runner's inside, shared by its files: runner.c (the session: start
 * creators, probe, set up, rounds), plan.c (the points and the checks
 * that need the machine), batch.c (one batch on a group's creators, and
 * what it keeps), progress.c (the progress line). Not for other callers.
 */
#ifndef PB_RUNNER_INT_H
#define PB_RUNNER_INT_H

#include "clock.h"
#include "creator_link.h"
#include "runner.h"
#include "trace.h"

/* Batches aim at this much wall time, so rounds interleave finely. */
#define BATCH_TARGET_S 0.02

/*
 * The creators of one method at one point. Every method has creators of its
 * own: what a method leaves in its creator (glibc's thread-stack cache and
 * multi-threaded state after pthread_create, io_uring rings and workers,
 * child stacks) would otherwise be part of every other method's parent.
 * Measured in instruction time, fork's round trip was 266.4k alone and
 * 329.0k sharing a creator with thread-pthread.
 */
struct group {
	unsigned method;
	struct pb_point pt;
	struct pb_creator_link cr[PB_MAX_JOBS];
	int status;
	char msg[256];
};

struct runner {
	const struct pb_options *o;
	struct pb_run *run;
	struct group *groups;
	unsigned ngroups;
	char creator_path[4200];
	int perf_ctl_fd, perf_ack_fd;
	struct pb_trace trace;   /* --trace: the instance, when run->ctx.trace > 0 */
};

static inline double pb_now_s(void)
{
	return (double)pb_mono_raw_ns() / 1e9;
}

/*
 * plan.c: checks that need the machine (one line, -1), every point of the
 * run, and (once its groups are known) the task limits its creators must fit.
 */
int pb_plan_check_machine(const struct pb_options *o, struct pb_run *run);
int pb_plan_build(struct runner *rn);
int pb_plan_check_tasks(const struct runner *rn);

/* batch.c */
enum pb_batch_kind { BATCH_WARMUP, BATCH_TIMED, BATCH_COUNTERS, BATCH_TRACE };
void pb_record_error(struct pb_record *r, const char *msg);
/* One batch of count samples on every job of the record's group at once. */
void pb_batch_run(struct runner *rn, struct pb_record *r, unsigned count, enum pb_batch_kind kind);
/* Summaries, rates and overheads of a finished record. */
void pb_record_finish(struct pb_record *r, const struct pb_context *ctx);

/* traced.c: --trace's batches into the record. */
struct pb_trace_map {      /* user stamps onto the trace clock */
	int same;          /* the trace clock is the counter */
	uint64_t c0, ns0;  /* else: a counter reading and mono_raw at the same moment */
	double hz;
};
struct pb_traced_job {
	int pid;                    /* the creator: the parent of its samples */
	const struct pb_sample *s;  /* its samples of the batch */
	uint32_t done;
};
void pb_traced_init(struct pb_record *r, int kshape);
/* Does the benchmark want more traced batches? */
int pb_traced_wants(const struct pb_record *r);
void pb_traced_keep(struct pb_record *r, const struct pb_context *ctx, char *text,
		    const struct pb_traced_job *jobs, unsigned njobs, const struct pb_trace_map *m);
void pb_traced_finish(struct pb_record *r, const struct pb_context *ctx);

/* progress.c: one line on a terminal's stderr, redrawn. */
struct pb_progress {
	int on;
	double start, last;
};
void pb_progress_draw(struct pb_progress *p, const struct pb_options *o, struct pb_run *run,
		      const struct pb_record *cur, unsigned round);
void pb_progress_end(struct pb_progress *p);

#endif
