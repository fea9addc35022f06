// SPDX-License-Identifier: MIT
/* Generic exec target entry: libc's start-up runs first, so tc includes it. */
#include <stdint.h>

#include "../arch.h"

int pb_exec_target_run(uint64_t t_entry, int argc, char **argv, char **envp);

int main(int argc, char **argv, char **envp)
{
	uint64_t t = pb_counter();

	return pb_exec_target_run(t, argc, argv, envp);
}
