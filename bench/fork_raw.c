// SPDX-License-Identifier: MIT
/* fork-raw: clone(SIGCHLD) straight to the kernel, no libc in the way. */
#include <signal.h>

#include "method.h"

static int fork_raw_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	struct pb_child_stamp *cs = ctx->stamp;
	long pid;

	cs->tc = 0;
	s->t0 = pb_counter();
	pid = pb_clone_stamp(SIGCHLD, NULL, 0, cs);
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid, &cs->tc, "fork-raw: clone(SIGCHLD)");
}

const struct pb_method pb_method_fork_raw = {
	.name = "fork-raw",
	.summary = "raw clone(SIGCHLD): fork without glibc's wrapper",
	.flags = "SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.run_once = fork_raw_run,
};
