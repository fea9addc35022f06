/* SPDX-License-Identifier: MIT */
/* Reporters: each turns a finished run into one format. They never sample. */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include <stdio.h>

#include "../controller/record.h"

typedef int (*pb_reporter)(FILE *f, const struct pb_run *run);

int pb_report_console(FILE *f, const struct pb_run *run);
int pb_report_json(FILE *f, const struct pb_run *run);
int pb_report_csv(FILE *f, const struct pb_run *run);
/* kselftest-style TAP 13: one test point per benchmark, medians as directives' data. */
int pb_report_tap(FILE *f, const struct pb_run *run);
/* Raw per-sample phase times, one line each (format in results/README.md). */
int pb_report_samples(FILE *f, const struct pb_run *run);

#endif
