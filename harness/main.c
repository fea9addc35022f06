// SPDX-License-Identifier: MIT
/*
 * procbench: the controller. Parses the command line, calibrates the
 * counter, has the runner drive the creator, and hands finished records to
 * the reporters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "compare.h"
#include "context.h"
#include "options.h"
#include "report.h"
#include "runner.h"

static void list_methods(void)
{
	printf("%-16s %-8s %s\n", "benchmark", "default", "what it measures");
	for (unsigned i = 0; pb_methods[i]; i++)
		printf("%-16s %-8s %s\n", pb_methods[i]->name, pb_methods[i]->in_default ? "yes" : "no",
		       pb_methods[i]->summary);
}

static void warn_noise(const struct pb_context *c, const struct pb_options *o)
{
	int unpinned = 0;

	for (unsigned i = 0; i < o->n_pins; i++)
		unpinned |= o->pins[i] == PB_PIN_NONE;
	pb_environment_warn(&c->env, stderr);
	if (c->counter.invariant == 0)
		fprintf(stderr, "procbench: warning: %s\n", c->counter.invariant_why);
	if (c->counter.spread > 0.005)
		fprintf(stderr,
			"procbench: warning: counter calibration rounds differ by %.2f%%: the machine "
			"is busy or the counter drifts\n",
			c->counter.spread * 100);
	if (unpinned)
		fprintf(stderr, "procbench: warning: the creator is not pinned%s: migrations will "
				"add noise\n",
			c->runnable_others > 0 ? " on a busy machine" : "");
	if (c->runnable_others > 0)
		fprintf(stderr, "procbench: warning: %d other task%s runnable at start (load average "
				"%.2f on %ld CPUs): other work will disturb the numbers\n",
			c->runnable_others, c->runnable_others > 1 ? "s were" : " was", c->load_avg[0],
			c->num_cpus);
}

static const char *default_out(char *buf, size_t len, const struct pb_context *c,
			       enum pb_format fmt)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	if (mkdir("results", 0755) && errno != EEXIST)
		return NULL;
	snprintf(buf, len, "results/%s-%s.%s", stamp, c->host,
		 fmt == PB_FMT_CSV ? "csv" : fmt == PB_FMT_TAP ? "tap" : "json");
	return buf;
}

/* Samples are kept beside every JSON results file (compare needs them) unless --no-samples. */
static int want_samples(const struct pb_options *o, const char *out)
{
	size_t n = strlen(out);

	if (o->format != PB_FMT_JSON || n < 5 || strcmp(out + n - 5, ".json"))
		return o->samples == 1 ? -1 : 0;
	return o->samples != 0;
}

/* Written before the JSON, which names it: a results file never points at nothing. */
static int write_samples(const char *out, struct pb_run *run)
{
	char path[4200];
	const char *base;
	int r;

	snprintf(path, sizeof(path), "%.*s.samples.tsv", (int)(strlen(out) - 5), out);
	r = pb_write_atomic(path, pb_report_samples, run);
	if (r) {
		fprintf(stderr, "procbench: cannot write %s: %s\n", path, strerror(-r));
		return -1;
	}
	base = strrchr(path, '/');
	snprintf(run->ctx.samples_file, sizeof(run->ctx.samples_file), "%s", base ? base + 1 : path);
	return 0;
}

static int run_and_report(struct pb_options *o)
{
	struct pb_run run = { 0 };
	char outbuf[512], msg[256];
	const char *out;
	pb_reporter file_fmt;
	int r, failed = 0;

	pb_context_init(&run.ctx, o);
	if (pb_topology_load(msg, sizeof(msg))) {
		fprintf(stderr, "procbench: %s\n", msg);
		return 2;
	}
	pb_environment_read(&run.ctx.env);
	if (pb_counter_calibrate(&run.ctx.counter, 5, 20)) {
		fprintf(stderr, "procbench: the %s counter does not advance: cannot time anything\n",
			PB_COUNTER_NAME);
		return 2;
	}
	fflush(NULL); /* nothing buffered may be duplicated by a fork */
	if (pb_run(o, &run, warn_noise)) {
		pb_run_free(&run);
		return 2;
	}
	if (getloadavg(run.ctx.env.load_end, 3) < 0)
		run.ctx.env.load_end[0] = run.ctx.env.load_end[1] = run.ctx.env.load_end[2] = -1;
	for (unsigned i = 0; i < run.nrecs; i++)
		failed |= run.recs[i].status == PB_ERROR;

	file_fmt = o->format == PB_FMT_CSV ? pb_report_csv
		   : o->format == PB_FMT_TAP ? pb_report_tap
					     : pb_report_json;
	if (!(o->out && !strcmp(o->out, "-")))
		pb_report_console(stdout, &run);
	fflush(stdout);
	if (o->format != PB_FMT_CONSOLE) {
		out = o->out ? o->out : default_out(outbuf, sizeof(outbuf), &run.ctx, o->format);
		if (!out) {
			fprintf(stderr, "procbench: cannot create results/: %s; pass --out FILE\n",
				strerror(errno));
			failed = 2;
		} else if (!strcmp(out, "-")) {
			file_fmt(stdout, &run);
		} else {
			int ws = want_samples(o, out);

			if (ws < 0) {
				fprintf(stderr, "procbench: --samples needs a JSON results file (--out "
						"FILE.json)\n");
				failed = 2;
			} else if (ws && write_samples(out, &run)) {
				failed = 2;
			} else if ((r = pb_write_atomic(out, file_fmt, &run))) {
				fprintf(stderr, "procbench: cannot write %s: %s\n", out, strerror(-r));
				failed = 2;
			} else {
				if (ws)
					fprintf(stderr, "procbench: results written to %s (raw samples in "
							"%s)\n",
						out, run.ctx.samples_file);
				else
					fprintf(stderr, "procbench: results written to %s\n", out);
			}
		}
	}
	pb_run_free(&run);
	return failed == 2 ? 2 : failed ? 1 : 0;
}

/*
 * `procbench report` and `procbench perf-stat` are Python scripts in the
 * source tree (plots/report.py, ci/perf-stat), found beside the build
 * (build/<arch>/../../) or through PROCBENCH_HOME; PROCBENCH_BIN tells them
 * which procbench to run.
 */
static int run_script(const char *rel, const char *what, int argc, char **argv)
{
	char dir[4000], script[4200], self[4100];
	const char *home = getenv("PROCBENCH_HOME");
	char **args = calloc((size_t)argc + 2, sizeof(char *));

	if (!args || pb_self_dir(dir, sizeof(dir))) {
		free(args);
		return 2;
	}
	if (home)
		snprintf(script, sizeof(script), "%.3900s/%s", home, rel);
	else
		snprintf(script, sizeof(script), "%s/../../%s", dir, rel);
	if (access(script, R_OK)) {
		fprintf(stderr, "procbench %s: cannot find %s (%s); set PROCBENCH_HOME to the source "
				"tree\n",
			what, rel, script);
		free(args);
		return 2;
	}
	snprintf(self, sizeof(self), "%s/procbench", dir);
	setenv("PROCBENCH_BIN", self, 1);
	args[0] = "python3";
	args[1] = script;
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	execv("/usr/bin/python3", args);
	fprintf(stderr, "procbench %s: cannot run /usr/bin/python3: %s; apt-get install python3\n",
		what, strerror(errno));
	free(args);
	return 2;
}

int main(int argc, char **argv)
{
	struct pb_options o;
	int r;

	if (argc > 1 && !strcmp(argv[1], "compare"))
		return pb_compare_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return run_script("plots/report.py", "report", argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "perf-stat"))
		return run_script("ci/perf-stat", "perf-stat", argc - 1, argv + 1);
	r = pb_parse_cli(argc, argv, &o);

	if (r == 1)
		return 0;
	if (r == 3) {
		struct pb_context c;

		pb_context_init(&c, &o);
		printf("procbench %s (%s)\n", c.version, c.git_commit);
		return 0;
	}
	if (r)
		return 2;
	if (o.list) {
		list_methods();
		r = 0;
	} else {
		/* A results file named *.csv is CSV unless --format says otherwise. */
		if (o.out && o.format == PB_FMT_JSON) {
			size_t n = strlen(o.out);

			if (n > 4 && !strcmp(o.out + n - 4, ".csv"))
				o.format = PB_FMT_CSV;
		}
		r = run_and_report(&o);
	}
	if (o.filter)
		regfree(&o.filter_re);
	return r;
}
