// SPDX-License-Identifier: MIT
/*
 * pidfd: processes held by a file descriptor. pidfd-waitid and pidfd-poll
 * get the pidfd from clone3(CLONE_PIDFD) and reap with waitid(P_PIDFD)
 * (after poll() says the child exited, for pidfd-poll); pidfd-open forks and
 * then asks pidfd_open() for it. Every reap checks that waitid's siginfo
 * names the child by pid and reports exit status 0, so the pidfd is shown
 * to refer to the child created. Kernels: CLONE_PIDFD 5.2, pidfd_open and
 * poll on pidfds 5.3, waitid(P_PIDFD) 5.4.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

#include "method.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif

static const char *pidfd_open_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	long fd = pb_syscall2(__NR_pidfd_open, getpid(), 0);

	(void)ctx;
	if (fd == -ENOSYS) {
		snprintf(buf, len, "pidfd_open returns ENOSYS here (kernel before 5.3, or an emulator)");
		return buf;
	}
	if (fd >= 0)
		close((int)fd);
	return NULL;
}

/* The clone3 ones need clone3 as well; pidfd-open makes its child with plain clone. */
static const char *pidfd_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	const char *why = pidfd_open_supported(ctx, buf, len);

	return why ? why : pb_clone3_supported(ctx, buf, len);
}

/* Reap through the pidfd and check the siginfo names the child; closes fd. */
static int reap_pidfd(struct pb_ctx *ctx, int fd, long pid, const char *what)
{
	siginfo_t info = { 0 };
	long r;

	do
		r = pb_syscall5(__NR_waitid, P_PIDFD, fd, &info, WEXITED, 0);
	while (r == -EINTR);
	close(fd);
	if (r < 0) {
		/* Still reap it, so no child is left behind. */
		pb_syscall4(__NR_wait4, pid, 0, __WALL, 0);
		return pb_fail_errno(ctx, "waitid(P_PIDFD)", r);
	}
	if (info.si_pid != pid || info.si_code != CLD_EXITED || info.si_status != 0)
		return pb_fail(ctx, "%s: waitid's siginfo says pid %d, code %d, status %d; expected pid "
			       "%ld exiting 0",
			       what, info.si_pid, info.si_code, info.si_status, pid);
	return 0;
}

static int clone_pidfd(struct pb_ctx *ctx, struct pb_sample *s, int *fd)
{
	struct pb_clone_args args = {
		.flags = CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)fd,
		.exit_signal = SIGCHLD,
	};
	long pid;

	ctx->stamp->tc = 0;
	*fd = -1;
	s->t0 = pb_counter();
	pid = pb_clone3_stamp(&args, sizeof(args), ctx->stamp);
	s->t1 = pb_counter();
	return (int)pid;
}

static int finish(struct pb_ctx *ctx, struct pb_sample *s, const char *what)
{
	s->t2 = pb_counter();
	s->tc = ctx->stamp->tc;
	return pb_check_child_ran(ctx, s->tc, what);
}

static int pidfd_waitid_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	int fd;
	long pid = clone_pidfd(ctx, s, &fd);

	if (pid < 0)
		return pb_fail_errno(ctx, "clone3(CLONE_PIDFD)", pid);
	if (reap_pidfd(ctx, fd, pid, "pidfd-waitid"))
		return -1;
	return finish(ctx, s, "pidfd-waitid");
}

static int pidfd_poll_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	int fd, r;
	long pid = clone_pidfd(ctx, s, &fd);
	struct pollfd p;

	if (pid < 0)
		return pb_fail_errno(ctx, "clone3(CLONE_PIDFD)", pid);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	do
		r = poll(&p, 1, 10000);
	while (r < 0 && errno == EINTR);
	if (r != 1) {
		reap_pidfd(ctx, fd, pid, "pidfd-poll");
		return pb_fail(ctx, "pidfd-poll: poll on the pidfd did not report the exit");
	}
	if (reap_pidfd(ctx, fd, pid, "pidfd-poll"))
		return -1;
	return finish(ctx, s, "pidfd-poll");
}

static int pidfd_open_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	long pid, fd;

	ctx->stamp->tc = 0;
	s->t0 = pb_counter();
	pid = pb_clone_stamp(SIGCHLD, NULL, 0, ctx->stamp);
	if (pid < 0)
		return pb_fail_errno(ctx, "clone(SIGCHLD)", pid);
	/* A zombie still has its pid: pidfd_open works whether or not the child is done. */
	fd = pb_syscall2(__NR_pidfd_open, pid, 0);
	s->t1 = pb_counter();
	if (fd < 0) {
		pb_syscall4(__NR_wait4, pid, 0, __WALL, 0);
		return pb_fail_errno(ctx, "pidfd_open", fd);
	}
	if (reap_pidfd(ctx, (int)fd, pid, "pidfd-open"))
		return -1;
	return finish(ctx, s, "pidfd-open");
}

const struct pb_method pb_method_pidfd_waitid = {
	.name = "pidfd-waitid",
	.summary = "clone3(CLONE_PIDFD), reaped with waitid(P_PIDFD)",
	.flags = "CLONE_PIDFD exit_signal=SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.supported = pidfd_supported,
	.run_once = pidfd_waitid_run,
};

const struct pb_method pb_method_pidfd_poll = {
	.name = "pidfd-poll",
	.summary = "clone3(CLONE_PIDFD), poll() on the pidfd, then waitid(P_PIDFD)",
	.flags = "CLONE_PIDFD exit_signal=SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.supported = pidfd_supported,
	.run_once = pidfd_poll_run,
};

const struct pb_method pb_method_pidfd_open = {
	.name = "pidfd-open",
	.summary = "raw clone(SIGCHLD), then pidfd_open(); t1 has the pidfd; waitid(P_PIDFD)",
	.flags = "SIGCHLD + pidfd_open",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.supported = pidfd_open_supported,
	.run_once = pidfd_open_run,
};
