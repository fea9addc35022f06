/* SPDX-License-Identifier: MIT */
/* Reporters: each turns a finished run into one format. They never sample. */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include <stdio.h>

#include "record.h"

typedef int (*pb_reporter)(FILE *f, const struct pb_run *run);

int pb_report_console(FILE *f, const struct pb_run *run);
int pb_report_json(FILE *f, const struct pb_run *run);
int pb_report_csv(FILE *f, const struct pb_run *run);
/* kselftest-style TAP 13: one test point per benchmark, medians as directives' data. */
int pb_report_tap(FILE *f, const struct pb_run *run);
/* Raw per-sample phase times, one line each (format in results/README.md). */
int pb_report_samples(FILE *f, const struct pb_run *run);

/* The results file's formats (formats.c: one row each). */
enum pb_format { PB_FMT_JSON, PB_FMT_CSV, PB_FMT_TAP, PB_FMT_CONSOLE, PB_FMT_COUNT };

struct pb_format_desc {
	const char *name;   /* --format's value */
	const char *ext;    /* the extension an --out name carries; NULL: writes no file */
	pb_reporter write;
};
extern const struct pb_format_desc pb_formats[PB_FMT_COUNT];
/* The name of format i, NULL past the last. */
const char *pb_format_name(int i);
/* The format an --out name's extension says (case-insensitive), or -1. */
int pb_format_of_name(const char *path);

#endif
