// SPDX-License-Identifier: MIT
/* bench-c registers a C benchmark whose manual time Google Benchmark reports per iteration, with its iterations, arguments and user counters. */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../bench-c/bench_c.h"
#include "helpers.h"

static uint64_t seen_iterations;

/* Pretends each iteration took 2 us (plus 1 us per unit of the argument). */
static double fake(bc_state *st, uint64_t iterations, void *arg)
{
	double per = 2e-6 + (double)bc_arg(st, 0) * 1e-6;

	(void)arg;
	seen_iterations += iterations;
	bc_counter(st, "answer", 42, BC_COUNTER_PLAIN);
	return (double)iterations * per;
}

static double failing(bc_state *st, uint64_t iterations, void *arg)
{
	(void)iterations;
	(void)arg;
	bc_error(st, "nope");
	return -1;
}

int main(void)
{
	char out[] = "/tmp/bench_c_test_XXXXXX", flag[64];
	int fd = mkstemp(out);
	char *argv[] = { "test_bench_c", flag, "--benchmark_format=console",
			 "--benchmark_min_time=0.01", NULL };
	int argc = 4, found = 0;
	bc_bench *b = bc_register("fake", fake, NULL);
	json_object *root, *benches;

	if (fd < 0 || !b)
		return T_FAIL;
	close(fd);
	bc_add_arg(b, 0);
	bc_add_arg(b, 3);
	bc_set_unit(b, BC_US);
	b = bc_register("fixed", fake, NULL);
	bc_add_arg(b, 1);
	bc_set_iterations(b, 123);
	bc_register("failing", failing, NULL);
	snprintf(flag, sizeof(flag), "--benchmark_out=%s", out);
	T_CHECK(bc_run(&argc, argv) == 0, "bc_run");

	root = json_object_from_file(out);
	unlink(out);
	T_CHECK(root && json_object_object_get_ex(root, "benchmarks", &benches), "JSON written");
	if (!root)
		return T_FAIL;
	for (size_t i = 0; i < json_object_array_length(benches); i++) {
		json_object *o = json_object_array_get_idx(benches, i), *v;
		const char *name;
		double t;

		json_object_object_get_ex(o, "name", &v);
		name = json_object_get_string(v);
		if (!strcmp(name, "failing/manual_time")) {
			T_CHECK(json_object_object_get_ex(o, "error_occurred", &v) &&
					json_object_get_boolean(v),
				"failure reported as an error");
			found++;
			continue;
		}
		json_object_object_get_ex(o, "real_time", &v);
		t = json_object_get_double(v);
		if (!strcmp(name, "fake/0/manual_time")) {
			T_CHECK(fabs(t - 2.0) < 1e-6, "fake/0: %g us per iteration", t);
			found++;
		} else if (!strcmp(name, "fake/3/manual_time")) {
			T_CHECK(fabs(t - 5.0) < 1e-6, "fake/3: %g us per iteration", t);
			found++;
		} else if (!strcmp(name, "fixed/1/iterations:123/manual_time")) {
			json_object_object_get_ex(o, "iterations", &v);
			T_CHECK(json_object_get_int64(v) == 123, "fixed iterations");
			T_CHECK(fabs(t - 3000.0) < 1e-3, "fixed: %g ns per iteration", t);
			found++;
		}
		if (json_object_object_get_ex(o, "answer", &v))
			T_CHECK(json_object_get_double(v) == 42, "user counter");
	}
	T_CHECK(found == 4, "found %d of 4 benchmarks", found);
	T_CHECK(seen_iterations > 123, "the callback ran the iterations (%llu)",
		(unsigned long long)seen_iterations);
	json_object_put(root);
	return t_result();
}
