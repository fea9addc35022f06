// SPDX-License-Identifier: MIT
/*
 * procbench-gbench: procbench's methods under Google Benchmark, through
 * bench-c. Google Benchmark's flags (--benchmark_*) choose and report; the
 * remaining arguments are procbench's own point options (--rss, --touch,
 * --threads, --fds, --pin, --filter, ...). It drives the same lean static
 * creator as procbench: each Google Benchmark run of N iterations is N
 * timed creations in the creator, and the reported (manual) time is their
 * round trips from the counter, never this process's clock. Phases and
 * percentiles of each run are user counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bench-c/bench_c.h"
#include "context.h"
#include "options.h"
#include "runner.h"

static struct pb_session *session;
static struct pb_run run;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_of(const double *x, size_t n)
{
	double *c = malloc(n * sizeof(double)), m;

	if (!c)
		return 0;
	memcpy(c, x, n * sizeof(double));
	qsort(c, n, sizeof(double), cmp_double);
	m = pb_quantile_sorted(c, n, 0.5);
	free(c);
	return m;
}

static double one_run(bc_state *st, uint64_t iterations, void *arg)
{
	unsigned idx = (unsigned)(uintptr_t)arg;
	struct pb_record *r = &run.recs[idx];
	size_t before = r->n, n;
	double sum = 0, *s;

	if (r->status != PB_OK) {
		bc_error(st, r->msg);
		return -1;
	}
	if (iterations > 10000000 || pb_session_batch(session, idx, (unsigned)iterations)) {
		bc_error(st, r->msg[0] ? r->msg : "the creator failed");
		return -1;
	}
	n = r->n - before;
	for (size_t i = before; i < r->n; i++)
		sum += r->round_trip[i];
	if (n >= 2) {
		s = malloc(n * sizeof(double));
		if (s) {
			memcpy(s, r->round_trip + before, n * sizeof(double));
			qsort(s, n, sizeof(double), cmp_double);
			bc_counter(st, "p50_us", pb_quantile_sorted(s, n, 0.5) / 1000, BC_COUNTER_PLAIN);
			bc_counter(st, "p99_us", pb_quantile_sorted(s, n, 0.99) / 1000, BC_COUNTER_PLAIN);
			free(s);
		}
		if (r->m->phases & PB_PHASE_PARENT)
			bc_counter(st, "parent_us", median_of(r->parent_return + before, n) / 1000,
				   BC_COUNTER_PLAIN);
		if (r->m->phases & PB_PHASE_CHILD)
			bc_counter(st, "child_us", median_of(r->child_running + before, n) / 1000,
				   BC_COUNTER_PLAIN);
	}
	/* Samples are per operation; a sample of execve-chain covers ops_per_sample execs. */
	return sum / 1e9;
}

int main(int argc, char **argv)
{
	struct pb_options o;
	char err[256];
	int r;

	bc_init(&argc, argv); /* takes --benchmark_* and leaves procbench's options */
	r = pb_parse_cli(argc, argv, &o);
	if (r == 1 || r == 3)
		return 0;
	if (r)
		return 2;
	if (o.list) {
		fprintf(stderr, "procbench-gbench: use --benchmark_list_tests\n");
		return 2;
	}
	for (unsigned i = 0; i < o.n_jobs; i++)
		if (o.jobs[i] > 1) {
			fprintf(stderr, "procbench-gbench: --jobs must be 1: Google Benchmark times one "
					"creator at a time (use procbench --jobs)\n");
			return 2;
		}
	o.counters = 0; /* Google Benchmark asks for iterations; no extra batches */
	pb_context_init(&run.ctx, &o);
	if (pb_topology_load(err, sizeof(err))) {
		fprintf(stderr, "procbench-gbench: %s\n", err);
		return 2;
	}
	pb_environment_read(&run.ctx.env);
	if (pb_counter_calibrate(&run.ctx.counter, 5, 20)) {
		fprintf(stderr, "procbench-gbench: the %s counter does not advance\n",
			run.ctx.counter.source);
		return 2;
	}
	fflush(NULL);
	session = pb_session_open(&o, &run, NULL);
	if (!session)
		return 2;
	pb_session_warmup(session);
	for (unsigned i = 0; i < run.nrecs; i++) {
		bc_bench *b = bc_register(run.recs[i].name, one_run, (void *)(uintptr_t)i);

		if (b)
			bc_set_unit(b, BC_US);
	}
	bc_run_specified();
	pb_session_close(session);
	pb_run_free(&run);
	if (o.filter)
		regfree(&o.filter_re);
	return 0;
}
