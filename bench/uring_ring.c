// SPDX-License-Identifier: MIT
/*
 * uring-sqpoll and uring-ring: the cost of the kernel creating (and, on
 * teardown, stopping) io_uring's SQ polling thread. Each sample sets up a
 * ring (t1: setup returned), completes one NOP through it (tc: first
 * completion, which with SQPOLL the new SQ thread had to pick up), and tears
 * it down (t2). uring-ring is the same without IORING_SETUP_SQPOLL, so the
 * difference is the kernel thread. Since 5.11 SQPOLL needs no privilege;
 * since 5.12 the SQ thread is made by create_io_thread() (copy_process()).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "method.h"

/* Does this process have a task whose comm starts with prefix (e.g. "iou-sqp-")? */
int pb_task_named(const char *prefix)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f))
			found = !strncmp(comm, prefix, strlen(prefix));
		fclose(f);
	}
	closedir(d);
	return found;
}

#ifdef PB_HAVE_LIBURING
#include <liburing.h>

static int ring_cycle(struct pb_ctx *ctx, struct pb_sample *s, unsigned flags, const char *what)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = flags, .sq_thread_idle = 1000 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int r, res;

	s->t0 = pb_counter();
	r = io_uring_queue_init_params(8, &ring, &p);
	s->t1 = pb_counter();
	if (r < 0)
		return pb_fail_errno(ctx, what, r);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	r = io_uring_submit(&ring);
	if (r == 1)
		r = io_uring_wait_cqe(&ring, &cqe);
	if (r < 0) {
		io_uring_queue_exit(&ring);
		return pb_fail_errno(ctx, "io_uring NOP", r);
	}
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	s->tc = pb_counter();
	io_uring_queue_exit(&ring);
	s->t2 = pb_counter();
	return res < 0 ? pb_fail_errno(ctx, "io_uring NOP completion", res) : 0;
}

static const char *ring_supported(struct pb_ctx *ctx, char *buf, unsigned len, unsigned flags)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = flags, .sq_thread_idle = 1000 };
	int r = io_uring_queue_init_params(4, &ring, &p);

	(void)ctx;
	if (r == -ENOSYS) {
		snprintf(buf, len, "io_uring_setup returns ENOSYS here (kernel before 5.1, or disabled)");
		return buf;
	}
	if (r < 0) {
		snprintf(buf, len, "io_uring_setup%s fails here: %s", flags ? " with SQPOLL" : "",
			 strerror(-r));
		return buf;
	}
	io_uring_queue_exit(&ring);
	return NULL;
}

static const char *sqpoll_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	return ring_supported(ctx, buf, len, IORING_SETUP_SQPOLL);
}

static const char *plain_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	return ring_supported(ctx, buf, len, 0);
}

/* Once per setup, not per sample: the SQ thread exists while an SQPOLL ring lives. */
static int sqpoll_setup(struct pb_ctx *ctx)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 1000 };
	int r = io_uring_queue_init_params(4, &ring, &p), seen;

	if (r < 0)
		return pb_fail_errno(ctx, "io_uring_setup(SQPOLL)", r);
	/* The thread names itself when it first runs: let it complete a NOP first. */
	{
		struct io_uring_cqe *cqe;

		io_uring_prep_nop(io_uring_get_sqe(&ring));
		if (io_uring_submit(&ring) == 1 && io_uring_wait_cqe(&ring, &cqe) == 0)
			io_uring_cqe_seen(&ring, cqe);
	}
	seen = pb_task_named("iou-sqp-");
	io_uring_queue_exit(&ring);
	if (!seen)
		return pb_fail(ctx, "uring-sqpoll: no iou-sqp-* thread appeared while the ring lived");
	return 0;
}

static int sqpoll_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	return ring_cycle(ctx, s, IORING_SETUP_SQPOLL, "io_uring_setup(SQPOLL)");
}

static int plain_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	return ring_cycle(ctx, s, 0, "io_uring_setup");
}
#else
const char *pb_no_liburing(struct pb_ctx *ctx, char *buf, unsigned len)
{
	(void)ctx;
	snprintf(buf, len, "built without liburing (install liburing-dev and rebuild)");
	return buf;
}
#define sqpoll_supported pb_no_liburing
#define plain_supported pb_no_liburing
#define sqpoll_setup NULL
#define sqpoll_run NULL
#define plain_run NULL
#endif

const struct pb_method pb_method_uring_sqpoll = {
	.name = "uring-sqpoll",
	.summary = "io_uring ring with SQPOLL: setup (SQ thread created), first NOP, teardown",
	.flags = "IORING_SETUP_SQPOLL",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_IO_THREAD,
	.in_default = 1,
	.supported = sqpoll_supported,
	.setup = sqpoll_setup,
	.run_once = sqpoll_run,
};

const struct pb_method pb_method_uring_ring = {
	.name = "uring-ring",
	.summary = "the same io_uring ring cycle without SQPOLL (no kernel thread)",
	.flags = "",
	.phases = PB_PHASE_ALL,
	.in_default = 1,
	.supported = plain_supported,
	.run_once = plain_run,
};
