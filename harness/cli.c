// SPDX-License-Identifier: MIT
/* procbench's command line: every bad input is one line naming the fix. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum {
	OPT_NO_PIN = 256,
	OPT_CPU,
	OPT_CHAIN,
	OPT_CI_TARGET,
	OPT_MIN_SAMPLES,
	OPT_EXEC_TARGET,
	OPT_VERSION,
	OPT_MIN_TIME,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "list", no_argument, NULL, 'l' },
	{ "filter", required_argument, NULL, 'f' },
	{ "quick", no_argument, NULL, 'q' },
	{ "time-budget", required_argument, NULL, 't' },
	{ "format", required_argument, NULL, 'F' },
	{ "out", required_argument, NULL, 'o' },
	{ "no-pin", no_argument, NULL, OPT_NO_PIN },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "chain", required_argument, NULL, OPT_CHAIN },
	{ "ci-target", required_argument, NULL, OPT_CI_TARGET },
	{ "min-samples", required_argument, NULL, OPT_MIN_SAMPLES },
	{ "exec-target", required_argument, NULL, OPT_EXEC_TARGET },
	{ "min-time", required_argument, NULL, OPT_MIN_TIME },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ 0 },
};

void pb_usage(FILE *f)
{
	fputs("usage: procbench [options]\n"
	      "Measure the cost of creating Linux processes, in phases, from a lean static creator.\n"
	      "\n"
	      "  -l, --list             list the benchmarks and exit\n"
	      "  -f, --filter REGEX     run only benchmarks whose name matches (POSIX ERE)\n"
	      "  -q, --quick            short run: 0.1..0.4 s per benchmark, fewer samples\n"
	      "  -t, --time-budget SEC  most sampling time per benchmark (default 4)\n"
	      "      --min-time SEC     least sampling time per benchmark (default 1)\n"
	      "      --ci-target PCT    stop once the median's 95%% CI is this wide (default 1)\n"
	      "      --min-samples N    samples before the CI may stop a benchmark (default 200)\n"
	      "  -F, --format FMT       results file format: json (default), csv, or console\n"
	      "                         (console: print the table only, write no file)\n"
	      "  -o, --out FILE         results file (default results/<date>-<host>.json; - for stdout)\n"
	      "      --cpu N            pin the creator to CPU N (default: the last allowed CPU)\n"
	      "      --no-pin           let the scheduler place the creator\n"
	      "      --chain N          execs per execve-chain sample (default 8)\n"
	      "      --exec-target PATH exec target to use (default: next to the creator)\n"
	      "      --version          print the version\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "Exit status: 0 all ran or were skipped with a reason, 1 a benchmark failed,\n"
	      "2 bad usage or the creator could not start.\n",
	      f);
}

static int bad(const char *fmt, const char *arg)
{
	fputs("procbench: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see procbench --help)\n", stderr);
	return 2;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int pb_parse_cli(int argc, char **argv, struct pb_options *o)
{
	int c, budget_set = 0, min_set = 0, min_time_set = 0;
	double d;
	unsigned u;

	memset(o, 0, sizeof(*o));
	o->time_budget_s = 4.0;
	o->min_time_s = 1.0;
	o->ci_target = 0.01;
	o->ci_level = 0.95;
	o->min_samples = 200;
	o->max_samples = 2000000;
	o->warmup_s = 0.05;
	o->format = PB_FMT_JSON;
	o->pin = 1;
	o->cpu = -1;
	o->chain_len = 8;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hlf:qt:F:o:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			pb_usage(stdout);
			return 1;
		case OPT_VERSION:
			return 3;
		case 'l':
			o->list = 1;
			break;
		case 'f':
			o->filter = optarg;
			break;
		case 'q':
			o->quick = 1;
			break;
		case 't':
			if (parse_double(optarg, 0.01, 3600, &o->time_budget_s))
				return bad("--time-budget '%s' is not a number of seconds in 0.01..3600",
					   optarg);
			budget_set = 1;
			break;
		case 'F':
			if (!strcmp(optarg, "json"))
				o->format = PB_FMT_JSON;
			else if (!strcmp(optarg, "csv"))
				o->format = PB_FMT_CSV;
			else if (!strcmp(optarg, "console"))
				o->format = PB_FMT_CONSOLE;
			else
				return bad("--format '%s' is not one of console, json, csv", optarg);
			break;
		case 'o':
			if (!*optarg)
				return bad("--out needs a file name%s", "");
			o->out = optarg;
			break;
		case OPT_NO_PIN:
			o->pin = 0;
			break;
		case OPT_CPU:
			if (parse_uint(optarg, 0, 4095, &u))
				return bad("--cpu '%s' is not a CPU number", optarg);
			o->cpu = (int)u;
			break;
		case OPT_CHAIN:
			if (parse_uint(optarg, 1, 200, &o->chain_len))
				return bad("--chain '%s' is not a count in 1..200", optarg);
			break;
		case OPT_MIN_TIME:
			if (parse_double(optarg, 0, 3600, &o->min_time_s))
				return bad("--min-time '%s' is not a number of seconds in 0..3600", optarg);
			min_time_set = 1;
			break;
		case OPT_CI_TARGET:
			if (parse_double(optarg, 0.01, 100, &d))
				return bad("--ci-target '%s' is not a percentage in 0.01..100", optarg);
			o->ci_target = d / 100;
			break;
		case OPT_MIN_SAMPLES:
			if (parse_uint(optarg, 2, 1000000, &o->min_samples))
				return bad("--min-samples '%s' is not a count in 2..1000000", optarg);
			min_set = 1;
			break;
		case OPT_EXEC_TARGET:
			o->exec_target = optarg;
			break;
		case ':':
			return bad("option '%s' needs a value", argv[optind - 1]);
		default:
			return bad("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!o->pin && o->cpu >= 0)
		return bad("--cpu and --no-pin contradict each other%s", "");
	if (o->quick) {
		if (!budget_set)
			o->time_budget_s = 0.4;
		if (!min_set)
			o->min_samples = 50;
		if (!min_time_set)
			o->min_time_s = 0.1;
		o->warmup_s = 0.02;
	}
	if (o->min_time_s > o->time_budget_s)
		o->min_time_s = o->time_budget_s;
	if (o->filter) {
		int r = regcomp(&o->filter_re, o->filter, REG_EXTENDED | REG_NOSUB);

		if (r) {
			char msg[128];

			regerror(r, &o->filter_re, msg, sizeof(msg));
			fprintf(stderr, "procbench: --filter '%s' is not a valid regular expression: %s\n",
				o->filter, msg);
			return 2;
		}
	}
	return 0;
}
