/* SPDX-License-Identifier: MIT */
/* The machine and kernel the numbers were taken on, as read at start (and load at the end). */
#ifndef PB_ENVIRONMENT_H
#define PB_ENVIRONMENT_H

#include <stdio.h>

#include "placement.h"

struct pb_environment {
	char kernel_cmdline[1024];
	char cpu_model[128];
	char microcode[32];
	int smt_active;               /* /sys/devices/system/cpu/smt/active, -1 unknown */
	struct pb_topology_summary topo;
	char governor[32];            /* cpu0's scaling_governor, "" unreadable */
	char boost[16];               /* cpufreq boost, "" unreadable */
	char thp_enabled[64];
	char thp_defrag[64];
	char ksm_run[16];
	char mitigations[3072];       /* "name: state; ..." */
	int hypervisor;               /* cpuinfo's hypervisor flag */
	char dmi[160];                /* sys_vendor product_name */
	char clocksource[32];
	double load_end[3];
	char cgroup[512];
	char cpu_max[64], memory_max[64], pids_max[64];
	char rlimit_nproc[48], rlimit_nofile[48];
	char glibc[32];
	char compiler[128];
};

void pb_environment_read(struct pb_environment *e);
/* Print warnings about what will hurt the numbers; returns how many. */
int pb_environment_warn(const struct pb_environment *e, FILE *f);

#endif
