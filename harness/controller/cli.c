// SPDX-License-Identifier: MIT
/*
 * procbench's command line, from one table: each option's name, value,
 * where it goes in struct pb_options and its help text. getopt's table and
 * --help are built from it, so an option cannot be parsed but undocumented.
 * Every bad input is one line naming the fix. Over 400 lines for a
 * reason: the table, with every option's help, is half of it.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_values.h"
#include "options.h"
#include "../protocol/shape.h"
#include "../schema/schema.h"

enum kind {
	K_HEADING,  /* not an option: a heading in --help */
	K_FLAG,     /* int field = value */
	K_STRING,   /* const char * field = the argument */
	K_UINT,     /* unsigned field in lo..hi */
	K_INT,      /* int field in lo..hi */
	K_DOUBLE,   /* double field in lo..hi, times scale */
	K_CHOICE,   /* int field = values[i] for the argument equal to names[i] */
	K_NAMED,    /* int field = i for the argument equal to name_of(i) (a table's names) */
	K_LIST,     /* comma list: array field, count field, one() per element */
	K_FN,       /* fn(o, arg) */
};

struct opt {
	const char *name;
	int key;              /* short option, or 0 */
	enum kind kind;
	int has_arg;          /* getopt's no_argument, required_argument, optional_argument */
	size_t off, n_off;    /* fields in struct pb_options */
	double lo, hi, scale; /* K_UINT, K_INT, K_DOUBLE */
	int value;            /* K_FLAG */
	const char *names[7];
	int values[7];
	int (*one)(const char *, unsigned, void *); /* K_LIST */
	unsigned max;         /* K_LIST */
	int (*fn)(struct pb_options *o, const char *arg);
	const char *(*name_of)(int i); /* K_NAMED: the table's i-th name, NULL past the last */
	const char *what;     /* what a value must be, for "--x 'v' is not WHAT" */
	const char *usage;    /* "--name VALUE" as --help shows it */
	const char *help;     /* lines after the first start on a fresh line */
};

#define F(field) offsetof(struct pb_options, field)

static int set_out(struct pb_options *o, const char *arg)
{
	o->out = arg;
	return *arg ? 0 : -1;
}

static int set_no_pin(struct pb_options *o, const char *arg)
{
	(void)arg;
	o->pins[0] = PB_PIN_NONE;
	o->n_pins = 1;
	return 0;
}

static int set_touch(struct pb_options *o, const char *arg)
{
	if (!arg || !strcmp(arg, "yes") || !strcmp(arg, "no")) {
		o->touch[0] = !arg || !strcmp(arg, "yes");
		o->n_touch = 1;
	} else if (!strcmp(arg, "both")) {
		o->touch[0] = 0;
		o->touch[1] = 1;
		o->n_touch = 2;
	} else {
		return -1;
	}
	return 0;
}

/* A run id given by whoever starts the run (ci/kernel-run draws one per boot on the host:
 * two deterministic boots would otherwise draw the same bytes). Hex, 16..38 digits. */
static int set_run_id(struct pb_options *o, const char *arg)
{
	size_t n = strspn(arg, "0123456789abcdef");

	o->run_id = arg;
	return n == strlen(arg) && n >= 16 && n <= 38 ? 0 : -1;
}

/*
 * --context KEY=VALUE: what the caller knows of the run (the kernel it
 * booted, the emulator's options) recorded in the results' context by
 * procbench itself, so no script edits a results file. KEY is a new key
 * (lowercase, digits, _; never one procbench writes), VALUE text, or
 * @FILE for a JSON value read from FILE (controller/context.c reads it
 * before any work). -2: the reason is printed here.
 */
static int set_context(struct pb_options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : 0;
	char key[64];

	if (!eq || klen == 0 || klen >= sizeof(key) || arg[0] < 'a' || arg[0] > 'z' ||
	    strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_") != klen)
		return -1;
	memcpy(key, arg, klen);
	key[klen] = 0;
	if (pb_schema_context_key_taken(key)) {
		fprintf(stderr, "procbench: --context %s: procbench writes context.%s itself; name "
				"yours another way (see procbench --help)\n", key, key);
		return -2;
	}
	for (unsigned i = 0; i < o->n_context; i++)
		if (!strncmp(o->context[i], arg, klen + 1)) {
			fprintf(stderr, "procbench: --context %s is given twice; give each key once "
					"(see procbench --help)\n", key);
			return -2;
		}
	if (o->n_context == PB_MAX_CONTEXT) {
		fprintf(stderr, "procbench: --context: at most %d keys (see procbench --help)\n",
			PB_MAX_CONTEXT);
		return -2;
	}
	o->context[o->n_context++] = arg;
	return 0;
}

static int set_perf_ctl(struct pb_options *o, const char *arg)
{
	o->perf_ctl = arg;
	return strncmp(arg, "fd:", 3) && strncmp(arg, "fifo:", 5) ? -1 : 0;
}

static const struct opt opts[] = {
	{ .name = "list", .key = 'l', .kind = K_FLAG, .off = F(list), .value = 1, .usage = "--list",
	  .help = "list the benchmarks, whether each runs here (and why not);\n"
		  "with --format json, also whether these options select each" },
	{ .name = "filter", .key = 'f', .kind = K_STRING, .off = F(filter), .usage = "--filter REGEX",
	  .help = "run only benchmarks whose name matches (POSIX ERE)" },
	{ .name = "quick", .key = 'q', .kind = K_FLAG, .off = F(quick), .value = 1, .usage = "--quick",
	  .help = "short run: 0.1..0.4 s per benchmark, fewer samples" },
	{ .name = "time-budget", .key = 't', .kind = K_DOUBLE, .off = F(time_budget_s), .lo = 0.01,
	  .hi = 3600, .what = "a number of seconds in 0.01..3600", .usage = "--time-budget SEC",
	  .help = "most sampling time per benchmark (default 4)" },
	{ .name = "min-time", .kind = K_DOUBLE, .off = F(min_time_s), .lo = 0, .hi = 3600,
	  .what = "a number of seconds in 0..3600", .usage = "--min-time SEC",
	  .help = "least sampling time per benchmark (default 1)" },
	{ .name = "ci-target", .kind = K_DOUBLE, .off = F(ci_target), .lo = 0.01, .hi = 100,
	  .scale = 0.01, .what = "a percentage in 0.01..100", .usage = "--ci-target PCT",
	  .help = "stop once the median's 95% CI is this wide (default 1)" },
	{ .name = "min-samples", .kind = K_UINT, .off = F(min_samples), .lo = 2, .hi = 1000000,
	  .what = "a count in 2..1000000", .usage = "--min-samples N",
	  .help = "samples before the CI may stop a benchmark (default 200)" },
	{ .name = "count", .kind = K_UINT, .off = F(count), .lo = 2, .hi = 10000000,
	  .what = "a count in 2..10000000", .usage = "--count N",
	  .help = "exactly N samples per benchmark (no CI stopping rule)" },
	{ .name = "format", .key = 'F', .kind = K_NAMED, .off = F(format), .name_of = pb_format_name,
	  .usage = "--format FMT",
	  .help = "results file format: json (default), csv, tap (kselftest-style\n"
		  "TAP 13), or console (print the table only, write no file);\n"
		  "without it, an --out name ending .json, .csv or .tap sets it,\n"
		  "and a --format that disagrees with one is an error; with\n"
		  "--list: console (the table) or json" },
	{ .name = "out", .key = 'o', .kind = K_FN, .has_arg = required_argument, .fn = set_out,
	  .what = "a file name",
	  .usage = "--out FILE",
	  .help = "results file (default results/<date>-<host>.json; - for stdout);\n"
		  "a character device or FIFO is written in place (a FIFO\n"
		  "needs its reader running); never a file the run reads" },
	{ .name = "samples", .kind = K_FLAG, .off = F(samples), .value = 1, .usage = "--samples",
	  .help = "keep raw samples beside the results: FILE.samples.tsv\n"
		  "with FILE.json (the default there; compare needs them);\n"
		  "an error where they cannot be kept (other formats, stdout)" },
	{ .name = "no-samples", .kind = K_FLAG, .off = F(samples), .value = 0,
	  .usage = "--no-samples", .help = "do not keep raw samples beside a JSON results file" },
	{ .name = "counters", .kind = K_FLAG, .off = F(counters), .value = 1, .usage = "--counters",
	  .help = "count perf events (page faults, context switches,\n"
		  "cycles...) per creation, in batches of their own, where\n"
		  "perf_event_open allows (the default)" },
	{ .name = "no-counters", .kind = K_FLAG, .off = F(counters), .value = 0,
	  .usage = "--no-counters", .help = "do not count perf events" },
	{ .name = "trace", .kind = K_FLAG, .off = F(trace), .value = 1, .usage = "--trace",
	  .help = "also time each creation's kernel phases (copy_process, wake-up,\n"
		  "ret_from_fork, exec, exit, reap) from a private tracefs instance,\n"
		  "in traced batches of their own, and check the user stamps\n"
		  "against them (needs root and tracefs; skipped with the reason\n"
		  "otherwise)" },
	{ .name = "perf-ctl", .kind = K_FN, .has_arg = required_argument, .fn = set_perf_ctl,
	  .what = "fd:CTL[,ACK] or fifo:CTL[,ACK]", .usage = "--perf-ctl fd:CTL[,ACK] | fifo:CTL[,ACK]",
	  .help = "tell `perf stat --delay=-1 --control ...` to count only the\n"
		  "timed batches (enable before each, disable after)" },
	{ .name = "cpu", .kind = K_INT, .off = F(cpu), .lo = 0, .hi = 4095, .what = "a CPU number",
	  .usage = "--cpu N", .help = "pin the (first) creator to CPU N (default: the last allowed CPU)" },
	{ .name = "no-pin", .kind = K_FN, .has_arg = no_argument, .fn = set_no_pin,
	  .usage = "--no-pin", .help = "let the scheduler place the creator (same as --pin none)" },
	{ .name = "chain", .kind = K_UINT, .off = F(chain_len), .lo = 1, .hi = 200,
	  .what = "a count in 1..200", .usage = "--chain N",
	  .help = "execs per execve-chain sample (default 8)" },
	{ .name = "exec-target", .kind = K_STRING, .off = F(exec_target), .usage = "--exec-target PATH",
	  .help = "exec target to use (default: next to the creator); it must be\n"
		  "an executable ELF program of this machine" },
	{ .kind = K_HEADING, .help = "The parent's shape and placement (comma lists make one point per value):" },
	{ .name = "rss", .kind = K_LIST, .off = F(rss), .n_off = F(n_rss), .one = pb_cli_one_size,
	  .max = PB_MAX_AXIS, .what = "a size such as 0, 64K, 256M or 1G", .usage = "--rss SIZE[,SIZE]",
	  .help = "anonymous memory in the creator (K, M, G suffixes; default 0)" },
	{ .name = "touch", .kind = K_FN, .has_arg = optional_argument, .fn = set_touch,
	  .what = "yes, no or both", .usage = "--touch[=yes|no|both]",
	  .help = "write every page of it (default no; bare --touch: yes)" },
	{ .name = "thp", .kind = K_CHOICE, .off = F(thp), .names = { "on", "off" },
	  .values = { PB_THP_ON, PB_THP_OFF }, .what = "on or off", .usage = "--thp on|off",
	  .help = "madvise the memory for transparent huge pages (default: as is)" },
	{ .name = "vmas", .kind = K_UINT, .off = F(vmas), .lo = 1, .hi = 1000000,
	  .what = "a count in 1..1000000", .usage = "--vmas N",
	  .help = "split the memory into N mappings" },
	{ .name = "threads", .kind = K_LIST, .off = F(threads), .n_off = F(n_threads),
	  .one = pb_cli_one_count, .max = PB_MAX_AXIS, .what = "a count in 0..100000",
	  .usage = "--threads N[,N]", .help = "idle threads in the creator" },
	{ .name = "fds", .kind = K_LIST, .off = F(fds), .n_off = F(n_fds), .one = pb_cli_one_count,
	  .max = PB_MAX_AXIS, .what = "a count in 0..100000", .usage = "--fds N[,N]",
	  .help = "extra open descriptors in the creator" },
	{ .name = "fds-cloexec", .kind = K_FLAG, .off = F(fds_cloexec), .value = 1,
	  .usage = "--fds-cloexec", .help = "open them O_CLOEXEC" },
	{ .name = "mem-node", .kind = K_INT, .off = F(mem_node), .lo = 0, .hi = 1023,
	  .what = "a NUMA node number", .usage = "--mem-node N",
	  .help = "bind the creator's memory to NUMA node N (libnuma checks it)" },
	{ .name = "pin", .kind = K_LIST, .off = F(pins), .n_off = F(n_pins), .one = pb_cli_one_pin,
	  .max = PB_PIN_COUNT, .name_of = pb_pin_name,
	  .usage = "--pin P[,P]",
	  .help = "placement: none, same-cpu (default), other-core, smt-sibling,\n"
		  "other-cache, other-node (where the child runs vs its parent)" },
	{ .name = "jobs", .kind = K_LIST, .off = F(jobs), .n_off = F(n_jobs), .one = pb_cli_one_jobs,
	  .max = PB_MAX_AXIS, .what = "a count in 1..64", .usage = "--jobs N[,N]",
	  .help = "N creators in parallel, one per CPU (default 1)" },
	{ .name = "check-placement", .kind = K_FLAG, .off = F(check_placement), .value = 1,
	  .usage = "--check-placement", .help = "children record the CPU they ran on (one getcpu each)" },
	{ .kind = K_HEADING, .help = "" },
	{ .name = "time-base", .kind = K_NAMED, .off = F(time_base), .name_of = pb_time_base_name,
	  .usage = "--time-base wall|instructions",
	  .help = "what the counter counts: wall time (default), or guest\n"
		  "instructions under qemu -icount shift=0 (ci/kernel-run sets\n"
		  "it in its icount mode); recorded; compare refuses to mix them" },
	{ .name = "run-id", .kind = K_FN, .has_arg = required_argument, .fn = set_run_id,
	  .what = "16 to 38 lowercase hex digits", .usage = "--run-id HEX",
	  .help = "the run's id instead of a random one (ci/kernel-run gives\n"
		  "each boot its own, drawn on the host); compare refuses a run\n"
		  "listed twice, so ids must not repeat" },
	{ .name = "context", .kind = K_FN, .has_arg = required_argument, .fn = set_context,
	  .what = "KEY=VALUE or KEY=@FILE (KEY: a-z, 0-9, _; at most 63)",
	  .usage = "--context KEY=VALUE",
	  .help = "record what the caller knows of the run in the JSON results'\n"
		  "context (up to 32 keys, each once; VALUE is text, @@TEXT the\n"
		  "text @TEXT, @FILE a JSON value read from a file of at most\n"
		  "1 MiB); a key procbench writes itself is refused" },
	{ .name = "quiet", .kind = K_FLAG, .off = F(quiet), .value = 1, .usage = "--quiet",
	  .help = "no progress line (one is drawn on stderr when it is a terminal)" },
	{ .name = "version", .kind = K_FLAG, .usage = "--version", .help = "print the version" },
	{ .name = "help", .key = 'h', .kind = K_FLAG, .usage = "--help", .help = "this help" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static int has_arg(const struct opt *d)
{
	if (d->kind == K_FN)
		return d->has_arg;
	return d->kind == K_FLAG ? no_argument : required_argument;
}

/* One option's lines: "  -x, --name VALUE  help", the help in a column of its own. */
static void usage_one(FILE *f, const struct opt *d)
{
	char left[64];
	const char *h = d->help;
	int n;

	if (d->key)
		n = snprintf(left, sizeof(left), "  -%c, %s", d->key, d->usage);
	else
		n = snprintf(left, sizeof(left), "      %s", d->usage);
	if (n > 23)
		fprintf(f, "%s\n%25s", left, "");
	else
		fprintf(f, "%-25s", left);
	for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
		fprintf(f, "%.*s\n%25s", (int)(nl - h), h, "");
	fprintf(f, "%s\n", h);
}

void pb_usage(FILE *f)
{
	fputs("usage: procbench [options]\n"
	      "       procbench sweep [options]\n"
	      "       procbench compare [options] BASE NEW    (procbench compare --help)\n"
	      "       procbench report [--out DIR] [--history STORE] FILE...\n"
	      "       procbench history add|list|show|check [options]    (procbench history --help)\n"
	      "       procbench model [options] FILE...    (procbench model --help)\n"
	      "       procbench validate [--quiet] [--format text|json] FILE...\n"
	      "       procbench perf-stat [perf stat options] -- [procbench options]\n"
	      "Measure the cost of creating Linux processes, in phases, from a lean static creator.\n"
	      "`sweep` runs fork, vfork, posix_spawn and clone3 over parent RSS 0..1G, touched and\n"
	      "untouched, into one results file (options below narrow or widen it).\n\n",
	      f);
	for (size_t i = 0; i < NOPTS; i++) {
		if (opts[i].kind == K_HEADING)
			fprintf(f, "\n%s%s", opts[i].help, *opts[i].help ? "\n" : "");
		else
			usage_one(f, &opts[i]);
	}
	fputs("\nExit status: 0 all ran or were skipped with a reason, 1 a benchmark failed,\n"
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

/* What a value must be, for "--x 'v' is not WHAT": a table's names, else the option's words. */
static const char *what(const struct opt *d, char *buf, size_t len)
{
	size_t used = 0;
	int n = 0;

	if (!d->name_of)
		return d->what;
	while (d->name_of(n))
		n++;
	buf[0] = 0;
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s",
					 i == 0 && n > 2 ? "one of " : "",
					 i == 0 ? "" : n == 2 ? " or " : ", ", d->name_of(i));
	return buf;
}

/* Store one option's value: 0, or 2 with the one-line error printed. */
static int apply(const struct opt *d, const char *arg, struct pb_options *o)
{
	char *base = (char *)o, flag[64], whatbuf[160];
	int ok = 0;
	double v;
	unsigned u;

	snprintf(flag, sizeof(flag), "--%s", d->name);
	switch (d->kind) {
	case K_FLAG:
		*(int *)(base + d->off) = d->value;
		return 0;
	case K_STRING:
		*(const char **)(base + d->off) = arg;
		return 0;
	case K_UINT:
	case K_INT:
		ok = !pb_cli_parse_uint(arg, (unsigned long)d->lo, (unsigned long)d->hi, &u);
		if (ok && d->kind == K_UINT)
			*(unsigned *)(base + d->off) = u;
		else if (ok)
			*(int *)(base + d->off) = (int)u;
		break;
	case K_DOUBLE:
		ok = !pb_cli_parse_double(arg, d->lo, d->hi, &v);
		if (ok)
			*(double *)(base + d->off) = v * (d->scale ? d->scale : 1);
		break;
	case K_CHOICE:
		for (unsigned i = 0; !ok && d->names[i]; i++)
			if (!strcmp(arg, d->names[i])) {
				*(int *)(base + d->off) = d->values[i];
				ok = 1;
			}
		break;
	case K_NAMED:
		for (int i = 0; !ok && d->name_of(i); i++)
			if (!strcmp(arg, d->name_of(i))) {
				*(int *)(base + d->off) = i;
				ok = 1;
			}
		break;
	case K_LIST:
		return pb_cli_each_in_list(flag, arg, d->max, (unsigned *)(base + d->n_off), d->one,
					   base + d->off, what(d, whatbuf, sizeof(whatbuf))) ? 2 : 0;
	case K_FN: {
		int r = d->fn(o, arg);

		if (r == -2)
			return 2; /* the reason is printed */
		ok = !r;
		break;
	}
	case K_HEADING:
		break;
	}
	if (ok)
		return 0;
	fprintf(stderr, "procbench: %s '%s' is not %s (see procbench --help)\n", flag, arg ? arg : "",
		what(d, whatbuf, sizeof(whatbuf)));
	return 2;
}

static void defaults(struct pb_options *o)
{
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
}

/* Which options the command line gave, by name (modes only fill what was not given). */
static int given(const unsigned char *seen, const char *name)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opts[i].name && !strcmp(opts[i].name, name))
			return seen[i];
	return 0;
}

/* What sweep, the instruction time base, --quick and --count change, unless given. */
static void apply_modes(struct pb_options *o, const unsigned char *seen)
{
	if (o->sweep) {
		/* The classic figure: creation cost against parent size, log-spaced to 1 GiB. */
		static const uint64_t sweep_rss[] = { 0, 1ull << 20, 4ull << 20, 16ull << 20,
						      64ull << 20, 256ull << 20, 1ull << 30 };

		if (!given(seen, "rss")) {
			o->n_rss = sizeof(sweep_rss) / sizeof(sweep_rss[0]);
			memcpy(o->rss, sweep_rss, sizeof(sweep_rss));
		}
		if (!given(seen, "touch"))
			set_touch(o, "both");
		if (!o->filter)
			o->filter = "^(fork|vfork|posix_spawn|clone3)$";
	}
	if (o->time_base == PB_TB_INSTRUCTIONS) {
		/*
		 * Instruction time has no drift: the CI of the median reaches its
		 * target in a few dozen samples, and wall-time minimums (a second of
		 * guest time is ~1e9 emulated instructions) would only cost minutes.
		 * The sample count is what steadies a median between boots: an exec
		 * path spreads over ~1.5% from sample to sample, so 200 at least.
		 */
		if (!given(seen, "min-samples"))
			o->min_samples = 200;
		if (!given(seen, "min-time"))
			o->min_time_s = 0;
		if (!given(seen, "time-budget"))
			o->time_budget_s = o->quick ? 0.2 : 1;
		o->warmup_s = 0.005;
	} else if (o->quick) {
		if (!given(seen, "time-budget"))
			o->time_budget_s = 0.4;
		if (!given(seen, "min-samples"))
			o->min_samples = 50;
		if (!given(seen, "min-time"))
			o->min_time_s = 0.1;
		o->warmup_s = 0.02;
	}
	if (o->count) {
		/* A fixed number of creations: no stopping rule, no time limits. */
		o->min_samples = o->max_samples = o->count;
		o->min_time_s = 0;
		o->time_budget_s = 1e9;
		o->ci_target = 0;
	}
	if (o->min_time_s > o->time_budget_s)
		o->min_time_s = o->time_budget_s;
}

/* Options that contradict each other, and the filter: 0 or 2 (printed). */
static int check_together(struct pb_options *o)
{
	char msg[128];
	int r;

	for (unsigned i = 0; i < o->n_pins; i++)
		if (o->pins[i] == PB_PIN_NONE && o->cpu >= 0)
			return bad("--cpu and --no-pin (--pin none) contradict each other%s", "");
	for (unsigned i = 0; o->perf_ctl && i < o->n_jobs; i++)
		if (o->jobs[i] > 1)
			return bad("--perf-ctl needs --jobs 1: one creator brackets each region%s", "");
	if (!o->filter)
		return 0;
	if (!pb_cli_regex_affordable(o->filter)) {
		fprintf(stderr, "procbench: --filter '%.80s' is too costly to compile (repeated "
				"repetitions grow without bound); write it more simply\n",
			o->filter);
		return 2;
	}
	r = regcomp(&o->filter_re, o->filter, REG_EXTENDED | REG_NOSUB);
	if (r) {
		regerror(r, &o->filter_re, msg, sizeof(msg));
		fprintf(stderr, "procbench: --filter '%s' is not a valid regular expression: %s\n",
			o->filter, msg);
		return 2;
	}
	return 0;
}

/*
 * The one place the results format is decided: --format, else the --out
 * name's extension (.json, .csv, .tap), else JSON. A --format and an
 * extension that disagree, a file with --format console, and --samples
 * where no samples can be kept are errors, never a silent choice.
 */
static int settle_format(struct pb_options *o, const unsigned char *seen)
{
	int by_name = pb_format_of_name(o->out);

	if (o->list && given(seen, "format") && o->format != PB_FMT_JSON && o->format != PB_FMT_CONSOLE)
		return bad("--list prints a table (--format console) or JSON (--format json), not %s",
			   pb_formats[o->format].name);
	if (o->list) {
		o->list_json = given(seen, "format") && o->format == PB_FMT_JSON;
		return 0;
	}
	if (o->format == PB_FMT_CONSOLE && o->out)
		return bad("--format console prints the table and writes no file: drop --out '%s' "
			   "or give a file format",
			   o->out);
	if (given(seen, "format") && by_name >= 0 && by_name != (int)o->format) {
		fprintf(stderr, "procbench: --format %s and --out '%s' (a .%s name) disagree: name the "
				"file for its format, or drop --format (see procbench --help)\n",
			pb_formats[o->format].name, o->out, pb_formats[by_name].name);
		return 2;
	}
	if (by_name >= 0)
		o->format = (enum pb_format)by_name;
	if (o->n_context && o->format != PB_FMT_JSON)
		return bad("--context records facts in a JSON results file, and --format %s writes "
			   "none; drop one",
			   pb_formats[o->format].name);
	if (o->samples == 1 && o->format != PB_FMT_JSON)
		return bad("--samples keeps raw samples beside a JSON results file, and --format %s "
			   "writes none; drop one",
			   pb_formats[o->format].name);
	if (o->samples == 1 && o->out && !strcmp(o->out, "-"))
		return bad("--samples keeps raw samples beside a results file, and --out %s is "
			   "standard output; drop one",
			   o->out);
	return 0;
}

/* A program the user named must be able to run: an error now, not a skip after the work. */
static int check_programs(const struct pb_options *o)
{
	char why[256];

	if (!o->exec_target || !pb_cli_check_program(o->exec_target, why, sizeof(why)))
		return 0;
	fprintf(stderr, "procbench: --exec-target '%s' %s: name the exec target program "
			"(procbench-exec-target, built beside procbench)\n",
		o->exec_target, why);
	return 2;
}

/* getopt's view of the table: long options return 256 + their index. */
static void getopt_tables(struct option *lo, char *shorts)
{
	size_t n = 0, s = 0;

	shorts[s++] = ':';
	for (size_t i = 0; i < NOPTS; i++) {
		if (opts[i].kind == K_HEADING)
			continue;
		lo[n++] = (struct option){ opts[i].name, has_arg(&opts[i]), NULL, 256 + (int)i };
		if (opts[i].key) {
			shorts[s++] = (char)opts[i].key;
			if (has_arg(&opts[i]) == required_argument)
				shorts[s++] = ':';
		}
	}
	lo[n] = (struct option){ 0 };
	shorts[s] = 0;
}

/* Name the option itself: "-xq" is the unknown -x, not the whole word. */
static int unknown(int c, char **argv)
{
	const char *word = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, 0 };
	const char *name = !strncmp(word, "--", 2) || !optopt ? word : shortopt;

	if (c == ':')
		return bad("option '%s' needs a value", name);
	return bad("unknown option '%s'", name);
}

int pb_parse_cli(int argc, char **argv, struct pb_options *o)
{
	struct option lo[NOPTS + 1];
	char shorts[2 * NOPTS + 2];
	unsigned char seen[NOPTS] = { 0 };
	int c;

	defaults(o);
	getopt_tables(lo, shorts);
	opterr = 0;
	optind = 0; /* glibc: start afresh, forgetting any option group a last parse left half-read */
	if (argc > 1 && !strcmp(argv[1], "sweep")) {
		o->sweep = 1;
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		size_t i = NOPTS;
		int r;

		if (c >= 256)
			i = (size_t)c - 256;
		for (size_t k = 0; c > 0 && c < 256 && k < NOPTS; k++)
			if (opts[k].key == c && c != ':' && c != '?')
				i = k;
		if (i >= NOPTS)
			return unknown(c, argv);
		if (!strcmp(opts[i].name, "help")) {
			pb_usage(stdout);
			return 1;
		}
		if (!strcmp(opts[i].name, "version"))
			return 3;
		r = apply(&opts[i], optarg, o);
		if (r)
			return r;
		seen[i] = 1;
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	apply_modes(o, seen);
	if (settle_format(o, seen) || check_programs(o))
		return 2;
	return check_together(o);
}
