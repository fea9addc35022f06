/* SPDX-License-Identifier: MIT */
#ifndef PB_COMPARE_MAIN_H
#define PB_COMPARE_MAIN_H

/* `procbench compare ...` with argv[0] = "compare"; returns the exit status. */
int pb_compare_main(int argc, char **argv);

#endif
