/* SPDX-License-Identifier: MIT */
/*
 * riscv64 child-entry trampolines (contract in arch/child.h).
 *
 * ABI facts relied on: `ecall` changes only a0, so t3-t5 carry values into
 * the child. No fork/vfork syscall: vfork is
 * clone(CLONE_VM|CLONE_VFORK|SIGCHLD, 0). Legacy clone uses the
 * CLONE_BACKWARDS order: flags, newsp, parent_tid, tls, child_tid.
 * The child paths never touch the stack.
 */
#include <asm/unistd.h>

#define PB_VFORK_FLAGS 0x4111	/* CLONE_VM 0x100 | CLONE_VFORK 0x4000 | SIGCHLD 17 */

	.text

/* Child path, cs in t3: place, stamp, record tp and CPU if asked, exit(0). */
	.type pb_child_path,@function
pb_child_path:
	ld	a1, 24(t3)		/* aff_len */
	beqz	a1, 0f
	li	a0, 0
	addi	a2, t3, 64
	li	a7, __NR_sched_setaffinity
	ecall
0:	fence	rw, rw
	rdtime	t4
	sd	t4, 0(t3)
	ld	t5, 16(t3)
	beqz	t5, 1f
	sd	tp, 8(t3)
1:	lwu	t5, 36(t3)		/* want_cpu */
	beqz	t5, 2f
	addi	a0, t3, 32
	li	a1, 0
	li	a2, 0
	li	a7, __NR_getcpu
	ecall
2:	li	a0, 0
	li	a7, __NR_exit
	ecall
	ebreak
	.size pb_child_path, .-pb_child_path

/* long pb_vfork_stamp(cs [a0]) */
	.globl pb_vfork_stamp
	.type pb_vfork_stamp,@function
pb_vfork_stamp:
	mv	t3, a0
	li	a0, PB_VFORK_FLAGS
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a7, __NR_clone
	ecall
	beqz	a0, pb_child_path
	ret
	.size pb_vfork_stamp, .-pb_vfork_stamp

/* long pb_clone_stamp(flags [a0], stack_top [a1], tls [a2], cs [a3]) */
	.globl pb_clone_stamp
	.type pb_clone_stamp,@function
pb_clone_stamp:
	mv	t3, a3
	mv	a3, a2			/* tls is argument 4 under CLONE_BACKWARDS */
	li	a2, 0
	li	a4, 0
	li	a7, __NR_clone
	ecall
	beqz	a0, pb_child_path
	ret
	.size pb_clone_stamp, .-pb_clone_stamp

/* long pb_clone3_stamp(args [a0], size [a1], cs [a2]) */
	.globl pb_clone3_stamp
	.type pb_clone3_stamp,@function
pb_clone3_stamp:
	mv	t3, a2
	li	a7, __NR_clone3
	ecall
	beqz	a0, pb_child_path
	ret
	.size pb_clone3_stamp, .-pb_clone3_stamp

/* long pb_vfork_exec(path [a0], argv [a1], envp [a2]) */
	.globl pb_vfork_exec
	.type pb_vfork_exec,@function
pb_vfork_exec:
	mv	t3, a0
	mv	t4, a1
	mv	t5, a2
	li	a0, PB_VFORK_FLAGS
	li	a1, 0
	li	a2, 0
	li	a3, 0
	li	a4, 0
	li	a7, __NR_clone
	ecall
	beqz	a0, 1f
	ret
1:	mv	a0, t3
	mv	a1, t4
	mv	a2, t5
	li	a7, __NR_execve
	ecall
	neg	a0, a0			/* exit status = errno of the failed execve */
	li	a7, __NR_exit
	ecall
	ebreak
	.size pb_vfork_exec, .-pb_vfork_exec

	.section .note.GNU-stack,"",@progbits
