// SPDX-License-Identifier: MIT
/*
 * The exec target really exec'd: its entry stamp lands between t0 and the
 * reap; a chain of N re-execs writes N+1 increasing stamps; and a missing
 * target makes the exec methods fail with the errno named, not a number.
 */
#include "helpers.h"
#include "method_fixture.h"

int main(void)
{
	const struct pb_method *fx_exec = fixture_find("execve-fork");
	const struct pb_method *chain = fixture_find("execve-chain");
	struct fixture fx;
	struct pb_ctx ctx;
	struct pb_sample s = { 0 };
	char why[256];
	unsigned n = 5;

	if (fixture_init(&fx) || !fx_exec || !chain)
		return T_FAIL;
	fixture_ctx(&fx, &ctx, n);
	if (pb_exec_probe(&ctx, why, sizeof(why))) {
		printf("skip: %s\n", why);
		return T_SKIP;
	}

	T_CHECK(fx_exec->run_once(&ctx, &s) == 0, "execve-fork: %s", ctx.errmsg);
	T_CHECK(s.tc > s.t1 && s.tc < s.t2, "entry stamp between fork's return and the reap");

	T_CHECK(chain->setup(&ctx) == 0 && ctx.ops_per_sample == n, "chain setup");
	for (unsigned k = 0; k <= n; k++)
		ctx.exec_slots[k] = 0;
	T_CHECK(chain->run_once(&ctx, &s) == 0, "execve-chain: %s", ctx.errmsg);
	for (unsigned k = 0; k <= n; k++)
		T_CHECK(ctx.exec_slots[k] != 0, "image %u stamped", k);
	for (unsigned k = 1; k <= n; k++)
		T_CHECK(ctx.exec_slots[k] > ctx.exec_slots[k - 1], "image %u after image %u", k, k - 1);
	T_CHECK(s.t0 == ctx.exec_slots[0] && s.t2 == ctx.exec_slots[n], "sample spans the chain");

	ctx.exec_target = "/nonexistent/procbench-exec-target";
	T_CHECK(fx_exec->run_once(&ctx, &s) == -1, "missing target fails");
	T_CHECK(strstr(ctx.errmsg, "No such file") != NULL, "message names ENOENT: %s", ctx.errmsg);
	T_CHECK(pb_exec_probe(&ctx, why, sizeof(why)) != NULL, "probe reports the missing target");
	return t_result();
}
