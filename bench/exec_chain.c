// SPDX-License-Identifier: MIT
/*
 * execve-chain: exec cost without creation cost. One child (created outside
 * the timed span) execs the target, which re-execs itself chain_len times;
 * each image stamps its entry point into its own slot. A sample spans the
 * first image's entry to the last one's and covers chain_len execs, so the
 * reported time is per exec. Only the round trip phase applies.
 */
#include <errno.h>
#include <unistd.h>

#include "method.h"

static int chain_setup(struct pb_ctx *ctx)
{
	if (ctx->chain_len < 1 || ctx->chain_len >= PB_EXEC_SLOTS)
		return pb_fail(ctx, "exec chain length %u out of range 1..%d", ctx->chain_len,
			       PB_EXEC_SLOTS - 1);
	ctx->ops_per_sample = ctx->chain_len;
	return 0;
}

static int chain_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	char *argv[4], bufs[2][16];
	unsigned n = ctx->chain_len;
	pid_t pid;

	pb_exec_argv(ctx, argv, bufs, 0, n);
	ctx->exec_slots[0] = 0;
	ctx->exec_slots[n] = 0;
	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, ctx->envp);
		_exit(errno);
	}
	if (pid < 0)
		return pb_fail_errno(ctx, "fork", -errno);
	if (pb_reap(ctx, pid, "execve-chain"))
		return -1;
	if (pb_check_child_ran(ctx, ctx->exec_slots[0], "execve-chain (first image)") ||
	    pb_check_child_ran(ctx, ctx->exec_slots[n], "execve-chain (last image)"))
		return -1;
	s->t0 = ctx->exec_slots[0];
	s->t1 = s->t0;
	s->tc = ctx->exec_slots[n];
	s->t2 = s->tc;
	return 0;
}

const struct pb_method pb_method_execve_chain = {
	.name = "execve-chain",
	.summary = "exec only: the target re-execs itself N times; time per exec",
	.flags = "execve of self",
	.phases = 0,
	.in_default = 1,
	.supported = pb_exec_probe,
	.setup = chain_setup,
	.run_once = chain_run,
};
