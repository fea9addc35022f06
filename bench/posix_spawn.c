// SPDX-License-Identifier: MIT
/*
 * posix_spawn: glibc's clone(CLONE_VM|CLONE_VFORK) + exec of the exec
 * target. posix_spawn returns once the child has exec'd (t1); the target
 * stamps its entry point (tc); t2 is after the reap.
 */
#include <errno.h>
#include <spawn.h>

#include "method.h"

static int spawn_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	char *argv[4], bufs[2][16];
	pid_t pid;
	int r;

	pb_exec_argv(ctx, argv, bufs, 0, 0);
	ctx->exec_slots[0] = 0;
	s->t0 = pb_counter();
	r = posix_spawn(&pid, ctx->exec_target, NULL, NULL, argv, ctx->envp);
	s->t1 = pb_counter();
	if (r != 0)
		return pb_fail_errno(ctx, "posix_spawn", -r);
	if (pb_reap(ctx, pid, "posix_spawn"))
		return -1;
	s->t2 = pb_counter();
	s->tc = ctx->exec_slots[0];
	return pb_check_child_ran(ctx, s->tc, "posix_spawn");
}

const struct pb_method pb_method_posix_spawn = {
	.name = "posix_spawn",
	.summary = "glibc posix_spawn of the static exec target (returns after the exec)",
	.flags = "CLONE_VM|CLONE_VFORK (glibc) + execve",
	.phases = PB_PHASE_ALL,
	.in_default = 1,
	.supported = pb_exec_probe,
	.run_once = spawn_run,
};
