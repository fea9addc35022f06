/* SPDX-License-Identifier: MIT */
/*
 * The results file's vocabulary, owned here and nowhere else: its schema
 * version, the keys procbench writes in its context, and the named values
 * it holds with the one table that names each (time base, placement
 * policy; the trace clock is named in arch/<arch>/arch.h beside its
 * counter, the output formats in report/formats.c beside their writers).
 * The writer (report/), the reader (analysis/results_read.c), the options
 * (controller/cli.c) and the console take names and labels from these
 * tables; none writes one of these strings itself. Keys a caller may add
 * to the context (--context) are checked against the keys procbench
 * writes there (pb_schema_context_key_taken).
 */
#ifndef PB_SCHEMA_H
#define PB_SCHEMA_H

/*
 * context.procbench_schema_version: what the writer puts in every results
 * file, and the newest the reader accepts. Raise it when a field changes
 * meaning or type; a field added is not a new version.
 */
#define PB_RESULTS_SCHEMA 1

/* What the counter counts (context.time_base). */
enum pb_time_base { PB_TB_WALL, PB_TB_INSTRUCTIONS, PB_TB_COUNT };

struct pb_time_base_desc {
	const char *name;    /* in the results file and --time-base */
	const char *words;   /* in a sentence: "wall time", "instructions (qemu icount)" */
	const char *console; /* a run's console line after "time base: ", NULL: no line */
	const char *compare; /* compare's line after "time base: " */
	const char *note;    /* context.time_base_note */
};
extern const struct pb_time_base_desc pb_time_bases[PB_TB_COUNT];
/* The time base of that name, or -1; the name of time base i, NULL past the last. */
int pb_time_base_parse(const char *name);
const char *pb_time_base_name(int i);

/* Where the child runs relative to its parent (--pin, params.pin, placement.policy). */
enum pb_pin {
	PB_PIN_NONE,         /* no binding at all */
	PB_PIN_SAME_CPU,     /* parent pinned, child inherits the same PU */
	PB_PIN_OTHER_CORE,   /* child on a PU of another core */
	PB_PIN_SMT_SIBLING,  /* child on another PU of the parent's core */
	PB_PIN_OTHER_CACHE,  /* child on a PU sharing no last-level cache with the parent */
	PB_PIN_OTHER_NODE,   /* child on a PU of another NUMA node */
	PB_PIN_COUNT
};
extern const char *const pb_pin_names[PB_PIN_COUNT];
/* The policy of that name, or -1; the name of policy i, NULL past the last. */
int pb_pin_parse(const char *s);
const char *pb_pin_name(int i);

/*
 * 1 when procbench itself writes this key in the results file's context
 * (a --context KEY=VALUE may not replace it), else 0.
 */
int pb_schema_context_key_taken(const char *key);
#define PB_MAX_CONTEXT 32 /* keys a caller may add (--context) */
/* The keys procbench writes in the context, NULL-terminated (for tests and --help). */
extern const char *const pb_schema_context_keys[];

#endif
