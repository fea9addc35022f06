/* SPDX-License-Identifier: MIT */
/*
 * The history store: results files (read and checked by the one reader,
 * analysis/results_read.h) kept as runs, each run's benchmarks as points of
 * series. A series is one benchmark (its name and parameters) on one machine
 * in one time base: runs of different machines or time bases never share
 * one. The kernel, its build, procbench's version and commit and the
 * caller's labels are attributes of a run. Run order is the order runs were
 * added (the store's sequence), which on one machine is the order its CI ran
 * them. docs/history.md has the schema.
 */
#ifndef PB_HISTORY_STORE_H
#define PB_HISTORY_STORE_H

#include <json-c/json.h>
#include <stddef.h>

#include "db.h"
#include "../analysis/results_read.h"

/* The schema's version: a store made by a newer procbench is refused, never rewritten. */
#define PB_STORE_VERSION 1

struct pb_store {
	struct pb_db db;
	int empty; /* opened to read, and it holds no schema yet */
};

/* 0, or -1 with the one-line reason (naming the store and the fix) in err. */
int pb_store_open(struct pb_store *st, const char *where, int write, unsigned wait_s, char *err,
		  size_t len);
void pb_store_close(struct pb_store *st);

/*
 * One results file, whole or not at all (one transaction). machine names the
 * series' machine (NULL: from the file's context), labels is a JSON object of
 * strings (or NULL). Returns 1 added, 0 when its run id is already stored
 * (nothing changed), -1 with err.
 */
int pb_store_add(struct pb_store *st, const struct pb_results *r, const char *machine,
		 json_object *labels, const char *source, char *err, size_t len);

/* The machine identity of a results file, as a series names it (malloc'd; NULL: no memory). */
char *pb_store_machine_of(const struct pb_results *r);

/* Every series with its run count, ordered by machine, time base, name, parameters. */
enum { PB_SER_ID, PB_SER_BENCH, PB_SER_PARAMS, PB_SER_MACHINE, PB_SER_TIME_BASE, PB_SER_RUNS,
       PB_SER_FIRST, PB_SER_LAST, PB_SER_COLS };
int pb_store_series(struct pb_store *st, struct pb_rows *rows, char *err, size_t len);

/* The points of one series (series < 0: of all), in series then run order. */
enum { PB_PT_SERIES, PB_PT_SEQ, PB_PT_RUN_ID, PB_PT_DATE, PB_PT_KERNEL, PB_PT_APPEND,
       PB_PT_COMMIT, PB_PT_VERSION, PB_PT_LABELS, PB_PT_STATUS, PB_PT_MEDIAN, PB_PT_CI_LO,
       PB_PT_CI_HI, PB_PT_SAMPLES, PB_PT_NOTE, PB_PT_COLS };
int pb_store_points(struct pb_store *st, long long series, struct pb_rows *rows, char *err,
		    size_t len);

/* Runs stored. 0, or -1 with err. */
int pb_store_count_runs(struct pb_store *st, long long *n, char *err, size_t len);

#endif
