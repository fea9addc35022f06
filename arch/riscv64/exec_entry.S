/* SPDX-License-Identifier: MIT */
/*
 * Exec target entry (arch/exec_entry.h): read the counter first, set up gp
 * (the linker may relax accesses against it), then
 * pb_exec_entry(ticks, argc, argv, envp) and exit_group with its result.
 * At entry sp points at argc, then argv[], NULL, envp[].
 */
	.text
	.globl _start
	.type _start,@function
_start:
	rdtime	a0			/* t_entry */
.option push
.option norelax
	la	gp, __global_pointer$
.option pop
	ld	a1, 0(sp)		/* argc */
	addi	a2, sp, 8		/* argv */
	slli	t0, a1, 3
	add	a3, a2, t0
	addi	a3, a3, 8		/* envp = argv + argc + 1 */
	call	pb_exec_entry
	li	a7, 94			/* exit_group; the status is already in a0 */
	ecall
	ebreak
	.size _start, .-_start

	.section .note.GNU-stack,"",@progbits
