// SPDX-License-Identifier: MIT
/*
 * JSON results: Google Benchmark's shape (a `context` object and a
 * `benchmarks` array whose entries carry name, run_name, run_type,
 * iterations, real_time, cpu_time, time_unit), so its compare.py reads it,
 * with procbench's fields added. Skipped and failed benchmarks stay in the
 * array without timing fields (compare.py passes over them).
 * The schema is described in results/README.md.
 */
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "report.h"
#include "../analysis/safe_text.h"


static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void add_dbl(json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(v));
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_bool(json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static json_object *summary_json(const struct pb_summary *s)
{
	json_object *o = json_object_new_object();

	add_int(o, "n", (int64_t)s->n);
	add_dbl(o, "min", s->min);
	add_dbl(o, "p50", s->p50);
	add_dbl(o, "p90", s->p90);
	add_dbl(o, "p99", s->p99);
	add_dbl(o, "p999", s->p999);
	add_dbl(o, "max", s->max);
	add_dbl(o, "mean", s->mean);
	add_dbl(o, "stddev", s->stddev);
	if (s->ci_valid) {
		add_dbl(o, "ci_lo", s->ci_lo);
		add_dbl(o, "ci_hi", s->ci_hi);
		add_dbl(o, "ci_coverage", s->ci_level);
	}
	return o;
}

static json_object *int_array(const int *v, unsigned n)
{
	json_object *a = json_object_new_array();

	for (unsigned i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int(v[i]));
	return a;
}

static json_object *shape_json(const struct pb_creator_shape *s)
{
	json_object *x = json_object_new_object();

	add_str(x, "linkage", s->is_static == 1 ? "static" : s->is_static == 0 ? "dynamic" : "unknown");
	add_int(x, "vm_size_kib", s->vm_size_kib);
	add_int(x, "vm_rss_kib", s->vm_rss_kib);
	add_int(x, "anon_huge_kib", s->anon_huge_kib);
	add_int(x, "mappings", s->mappings);
	add_int(x, "threads", s->threads);
	add_int(x, "fds", s->fds);
	return x;
}

static json_object *environment_json(const struct pb_context *c)
{
	const struct pb_environment *e = &c->env;
	json_object *o = json_object_new_object(), *t = json_object_new_object(), *l;

	add_str(o, "kernel_cmdline", e->kernel_cmdline);
	add_str(o, "cpu_model", e->cpu_model);
	add_str(o, "microcode", e->microcode);
	add_int(o, "smt_active", e->smt_active);
	add_int(t, "packages", e->topo.packages);
	add_int(t, "numa_nodes", e->topo.nodes);
	add_int(t, "l3_caches", e->topo.l3);
	add_int(t, "l2_caches", e->topo.l2);
	add_int(t, "cores", e->topo.cores);
	add_int(t, "pus", e->topo.pus);
	add_int(t, "allowed_pus", e->topo.allowed_pus);
	add_int(t, "pus_per_core", e->topo.smt);
	add_int(t, "l3_kib", (int64_t)e->topo.l3_kib);
	add_int(t, "l2_kib", (int64_t)e->topo.l2_kib);
	add_int(t, "l1d_kib", (int64_t)e->topo.l1d_kib);
	json_object_object_add(o, "topology", t);
	add_int(o, "libnuma_nodes", c->mem_node_count);
	add_str(o, "cpufreq_governor", e->governor);
	add_str(o, "cpufreq_boost", e->boost);
	add_str(o, "thp_enabled", e->thp_enabled);
	add_str(o, "thp_defrag", e->thp_defrag);
	add_str(o, "ksm_run", e->ksm_run);
	add_str(o, "vulnerabilities", e->mitigations);
	add_bool(o, "hypervisor", e->hypervisor);
	add_str(o, "dmi", e->dmi);
	add_str(o, "clocksource", e->clocksource);
	l = json_object_new_array();
	for (int i = 0; i < 3; i++)
		json_object_array_add(l, json_object_new_double(e->load_end[i]));
	json_object_object_add(o, "load_avg_end", l);
	add_str(o, "cgroup", e->cgroup);
	add_str(o, "cgroup_cpu_max", e->cpu_max);
	add_str(o, "cgroup_memory_max", e->memory_max);
	add_str(o, "cgroup_pids_max", e->pids_max);
	add_str(o, "rlimit_nproc", e->rlimit_nproc);
	add_str(o, "rlimit_nofile", e->rlimit_nofile);
	add_str(o, "glibc", e->glibc);
	add_str(o, "compiler", e->compiler);
	return o;
}

static json_object *context_json(const struct pb_context *c)
{
	json_object *o = json_object_new_object(), *x, *la = json_object_new_array();

	add_str(o, "date", c->date);
	add_str(o, "host_name", c->host);
	add_str(o, "executable", c->executable);
	add_int(o, "num_cpus", c->num_cpus);
	add_str(o, "library_build_type", "release");
	for (int i = 0; i < 3; i++)
		json_object_array_add(la, json_object_new_double(c->load_avg[i]));
	json_object_object_add(o, "load_avg", la);
	add_int(o, "runnable_tasks_at_start", c->runnable_others);
	add_int(o, "procbench_schema_version", PB_RESULTS_SCHEMA);
	add_str(o, "procbench_version", c->version);
	add_str(o, "git_commit", c->git_commit);
	add_str(o, "cflags", c->cflags);
	add_str(o, "arch", c->arch);
	add_str(o, "kernel_release", c->kernel_release);
	add_str(o, "kernel_version", c->kernel_version);

	x = json_object_new_object();
	add_str(x, "source", c->counter.source);
	add_dbl(x, "hz", c->counter.hz);
	add_dbl(x, "hz_architectural", c->counter.hz_hint);
	add_dbl(x, "calibration_spread", c->counter.spread);
	add_str(x, "calibrated_against", "CLOCK_MONOTONIC_RAW");
	add_bool(x, "cross_cpu_consistent", c->counter.invariant == 1);
	add_str(x, "consistency_basis", c->counter.invariant_why);
	json_object_object_add(o, "counter", x);

	x = shape_json(&c->creator);
	add_str(x, "path", c->creator.path);
	json_object_object_add(o, "creator", x);

	json_object_object_add(o, "environment", environment_json(c));

	x = json_object_new_object();
	add_dbl(x, "time_budget_s", c->time_budget_s);
	add_dbl(x, "min_time_s", c->min_time_s);
	add_dbl(x, "ci_target", c->ci_target);
	add_dbl(x, "ci_level", c->ci_level);
	add_int(x, "min_samples", c->min_samples);
	add_bool(x, "quick", c->quick);
	add_int(x, "exec_chain_length", c->chain_len);
	json_object_object_add(o, "sampling", x);
	add_str(o, "exec_target", c->exec_target);
	add_bool(o, "counters", c->counters);
	if (c->trace) {
		json_object *t = json_object_new_object();

		add_str(t, "status", c->trace > 0 ? "on" : "skipped");
		if (c->trace < 0)
			add_str(t, "reason", c->trace_why);
		add_str(t, "clock", c->trace_clock);
		add_bool(t, "stamps_checked", c->trace_checks);
		json_object_object_add(o, "trace", t);
	}
	if (c->perf_ctl[0])
		add_str(o, "perf_ctl", c->perf_ctl);
	add_str(o, "time_base", pb_time_bases[c->time_base].name);
	add_str(o, "time_base_note", pb_time_bases[c->time_base].note);
	if (c->run_id[0])
		add_str(o, "run_id", c->run_id);
	if (c->samples_file[0])
		add_str(o, "samples_file", c->samples_file);
	/* The caller's keys last, in the order given (controller/context.c checked each value). */
	for (unsigned i = 0; i < c->n_caller; i++)
		json_object_object_add(o, c->caller_key[i], json_tokener_parse(c->caller_json[i]));
	return o;
}

/* The point as requested; parent_shape says what the creator measured. */
static json_object *params_json(const struct pb_point *pt)
{
	json_object *x = json_object_new_object();
	const struct pb_shape *s = &pt->shape;

	add_int(x, "rss_bytes", (int64_t)s->rss);
	add_bool(x, "touch", (int)s->touch);
	add_str(x, "thp", s->thp == PB_THP_ON ? "on" : s->thp == PB_THP_OFF ? "off" : "default");
	add_int(x, "vmas", s->vmas);
	add_int(x, "threads", s->threads);
	add_int(x, "fds", s->fds);
	add_bool(x, "fds_cloexec", (int)s->fds_cloexec);
	add_int(x, "mem_node", s->mem_node);
	add_str(x, "pin", pb_pin_names[pt->pin]);
	add_int(x, "jobs", pt->jobs);
	return x;
}

/* Per creation, from counter batches; unavailable ones say why. */
static json_object *counters_json(const struct pb_record *r)
{
	json_object *o = json_object_new_object();

	add_dbl(o, "creations_counted", r->cnt_creations);
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		json_object *c = json_object_new_object(), *b;

		if (r->cnt_err[i] || !r->cnt_creations) {
			add_bool(c, "available", 0);
			add_str(c, "reason", r->cnt_err[i] ? pb_counter_unavailable_reason(r->cnt_err[i])
							   : "no counter batch ran");
		} else {
			add_bool(c, "available", 1);
			add_dbl(c, "per_creation", r->cnt_total[i] / r->cnt_creations);
			add_str(c, "unit", pb_counter_defs[i].unit);
			b = json_object_new_array();
			for (size_t k = 0; k < r->cnt_batches; k++)
				json_object_array_add(b, json_object_new_double(r->cnt_batch[i][k]));
			json_object_object_add(c, "batch_values", b);
		}
		json_object_object_add(o, pb_counter_defs[i].name, c);
	}
	return o;
}

/* --trace: the benchmark's kernel phases, each from and to a named point, in the timeline's order. */
static json_object *trace_json(const struct pb_record *r, const struct pb_context *c)
{
	const struct pb_trace_record *t = &r->trace;
	json_object *o = json_object_new_object(), *arr, *pts;

	add_str(o, "status", t->status == PB_OK ? "ok" : "skipped");
	add_str(o, "shape", pb_kshape_name(t->kshape));
	if (t->status != PB_OK) {
		add_str(o, "reason", t->why);
		return o;
	}
	add_int(o, "traced_samples", (int64_t)t->samples);
	add_int(o, "matched", (int64_t)t->matched);
	if (c->trace_checks)
		add_int(o, "stamp_checks_passed", (int64_t)t->checked);
	else
		add_str(o, "stamp_checks", "not made: on this trace clock the stamps are mapped, not the same count; "
			"a phase between a stamp and an event is good to the clock's printed microsecond, and "
			"one that came out below 0 reads as 0");
	add_int(o, "events_lost", (int64_t)t->lost);
	if (t->matched < t->samples) {
		/* Why the others did not match: how many lacked each point. */
		json_object *u = json_object_new_object();

		for (int p = 0; p < PB_KP_COUNT; p++)
			if (t->missing[p])
				add_int(u, pb_kpoint_name(p), (int64_t)t->missing[p]);
		json_object_object_add(o, "unmatched_missing", u);
	}
	if (t->ret_at_tc) {
		char note[300];

		snprintf(note, sizeof(note),
			 "not traced: this kernel traces no syscall exit for a new child (arm64's "
			 "ret_from_fork), so in %zu of %zu matched samples the phases meet at the "
			 "child's first stamp tc instead (*_to_tc, *_from_tc; the child's user "
			 "start-up falls into *_to_tc)",
			 t->ret_at_tc, t->matched);
		add_str(o, "child_return", note);
	}
	if (t->samples) {
		add_dbl(o, "traced_round_trip_ns", t->traced_median_ns);
		add_dbl(o, "inflation", t->inflation);
	}
	arr = json_object_new_array();
	for (unsigned p = 0; p < t->nphases && t->matched; p++) {
		json_object *x = json_object_new_object();

		add_str(x, "name", t->phases[p].name);
		add_str(x, "from", pb_kpoint_name(t->phases[p].from));
		add_str(x, "to", pb_kpoint_name(t->phases[p].to));
		add_str(x, "what", t->phases[p].what);
		add_str(x, "task", pb_ktask_names[t->phases[p].task]);
		add_int(x, "n", (int64_t)t->phase_n[p]);
		if (t->phase[p].n) {
			add_dbl(x, "starts_at_ns", t->at_median[t->phases[p].from]);
			json_object_object_add(x, "summary", summary_json(&t->phase[p]));
		}
		json_object_array_add(arr, x);
	}
	json_object_object_add(o, "phases", arr);
	pts = json_object_new_object();
	for (int p = 0; p < PB_KP_COUNT && t->matched; p++)
		if (!isnan(t->at_median[p]))
			add_dbl(pts, pb_kpoint_name(p), t->at_median[p]);
	json_object_object_add(o, "points_median_ns", pts);
	return o;
}

static json_object *record_json(const struct pb_record *r, const struct pb_context *c)
{
	int ctr = c->counters;
	json_object *o = json_object_new_object(), *ph, *pl;
	const char *status = r->status == PB_OK ? "ok" : r->status == PB_SKIP ? "skipped" : "error";

	add_str(o, "name", r->name);
	add_str(o, "run_name", r->name);
	add_str(o, "run_type", "iteration");
	add_int(o, "repetitions", 1);
	add_int(o, "repetition_index", 0);
	add_int(o, "threads", 1);
	add_str(o, "method", r->m->name);
	add_str(o, "summary", r->m->summary);
	add_str(o, "flags", r->m->flags);
	add_str(o, "status", status);
	json_object_object_add(o, "params", params_json(&r->pt));
	if (r->status == PB_SKIP) {
		add_bool(o, "skipped", 1);
		add_str(o, "skip_reason", r->msg);
		return o;
	}
	if (r->status == PB_ERROR) {
		add_bool(o, "error_occurred", 1);
		add_str(o, "error_message", r->msg);
		return o;
	}
	add_int(o, "iterations", (int64_t)r->n);
	add_dbl(o, "real_time", r->s_round.p50);
	add_dbl(o, "cpu_time", r->cpu_ns_per_op);
	add_str(o, "time_unit", "ns");
	add_int(o, "ops_per_sample", r->ops_per_sample);
	add_bool(o, "ci_target_met", r->ci_met);
	add_dbl(o, "sampling_time_s", r->spent_s);
	add_dbl(o, "loop_overhead_ns", r->loop_overhead_ns);
	if (r->tls_verified >= 0)
		add_bool(o, "tls_verified", r->tls_verified);
	add_dbl(o, "creations_per_s", r->creations_per_s);
	pl = json_object_new_object();
	add_str(pl, "policy", pb_pin_names[r->pt.pin]);
	json_object_object_add(pl, "parent_pus", int_array(r->pt.parent_cpu, r->pt.jobs));
	json_object_object_add(pl, "child_pus", int_array(r->pt.child_cpu, r->pt.jobs));
	add_str(pl, "child", r->child_placement);
	if (r->observed_child_cpu >= 0)
		add_int(pl, "observed_child_cpu", r->observed_child_cpu);
	json_object_object_add(o, "placement", pl);
	json_object_object_add(o, "parent_shape", shape_json(&r->pt.measured));
	if (ctr)
		json_object_object_add(o, "counters", counters_json(r));
	ph = json_object_new_object();
	json_object_object_add(ph, "round_trip", summary_json(&r->s_round));
	if (r->m->phases & PB_PHASE_PARENT)
		json_object_object_add(ph, "parent_return", summary_json(&r->s_parent));
	if (r->m->phases & PB_PHASE_CHILD)
		json_object_object_add(ph, "child_running", summary_json(&r->s_child));
	json_object_object_add(o, "phases", ph);
	if (c->trace > 0)
		json_object_object_add(o, "kernel_trace", trace_json(r, c));
	return o;
}

int pb_report_json(FILE *f, const struct pb_run *run)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	int r;

	json_object_object_add(root, "context", context_json(&run->ctx));
	for (unsigned i = 0; i < run->nrecs; i++)
		json_object_array_add(arr, record_json(&run->recs[i], &run->ctx));
	json_object_object_add(root, "benchmarks", arr);
	pb_json_utf8(root);
	r = fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE),
		  f) < 0 || fputc('\n', f) == EOF;
	json_object_put(root);
	return r ? -1 : 0;
}
