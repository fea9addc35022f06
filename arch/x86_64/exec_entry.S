/* SPDX-License-Identifier: MIT */
/*
 * Entry point of the exec target: the counter is read before anything else
 * runs, then pb_exec_target_start(sp, ticks) takes over. At entry rsp
 * points at argc and is 16-byte aligned; the call leaves it as the psABI
 * expects at a function's first instruction.
 */
	.text
	.globl _start
	.type _start,@function
_start:
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rsp, %rdi
	mov	%rax, %rsi
	xor	%ebp, %ebp
	call	pb_exec_target_start
	hlt
	.size _start, .-_start

	.section .note.GNU-stack,"",@progbits
