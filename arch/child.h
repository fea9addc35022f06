/* SPDX-License-Identifier: MIT */
/*
 * Child-entry trampolines and the memory they write. Each arch implements
 * them in arch/<arch>/child.S (arch/generic/child.c for the fallback).
 *
 * The child side of every trampoline runs without a usable stack or TLS:
 * if cs->aff_len is set it first moves itself with
 * sched_setaffinity(0, aff_len, aff_mask) (placement before the stamp);
 * it reads the counter, stores it to cs->tc, optionally stores its thread
 * pointer to cs->tp and, if cs->want_cpu, the CPU it runs on to cs->cpu
 * (getcpu); then it leaves with exit(0). It never returns into C, so
 * a vfork child cannot clobber the parent's stack frame and a child running
 * with a foreign TLS block never reads a stack-protector canary.
 *
 * cs must point into memory the parent can read after the child is gone:
 * a MAP_SHARED mapping (for children with their own address space) or any
 * memory (for CLONE_VM children).
 */
#ifndef PB_ARCH_CHILD_H
#define PB_ARCH_CHILD_H

#include <stddef.h>
#include <stdint.h>

/* Offsets are used by the asm: keep them in step with the _Static_asserts. */
#define PB_AFF_MASK_BYTES 128 /* 1024 CPUs */

struct pb_child_stamp {
	volatile uint64_t tc;      /* 0:  counter at the child's first instruction  */
	volatile uint64_t tp;      /* 8:  thread pointer the child saw              */
	uint64_t tp_mode;          /* 16: PB_TP_READ_* (0: do not read)             */
	uint64_t aff_len;          /* 24: bytes of aff_mask to apply, 0: inherit    */
	volatile uint32_t cpu;     /* 32: CPU the child stamped on (if want_cpu)    */
	uint32_t want_cpu;         /* 36: nonzero: record cpu                       */
	uint64_t pad[3];
	uint8_t aff_mask[PB_AFF_MASK_BYTES]; /* 64: the child's CPU set */
};
_Static_assert(offsetof(struct pb_child_stamp, tc) == 0, "asm uses offset 0");
_Static_assert(offsetof(struct pb_child_stamp, tp) == 8, "asm uses offset 8");
_Static_assert(offsetof(struct pb_child_stamp, tp_mode) == 16, "asm uses offset 16");
_Static_assert(offsetof(struct pb_child_stamp, aff_len) == 24, "asm uses offset 24");
_Static_assert(offsetof(struct pb_child_stamp, cpu) == 32, "asm uses offset 32");
_Static_assert(offsetof(struct pb_child_stamp, want_cpu) == 36, "asm uses offset 36");
_Static_assert(offsetof(struct pb_child_stamp, aff_mask) == 64, "asm uses offset 64");

enum pb_tp_read {
	PB_TP_READ_NONE = 0,
	PB_TP_READ_REGISTER = 1,   /* rdfsbase / mrs tpidr_el0 / mv tp */
	PB_TP_READ_SYSCALL = 2,    /* x86_64 without FSGSBASE: arch_prctl(ARCH_GET_FS) */
};

/*
 * clone3's argument block, size version 0 (64 bytes). Defined here so old
 * libc headers do not matter.
 */
struct pb_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;        /* lowest address of the child's stack */
	uint64_t stack_size;
	uint64_t tls;
};
#define PB_CLONE_ARGS_SIZE_VER0 64
_Static_assert(sizeof(struct pb_clone_args) == PB_CLONE_ARGS_SIZE_VER0, "clone_args v0");

/* vfork(); the child stamps and exits. Returns the pid or -errno. */
long pb_vfork_stamp(struct pb_child_stamp *cs);

/*
 * Legacy clone(flags, stack_top, tls); the child stamps and exits.
 * stack_top == NULL keeps the parent's stack pointer (fork-like clones only).
 * The trampoline hides the per-arch argument order (CLONE_BACKWARDS).
 */
long pb_clone_stamp(unsigned long flags, void *stack_top, unsigned long tls,
		    struct pb_child_stamp *cs);

/* clone3(args, size); the child stamps and exits. */
long pb_clone3_stamp(struct pb_clone_args *args, size_t size, struct pb_child_stamp *cs);

/*
 * vfork() then execve(path, argv, envp) in the child; if execve fails the
 * child exits with the errno value as its status. Returns pid or -errno.
 */
long pb_vfork_exec(const char *path, char *const argv[], char *const envp[]);

#endif
