/* SPDX-License-Identifier: MIT */
/*
 * Value parsers behind procbench's options (cli.c, compare_main.c): 0, or -1
 * when the value is bad; a value is taken whole (no blanks, signs, trailing
 * junk, overflow or empty values).
 */
#ifndef PB_CLI_VALUES_H
#define PB_CLI_VALUES_H

#include <stdint.h>

int pb_cli_parse_double(const char *s, double lo, double hi, double *out);
/* A byte count with an optional binary suffix: 0, 4096, 64K, 256M, 1G. */
int pb_cli_parse_size(const char *s, uint64_t *out);
int pb_cli_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned *out);
/*
 * Split a comma list into at most max values, each through one(elem, index,
 * ctx); prints the one-line error naming opt and what a value must be.
 */
int pb_cli_each_in_list(const char *opt, const char *arg, unsigned max, unsigned *n,
			int (*one)(const char *, unsigned, void *), void *ctx, const char *what);
/* One list element into ((T *)ctx)[i]: sizes (uint64_t), counts 0..100000, jobs, pins (int). */
int pb_cli_one_size(const char *s, unsigned i, void *ctx);
int pb_cli_one_count(const char *s, unsigned i, void *ctx);
int pb_cli_one_jobs(const char *s, unsigned i, void *ctx);
int pb_cli_one_pin(const char *s, unsigned i, void *ctx);
/*
 * Can the program at path be exec'd here: it exists, is a regular,
 * executable ELF file of this machine. 0, or -1 with what is wrong in why
 * ("is a folder", "is not executable (...)").
 */
int pb_cli_check_program(const char *path, char *why, size_t len);
/* Can glibc compile this ERE in bounded memory and time? Tried in a child. */
int pb_cli_regex_affordable(const char *pattern);

#endif
