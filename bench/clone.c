// SPDX-License-Identifier: MIT
/*
 * clone: legacy clone with a child stack, in two flag sets: a plain process
 * (SIGCHLD) and CLONE_VM|CLONE_VFORK (posix_spawn's shape, without the exec).
 */
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>

#include "method.h"

/* ctx->priv holds the child stack mapping. */
static int clone_setup(struct pb_ctx *ctx)
{
	ctx->priv = pb_map_stack(PB_CHILD_STACK_SIZE);
	if (!ctx->priv)
		return pb_fail(ctx, "cannot map a %d KiB child stack", PB_CHILD_STACK_SIZE / 1024);
	return 0;
}

static void clone_teardown(struct pb_ctx *ctx)
{
	if (ctx->priv)
		munmap(ctx->priv, PB_CHILD_STACK_SIZE);
	ctx->priv = NULL;
}

static void *stack_top(const struct pb_ctx *ctx)
{
	return (char *)ctx->priv + PB_CHILD_STACK_SIZE;
}

static int clone_run_flags(struct pb_ctx *ctx, struct pb_sample *s, unsigned long flags,
			   const char *what)
{
	struct pb_child_stamp *cs = ctx->stamp;
	long pid;

	cs->tc = 0;
	s->t0 = pb_counter();
	pid = pb_clone_stamp(flags, stack_top(ctx), 0, cs);
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid, &cs->tc, what);
}

#define CLONE_PROCESS_FLAGS (SIGCHLD)
#define CLONE_VM_VFORK_FLAGS (CLONE_VM | CLONE_VFORK | SIGCHLD)

static int clone_process_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	return clone_run_flags(ctx, s, CLONE_PROCESS_FLAGS, "clone(SIGCHLD, stack)");
}

static int clone_vm_vfork_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	return clone_run_flags(ctx, s, CLONE_VM_VFORK_FLAGS, "clone(CLONE_VM|CLONE_VFORK)");
}

static const char *clone_vm_vfork_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	struct pb_child_stamp mine = { 0 };
	const char *why;
	void *stack = pb_map_stack(PB_CHILD_STACK_SIZE);
	long pid;

	if (!stack)
		return "cannot map a child stack";
	pid = pb_clone_stamp(CLONE_VM_VFORK_FLAGS, (char *)stack + PB_CHILD_STACK_SIZE, 0, &mine);
	why = pb_vm_share_probe(ctx, pid, &mine, "clone(CLONE_VM|CLONE_VFORK)", buf, len);
	munmap(stack, PB_CHILD_STACK_SIZE);
	return why;
}

const struct pb_method pb_method_clone = {
	.name = "clone",
	.summary = "raw clone of a plain process onto a fresh child stack",
	.flags = "SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.setup = clone_setup,
	.run_once = clone_process_run,
	.teardown = clone_teardown,
};

const struct pb_method pb_method_clone_vm_vfork = {
	.name = "clone-vm-vfork",
	.summary = "raw clone(CLONE_VM|CLONE_VFORK) onto a child stack: posix_spawn's shape",
	.flags = "CLONE_VM|CLONE_VFORK|SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_VFORK,
	.in_default = 1,
	.places_child = 1,
	.supported = clone_vm_vfork_supported,
	.setup = clone_setup,
	.run_once = clone_vm_vfork_run,
	.teardown = clone_teardown,
};

