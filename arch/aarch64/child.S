/* SPDX-License-Identifier: MIT */
/*
 * aarch64 child-entry trampolines (contract in arch/child.h).
 *
 * ABI facts relied on: `svc #0` changes only x0, so x9-x11 carry values
 * into the child. There is no fork/vfork syscall: vfork is
 * clone(CLONE_VM|CLONE_VFORK|SIGCHLD, 0). Legacy clone uses the
 * CLONE_BACKWARDS order: flags, newsp, parent_tid, tls, child_tid.
 * The child paths never touch the stack.
 */
#include <asm/unistd.h>

#define PB_VFORK_FLAGS 0x4111	/* CLONE_VM 0x100 | CLONE_VFORK 0x4000 | SIGCHLD 17 */

	.text

/* Child path, cs in x9: place, stamp, record tpidr_el0 and CPU if asked, exit(0). */
	.type pb_child_path,%function
pb_child_path:
	ldr	x1, [x9, #24]		/* aff_len */
	cbz	x1, 0f
	mov	x0, #0
	add	x2, x9, #64
	mov	x8, #__NR_sched_setaffinity
	svc	#0
0:	isb
	mrs	x10, cntvct_el0
	str	x10, [x9]
	ldr	x11, [x9, #16]
	cbz	x11, 1f
	mrs	x10, tpidr_el0
	str	x10, [x9, #8]
1:	ldr	w11, [x9, #36]		/* want_cpu */
	cbz	w11, 2f
	add	x0, x9, #32
	mov	x1, #0
	mov	x2, #0
	mov	x8, #__NR_getcpu
	svc	#0
2:	mov	x0, #0
	mov	x8, #__NR_exit
	svc	#0
	brk	#0
	.size pb_child_path, .-pb_child_path

/* long pb_vfork_stamp(cs [x0]) */
	.globl pb_vfork_stamp
	.type pb_vfork_stamp,%function
pb_vfork_stamp:
	mov	x9, x0
	mov	x0, #PB_VFORK_FLAGS
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	mov	x4, #0
	mov	x8, #__NR_clone
	svc	#0
	cbz	x0, pb_child_path
	ret
	.size pb_vfork_stamp, .-pb_vfork_stamp

/* long pb_clone_stamp(flags [x0], stack_top [x1], tls [x2], cs [x3]) */
	.globl pb_clone_stamp
	.type pb_clone_stamp,%function
pb_clone_stamp:
	mov	x9, x3
	mov	x3, x2			/* tls is argument 4 under CLONE_BACKWARDS */
	mov	x2, #0			/* parent_tid */
	mov	x4, #0			/* child_tid */
	mov	x8, #__NR_clone
	svc	#0
	cbz	x0, pb_child_path
	ret
	.size pb_clone_stamp, .-pb_clone_stamp

/* long pb_clone3_stamp(args [x0], size [x1], cs [x2]) */
	.globl pb_clone3_stamp
	.type pb_clone3_stamp,%function
pb_clone3_stamp:
	mov	x9, x2
	mov	x8, #__NR_clone3
	svc	#0
	cbz	x0, pb_child_path
	ret
	.size pb_clone3_stamp, .-pb_clone3_stamp

/* long pb_vfork_exec(path [x0], argv [x1], envp [x2]) */
	.globl pb_vfork_exec
	.type pb_vfork_exec,%function
pb_vfork_exec:
	mov	x9, x0
	mov	x10, x1
	mov	x11, x2
	mov	x0, #PB_VFORK_FLAGS
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	mov	x4, #0
	mov	x8, #__NR_clone
	svc	#0
	cbz	x0, 1f
	ret
1:	mov	x0, x9
	mov	x1, x10
	mov	x2, x11
	mov	x8, #__NR_execve
	svc	#0
	neg	x0, x0			/* exit status = errno of the failed execve */
	mov	x8, #__NR_exit
	svc	#0
	brk	#0
	.size pb_vfork_exec, .-pb_vfork_exec

	.section .note.GNU-stack,"",%progbits
