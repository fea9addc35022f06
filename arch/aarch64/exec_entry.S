/* SPDX-License-Identifier: MIT */
/* Exec target entry: read the counter first, then pb_exec_target_start(sp, ticks). */
	.text
	.globl _start
	.type _start,%function
_start:
	isb
	mrs	x1, cntvct_el0
	mov	x0, sp
	mov	x29, #0
	mov	x30, #0
	bl	pb_exec_target_start
	brk	#0
	.size _start, .-_start

	.section .note.GNU-stack,"",%progbits
