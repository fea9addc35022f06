// SPDX-License-Identifier: MIT
/*
 * procbench-creator: the measured specimen. Small and statically linked,
 * it does only what is timed: create, stamp, reap. The controller starts it
 * with the shared file on PB_SHM_FD and a command pipe/reply pipe pair on
 * PB_CMD_FD/PB_REPLY_FD, then drives it one command at a time. It never
 * prints; errors travel back in replies. It exits when the command pipe
 * closes, and dies with the controller (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "../bench/method.h"
#include "shm.h"

extern char **environ;

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

static uint64_t cpu_ns(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru))
		return 0;
	return tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
}

static int send_reply(const struct pb_reply *r)
{
	ssize_t n;

	do
		n = write(PB_REPLY_FD, r, sizeof(*r));
	while (n < 0 && errno == EINTR);
	return n == sizeof(*r) ? 0 : -1;
}

static void run_batch(const struct pb_method *m, struct pb_ctx *ctx, struct pb_sample *samples,
		      uint32_t count, struct pb_reply *r)
{
	uint64_t self0 = cpu_ns(RUSAGE_SELF), child0 = cpu_ns(RUSAGE_CHILDREN);
	uint64_t t0 = pb_counter();
	uint32_t i;

	if (count > PB_BATCH_MAX)
		count = PB_BATCH_MAX;
	for (i = 0; i < count; i++) {
		if (m->run_once(ctx, &samples[i])) {
			r->status = PB_ERROR;
			snprintf(r->msg, sizeof(r->msg), "%s", ctx->errmsg);
			break;
		}
	}
	r->elapsed_ticks = pb_counter() - t0;
	r->done = i;
	r->self_cpu_ns = cpu_ns(RUSAGE_SELF) - self0;
	r->child_cpu_ns = cpu_ns(RUSAGE_CHILDREN) - child0;
}

int main(void)
{
	void *shm;
	const struct pb_creator_config *cfg;
	struct pb_ctx *ctxs;
	struct pb_sample *samples;
	unsigned nmethods = pb_method_count(), i;
	struct pb_cmd cmd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	shm = mmap(NULL, PB_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, PB_SHM_FD, 0);
	if (shm == MAP_FAILED)
		return 111; /* not started by the controller */
	cfg = (const void *)((char *)shm + PB_SHM_CONFIG_OFF);
	samples = (void *)((char *)shm + PB_SHM_SAMPLES_OFF);

	if (cfg->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cfg->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return 112;
	}

	ctxs = calloc(nmethods, sizeof(*ctxs));
	if (!ctxs)
		return 113;
	for (i = 0; i < nmethods; i++) {
		ctxs[i].stamp = (struct pb_child_stamp *)((char *)shm + PB_SHM_STAMP_OFF);
		ctxs[i].exec_slots = (volatile uint64_t *)((char *)shm + PB_SHM_EXEC_OFF);
		ctxs[i].exec_target = cfg->exec_target;
		ctxs[i].envp = environ;
		ctxs[i].chain_len = cfg->chain_len;
		ctxs[i].ops_per_sample = 1;
		ctxs[i].tls_verified = -1;
	}

	for (;;) {
		struct pb_reply r = { .status = PB_OK };
		const struct pb_method *m;
		struct pb_ctx *ctx;
		ssize_t n = read(PB_CMD_FD, &cmd, sizeof(cmd));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(cmd))
			break; /* controller closed the pipe (or died) */
		if (cmd.method >= nmethods) {
			r.status = PB_ERROR;
			snprintf(r.msg, sizeof(r.msg), "no method %u", cmd.method);
			send_reply(&r);
			continue;
		}
		m = pb_methods[cmd.method];
		ctx = &ctxs[cmd.method];
		ctx->errmsg[0] = 0;
		ctx->probe_error = 0;
		switch (cmd.op) {
		case PB_OP_PROBE:
			if (m->supported) {
				const char *why = m->supported(ctx, r.msg, sizeof(r.msg));

				if (why) {
					r.status = ctx->probe_error ? PB_ERROR : PB_SKIP;
					if (why != r.msg)
						snprintf(r.msg, sizeof(r.msg), "%s", why);
				}
			}
			break;
		case PB_OP_SETUP:
			if (m->setup && m->setup(ctx)) {
				r.status = PB_ERROR;
				snprintf(r.msg, sizeof(r.msg), "%s", ctx->errmsg);
			}
			break;
		case PB_OP_RUN:
			run_batch(m, ctx, samples, cmd.count, &r);
			break;
		case PB_OP_TEARDOWN:
			if (m->teardown)
				m->teardown(ctx);
			break;
		default:
			r.status = PB_ERROR;
			snprintf(r.msg, sizeof(r.msg), "unknown command %u", cmd.op);
		}
		r.tls_verified = ctx->tls_verified;
		r.ops_per_sample = ctx->ops_per_sample;
		if (send_reply(&r))
			break;
	}
	return 0;
}
