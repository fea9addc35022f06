// SPDX-License-Identifier: MIT
/*
 * clone3-settls: clone3 with CLONE_SETTLS. The child starts with a thread
 * pointer into a TLS block the creator laid out; the child trampoline reads
 * its own thread pointer register and stores it beside its stamp, and every
 * sample is checked against the requested value. A mismatch is an error.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "method.h"

#define TLS_BLOCK_SIZE 4096

struct settls_state {
	void *block;
	uintptr_t tp;
	int tp_mode;
};

static struct settls_state settls;

static const char *settls_supported(struct pb_ctx *ctx, char *buf, unsigned len)
{
	if (!PB_HAVE_TP_READ) {
		snprintf(buf, len, "arch/%s cannot read the child's thread pointer", PB_ARCH_NAME);
		return buf;
	}
	return pb_clone3_supported(ctx, buf, len);
}

static int settls_setup(struct pb_ctx *ctx)
{
	settls.block = mmap(NULL, TLS_BLOCK_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (settls.block == MAP_FAILED)
		return pb_fail(ctx, "cannot map a TLS block");
	settls.tp = pb_tls_block_init(settls.block, TLS_BLOCK_SIZE);
	settls.tp_mode = pb_tp_read_mode(getauxval(AT_HWCAP2));
	ctx->priv = &settls;
	ctx->tls_verified = 0;
	return 0;
}

static void settls_teardown(struct pb_ctx *ctx)
{
	if (settls.block && settls.block != MAP_FAILED)
		munmap(settls.block, TLS_BLOCK_SIZE);
	settls.block = NULL;
	ctx->stamp->tp_mode = PB_TP_READ_NONE;
	ctx->priv = NULL;
}

static int settls_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	struct settls_state *st = ctx->priv;
	struct pb_child_stamp *cs = ctx->stamp;
	struct pb_clone_args args = {
		.flags = CLONE_SETTLS,
		.exit_signal = SIGCHLD,
		.tls = st->tp,
	};
	long pid;
	int r;

	cs->tc = 0;
	cs->tp = 0;
	cs->tp_mode = st->tp_mode;
	s->t0 = pb_counter();
	pid = pb_clone3_stamp(&args, sizeof(args), cs);
	s->t1 = pb_counter();
	r = pb_finish_child(ctx, s, pid, &cs->tc, "clone3-settls");
	/* Only now: the child may read tp_mode from the shared page after the parent returns. */
	cs->tp_mode = PB_TP_READ_NONE;
	if (r)
		return -1;
	if (cs->tp != st->tp) {
		ctx->tls_verified = 0;
		return pb_fail(ctx,
			       "clone3-settls: TLS check failed: the child ran with thread pointer "
			       "%#llx, requested %#llx",
			       (unsigned long long)cs->tp, (unsigned long long)st->tp);
	}
	ctx->tls_verified = 1;
	return 0;
}

const struct pb_method pb_method_clone3_settls = {
	.name = "clone3-settls",
	.summary = "raw clone3 with CLONE_SETTLS; the child proves its thread pointer",
	.flags = "CLONE_SETTLS exit_signal=SIGCHLD",
	.phases = PB_PHASE_ALL,
	.kshape = PB_KSHAPE_FORK,
	.in_default = 1,
	.places_child = 1,
	.supported = settls_supported,
	.setup = settls_setup,
	.run_once = settls_run,
	.teardown = settls_teardown,
};
