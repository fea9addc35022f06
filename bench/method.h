/* SPDX-License-Identifier: MIT */
/*
 * A creation method: one mechanism, one file under bench/, ending in a const
 * descriptor listed in bench/registry.c. Methods run inside the creator, do
 * the operation and fill the phase stamps; they never print. Failures are
 * returned with a message in ctx->errmsg (see pb_fail()).
 */
#ifndef PB_METHOD_H
#define PB_METHOD_H

#include <stdint.h>

#include "../arch/arch.h"
#include "../harness/protocol/shm.h"

struct pb_ctx {
	struct pb_child_stamp *stamp;      /* shared with children */
	volatile uint64_t *exec_slots;     /* written by the exec target */
	const char *exec_target;
	char *const *envp;
	unsigned chain_len;
	unsigned ops_per_sample;           /* set by setup() when not 1 */
	int tls_verified;                  /* -1 n/a, else 0/1 */
	int probe_error;                   /* supported() hit a failure, not a limit of the platform */
	void *priv;
	char errmsg[256];
};

struct pb_method {
	const char *name;
	const char *summary;
	const char *flags;  /* creation flags as text, for results */
	unsigned phases;    /* PB_PHASE_* (harness/protocol/shm.h) */
	int in_default;     /* 0: only when selected by --filter */
	int places_child;   /* 1: the child can move to another CPU before its stamp */
	int kshape;         /* enum pb_kshape: its kernel path, for --trace (0: none) */
	/*
	 * NULL when it can run here, else why not (written into buf): a skip,
	 * or an error when it also sets ctx->probe_error (e.g. EAGAIN).
	 */
	const char *(*supported)(struct pb_ctx *ctx, char *buf, unsigned len);
	int (*setup)(struct pb_ctx *ctx);
	/* One creation: 0, or -1 with ctx->errmsg set. */
	int (*run_once)(struct pb_ctx *ctx, struct pb_sample *s);
	void (*teardown)(struct pb_ctx *ctx);
};

extern const struct pb_method *const pb_methods[];
unsigned pb_method_count(void);

/*
 * For children that run C (glibc fork): what the trampolines do in asm.
 * Raw syscalls only, so they are safe in any child.
 */
void pb_child_place(struct pb_child_stamp *cs);
void pb_child_note_cpu(struct pb_child_stamp *cs);

/* Shared helpers for methods (bench/child_check.c). */
int pb_fail(struct pb_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pb_fail_errno(struct pb_ctx *ctx, const char *what, long neg_errno);
/* Reap pid with raw wait4; fail unless it exited with status 0. */
int pb_reap(struct pb_ctx *ctx, long pid, const char *what);
/* Fail unless the child wrote its stamp (cs->tc was zeroed before creating). */
int pb_check_child_ran(struct pb_ctx *ctx, uint64_t tc, const char *what);
/*
 * The parent's side after creating: fail on pid < 0 (-errno), reap, stamp
 * t2, take tc from where the child wrote it, check the child ran.
 */
int pb_finish_child(struct pb_ctx *ctx, struct pb_sample *s, long pid,
		    const volatile uint64_t *tc, const char *what);
/* argv for one exec of the target writing slot `slot`, then `more` re-execs. */
void pb_exec_argv(struct pb_ctx *ctx, char *argv[4], char bufs[2][16], unsigned slot,
		  unsigned more);
/* Run the exec target once via fork+exec: NULL if it works, else the reason. */
const char *pb_exec_probe(struct pb_ctx *ctx, char *buf, unsigned len);
/* Does a vfork-style trampoline share memory with us? NULL if yes. */
const char *pb_vm_share_probe(struct pb_ctx *ctx, long pid, const struct pb_child_stamp *private_cs,
			      const char *what, char *buf, unsigned len);
void *pb_map_stack(unsigned long size);
/* Does this process have a thread whose name starts with prefix? (bench/uring_ring.c) */
int pb_task_named(const char *prefix);
#ifndef PB_HAVE_LIBURING
/* The skip every io_uring method reports in a build without liburing. */
const char *pb_no_liburing(struct pb_ctx *ctx, char *buf, unsigned len);
#endif
/* Skip reason when clone3 is missing (ENOSYS) or forbidden (EPERM), or NULL (bench/clone3.c). */
const char *pb_clone3_supported(struct pb_ctx *ctx, char *buf, unsigned len);
/* Skip reason for glibc calls that use clone3 (posix_spawn, pthread_create), or NULL. */
const char *pb_glibc_clone3_supported(struct pb_ctx *ctx, char *buf, unsigned len);

#define PB_CHILD_STACK_SIZE (64 * 1024)

#endif
