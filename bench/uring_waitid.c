// SPDX-License-Identifier: MIT
/*
 * uring-waitid and uring-waitid-batch: create with raw clone(SIGCHLD) and
 * reap through io_uring's IORING_OP_WAITID (opcode 50, kernel 6.7+) instead
 * of wait4: one child per request, or 8 children reaped by 8 SQEs in one
 * submit (times per creation). Debian's liburing 2.3 has no helper for the
 * opcode, so the SQE is filled by hand; support is probed with
 * io_uring_get_probe(). Each completion's siginfo must name its child and
 * exit status 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "method.h"

#define PB_IORING_OP_WAITID 50
#define BATCH 8

#ifdef PB_HAVE_LIBURING
#include <liburing.h>

static struct io_uring ring;
static int ring_ready;

static const char *waitid_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	struct io_uring_probe *p = io_uring_get_probe();
	int ok;

	(void)ctx;
	if (!p) {
		snprintf(buf, len, "io_uring is not available here (io_uring_get_probe failed)");
		return buf;
	}
	ok = io_uring_opcode_supported(p, PB_IORING_OP_WAITID);
	io_uring_free_probe(p);
	if (!ok) {
		snprintf(buf, len, "this kernel lacks IORING_OP_WAITID (opcode 50, added in 6.7)");
		return buf;
	}
	return NULL;
}

static int waitid_setup(struct pb_ctx *ctx)
{
	int r;

	if (ring_ready)
		return 0;
	r = io_uring_queue_init(2 * BATCH, &ring, 0);
	if (r < 0)
		return pb_fail_errno(ctx, "io_uring_setup", r);
	ring_ready = 1;
	return 0;
}

static void waitid_teardown(struct pb_ctx *ctx)
{
	(void)ctx;
	if (ring_ready)
		io_uring_queue_exit(&ring);
	ring_ready = 0;
}

/* io_uring_prep_waitid(), which liburing 2.3 lacks. */
static void prep_waitid(struct io_uring_sqe *sqe, long pid, siginfo_t *info, unsigned i)
{
	io_uring_prep_rw(PB_IORING_OP_WAITID, sqe, (int)pid, NULL, P_PID, 0);
	sqe->rw_flags = 0;           /* waitid_flags */
	sqe->file_index = WEXITED;   /* the waitid options */
	sqe->addr2 = (uint64_t)(uintptr_t)info;
	sqe->user_data = i;
}

/* Create n children, reap them through n WAITID SQEs in one submit. */
static int create_and_reap(struct pb_ctx *ctx, struct pb_sample *s, unsigned n, const char *what)
{
	long pid[BATCH];
	siginfo_t info[BATCH];
	unsigned made = 0, got = 0;
	int err = 0;

	memset(info, 0, sizeof(info));
	ctx->stamp->tc = 0;
	s->t0 = pb_counter();
	for (; made < n; made++) {
		pid[made] = pb_clone_stamp(SIGCHLD, NULL, 0, ctx->stamp);
		if (pid[made] < 0)
			break;
	}
	s->t1 = pb_counter();
	for (unsigned i = 0; i < made; i++)
		prep_waitid(io_uring_get_sqe(&ring), pid[i], &info[i], i);
	if (made && io_uring_submit(&ring) != (int)made)
		err = pb_fail(ctx, "%s: submitting the WAITID requests failed", what);
	while (!err && got < made) {
		struct io_uring_cqe *cqe;
		int r = io_uring_wait_cqe(&ring, &cqe);

		if (r < 0) {
			err = pb_fail_errno(ctx, "io_uring_wait_cqe", r);
			break;
		}
		if (cqe->res < 0)
			err = pb_fail_errno(ctx, "IORING_OP_WAITID", cqe->res);
		io_uring_cqe_seen(&ring, cqe);
		got++;
	}
	s->t2 = pb_counter();
	if (err || made < n) {
		/* Reap whatever io_uring did not (ECHILD for those it did). */
		for (unsigned i = 0; i < made; i++)
			pb_syscall4(__NR_wait4, pid[i], 0, __WALL, 0);
		return err ? -1 : pb_fail_errno(ctx, "clone(SIGCHLD)", pid[made]);
	}
	for (unsigned i = 0; i < made; i++)
		if (info[i].si_pid != pid[i] || info[i].si_code != CLD_EXITED || info[i].si_status != 0)
			return pb_fail(ctx, "%s: siginfo says pid %d code %d status %d, expected pid %ld "
				       "exiting 0",
				       what, info[i].si_pid, info[i].si_code, info[i].si_status, pid[i]);
	s->tc = ctx->stamp->tc;
	return pb_check_child_ran(ctx, s->tc, what);
}

static int single_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	return create_and_reap(ctx, s, 1, "uring-waitid");
}

static int batch_setup(struct pb_ctx *ctx)
{
	ctx->ops_per_sample = BATCH;
	return waitid_setup(ctx);
}

static int batch_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	return create_and_reap(ctx, s, BATCH, "uring-waitid-batch");
}
#else
#define waitid_supported pb_no_liburing
#define waitid_setup NULL
#define waitid_teardown NULL
#define single_run NULL
#define batch_setup NULL
#define batch_run NULL
#endif

const struct pb_method pb_method_uring_waitid = {
	.name = "uring-waitid",
	.summary = "raw clone(SIGCHLD), reaped by io_uring IORING_OP_WAITID instead of wait4",
	.flags = "SIGCHLD + IORING_OP_WAITID",
	.phases = PB_PHASE_ALL,
	.in_default = 1,
	.places_child = 1,
	.supported = waitid_supported,
	.setup = waitid_setup,
	.run_once = single_run,
	.teardown = waitid_teardown,
};

const struct pb_method pb_method_uring_waitid_batch = {
	.name = "uring-waitid-batch",
	.summary = "8 raw clones reaped by 8 IORING_OP_WAITID SQEs in one submit; per creation",
	.flags = "SIGCHLD + IORING_OP_WAITID x8",
	.phases = 0,
	.in_default = 1,
	.places_child = 1,
	.supported = waitid_supported,
	.setup = batch_setup,
	.run_once = batch_run,
	.teardown = waitid_teardown,
};
