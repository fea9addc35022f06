// SPDX-License-Identifier: MIT
/* procbench's command line: every bad input is one line naming the fix. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "options.h"
#include "../protocol/shape.h"

enum {
	OPT_NO_PIN = 256,
	OPT_CPU,
	OPT_CHAIN,
	OPT_CI_TARGET,
	OPT_MIN_SAMPLES,
	OPT_EXEC_TARGET,
	OPT_VERSION,
	OPT_MIN_TIME,
	OPT_RSS,
	OPT_TOUCH,
	OPT_THP,
	OPT_VMAS,
	OPT_THREADS,
	OPT_FDS,
	OPT_FDS_CLOEXEC,
	OPT_MEM_NODE,
	OPT_PIN,
	OPT_JOBS,
	OPT_CHECK_PLACEMENT,
	OPT_SAMPLES,
	OPT_NO_SAMPLES,
	OPT_COUNTERS,
	OPT_NO_COUNTERS,
	OPT_PERF_CTL,
	OPT_COUNT,
	OPT_QUIET,
	OPT_TIME_BASE,
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
	{ "rss", required_argument, NULL, OPT_RSS },
	{ "touch", optional_argument, NULL, OPT_TOUCH },
	{ "thp", required_argument, NULL, OPT_THP },
	{ "vmas", required_argument, NULL, OPT_VMAS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "fds", required_argument, NULL, OPT_FDS },
	{ "fds-cloexec", no_argument, NULL, OPT_FDS_CLOEXEC },
	{ "mem-node", required_argument, NULL, OPT_MEM_NODE },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "check-placement", no_argument, NULL, OPT_CHECK_PLACEMENT },
	{ "samples", no_argument, NULL, OPT_SAMPLES },
	{ "no-samples", no_argument, NULL, OPT_NO_SAMPLES },
	{ "counters", no_argument, NULL, OPT_COUNTERS },
	{ "no-counters", no_argument, NULL, OPT_NO_COUNTERS },
	{ "perf-ctl", required_argument, NULL, OPT_PERF_CTL },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "time-base", required_argument, NULL, OPT_TIME_BASE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ 0 },
};

void pb_usage(FILE *f)
{
	fputs("usage: procbench [options]\n"
	      "       procbench sweep [options]\n"
	      "       procbench compare [options] BASE NEW    (procbench compare --help)\n"
	      "       procbench report [--out DIR] FILE...\n"
	      "       procbench validate [--quiet] FILE...\n"
	      "       procbench perf-stat [perf stat options] -- [procbench options]\n"
	      "Measure the cost of creating Linux processes, in phases, from a lean static creator.\n"
	      "`sweep` runs fork, vfork, posix_spawn and clone3 over parent RSS 0..1G, touched and\n"
	      "untouched, into one results file (options below narrow or widen it).\n"
	      "\n"
	      "  -l, --list             list the benchmarks, whether each runs here (and why not)\n"
	      "  -f, --filter REGEX     run only benchmarks whose name matches (POSIX ERE)\n"
	      "  -q, --quick            short run: 0.1..0.4 s per benchmark, fewer samples\n"
	      "  -t, --time-budget SEC  most sampling time per benchmark (default 4)\n"
	      "      --min-time SEC     least sampling time per benchmark (default 1)\n"
	      "      --ci-target PCT    stop once the median's 95% CI is this wide (default 1)\n"
	      "      --min-samples N    samples before the CI may stop a benchmark (default 200)\n"
	      "  -F, --format FMT       results file format: json (default), csv, tap (kselftest-style\n"
	      "                         TAP 13), or console\n"
	      "                         (console: print the table only, write no file)\n"
	      "  -o, --out FILE         results file (default results/<date>-<host>.json; - for stdout)\n"
	      "      --no-samples       do not keep raw samples beside a JSON results file (by\n"
	      "                         default FILE.samples.tsv goes with FILE.json: compare needs it)\n"
	      "      --count N          exactly N samples per benchmark (no CI stopping rule)\n"
	      "      --no-counters      do not count perf events (page faults, context switches,\n"
	      "                         cycles...) per creation; they are counted by default, in\n"
	      "                         batches of their own, where perf_event_open allows\n"
	      "      --perf-ctl fd:CTL[,ACK] | fifo:CTL[,ACK]\n"
	      "                         tell `perf stat --delay=-1 --control ...` to count only the\n"
	      "                         timed batches (enable before each, disable after)\n"
	      "      --cpu N            pin the (first) creator to CPU N (default: the last allowed CPU)\n"
	      "      --no-pin           let the scheduler place the creator (same as --pin none)\n"
	      "      --chain N          execs per execve-chain sample (default 8)\n"
	      "      --exec-target PATH exec target to use (default: next to the creator)\n"
	      "\n"
	      "The parent's shape and placement (comma lists make one point per value):\n"
	      "      --rss SIZE[,SIZE]  anonymous memory in the creator (K, M, G suffixes; default 0)\n"
	      "      --touch[=yes|no|both]  write every page of it (default no; bare --touch: yes)\n"
	      "      --thp on|off       madvise the memory for transparent huge pages (default: as is)\n"
	      "      --vmas N           split the memory into N mappings\n"
	      "      --threads N[,N]    idle threads in the creator\n"
	      "      --fds N[,N]        extra open descriptors in the creator\n"
	      "      --fds-cloexec      open them O_CLOEXEC\n"
	      "      --mem-node N       bind the creator's memory to NUMA node N (libnuma checks it)\n"
	      "      --pin P[,P]        placement: none, same-cpu (default), other-core, smt-sibling,\n"
	      "                         other-cache, other-node (where the child runs vs its parent)\n"
	      "      --jobs N[,N]       N creators in parallel, one per CPU (default 1)\n"
	      "      --check-placement  children record the CPU they ran on (one getcpu each)\n"
	      "\n"
	      "      --time-base wall|instructions\n"
	      "                         what the counter counts: wall time (default), or guest\n"
	      "                         instructions under qemu -icount shift=0 (ci/kernel-run sets\n"
	      "                         it in its icount mode); recorded; compare refuses to mix them\n"
	      "      --quiet            no progress line (one is drawn on stderr when it is a terminal)\n"
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

/* A byte count with an optional binary suffix: 0, 4096, 64K, 256M, 1G. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = 1ull << 10; end++; break;
	case 'm': case 'M': mult = 1ull << 20; end++; break;
	case 'g': case 'G': mult = 1ull << 30; end++; break;
	case 't': case 'T': mult = 1ull << 40; end++; break;
	}
	if (*end == 'i' && end[-1] != *s)
		end++;
	if (*end == 'B')
		end++;
	if (*end || v > (1ull << 42) / mult)
		return -1;
	*out = v * mult;
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

/* Split a comma list; each element goes through one(elem, index). -1 names the bad one. */
static int each_in_list(const char *opt, const char *arg, unsigned max, unsigned *n,
			int (*one)(const char *, unsigned, void *), void *ctx, const char *what)
{
	char buf[1024], *p, *comma;
	int empty = 0;

	*n = 0;
	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "procbench: %s: the list is too long (see procbench --help)\n", opt);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	for (p = buf;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (!*p) {
			empty = 1;
		} else {
			if (*n >= max) {
				fprintf(stderr, "procbench: %s takes at most %u values (see procbench "
						"--help)\n",
					opt, max);
				return -1;
			}
			if (one(p, (*n)++, ctx)) {
				fprintf(stderr, "procbench: %s '%s' is not %s (see procbench --help)\n", opt,
					p, what);
				return -1;
			}
		}
		if (!comma)
			break;
	}
	if (!*n) {
		fprintf(stderr, "procbench: %s needs at least one value (see procbench --help)\n", opt);
		return -1;
	}
	if (empty) {
		fprintf(stderr, "procbench: %s '%s' has an empty value; separate values with single "
				"commas (see procbench --help)\n",
			opt, arg);
		return -1;
	}
	return 0;
}

static int one_size(const char *s, unsigned i, void *ctx)
{
	return parse_size(s, &((uint64_t *)ctx)[i]);
}

static int one_count(const char *s, unsigned i, void *ctx)
{
	return parse_uint(s, 0, 100000, &((unsigned *)ctx)[i]);
}

static int one_jobs(const char *s, unsigned i, void *ctx)
{
	return parse_uint(s, 1, PB_MAX_JOBS, &((unsigned *)ctx)[i]);
}

static int one_pin(const char *s, unsigned i, void *ctx)
{
	int p = pb_pin_parse(s);

	((int *)ctx)[i] = p;
	return p < 0;
}

#if defined(__SANITIZE_ADDRESS__)
#define PB_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PB_UNDER_ASAN 1
#endif
#endif

/*
 * glibc's regcomp copies a subexpression for every repetition applied to
 * it, so "x++++++++..." or nested {n} grow exponentially: compile it once
 * in a child under a memory and time limit before compiling it for real.
 */
static int regex_affordable(const char *pattern)
{
	int status;
	pid_t pid;

	if (strlen(pattern) > 1024)
		return 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 1; /* cannot check: let regcomp try */
	if (pid == 0) {
		regex_t re;
#ifndef PB_UNDER_ASAN
		/* (ASan reserves terabytes of shadow up front: there only the time limit holds.) */
		struct rlimit rl = { 256ul << 20, 256ul << 20 };

		setrlimit(RLIMIT_AS, &rl);
#endif
		/* Our own death by SIGALRM, whatever handler the parent had installed. */
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		_exit(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) == REG_ESPACE ? 3 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int pb_parse_cli(int argc, char **argv, struct pb_options *o)
{
	int c, budget_set = 0, min_set = 0, min_time_set = 0, rss_set = 0, touch_set = 0;
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
	o->cpu = -1;
	o->chain_len = 8;
	o->n_rss = o->n_touch = o->n_threads = o->n_fds = o->n_pins = o->n_jobs = 1;
	o->pins[0] = PB_PIN_SAME_CPU;
	o->jobs[0] = 1;
	o->mem_node = -1;
	o->samples = -1;
	o->counters = 1;

	opterr = 0;
	optind = 0; /* glibc: start afresh, forgetting any option group a last parse left half-read */
	if (argc > 1 && !strcmp(argv[1], "sweep")) {
		o->sweep = 1;
		argc--;
		argv++;
	}
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
			else if (!strcmp(optarg, "tap"))
				o->format = PB_FMT_TAP;
			else
				return bad("--format '%s' is not one of console, json, csv, tap", optarg);
			break;
		case 'o':
			if (!*optarg)
				return bad("--out needs a file name%s", "");
			o->out = optarg;
			break;
		case OPT_NO_PIN:
			o->pins[0] = PB_PIN_NONE;
			o->n_pins = 1;
			break;
		case OPT_RSS:
			if (each_in_list("--rss", optarg, PB_MAX_AXIS, &o->n_rss, one_size, o->rss,
					 "a size such as 0, 64K, 256M or 1G"))
				return 2;
			rss_set = 1;
			break;
		case OPT_TOUCH:
			if (!optarg || !strcmp(optarg, "yes")) {
				o->touch[0] = 1;
				o->n_touch = 1;
			} else if (!strcmp(optarg, "no")) {
				o->touch[0] = 0;
				o->n_touch = 1;
			} else if (!strcmp(optarg, "both")) {
				o->touch[0] = 0;
				o->touch[1] = 1;
				o->n_touch = 2;
			} else {
				return bad("--touch='%s' is not yes, no or both", optarg);
			}
			touch_set = 1;
			break;
		case OPT_THP:
			if (!strcmp(optarg, "on"))
				o->thp = PB_THP_ON;
			else if (!strcmp(optarg, "off"))
				o->thp = PB_THP_OFF;
			else
				return bad("--thp '%s' is not on or off", optarg);
			break;
		case OPT_VMAS:
			if (parse_uint(optarg, 1, 1000000, &o->vmas))
				return bad("--vmas '%s' is not a count in 1..1000000", optarg);
			break;
		case OPT_THREADS:
			if (each_in_list("--threads", optarg, PB_MAX_AXIS, &o->n_threads, one_count,
					 o->threads, "a count in 0..100000"))
				return 2;
			break;
		case OPT_FDS:
			if (each_in_list("--fds", optarg, PB_MAX_AXIS, &o->n_fds, one_count, o->fds,
					 "a count in 0..100000"))
				return 2;
			break;
		case OPT_FDS_CLOEXEC:
			o->fds_cloexec = 1;
			break;
		case OPT_MEM_NODE:
			if (parse_uint(optarg, 0, 1023, &u))
				return bad("--mem-node '%s' is not a NUMA node number", optarg);
			o->mem_node = (int)u;
			break;
		case OPT_PIN:
			if (each_in_list("--pin", optarg, PB_PIN_COUNT, &o->n_pins, one_pin, o->pins,
					 "one of none, same-cpu, other-core, smt-sibling, other-cache, "
					 "other-node"))
				return 2;
			break;
		case OPT_JOBS:
			if (each_in_list("--jobs", optarg, PB_MAX_AXIS, &o->n_jobs, one_jobs, o->jobs,
					 "a count in 1..64"))
				return 2;
			break;
		case OPT_CHECK_PLACEMENT:
			o->check_placement = 1;
			break;
		case OPT_SAMPLES:
			o->samples = 1;
			break;
		case OPT_COUNTERS:
			o->counters = 1;
			break;
		case OPT_QUIET:
			o->quiet = 1;
			break;
		case OPT_TIME_BASE:
			if (!strcmp(optarg, "instructions"))
				o->time_base_instr = 1;
			else if (!strcmp(optarg, "wall"))
				o->time_base_instr = 0;
			else
				return bad("--time-base '%s' is not wall or instructions", optarg);
			break;
		case OPT_NO_COUNTERS:
			o->counters = 0;
			break;
		case OPT_PERF_CTL:
			if (strncmp(optarg, "fd:", 3) && strncmp(optarg, "fifo:", 5))
				return bad("--perf-ctl '%s' is not fd:CTL[,ACK] or fifo:CTL[,ACK]", optarg);
			o->perf_ctl = optarg;
			break;
		case OPT_COUNT:
			if (parse_uint(optarg, 2, 10000000, &o->count))
				return bad("--count '%s' is not a count in 2..10000000", optarg);
			break;
		case OPT_NO_SAMPLES:
			o->samples = 0;
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
		default: {
			/* Name the option itself: "-xq" is the unknown -x, not the whole word. */
			const char *word = argv[optind - 1];
			char shortopt[3] = { '-', (char)optopt, 0 };
			const char *name = !strncmp(word, "--", 2) || !optopt ? word : shortopt;

			if (c == ':')
				return bad("option '%s' needs a value", name);
			return bad("unknown option '%s'", name);
		}
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	for (unsigned i = 0; i < o->n_pins; i++)
		if (o->pins[i] == PB_PIN_NONE && o->cpu >= 0)
			return bad("--cpu and --no-pin (--pin none) contradict each other%s", "");
	if (o->sweep) {
		/* The classic figure: creation cost against parent size, log-spaced to 1 GiB. */
		static const uint64_t sweep_rss[] = { 0, 1ull << 20, 4ull << 20, 16ull << 20,
						      64ull << 20, 256ull << 20, 1ull << 30 };

		if (!rss_set) {
			o->n_rss = sizeof(sweep_rss) / sizeof(sweep_rss[0]);
			memcpy(o->rss, sweep_rss, sizeof(sweep_rss));
		}
		if (!touch_set) {
			o->touch[0] = 0;
			o->touch[1] = 1;
			o->n_touch = 2;
		}
		if (!o->filter)
			o->filter = "^(fork|vfork|posix_spawn|clone3)$";
	}
	if (o->time_base_instr) {
		/*
		 * Instruction time has no drift: the CI of the median reaches its
		 * target in a few dozen samples, and wall-time minimums (a second of
		 * guest time is ~1e9 emulated instructions) would only cost minutes.
		 * The sample count is what steadies a median between boots: an exec
		 * path spreads over ~1.5% from sample to sample, so 200 at least.
		 */
		if (!min_set)
			o->min_samples = 200;
		if (!min_time_set)
			o->min_time_s = 0;
		if (!budget_set)
			o->time_budget_s = o->quick ? 0.2 : 1;
		o->warmup_s = 0.005;
	} else if (o->quick) {
		if (!budget_set)
			o->time_budget_s = 0.4;
		if (!min_set)
			o->min_samples = 50;
		if (!min_time_set)
			o->min_time_s = 0.1;
		o->warmup_s = 0.02;
	}
	if (o->perf_ctl)
		for (unsigned i = 0; i < o->n_jobs; i++)
			if (o->jobs[i] > 1)
				return bad("--perf-ctl needs --jobs 1: one creator brackets each region%s",
					   "");
	if (o->count) {
		/* A fixed number of creations: no stopping rule, no time limits. */
		o->min_samples = o->max_samples = o->count;
		o->min_time_s = 0;
		o->time_budget_s = 1e9;
		o->ci_target = 0;
	}
	if (o->min_time_s > o->time_budget_s)
		o->min_time_s = o->time_budget_s;
	if (o->filter) {
		int r;

		if (!regex_affordable(o->filter)) {
			fprintf(stderr, "procbench: --filter '%.80s' is too costly to compile (repeated "
					"repetitions grow without bound); write it more simply\n",
				o->filter);
			return 2;
		}
		r = regcomp(&o->filter_re, o->filter, REG_EXTENDED | REG_NOSUB);

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
