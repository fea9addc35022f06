/* SPDX-License-Identifier: MIT */
#ifndef PB_OPTIONS_H
#define PB_OPTIONS_H

#include <regex.h>
#include <stdint.h>
#include <stdio.h>

#include "placement.h"
#include "../report/report.h" /* enum pb_format */

#define PB_MAX_AXIS 32    /* values per list option */


struct pb_options {
	const char *filter;      /* ERE over benchmark names, or NULL */
	regex_t filter_re;
	int quick;
	double time_budget_s;    /* per benchmark, at most */
	double min_time_s;       /* per benchmark, at least (spreads it over rounds) */
	double ci_target;        /* relative width of the median's CI */
	double ci_level;
	unsigned min_samples;
	unsigned max_samples;
	double warmup_s;         /* per benchmark */
	enum pb_format format;   /* of the results file */
	const char *out;         /* results file, "-" for stdout, NULL for default */
	int cpu;                 /* -1: choose */
	/* Axes: every combination of these is a point of every selected method. */
	uint64_t rss[PB_MAX_AXIS];
	unsigned n_rss;
	int touch[2];
	unsigned n_touch;
	unsigned threads[PB_MAX_AXIS];
	unsigned n_threads;
	unsigned fds[PB_MAX_AXIS];
	unsigned n_fds;
	int pins[PB_PIN_COUNT];
	unsigned n_pins;
	unsigned jobs[PB_MAX_AXIS];
	unsigned n_jobs;
	/* Shape settings that apply to every point. */
	int thp;                 /* enum pb_thp */
	unsigned vmas;
	int fds_cloexec;
	int mem_node;            /* -1: none */
	int check_placement;     /* children record the CPU they ran on */
	int sweep;               /* `procbench sweep` */
	unsigned chain_len;
	const char *exec_target; /* NULL: next to the creator */
	int list;
	int list_json;           /* --list --format json */
	int quiet;               /* no progress line on a terminal */
	int time_base;           /* enum pb_time_base: what the counter counts */
	int samples;             /* raw samples beside the results: 1 yes, 0 no, -1 default */
	int counters;            /* count perf events per creation in batches of their own */
	const char *perf_ctl;    /* "fd:CTL[,ACK]" or "fifo:CTL[,ACK]", or NULL */
	int trace;               /* --trace: kernel timelines in traced batches of their own */
	const char *run_id;      /* --run-id, or NULL: a random one */
	unsigned count;          /* exactly this many samples per point (0: adaptive) */
	const char *context[PB_MAX_CONTEXT]; /* --context KEY=VALUE, as given */
	unsigned n_context;
};

/* 0: run; 1: help printed; 2: usage error (one line printed); 3: --version. */
int pb_parse_cli(int argc, char **argv, struct pb_options *o);
void pb_usage(FILE *f);

#endif
