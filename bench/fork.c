// SPDX-License-Identifier: MIT
/* fork: glibc's fork(), with its atfork handlers; the child stamps and _exits. */
#include <errno.h>
#include <unistd.h>

#include "method.h"

static int fork_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	struct pb_child_stamp *cs = ctx->stamp;
	pid_t pid;

	cs->tc = 0;
	s->t0 = pb_counter();
	pid = fork();
	if (pid == 0) {
		pb_child_place(cs);
		cs->tc = pb_counter();
		pb_child_note_cpu(cs);
		_exit(0);
	}
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid < 0 ? -errno : pid, &cs->tc, "fork");
}

const struct pb_method pb_method_fork = {
	.name = "fork",
	.summary = "glibc fork(): page-table copy plus atfork handlers; child _exits",
	.flags = "SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.run_once = fork_run,
};
