/* SPDX-License-Identifier: MIT */
/* Test conventions: exit 0 pass, 1 fail, 77 skip; one behaviour per file. */
#ifndef PB_TEST_HELPERS_H
#define PB_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>

#define T_PASS 0
#define T_FAIL 1
#define T_SKIP 77

static int t_failures;

#define T_CHECK(cond, ...)                                                  \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
			t_failures++;                                       \
		}                                                           \
	} while (0)

static inline int t_result(void)
{
	return t_failures ? T_FAIL : T_PASS;
}

#endif
