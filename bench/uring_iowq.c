// SPDX-License-Identifier: MIT
/*
 * uring-iowq-cold and uring-iowq-warm: what creating an io-wq worker costs.
 * An IOSQE_ASYNC request must run on an io-wq worker; the first one a task
 * sends makes the kernel create the worker (create_io_thread(), kernel
 * 5.12+). Workers belong to the task, so a cold sample runs in a fresh
 * child process (created outside the timed span) that times its first
 * async NOP and then checks an iou-wrk-* thread exists; the warm sample
 * times an async NOP on a ring whose worker already runs. The round trip
 * is the request's latency; the difference is the worker's creation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "method.h"

#ifdef PB_HAVE_LIBURING
#include <liburing.h>

/* Submit one async NOP and wait for it: 0, or -errno. */
static int async_nop(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int r, res;

	io_uring_prep_nop(sqe);
	sqe->flags |= IOSQE_ASYNC;
	r = io_uring_submit(ring);
	if (r != 1)
		return r < 0 ? r : -EIO;
	r = io_uring_wait_cqe(ring, &cqe);
	if (r < 0)
		return r;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res < 0 ? res : 0;
}

static const char *iowq_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	struct io_uring ring;
	int r = io_uring_queue_init(4, &ring, 0);

	(void)ctx;
	if (r < 0) {
		snprintf(buf, len, "io_uring_setup fails here: %s", strerror(-r));
		return buf;
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

/* Slots in the shared page the cold child reports through. */
enum { COLD_T0, COLD_T2, COLD_WORKER, COLD_ERR };

static int cold_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	volatile uint64_t *slot = ctx->exec_slots;
	pid_t pid;

	slot[COLD_T0] = slot[COLD_T2] = slot[COLD_WORKER] = slot[COLD_ERR] = 0;
	pid = fork();
	if (pid == 0) {
		struct io_uring ring;
		int r = io_uring_queue_init(4, &ring, 0);

		if (r == 0) {
			slot[COLD_T0] = pb_counter();
			r = async_nop(&ring);
			slot[COLD_T2] = pb_counter();
			slot[COLD_WORKER] = (uint64_t)pb_task_named("iou-wrk-");
		}
		slot[COLD_ERR] = (uint64_t)-r;
		_exit(0);
	}
	if (pid < 0)
		return pb_fail_errno(ctx, "fork", -errno);
	if (pb_reap(ctx, pid, "uring-iowq-cold"))
		return -1;
	if (slot[COLD_ERR])
		return pb_fail_errno(ctx, "uring-iowq-cold: first async request", -(long)slot[COLD_ERR]);
	if (!slot[COLD_WORKER])
		return pb_fail(ctx, "uring-iowq-cold: no iou-wrk-* worker appeared for the async request");
	s->t0 = s->t1 = slot[COLD_T0];
	s->tc = s->t2 = slot[COLD_T2];
	return 0;
}

static struct io_uring warm_ring;
static int warm_ready;

static int warm_setup(struct pb_ctx *ctx)
{
	int r = io_uring_queue_init(4, &warm_ring, 0);

	if (r < 0)
		return pb_fail_errno(ctx, "io_uring_setup", r);
	warm_ready = 1;
	r = async_nop(&warm_ring); /* creates the worker */
	if (r < 0)
		return pb_fail_errno(ctx, "first async request", r);
	if (!pb_task_named("iou-wrk-"))
		return pb_fail(ctx, "uring-iowq-warm: no iou-wrk-* worker after an async request");
	return 0;
}

static void warm_teardown(struct pb_ctx *ctx)
{
	(void)ctx;
	if (warm_ready)
		io_uring_queue_exit(&warm_ring);
	warm_ready = 0;
}

static int warm_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	int r;

	s->t0 = s->t1 = pb_counter();
	r = async_nop(&warm_ring);
	s->tc = s->t2 = pb_counter();
	return r < 0 ? pb_fail_errno(ctx, "async request", r) : 0;
}
#else
#define iowq_supported pb_no_liburing
#define cold_run NULL
#define warm_setup NULL
#define warm_run NULL
#define warm_teardown NULL
#endif

const struct pb_method pb_method_uring_iowq_cold = {
	.name = "uring-iowq-cold",
	.summary = "first IOSQE_ASYNC NOP of a fresh task: includes creating its io-wq worker",
	.flags = "IOSQE_ASYNC",
	.phases = 0,
	.in_default = 1,
	.supported = iowq_supported,
	.run_once = cold_run,
};

const struct pb_method pb_method_uring_iowq_warm = {
	.name = "uring-iowq-warm",
	.summary = "IOSQE_ASYNC NOP on a ring whose io-wq worker already runs",
	.flags = "IOSQE_ASYNC",
	.phases = 0,
	.in_default = 1,
	.supported = iowq_supported,
	.setup = warm_setup,
	.run_once = warm_run,
	.teardown = warm_teardown,
};
