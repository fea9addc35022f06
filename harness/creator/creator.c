// SPDX-License-Identifier: MIT
/*
 * procbench-creator: the measured specimen. Small and statically linked,
 * it does only what is timed: create, stamp, reap. The controller starts it
 * with the shared file on PB_SHM_FD and a command pipe/reply pipe pair on
 * PB_CMD_FD/PB_REPLY_FD, then drives it one command at a time, starting with
 * the hello that checks the protocol version and returns the method table.
 * It never prints (but for one line when started by hand); errors travel
 * back in replies, or as a PB_EXIT_* status before it can reply. It exits when the command pipe
 * closes, and dies with the controller (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/perf_event.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "../../bench/method.h"
#include "shape.h"
#include "../protocol/shm.h"

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

/*
 * With want_cpu, every child that reports its CPU must have run where the
 * placement put it: the child PU if it moves, else the creator's own.
 */
static int placement_wrong(const struct pb_creator_config *cfg, const struct pb_ctx *ctx,
			   struct pb_reply *r)
{
	int want = cfg->child_cpu >= 0 ? cfg->child_cpu : cfg->cpu;
	uint32_t got = ctx->stamp->cpu;

	if (!cfg->want_cpu || want < 0 || got == UINT32_MAX || got == (uint32_t)want)
		return 0;
	r->status = PB_ERROR;
	snprintf(r->msg, sizeof(r->msg), "placement check failed: the child ran on CPU %u, not %d",
		 got, want);
	return 1;
}

/*
 * perf stat's control protocol: write "enable" or "disable", then (with an
 * ack channel) wait for "ack\n" so the region really starts and ends here.
 */
static int perf_ctl(const struct pb_creator_config *cfg, const char *word, struct pb_reply *r)
{
	char ack[16];
	size_t len = strlen(word), got = 0;
	struct pollfd pfd = { .fd = PB_PERF_ACK_FD, .events = POLLIN };

	if (!cfg->perf_ctl)
		return 0;
	if (write(PB_PERF_CTL_FD, word, len) != (ssize_t)len) {
		r->status = PB_ERROR;
		snprintf(r->msg, sizeof(r->msg), "--perf-ctl: cannot write '%.*s' to perf: %s",
			 (int)len - 1, word, strerror(errno));
		return -1;
	}
	if (cfg->perf_ctl < 2)
		return 0;
	while (got < 4) {
		ssize_t n;

		if (poll(&pfd, 1, 10000) != 1) {
			r->status = PB_ERROR;
			snprintf(r->msg, sizeof(r->msg), "--perf-ctl: perf did not ack within 10 s");
			return -1;
		}
		n = read(PB_PERF_ACK_FD, ack + got, sizeof(ack) - 1 - got);
		if (n <= 0) {
			r->status = PB_ERROR;
			snprintf(r->msg, sizeof(r->msg), "--perf-ctl: the ack channel closed");
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/* Open the counters (inherited by children, disabled); -1 where one cannot be. */
static void counters_open(int *fds, struct pb_reply *r)
{
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		struct perf_event_attr a = {
			.size = sizeof(a),
			.type = pb_counter_defs[i].type,
			.config = pb_counter_defs[i].config,
			.disabled = 1,
			.inherit = 1,
			.exclude_hv = 1,
			.exclude_user = (uint64_t)pb_counter_defs[i].exclude_user,
			.exclude_kernel = (uint64_t)pb_counter_defs[i].exclude_kernel,
			.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING,
		};
		long fd = pb_syscall5(__NR_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

		fds[i] = fd < 0 ? -1 : (int)fd;
		r->count_err[i] = fd < 0 ? (int32_t)-fd : 0;
	}
}

static void counters_collect(int *fds, struct pb_reply *r)
{
	for (int i = 0; i < PB_NCOUNTERS; i++) {
		uint64_t v[3];

		if (fds[i] < 0)
			continue;
		ioctl(fds[i], PERF_EVENT_IOC_DISABLE, 0);
		if (read(fds[i], v, sizeof(v)) == sizeof(v)) {
			/* Scale for multiplexing: value * enabled / running. */
			r->counts[i] = v[2] ? (uint64_t)((double)v[0] * (double)v[1] / (double)v[2]) : 0;
			if (!v[2])
				r->count_err[i] = EBUSY;
		} else {
			r->count_err[i] = errno;
		}
		close(fds[i]);
		fds[i] = -1;
	}
}

static void run_batch(const struct pb_creator_config *cfg, const struct pb_method *m,
		      struct pb_ctx *ctx, struct pb_sample *samples, uint32_t count, uint32_t flags,
		      struct pb_reply *r)
{
	int fds[PB_NCOUNTERS];
	uint64_t self0, child0, t0;
	uint32_t i;

	/* The samples past PB_BATCH_MAX would not fit the shared file: another controller's request. */
	if (count > PB_BATCH_MAX) {
		r->status = PB_ERROR;
		snprintf(r->msg, sizeof(r->msg), "a batch of %u samples, more than the %u that fit",
			 count, PB_BATCH_MAX);
		return;
	}
	if (flags & PB_RUN_COUNTERS) {
		counters_open(fds, r);
		for (int k = 0; k < PB_NCOUNTERS; k++)
			if (fds[k] >= 0)
				ioctl(fds[k], PERF_EVENT_IOC_ENABLE, 0);
	}
	if ((flags & PB_RUN_MEASURED) && perf_ctl(cfg, "enable\n", r))
		return;
	self0 = cpu_ns(RUSAGE_SELF);
	child0 = cpu_ns(RUSAGE_CHILDREN);
	t0 = pb_counter();
	for (i = 0; i < count; i++) {
		ctx->stamp->cpu = UINT32_MAX;
		if (m->run_once(ctx, &samples[i])) {
			r->status = PB_ERROR;
			snprintf(r->msg, sizeof(r->msg), "%s", ctx->errmsg);
			break;
		}
		if (placement_wrong(cfg, ctx, r))
			break;
	}
	r->elapsed_ticks = pb_counter() - t0;
	r->done = i;
	if (flags & PB_RUN_COUNTERS)
		counters_collect(fds, r);
	if (flags & PB_RUN_MEASURED) {
		struct pb_reply ctl = { .status = PB_OK };

		if (perf_ctl(cfg, "disable\n", &ctl) && r->status == PB_OK) {
			r->status = PB_ERROR;
			snprintf(r->msg, sizeof(r->msg), "%s", ctl.msg);
		}
	}
	r->self_cpu_ns = cpu_ns(RUSAGE_SELF) - self0;
	r->child_cpu_ns = cpu_ns(RUSAGE_CHILDREN) - child0;
}

/*
 * A bounded copy, written out: snprintf or strnlen would pull more of libc
 * into the specimen, and a fork's cost follows the specimen's layout.
 */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	while (src && src[n] && n + 1 < len) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = 0;
}

/* The method table for the hello reply; with PB_HELLO_PROBE, whether each can run here. */
static void describe(struct pb_hello *h, struct pb_ctx *ctxs, unsigned n, uint32_t flags)
{
	memset(h, 0, sizeof(*h));
	h->magic = PB_HELLO_MAGIC;
	h->version = PB_PROTOCOL_VERSION;
	h->nmethods = n;
	for (unsigned i = 0; i < n; i++) {
		const struct pb_method *m = pb_methods[i];
		struct pb_method_info *mi = &h->methods[i];

		copy_str(mi->name, sizeof(mi->name), m->name);
		copy_str(mi->summary, sizeof(mi->summary), m->summary);
		copy_str(mi->flags, sizeof(mi->flags), m->flags);
		mi->phases = m->phases;
		mi->in_default = (uint32_t)m->in_default;
		mi->places_child = (uint32_t)m->places_child;
		mi->kshape = (uint32_t)m->kshape;
		mi->probed = -1;
		if (flags & PB_HELLO_PROBE) {
			const char *why = m->supported ? m->supported(&ctxs[i], mi->skip,
								      sizeof(mi->skip))
						       : NULL;

			mi->probed = !why ? PB_OK : ctxs[i].probe_error ? PB_ERROR : PB_SKIP;
			if (why && why != mi->skip)
				snprintf(mi->skip, sizeof(mi->skip), "%s", why);
		}
	}
}

/* Map the shared file, pin, prepare the children's stamp: 0 or a PB_EXIT_* status. */
static int start_up(void **shm_out)
{
	const struct pb_creator_config *cfg;
	struct pb_child_stamp *cs;
	void *shm = mmap(NULL, PB_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, PB_SHM_FD, 0);

	if (shm == MAP_FAILED) {
		static const char msg[] = "procbench-creator: no shared memory on descriptor 3: "
					  "this is procbench's measured specimen; run procbench\n";

		ssize_t w = write(2, msg, sizeof(msg) - 1);

		(void)w;
		return PB_EXIT_NOT_STARTED;
	}
	cfg = (const void *)((char *)shm + PB_SHM_CONFIG_OFF);
	if (cfg->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cfg->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return PB_EXIT_PIN;
	}
	/* Children move to child_cpu first thing (arch/child.h); methods that cannot say so. */
	cs = (struct pb_child_stamp *)((char *)shm + PB_SHM_STAMP_OFF);
	cs->want_cpu = cfg->want_cpu;
	cs->cpu = (uint32_t)-1;
	if (cfg->child_cpu >= 0) {
		if (cfg->child_cpu >= PB_AFF_MASK_BYTES * 8)
			return PB_EXIT_CHILD_CPU;
		memset(cs->aff_mask, 0, sizeof(cs->aff_mask));
		cs->aff_mask[cfg->child_cpu / 8] = (uint8_t)(1u << (cfg->child_cpu % 8));
		cs->aff_len = sizeof(cs->aff_mask);
	}
	*shm_out = shm;
	return 0;
}

/* One method command; the reply carries what the method's context says afterwards. */
static void method_cmd(const struct pb_creator_config *cfg, const struct pb_cmd *cmd,
		       struct pb_ctx *ctx, struct pb_sample *samples, struct pb_reply *r)
{
	const struct pb_method *m = pb_methods[cmd->method];

	ctx->errmsg[0] = 0;
	ctx->probe_error = 0;
	switch (cmd->op) {
	case PB_OP_PROBE:
		if (m->supported) {
			const char *why = m->supported(ctx, r->msg, sizeof(r->msg));

			if (why) {
				r->status = ctx->probe_error ? PB_ERROR : PB_SKIP;
				if (why != r->msg)
					snprintf(r->msg, sizeof(r->msg), "%s", why);
			}
		}
		break;
	case PB_OP_SETUP:
		if (m->setup && m->setup(ctx)) {
			r->status = PB_ERROR;
			snprintf(r->msg, sizeof(r->msg), "%s", ctx->errmsg);
		}
		break;
	case PB_OP_RUN:
		run_batch(cfg, m, ctx, samples, cmd->count, cmd->flags, r);
		break;
	case PB_OP_TEARDOWN:
		if (m->teardown)
			m->teardown(ctx);
		break;
	default:
		r->status = PB_ERROR;
		snprintf(r->msg, sizeof(r->msg), "unknown command %u", cmd->op);
	}
	r->tls_verified = ctx->tls_verified;
	r->child_cpu = cfg->want_cpu && ctx->stamp->cpu != UINT32_MAX ? (int32_t)ctx->stamp->cpu : -1;
	r->ops_per_sample = ctx->ops_per_sample;
}

int main(void)
{
	void *shm = NULL;
	const struct pb_creator_config *cfg;
	struct pb_ctx *ctxs;
	unsigned nmethods = pb_method_count(), i;
	int said_hello = 0, r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/*
	 * Descriptors leaked in from whoever started procbench would change
	 * what fork copies and exec closes: keep only stdio and ours.
	 */
	if (pb_syscall3(__NR_close_range, PB_LAST_FD + 1, ~0u, 0) == -ENOSYS)
		for (int fd = PB_LAST_FD + 1; fd < 1024; fd++)
			close(fd);
	r = start_up(&shm);
	if (r)
		return r;
	cfg = (const void *)((char *)shm + PB_SHM_CONFIG_OFF);
	ctxs = calloc(nmethods, sizeof(*ctxs));
	if (!ctxs || nmethods > PB_METHODS_MAX)
		return PB_EXIT_NOMEM;
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
		struct pb_reply rep = { .status = PB_OK, .tls_verified = -1, .child_cpu = -1 };
		struct pb_cmd cmd;
		ssize_t n = read(PB_CMD_FD, &cmd, sizeof(cmd));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(cmd))
			break; /* controller closed the pipe (or died) */
		if (cmd.op == PB_OP_HELLO && cmd.count != PB_PROTOCOL_VERSION) {
			rep.status = PB_ERROR;
			snprintf(rep.msg, sizeof(rep.msg), "protocol %u", PB_PROTOCOL_VERSION);
		} else if (cmd.op == PB_OP_HELLO) {
			describe((struct pb_hello *)((char *)shm + PB_SHM_SAMPLES_OFF), ctxs, nmethods,
				 cmd.flags);
			rep.done = nmethods;
			said_hello = 1;
		} else if (!said_hello) {
			rep.status = PB_ERROR;
			snprintf(rep.msg, sizeof(rep.msg), "no hello before command %u", cmd.op);
		} else if (cmd.op == PB_OP_SHAPE) {
			if (pb_shape_apply(&cfg->shape, rep.msg, sizeof(rep.msg)))
				rep.status = PB_ERROR;
		} else if (cmd.method >= nmethods) {
			rep.status = PB_ERROR;
			snprintf(rep.msg, sizeof(rep.msg), "no method %u", cmd.method);
		} else {
			method_cmd(cfg, &cmd, &ctxs[cmd.method],
				   (struct pb_sample *)((char *)shm + PB_SHM_SAMPLES_OFF), &rep);
		}
		if (send_reply(&rep))
			break;
	}
	return 0;
}
