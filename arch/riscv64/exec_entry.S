/* SPDX-License-Identifier: MIT */
/*
 * Exec target entry: read the counter first, then set up gp (the linker
 * may relax accesses against it) and call pb_exec_target_start(sp, ticks).
 */
	.text
	.globl _start
	.type _start,@function
_start:
	rdtime	a1
.option push
.option norelax
	la	gp, __global_pointer$
.option pop
	mv	a0, sp
	call	pb_exec_target_start
	ebreak
	.size _start, .-_start

	.section .note.GNU-stack,"",@progbits
