/* SPDX-License-Identifier: MIT */
#ifndef PB_PERFSTAT_MAIN_H
#define PB_PERFSTAT_MAIN_H

/* `procbench perf-stat-merge ...` with argv[0] = "perf-stat-merge"; returns the exit status. */
int pb_perfstat_merge_main(int argc, char **argv);

#endif
