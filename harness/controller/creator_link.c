// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "creator_link.h"

extern char **environ;

/* A reply later than this means a child or the creator hangs. */
#define REPLY_TIMEOUT_MS 60000
#define MAX_GROUPS 1024

/* Process groups of live creators, for the signal handler. */
static volatile pid_t groups[MAX_GROUPS];

static void forget_group(pid_t pgid)
{
	for (unsigned i = 0; i < MAX_GROUPS; i++)
		if (groups[i] == pgid)
			groups[i] = 0;
}

static void remember_group(pid_t pgid)
{
	for (unsigned i = 0; i < MAX_GROUPS; i++)
		if (!groups[i]) {
			groups[i] = pgid;
			return;
		}
}

/* Kill one creator's group and reap every member (its orphans come back to us). */
static void kill_group(pid_t pgid)
{
	if (pgid <= 0)
		return;
	kill(-pgid, SIGKILL);
	while (waitpid(-pgid, NULL, __WALL) > 0 || errno == EINTR)
		;
	forget_group(pgid);
}

static void (*volatile at_fatal)(void);

void pb_link_at_fatal_signal(void (*fn)(void))
{
	at_fatal = fn;
}

/*
 * Async-signal-safe: kill, waitpid, nanosleep, signal, raise and at_fatal (rmdir) only.
 * The wait for our children is bounded: a child this handler did not kill (one outside every
 * creator's group) must not keep the interrupted run waiting for ever.
 */
static void on_fatal_signal(int sig)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	int saved = errno;

	for (unsigned i = 0; i < MAX_GROUPS; i++)
		if (groups[i] > 0)
			kill(-groups[i], SIGKILL);
	for (int waited = 0; waited < 500;) { /* up to 5 s */
		pid_t p = waitpid(-1, NULL, __WALL | WNOHANG);

		if (p > 0 || (p < 0 && errno == EINTR))
			continue;
		if (p < 0)
			break; /* ECHILD: none left */
		nanosleep(&tick, NULL);
		waited++;
	}
	errno = saved;
	if (at_fatal)
		at_fatal();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The signals on_fatal_signal handles. */
static const int fatal_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void install_once(void)
{
	static int done;
	struct sigaction sa = { .sa_handler = on_fatal_signal };

	if (done)
		return;
	done = 1;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++)
		sigaction(fatal_sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a dead creator shows up as EPIPE instead */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

int pb_fd_above_fixed(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 10);
}

/* Ours: move, closing the original. */
static int fd_above(int fd)
{
	int high = pb_fd_above_fixed(fd);

	close(fd);
	return high;
}

/*
 * vfork + exec rather than posix_spawn: glibc's posix_spawn uses clone3 and
 * falls back only on ENOSYS, so under a seccomp filter that answers EPERM
 * (some container runtimes) the creator could not start at all; vfork is
 * its own system call. The child, in its own process group, puts its
 * descriptors in place and execs; an error is left in `child_errno`, which
 * it shares with us until it execs or exits. Returns 0 or an errno.
 */
static int start_creator(struct pb_creator_link *cr, const struct pb_creator_spec *spec,
			 int shm_fd, int cmd_rd, int reply_wr, const sigset_t *child_mask)
{
	static volatile int child_errno;
	char *argv[] = { "procbench-creator", NULL };
	sigset_t all, old;
	pid_t pid;

	child_errno = 0;
	/* No handler of ours may run in the child while it borrows our memory. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		for (int sig = 1; sig < NSIG; sig++) {
			struct sigaction cur;

			if (!sigaction(sig, NULL, &cur) && cur.sa_handler != SIG_DFL &&
			    cur.sa_handler != SIG_IGN)
				sigaction(sig, &dfl, NULL);
		}
		if (setpgid(0, 0) || dup2(shm_fd, PB_SHM_FD) < 0 || dup2(cmd_rd, PB_CMD_FD) < 0 ||
		    dup2(reply_wr, PB_REPLY_FD) < 0 ||
		    (spec->perf_ctl_fd >= 0 && dup2(spec->perf_ctl_fd, PB_PERF_CTL_FD) < 0) ||
		    (spec->perf_ack_fd >= 0 && dup2(spec->perf_ack_fd, PB_PERF_ACK_FD) < 0)) {
			child_errno = errno;
			_exit(127);
		}
		pthread_sigmask(SIG_SETMASK, child_mask, NULL);
		execve(spec->creator_path, argv, environ);
		child_errno = errno;
		_exit(127);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return errno;
	if (child_errno) {
		int e = child_errno;

		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return e;
	}
	cr->pid = pid;
	return 0;
}

int pb_link_start(struct pb_creator_link *cr, const struct pb_creator_spec *spec, char *err,
		  unsigned len)
{
	struct pb_creator_config *cfg;
	int shm_fd, cmd[2], reply[2];
	sigset_t fatal, mask;
	int r;

	memset(cr, 0, sizeof(*cr));
	cr->cmd_fd = cr->reply_fd = -1;
	if (access(spec->creator_path, X_OK)) {
		snprintf(err, len, "creator %s not found (%s); build it with make", spec->creator_path,
			 strerror(errno));
		return -1;
	}
	shm_fd = memfd_create("procbench-shm", MFD_CLOEXEC);
	if (shm_fd < 0 || ftruncate(shm_fd, PB_SHM_SIZE)) {
		snprintf(err, len, "cannot create shared memory: %s", strerror(errno));
		return -1;
	}
	shm_fd = fd_above(shm_fd);
	cr->shm = mmap(NULL, PB_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
	if (cr->shm == MAP_FAILED || pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC)) {
		snprintf(err, len, "cannot set up the creator's channels: %s", strerror(errno));
		cr->shm = NULL;
		close(shm_fd);
		return -1;
	}
	cmd[0] = fd_above(cmd[0]);
	cmd[1] = fd_above(cmd[1]);
	reply[0] = fd_above(reply[0]);
	reply[1] = fd_above(reply[1]);

	cfg = (struct pb_creator_config *)((char *)cr->shm + PB_SHM_CONFIG_OFF);
	snprintf(cfg->exec_target, sizeof(cfg->exec_target), "%s", spec->exec_target);
	cfg->chain_len = spec->chain_len;
	cfg->cpu = spec->cpu;
	cfg->child_cpu = spec->child_cpu;
	cfg->want_cpu = (uint32_t)spec->want_cpu;
	cfg->perf_ctl = spec->perf_ctl_fd < 0 ? 0 : spec->perf_ack_fd < 0 ? 1 : 2;
	cfg->shape = spec->shape;

	install_once();
	/*
	 * The fatal signals wait until the creator's group is remembered: the handler kills the
	 * groups it knows and then waits for our children, and a creator it did not know would
	 * wait on its command pipe for ever (a SIGINT between the two, on a loaded machine, hung
	 * the run). The creator itself starts with the mask we had.
	 */
	sigemptyset(&fatal);
	for (unsigned i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++)
		sigaddset(&fatal, fatal_sigs[i]);
	pthread_sigmask(SIG_BLOCK, &fatal, &mask);
	r = start_creator(cr, spec, shm_fd, cmd[0], reply[1], &mask);
	if (!r)
		remember_group(cr->pid);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	close(shm_fd);
	close(cmd[0]);
	close(reply[1]);
	if (r) {
		snprintf(err, len, "cannot start the creator %s: %s%s", spec->creator_path, strerror(r),
			 r == EAGAIN ? " (process limit reached: RLIMIT_NPROC or the pids cgroup; every "
				       "method and point has a creator of its own: raise the limit or "
				       "select fewer)"
				     : "");
		close(cmd[1]);
		close(reply[0]);
		munmap(cr->shm, PB_SHM_SIZE);
		cr->shm = NULL;
		cr->pid = 0;
		return -1;
	}
	cr->cmd_fd = cmd[1];
	cr->reply_fd = reply[0];
	return 0;
}

void pb_link_stop(struct pb_creator_link *cr)
{
	int status;

	if (cr->cmd_fd >= 0)
		close(cr->cmd_fd); /* EOF: the creator leaves its loop and exits */
	if (cr->reply_fd >= 0)
		close(cr->reply_fd);
	cr->cmd_fd = cr->reply_fd = -1;
	if (cr->pid > 0) {
		for (int i = 0; i < 200; i++) {
			if (waitpid(cr->pid, &status, WNOHANG) == cr->pid)
				break;
			usleep(5000);
		}
		kill_group(cr->pid); /* whatever is left of it */
		cr->pid = 0;
	}
	if (cr->shm)
		munmap(cr->shm, PB_SHM_SIZE);
	cr->shm = NULL;
}

int pb_link_send(struct pb_creator_link *cr, uint32_t op, unsigned method, uint32_t count,
		 uint32_t flags)
{
	struct pb_cmd cmd = { .op = op, .method = method, .count = count, .flags = flags };

	if (cr->pid <= 0)
		return -1;
	return write(cr->cmd_fd, &cmd, sizeof(cmd)) == sizeof(cmd) ? 0 : -1;
}

/* What a creator's exit status means, in words (harness/protocol/shm.h, enum pb_creator_exit). */
static const char *exit_reason(int code)
{
	switch (code) {
	case PB_EXIT_NOT_STARTED:
		return "it found no shared memory on descriptor 3";
	case PB_EXIT_PIN:
		return "it could not pin itself to its CPU (sched_setaffinity refused: the CPU is "
		       "offline or outside this cgroup's cpuset)";
	case PB_EXIT_NOMEM:
		return "it could not allocate its methods' contexts, or has more methods than the "
		       "protocol allows";
	case PB_EXIT_CHILD_CPU:
		return "the child's CPU number is beyond the 1024 a child stamp can hold";
	case 127:
		return "it could not be executed";
	default:
		return NULL;
	}
}

static int gone(struct pb_creator_link *cr, struct pb_reply *rep)
{
	int status = 0;

	memset(rep, 0, sizeof(*rep));
	rep->status = PB_ERROR;
	if (cr->pid <= 0) {
		snprintf(rep->msg, sizeof(rep->msg), "the creator is gone");
		return -1;
	}
	/* EOF on the reply pipe: the creator, its only writer, has exited. */
	if (waitpid(cr->pid, &status, 0) == cr->pid) {
		if (WIFSIGNALED(status))
			snprintf(rep->msg, sizeof(rep->msg), "the creator was killed by signal %d (%s)",
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
		else if (exit_reason(WEXITSTATUS(status)))
			snprintf(rep->msg, sizeof(rep->msg), "the creator exited with status %d: %s",
				 WEXITSTATUS(status), exit_reason(WEXITSTATUS(status)));
		else
			snprintf(rep->msg, sizeof(rep->msg), "the creator exited with status %d",
				 WEXITSTATUS(status));
	} else {
		snprintf(rep->msg, sizeof(rep->msg), "lost the creator");
	}
	kill_group(cr->pid); /* its children must not outlive it */
	cr->pid = 0;
	return -1;
}

/* Kill a creator that cannot be trusted to answer, and say why in rep: -1. */
__attribute__((format(printf, 3, 4)))
static int kill_and_say(struct pb_creator_link *cr, struct pb_reply *rep, const char *fmt, ...)
{
	va_list ap;

	kill_group(cr->pid);
	cr->pid = 0;
	memset(rep, 0, sizeof(*rep));
	rep->status = PB_ERROR;
	va_start(ap, fmt);
	vsnprintf(rep->msg, sizeof(rep->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int pb_link_wait(struct pb_creator_link *cr, struct pb_reply *rep)
{
	struct pollfd pfd = { .fd = cr->reply_fd, .events = POLLIN };
	ssize_t n;
	int ready;

	if (cr->pid <= 0)
		return gone(cr, rep);
	do
		ready = poll(&pfd, 1, REPLY_TIMEOUT_MS);
	while (ready < 0 && errno == EINTR);
	if (ready == 0)
		return kill_and_say(cr, rep, "no answer from the creator within %d s (a child hangs?); "
					     "killed it and its children",
				    REPLY_TIMEOUT_MS / 1000);
	do
		n = read(cr->reply_fd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	/* Replies arrive whole: another size is another protocol. */
	if (n > 0 && n != sizeof(*rep))
		return kill_and_say(cr, rep, "the creator's reply is %d bytes, not %d: it speaks "
					     "another protocol (a stale build?); rebuild with make",
				    (int)n, (int)sizeof(*rep));
	if (n != sizeof(*rep))
		return gone(cr, rep);
	rep->msg[sizeof(rep->msg) - 1] = 0;
	return 0;
}

int pb_link_cmd(struct pb_creator_link *cr, uint32_t op, unsigned method, uint32_t count,
		struct pb_reply *rep)
{
	if (pb_link_send(cr, op, method, count, 0))
		return gone(cr, rep);
	return pb_link_wait(cr, rep);
}

int pb_link_open(struct pb_creator_link *cr, const struct pb_creator_spec *spec,
		 uint32_t hello_flags, char *err, unsigned len)
{
	const struct pb_hello *h;
	struct pb_reply rep;

	if (pb_link_start(cr, spec, err, len))
		return -1;
	memset((char *)cr->shm + PB_SHM_SAMPLES_OFF, 0, sizeof(struct pb_hello)); /* no stale table */
	if (pb_link_send(cr, PB_OP_HELLO, 0, PB_PROTOCOL_VERSION, hello_flags) ? gone(cr, &rep)
										: pb_link_wait(cr, &rep)) {
		snprintf(err, len, "the creator %s did not answer its hello: %s", spec->creator_path,
			 rep.msg);
		pb_link_stop(cr);
		return -1;
	}
	h = pb_link_hello(cr);
	if (rep.status != PB_OK || h->magic != PB_HELLO_MAGIC || h->version != PB_PROTOCOL_VERSION ||
	    h->nmethods > PB_METHODS_MAX) {
		snprintf(err, len, "the creator %s speaks %s, this procbench protocol %u (a stale "
				   "build?); rebuild both with make",
			 spec->creator_path, rep.status != PB_OK && rep.msg[0] ? rep.msg
					     : "another protocol",
			 PB_PROTOCOL_VERSION);
		pb_link_stop(cr);
		return -1;
	}
	return 0;
}

int pb_link_methods(const struct pb_creator_spec *spec, uint32_t hello_flags,
		    struct pb_method_info *out, unsigned *n, char *err, unsigned len)
{
	struct pb_creator_link cr;
	const struct pb_hello *h;

	if (pb_link_open(&cr, spec, hello_flags, err, len))
		return -1;
	h = pb_link_hello(&cr);
	*n = h->nmethods;
	memcpy(out, h->methods, h->nmethods * sizeof(*out));
	for (unsigned i = 0; i < *n; i++) {
		struct pb_method_info *m = &out[i];

		m->name[sizeof(m->name) - 1] = m->summary[sizeof(m->summary) - 1] = 0;
		m->flags[sizeof(m->flags) - 1] = m->skip[sizeof(m->skip) - 1] = 0;
	}
	pb_link_stop(&cr);
	return 0;
}
