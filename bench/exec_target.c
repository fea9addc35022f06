// SPDX-License-Identifier: MIT
/*
 * The exec target: a tiny static program without libc. Its entry point
 * belongs to the arch contract (arch/exec_entry.h): it reads the counter
 * before anything else and calls pb_exec_entry() below.
 *
 *   procbench-exec-target SLOT MORE
 *
 * writes the entry stamp into exec slot SLOT of the creator's shared file
 * (inherited as PB_SHM_FD) and, while MORE > 0, re-execs itself as
 * `SLOT+1 MORE-1`. Exit status: 0, or the errno value of what failed.
 */
#include <stdint.h>

#include "../arch/arch.h"
#include "../arch/exec_entry.h"
#include "../harness/protocol/shm.h"

static int parse_uint(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return 0;
}

static void format_uint(char *buf, unsigned v)
{
	char tmp[12];
	int n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = 0;
}

int pb_exec_entry(uint64_t t_entry, int argc, char **argv, char **envp)
{
	unsigned slot, more;
	char slot_buf[12], more_buf[12];
	char *next[4];
	long r;

	if (argc != 3 || parse_uint(argv[1], &slot) || parse_uint(argv[2], &more) ||
	    slot + more >= PB_EXEC_SLOTS)
		return 22; /* EINVAL: not started by the creator */
	r = pb_syscall4(__NR_pwrite64, PB_SHM_FD, &t_entry, sizeof(t_entry),
			PB_SHM_EXEC_OFF + 8 * slot);
	if (r != sizeof(t_entry))
		return r < 0 ? (int)-r : 5 /* EIO */;
	if (!more)
		return 0;
	format_uint(slot_buf, slot + 1);
	format_uint(more_buf, more - 1);
	next[0] = argv[0];
	next[1] = slot_buf;
	next[2] = more_buf;
	next[3] = 0;
	r = pb_syscall3(__NR_execve, argv[0], next, envp);
	return (int)-r;
}
