// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>
#include <linux/perf_event.h>

#include "counters.h"

#define SW(n, u, c) { n, u, PERF_TYPE_SOFTWARE, c, 0, 0 }
#define HW(n, c, eu, ek) { n, "", PERF_TYPE_HARDWARE, c, eu, ek }

const struct pb_counter_def pb_counter_defs[PB_NCOUNTERS] = {
	[PB_CNT_TASK_CLOCK] = SW("task-clock", "ns", PERF_COUNT_SW_TASK_CLOCK),
	[PB_CNT_PAGE_FAULTS] = SW("page-faults", "", PERF_COUNT_SW_PAGE_FAULTS),
	[PB_CNT_MINOR_FAULTS] = SW("minor-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MIN),
	[PB_CNT_MAJOR_FAULTS] = SW("major-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MAJ),
	[PB_CNT_CONTEXT_SWITCHES] = SW("context-switches", "", PERF_COUNT_SW_CONTEXT_SWITCHES),
	[PB_CNT_CPU_MIGRATIONS] = SW("cpu-migrations", "", PERF_COUNT_SW_CPU_MIGRATIONS),
	[PB_CNT_CYCLES_U] = HW("cycles:u", PERF_COUNT_HW_CPU_CYCLES, 0, 1),
	[PB_CNT_CYCLES_K] = HW("cycles:k", PERF_COUNT_HW_CPU_CYCLES, 1, 0),
	[PB_CNT_INSTRUCTIONS_U] = HW("instructions:u", PERF_COUNT_HW_INSTRUCTIONS, 0, 1),
	[PB_CNT_INSTRUCTIONS_K] = HW("instructions:k", PERF_COUNT_HW_INSTRUCTIONS, 1, 0),
	[PB_CNT_BRANCH_MISSES_U] = HW("branch-misses:u", PERF_COUNT_HW_BRANCH_MISSES, 0, 1),
	[PB_CNT_BRANCH_MISSES_K] = HW("branch-misses:k", PERF_COUNT_HW_BRANCH_MISSES, 1, 0),
};

const char *pb_counter_unavailable_reason(int err)
{
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
		return "not supported here (no PMU for it on this CPU, or none exposed to this VM)";
	case EACCES:
	case EPERM:
		return "perf_event_paranoid forbids it: lower /proc/sys/kernel/perf_event_paranoid or "
		       "run as root";
	case ENOSYS:
		return "this kernel has no perf_event_open";
	case EMFILE:
		return "out of file descriptors: raise ulimit -n";
	default:
		return strerror(err);
	}
}
