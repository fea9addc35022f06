/* SPDX-License-Identifier: MIT */
/*
 * The one place that picks the architecture. Every arch/<arch>/arch.h
 * provides the same contract:
 *
 *   pb_syscall6(nr, a..f)     raw syscall, returns the result or -errno;
 *                             never touches errno (safe in vfork/CLONE_VM
 *                             children and in code without libc)
 *   pb_counter()              cycle/tick counter read with the fences it needs
 *   PB_COUNTER_NAME           what pb_counter() reads, for results
 *   pb_counter_hz_hint()      architectural frequency, or 0 (calibrate)
 *   pb_thread_pointer()       this thread's thread-pointer register
 *   PB_HAVE_TP_READ           1 when the child trampolines can read the
 *                             thread pointer (clone3-settls needs it)
 *   pb_tls_block_init()       lay out a TLS block the way this arch's libc
 *                             would and return the value CLONE_SETTLS takes
 *   pb_tp_read_mode()         how the child should read its thread pointer
 *
 * and the child-entry trampolines declared in arch/child.h.
 */
#ifndef PB_ARCH_H
#define PB_ARCH_H

#if defined(PB_FORCE_GENERIC)
#include "generic/arch.h"
#elif defined(__x86_64__)
#include "x86_64/arch.h"
#elif defined(__aarch64__)
#include "aarch64/arch.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "riscv64/arch.h"
#else
#include "generic/arch.h"
#endif

/* Fewer arguments: the unused registers are passed as zero. */
#define pb_syscall0(n) pb_syscall6((n), 0, 0, 0, 0, 0, 0)
#define pb_syscall1(n, a) pb_syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define pb_syscall2(n, a, b) pb_syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define pb_syscall3(n, a, b, c) pb_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define pb_syscall4(n, a, b, c, d) \
	pb_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define pb_syscall5(n, a, b, c, d, e) \
	pb_syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#include "child.h"

#endif
