// SPDX-License-Identifier: MIT
/*
 * CLONE_SETTLS really sets the child's thread pointer: with it the child
 * reports the requested value, without it the parent's own; and the
 * clone3-settls method marks its result verified.
 */
#include <signal.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/wait.h>

#include "helpers.h"
#include "method_fixture.h"

static uint64_t child_tp(struct pb_child_stamp *cs, uint64_t flags, uintptr_t tls)
{
	struct pb_clone_args args = { .flags = flags, .exit_signal = SIGCHLD, .tls = tls };
	long pid;
	int status;

	cs->tc = cs->tp = 0;
	cs->tp_mode = (uint64_t)pb_tp_read_mode(getauxval(AT_HWCAP2));
	pid = pb_clone3_stamp(&args, sizeof(args), cs);
	if (pid < 0)
		return 0;
	waitpid((pid_t)pid, &status, 0);
	cs->tp_mode = PB_TP_READ_NONE;
	return cs->tp;
}

int main(void)
{
	const struct pb_method *m = fixture_find("clone3-settls");
	static char block[8192] __attribute__((aligned(64)));
	struct fixture fx;
	struct pb_ctx ctx;
	struct pb_sample s;
	char why[256];
	uintptr_t want;

	if (fixture_init(&fx) || !m)
		return T_FAIL;
	fixture_ctx(&fx, &ctx, 1);
	if (m->supported(&ctx, why, sizeof(why))) {
		printf("skip: %s\n", why);
		return T_SKIP;
	}
	want = pb_tls_block_init(block, sizeof(block));
	T_CHECK(want != pb_thread_pointer(), "test block differs from our own TLS");
	T_CHECK(child_tp(ctx.stamp, 0, 0) == pb_thread_pointer(),
		"without CLONE_SETTLS the child inherits the parent's thread pointer");
	T_CHECK(child_tp(ctx.stamp, CLONE_SETTLS, want) == want,
		"with CLONE_SETTLS the child runs on the requested block");

	T_CHECK(m->setup(&ctx) == 0, "setup: %s", ctx.errmsg);
	T_CHECK(ctx.tls_verified == 0, "not verified before a run");
	T_CHECK(m->run_once(&ctx, &s) == 0, "run: %s", ctx.errmsg);
	T_CHECK(ctx.tls_verified == 1, "verified after a run");
	m->teardown(&ctx);
	return t_result();
}
