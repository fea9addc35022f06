// SPDX-License-Identifier: MIT
/*
 * The plan: every selected method at every point of the axes (parent
 * shape x placement x jobs), each point named by what differs from the
 * default, grouped onto creators; and the checks that need the machine
 * (NUMA nodes, descriptor and mapping limits, memory) before anything
 * starts. Syntax is checked earlier, in cli.c.
 */
#include <dirent.h>
#include <inttypes.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "runner_int.h"

static void format_size(char *buf, size_t len, uint64_t v)
{
	static const char suffix[] = "KMGT";
	int i = -1;

	while (v && v % 1024 == 0 && i < 3) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, suffix[i]);
}

/* Only what differs from the default point goes into the name. */
static void point_suffix(struct pb_point *pt)
{
	char *b = pt->suffix, size[32];
	size_t len = sizeof(pt->suffix), n = 0;
	const struct pb_shape *s = &pt->shape;

#define ADD(...) (n += (size_t)snprintf(b + n, n < len ? len - n : 0, __VA_ARGS__))
	b[0] = 0;
	if (s->rss) {
		format_size(size, sizeof(size), s->rss);
		ADD("/rss:%s", size);
		if (s->touch)
			ADD("/touch");
		if (s->thp)
			ADD("/thp:%s", s->thp == PB_THP_ON ? "on" : "off");
		if (s->vmas > 1)
			ADD("/vmas:%u", s->vmas);
		if (s->mem_node >= 0)
			ADD("/node:%d", s->mem_node);
	}
	if (s->threads)
		ADD("/threads:%u", s->threads);
	if (s->fds)
		ADD("/fds:%u%s", s->fds, s->fds_cloexec ? "/cloexec" : "");
	if (pt->pin != PB_PIN_SAME_CPU)
		ADD("/pin:%s", pb_pin_names[pt->pin]);
	if (pt->jobs > 1)
		ADD("/jobs:%u", pt->jobs);
#undef ADD
}

static int same_group(const struct pb_point *a, const struct pb_point *b)
{
	return !memcmp(&a->shape, &b->shape, sizeof(a->shape)) && a->pin == b->pin &&
	       a->jobs == b->jobs;
}

int pb_method_selected(const struct pb_options *o, const struct pb_method_info *m)
{
	if (o->filter)
		return regexec(&o->filter_re, m->name, 0, NULL, 0) == 0;
	return m->in_default;
}

/*
 * Bytes that can still be had: MemAvailable, or less under the cgroup's
 * memory.max (the environment block has already found the cgroup and read
 * its limit).
 */
static uint64_t memory_available(const struct pb_environment *env)
{
	char line[512], path[600];
	uint64_t avail = 0, max, cur;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %" SCNu64 " kB", &avail) == 1) {
			avail *= 1024;
			break;
		}
	if (f)
		fclose(f);
	if (sscanf(env->memory_max, "%" SCNu64, &max) != 1) /* "max" or unreadable: no limit */
		return avail;
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.current", env->cgroup);
	f = fopen(path, "re");
	if (f && fscanf(f, "%" SCNu64, &cur) == 1 && max > cur && (!avail || max - cur < avail))
		avail = max - cur;
	if (f)
		fclose(f);
	return avail;
}

/*
 * Touched memory is resident in every creator at once (all groups stay
 * alive to interleave): more than the machine can hold would only end in
 * the OOM killer or a 60 s silence, so it is refused before anything starts.
 */
static int check_memory(const struct pb_options *o, const struct pb_run *run)
{
	uint64_t per = 0, creators = 0, methods = 0, need, avail;
	int touched = 0;

	for (unsigned i = 0; i < o->n_touch; i++)
		touched |= o->touch[i];
	if (!touched)
		return 0;
	for (unsigned i = 0; i < o->n_rss; i++)
		per += o->rss[i];
	for (unsigned i = 0; i < o->n_jobs; i++)
		creators += o->jobs[i];
	for (unsigned i = 0; i < run->nmethods; i++)
		methods += pb_method_selected(o, &run->methods[i]); /* each method has creators of its own */
	need = per * creators * methods * o->n_pins * o->n_threads * o->n_fds;
	avail = memory_available(&run->ctx.env);
	if (avail && need > avail / 10 * 9) {
		fprintf(stderr, "procbench: --rss with --touch makes the creators hold %.1f GiB "
				"resident at once, more than the %.1f GiB available here (MemAvailable "
				"or the cgroup limit); use a smaller --rss, fewer points or jobs, or "
				"leave the memory untouched\n",
			(double)need / (1 << 30), (double)avail / (1 << 30));
		return -1;
	}
	return 0;
}

/* Checks that need the machine, not just the syntax: one line, exit 2. */
int pb_plan_check_machine(const struct pb_options *o, struct pb_run *run)
{
	struct pb_context *ctx = &run->ctx;
	struct rlimit rl;
	char line[32] = "";
	FILE *f;
	unsigned max_fds = 0, max_threads = 0;

	ctx->mem_node_count = numa_available() < 0 ? 0 : numa_max_node() + 1;
	if (o->mem_node >= 0) {
		if (ctx->mem_node_count == 0) {
			fprintf(stderr, "procbench: --mem-node %d: libnuma finds no NUMA support here\n",
				o->mem_node);
			return -1;
		}
		if (o->mem_node >= ctx->mem_node_count ||
		    !numa_bitmask_isbitset(numa_all_nodes_ptr, (unsigned)o->mem_node)) {
			fprintf(stderr, "procbench: --mem-node %d: this machine's NUMA nodes are 0..%d\n",
				o->mem_node, ctx->mem_node_count - 1);
			return -1;
		}
		if (ctx->mem_node_count == 1)
			fprintf(stderr, "procbench: note: --mem-node %d: this machine has one NUMA node, "
					"so the binding is recorded but changes nothing\n",
				o->mem_node);
	}
	for (unsigned i = 0; i < o->n_fds; i++)
		if (o->fds[i] > max_fds)
			max_fds = o->fds[i];
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    max_fds + 16 > rl.rlim_cur) {
		fprintf(stderr, "procbench: --fds %u needs more descriptors than ulimit -n (%llu) allows; "
				"raise it\n",
			max_fds, (unsigned long long)rl.rlim_cur);
		return -1;
	}
	for (unsigned i = 0; i < o->n_threads; i++)
		if (o->threads[i] > max_threads)
			max_threads = o->threads[i];
	f = fopen("/proc/sys/vm/max_map_count", "re");
	if (f) {
		/* A thread maps its stack and the stack's guard page. */
		unsigned long long maps = (unsigned long long)o->vmas + 2ull * max_threads + 256;

		if (fgets(line, sizeof(line), f) && maps > (unsigned long long)atoll(line)) {
			if (o->vmas + 256 > (unsigned long long)atoll(line))
				fprintf(stderr, "procbench: --vmas %u exceeds what vm.max_map_count (%lld) "
						"allows; raise it with sysctl\n",
					o->vmas, atoll(line));
			else
				fprintf(stderr, "procbench: --threads %u maps a stack and its guard page per "
						"thread, %llu mappings in one creator, more than "
						"vm.max_map_count (%lld) allows; raise it with sysctl, or ask "
						"for fewer --threads\n",
					max_threads, maps, atoll(line));
			fclose(f);
			return -1;
		}
		fclose(f);
	}
	for (unsigned i = 0; i < o->n_rss; i++)
		if (o->vmas > 1 && o->rss[i] && o->rss[i] / (uint64_t)sysconf(_SC_PAGESIZE) < o->vmas) {
			fprintf(stderr, "procbench: --vmas %u needs --rss of at least %u pages\n", o->vmas,
				o->vmas);
			return -1;
		}
	return check_memory(o, run);
}

/* The number a file starts with ("max" is none): 0, or -1 where there is none. */
static int read_number(const char *path, unsigned long long *v)
{
	char buf[128];
	FILE *f = fopen(path, "re");
	int ok = f && fgets(buf, sizeof(buf), f) && sscanf(buf, "%llu", v) == 1;

	if (f)
		fclose(f);
	return ok ? 0 : -1;
}

/* Tasks (threads) whose real uid is this user's: what RLIMIT_NPROC counts. */
static unsigned long long tasks_of_user(void)
{
	unsigned long long n = 0;
	struct dirent *d;
	DIR *dp = opendir("/proc");

	while (dp && (d = readdir(dp))) {
		char path[300], line[256];
		unsigned uid = ~0u, threads = 0;
		FILE *f;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", d->d_name);
		if (!(f = fopen(path, "re")))
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Uid: %u", &uid) != 1)
				sscanf(line, "Threads: %u", &threads);
		fclose(f);
		n += uid == getuid() ? threads : 0;
	}
	if (dp)
		closedir(dp);
	return n;
}

/*
 * The tightest limit on new tasks of all those that apply (RLIMIT_NPROC,
 * kernel.threads-max, kernel.pid_max, each pids.max from the cgroup up):
 * the room left, its name and what is in use. ~0 when none could be read.
 */
static unsigned long long task_room(const struct pb_environment *env, char *what, size_t len,
				    unsigned long long *limit, unsigned long long *used)
{
	unsigned long long room = ~0ull, max, cur, all = 0;
	char path[700], cg[520], *slash;
	struct rlimit rl;

#define TIGHTER(name, m, u, reserved)                                            \
	do {                                                                     \
		unsigned long long left_ = (m) > (u) + (reserved) ? (m) - (u) - (reserved) : 0; \
		if (left_ < room) {                                              \
			room = left_;                                            \
			*limit = (m);                                            \
			*used = (u);                                             \
			snprintf(what, len, "%s", name);                         \
		}                                                                \
	} while (0)
	FILE *f = fopen("/proc/loadavg", "re"); /* its fourth field: runnable/all tasks */

	if (!f || fscanf(f, "%*s %*s %*s %*u/%llu", &all) != 1)
		all = 0;
	if (f)
		fclose(f);
	/* Root (the initial namespace's uid 0) is not held to RLIMIT_NPROC. */
	if (getuid() && !getrlimit(RLIMIT_NPROC, &rl) && rl.rlim_cur != RLIM_INFINITY)
		TIGHTER("ulimit -u (RLIMIT_NPROC, tasks of this user)", (unsigned long long)rl.rlim_cur,
			tasks_of_user(), 0);
	if (all && !read_number("/proc/sys/kernel/threads-max", &max))
		TIGHTER("kernel.threads-max (sysctl)", max, all, 0);
	/* Pids below 300 are not handed out again once the counter wraps. */
	if (all && !read_number("/proc/sys/kernel/pid_max", &max))
		TIGHTER("kernel.pid_max (sysctl)", max, all, 300);
	snprintf(cg, sizeof(cg), "%s", env->cgroup);
	while (cg[0] == '/') {
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/pids.max", cg);
		if (!read_number(path, &max)) {
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s/pids.current", cg);
			if (!read_number(path, &cur)) {
				char name[600];

				snprintf(name, sizeof(name), "pids.max of the cgroup %s", cg);
				TIGHTER(name, max, cur, 0);
			}
		}
		if (!cg[1])
			break;
		slash = strrchr(cg, '/');
		slash[slash == cg] = 0; /* "/a/b" -> "/a" -> "/" */
	}
#undef TIGHTER
	return room;
}

/*
 * Every creator holds its main thread and its --threads, all groups at once
 * (they stay alive to interleave): past a task limit the kernel answers
 * EAGAIN halfway through shaping, so the run is refused before any creator
 * starts, naming the limit. The children in flight are not counted: a limit
 * they reach is their creation's own error, which names it too
 * (tests/test_eagain.sh).
 */
int pb_plan_check_tasks(const struct runner *rn)
{
	unsigned long long need = 0, creators = 0, limit = 0, used = 0, room;
	unsigned threads = 0;
	char what[700] = "";

	for (unsigned i = 0; i < rn->ngroups; i++) {
		const struct group *g = &rn->groups[i];

		if (g->status != PB_OK)
			continue;
		creators += g->pt.jobs;
		need += (unsigned long long)g->pt.jobs * (g->pt.shape.threads + 1);
		if (g->pt.shape.threads > threads)
			threads = g->pt.shape.threads;
	}
	room = task_room(&rn->run->ctx.env, what, sizeof(what), &limit, &used);
	if (need <= room)
		return 0;
	fprintf(stderr, "procbench: the run's %llu creator%s%s need %llu tasks at once, more "
			"than %s allows (%llu, %llu in use); raise it, or ask for fewer --threads, "
			"--jobs or points\n",
		creators, creators == 1 ? "" : "s", threads ? " with their --threads" : "", need, what,
		limit, used);
	return -1;
}

static int find_or_add_group(struct runner *rn, unsigned method, const struct pb_point *pt)
{
	struct group *g;
	char why[256];
	int r;

	for (unsigned i = 0; i < rn->ngroups; i++)
		if (rn->groups[i].method == method && same_group(&rn->groups[i].pt, pt))
			return (int)i;
	g = &rn->groups[rn->ngroups];
	memset(g, 0, sizeof(*g));
	g->method = method;
	g->pt = *pt;
	r = pb_placement_plan(pt->pin, pt->jobs, rn->o->cpu, g->pt.parent_cpu, g->pt.child_cpu, why,
			      sizeof(why));
	if (r) {
		g->status = r > 0 ? PB_SKIP : PB_ERROR;
		snprintf(g->msg, sizeof(g->msg), "%s", why);
	}
	return (int)rn->ngroups++;
}

static void describe_placement(struct pb_record *r)
{
	const struct pb_point *pt = &r->pt;

	if (pt->pin == PB_PIN_NONE)
		snprintf(r->child_placement, sizeof(r->child_placement), "not pinned");
	else if (pt->child_cpu[0] >= 0)
		snprintf(r->child_placement, sizeof(r->child_placement),
			 "moved to PU %d before its stamp", pt->child_cpu[0]);
	else
		snprintf(r->child_placement, sizeof(r->child_placement),
			 "inherits the parent's binding (PU %d)", pt->parent_cpu[0]);
}

/*
 * The k-th combination of the axes (rss, touch, threads, fds, pin, jobs;
 * the last varies fastest) as a point; -1 for a combination that repeats
 * another (touched and untouched are the same point without memory).
 */
static int point_at(const struct pb_options *o, unsigned k, struct pb_point *pt)
{
	unsigned j = k % o->n_jobs, p = (k /= o->n_jobs) % o->n_pins;
	unsigned fd = (k /= o->n_pins) % o->n_fds, th = (k /= o->n_fds) % o->n_threads;
	unsigned t = (k /= o->n_threads) % o->n_touch, a = k / o->n_touch;
	uint64_t rss = o->rss[a];

	if (!rss && t > 0)
		return -1;
	memset(pt, 0, sizeof(*pt));
	pt->shape.rss = rss;
	pt->shape.touch = (uint32_t)(rss ? o->touch[t] : 0);
	pt->shape.thp = (uint32_t)o->thp;
	pt->shape.vmas = rss ? (o->vmas ? o->vmas : 1) : 0; /* --vmas not given: one mapping */
	pt->shape.threads = o->threads[th];
	pt->shape.fds = o->fds[fd];
	pt->shape.fds_cloexec = (uint32_t)(o->fds[fd] ? o->fds_cloexec : 0);
	pt->shape.mem_node = rss ? o->mem_node : -1;
	pt->pin = o->pins[p];
	pt->jobs = o->jobs[j];
	point_suffix(pt);
	return 0;
}

/* A record for method mi at a point; a skip when its group cannot be placed or moved. */
static void add_record(struct runner *rn, unsigned mi, const struct pb_point *pt)
{
	struct pb_run *run = rn->run;
	const struct pb_method_info *m = &run->methods[mi];
	struct pb_record *r = &run->recs[run->nrecs++];
	int gi = find_or_add_group(rn, mi, pt);

	r->m = m;
	r->index = mi;
	r->pt = rn->groups[gi].pt;
	r->group = (unsigned)gi;
	r->tls_verified = -1;
	r->observed_child_cpu = -1;
	r->ops_per_sample = 1;
	snprintf(r->name, sizeof(r->name), "%s%s", m->name, pt->suffix);
	describe_placement(r);
	if (rn->groups[gi].status != PB_OK) {
		r->status = rn->groups[gi].status;
		snprintf(r->msg, sizeof(r->msg), "%s", rn->groups[gi].msg);
	} else if (pb_pin_moves_child(pt->pin) && !m->places_child) {
		r->status = PB_SKIP;
		snprintf(r->msg, sizeof(r->msg),
			 "%s cannot move its child to another CPU before the child's first "
			 "instruction (the child inherits the parent's PU)",
			 m->name);
	}
}

/* Every selected method at every point of the axes. */
int pb_plan_build(struct runner *rn)
{
	const struct pb_options *o = rn->o;
	struct pb_run *run = rn->run;
	unsigned points = o->n_rss * o->n_touch * o->n_threads * o->n_fds * o->n_pins * o->n_jobs;

	run->recs = calloc((size_t)run->nmethods * points, sizeof(*run->recs));
	rn->groups = calloc((size_t)run->nmethods * points, sizeof(*rn->groups));
	if (!run->recs || !rn->groups)
		return -1;
	for (unsigned mi = 0; mi < run->nmethods; mi++) {
		if (!pb_method_selected(o, &run->methods[mi]))
			continue;
		for (unsigned k = 0; k < points; k++) {
			struct pb_point pt;

			if (!point_at(o, k, &pt))
				add_record(rn, mi, &pt);
		}
	}
	if (!run->nrecs) {
		fprintf(stderr, "procbench: --filter '%s' matches no benchmark (see procbench --list)\n",
			o->filter ? o->filter : "");
		return -1;
	}
	return 0;
}
