// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the results reader (harness/analysis/results_read.c), the
 * code compare, validate and the report trust with files from anywhere.
 * Input: a results file's JSON, then optionally a 0x01 byte and the raw
 * samples TSV (0x01 cannot occur in valid JSON, so the split is unambiguous).
 * The JSON is also checked as a comparison file. Properties checked (an
 * abort is a finding): every name of an accepted file is found by its name;
 * what safe_text.c makes of the input holds no control byte, is itself safe,
 * and is unchanged by a second pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "results_read.h"
#include "safe_text.h"

static void check_safe(const char *s)
{
	static char a[8192], b[8192];

	pb_safe(s, a, sizeof(a));
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	if (!pb_text_is_safe(a))
		abort();
	if (strlen(a) + 1 < sizeof(a) - 8 && strcmp(pb_safe(a, b, sizeof(b)), a))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 1, size);
	size_t jlen = sep ? (size_t)(sep - data) : size;
	char *json = malloc(jlen + 1), err[5000];
	struct pb_results r;
	json_object *root;

	if (!json)
		return 0;
	memcpy(json, data, jlen);
	json[jlen] = 0;
	for (int by_method = 0; by_method < 2; by_method++) {
		if (!pb_results_parse(&r, "fuzz.json", json, jlen, by_method, err, sizeof(err))) {
			for (size_t i = 0; i < r.nb; i++) {
				if (pb_results_find(&r, r.b[i].name) != &r.b[i])
					abort();
				check_safe(r.b[i].name);
			}
			if (sep)
				pb_results_parse_samples(&r, "fuzz.samples.tsv", (const char *)sep + 1,
							 size - jlen - 1, err, sizeof(err));
		} else {
			/* An error is one line a terminal can show as it is. */
			if (strchr(err, '\n') || !pb_text_is_safe(err))
				abort();
		}
		pb_results_free(&r);
	}
	check_safe(json);
	root = strlen(json) == jlen ? json_tokener_parse(json) : NULL;
	if (root) {
		if (json_object_is_type(root, json_type_object))
			pb_comparison_check(root, "fuzz.json", err, sizeof(err));
		json_object_put(root);
	}
	free(json);
	return 0;
}
