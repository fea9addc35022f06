/* SPDX-License-Identifier: MIT */
#ifndef PB_CONTEXT_H
#define PB_CONTEXT_H

#include <sys/types.h>

#include "options.h"
#include "../report/record.h"

/* Fill what is known before the creator starts. */
void pb_context_init(struct pb_context *c, const struct pb_options *o);
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
