// SPDX-License-Identifier: MIT
/*
 * The runner: expands the command line into benchmark points (method x
 * parent shape x placement x jobs), starts one group of creators per
 * distinct shape/placement, probes and sets up each point, warms up, then
 * samples every point in interleaved rounds until its median CI is tight
 * enough or its budget is spent. With --jobs N a batch runs on N creators
 * at once.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <math.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "context.h"
#include "creator_link.h"
#include "runner.h"
#include "../protocol/shm.h"

/* Batches aim at this much wall time, so rounds interleave finely. */
#define BATCH_TARGET_S 0.02

/*
 * The creators of one method at one point. Every method has creators of its
 * own: what a method leaves in its creator (glibc's thread-stack cache and
 * multi-threaded state after pthread_create, io_uring rings and workers,
 * child stacks) would otherwise be part of every other method's parent.
 * Measured in instruction time, fork's round trip was 266.4k alone and
 * 329.0k sharing a creator with thread-pthread.
 */
struct group {
	unsigned method;
	struct pb_point pt;
	struct pb_creator_link cr[PB_MAX_JOBS];
	int status;
	char msg[256];
};

struct runner {
	const struct pb_options *o;
	struct pb_run *run;
	struct group *groups;
	unsigned ngroups;
	char creator_path[4200];
	int perf_ctl_fd, perf_ack_fd;
};

/* --perf-ctl fd:CTL[,ACK] (descriptors perf stat gave us) or fifo:CTL[,ACK] (paths). */
static int open_perf_ctl(struct runner *rn, const char *spec)
{
	char buf[512], *ack;
	int fifo = !strncmp(spec, "fifo:", 5);

	rn->perf_ctl_fd = rn->perf_ack_fd = -1;
	snprintf(buf, sizeof(buf), "%s", spec + (fifo ? 5 : 3));
	ack = strchr(buf, ',');
	if (ack)
		*ack++ = 0;
	for (int i = 0; i < 2; i++) {
		const char *what = i ? ack : buf;
		int *fd = i ? &rn->perf_ack_fd : &rn->perf_ctl_fd;
		char *end;

		if (!what)
			continue;
		if (fifo) {
			/* O_RDWR: never blocks for lack of a peer; perf holds the other ends. */
			*fd = open(what, O_RDWR | O_CLOEXEC);
			if (*fd < 0) {
				fprintf(stderr, "procbench: --perf-ctl: cannot open the fifo %s: %s\n", what,
					strerror(errno));
				return -1;
			}
		} else {
			long v = strtol(what, &end, 10);

			if (*end || end == what || v < 0 || v > 1 << 20 || fcntl((int)v, F_GETFD) < 0) {
				fprintf(stderr, "procbench: --perf-ctl: '%s' is not an open descriptor; "
						"perf stat --control fd:... must pass it to procbench\n",
					what);
				return -1;
			}
			*fd = (int)v;
		}
		/* Above the creator's fixed descriptors, or spawning it would overwrite it first. */
		{
			int high = pb_fd_above_fixed(*fd);

			if (fifo)
				close(*fd);
			*fd = high;
		}
	}
	return 0;
}

static double now_s(void)
{
	return (double)pb_mono_raw_ns() / 1e9;
}

static void set_error(struct pb_record *r, const char *msg)
{
	r->status = PB_ERROR;
	r->active = 0;
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

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

static int selected(const struct pb_options *o, const struct pb_method_info *m)
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
		methods += selected(o, &run->methods[i]); /* each method has creators of its own */
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
static int validate(const struct pb_options *o, struct pb_run *run)
{
	struct pb_context *ctx = &run->ctx;
	struct rlimit rl;
	char line[32] = "";
	FILE *f;
	unsigned max_fds = 0;

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
	f = fopen("/proc/sys/vm/max_map_count", "re");
	if (f) {
		if (fgets(line, sizeof(line), f) && o->vmas + 256 > (unsigned)atoi(line)) {
			fprintf(stderr, "procbench: --vmas %u exceeds what vm.max_map_count (%d) allows; "
					"raise it with sysctl\n",
				o->vmas, atoi(line));
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

/* Every selected method at every point of the axes. */
static int build_plan(struct runner *rn)
{
	const struct pb_options *o = rn->o;
	struct pb_run *run = rn->run;
	unsigned nm = run->nmethods, cap = 1;

	cap = nm * o->n_rss * o->n_touch * o->n_threads * o->n_fds * o->n_pins * o->n_jobs;
	run->recs = calloc(cap, sizeof(*run->recs));
	rn->groups = calloc(cap, sizeof(*rn->groups));
	if (!run->recs || !rn->groups)
		return -1;
	for (unsigned mi = 0; mi < nm; mi++) {
		const struct pb_method_info *m = &run->methods[mi];

		if (!selected(o, m))
			continue;
		for (unsigned a = 0; a < o->n_rss; a++)
			for (unsigned t = 0; t < o->n_touch; t++)
				for (unsigned th = 0; th < o->n_threads; th++)
					for (unsigned fd = 0; fd < o->n_fds; fd++)
						for (unsigned p = 0; p < o->n_pins; p++)
							for (unsigned j = 0; j < o->n_jobs; j++) {
		struct pb_record *r = &run->recs[run->nrecs];
		struct pb_point pt = { 0 };
		int gi;

		/* Untouched and touched are the same point without memory. */
		if (!o->rss[a] && t > 0)
			continue;
		pt.shape.rss = o->rss[a];
		pt.shape.touch = (uint32_t)(o->rss[a] ? o->touch[t] : 0);
		pt.shape.thp = (uint32_t)o->thp;
		pt.shape.vmas = o->rss[a] ? o->vmas : 0;
		pt.shape.threads = o->threads[th];
		pt.shape.fds = o->fds[fd];
		pt.shape.fds_cloexec = (uint32_t)(o->fds[fd] ? o->fds_cloexec : 0);
		pt.shape.mem_node = o->rss[a] ? o->mem_node : -1;
		pt.pin = o->pins[p];
		pt.jobs = o->jobs[j];
		point_suffix(&pt);
		gi = find_or_add_group(rn, mi, &pt);
		r->m = m;
		r->index = mi;
		r->pt = rn->groups[gi].pt;
		r->group = (unsigned)gi;
		r->tls_verified = -1;
		r->observed_child_cpu = -1;
		r->ops_per_sample = 1;
		snprintf(r->name, sizeof(r->name), "%s%s", m->name, pt.suffix);
		describe_placement(r);
		if (rn->groups[gi].status != PB_OK) {
			r->status = rn->groups[gi].status;
			snprintf(r->msg, sizeof(r->msg), "%s", rn->groups[gi].msg);
		} else if (pb_pin_moves_child(pt.pin) && !m->places_child) {
			r->status = PB_SKIP;
			snprintf(r->msg, sizeof(r->msg),
				 "%s cannot move its child to another CPU before the child's first "
				 "instruction (the child inherits the parent's PU)",
				 m->name);
		}
		run->nrecs++;
							}
	}
	if (!run->nrecs) {
		fprintf(stderr, "procbench: --filter '%s' matches no benchmark (see procbench --list)\n",
			o->filter ? o->filter : "");
		return -1;
	}
	return 0;
}

/* Start a group's creators and grow them into shape; -1 when one cannot start at all. */
static int start_group(struct runner *rn, struct group *g)
{
	struct pb_creator_spec spec = {
		.creator_path = rn->creator_path,
		.exec_target = rn->run->ctx.exec_target,
		.chain_len = rn->o->chain_len,
		.want_cpu = rn->o->check_placement,
		.perf_ctl_fd = rn->perf_ctl_fd,
		.perf_ack_fd = rn->perf_ack_fd,
		.shape = g->pt.shape,
	};
	struct pb_reply rep;

	for (unsigned j = 0; j < g->pt.jobs && g->status == PB_OK; j++) {
		spec.cpu = g->pt.parent_cpu[j];
		spec.child_cpu = g->pt.child_cpu[j];
		if (pb_link_open(&g->cr[j], &spec, 0, g->msg, sizeof(g->msg))) {
			fprintf(stderr, "procbench: %s\n", g->msg);
			return -1;
		}
		if (pb_link_cmd(&g->cr[j], PB_OP_SHAPE, 0, 0, &rep) || rep.status != PB_OK) {
			g->status = PB_ERROR;
			snprintf(g->msg, sizeof(g->msg), "shaping the parent: %.200s", rep.msg);
		}
	}
	if (g->status == PB_OK)
		pb_creator_shape_read(&g->pt.measured, g->cr[0].pid);
	return 0;
}

static void stop_all(struct runner *rn)
{
	for (unsigned i = 0; i < rn->ngroups; i++)
		for (unsigned j = 0; j < rn->groups[i].pt.jobs; j++)
			if (rn->groups[i].cr[j].shm)
				pb_link_stop(&rn->groups[i].cr[j]);
}

static int grow(struct pb_record *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 1024;
	double *a, *b, *c;

	if (need <= r->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	a = realloc(r->round_trip, cap * sizeof(double));
	if (a)
		r->round_trip = a;
	b = realloc(r->parent_return, cap * sizeof(double));
	if (b)
		r->parent_return = b;
	c = realloc(r->child_running, cap * sizeof(double));
	if (c)
		r->child_running = c;
	if (!a || !b || !c)
		return -1;
	r->cap = cap;
	return 0;
}

static void keep_samples(struct pb_record *r, const struct pb_context *ctx,
			 const struct pb_sample *s, const struct pb_reply *rep)
{
	double ops = r->ops_per_sample;

	if (grow(r, r->n + rep->done)) {
		set_error(r, "out of memory for samples");
		return;
	}
	for (uint32_t i = 0; i < rep->done; i++) {
		size_t k = r->n + i;

		r->round_trip[k] = pb_ticks_to_ns((double)(s[i].t2 - s[i].t0), &ctx->counter) / ops;
		r->parent_return[k] =
			pb_ticks_to_ns((double)(int64_t)(s[i].t1 - s[i].t0), &ctx->counter);
		r->child_running[k] =
			pb_ticks_to_ns((double)(int64_t)(s[i].tc - s[i].t0), &ctx->counter);
		r->round_ticks += s[i].t2 - s[i].t0;
	}
	r->n += rep->done;
	r->cpu_ns += rep->self_cpu_ns + rep->child_cpu_ns;
	r->elapsed_ticks += rep->elapsed_ticks;
}

static int grow_counters(struct pb_record *r)
{
	if (r->cnt_batches < r->cnt_cap)
		return 0;
	r->cnt_cap = r->cnt_cap ? r->cnt_cap * 2 : 64;
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		double *p = realloc(r->cnt_batch[i], r->cnt_cap * sizeof(double));

		if (!p)
			return -1;
		r->cnt_batch[i] = p;
	}
	return 0;
}

/* A counter batch's counts, summed over jobs, per creation. */
static void keep_counts(struct pb_record *r, const uint64_t *sum, const int *err, double creations)
{
	if (!creations || grow_counters(r))
		return;
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		if (err[i] && !r->cnt_err[i])
			r->cnt_err[i] = err[i];
		r->cnt_total[i] += (double)sum[i];
		r->cnt_batch[i][r->cnt_batches] = (double)sum[i] / creations;
	}
	r->cnt_creations += creations;
	r->cnt_batches++;
}

enum { BATCH_WARMUP, BATCH_TIMED, BATCH_COUNTERS };

/* One batch on every job of the point's group at once. Only timed batches are kept as samples. */
static void run_batch(struct runner *rn, struct pb_record *r, unsigned count, int kind)
{
	uint64_t sums[PB_NCOUNTERS] = { 0 };
	int errs[PB_NCOUNTERS] = { 0 };
	uint32_t flags = kind == BATCH_TIMED ? PB_RUN_MEASURED
			 : kind == BATCH_COUNTERS ? PB_RUN_COUNTERS
						 : 0;
	int keep = kind == BATCH_TIMED;
	struct group *g = &rn->groups[r->group];
	struct pb_reply rep;
	unsigned done = 0, jobs = g->pt.jobs;
	double t = now_s();
	int failed = 0;

	for (unsigned j = 0; j < jobs; j++)
		if (pb_link_send(&g->cr[j], PB_OP_RUN, r->index, count, flags)) {
			failed = 1;
			jobs = j; /* wait only for those that got the command */
			break;
		}
	for (unsigned j = 0; j < jobs; j++) {
		if (pb_link_wait(&g->cr[j], &rep) || rep.status == PB_ERROR) {
			if (r->status == PB_OK)
				set_error(r, rep.msg[0] ? rep.msg : "the creator reported an error");
			continue;
		}
		r->tls_verified = rep.tls_verified;
		r->ops_per_sample = rep.ops_per_sample ? rep.ops_per_sample : 1;
		if (rep.child_cpu >= 0)
			r->observed_child_cpu = rep.child_cpu;
		done += rep.done;
		if (keep && r->status == PB_OK)
			keep_samples(r, &rn->run->ctx, pb_link_samples(&g->cr[j]), &rep);
		for (int i = 0; i < PB_NCOUNTERS; i++) {
			sums[i] += rep.counts[i];
			if (rep.count_err[i])
				errs[i] = rep.count_err[i];
		}
	}
	if (kind == BATCH_COUNTERS && r->status == PB_OK) {
		keep_counts(r, sums, errs, (double)done * r->ops_per_sample);
		return;
	}
	if (failed && r->status == PB_OK)
		set_error(r, "lost a creator");
	t = now_s() - t;
	if (r->status != PB_OK)
		return;
	if (kind == BATCH_COUNTERS)
		return;
	/* Next batch sized so it takes about BATCH_TARGET_S. */
	if (done) {
		double per = t * g->pt.jobs / done;
		double want = per > 0 ? BATCH_TARGET_S / per : PB_BATCH_MAX;

		r->batch = want < 1 ? 1 : want > PB_BATCH_MAX ? PB_BATCH_MAX : (unsigned)want;
	}
	if (keep) {
		r->spent_s += t;
		r->batch_wall_s += t;
	}
}

static void finish_record(struct pb_record *r, const struct pb_context *ctx)
{
	if (r->status != PB_OK)
		return;
	if (r->n < 2) {
		set_error(r, "fewer than two samples in the time budget; raise --time-budget");
		return;
	}
	pb_summarize(r->round_trip, r->n, ctx->ci_level, &r->s_round);
	pb_summarize(r->parent_return, r->n, ctx->ci_level, &r->s_parent);
	pb_summarize(r->child_running, r->n, ctx->ci_level, &r->s_child);
	r->ci_met = pb_ci_rel_width(&r->s_round) <= ctx->ci_target;
	r->cpu_ns_per_op = (double)r->cpu_ns / ((double)r->n * r->ops_per_sample);
	r->loop_overhead_ns =
		pb_ticks_to_ns((double)(r->elapsed_ticks - r->round_ticks), &ctx->counter) /
		(double)r->n;
	r->creations_per_s =
		r->batch_wall_s > 0 ? (double)r->n * r->ops_per_sample / r->batch_wall_s : 0;
}

static void probe_and_setup(struct runner *rn, struct pb_record *r)
{
	struct group *g = &rn->groups[r->group];
	struct pb_reply rep;

	if (r->status != PB_OK)
		return;
	if (g->status != PB_OK) {
		r->status = g->status;
		snprintf(r->msg, sizeof(r->msg), "%s", g->msg);
		return;
	}
	r->pt.measured = g->pt.measured;
	pb_link_cmd(&g->cr[0], PB_OP_PROBE, r->index, 0, &rep);
	if (rep.status != PB_OK) {
		r->status = rep.status;
		snprintf(r->msg, sizeof(r->msg), "%s", rep.msg);
		return;
	}
	for (unsigned j = 0; j < g->pt.jobs; j++) {
		pb_link_cmd(&g->cr[j], PB_OP_SETUP, r->index, 0, &rep);
		if (rep.status != PB_OK) {
			set_error(r, rep.msg);
			return;
		}
	}
	r->set_up = 1;
	r->active = 1;
	r->batch = 4;
}

struct pb_session {
	struct runner rn;
};

struct pb_session *pb_session_open(const struct pb_options *o, struct pb_run *run,
				   pb_announce announce)
{
	struct pb_session *ss = calloc(1, sizeof(*ss));
	struct runner *rn;
	struct pb_context *ctx = &run->ctx;
	char err[4400];
	unsigned i;

	if (!ss)
		return NULL;
	rn = &ss->rn;
	rn->o = o;
	rn->run = run;
	rn->perf_ctl_fd = rn->perf_ack_fd = -1;
	if (pb_programs_locate(ctx, o, rn->creator_path, sizeof(rn->creator_path))) {
		fprintf(stderr, "procbench: cannot find my own directory via /proc/self/exe\n");
		goto fail;
	}
	if (pb_topology_load(err, sizeof(err))) {
		fprintf(stderr, "procbench: %s\n", err);
		goto fail;
	}
	if (o->perf_ctl && open_perf_ctl(rn, o->perf_ctl))
		goto fail;
	ctx->counters = o->counters;
	snprintf(ctx->perf_ctl, sizeof(ctx->perf_ctl), "%s", o->perf_ctl ? o->perf_ctl : "");
	{
		struct pb_creator_spec spec = { .creator_path = rn->creator_path,
						.exec_target = ctx->exec_target,
						.cpu = -1,
						.child_cpu = -1,
						.perf_ctl_fd = -1,
						.perf_ack_fd = -1 };

		if (pb_link_methods(&spec, 0, run->methods, &run->nmethods, err, sizeof(err))) {
			fprintf(stderr, "procbench: %s\n", err);
			goto fail;
		}
	}
	if (validate(o, run) || build_plan(rn))
		goto fail;
	/* A bad request (not a skip) stops the run before anything starts. */
	for (i = 0; i < rn->ngroups; i++)
		if (rn->groups[i].status == PB_ERROR) {
			fprintf(stderr, "procbench: %s\n", rn->groups[i].msg);
			goto fail;
		}
	if (announce)
		announce(ctx, o);
	for (i = 0; i < rn->ngroups; i++)
		if (rn->groups[i].status == PB_OK && start_group(rn, &rn->groups[i]))
			goto fail;
	for (i = 0; i < run->nrecs; i++)
		probe_and_setup(rn, &run->recs[i]);
	return ss;
fail:
	stop_all(rn);
	free(rn->groups);
	free(ss);
	return NULL;
}

/* Warm-up: caches, page tables, the exec target's page cache. */
void pb_session_warmup(struct pb_session *ss)
{
	struct pb_run *run = ss->rn.run;

	for (unsigned i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];
		double t0 = now_s();

		while (r->active && now_s() - t0 < ss->rn.o->warmup_s)
			run_batch(&ss->rn, r, r->batch, BATCH_WARMUP);
	}
}

int pb_session_batch(struct pb_session *ss, unsigned rec, unsigned count)
{
	struct pb_record *r = &ss->rn.run->recs[rec];

	if (r->status != PB_OK || !r->set_up)
		return -1;
	while (count && r->status == PB_OK) {
		unsigned n = count > PB_BATCH_MAX ? PB_BATCH_MAX : count;

		run_batch(&ss->rn, r, n, BATCH_TIMED);
		count -= n;
	}
	return r->status == PB_OK ? 0 : -1;
}

void pb_session_close(struct pb_session *ss)
{
	struct runner *rn = &ss->rn;
	struct pb_run *run = rn->run;

	for (unsigned i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];
		struct group *g = &rn->groups[r->group];
		struct pb_reply rep;

		if (r->set_up)
			for (unsigned j = 0; j < g->pt.jobs; j++)
				pb_link_cmd(&g->cr[j], PB_OP_TEARDOWN, r->index, 0, &rep);
	}
	stop_all(rn);
	for (unsigned i = 0; i < run->nrecs; i++)
		finish_record(&run->recs[i], &run->ctx);
	if (rn->ngroups)
		run->ctx.creator = rn->groups[run->recs[0].group].pt.measured;
	free(rn->groups);
	free(ss);
}

/*
 * One progress line on stderr, redrawn at most every 0.2 s, only on a
 * terminal: the point being sampled, the round, the time so far and what is
 * left (between every active point meeting --min-time and every one
 * spending its --time-budget, scaled by the overhead seen so far).
 */
struct progress {
	int on;
	double start, last;
};

static void progress_draw(struct progress *p, const struct pb_options *o, struct pb_run *run,
			  const struct pb_record *cur, unsigned round)
{
	double now = now_s(), spent = 0, lo = 0, hi = 0, scale;
	unsigned active = 0;

	if (!p->on || now - p->last < 0.2)
		return;
	p->last = now;
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];

		spent += r->spent_s;
		if (!r->active)
			continue;
		active++;
		lo += r->spent_s < o->min_time_s ? o->min_time_s - r->spent_s : 0;
		hi += r->spent_s < o->time_budget_s ? o->time_budget_s - r->spent_s : 0;
	}
	scale = spent > 0 ? (now - p->start) / spent : 1;
	if (scale < 1)
		scale = 1;
	fprintf(stderr, "\r\033[Kprocbench: round %u, %.40s, %u of %u active, %.1f s elapsed, "
			"%.0f..%.0f s left",
		round + 1, cur->name, active, run->nrecs, now - p->start, lo * scale, hi * scale);
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->on)
		fputs("\r\033[K", stderr);
}

int pb_run(const struct pb_options *o, struct pb_run *run, pb_announce announce)
{
	struct pb_session *ss = pb_session_open(o, run, announce);
	unsigned i, active, round = 0;
	struct progress prog = { !o->quiet && isatty(STDERR_FILENO), now_s(), 0 };

	if (!ss)
		return -1;
	pb_session_warmup(ss);
	/* Interleaved rounds; each round starts one point later than the last. */
	do {
		active = 0;
		for (unsigned k = 0; k < run->nrecs; k++) {
			struct pb_record *r = &run->recs[(k + round) % run->nrecs];

			if (!r->active)
				continue;
			{
				unsigned want = r->batch, jobs = ss->rn.groups[r->group].pt.jobs;

				/* --count: land on it exactly (every job runs `want`). */
				if (o->count && r->n + (size_t)want * jobs > o->count)
					want = (unsigned)((o->count - r->n + jobs - 1) / jobs);
				run_batch(&ss->rn, r, want, BATCH_TIMED);
				/* Counters in a batch of their own: inherited events slow fork. */
				if (r->active && o->counters)
					run_batch(&ss->rn, r, want / 4 ? want / 4 : 1, BATCH_COUNTERS);
			}
			if (!r->active)
				continue;
			if (r->spent_s >= o->time_budget_s || r->n >= o->max_samples)
				r->active = 0;
			active += r->active;
			progress_draw(&prog, o, run, r, round);
		}
		/* Convergence is checked once per round: sorting is not free. */
		for (i = 0; i < run->nrecs; i++) {
			struct pb_record *r = &run->recs[i];
			struct pb_summary s;

			if (!r->active || r->n < o->min_samples || r->spent_s < o->min_time_s)
				continue;
			if (!pb_summarize(r->round_trip, r->n, o->ci_level, &s) &&
			    pb_ci_rel_width(&s) <= o->ci_target) {
				r->active = 0;
				active--;
			}
		}
		round++;
	} while (active);
	progress_end(&prog);
	pb_session_close(ss);
	return 0;
}

void pb_run_free(struct pb_run *run)
{
	for (unsigned i = 0; i < run->nrecs; i++) {
		free(run->recs[i].round_trip);
		free(run->recs[i].parent_return);
		free(run->recs[i].child_running);
		for (int k = 0; k < PB_NCOUNTERS; k++)
			free(run->recs[i].cnt_batch[k]);
	}
	free(run->recs);
	run->recs = NULL;
	run->nrecs = 0;
}
