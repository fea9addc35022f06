/* SPDX-License-Identifier: MIT */
#ifndef PB_OPTIONS_H
#define PB_OPTIONS_H

#include <regex.h>
#include <stdio.h>

enum pb_format { PB_FMT_CONSOLE, PB_FMT_JSON, PB_FMT_CSV };

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
	int pin;
	int cpu;                 /* -1: choose */
	unsigned chain_len;
	const char *exec_target; /* NULL: next to the creator */
	int list;
};

/* 0: run; 1: help printed; 2: usage error (one line printed); 3: --version. */
int pb_parse_cli(int argc, char **argv, struct pb_options *o);
void pb_usage(FILE *f);

#endif
