/* SPDX-License-Identifier: MIT */
/*
 * The runner: starts the creator, probes and sets up each selected method,
 * warms up, then samples in interleaved rounds until each benchmark's
 * median CI is tight enough or its time budget is spent.
 */
#ifndef PB_RUNNER_H
#define PB_RUNNER_H

#include "options.h"
#include "../report/record.h"

/* Called once the plan is valid, before any creator starts (noise warnings). */
typedef void (*pb_announce)(const struct pb_context *ctx, const struct pb_options *o);

/*
 * Before a run, for every front end: the hwloc topology, the environment
 * block and the counter's calibration. 0, or -1 with one line printed
 * (prefixed with prog).
 */
int pb_prepare(struct pb_run *run, const char *prog);

/* 0: the run finished (records may hold errors or skips); -1: could not run (message printed). */
int pb_run(const struct pb_options *o, struct pb_run *run, pb_announce announce);
void pb_run_free(struct pb_run *run);

/*
 * The same run in steps, for other front ends (procbench-gbench): open
 * plans, starts the creators, probes and sets up every point; batch runs
 * `count` timed samples of one record (appended to its arrays); close tears
 * down and summarizes. pb_run is open, warm-up, rounds, close.
 */
struct pb_session;
struct pb_session *pb_session_open(const struct pb_options *o, struct pb_run *run,
				   pb_announce announce);
void pb_session_warmup(struct pb_session *ss);
int pb_session_batch(struct pb_session *ss, unsigned rec, unsigned count);
void pb_session_close(struct pb_session *ss);

/*
 * Does a run with these options measure method m? --filter (or the one sweep
 * implies) where given, else the default set. --list --format json says it
 * for every method, so scripts never re-implement the choice.
 */
int pb_method_selected(const struct pb_options *o, const struct pb_method_info *m);

#endif
