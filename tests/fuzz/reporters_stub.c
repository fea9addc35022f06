// SPDX-License-Identifier: MIT
/*
 * The CLI fuzzers link the format table (report/formats.c) for its names,
 * never its writers: these stand in for them and are never called.
 */
#include <stdlib.h>

#include "../../harness/report/report.h"

int pb_report_console(FILE *f, const struct pb_run *run) { (void)f; (void)run; abort(); }
int pb_report_json(FILE *f, const struct pb_run *run) { (void)f; (void)run; abort(); }
int pb_report_csv(FILE *f, const struct pb_run *run) { (void)f; (void)run; abort(); }
int pb_report_tap(FILE *f, const struct pb_run *run) { (void)f; (void)run; abort(); }
