// SPDX-License-Identifier: MIT
/*
 * procbench perf-stat-merge RESULTS PERF --command CMD --out OUT: the last
 * step of `procbench perf-stat` (ci/perf-stat), done by procbench so that no
 * script writes a results file. RESULTS is the run perf stat wrapped (read
 * and checked by the one reader, with its raw samples); PERF is perf stat's
 * -j output. The one measured point gets "perf_stat": the creations counted
 * (iterations x operations per sample), the command, and per event its
 * total and per-creation value, or why perf had none. OUT and its raw
 * samples beside it are written whole or not at all (report/outfile.h).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfstat_main.h"
#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"
#include "../report/outfile.h"

#define PB_MAX_PERF_BYTES ((size_t)16 << 20)

static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fputs("procbench perf-stat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* perf's events, in its order: {event: {available, total, unit, per_creation} or {available, reason}}. */
static json_object *perf_events(char *text, double creations, char *err, size_t errlen)
{
	json_object *events = json_object_new_object();

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		json_object *o, *ev, *val, *unit, *e = json_object_new_object();
		const char *v;
		char *end;
		double x;

		line += strspn(line, " \t\r");
		if (line[0] != '{') {
			json_object_put(e);
			continue;
		}
		o = json_tokener_parse(line);
		if (!o || !json_object_is_type(o, json_type_object)) {
			snprintf(err, errlen, "cannot parse perf's output line: %.80s", line);
			json_object_put(o);
			json_object_put(e);
			json_object_put(events);
			return NULL;
		}
		if (!json_object_object_get_ex(o, "event", &ev)) {
			json_object_put(o);
			json_object_put(e);
			continue;
		}
		v = json_object_object_get_ex(o, "counter-value", &val) ? json_object_get_string(val) : "";
		x = strtod(v, &end);
		if (*v && !*end && isfinite(x)) {
			json_object_object_add(e, "available", json_object_new_boolean(1));
			json_object_object_add(e, "total", json_object_new_double(x));
			json_object_object_add(e, "unit",
					       json_object_object_get_ex(o, "unit", &unit) ? json_object_get(unit)
										  : json_object_new_string(""));
			json_object_object_add(e, "per_creation", json_object_new_double(x / creations));
		} else {
			size_t n = strlen(v);
			char why[128];

			if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
				snprintf(why, sizeof(why), "%.*s", (int)(n - 2), v + 1);
			else
				snprintf(why, sizeof(why), "%s", n ? v : "no value");
			json_object_object_add(e, "available", json_object_new_boolean(0));
			json_object_object_add(e, "reason", json_object_new_string(why[0] ? why : "no value"));
		}
		json_object_object_add(events, json_object_get_string(ev), e);
		json_object_put(o);
	}
	return events;
}

struct blob {
	const char *text;
	size_t len;
};

static int write_blob(FILE *f, const void *arg)
{
	const struct blob *b = arg;

	return fwrite(b->text, 1, b->len, f) == b->len ? 0 : -1;
}

static void summary(const char *name, double creations, json_object *events, const struct pb_out *out,
		    const struct pb_out *sib)
{
	char buf[400];

	printf("perf stat over %.0f creations of %s (only the timed batches):\n", creations,
	       pb_safe(name, buf, sizeof(buf)));
	json_object_object_foreach(events, ev, e) {
		json_object *a, *x;

		json_object_object_get_ex(e, "available", &a);
		if (json_object_get_boolean(a)) {
			double per = json_object_get_double(json_object_object_get(e, "per_creation"));
			double total = json_object_get_double(json_object_object_get(e, "total"));

			x = json_object_object_get(e, "unit");
			printf("  %-20s %14.3f %s per creation  (%.0f in all)\n", ev, per,
			       x && json_object_get_string_len(x) ? json_object_get_string(x) : "", total);
		} else {
			printf("  %-20s %14s (%s)\n", ev, "unavailable",
			       json_object_get_string(json_object_object_get(e, "reason")));
		}
	}
	fflush(stdout);
	fprintf(stderr, "procbench: results written to %s", pb_safe(out->given, buf, sizeof(buf)));
	if (sib)
		fprintf(stderr, " (raw samples in %s)", pb_safe(strrchr(sib->given, '/') ? strrchr(sib->given, '/') + 1
										     : sib->given, buf, sizeof(buf)));
	fputs(", with perf stat's counts under perf_stat\n", stderr);
}

static int merge(const char *results, const char *perf, const char *command, const char *outp)
{
	struct pb_results r = { 0 };
	struct pb_out out, sib;
	struct pb_rbench *b = NULL;
	struct blob doc = { 0 }, samples = { 0 };
	char err[5000], *perf_text = NULL, *samples_text = NULL, *text;
	json_object *events = NULL, *ps, *v;
	const struct pb_out *outs[2] = { &out, &sib };
	struct pb_out_input in[3] = { { .path = results, .role = "the results perf stat wrapped", .results = 1 },
				      { .path = perf, .role = "perf's output" } };
	double creations;
	size_t ok = 0, len;
	int has_samples = 0, rc = 2, lock;

	if (pb_out_prepare(&out, outp, PB_OUT_NAMED, err, sizeof(err)))
		return fail("%s", err);
	/*
	 * The run and its raw samples (when it kept them), each read once and checked by the
	 * reader, under the folder's shared lock; then the folder is free again (OUT may be
	 * beside it).
	 */
	lock = pb_pair_lock(results, err, sizeof(err));
	text = lock == -1 ? NULL
			  : pb_read_regular(results, "", PB_MAX_RESULTS_BYTES, &len, PB_READ_OWN, err, sizeof(err));
	if (!text || pb_results_parse(&r, results, text, len, 0, err, sizeof(err)) ||
	    (json_object_object_get_ex(r.context, "samples_file", NULL) &&
	     pb_results_load_samples_keep(&r, &samples_text, &samples.len, err, sizeof(err)))) {
		pb_pair_hint(results, err, sizeof(err));
		free(text);
		pb_pair_unlock(lock);
		pb_results_free(&r);
		pb_out_close(&out);
		return fail("%s", err);
	}
	free(text);
	samples.text = samples_text;
	pb_pair_unlock(lock);
	for (size_t i = 0; i < r.nb; i++)
		if (!strcmp(r.b[i].status, "ok")) {
			b = &r.b[i];
			ok++;
		}
	if (ok != 1) {
		fail("%s has %zu measured benchmark points; perf-stat needs exactly one: narrow it with "
		     "--filter (and single-valued axes)", results, ok);
		goto done;
	}
	creations = (double)b->iterations;
	if (json_object_object_get_ex(b->obj, "ops_per_sample", &v))
		creations *= (double)json_object_get_int64(v);
	if (!(creations > 0)) {
		fail("%s: %s counted no creations", results, b->name);
		goto done;
	}
	perf_text = pb_read_regular(perf, "perf's output ", PB_MAX_PERF_BYTES, &len,
				    "name the file perf stat -j -o wrote", err, sizeof(err));
	if (!perf_text || !(events = perf_events(perf_text, creations, err, sizeof(err)))) {
		fail("%s", err);
		goto done;
	}
	ps = json_object_new_object();
	json_object_object_add(ps, "creations", creations == floor(creations) && creations < 9e15
							? json_object_new_int64((int64_t)creations)
							: json_object_new_double(creations));
	json_object_object_add(ps, "command", json_object_new_string(command));
	json_object_object_add(ps, "events", json_object_get(events));
	json_object_object_add(b->obj, "perf_stat", ps);

	/* The raw samples go beside OUT under OUT's name, and the context says so. */
	if (samples_text) {
		has_samples = pb_out_sibling(&out, ".json", ".samples.tsv", &sib, err, sizeof(err));
		if (has_samples < 0) {
			fail("%s", err);
			goto done;
		}
		has_samples = !has_samples;
		if (has_samples) {
			const char *base = strrchr(sib.given, '/');

			json_object_object_add(r.context, "samples_file",
					       json_object_new_string(base ? base + 1 : sib.given));
		} else {
			json_object_object_del(r.context, "samples_file");
		}
	}
	if (pb_out_refuse_inputs(outs, has_samples ? 2 : 1, in, 2, err, sizeof(err))) {
		fail("%s", err);
		goto done;
	}
	pb_json_utf8(r.root);
	doc.text = json_object_to_json_string_ext(r.root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	doc.len = strlen(doc.text);
	{
		struct pb_staged st[2];
		struct blob whole = { 0 };
		char *t = malloc(doc.len + 2);
		const struct pb_out *bad = NULL;
		int e;

		if (!t) {
			fail("out of memory");
			goto done;
		}
		memcpy(t, doc.text, doc.len);
		t[doc.len] = '\n';
		whole.text = t;
		whole.len = doc.len + 1;
		e = pb_out_stage(&st[0], &out, write_blob, &whole);
		if (!e && has_samples) {
			e = pb_out_stage(&st[1], &sib, write_blob, &samples);
			if (e)
				pb_out_discard(&st[0]);
		}
		if (!e)
			e = pb_out_commit(st, has_samples ? 2 : 1, &bad, err, sizeof(err));
		else
			snprintf(err, sizeof(err), "%s", strerror(-e));
		free(t);
		if (e) {
			fail("cannot write %s: %s", bad ? bad->given : out.given, err);
			goto done;
		}
	}
	summary(b->name, creations, events, &out, has_samples ? &sib : NULL);
	rc = 0;
done:
	json_object_put(events);
	free(perf_text);
	free(samples_text);
	pb_results_free(&r);
	return rc;
}

int pb_perfstat_merge_main(int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL }, *command = "", *out = NULL;
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--command") && i + 1 < argc) {
			command = argv[++i];
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: procbench perf-stat-merge RESULTS.json PERF.json --out OUT.json "
			     "[--command CMD]\n"
			     "The last step of procbench perf-stat: perf stat's counts (-j output) for "
			     "the one\nmeasured point of RESULTS, per creation, written with the run "
			     "to OUT (and its raw\nsamples beside it), whole or not at all.");
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return fail("unknown option or missing value '%s' (see procbench perf-stat-merge --help)",
				    argv[i]);
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			return fail("too many files: '%s' (see procbench perf-stat-merge --help)", argv[i]);
		}
	}
	if (npos != 2 || !out)
		return fail("needs RESULTS.json PERF.json --out OUT.json (see procbench perf-stat-merge --help)");
	return merge(pos[0], pos[1], command, out);
}
