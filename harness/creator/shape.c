// SPDX-License-Identifier: MIT
/*
 * Runs inside the creator: grow it into the requested shape. Raw mbind
 * instead of libnuma, so the specimen links nothing extra (the controller
 * validated the node with libnuma).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "../../arch/arch.h"
#include "shape.h"

#define PB_MPOL_BIND 2

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int fail(char *err, unsigned len, const char *what, int e)
{
	snprintf(err, len, "%s: %s", what, strerror(e));
	return -1;
}

static int shape_memory(const struct pb_shape *s, char *err, unsigned len)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t pages = (s->rss + (uint64_t)page - 1) / (uint64_t)page;
	uint32_t vmas = s->vmas;
	uint64_t per, done = 0;

	if (!s->rss)
		return 0;
	if (!vmas || vmas > pages) {
		snprintf(err, len, "--vmas %u needs at least %u pages of --rss", vmas, vmas);
		return -1;
	}
	per = pages / vmas;
	for (uint32_t i = 0; i < vmas; i++) {
		uint64_t n = (i == vmas - 1 ? pages - done : per) * (uint64_t)page;
		char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);

		if (p == MAP_FAILED)
			return fail(err, len, "mmap of the parent's memory", errno);
		if (s->thp != PB_THP_DEFAULT &&
		    madvise(p, n, s->thp == PB_THP_ON ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
			return fail(err, len, "madvise (transparent huge pages)", errno);
		if (s->mem_node >= 0) {
			unsigned long mask[16] = { 0 };
			long r;

			if (s->mem_node >= (int)(sizeof(mask) * 8))
				return fail(err, len, "mbind", EINVAL);
			mask[s->mem_node / 64] = 1ul << (s->mem_node % 64);
			r = pb_syscall6(__NR_mbind, (long)p, (long)n, PB_MPOL_BIND, (long)mask,
					sizeof(mask) * 8, 0);
			if (r < 0)
				return fail(err, len, "mbind to the requested node", (int)-r);
		}
		if (s->touch)
			for (uint64_t off = 0; off < n; off += (uint64_t)page)
				p[off] = 1;
		/* Neighbours with other protections cannot merge into one VMA. */
		if (vmas > 1 && (i & 1) && mprotect(p, n, PROT_READ))
			return fail(err, len, "mprotect", errno);
		done += n / (uint64_t)page;
	}
	return 0;
}

int pb_shape_apply(const struct pb_shape *s, char *err, unsigned len)
{
	pthread_attr_t attr;

	if (shape_memory(s, err, len))
		return -1;
	for (uint32_t i = 0; i < s->fds; i++)
		if (open("/dev/null", O_RDONLY | (s->fds_cloexec ? O_CLOEXEC : 0)) < 0)
			return fail(err, len, "opening --fds descriptors (raise ulimit -n)", errno);
	if (s->threads) {
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		for (uint32_t i = 0; i < s->threads; i++) {
			pthread_t t;
			int r = pthread_create(&t, &attr, idle_thread, NULL);

			if (r) {
				/* The controller checked the limits first; others may have taken the room since. */
				snprintf(err, len, "creating --threads threads: thread %u of %u: %s%s", i + 1,
					 s->threads, strerror(r),
					 r == EAGAIN ? " (a task limit: ulimit -u, kernel.threads-max, "
						       "kernel.pid_max or the cgroup's pids.max)"
						     : "");
				return -1;
			}
		}
		pthread_attr_destroy(&attr);
	}
	return 0;
}
