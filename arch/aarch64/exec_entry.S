/* SPDX-License-Identifier: MIT */
/*
 * Exec target entry (arch/exec_entry.h): read the counter first, then
 * pb_exec_entry(ticks, argc, argv, envp) and exit_group with its result.
 * At entry sp points at argc, then argv[], NULL, envp[].
 */
	.text
	.globl _start
	.type _start,%function
_start:
	isb
	mrs	x0, cntvct_el0		/* t_entry */
	ldr	x1, [sp]		/* argc */
	add	x2, sp, #8		/* argv */
	add	x3, x2, x1, lsl #3
	add	x3, x3, #8		/* envp = argv + argc + 1 */
	mov	x29, #0
	mov	x30, #0
	bl	pb_exec_entry
	mov	x8, #94			/* exit_group; the status is already in x0 */
	svc	#0
	brk	#0
	.size _start, .-_start

	.section .note.GNU-stack,"",%progbits
