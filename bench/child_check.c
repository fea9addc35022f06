// SPDX-License-Identifier: MIT
/* Helpers every method shares: reaping, checking the child ran, exec argv, probes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "method.h"

void pb_child_place(struct pb_child_stamp *cs)
{
	if (cs->aff_len)
		pb_syscall3(__NR_sched_setaffinity, 0, cs->aff_len, cs->aff_mask);
}

void pb_child_note_cpu(struct pb_child_stamp *cs)
{
	unsigned cpu;

	if (cs->want_cpu && pb_syscall3(__NR_getcpu, &cpu, 0, 0) == 0)
		cs->cpu = cpu;
}

int pb_fail(struct pb_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *errno_hint(long err)
{
	switch (err) {
	case EAGAIN:
		return " (process limit reached: RLIMIT_NPROC or the pids cgroup; raise it)";
	case ENOSYS:
		return " (this kernel does not implement it)";
	case ENOMEM:
		return " (out of memory or address space)";
	default:
		return "";
	}
}

int pb_fail_errno(struct pb_ctx *ctx, const char *what, long neg_errno)
{
	long err = -neg_errno;

	return pb_fail(ctx, "%s failed: %s%s", what, strerror((int)err), errno_hint(err));
}

static int wait_status(long pid, int *status)
{
	long r;

	do
		r = pb_syscall4(__NR_wait4, pid, status, __WALL, 0);
	while (r == -EINTR);
	return r < 0 ? (int)r : 0;
}

static void describe_status(int status, char *buf, unsigned len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d (as an errno: %s)", WEXITSTATUS(status),
			 strerror(WEXITSTATUS(status)));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended with wait status 0x%x", status);
}

int pb_reap(struct pb_ctx *ctx, long pid, const char *what)
{
	int status = 0;
	int r = wait_status(pid, &status);
	char desc[128];

	if (r < 0)
		return pb_fail_errno(ctx, "wait4", r);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	describe_status(status, desc, sizeof(desc));
	return pb_fail(ctx, "%s: child %s", what, desc);
}

int pb_check_child_ran(struct pb_ctx *ctx, uint64_t tc, const char *what)
{
	if (tc == 0)
		return pb_fail(ctx, "%s: the child exited without writing its stamp", what);
	return 0;
}

/* A creation that fails for lack of resources is an error, not a platform limit. */
static const char *probe_failed(struct pb_ctx *ctx, const char *what, long err, char *buf,
				unsigned len)
{
	ctx->probe_error = err == EAGAIN || err == ENOMEM;
	snprintf(buf, len, "%s failed: %s%s", what, strerror((int)err), errno_hint(err));
	return buf;
}

int pb_finish_child(struct pb_ctx *ctx, struct pb_sample *s, long pid,
		    const volatile uint64_t *tc, const char *what)
{
	if (pid < 0)
		return pb_fail_errno(ctx, what, pid);
	if (pb_reap(ctx, pid, what))
		return -1;
	s->t2 = pb_counter();
	s->tc = *tc;
	return pb_check_child_ran(ctx, s->tc, what);
}

static void utoa(char *buf, unsigned v)
{
	snprintf(buf, 16, "%u", v);
}

void pb_exec_argv(struct pb_ctx *ctx, char *argv[4], char bufs[2][16], unsigned slot,
		  unsigned more)
{
	utoa(bufs[0], slot);
	utoa(bufs[1], more);
	argv[0] = (char *)ctx->exec_target;
	argv[1] = bufs[0];
	argv[2] = bufs[1];
	argv[3] = NULL;
}

const char *pb_exec_probe(struct pb_ctx *ctx, char *buf, unsigned len)
{
	char *argv[4], bufs[2][16], desc[128];
	int status = 0;
	pid_t pid;

	if (access(ctx->exec_target, X_OK) != 0) {
		snprintf(buf, len, "exec target %s is not executable (%s); run make", ctx->exec_target,
			 strerror(errno));
		return buf;
	}
	pb_exec_argv(ctx, argv, bufs, 0, 0);
	ctx->exec_slots[0] = 0;
	pid = fork();
	if (pid < 0)
		return probe_failed(ctx, "fork", errno, buf, len);
	if (pid == 0) {
		execve(argv[0], argv, ctx->envp);
		_exit(errno);
	}
	if (wait_status(pid, &status) < 0) {
		snprintf(buf, len, "wait4 failed");
		return buf;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		describe_status(status, desc, sizeof(desc));
		snprintf(buf, len, "cannot exec the target %s: it %s%s", ctx->exec_target, desc,
			 WIFEXITED(status) && WEXITSTATUS(status) == ENOEXEC
				 ? " (a foreign binary under qemu-user cannot exec another)"
				 : "");
		return buf;
	}
	if (ctx->exec_slots[0] == 0) {
		snprintf(buf, len, "the exec target ran but did not write its stamp");
		return buf;
	}
	return NULL;
}

const char *pb_vm_share_probe(struct pb_ctx *ctx, long pid, const struct pb_child_stamp *private_cs,
			      const char *what, char *buf, unsigned len)
{
	int status;

	if (pid < 0)
		return probe_failed(ctx, what, -pid, buf, len);
	if (wait_status(pid, &status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(buf, len, "%s: probe child did not exit cleanly", what);
		return buf;
	}
	if (private_cs->tc == 0) {
		snprintf(buf, len,
			 "%s does not share memory with the parent here (emulated as fork, "
			 "e.g. under qemu-user)",
			 what);
		return buf;
	}
	return NULL;
}

void *pb_map_stack(unsigned long size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}
