// SPDX-License-Identifier: MIT
/* The one list of methods, in the order results show them. */
#include "method.h"

/*
 * Each line names one method's descriptor, pb_method_<line> (bench/<file>.c ends in it): a
 * new method is its file and one line here.
 */
#define PB_METHOD_LIST(X) \
	X(fork) \
	X(fork_raw) \
	X(vfork) \
	X(clone) \
	X(clone_vm_vfork) \
	X(clone3) \
	X(clone3_settls) \
	X(posix_spawn) \
	X(execve_fork) \
	X(execve_vfork) \
	X(execve_chain) \
	X(pidfd_waitid) \
	X(pidfd_poll) \
	X(pidfd_open) \
	X(thread_pthread) \
	X(thread_clone3) \
	X(uring_sqpoll) \
	X(uring_ring) \
	X(uring_iowq_cold) \
	X(uring_iowq_warm) \
	X(uring_waitid) \
	X(uring_waitid_batch) \
	X(kthread_run) \
	X(kthread_stop) \
	X(kthread_worker) \
	X(null)

#define PB_DECLARE(n) extern const struct pb_method pb_method_##n;
PB_METHOD_LIST(PB_DECLARE)

#define PB_ENTRY(n) &pb_method_##n,
const struct pb_method *const pb_methods[] = { PB_METHOD_LIST(PB_ENTRY) NULL };

unsigned pb_method_count(void)
{
	unsigned n = 0;

	while (pb_methods[n])
		n++;
	return n;
}
