// SPDX-License-Identifier: MIT
// The C++ side of bench-c: a thin shim over Google Benchmark. Nothing but
// type conversion lives here; see bench_c.h for the contract.
#include "bench_c.h"

#include <benchmark/benchmark.h>

#include <string>

struct bc_state {
	benchmark::State *st;
};

struct bc_bench {
	benchmark::internal::Benchmark *b;
};

static void run_c(benchmark::State &state, bc_func fn, void *arg)
{
	bc_state cs{ &state };

	// One callback call per batch: it times its own iterations (manual time).
	while (state.KeepRunningBatch(state.max_iterations)) {
		double seconds = fn(&cs, (uint64_t)state.max_iterations, arg);

		if (seconds < 0 || state.error_occurred()) {
			if (!state.error_occurred())
				state.SkipWithError("the benchmark reported a failure");
			break;
		}
		state.SetIterationTime(seconds);
	}
}

extern "C" {

bc_bench *bc_register(const char *name, bc_func fn, void *arg)
{
	if (!name || !fn)
		return nullptr;
	bc_bench *h = new bc_bench;

	h->b = benchmark::RegisterBenchmark(name, run_c, fn, arg);
	h->b->UseManualTime();
	return h;
}

void bc_add_arg(bc_bench *b, int64_t value)
{
	b->b->Arg(value);
}

void bc_set_unit(bc_bench *b, enum bc_unit unit)
{
	static const benchmark::TimeUnit units[] = { benchmark::kNanosecond, benchmark::kMicrosecond,
						     benchmark::kMillisecond, benchmark::kSecond };
	b->b->Unit(units[unit]);
}

void bc_set_iterations(bc_bench *b, uint64_t iterations)
{
	b->b->Iterations((benchmark::IterationCount)iterations);
}

int64_t bc_arg(const bc_state *st, int i)
{
	return st->st->range((std::size_t)i);
}

void bc_counter(bc_state *st, const char *name, double value, enum bc_counter_flags flags)
{
	benchmark::Counter::Flags f = benchmark::Counter::kDefaults;

	if (flags & BC_COUNTER_RATE)
		f = benchmark::Counter::kIsRate;
	if (flags & BC_COUNTER_AVG_ITERS)
		f = benchmark::Counter::kAvgIterations;
	st->st->counters[std::string(name)] = benchmark::Counter(value, f);
}

void bc_label(bc_state *st, const char *label)
{
	st->st->SetLabel(label);
}

void bc_error(bc_state *st, const char *message)
{
	st->st->SkipWithError(message);
}

void bc_init(int *argc, char **argv)
{
	benchmark::Initialize(argc, argv);
}

int bc_run_specified(void)
{
	int n = (int)benchmark::RunSpecifiedBenchmarks();

	benchmark::Shutdown();
	return n;
}

int bc_run(int *argc, char **argv)
{
	benchmark::Initialize(argc, argv);
	if (benchmark::ReportUnrecognizedArguments(*argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}

} // extern "C"
