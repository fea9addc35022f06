/* SPDX-License-Identifier: MIT */
/*
 * Runs methods in-process the way the creator does: the shared file on
 * PB_SHM_FD (so the exec target can write its slots), one pb_ctx per method.
 * The exec target is found next to the test's folder (build/<arch>/).
 */
#ifndef PB_METHOD_FIXTURE_H
#define PB_METHOD_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "../bench/method.h"

extern char **environ;

struct fixture {
	void *shm;
	char exec_target[4096];
};

static inline int fixture_init(struct fixture *fx)
{
	char self[4000];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	int fd;

	if (n <= 0)
		return -1;
	self[n] = 0;
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0; /* build/<arch>/tests */
	snprintf(fx->exec_target, sizeof(fx->exec_target), "%s/../procbench-exec-target", self);
	fd = memfd_create("pb-test-shm", 0);
	if (fd < 0 || ftruncate(fd, PB_SHM_SIZE))
		return -1;
	if (fd != PB_SHM_FD) {
		if (dup2(fd, PB_SHM_FD) < 0)
			return -1;
		close(fd);
	}
	fx->shm = mmap(NULL, PB_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, PB_SHM_FD, 0);
	return fx->shm == MAP_FAILED ? -1 : 0;
}

static inline void fixture_ctx(struct fixture *fx, struct pb_ctx *ctx, unsigned chain)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->stamp = (struct pb_child_stamp *)((char *)fx->shm + PB_SHM_STAMP_OFF);
	ctx->exec_slots = (volatile uint64_t *)((char *)fx->shm + PB_SHM_EXEC_OFF);
	ctx->exec_target = fx->exec_target;
	ctx->envp = environ;
	ctx->chain_len = chain;
	ctx->ops_per_sample = 1;
	ctx->tls_verified = -1;
}

static inline const struct pb_method *fixture_find(const char *name)
{
	for (unsigned i = 0; pb_methods[i]; i++)
		if (!strcmp(pb_methods[i]->name, name))
			return pb_methods[i];
	return NULL;
}

#endif
