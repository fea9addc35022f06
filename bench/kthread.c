// SPDX-License-Identifier: MIT
/*
 * kthread-run, kthread-stop, kthread-worker: the kernel creating its own
 * threads, timed inside the kernel by the procbench-kthread module
 * (bench/kmod/): each sample is one ioctl on /dev/procbench-kthread that
 * creates one kernel thread through kthreadd and stamps it with
 * get_cycles(), the counter pb_counter() reads. The ioctl's own cost is
 * outside t0..t2. Without the module loaded, each is a skip that says how
 * to build and load it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kmod/pb_kthread.h"
#include "method.h"

/* The device's descriptor lives in ctx->priv (as fd + 1, so NULL means none). */
static int dev_fd(const struct pb_ctx *ctx)
{
	return (int)(intptr_t)ctx->priv - 1;
}

/* One request of count samples of kind into s: 0, or -errno. */
static int request(int fd, unsigned kind, unsigned count, struct pb_kt_sample *s)
{
	struct pb_kt_req req = { .version = PB_KT_VERSION, .kind = kind, .count = count,
				 .samples = (uint64_t)(uintptr_t)s };

	return ioctl(fd, PB_KT_IOC_RUN, &req) ? -errno : 0;
}

static const char *kt_supported(struct pb_ctx *ctx, char *buf, unsigned len, unsigned kind)
{
	struct pb_kt_sample s;
	int fd = open(PB_KT_DEVICE, O_RDWR | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			snprintf(buf, len, "the procbench-kthread module is not loaded (no %s): build it "
				 "with `make kmod KDIR=<kernel headers>` and insmod "
				 "build/kmod/<release>/procbench_kthread.ko (ci/kernel-run does both for "
				 "Debian kernels)", PB_KT_DEVICE);
		else
			snprintf(buf, len, "cannot open %s: %s%s", PB_KT_DEVICE, strerror(e),
				 e == EACCES ? " (the kthread methods need root)" : "");
		return buf;
	}
	e = request(fd, kind, 1, &s);
	close(fd);
	if (e) {
		snprintf(buf, len, "%s refused a request: %s (a module of another version?)",
			 PB_KT_DEVICE, strerror(-e));
		ctx->probe_error = e != -EINVAL;
		return buf;
	}
	return NULL;
}

static int kt_setup(struct pb_ctx *ctx)
{
	int fd = open(PB_KT_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return pb_fail(ctx, "cannot open %s: %s", PB_KT_DEVICE, strerror(errno));
	ctx->priv = (void *)(intptr_t)(fd + 1);
	return 0;
}

static void kt_teardown(struct pb_ctx *ctx)
{
	if (ctx->priv)
		close(dev_fd(ctx));
	ctx->priv = NULL;
}

static int kt_run(struct pb_ctx *ctx, struct pb_sample *s, unsigned kind, const char *what)
{
	struct pb_kt_sample k;
	int e = request(dev_fd(ctx), kind, 1, &k);

	if (e)
		return pb_fail_errno(ctx, what, e);
	s->t0 = k.t0;
	s->t1 = k.t1;
	s->tc = k.tc;
	s->t2 = k.t2;
	return pb_check_child_ran(ctx, s->tc, what);
}

#define KT_METHOD(id, nm, kind, sum, fl)                                                      \
	static const char *id##_supported(struct pb_ctx *ctx, char *buf, unsigned len)        \
	{                                                                                     \
		return kt_supported(ctx, buf, len, kind);                                     \
	}                                                                                     \
	static int id##_run(struct pb_ctx *ctx, struct pb_sample *s)                          \
	{                                                                                     \
		return kt_run(ctx, s, kind, nm);                                              \
	}                                                                                     \
	const struct pb_method pb_method_##id = {                                             \
		.name = nm,                                                                   \
		.summary = sum,                                                               \
		.flags = fl,                                                                  \
		.phases = PB_PHASE_ALL,                                                       \
		.in_default = 1,                                                              \
		.supported = id##_supported,                                                  \
		.setup = kt_setup,                                                            \
		.run_once = id##_run,                                                         \
		.teardown = kt_teardown,                                                      \
	}

KT_METHOD(kthread_run, "kthread-run", PB_KT_RUN,
	  "kernel thread via kthreadd (kthread_create_on_node + wake_up_process); it returns",
	  "kthread_create_on_node");
KT_METHOD(kthread_stop, "kthread-stop", PB_KT_STOP,
	  "the same kernel thread, sleeping until kthread_stop() wakes and reaps it",
	  "kthread_create_on_node+kthread_stop");
KT_METHOD(kthread_worker, "kthread-worker", PB_KT_WORKER,
	  "kthread_create_worker, one work item on it, kthread_destroy_worker",
	  "kthread_create_worker");
