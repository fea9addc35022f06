/* SPDX-License-Identifier: MIT */
/*
 * The one reader of finished results, for every program that reads them
 * (compare, `procbench validate`, and through it the report): a results file
 * and its raw samples, or a comparison written by compare --out. Every
 * field any reader uses is type-checked here, the samples must belong to the
 * results file (same run id, one line per iteration), and a partial read is
 * an error: a reader never works from half a file or a mixed pair.
 * Errors are one line that names the file, the problem and, where there is
 * one, the fix.
 */
#ifndef PB_RESULTS_READ_H
#define PB_RESULTS_READ_H

#include <json-c/json.h>
#include <stddef.h>

#include "../schema/schema.h" /* PB_RESULTS_SCHEMA, the time bases */

struct pb_rbench {
	char name[256];     /* the point's name, or its method (by_method) */
	const char *status; /* "ok", "skipped" or "error" */
	json_object *obj;
	long iterations;    /* samples the results file says it has (ok only) */
	double *x;          /* round-trip samples, ns per op */
	size_t n, cap;
};

struct pb_results {
	char path[4096];
	json_object *root, *context;
	struct pb_rbench *b;
	size_t nb;
	size_t *order;          /* indices of b sorted by name */
	size_t nsamples;
	unsigned long long dev, ino; /* the file's identity (pb_results_load), 0 when unknown */
};

/* Read and check a results file and its samples. 0, or -1 with the reason in err. */
int pb_results_load(struct pb_results *r, const char *path, int by_method, char *err,
		    size_t errlen);
/* The same on text already in memory (json is NUL-terminated at len); samples may be NULL. */
int pb_results_parse(struct pb_results *r, const char *path, const char *json, size_t len,
		     int by_method, char *err, size_t errlen);
int pb_results_parse_samples(struct pb_results *r, const char *what, const char *tsv, size_t len,
			     char *err, size_t errlen);
/* The samples of a parsed results file, read from beside it (its samples_file). */
int pb_results_load_samples(struct pb_results *r, char *err, size_t errlen);
/* The same, handing the text read to the caller (*keep, free it) for one who copies it on. */
int pb_results_load_samples_keep(struct pb_results *r, char **keep, size_t *keep_len, char *err,
				 size_t errlen);
void pb_results_free(struct pb_results *r);
/*
 * A pair is read under a shared flock of its folder, which every writer's
 * commit holds exclusively (report/outfile.h): a reader never sees one half
 * renamed. Returns the lock (-2: the folder cannot be opened, read unlocked),
 * or -1 with the reason. pb_pair_hint adds to a reader's error that the
 * folder holds a journal of a commit a killed writer left, and what repairs it.
 */
int pb_pair_lock(const char *path, char *err, size_t errlen);
void pb_pair_unlock(int lock);
void pb_pair_hint(const char *path, char *err, size_t errlen);
/* The benchmark of that name (its method with by_method), or NULL. */
struct pb_rbench *pb_results_find(const struct pb_results *r, const char *name);
/* enum pb_time_base, checked when the file was read; wall for files that predate the field. */
int pb_results_time_base(const struct pb_results *r);

/*
 * After the checks of the parsed document (which name a string's field): a
 * \u0000 left in the text is in a key, which json-c cuts short at the NUL
 * without a word. 0, or -1 with the reason, ended by blame (NULL: a file
 * changed or damaged).
 */
int pb_json_text_nul(const char *text, size_t len, const char *path, const char *blame, char *err,
		     size_t errlen);

/*
 * Typed reads of a checked file, so no other module walks its keys (types
 * were checked at load; absent parts read as NULL or -1):
 * the run id; a context string (part "" for the top, e.g. "environment",
 * "cpu_model"), "(absent)" when the key is missing, NULL when the part is;
 * a point's parent RSS in KiB (0, or -1) and parent PUs (text, or NULL);
 * one counter's per-creation batch values (malloc'd into *out; 0 without);
 * a kernel phase's median and its CI ends (v[3], 0, or -1 when it has none
 * or its median is not above 0).
 */
const char *pb_results_run_id(const struct pb_results *r);
const char *pb_results_context_text(const struct pb_results *r, const char *part, const char *key);
int pb_rbench_parent_rss_kib(const struct pb_rbench *b, double *kib);
const char *pb_rbench_parent_pus(const struct pb_rbench *b);
size_t pb_rbench_counter_batches(const struct pb_rbench *b, const char *counter, double **out);
int pb_rbench_phase(const struct pb_rbench *b, const char *phase, double *v);
/* The name of a benchmark's i-th kernel phase, NULL past the last (or without a trace). */
const char *pb_rbench_phase_name(const struct pb_rbench *b, size_t i);

/*
 * The reader's value rules (numbers finite and within 2^53, text UTF-8 and
 * without NUL) on a value a caller gives (--context), so procbench never
 * writes what its readers refuse: 0, or -1 with "PATH: NAME... is ...: BLAME".
 */
int pb_json_check_value(json_object *v, const char *path, const char *name, const char *blame,
			char *err, size_t len);

/* A comparison file (compare --out): 0, or -1 with the reason. */
int pb_comparison_check(json_object *root, const char *path, char *err, size_t errlen);

/*
 * Every reader's one way in: a whole file into memory, NUL-terminated, only
 * if it is a regular file (never a FIFO, device or folder: nothing blocks or
 * runs forever) of at most cap bytes, checked before reading. NULL with the
 * one-line reason in err, naming the file as what (e.g. "the raw samples ")
 * followed by its path. Limits (the samples' also in plots/report.py, which reads
 * results only through `procbench validate --format json`):
 */
#define PB_MAX_RESULTS_BYTES ((size_t)256 << 20) /* a results or comparison file */
#define PB_MAX_SAMPLES_BYTES ((size_t)4 << 30)   /* a raw samples file */
char *pb_read_regular(const char *path, const char *what, size_t cap, size_t *len, const char *fix,
		      char *err, size_t errlen);
/* fix, the end of a refusal (not a regular file, over the cap), for procbench's own files: */
#define PB_READ_OWN "name a file procbench wrote"

/* `procbench validate FILE...` (controller/validate_main.c). */
int pb_validate_main(int argc, char **argv);

/* For the reader's own files: format the one-line reason into err and return -1. */
int pb_read_fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
