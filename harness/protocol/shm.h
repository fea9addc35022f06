/* SPDX-License-Identifier: MIT */
/*
 * The controller/creator protocol: one shared memory file (a memfd) and two
 * pipes, on fixed descriptor numbers in the creator.
 *
 * Layout of the shared file:
 *   0      struct pb_child_stamp      written by trampoline children
 *   256    exec slots (uint64 each)   written by the exec target (pwrite on
 *                                     PB_SHM_FD), slot k = k-th image's entry
 *   4096   struct pb_creator_config   written by the controller before start
 *   65536  struct pb_sample[PB_BATCH_MAX]  one batch, written by the creator
 *          (or the hello's method table)
 *
 * The samples sit a whole fault-around window (64 KiB, the kernel's default
 * fault_around_bytes) past the stamp: a child's first read of its stamp page
 * maps every page of that window already in the file, so with the samples
 * inside it a fork's cost followed how many samples the last batch wrote
 * (and the hello's table): 8 more pages mapped, and unmapped at exit, cost
 * fork and clone3 5,100 guest instructions (1.9%) in instruction time.
 *
 * Commands and replies are fixed-size structs, each written with a single
 * write() below PIPE_BUF, so they arrive whole.
 *
 * The first command is always PB_OP_HELLO carrying PB_PROTOCOL_VERSION: the
 * creator refuses another version, and answers with its method table
 * (struct pb_hello, in the sample area). The controller knows methods only
 * from that table and addresses them by their index in it; it links no
 * method. Bump PB_PROTOCOL_VERSION with any change to this file.
 */
#ifndef PB_SHM_H
#define PB_SHM_H

#include <limits.h>
#include <stdint.h>

#include "../../arch/child.h"
#include "counters.h"
#include "shape.h"

#define PB_SHM_FD 3
#define PB_CMD_FD 4
#define PB_REPLY_FD 5
#define PB_PERF_CTL_FD 6   /* perf stat's control channel, with --perf-ctl */
#define PB_PERF_ACK_FD 7   /* and its ack channel, when given */
#define PB_LAST_FD PB_PERF_ACK_FD

#define PB_SHM_STAMP_OFF 0
#define PB_SHM_EXEC_OFF 256
#define PB_EXEC_SLOTS 256
#define PB_SHM_CONFIG_OFF 4096
#define PB_SHM_SAMPLES_OFF 65536
#define PB_BATCH_MAX 4096

struct pb_sample {
	uint64_t t0; /* parent about to enter the creating call */
	uint64_t t1; /* parent back from it */
	uint64_t tc; /* child's first instruction (exec target's entry for exec) */
	uint64_t t2; /* parent has reaped the child */
};

#define PB_SHM_SIZE (PB_SHM_SAMPLES_OFF + PB_BATCH_MAX * sizeof(struct pb_sample))

#ifndef PB_PROTOCOL_VERSION /* tests build a creator of another version to see it refused */
#define PB_PROTOCOL_VERSION 5
#endif
#define PB_HELLO_MAGIC 0x6f6c6c6568627055ull /* "Upbhello" */
#define PB_METHODS_MAX 64

/* Which phase stamps a method fills; absent ones are not reported. */
enum {
	PB_PHASE_PARENT = 1 << 0, /* t1 */
	PB_PHASE_CHILD = 1 << 1,  /* tc */
	PB_PHASE_ALL = PB_PHASE_PARENT | PB_PHASE_CHILD,
};

/*
 * The kernel's path of one sample, for --trace (harness/analysis/ktrace.h
 * names its events and phases per shape).
 */
enum pb_kshape {
	PB_KSHAPE_NONE,      /* no phase set: traced samples are not matched */
	PB_KSHAPE_FORK,      /* own mm; the child returns to user space, exits; the parent reaps */
	PB_KSHAPE_VFORK,     /* the parent sleeps until the child's exit releases the mm */
	PB_KSHAPE_SPAWN,     /* vfork-style, the child execs (which wakes the parent) */
	PB_KSHAPE_FORK_EXEC, /* fork-style, the child execs */
	PB_KSHAPE_THREAD,    /* a thread: its exit clears its tid, whose futex wakes the joiner */
	PB_KSHAPE_IO_THREAD, /* io_uring_setup makes the SQ thread (create_io_thread) */
};

/* One method as the creator describes it. */
struct pb_method_info {
	char name[32];
	char summary[128];
	char flags[96];        /* creation flags as text, for results */
	char skip[256];        /* PB_HELLO_PROBE: why it cannot run here ("" when it can) */
	uint32_t phases;       /* PB_PHASE_* */
	uint32_t in_default;   /* 0: only when selected by --filter */
	uint32_t places_child; /* 1: the child can move to another CPU before its stamp */
	uint32_t kshape;       /* enum pb_kshape */
	int32_t probed;        /* PB_HELLO_PROBE: enum pb_status; else -1 */
};

/* The hello reply's payload, at PB_SHM_SAMPLES_OFF (no batch is in flight yet). */
struct pb_hello {
	uint64_t magic;        /* PB_HELLO_MAGIC */
	uint32_t version;      /* PB_PROTOCOL_VERSION */
	uint32_t nmethods;
	struct pb_method_info methods[PB_METHODS_MAX];
};

/*
 * Exit status of a creator that could not start serving (it prints nothing:
 * the controller turns these into messages, pb_creator_exit_reason()).
 */
enum pb_creator_exit {
	PB_EXIT_NOT_STARTED = 111,  /* no shared memory on PB_SHM_FD: not started by procbench */
	PB_EXIT_PIN = 112,          /* sched_setaffinity to config->cpu failed */
	PB_EXIT_NOMEM = 113,        /* could not allocate the methods' contexts */
	PB_EXIT_CHILD_CPU = 114,    /* config->child_cpu beyond what a child stamp can hold */
};

struct pb_creator_config {
	char exec_target[PATH_MAX];
	uint32_t chain_len;   /* exec transitions per execve-chain sample */
	int32_t cpu;          /* CPU to pin the creator to, or -1 */
	int32_t child_cpu;    /* CPU children move to before their stamp, or -1: inherit */
	uint32_t want_cpu;    /* children record the CPU they stamped on */
	uint32_t perf_ctl;    /* 0 none, 1 control fd, 2 control and ack fds */
	struct pb_shape shape;
};

enum pb_op {
	PB_OP_HELLO = 1,  /* count: the controller's PB_PROTOCOL_VERSION; flags: PB_HELLO_* */
	PB_OP_SHAPE,      /* grow into config->shape (method ignored) */
	PB_OP_PROBE,  /* is the method supported here? reply: ok or skip+reason */
	PB_OP_SETUP,
	PB_OP_RUN,        /* run `count` samples into the shared sample array */
	PB_OP_TEARDOWN,
};

enum {
	PB_HELLO_PROBE = 1 << 0,  /* also probe every method (fills skip and probed) */
};

enum {
	PB_RUN_MEASURED = 1 << 0, /* a timed batch: bracket it with perf stat's enable/disable */
	PB_RUN_COUNTERS = 1 << 1, /* count perf events over this batch (its times are not kept) */
};

struct pb_cmd {
	uint32_t op;
	uint32_t method;
	uint32_t count;
	uint32_t flags;   /* PB_RUN_* */
};

enum pb_status { PB_OK = 0, PB_SKIP = 1, PB_ERROR = 2 };

struct pb_reply {
	int32_t status;
	uint32_t done;            /* samples completed */
	uint64_t self_cpu_ns;     /* creator's own CPU time over the batch */
	uint64_t child_cpu_ns;    /* reaped children's CPU time over the batch */
	uint64_t elapsed_ticks;   /* counter ticks over the whole batch */
	int32_t tls_verified;     /* -1 n/a, 0 no, 1 yes */
	uint32_t ops_per_sample;  /* creations (or execs) one sample covers */
	int32_t child_cpu;        /* CPU the last child stamped on (want_cpu), else -1 */
	/* PB_RUN_COUNTERS: counts over the batch (scaled if multiplexed) and each one's errno. */
	uint64_t counts[PB_NCOUNTERS];
	int32_t count_err[PB_NCOUNTERS];
	char msg[256];
};

_Static_assert(sizeof(struct pb_reply) <= 4096, "reply must stay within PIPE_BUF");
_Static_assert(sizeof(struct pb_child_stamp) <= PB_SHM_EXEC_OFF, "stamp fits");
_Static_assert(PB_SHM_EXEC_OFF + PB_EXEC_SLOTS * 8 <= PB_SHM_CONFIG_OFF, "exec slots fit");
_Static_assert(sizeof(struct pb_hello) <= PB_BATCH_MAX * sizeof(struct pb_sample), "table fits");
_Static_assert(sizeof(struct pb_creator_config) <= PB_SHM_SAMPLES_OFF - PB_SHM_CONFIG_OFF,
	       "config fits");

#endif
