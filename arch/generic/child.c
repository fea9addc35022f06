// SPDX-License-Identifier: MIT
/*
 * Generic child trampolines through libc's vfork(), clone() and syscall().
 * The children only store to memory and call _exit, which is what vfork
 * allows. Built without the stack protector: a child may run with a TLS
 * block that carries no canary.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "../arch.h"

static void stamp(struct pb_child_stamp *cs)
{
	unsigned cpu;

	if (cs->aff_len)
		syscall(SYS_sched_setaffinity, 0, cs->aff_len, cs->aff_mask);
	cs->tc = pb_counter();
	if (cs->want_cpu && syscall(SYS_getcpu, &cpu, NULL, NULL) == 0)
		cs->cpu = cpu;
}

long pb_vfork_stamp(struct pb_child_stamp *cs)
{
	pid_t pid = vfork();

	if (pid == 0) {
		stamp(cs);
		_exit(0);
	}
	return pid < 0 ? -errno : pid;
}

static int clone_child(void *arg)
{
	stamp(arg);
	return 0;
}

long pb_clone_stamp(unsigned long flags, void *stack_top, unsigned long tls,
		    struct pb_child_stamp *cs)
{
	long pid;

	if (stack_top) {
		pid = clone(clone_child, stack_top, (int)flags, cs, NULL, (void *)tls, NULL);
		return pid < 0 ? -errno : pid;
	}
	/* No new stack: only fork-like flags, so returning into C is safe. */
	if (flags & CLONE_VM)
		return -EINVAL;
	pid = syscall(SYS_clone, flags, 0, 0, 0, 0);
	if (pid == 0) {
		stamp(cs);
		_exit(0);
	}
	return pid < 0 ? -errno : pid;
}

long pb_clone3_stamp(struct pb_clone_args *args, size_t size, struct pb_child_stamp *cs)
{
	long pid;

	/* Without asm the child can only continue in C on a copied address space. */
	if (args->flags & (CLONE_VM | CLONE_SETTLS))
		return -EINVAL;
	pid = syscall(SYS_clone3, args, size);
	if (pid == 0) {
		stamp(cs);
		_exit(0);
	}
	return pid < 0 ? -errno : pid;
}

long pb_vfork_exec(const char *path, char *const argv[], char *const envp[])
{
	pid_t pid = vfork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(errno);
	}
	return pid < 0 ? -errno : pid;
}
