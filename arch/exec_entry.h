/* SPDX-License-Identifier: MIT */
/*
 * The exec target's entry point, part of the arch contract. Each
 * arch/<arch>/exec_entry.* provides the program's first instruction
 * (_start; main in arch/generic/, where libc starts first): it reads the
 * counter before anything else, takes argc, argv and envp from the initial
 * stack, calls pb_exec_entry() and leaves with exit_group() of its result.
 *
 * The program linked with it (bench/exec_target.c) implements
 * pb_exec_entry(); arch/ knows nothing more of it. On the asm arches there
 * is no libc: the callee may use only what arch/arch.h gives it.
 */
#ifndef PB_ARCH_EXEC_ENTRY_H
#define PB_ARCH_EXEC_ENTRY_H

#include <stdint.h>

int pb_exec_entry(uint64_t t_entry, int argc, char **argv, char **envp);

#endif
