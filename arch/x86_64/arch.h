/* SPDX-License-Identifier: MIT */
/*
 * x86_64 contract.
 *
 *   syscall: number in rax; arguments in rdi, rsi, rdx, r10, r8, r9;
 *            result in rax (-4095..-1 is -errno);
 *            the kernel clobbers rcx and r11 (and memory, for the compiler).
 *   counter: rdtsc, ordered after earlier instructions by lfence. The TSC
 *            is not architecturally a clock: its rate is calibrated and its
 *            cross-CPU consistency depends on constant_tsc/nonstop_tsc.
 *   TLS:     CLONE_SETTLS sets the FS base (variant II: FS points at the
 *            TCB, whose first word points to itself).
 */
#ifndef PB_ARCH_X86_64_H
#define PB_ARCH_X86_64_H

#include <stdint.h>
#include <asm/unistd.h>

#define PB_ARCH_NAME "x86_64"
#define PB_COUNTER_NAME "rdtsc"
/* The kernel trace clock --trace reads beside it (the TSC itself: a trace stamp and a counter stamp are the same count). */
#define PB_TRACE_CLOCK "x86-tsc"
#define PB_TRACE_CLOCK_IS_COUNTER 1
#define PB_HAVE_TP_READ 1

static inline long pb_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}


/* lfence keeps rdtsc from running ahead of the instructions before it. */
static inline uint64_t pb_counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* The TSC rate is not architectural here: always calibrate. */
static inline uint64_t pb_counter_hz_hint(void)
{
	return 0;
}

/* rdfsbase faults unless CR4.FSGSBASE is set; use the syscall, it always works. */
static inline uintptr_t pb_thread_pointer(void)
{
	unsigned long fs = 0;

	pb_syscall6(__NR_arch_prctl, 0x1003 /* ARCH_GET_FS */, (long)&fs, 0, 0, 0, 0);
	return fs;
}

/* AT_HWCAP2 bit 1 (HWCAP2_FSGSBASE): the kernel enabled rdfsbase for user space. */
static inline int pb_tp_read_mode(unsigned long hwcap2)
{
	return (hwcap2 & 2) ? 1 /* PB_TP_READ_REGISTER */ : 2 /* PB_TP_READ_SYSCALL */;
}

/* Variant II: the TCB sits at the block's middle and points to itself. */
static inline uintptr_t pb_tls_block_init(void *block, unsigned long size)
{
	uintptr_t tcb = ((uintptr_t)block + size / 2) & ~(uintptr_t)63;

	*(uintptr_t *)tcb = tcb;
	return tcb;
}

#endif
