// SPDX-License-Identifier: MIT
/* vfork: raw vfork from asm; the parent sleeps until the child exits. */
#include "method.h"

static const char *vfork_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	struct pb_child_stamp mine = { 0 };

	return pb_vm_share_probe(ctx, pb_vfork_stamp(&mine), &mine, "vfork", buf, len);
}

static int vfork_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	struct pb_child_stamp *cs = ctx->stamp;
	long pid;

	cs->tc = 0;
	s->t0 = pb_counter();
	pid = pb_vfork_stamp(cs);
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid, &cs->tc, "vfork");
}

const struct pb_method pb_method_vfork = {
	.name = "vfork",
	.summary = "raw vfork: no page-table copy; parent sleeps until the child exits",
	.flags = "CLONE_VM|CLONE_VFORK|SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_VFORK,
	.in_default = 1,
	.places_child = 1,
	.supported = vfork_supported,
	.run_once = vfork_run,
};
