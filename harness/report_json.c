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

#include "report.h"

#define PB_SCHEMA_VERSION 1

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
	add_int(o, "procbench_schema_version", PB_SCHEMA_VERSION);
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

	x = json_object_new_object();
	add_str(x, "path", c->creator.path);
	add_str(x, "linkage", c->creator.is_static == 1   ? "static"
			      : c->creator.is_static == 0 ? "dynamic"
							  : "unknown");
	add_int(x, "vm_size_kib", c->creator.vm_size_kib);
	add_int(x, "vm_rss_kib", c->creator.vm_rss_kib);
	add_int(x, "mappings", c->creator.mappings);
	json_object_object_add(o, "creator", x);

	x = json_object_new_object();
	add_bool(x, "pinned", c->pinned);
	if (c->pinned)
		add_int(x, "cpu", c->cpu);
	json_object_object_add(o, "pinning", x);

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
	return o;
}

static json_object *record_json(const struct pb_record *r)
{
	json_object *o = json_object_new_object(), *ph;
	const char *status = r->status == PB_OK ? "ok" : r->status == PB_SKIP ? "skipped" : "error";

	add_str(o, "name", r->m->name);
	add_str(o, "run_name", r->m->name);
	add_str(o, "run_type", "iteration");
	add_int(o, "repetitions", 1);
	add_int(o, "repetition_index", 0);
	add_int(o, "threads", 1);
	add_str(o, "method", r->m->name);
	add_str(o, "summary", r->m->summary);
	add_str(o, "flags", r->m->flags);
	add_str(o, "status", status);
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
	ph = json_object_new_object();
	json_object_object_add(ph, "round_trip", summary_json(&r->s_round));
	if (r->m->phases & PB_PHASE_PARENT)
		json_object_object_add(ph, "parent_return", summary_json(&r->s_parent));
	if (r->m->phases & PB_PHASE_CHILD)
		json_object_object_add(ph, "child_running", summary_json(&r->s_child));
	json_object_object_add(o, "phases", ph);
	return o;
}

int pb_report_json(FILE *f, const struct pb_run *run)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	int r;

	json_object_object_add(root, "context", context_json(&run->ctx));
	for (unsigned i = 0; i < run->nrecs; i++)
		json_object_array_add(arr, record_json(&run->recs[i]));
	json_object_object_add(root, "benchmarks", arr);
	r = fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE),
		  f) < 0 || fputc('\n', f) == EOF;
	json_object_put(root);
	return r ? -1 : 0;
}
