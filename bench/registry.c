// SPDX-License-Identifier: MIT
/* The one list of methods, in the order results show them. */
#include "method.h"

extern const struct pb_method pb_method_fork, pb_method_fork_raw, pb_method_vfork,
	pb_method_clone, pb_method_clone_vm_vfork, pb_method_clone3, pb_method_clone3_settls,
	pb_method_posix_spawn, pb_method_execve_fork, pb_method_execve_vfork,
	pb_method_execve_chain, pb_method_null, pb_method_pidfd_waitid, pb_method_pidfd_poll,
	pb_method_pidfd_open, pb_method_thread_pthread, pb_method_thread_clone3,
	pb_method_uring_sqpoll, pb_method_uring_ring, pb_method_uring_iowq_cold,
	pb_method_uring_iowq_warm, pb_method_uring_waitid, pb_method_uring_waitid_batch,
	pb_method_kthread_run, pb_method_kthread_stop, pb_method_kthread_worker;

const struct pb_method *const pb_methods[] = {
	&pb_method_fork,
	&pb_method_fork_raw,
	&pb_method_vfork,
	&pb_method_clone,
	&pb_method_clone_vm_vfork,
	&pb_method_clone3,
	&pb_method_clone3_settls,
	&pb_method_posix_spawn,
	&pb_method_execve_fork,
	&pb_method_execve_vfork,
	&pb_method_execve_chain,
	&pb_method_pidfd_waitid,
	&pb_method_pidfd_poll,
	&pb_method_pidfd_open,
	&pb_method_thread_pthread,
	&pb_method_thread_clone3,
	&pb_method_uring_sqpoll,
	&pb_method_uring_ring,
	&pb_method_uring_iowq_cold,
	&pb_method_uring_iowq_warm,
	&pb_method_uring_waitid,
	&pb_method_uring_waitid_batch,
	&pb_method_kthread_run,
	&pb_method_kthread_stop,
	&pb_method_kthread_worker,
	&pb_method_null,
	NULL,
};

unsigned pb_method_count(void)
{
	unsigned n = 0;

	while (pb_methods[n])
		n++;
	return n;
}
