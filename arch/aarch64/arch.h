/* SPDX-License-Identifier: MIT */
/*
 * aarch64 contract.
 *
 *   syscall: `svc #0`; number in x8; arguments in x0-x5; result in x0.
 *            Nothing but x0 is clobbered.
 *   counter: cntvct_el0, the virtual system counter, after an isb so it is
 *            not read early. It ticks at cntfrq_el0 (timer rate, not CPU
 *            cycles) and is the same on every CPU.
 *   TLS:     CLONE_SETTLS sets tpidr_el0 (variant I: TP points at a 16-byte
 *            TCB, TLS data follows).
 */
#ifndef PB_ARCH_AARCH64_H
#define PB_ARCH_AARCH64_H

#include <stdint.h>
#include <asm/unistd.h>

#define PB_ARCH_NAME "aarch64"
#define PB_COUNTER_NAME "cntvct_el0"
/* The kernel trace clock --trace reads beside it (no trace clock reads cntvct_el0: CLOCK_MONOTONIC_RAW ns, stamps mapped onto it). */
#define PB_TRACE_CLOCK "mono_raw"
#define PB_TRACE_CLOCK_IS_COUNTER 0
#define PB_HAVE_TP_READ 1

static inline long pb_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory", "cc");
	return x0;
}


static inline uint64_t pb_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/* cntfrq_el0 is set by firmware; still cross-checked by calibration. */
static inline uint64_t pb_counter_hz_hint(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

static inline uintptr_t pb_thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	return tp;
}

static inline int pb_tp_read_mode(unsigned long hwcap2)
{
	(void)hwcap2;
	return 1; /* PB_TP_READ_REGISTER */
}

/* Variant I: TP points at the 16-byte TCB at the start of the block. */
static inline uintptr_t pb_tls_block_init(void *block, unsigned long size)
{
	(void)size;
	return ((uintptr_t)block + 63) & ~(uintptr_t)63;
}

#endif
