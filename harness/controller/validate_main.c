// SPDX-License-Identifier: MIT
/*
 * procbench validate FILE...: each file checked the way compare and the
 * report read it (analysis/results_read.c): a results file with its raw
 * samples, or a comparison. Exit 0 when every file is usable, 2 otherwise.
 * With --format json, each usable file's document as the reader parsed and
 * checked it, one JSON object a line: {"path", "kind", "dev", "ino",
 * "document"}. plots/report.py reads results only this way, so it never
 * parses a file itself or keeps rules of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"

/* The file's document as the reader checked it, on one line of standard output. */
static void emit_json(const char *path, const char *kind, json_object *doc, unsigned long long dev,
		      unsigned long long ino)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "dev", json_object_new_int64((int64_t)dev));
	json_object_object_add(o, "ino", json_object_new_int64((int64_t)ino));
	json_object_object_add(o, "document", json_object_get(doc));
	pb_json_utf8(o); /* the path as given may not be UTF-8 */
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

enum vformat { V_TEXT, V_JSON, V_CASES };

/*
 * --format cases: one line per benchmark, NAME RESULT [MEASUREMENT UNITS], the
 * arguments of a test harness's case (LAVA's lava-test-case: ci/lava-cases):
 * the name with every byte outside [A-Za-z0-9_.-] made '_' (never empty, never
 * starting with '-', a repeat made NAME_2, NAME_3, ...), pass with the median
 * round trip in us, skip, or fail. A shell reads it with `read`.
 */
static void emit_cases(const struct pb_results *r)
{
	char (*names)[sizeof(r->b[0].name) + 16] = calloc(r->nb + 1, sizeof(*names));

	if (!names) {
		fprintf(stderr, "procbench validate: out of memory for %zu cases\n", r->nb);
		return;
	}
	for (size_t i = 0; i < r->nb; i++) {
		const struct pb_rbench *b = &r->b[i];
		char *name = names[i];
		json_object *v;
		size_t k;

		for (k = 0; b->name[k] && k + 1 < sizeof(b->name); k++)
			name[k] = b->name[k] && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
						       b->name[k]) ? b->name[k] : '_';
		name[k] = 0;
		/* Never empty, never an option, never a name given twice (NAME_2, NAME_3, ...). */
		if (!name[0] || name[0] == '-') {
			memmove(name + 1, name, strlen(name) + 1);
			name[0] = '_';
		}
		k = strlen(name);
		for (unsigned dup = 2;; dup++) {
			size_t j;

			for (j = 0; j < i && strcmp(names[j], name); j++)
				;
			if (j == i)
				break;
			snprintf(name + k, 16, "_%u", dup);
		}
		if (!strcmp(b->status, "ok") && json_object_object_get_ex(b->obj, "real_time", &v))
			printf("%s pass %.3f us\n", name, json_object_get_double(v) / 1000);
		else
			printf("%s %s\n", name, strcmp(b->status, "skipped") ? "fail" : "skip");
	}
	free(names);
}

/* One file: a results file with its samples, or a comparison. 0 ok, -1 with err. */
static int validate_one(const char *path, enum vformat fmt, char *line, size_t linelen, char *err,
			size_t errlen)
{
	int as_json = fmt == V_JSON;

	struct stat st;
	int lock = pb_pair_lock(path, err, errlen), rc = -1;
	struct pb_results r = { 0 };
	json_object *root = NULL, *reg;
	char *text = NULL;
	size_t len;

	if (lock == -1)
		return -1;
	text = pb_read_regular(path, "", PB_MAX_RESULTS_BYTES, &len, PB_READ_OWN, err, errlen);
	if (text && len && strlen(text) == len)
		root = json_tokener_parse(text);
	if (root && json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "regressed", &reg) &&
	    !json_object_object_get_ex(root, "context", NULL)) {
		if (fmt == V_CASES) {
			snprintf(err, errlen, "%s is a comparison: --format cases lists a results "
				 "file's benchmarks", path);
			goto out;
		}
		rc = pb_comparison_check(root, path, err, errlen);
		if (!rc)
			rc = pb_json_text_nul(text, len, path, NULL, err, errlen);
		if (!rc)
			snprintf(line, linelen, "%s: ok (comparison of %zu benchmarks)", path,
				 json_object_array_length(json_object_object_get(root, "benchmarks")));
		if (!rc && as_json && stat(path, &st) == 0)
			emit_json(path, "comparison", root, st.st_dev, st.st_ino);
	} else if (text) {
		/* A results file: the text already read, then its samples. */
		rc = pb_results_parse(&r, path, text, len, 0, err, errlen);
		if (!rc)
			rc = pb_results_load_samples(&r, err, errlen);
		if (!rc)
			snprintf(line, linelen, "%s: ok (results: %zu benchmarks, %zu samples)", path,
				 r.nb, r.nsamples);
		if (!rc && as_json && stat(path, &st) == 0)
			emit_json(path, "results", r.root, st.st_dev, st.st_ino);
		if (!rc && fmt == V_CASES)
			emit_cases(&r);
		if (rc)
			pb_pair_hint(path, err, errlen);
		pb_results_free(&r);
	}
out:
	if (root)
		json_object_put(root);
	free(text);
	pb_pair_unlock(lock);
	return rc;
}

int pb_validate_main(int argc, char **argv)
{
	char err[5000], line[4400];
	int quiet = 0, status = 0, files = 0;
	enum vformat fmt = V_TEXT;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--")) {
			break;
		} else if (!strcmp(argv[i], "--format") || !strncmp(argv[i], "--format=", 9)) {
			const char *v = argv[i][8] == '=' ? argv[i] + 9 : i + 1 < argc ? argv[++i] : NULL;

			if (!v) {
				fprintf(stderr, "procbench validate: --format needs a value: text, json or "
						"cases (see procbench validate --help)\n");
				return 2;
			}
			if (strcmp(v, "json") && strcmp(v, "text") && strcmp(v, "cases")) {
				fprintf(stderr, "procbench validate: --format '%s' is not text, json or "
						"cases (see procbench validate --help)\n", v);
				return 2;
			}
			fmt = !strcmp(v, "json") ? V_JSON : !strcmp(v, "cases") ? V_CASES : V_TEXT;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: procbench validate [--quiet] [--format text|json|cases] FILE...\n"
			     "Check results files (with their raw samples) and comparison files as "
			     "compare and\nreport read them. Exit 0 when every file is usable, 2 "
			     "otherwise. --format json\nprints each usable file's document as the "
			     "reader checked it, one JSON object a line:\n{\"path\", \"kind\": "
			     "\"results\" or \"comparison\", \"dev\", \"ino\", \"document\"}.\n"
			     "--format cases prints a results file's benchmarks as test cases, one a "
			     "line:\nNAME pass MEDIAN us, NAME skip or NAME fail (ci/lava-cases reads "
			     "them).");
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "procbench validate: unknown option '%s' (see procbench "
					"validate --help)\n",
				argv[i]);
			return 2;
		}
	}
	for (int i = 1, opts = 1; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = 0;
			continue;
		}
		if (opts && (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")))
			continue;
		if (opts && !strcmp(argv[i], "--format")) {
			i++;
			continue;
		}
		if (opts && !strncmp(argv[i], "--format=", 9))
			continue;
		files++;
		if (validate_one(argv[i], fmt, line, sizeof(line), err, sizeof(err))) {
			fprintf(stderr, "procbench: %s\n", err);
			status = 2;
		} else if (!quiet && fmt == V_TEXT) {
			pb_safe_inplace(line, sizeof(line)); /* the path as given: no control character */
			puts(line);
		}
	}
	if (!files) {
		fprintf(stderr, "procbench validate: needs at least one file (see procbench validate "
				"--help)\n");
		return 2;
	}
	return status;
}
