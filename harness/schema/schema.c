// SPDX-License-Identifier: MIT
/* The results file's named values, one table each (schema.h). */
#include <string.h>

#include "schema.h"

const struct pb_time_base_desc pb_time_bases[PB_TB_COUNT] = {
	[PB_TB_WALL] = {
		.name = "wall",
		.words = "wall time",
		.console = NULL,
		.compare = "wall time",
		.note = "wall time from the counter",
	},
	[PB_TB_INSTRUCTIONS] = {
		.name = "instructions",
		.words = "instructions (qemu icount)",
		.console = "guest instructions (qemu icount: 1 ns = 1 instruction; blind to cache "
			   "misses, memory latency and devices)",
		.compare = "guest instructions (qemu icount; us below are instruction-us)",
		.note = "guest instructions under qemu -icount shift=0: 1 ns per instruction, "
			"kernel and procbench alike; blind to cache misses, memory latency and "
			"device timing",
	},
};

int pb_time_base_parse(const char *name)
{
	for (int i = 0; i < PB_TB_COUNT; i++)
		if (name && !strcmp(name, pb_time_bases[i].name))
			return i;
	return -1;
}

const char *pb_time_base_name(int i)
{
	return i >= 0 && i < PB_TB_COUNT ? pb_time_bases[i].name : NULL;
}

const char *const pb_pin_names[PB_PIN_COUNT] = {
	[PB_PIN_NONE] = "none",
	[PB_PIN_SAME_CPU] = "same-cpu",
	[PB_PIN_OTHER_CORE] = "other-core",
	[PB_PIN_SMT_SIBLING] = "smt-sibling",
	[PB_PIN_OTHER_CACHE] = "other-cache",
	[PB_PIN_OTHER_NODE] = "other-node",
};

int pb_pin_parse(const char *s)
{
	for (int i = 0; i < PB_PIN_COUNT; i++)
		if (!strcmp(s, pb_pin_names[i]))
			return i;
	return -1;
}

const char *pb_pin_name(int i)
{
	return i >= 0 && i < PB_PIN_COUNT ? pb_pin_names[i] : NULL;
}

/*
 * Every key report/json.c writes at the top of the context, in its order;
 * tests/test_context.sh checks a written file against this list both ways.
 */
const char *const pb_schema_context_keys[] = {
	"date", "host_name", "executable", "num_cpus", "library_build_type", "load_avg",
	"runnable_tasks_at_start", "procbench_schema_version", "procbench_version", "git_commit",
	"cflags", "arch", "kernel_release", "kernel_version", "counter", "creator", "environment",
	"sampling", "exec_target", "counters", "trace", "perf_ctl", "time_base", "time_base_note",
	"run_id", "samples_file", NULL,
};

int pb_schema_context_key_taken(const char *key)
{
	for (int i = 0; pb_schema_context_keys[i]; i++)
		if (!strcmp(key, pb_schema_context_keys[i]))
			return 1;
	return 0;
}
