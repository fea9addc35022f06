// SPDX-License-Identifier: MIT
/*
 * thread: threads beside processes. thread-pthread is pthread_create +
 * pthread_join. thread-clone3 is a raw clone3 thread (CLONE_VM|CLONE_FS|
 * CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|
 * CLONE_CHILD_CLEARTID, plus CLONE_PARENT_SETTID so the tid is in place
 * before the thread can clear it) on its own stack and TLS block, joined by
 * a futex wait on the cleared tid. Its stamp lives in the creator's private
 * memory, so the parent reading it proves the memory is shared, and the
 * thread pointer it reports proves the TLS.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <linux/futex.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "method.h"

#define TLS_SIZE 4096

static volatile uint64_t pthread_stamp;

static void *pthread_body(void *arg)
{
	(void)arg;
	pthread_stamp = pb_counter();
	return NULL;
}

static int pthread_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	pthread_t t;
	int r;

	pthread_stamp = 0;
	s->t0 = pb_counter();
	r = pthread_create(&t, NULL, pthread_body, NULL);
	s->t1 = pb_counter();
	if (r)
		return pb_fail_errno(ctx, "pthread_create", -r);
	r = pthread_join(t, NULL);
	s->t2 = pb_counter();
	if (r)
		return pb_fail_errno(ctx, "pthread_join", -r);
	s->tc = pthread_stamp;
	return pb_check_child_ran(ctx, s->tc, "thread-pthread");
}

/* Private (not MAP_SHARED) on purpose: only a thread sharing our memory can fill it. */
static struct {
	struct pb_child_stamp stamp;
	void *stack, *tls_block;
	uintptr_t tp;
	volatile int tid;
} th;

static const char *clone3_thread_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	if (!PB_HAVE_TP_READ) {
		snprintf(buf, len, "arch/%s cannot read the thread's thread pointer", PB_ARCH_NAME);
		return buf;
	}
	return pb_clone3_supported(ctx, buf, len);
}

static int clone3_thread_setup(struct pb_ctx *ctx)
{
	th.stack = pb_map_stack(PB_CHILD_STACK_SIZE);
	th.tls_block = mmap(NULL, TLS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!th.stack || th.tls_block == MAP_FAILED)
		return pb_fail(ctx, "cannot map the thread's stack and TLS block");
	th.tp = pb_tls_block_init(th.tls_block, TLS_SIZE);
	th.stamp.tp_mode = (uint64_t)pb_tp_read_mode(getauxval(AT_HWCAP2));
	ctx->tls_verified = 0;
	return 0;
}

static void clone3_thread_teardown(struct pb_ctx *ctx)
{
	(void)ctx;
	if (th.stack)
		munmap(th.stack, PB_CHILD_STACK_SIZE);
	if (th.tls_block && th.tls_block != MAP_FAILED)
		munmap(th.tls_block, TLS_SIZE);
	th.stack = th.tls_block = NULL;
}

#define THREAD_FLAGS                                                                     \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
	 CLONE_SETTLS | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID)

static int clone3_thread_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	struct pb_clone_args args = {
		.flags = THREAD_FLAGS,
		.child_tid = (uint64_t)(uintptr_t)&th.tid,
		.parent_tid = (uint64_t)(uintptr_t)&th.tid,
		.exit_signal = 0,
		.stack = (uint64_t)(uintptr_t)th.stack,
		.stack_size = PB_CHILD_STACK_SIZE,
		.tls = th.tp,
	};
	long tid;
	int v;

	th.stamp.tc = th.stamp.tp = 0;
	th.tid = 0;
	s->t0 = pb_counter();
	tid = pb_clone3_stamp(&args, sizeof(args), &th.stamp);
	s->t1 = pb_counter();
	if (tid < 0)
		return pb_fail_errno(ctx, "clone3 (thread)", tid);
	/* The kernel zeroes th.tid and wakes this futex when the thread exits. */
	while ((v = th.tid) != 0)
		pb_syscall6(__NR_futex, (long)&th.tid, FUTEX_WAIT, v, 0, 0, 0);
	s->t2 = pb_counter();
	s->tc = th.stamp.tc;
	if (pb_check_child_ran(ctx, s->tc, "thread-clone3 (shared memory)"))
		return -1;
	if (th.stamp.tp != th.tp) {
		ctx->tls_verified = 0;
		return pb_fail(ctx, "thread-clone3: the thread ran with thread pointer %#llx, requested %#llx",
			       (unsigned long long)th.stamp.tp, (unsigned long long)th.tp);
	}
	ctx->tls_verified = 1;
	return 0;
}

const struct pb_method pb_method_thread_pthread = {
	.name = "thread-pthread",
	.summary = "pthread_create + pthread_join (glibc; stack from its cache)",
	.flags = "glibc pthread",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_THREAD,
	.in_default = 1,
	.supported = pb_glibc_clone3_supported,
	.run_once = pthread_run,
};

const struct pb_method pb_method_thread_clone3 = {
	.name = "thread-clone3",
	.summary = "raw clone3 thread with its own stack and TLS, joined by futex on the cleared tid",
	.flags = "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
		 "CLONE_SETTLS|CLONE_CHILD_CLEARTID|CLONE_PARENT_SETTID",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_THREAD,
	.in_default = 1,
	.supported = clone3_thread_supported,
	.setup = clone3_thread_setup,
	.run_once = clone3_thread_run,
	.teardown = clone3_thread_teardown,
};
