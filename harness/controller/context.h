/* SPDX-License-Identifier: MIT */
#ifndef PB_CONTEXT_H
#define PB_CONTEXT_H

#include <sys/types.h>

#include "options.h"
#include "../report/record.h"

/* Fill what is known before the creator starts. */
void pb_context_init(struct pb_context *c, const struct pb_options *o);
/*
 * The caller's --context pairs into c, each value checked (text: UTF-8;
 * @FILE: a regular file of at most 1 MiB holding one JSON value): 0, or -1
 * with the one-line reason in err. pb_context_free frees what it kept.
 */
int pb_context_caller(struct pb_context *c, const struct pb_options *o, char *err, size_t len);
void pb_context_free(struct pb_context *c);
/* Read the creator's shape from /proc/PID and its executable's ELF header. */
void pb_creator_shape_read(struct pb_creator_shape *s, pid_t pid);
/* Is the ELF file at path statically linked (no PT_INTERP)? 1/0, -1 unknown. */
int pb_elf_is_static(const char *path);
/* Directory of the running executable, for finding the creator. */
int pb_self_dir(char *buf, size_t len);
/*
 * The creator's path (beside this executable) into creator, and the exec
 * target's (--exec-target, else beside it) into c->exec_target: 0 or -1.
 */
int pb_programs_locate(struct pb_context *c, const struct pb_options *o, char *creator,
		       size_t len);

#endif
