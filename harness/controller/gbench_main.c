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

#include "../../bench-c/bench_c.h"
#include "context.h"
#include "options.h"
#include "runner.h"

static struct pb_session *session;
static struct pb_run run;

/* Median of x[0..n) without disturbing it. */
static double median_of(const double *x, size_t n)
{
	double *c = malloc(n * sizeof(double)), m;

	if (!c)
		return 0;
	memcpy(c, x, n * sizeof(double));
	m = pb_median_inplace(c, n);
	free(c);
	return m;
}

static double one_run(bc_state *st, uint64_t iterations, void *arg)
{
	unsigned idx = (unsigned)(uintptr_t)arg;
	struct pb_record *r = &run.recs[idx];
	size_t before = r->n, n;
	struct pb_summary rt;
	double sum = 0;

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
		if (!pb_summarize(r->round_trip + before, n, 0.95, &rt)) {
			bc_counter(st, "p50_us", rt.p50 / 1000, BC_COUNTER_PLAIN);
			bc_counter(st, "p99_us", rt.p99 / 1000, BC_COUNTER_PLAIN);
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
	int r;

	bc_init(&argc, argv); /* takes --benchmark_* and leaves procbench's options */
	r = pb_parse_cli(argc, argv, &o);
	if (r == 3) {
		pb_context_init(&run.ctx, &o);
		printf("procbench-gbench %s (%s), Google Benchmark front end\n", run.ctx.version,
		       run.ctx.git_commit);
		return 0;
	}
	if (r == 1)
		return 0;
	if (r)
		return 2;
	if (o.list) {
		fprintf(stderr, "procbench-gbench: use --benchmark_list_tests\n");
		return 2;
	}
	if (o.n_context) {
		fprintf(stderr, "procbench-gbench: --context is for procbench's results file; Google "
				"Benchmark's has its own context (--benchmark_context=KEY=VALUE)\n");
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
	if (pb_prepare(&run, "procbench-gbench"))
		return 2;
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
