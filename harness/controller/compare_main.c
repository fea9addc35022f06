// SPDX-License-Identifier: MIT
/*
 * procbench compare BASE NEW: the command. Options, the output path
 * (checked before any work), then analysis/compare.c's steps and
 * report/compare_out.c's table and JSON.
 *
 * Exit: 0 nothing slower, 1 something slower, 2 unusable input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_values.h"
#include "../analysis/compare.h"
#include "../report/compare_out.h"
#include "../report/outfile.h"

struct cmp_args {
	int json_out, show_counters;
	const char *outfile;
};

static int fail(const char *fmt, const char *a)
{
	fputs("procbench compare: ", stderr);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 2;
}

static void usage(FILE *f)
{
	fputs("usage: procbench compare [options] BASE NEW\n"
	      "Compare two procbench results files benchmark by benchmark. BASE and NEW are each\n"
	      "one or more runs joined by commas (a1.json,a2.json,a3.json): runs are the units, and\n"
	      "the CI is Welch's t on their log medians, so drift between runs widens it. With one\n"
	      "run on a side the drift is unknown: the CI is within that run and gives no verdict.\n"
	      "Three or more runs a side are advised; compare says what change its runs can detect\n"
	      "and how many runs would detect +5%, +10%, +20%. Raw samples must be beside each file.\n"
	      "\n"
	      "      --threshold PCT   smallest change that matters (default 2)\n"
	      "      --alpha A         significance level after Holm's correction (default 0.05)\n"
	      "      --bootstrap N     bootstrap iterations for one-run sides (default 1000)\n"
	      "  -F, --format FMT      console (default) or json\n"
	      "  -o, --out FILE        also write the comparison as JSON to FILE\n"
	      "      --counters        also print perf counters per creation under each benchmark\n"
	      "                        (always in the JSON; secondary: they never change a verdict)\n"
	      "      --match method    pair benchmarks by method instead of by full name, to compare\n"
	      "                        runs taken with different parameters (one point per method)\n"
	      "\n"
	      "Exit status: 0 nothing slower beyond the threshold with significance, 1 something is,\n"
	      "2 unusable input.\n",
	      f);
}

/* One option into c or a: 0, 1 (help printed) or 2 (one line printed). */
static int one_option(int opt, const char *arg, const char *word, struct pb_comparison *c,
		      struct cmp_args *a)
{
	double v;

	switch (opt) {
	case 't':
		if (pb_cli_parse_double(arg, 0, 100, &v) || !(v > 0 && v < 100))
			return fail("--threshold '%s' is not a percentage in (0, 100)", arg);
		c->threshold = v / 100;
		return 0;
	case 'a':
		if (pb_cli_parse_double(arg, 0, 1, &v) || !(v > 0 && v < 1))
			return fail("--alpha '%s' is not in (0, 1)", arg);
		c->alpha = v;
		return 0;
	case 'b':
		if (pb_cli_parse_uint(arg, 100, 100000, &c->iters))
			return fail("--bootstrap '%s' is not a count in 100..100000", arg);
		return 0;
	case 'F':
		if (strcmp(arg, "json") && strcmp(arg, "console"))
			return fail("--format '%s' is not console or json", arg);
		a->json_out = !strcmp(arg, "json");
		return 0;
	case 'o':
		a->outfile = arg;
		return 0;
	case 'c':
		a->show_counters = 1;
		return 0;
	case 'm':
		if (strcmp(arg, "method") && strcmp(arg, "name"))
			return fail("--match '%s' is not name or method", arg);
		c->match_method = !strcmp(arg, "method");
		return 0;
	case 'h':
		usage(stdout);
		return 1;
	case ':':
		return fail("option '%s' needs a value (see procbench compare --help)", word);
	default:
		return fail("unknown option '%s' (see procbench compare --help)", word);
	}
}

static int parse_args(int argc, char **argv, struct pb_comparison *c, struct cmp_args *a)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' }, { "alpha", required_argument, NULL, 'a' },
		{ "bootstrap", required_argument, NULL, 'b' }, { "format", required_argument, NULL, 'F' },
		{ "out", required_argument, NULL, 'o' },       { "help", no_argument, NULL, 'h' },
		{ "match", required_argument, NULL, 'm' },     { "counters", no_argument, NULL, 'c' },
		{ 0 },
	};
	int opt, r;

	c->threshold = 0.02;
	c->alpha = 0.05;
	c->iters = 1000;
	opterr = 0;
	optind = 0; /* glibc: start afresh */
	while ((opt = getopt_long(argc, argv, ":hF:o:", opts, NULL)) != -1)
		if ((r = one_option(opt, optarg, argv[optind - 1], c, a)))
			return r;
	if (argc - optind != 2)
		return fail("needs exactly two results files, BASE and NEW (see procbench compare "
			    "--help)%s",
			    "");
	return 0;
}

static int write_json_doc(FILE *f, const void *doc)
{
	const char *t = json_object_to_json_string_ext((json_object *)doc,
						       JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE);

	return fputs(t, f) < 0 || fputc('\n', f) < 0 ? -1 : 0;
}

/*
 * --out may not be any run of either side, nor the raw samples one names:
 * the runs are split as compare.c splits them (commas; empty names skipped).
 */
static int refuse_inputs(const struct pb_out *out, const char *base, const char *new_)
{
	const char *sides[2] = { base, new_ }, *roles[2] = { "a run of BASE", "a run of NEW" };
	struct pb_out_input *in = NULL;
	char *copy[2] = { NULL, NULL }, err[9000];
	size_t nin = 0;
	int r = 0;

	for (int k = 0; k < 2 && !r; k++) {
		char *save = NULL, *tok;
		struct pb_out_input *more;

		copy[k] = strdup(sides[k]);
		if (!copy[k]) {
			r = -1;
			break;
		}
		for (tok = strtok_r(copy[k], ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			more = realloc(in, (nin + 1) * sizeof(*in));
			if (!more) {
				r = -1;
				break;
			}
			in = more;
			in[nin++] = (struct pb_out_input){ .path = tok, .role = roles[k], .results = 1 };
		}
	}
	if (r)
		fail("out of memory%s", "");
	else if (pb_out_refuse_inputs(&out, 1, in, nin, err, sizeof(err)))
		r = fail("%s", err);
	free(in);
	free(copy[0]);
	free(copy[1]);
	return r ? 2 : 0;
}

/* The table or JSON on stdout, the file with --out: the exit status. */
static int report(const struct pb_comparison *c, const struct cmp_args *a, struct pb_out *out)
{
	json_object *root = pb_compare_json(c);
	int status = c->regressed ? 1 : 0;

	if (a->json_out)
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		pb_compare_print(stdout, c, a->show_counters);
	if (a->outfile) {
		/* Whole or not at all: a failed write keeps the previous comparison. */
		char err[4600];
		int r = pb_out_write(out, write_json_doc, root, err, sizeof(err));

		if (r) {
			fprintf(stderr, "procbench compare: cannot write %s: %s (any previous file is "
					"kept)\n",
				a->outfile, err);
			status = 2;
		}
	}
	json_object_put(root);
	return status;
}

int pb_compare_main(int argc, char **argv)
{
	static struct pb_comparison c;
	struct cmp_args a = { 0 };
	struct pb_out out;
	char err[5000];
	int r;

	memset(&c, 0, sizeof(c));
	r = parse_args(argc, argv, &c, &a);
	if (r)
		return r == 1 ? 0 : r;
	/* Decided before the work: a bad --out path is an error at once, not after it. */
	if (a.outfile && pb_out_prepare(&out, a.outfile, PB_OUT_NAMED, err, sizeof(err)))
		return fail("%s", err);
	if (a.outfile && out.kind == PB_OUT_STDOUT && a.json_out)
		return fail("--out - and --format json both write to standard output; pick one%s", "");
	if (a.outfile && refuse_inputs(&out, argv[optind], argv[optind + 1]))
		return 2;
	if (pb_compare_load(&c, argv[optind], argv[optind + 1], err, sizeof(err))) {
		pb_compare_free(&c);
		return fail("%s", err);
	}
	if (pb_compare_run(&c)) {
		pb_compare_free(&c);
		return fail("out of memory%s", "");
	}
	pb_compare_warn(stderr, &c);
	r = report(&c, &a, &out);
	pb_compare_free(&c);
	return r;
}
