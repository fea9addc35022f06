// SPDX-License-Identifier: MIT
/*
 * Generic exec target entry (arch/exec_entry.h): libc's start-up runs
 * first, so tc includes it; the program's status is pb_exec_entry's.
 */
#include <stdint.h>

#include "../arch.h"
#include "../exec_entry.h"

int main(int argc, char **argv, char **envp)
{
	uint64_t t = pb_counter();

	return pb_exec_entry(t, argc, argv, envp);
}
