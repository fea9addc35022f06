/* SPDX-License-Identifier: MIT */
/*
 * x86_64 child-entry trampolines (contract in arch/child.h).
 *
 * ABI facts relied on: `syscall` preserves every register except rax, rcx
 * and r11, in the parent and in the child, so values parked in r9 or in
 * the argument registers survive into the child. A child with a new stack
 * starts with rsp = the stack top passed to clone; the child paths below
 * never touch the stack, so they also work on the parent's stack (vfork)
 * and on a copied one (stack_top == NULL).
 */
#include <asm/unistd.h>

	.text

/* Child path, cs in r9: place, stamp, record FS base and CPU if asked, exit(0). */
	.type pb_child_path,@function
pb_child_path:
	mov	24(%r9), %rsi		/* aff_len */
	test	%rsi, %rsi
	jz	0f
	mov	$__NR_sched_setaffinity, %eax
	xor	%edi, %edi
	lea	64(%r9), %rdx
	syscall
0:	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, 0(%r9)
	mov	16(%r9), %rax
	cmp	$1, %rax
	je	1f
	cmp	$2, %rax
	je	2f
	jmp	3f
1:	rdfsbase %rax
	mov	%rax, 8(%r9)
	jmp	3f
2:	mov	$__NR_arch_prctl, %eax
	mov	$0x1003, %edi		/* ARCH_GET_FS */
	lea	8(%r9), %rsi
	syscall
3:	cmpl	$0, 36(%r9)		/* want_cpu */
	je	4f
	mov	$__NR_getcpu, %eax
	lea	32(%r9), %rdi
	xor	%esi, %esi
	xor	%edx, %edx
	syscall
4:	mov	$__NR_exit, %eax
	xor	%edi, %edi
	syscall
	hlt
	.size pb_child_path, .-pb_child_path

/* long pb_vfork_stamp(struct pb_child_stamp *cs [rdi]) */
	.globl pb_vfork_stamp
	.type pb_vfork_stamp,@function
pb_vfork_stamp:
	mov	%rdi, %r9
	mov	$__NR_vfork, %eax
	syscall
	test	%rax, %rax
	jz	pb_child_path
	ret
	.size pb_vfork_stamp, .-pb_vfork_stamp

/*
 * long pb_clone_stamp(flags [rdi], stack_top [rsi], tls [rdx], cs [rcx])
 * clone's default order: flags, newsp, parent_tid, child_tid (r10), tls (r8).
 */
	.globl pb_clone_stamp
	.type pb_clone_stamp,@function
pb_clone_stamp:
	mov	%rcx, %r9
	mov	%rdx, %r8
	xor	%edx, %edx
	xor	%r10d, %r10d
	mov	$__NR_clone, %eax
	syscall
	test	%rax, %rax
	jz	pb_child_path
	ret
	.size pb_clone_stamp, .-pb_clone_stamp

/* long pb_clone3_stamp(args [rdi], size [rsi], cs [rdx]) */
	.globl pb_clone3_stamp
	.type pb_clone3_stamp,@function
pb_clone3_stamp:
	mov	%rdx, %r9
	mov	$__NR_clone3, %eax
	syscall
	test	%rax, %rax
	jz	pb_child_path
	ret
	.size pb_clone3_stamp, .-pb_clone3_stamp

/*
 * long pb_vfork_exec(path [rdi], argv [rsi], envp [rdx])
 * rdi/rsi/rdx survive vfork, so the child passes them straight to execve.
 */
	.globl pb_vfork_exec
	.type pb_vfork_exec,@function
pb_vfork_exec:
	mov	$__NR_vfork, %eax
	syscall
	test	%rax, %rax
	jz	1f
	ret
1:	mov	$__NR_execve, %eax
	syscall
	mov	%rax, %rdi
	neg	%rdi			/* exit status = errno of the failed execve */
	mov	$__NR_exit, %eax
	syscall
	hlt
	.size pb_vfork_exec, .-pb_vfork_exec

	.section .note.GNU-stack,"",@progbits
