// SPDX-License-Identifier: MIT
/* Raw syscalls agree with libc and return -errno without touching errno. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../arch/arch.h"
#include "helpers.h"

int main(void)
{
	int p[2];
	char buf[8] = { 0 };
	long r;

	T_CHECK(pb_syscall0(__NR_getpid) == getpid(), "getpid");
	T_CHECK(pb_syscall0(__NR_gettid) == gettid(), "gettid");
	T_CHECK(pipe(p) == 0, "pipe");
	r = pb_syscall3(__NR_write, p[1], "hello", 5);
	T_CHECK(r == 5, "write returned %ld", r);
	T_CHECK(read(p[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5), "read back");
	errno = 1234;
	r = pb_syscall3(__NR_write, -1, "x", 1);
	T_CHECK(r == -EBADF, "bad fd gives -EBADF, got %ld", r);
	if (strcmp(PB_ARCH_NAME, "generic"))
		T_CHECK(errno == 1234, "errno untouched (%d)", errno);
	/* Six arguments reach the kernel in order: mmap's offset is the sixth. */
	r = pb_syscall6(__NR_mmap, 0, 4096, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 4096 * 3);
	T_CHECK(r > 0 || r < -4095, "mmap with 6 args: %ld", r);
	r = pb_syscall6(__NR_mmap, 0, 4096, 3, 0x22, -1, 1 /* unaligned */);
	T_CHECK(r == -EINVAL, "unaligned offset in arg 6 gives -EINVAL, got %ld", r);
	return t_result();
}
