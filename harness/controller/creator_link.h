/* SPDX-License-Identifier: MIT */
/*
 * The controller's end of a creator: start it with its shared file and
 * pipes (harness/protocol/shm.h), send commands, wait for replies, stop it. Every
 * creator leads its own process group and procbench is a child subreaper,
 * so a creator and everything it made can be killed and reaped at once:
 * on a hang, on its death, and when procbench itself is interrupted.
 */
#ifndef PB_CREATOR_LINK_H
#define PB_CREATOR_LINK_H

#include <sys/types.h>

#include "../protocol/shape.h"
#include "../protocol/shm.h"

struct pb_creator_spec {
	const char *creator_path;
	const char *exec_target;
	unsigned chain_len;
	int cpu;        /* pin the creator here, -1: not pinned */
	int child_cpu;  /* children move here before their stamp, -1: inherit */
	int want_cpu;   /* children record the CPU they stamped on */
	int perf_ctl_fd, perf_ack_fd; /* perf stat's control channel (-1: none) */
	struct pb_shape shape;
};

struct pb_creator_link {
	pid_t pid;
	int cmd_fd;
	int reply_fd;
	void *shm;
};

/*
 * Start a creator and say hello: 0, or -1 with a one-line reason in err (a
 * creator that cannot start, dies at once, or speaks another protocol
 * version). With hello_flags PB_HELLO_PROBE the table says what runs here.
 * The table stays readable (pb_link_hello) until the first PB_OP_RUN.
 */
int pb_link_open(struct pb_creator_link *cr, const struct pb_creator_spec *spec,
		 uint32_t hello_flags, char *err, unsigned len);
static inline const struct pb_hello *pb_link_hello(const struct pb_creator_link *cr)
{
	return (const struct pb_hello *)((const char *)cr->shm + PB_SHM_SAMPLES_OFF);
}
/* Start without the hello (tests of the protocol itself). */
int pb_link_start(struct pb_creator_link *cr, const struct pb_creator_spec *spec, char *err,
		  unsigned len);
void pb_link_stop(struct pb_creator_link *cr);
/* Send without waiting (so several creators can run a batch at once). */
int pb_link_send(struct pb_creator_link *cr, uint32_t op, unsigned method, uint32_t count,
		 uint32_t flags);
/* Wait for the reply; -1 (with rep->msg saying why) when the creator hung or died. */
int pb_link_wait(struct pb_creator_link *cr, struct pb_reply *rep);
int pb_link_cmd(struct pb_creator_link *cr, uint32_t op, unsigned method, uint32_t count,
		struct pb_reply *rep);

/*
 * The method table of the creator at spec->creator_path (a creator started
 * unpinned and unshaped for this, then stopped): 0, or -1 with err.
 */
int pb_link_methods(const struct pb_creator_spec *spec, uint32_t hello_flags,
		    struct pb_method_info *out, unsigned *n, char *err, unsigned len);

/*
 * A close-on-exec copy of fd at 10 or above: spawning a creator dup2()s onto
 * 3..7, so a descriptor meant for it must not sit there.
 */
int pb_fd_above_fixed(int fd);

static inline const struct pb_sample *pb_link_samples(const struct pb_creator_link *cr)
{
	return (const struct pb_sample *)((const char *)cr->shm + PB_SHM_SAMPLES_OFF);
}

/*
 * Also run fn (async-signal-safe) when SIGINT, SIGTERM, SIGHUP or SIGQUIT
 * stops the controller: --trace removes its tracefs instance there.
 */
void pb_link_at_fatal_signal(void (*fn)(void));

#endif
