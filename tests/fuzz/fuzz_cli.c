// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for procbench's command-line parser (harness/controller/cli.c):
 * the input is split at NUL bytes into up to 40 arguments after
 * "procbench"; every parse must end in a result or a one-line error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[42];
	struct pb_options o;
	int argc = 1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argv[0] = "procbench";
	for (char *p = buf; p <= buf + size && argc < 41; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	if (pb_parse_cli(argc, argv, &o) == 0 && o.filter)
		regfree(&o.filter_re);
	free(buf);
	return 0;
}
