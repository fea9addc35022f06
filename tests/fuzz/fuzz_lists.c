// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the value parsers behind the options: sizes with
 * suffixes, comma lists, counts, numbers, placements. The first byte picks
 * the option, the rest is its value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const opts[] = {
	"--rss", "--threads", "--fds", "--jobs", "--pin", "--touch", "--time-budget",
	"--min-time", "--ci-target", "--min-samples", "--cpu", "--count", "--chain",
	"--mem-node", "--vmas", "--format", "--filter", "--thp", "--perf-ctl", "--out",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *val, *joined, *argv[5];
	struct pb_options o;
	const char *opt;
	int argc;

	if (!size)
		return 0;
	opt = opts[data[0] % (sizeof(opts) / sizeof(opts[0]))];
	val = malloc(size);
	joined = malloc(size + 16);
	if (!val || !joined)
		goto out;
	memcpy(val, data + 1, size - 1);
	val[size - 1] = 0;
	argv[0] = "procbench";
	if (data[0] & 0x80) { /* --opt=value */
		snprintf(joined, size + 16, "%s=%s", opt, val);
		argv[1] = joined;
		argc = 2;
	} else {
		argv[1] = (char *)opt;
		argv[2] = val;
		argc = 3;
	}
	argv[argc] = NULL;
	if (pb_parse_cli(argc, argv, &o) == 0 && o.filter)
		regfree(&o.filter_re);
out:
	free(val);
	free(joined);
	return 0;
}
