/* SPDX-License-Identifier: MIT */
/*
 * Exec target entry (arch/exec_entry.h): read the counter first, then
 * pb_exec_entry(ticks, argc, argv, envp) and exit_group with its result.
 * At entry rsp points at argc, then argv[], NULL, envp[]; it is 16-byte
 * aligned, and the call leaves it as the psABI expects at a function's
 * first instruction.
 */
	.text
	.globl _start
	.type _start,@function
_start:
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %rdi		/* t_entry */
	mov	(%rsp), %esi		/* argc */
	lea	8(%rsp), %rdx		/* argv */
	lea	16(%rsp,%rsi,8), %rcx	/* envp = argv + argc + 1 */
	xor	%ebp, %ebp
	call	pb_exec_entry
	mov	%eax, %edi
	mov	$231, %eax		/* exit_group */
	syscall
	hlt
	.size _start, .-_start

	.section .note.GNU-stack,"",@progbits
