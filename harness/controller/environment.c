// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "environment.h"
#include "placement.h"

/* First line of a file, trimmed; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, (int)len, f)) {
		n = strlen(buf);
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
			buf[--n] = 0;
	}
	fclose(f);
}

static void cpuinfo(struct pb_environment *e)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (!v)
			continue;
		v += 2;
		v[strcspn(v, "\n")] = 0;
		if (!e->cpu_model[0] && !strncmp(line, "model name", 10))
			snprintf(e->cpu_model, sizeof(e->cpu_model), "%s", v);
		else if (!e->microcode[0] && !strncmp(line, "microcode", 9))
			snprintf(e->microcode, sizeof(e->microcode), "%s", v);
		else if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
			e->hypervisor = 1;
		else if (!strncmp(line, "flags", 5))
			break; /* first CPU is enough */
	}
	fclose(f);
}

static void mitigations(struct pb_environment *e)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t used = 0;

	for (int i = 0; i < n; i++) {
		char path[512], val[256];

		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			read_line(path, val, sizeof(val));
			if (used < sizeof(e->mitigations))
				used += (size_t)snprintf(e->mitigations + used, sizeof(e->mitigations) - used,
							 "%s%s: %s", used ? "; " : "", names[i]->d_name, val);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void cgroup_limits(struct pb_environment *e)
{
	char line[500], path[768];
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3)) /* the v2 hierarchy */
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(e->cgroup, sizeof(e->cgroup), "%s", line + 3);
	}
	fclose(f);
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cpu.max", e->cgroup);
	read_line(path, e->cpu_max, sizeof(e->cpu_max));
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.max", e->cgroup);
	read_line(path, e->memory_max, sizeof(e->memory_max));
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/pids.max", e->cgroup);
	read_line(path, e->pids_max, sizeof(e->pids_max));
}

static void rlimit_text(int res, char *buf, size_t len)
{
	struct rlimit rl;

	if (getrlimit(res, &rl)) {
		buf[0] = 0;
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%llu", (unsigned long long)rl.rlim_cur);
}

void pb_environment_read(struct pb_environment *e)
{
	char vendor[80], product[80];

	memset(e, 0, sizeof(*e));
	read_line("/proc/cmdline", e->kernel_cmdline, sizeof(e->kernel_cmdline));
	cpuinfo(e);
	{
		char smt[8];

		read_line("/sys/devices/system/cpu/smt/active", smt, sizeof(smt));
		e->smt_active = smt[0] ? atoi(smt) : -1;
	}
	pb_topology_summarize(&e->topo);
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", e->governor,
		  sizeof(e->governor));
	read_line("/sys/devices/system/cpu/cpufreq/boost", e->boost, sizeof(e->boost));
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", e->thp_enabled,
		  sizeof(e->thp_enabled));
	read_line("/sys/kernel/mm/transparent_hugepage/defrag", e->thp_defrag, sizeof(e->thp_defrag));
	read_line("/sys/kernel/mm/ksm/run", e->ksm_run, sizeof(e->ksm_run));
	mitigations(e);
	read_line("/sys/class/dmi/id/sys_vendor", vendor, sizeof(vendor));
	read_line("/sys/class/dmi/id/product_name", product, sizeof(product));
	snprintf(e->dmi, sizeof(e->dmi), "%s%s%s", vendor, vendor[0] && product[0] ? " " : "",
		 product);
	read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		  e->clocksource, sizeof(e->clocksource));
	cgroup_limits(e);
	rlimit_text(RLIMIT_NPROC, e->rlimit_nproc, sizeof(e->rlimit_nproc));
	rlimit_text(RLIMIT_NOFILE, e->rlimit_nofile, sizeof(e->rlimit_nofile));
	snprintf(e->glibc, sizeof(e->glibc), "%s", gnu_get_libc_version());
	snprintf(e->compiler, sizeof(e->compiler), "%s", __VERSION__);
}

int pb_environment_warn(const struct pb_environment *e, FILE *f)
{
	int n = 0;

	if (e->governor[0] && strcmp(e->governor, "performance")) {
		fprintf(f, "procbench: warning: CPU frequency governor is '%s', not 'performance': "
			   "clock changes will move the numbers\n",
			e->governor);
		n++;
	}
	if (!strcmp(e->boost, "1")) {
		fprintf(f, "procbench: warning: frequency boost is on: numbers depend on thermal "
			   "headroom\n");
		n++;
	}
	if (e->hypervisor) {
		fprintf(f, "procbench: warning: running under a hypervisor (%s): other guests and "
			   "exits add noise\n",
			e->dmi[0] ? e->dmi : "cpuinfo's hypervisor flag");
		n++;
	}
	if (strstr(e->cpu_model, "QEMU") || strstr(e->dmi, "QEMU")) {
		fprintf(f, "procbench: warning: this looks like qemu: if it emulates (TCG), timings "
			   "reflect the emulator\n");
		n++;
	}
	return n;
}
