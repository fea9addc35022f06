/* SPDX-License-Identifier: MIT */
/* A finished comparison (analysis/compare.h) as a console table, warnings and JSON. */
#ifndef PB_COMPARE_OUT_H
#define PB_COMPARE_OUT_H

#include <json-c/json.h>
#include <stdio.h>

#include "../analysis/compare.h"

/* What can invalidate the comparison: context and per-benchmark differences, one run a side. */
void pb_compare_warn(FILE *f, const struct pb_comparison *c);
/* The table: one row per pair (with its counters when asked), the summary, the unpaired. */
void pb_compare_print(FILE *f, const struct pb_comparison *c, int show_counters);
/* The comparison file's document (results/README.md); the caller puts it. */
json_object *pb_compare_json(const struct pb_comparison *c);

#endif
