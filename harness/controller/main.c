// SPDX-License-Identifier: MIT
/*
 * procbench: the controller. Parses the command line, calibrates the
 * counter, has the runner drive the creator, and hands finished records to
 * the reporters.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "compare_main.h"
#include "history_main.h"
#include "model_main.h"
#include "context.h"
#include "creator_link.h"
#include "environment.h"
#include "options.h"
#include "perfstat_main.h"
#include "../report/outfile.h"
#include "../report/report.h"
#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"
#include "runner.h"

/*
 * The creator's method table, each probed here: whether it is in the
 * default suite, whether it can run on this machine, and why not.
 */
/*
 * --list --format json: every method the creator offers, whether this run's
 * options select it, and whether it runs here (the reason where not).
 */
static int list_json(const struct pb_options *o, const struct pb_run *run)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	static const char *const here[] = { [PB_OK] = "runs", [PB_SKIP] = "skip", [PB_ERROR] = "error" };

	json_object_object_add(root, "filter", o->filter ? json_object_new_string(o->filter) : NULL);
	for (unsigned i = 0; i < run->nmethods; i++) {
		const struct pb_method_info *m = &run->methods[i];
		json_object *x = json_object_new_object();

		json_object_object_add(x, "name", json_object_new_string(m->name));
		json_object_object_add(x, "summary", json_object_new_string(m->summary));
		json_object_object_add(x, "in_default", json_object_new_boolean(m->in_default));
		json_object_object_add(x, "selected", json_object_new_boolean(pb_method_selected(o, m)));
		json_object_object_add(x, "here", json_object_new_string(here[m->probed]));
		if (m->probed != PB_OK)
			json_object_object_add(x, "reason", json_object_new_string(m->skip));
		json_object_array_add(arr, x);
	}
	json_object_object_add(root, "methods", arr);
	pb_json_utf8(root);
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return 0;
}

static int list_methods(const struct pb_options *o)
{
	static struct pb_run run;
	struct pb_creator_spec spec = { .cpu = -1, .child_cpu = -1, .perf_ctl_fd = -1,
					 .perf_ack_fd = -1 };
	char creator[4200], err[4400];
	unsigned skipped = 0;

	if (pb_programs_locate(&run.ctx, o, creator, sizeof(creator))) {
		fprintf(stderr, "procbench: cannot find my own directory via /proc/self/exe\n");
		return 2;
	}
	spec.creator_path = creator;
	spec.exec_target = run.ctx.exec_target;
	if (pb_link_methods(&spec, PB_HELLO_PROBE, run.methods, &run.nmethods, err, sizeof(err))) {
		fprintf(stderr, "procbench: %s\n", err);
		return 2;
	}
	if (o->list_json)
		return list_json(o, &run);
	printf("%-18s %-8s %-5s %s\n", "benchmark", "default", "here", "what it measures");
	for (unsigned i = 0; i < run.nmethods; i++) {
		const struct pb_method_info *m = &run.methods[i];

		skipped += m->probed != PB_OK;
		printf("%-18s %-8s %-5s %s\n", m->name, m->in_default ? "yes" : "no",
		       m->probed == PB_OK ? "runs" : m->probed == PB_SKIP ? "skip" : "error",
		       m->summary);
	}
	if (skipped)
		printf("\nNot runnable here:\n");
	for (unsigned i = 0; i < run.nmethods; i++)
		if (run.methods[i].probed != PB_OK)
			printf("  %-16s %s\n", run.methods[i].name, run.methods[i].skip);
	return 0;
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
	snprintf(buf, len, "results/%s-%s%s", stamp, c->host, pb_formats[fmt].ext);
	return buf;
}

/* A fresh random id: the results file and its samples carry it, so a reader can pair them. */
static void new_run_id(char *id, size_t len)
{
	unsigned char b[16] = { 0 };
	struct timespec ts;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		memcpy(b, &ts, sizeof(ts) < sizeof(b) ? sizeof(ts) : sizeof(b));
		b[15] ^= (unsigned char)getpid();
	}
	for (size_t i = 0; i < sizeof(b) && 2 * i + 2 < len; i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
}

struct outputs {
	pb_reporter fmt;
	struct pb_out file, samples;
	int has_file, has_samples;
};

/*
 * No output may be a file the run reads: the programs it runs (the exec
 * target, the creator, procbench itself).
 */
static int refuse_inputs(struct outputs *w, const struct pb_options *o, struct pb_run *run)
{
	const struct pb_out *outs[2] = { &w->file, &w->samples };
	char creator[4200], self[4200], err[9000];
	struct pb_out_input in[3] = {
		{ .path = run->ctx.exec_target, .role = "the exec target" },
		{ .path = creator, .role = "the creator program" },
		{ .path = self, .role = "the procbench program" },
	};
	size_t nin = 3;

	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = 0;
	if (pb_programs_locate(&run->ctx, o, creator, sizeof(creator)))
		nin = 0; /* the run itself will say it cannot find its programs */
	else if (n <= 0)
		nin = 2;
	if (pb_out_refuse_inputs(outs, w->has_samples ? 2 : 1, in, nin, err, sizeof(err))) {
		fprintf(stderr, "procbench: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * Decided before any sampling, so a bad path costs nothing: where the
 * results go, and whether raw samples go beside them (every JSON results
 * file that is a regular file gets them unless --no-samples). The format
 * was settled with the options (cli.c): an extension and --format agree.
 */
static int plan_outputs(struct outputs *w, const struct pb_options *o, struct pb_run *run)
{
	char buf[512], err[4600];
	const char *out;
	int r;

	memset(w, 0, sizeof(*w));
	w->file.fd = w->samples.fd = -1;
	w->fmt = pb_formats[o->format].write;
	if (!pb_formats[o->format].ext)
		return 0; /* console: the table only, no file */
	out = o->out ? o->out : default_out(buf, sizeof(buf), &run->ctx, o->format);
	if (pb_out_prepare(&w->file, out, o->out ? PB_OUT_NAMED : 0, err, sizeof(err))) {
		fprintf(stderr, "procbench: %s\n", err);
		return -1;
	}
	w->has_file = 1;
	if (w->file.note[0])
		fprintf(stderr, "procbench: note: %s\n", w->file.note);
	if (o->format != PB_FMT_JSON || o->samples == 0)
		return refuse_inputs(w, o, run);
	r = pb_out_sibling(&w->file, ".json", ".samples.tsv", &w->samples, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "procbench: %s (or run with --no-samples)\n", err);
		return -1;
	}
	if (r > 0) {
		if (o->samples == 1) {
			fprintf(stderr, "procbench: --samples needs the results in a regular file named "
					"*.json, not %s\n",
				out);
			return -1;
		}
		return refuse_inputs(w, o, run);
	}
	w->has_samples = 1;
	{
		const char *base = strrchr(w->samples.given, '/');

		snprintf(run->ctx.samples_file, sizeof(run->ctx.samples_file), "%s",
			 base ? base + 1 : w->samples.given);
	}
	return refuse_inputs(w, o, run);
}

struct fmt_call {
	pb_reporter fn;
	const struct pb_run *run;
};

static int call_reporter(FILE *f, const void *arg)
{
	const struct fmt_call *c = arg;

	return c->fn(f, c->run);
}

/*
 * The samples and the results file are written in full, then committed
 * together: a reader sees the old pair or the new one, never half of
 * either, and an old results file is never left beside new samples.
 */
static int write_outputs(struct outputs *w, const struct pb_run *run)
{
	struct fmt_call samples = { pb_report_samples, run }, file = { w->fmt, run };
	struct pb_staged st[2];
	const struct pb_out *bad = NULL;
	char err[4600] = "";
	size_t n = 0;
	int r = 0;

	if (w->has_samples) {
		r = pb_out_stage(&st[n], &w->samples, call_reporter, &samples);
		if (r) {
			bad = &w->samples;
			goto fail;
		}
		n++;
	}
	r = pb_out_stage(&st[n], &w->file, call_reporter, &file);
	if (r) {
		bad = &w->file;
		if (n)
			pb_out_discard(&st[0]);
		goto fail;
	}
	n++;
	r = pb_out_commit(st, n, &bad, err, sizeof(err));
	if (!r) {
		if (w->file.kind == PB_OUT_STDOUT)
			return 0;
		if (w->has_samples)
			fprintf(stderr, "procbench: results written to %s (raw samples in %s)\n",
				w->file.given, run->ctx.samples_file);
		else
			fprintf(stderr, "procbench: results written to %s\n", w->file.given);
		return 0;
	}
fail:
	/* Nothing staged is visible and a failed commit is undone: old files are intact. */
	fprintf(stderr, "procbench: cannot write %s: %s%s\n",
		bad->kind == PB_OUT_STDOUT ? "the results to standard output" : bad->given,
		err[0] ? err : strerror(-r), bad->kind == PB_OUT_REPLACE ? " (any previous files there are kept)" : "");
	return -1;
}

static int run_and_report(struct pb_options *o)
{
	struct pb_run run = { 0 };
	struct outputs w;
	char err[600];
	int failed = 0;

	pb_context_init(&run.ctx, o);
	if (o->run_id)
		snprintf(run.ctx.run_id, sizeof(run.ctx.run_id), "%s", o->run_id);
	else
		new_run_id(run.ctx.run_id, sizeof(run.ctx.run_id));
	if (pb_context_caller(&run.ctx, o, err, sizeof(err))) {
		fprintf(stderr, "procbench: %s\n", err);
		pb_context_free(&run.ctx);
		return 2;
	}
	if (plan_outputs(&w, o, &run)) {
		pb_context_free(&run.ctx);
		return 2;
	}
	if (pb_prepare(&run, "procbench")) {
		pb_context_free(&run.ctx);
		return 2;
	}
	if (pb_run(o, &run, warn_noise)) {
		pb_run_free(&run);
		return 2;
	}
	for (unsigned i = 0; i < run.nrecs; i++)
		failed |= run.recs[i].status == PB_ERROR;

	if (!(w.has_file && w.file.kind == PB_OUT_STDOUT)) {
		pb_report_console(stdout, &run);
		fflush(stdout); /* the table before the "written to" line; errors show at exit */
	}
	if (w.has_file && write_outputs(&w, &run))
		failed = 2;
	pb_run_free(&run);
	return failed == 2 ? 2 : failed ? 1 : 0;
}

/*
 * `procbench report` and `procbench perf-stat` are Python scripts in the
 * source tree (plots/report.py, ci/perf-stat), found through PROCBENCH_HOME,
 * beside the build (build/<arch>/../../), or where `make install` puts them
 * (PREFIX/libexec/procbench/../../share/procbench/); PROCBENCH_BIN tells
 * them which procbench to run.
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
	else {
		snprintf(script, sizeof(script), "%s/../../%s", dir, rel);
		if (access(script, R_OK))
			snprintf(script, sizeof(script), "%s/../../share/procbench/%s", dir, rel);
	}
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

static int pb_main(int argc, char **argv)
{
	struct pb_options o;
	int r;

	if (argc > 1 && !strcmp(argv[1], "compare"))
		return pb_compare_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "history"))
		return pb_history_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "validate"))
		return pb_validate_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "model"))
		return pb_model_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return run_script("plots/report.py", "report", argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "perf-stat-merge"))
		return pb_perfstat_merge_main(argc - 1, argv + 1);
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
		r = list_methods(&o);
	} else {
		r = run_and_report(&o);
	}
	if (o.filter)
		regfree(&o.filter_re);
	return r;
}

int main(int argc, char **argv)
{
	int r, e;

	pb_safe_stderr();
	/* Past RLIMIT_FSIZE a write fails with EFBIG and is reported, instead of SIGXFSZ killing us. */
	signal(SIGXFSZ, SIG_IGN);
	r = pb_main(argc, argv);
	e = pb_stdout_close();

	/* A table or results that never reached their reader are a failure, not a success. */
	if (e) {
		fprintf(stderr, "procbench: cannot write to standard output: %s\n", strerror(-e));
		return 2;
	}
	return r;
}
