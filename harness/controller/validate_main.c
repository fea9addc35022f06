// SPDX-License-Identifier: MIT
/*
 * procbench validate FILE...: each file checked the way compare and the
 * report read it (analysis/results_read.c): a results file with its raw
 * samples, or a comparison. Exit 0 when every file is usable, 2 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"

/* One file: a results file with its samples, or a comparison. 0 ok, -1 with err. */
static int validate_one(const char *path, char *line, size_t linelen, char *err, size_t errlen)
{
	int lock = pb_pair_lock(path, err, errlen), rc = -1;
	struct pb_results r = { 0 };
	json_object *root = NULL, *reg;
	char *text = NULL;
	size_t len;

	if (lock == -1)
		return -1;
	text = pb_read_regular(path, "", PB_MAX_RESULTS_BYTES, &len, err, errlen);
	if (text && len && strlen(text) == len)
		root = json_tokener_parse(text);
	if (root && json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "regressed", &reg) &&
	    !json_object_object_get_ex(root, "context", NULL)) {
		rc = pb_comparison_check(root, path, err, errlen);
		if (!rc)
			snprintf(line, linelen, "%s: ok (comparison of %zu benchmarks)", path,
				 json_object_array_length(json_object_object_get(root, "benchmarks")));
	} else if (text) {
		/* A results file: the text already read, then its samples. */
		rc = pb_results_parse(&r, path, text, len, 0, err, errlen);
		if (!rc)
			rc = pb_results_load_samples(&r, err, errlen);
		if (!rc)
			snprintf(line, linelen, "%s: ok (results: %zu benchmarks, %zu samples)", path,
				 r.nb, r.nsamples);
		else
			pb_pair_hint(path, err, errlen);
		pb_results_free(&r);
	}
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

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: procbench validate [--quiet] FILE...\n"
			     "Check results files (with their raw samples) and comparison files as "
			     "compare and\nreport read them. Exit 0 when every file is usable, 2 "
			     "otherwise.");
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "procbench validate: unknown option '%s' (see procbench "
					"validate --help)\n",
				argv[i]);
			return 2;
		}
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			continue;
		files++;
		if (validate_one(argv[i], line, sizeof(line), err, sizeof(err))) {
			fprintf(stderr, "procbench: %s\n", err);
			status = 2;
		} else if (!quiet) {
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
