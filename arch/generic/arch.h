/* SPDX-License-Identifier: MIT */
/*
 * Generic fallback: the same contract through libc. syscall(2) still
 * returns -1/errno, so pb_syscallN converts to -errno (and so does touch
 * errno: do not use it where errno is unsafe). The counter is
 * CLOCK_MONOTONIC_RAW in nanoseconds. The thread pointer cannot be read
 * portably, so clone3-settls reports a skip here.
 */
#ifndef PB_ARCH_GENERIC_H
#define PB_ARCH_GENERIC_H

#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define PB_ARCH_NAME "generic"
#define PB_COUNTER_NAME "clock_gettime(CLOCK_MONOTONIC_RAW)"
/* The kernel trace clock --trace reads beside it (the counter is CLOCK_MONOTONIC_RAW already, but in ns: stamps mapped). */
#define PB_TRACE_CLOCK "mono_raw"
#define PB_TRACE_CLOCK_IS_COUNTER 0
#define PB_HAVE_TP_READ 0

static inline long pb_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}


static inline uint64_t pb_counter(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t pb_counter_hz_hint(void)
{
	return 1000000000u;
}

static inline uintptr_t pb_thread_pointer(void)
{
	return 0;
}

static inline int pb_tp_read_mode(unsigned long hwcap2)
{
	(void)hwcap2;
	return 0; /* PB_TP_READ_NONE */
}

static inline uintptr_t pb_tls_block_init(void *block, unsigned long size)
{
	(void)size;
	return (uintptr_t)block;
}

#endif
