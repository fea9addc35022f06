/* SPDX-License-Identifier: MIT */
/*
 * bench-c: register and run benchmarks under Google Benchmark from C.
 *
 * A benchmark is a C callback that runs the iterations it is asked for and
 * returns the time they took, in seconds (manual timing: Google Benchmark
 * reports that time divided by the iterations, never its own clock). The
 * program then gets Google Benchmark's whole command line: --benchmark_filter,
 * --benchmark_repetitions, --benchmark_min_time, --benchmark_format,
 * --benchmark_out, --benchmark_enable_random_interleaving, ...
 *
 *   static double work(bc_state *st, uint64_t iterations, void *arg)
 *   {
 *       double t0 = now(); ...run `iterations` times...; return now() - t0;
 *   }
 *
 *   int main(int argc, char **argv)
 *   {
 *       bc_bench *b = bc_register("work", work, NULL);
 *       bc_set_unit(b, BC_US);
 *       return bc_run(&argc, argv);
 *   }
 *
 * Only bench_c.cc is C++; callers stay C and link it with -lbenchmark
 * -lstdc++ -lpthread.
 */
#ifndef BENCH_C_H
#define BENCH_C_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_state bc_state; /* one run of a benchmark (Google Benchmark's State) */
typedef struct bc_bench bc_bench; /* a registered benchmark */

/*
 * Run `iterations` iterations and return their total time in seconds, or a
 * negative value after bc_error() to mark the run failed.
 */
typedef double (*bc_func)(bc_state *st, uint64_t iterations, void *arg);

enum bc_unit { BC_NS, BC_US, BC_MS, BC_S };

enum bc_counter_flags {
	BC_COUNTER_PLAIN = 0,   /* reported as given */
	BC_COUNTER_RATE = 1,    /* divided by the run's time */
	BC_COUNTER_AVG_ITERS = 2, /* divided by the iterations */
};

/* Register `fn` under `name` (copied); NULL on failure. Call before bc_run. */
bc_bench *bc_register(const char *name, bc_func fn, void *arg);
/* Add an argument: the benchmark runs once per argument, read with bc_arg(). */
void bc_add_arg(bc_bench *b, int64_t value);
void bc_set_unit(bc_bench *b, enum bc_unit unit);
/* Fix the iteration count instead of letting Google Benchmark choose. */
void bc_set_iterations(bc_bench *b, uint64_t iterations);

/* The run's argument `i` (see bc_add_arg). */
int64_t bc_arg(const bc_state *st, int i);
/* A user counter shown beside the time and written to the JSON. */
void bc_counter(bc_state *st, const char *name, double value, enum bc_counter_flags flags);
void bc_label(bc_state *st, const char *label);
/* Mark this run failed (Google Benchmark's SkipWithError); return a negative time after it. */
void bc_error(bc_state *st, const char *message);

/*
 * Parse Google Benchmark's flags out of argc/argv (others are left), run what
 * they select, and report. Returns 0, or 1 when arguments were not understood.
 */
int bc_run(int *argc, char **argv);
/* Parse only: leaves unknown arguments in argv for the caller. */
void bc_init(int *argc, char **argv);
/* Run what the flags select (after bc_init); returns how many benchmarks ran. */
int bc_run_specified(void);

#ifdef __cplusplus
}
#endif

#endif
