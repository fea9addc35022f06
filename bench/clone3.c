// SPDX-License-Identifier: MIT
/* clone3: raw clone3 of a plain process, arguments in struct clone_args. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "method.h"

/*
 * Probe once with a deliberately invalid size: a kernel with clone3 answers
 * EINVAL, one without answers ENOSYS (as qemu-user does), and a seccomp
 * filter that forbids it (some container runtimes install one) EPERM.
 */
const char *pb_clone3_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	long r = pb_syscall2(__NR_clone3, NULL, 0);

	(void)ctx;
	if (r == -ENOSYS) {
		snprintf(buf, len, "clone3 returns ENOSYS here (kernel before 5.3, or an emulator)");
		return buf;
	}
	if (r == -EPERM) {
		snprintf(buf, len, "clone3 is refused with EPERM here (a seccomp filter, as some "
				   "container runtimes install; run outside it or allow clone3)");
		return buf;
	}
	return NULL;
}

/*
 * glibc's posix_spawn and pthread_create call clone3 and fall back to clone
 * only on ENOSYS: where a seccomp filter answers EPERM they fail outright.
 */
const char *pb_glibc_clone3_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	(void)ctx;
	if (pb_syscall2(__NR_clone3, NULL, 0) == -EPERM) {
		snprintf(buf, len, "clone3 is refused with EPERM here (a seccomp filter), and glibc "
				   "falls back to clone only on ENOSYS, so this glibc call fails");
		return buf;
	}
	return NULL;
}

static int clone3_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	struct pb_child_stamp *cs = ctx->stamp;
	struct pb_clone_args args = { .exit_signal = SIGCHLD };
	long pid;

	cs->tc = 0;
	s->t0 = pb_counter();
	pid = pb_clone3_stamp(&args, sizeof(args), cs);
	s->t1 = pb_counter();
	return pb_finish_child(ctx, s, pid, &cs->tc, "clone3");
}

const struct pb_method pb_method_clone3 = {
	.name = "clone3",
	.summary = "raw clone3 of a plain process (struct clone_args, exit_signal SIGCHLD)",
	.flags = "exit_signal=SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.supported = pb_clone3_supported,
	.run_once = clone3_run,
};
