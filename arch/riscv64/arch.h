/* SPDX-License-Identifier: MIT */
/*
 * riscv64 contract.
 *
 *   syscall: `ecall`; number in a7; arguments in a0-a5; result in a0.
 *            Nothing but a0 is clobbered.
 *   counter: rdtime (the time CSR, same on every CPU; its rate is the
 *            devicetree's timebase-frequency, so calibrate). rdcycle traps
 *            on Linux 6.6+ unless perf_user_access allows it: not used.
 *   TLS:     CLONE_SETTLS sets tp (x4) (variant I: TP points just past the TCB).
 */
#ifndef PB_ARCH_RISCV64_H
#define PB_ARCH_RISCV64_H

#include <stdint.h>
#include <asm/unistd.h>

#define PB_ARCH_NAME "riscv64"
#define PB_COUNTER_NAME "rdtime"
/* The kernel trace clock --trace reads beside it (no trace clock reads the time CSR: CLOCK_MONOTONIC_RAW ns, stamps mapped onto it). */
#define PB_TRACE_CLOCK "mono_raw"
#define PB_TRACE_CLOCK_IS_COUNTER 0
#define PB_HAVE_TP_READ 1

static inline long pb_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}


/* The fence keeps earlier memory accesses from drifting past the read. */
static inline uint64_t pb_counter(void)
{
	uint64_t v;

	__asm__ volatile("fence rw, rw\n\trdtime %0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t pb_counter_hz_hint(void)
{
	return 0;
}

static inline uintptr_t pb_thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

static inline int pb_tp_read_mode(unsigned long hwcap2)
{
	(void)hwcap2;
	return 1; /* PB_TP_READ_REGISTER */
}

/* Variant I with TP just past a 16-byte TCB. */
static inline uintptr_t pb_tls_block_init(void *block, unsigned long size)
{
	(void)size;
	return (((uintptr_t)block + 63) & ~(uintptr_t)63) + 16;
}

#endif
