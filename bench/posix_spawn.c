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
	return pb_finish_child(ctx, s, r ? -r : pid, &ctx->exec_slots[0], "posix_spawn");
}

static const char *spawn_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	const char *why = pb_glibc_clone3_supported(ctx, buf, len);

	return why ? why : pb_exec_probe(ctx, buf, len);
}

const struct pb_method pb_method_posix_spawn = {
	.name = "posix_spawn",
	.summary = "glibc posix_spawn of the static exec target (returns after the exec)",
	.flags = "CLONE_VM|CLONE_VFORK (glibc) + execve",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_SPAWN,
	.in_default = 1,
	.supported = spawn_supported,
	.run_once = spawn_run,
};
