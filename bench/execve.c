// SPDX-License-Identifier: MIT
/*
 * execve-fork and execve-vfork: create a child and exec the tiny static exec
 * target, whose entry point stamps the counter first thing (tc). The child
 * reports a failed execve through its exit status (the errno value).
 */
#include <errno.h>
#include <unistd.h>

#include "method.h"

static int fork_exec_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	char *argv[4], bufs[2][16];
	pid_t pid;

	pb_exec_argv(ctx, argv, bufs, 0, 0);
	ctx->exec_slots[0] = 0;
	s->t0 = pb_counter();
	pid = fork();
	if (pid == 0) {
		pb_child_place(ctx->stamp);
		execve(argv[0], argv, ctx->envp);
		_exit(errno);
	}
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid < 0 ? -errno : pid, &ctx->exec_slots[0], "execve-fork");
}

static int vfork_exec_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	char *argv[4], bufs[2][16];
	long pid;

	pb_exec_argv(ctx, argv, bufs, 0, 0);
	ctx->exec_slots[0] = 0;
	s->t0 = pb_counter();
	pid = pb_vfork_exec(argv[0], argv, ctx->envp);
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid, &ctx->exec_slots[0], "execve-vfork");
}

static const char *vfork_exec_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	struct pb_child_stamp mine = { 0 };
	const char *why = pb_vm_share_probe(ctx, pb_vfork_stamp(&mine), &mine, "vfork", buf, len);

	return why ? why : pb_exec_probe(ctx, buf, len);
}

const struct pb_method pb_method_execve_fork = {
	.name = "execve-fork",
	.places_child = 1,
	.summary = "glibc fork + execve of the static exec target; tc at its entry point",
	.flags = "SIGCHLD + execve",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK_EXEC,
	.in_default = 1,
	.supported = pb_exec_probe,
	.run_once = fork_exec_run,
};

const struct pb_method pb_method_execve_vfork = {
	.name = "execve-vfork",
	.summary = "raw vfork + execve of the static exec target; t1 once the child exec'd",
	.flags = "CLONE_VM|CLONE_VFORK|SIGCHLD + execve",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_SPAWN,
	.in_default = 1,
	.supported = vfork_exec_supported,
	.run_once = vfork_exec_run,
};
