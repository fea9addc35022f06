// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "context.h"
#include "runner.h"
#include "shm.h"

extern char **environ;

struct creator {
	pid_t pid;
	int cmd_fd;    /* we write commands */
	int reply_fd;  /* we read replies */
	void *shm;
};

/* Batches aim at this much wall time, so rounds interleave finely. */
#define BATCH_TARGET_S 0.02
/* A reply later than this means a child or the creator hangs. */
#define REPLY_TIMEOUT_MS 60000

/*
 * The creator leads its own process group, so everything it made can be
 * killed at once: on a hang, and from the signal handler when procbench is
 * interrupted (kill and _exit are async-signal-safe).
 */
static volatile pid_t creator_group;

/*
 * Kill the creator's group and reap all of it. procbench is a child
 * subreaper, so the creator's orphaned children come back to it and leave
 * no zombies either.
 */
static void kill_creator_group(void)
{
	if (creator_group > 0) {
		kill(-creator_group, SIGKILL);
		while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
			;
	}
}

static void on_fatal_signal(int sig)
{
	kill_creator_group();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signal_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal };
	int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a dead creator shows up as EPIPE instead */
}

static int fd_above(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);

	close(fd);
	return high;
}

static int choose_cpu(int wanted)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	if (wanted >= 0)
		return CPU_ISSET(wanted, &set) ? wanted : -2;
	/* The last allowed CPU: away from CPU 0, which takes most housekeeping. */
	for (cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
}

static int creator_start(struct creator *cr, const struct pb_options *o, struct pb_context *ctx)
{
	char dir[4000], path[4100];
	struct pb_creator_config *cfg;
	int shm_fd, cmd[2], reply[2];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *argv[] = { "procbench-creator", NULL };
	int r;

	if (pb_self_dir(dir, sizeof(dir))) {
		fprintf(stderr, "procbench: cannot find my own directory via /proc/self/exe\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/procbench-creator", dir);
	if (o->exec_target)
		snprintf(ctx->exec_target, sizeof(ctx->exec_target), "%s", o->exec_target);
	else
		snprintf(ctx->exec_target, sizeof(ctx->exec_target), "%s/procbench-exec-target", dir);
	if (access(path, X_OK)) {
		fprintf(stderr, "procbench: creator %s not found (%s); build it with make\n", path,
			strerror(errno));
		return -1;
	}

	shm_fd = memfd_create("procbench-shm", MFD_CLOEXEC);
	if (shm_fd < 0 || ftruncate(shm_fd, PB_SHM_SIZE)) {
		fprintf(stderr, "procbench: cannot create shared memory: %s\n", strerror(errno));
		return -1;
	}
	shm_fd = fd_above(shm_fd);
	cr->shm = mmap(NULL, PB_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
	if (cr->shm == MAP_FAILED || pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC)) {
		fprintf(stderr, "procbench: cannot set up the creator's channels: %s\n",
			strerror(errno));
		return -1;
	}
	cmd[0] = fd_above(cmd[0]);
	cmd[1] = fd_above(cmd[1]);
	reply[0] = fd_above(reply[0]);
	reply[1] = fd_above(reply[1]);

	cfg = (struct pb_creator_config *)((char *)cr->shm + PB_SHM_CONFIG_OFF);
	snprintf(cfg->exec_target, sizeof(cfg->exec_target), "%s", ctx->exec_target);
	cfg->chain_len = o->chain_len;
	cfg->cpu = -1;
	if (o->pin) {
		int cpu = choose_cpu(o->cpu);

		if (cpu == -2) {
			fprintf(stderr, "procbench: --cpu %d is not in this process's allowed CPUs\n",
				o->cpu);
			return -1;
		}
		cfg->cpu = cpu;
		ctx->pinned = cpu >= 0;
		ctx->cpu = cpu;
	}

	posix_spawnattr_init(&attr);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, shm_fd, PB_SHM_FD);
	posix_spawn_file_actions_adddup2(&fa, cmd[0], PB_CMD_FD);
	posix_spawn_file_actions_adddup2(&fa, reply[1], PB_REPLY_FD);
	install_signal_handlers();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	r = posix_spawn(&cr->pid, path, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (!r)
		creator_group = cr->pid;
	close(shm_fd);
	close(cmd[0]);
	close(reply[1]);
	if (r) {
		fprintf(stderr, "procbench: cannot start the creator %s: %s\n", path, strerror(r));
		close(cmd[1]);
		close(reply[0]);
		return -1;
	}
	cr->cmd_fd = cmd[1];
	cr->reply_fd = reply[0];
	return 0;
}

static void creator_stop(struct creator *cr)
{
	int status;

	if (cr->cmd_fd >= 0)
		close(cr->cmd_fd); /* EOF: the creator leaves its loop and exits */
	if (cr->reply_fd >= 0)
		close(cr->reply_fd);
	cr->cmd_fd = cr->reply_fd = -1;
	if (cr->pid > 0) {
		for (int i = 0; i < 200; i++) {
			if (waitpid(cr->pid, &status, WNOHANG) == cr->pid) {
				cr->pid = 0;
				break;
			}
			usleep(5000);
		}
		if (cr->pid > 0) {
			kill_creator_group();
			cr->pid = 0;
		}
	}
	creator_group = 0;
	if (cr->shm && cr->shm != MAP_FAILED)
		munmap(cr->shm, PB_SHM_SIZE);
	cr->shm = NULL;
}

/* Send one command and wait for its reply. -1 when the creator is gone. */
static int creator_cmd(struct creator *cr, uint32_t op, unsigned method, uint32_t count,
		       struct pb_reply *rep)
{
	struct pb_cmd cmd = { .op = op, .method = method, .count = count };
	ssize_t n;

	struct pollfd pfd = { .fd = cr->reply_fd, .events = POLLIN };
	int ready;

	if (cr->pid <= 0 || write(cr->cmd_fd, &cmd, sizeof(cmd)) != sizeof(cmd))
		goto gone;
	do
		ready = poll(&pfd, 1, REPLY_TIMEOUT_MS);
	while (ready < 0 && errno == EINTR);
	if (ready == 0) {
		kill_creator_group();
		cr->pid = 0;
		memset(rep, 0, sizeof(*rep));
		rep->status = PB_ERROR;
		snprintf(rep->msg, sizeof(rep->msg),
			 "no answer from the creator within %d s (a child hangs?); killed it and its "
			 "children",
			 REPLY_TIMEOUT_MS / 1000);
		return -1;
	}
	do
		n = read(cr->reply_fd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(*rep)) {
		rep->msg[sizeof(rep->msg) - 1] = 0;
		return 0;
	}
gone:
	memset(rep, 0, sizeof(*rep));
	rep->status = PB_ERROR;
	if (cr->pid <= 0) {
		snprintf(rep->msg, sizeof(rep->msg), "the creator is gone");
		return -1;
	}
	{
		int status = 0;

		/* EOF on the reply pipe: the creator, its only writer, has exited. */
		if (waitpid(cr->pid, &status, 0) == cr->pid) {
			cr->pid = 0;
			if (WIFSIGNALED(status))
				snprintf(rep->msg, sizeof(rep->msg),
					 "the creator was killed by signal %d (%s)", WTERMSIG(status),
					 strsignal(WTERMSIG(status)));
			else
				snprintf(rep->msg, sizeof(rep->msg),
					 "the creator exited with status %d", WEXITSTATUS(status));
		} else {
			snprintf(rep->msg, sizeof(rep->msg), "lost the creator");
		}
		kill_creator_group(); /* its children must not outlive it */
		cr->pid = 0;
	}
	return -1;
}

static int grow(struct pb_record *r, size_t need)
{
	size_t cap = r->cap ? r->cap : 1024;
	double *a, *b, *c;

	if (need <= r->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	a = realloc(r->round_trip, cap * sizeof(double));
	if (a)
		r->round_trip = a;
	b = realloc(r->parent_return, cap * sizeof(double));
	if (b)
		r->parent_return = b;
	c = realloc(r->child_running, cap * sizeof(double));
	if (c)
		r->child_running = c;
	if (!a || !b || !c)
		return -1;
	r->cap = cap;
	return 0;
}

static double now_s(void)
{
	return (double)pb_mono_raw_ns() / 1e9;
}

static void set_error(struct pb_record *r, const char *msg)
{
	r->status = PB_ERROR;
	r->active = 0;
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

/* Run one batch; keep its samples unless warming up. */
static void run_batch(struct creator *cr, const struct pb_context *ctx, struct pb_record *r,
		      unsigned count, int keep)
{
	const struct pb_sample *s = (const void *)((char *)cr->shm + PB_SHM_SAMPLES_OFF);
	struct pb_reply rep;
	double t = now_s(), ops;
	uint32_t i;

	creator_cmd(cr, PB_OP_RUN, r->index, count, &rep);
	t = now_s() - t;
	r->tls_verified = rep.tls_verified;
	r->ops_per_sample = rep.ops_per_sample ? rep.ops_per_sample : 1;
	if (rep.status == PB_ERROR) {
		set_error(r, rep.msg[0] ? rep.msg : "the creator reported an error");
		return;
	}
	/* Next batch sized so it takes about BATCH_TARGET_S. */
	if (rep.done) {
		double per = t / rep.done;
		double want = per > 0 ? BATCH_TARGET_S / per : PB_BATCH_MAX;

		r->batch = want < 1 ? 1 : want > PB_BATCH_MAX ? PB_BATCH_MAX : (unsigned)want;
	}
	if (!keep)
		return;
	r->spent_s += t;
	if (grow(r, r->n + rep.done)) {
		set_error(r, "out of memory for samples");
		return;
	}
	ops = r->ops_per_sample;
	for (i = 0; i < rep.done; i++) {
		size_t k = r->n + i;

		r->round_trip[k] = pb_ticks_to_ns((double)(s[i].t2 - s[i].t0), &ctx->counter) / ops;
		r->parent_return[k] = pb_ticks_to_ns((double)(int64_t)(s[i].t1 - s[i].t0),
						     &ctx->counter);
		r->child_running[k] = pb_ticks_to_ns((double)(int64_t)(s[i].tc - s[i].t0),
						     &ctx->counter);
		r->round_ticks += s[i].t2 - s[i].t0;
	}
	r->n += rep.done;
	r->cpu_ns += rep.self_cpu_ns + rep.child_cpu_ns;
	r->elapsed_ticks += rep.elapsed_ticks;
}

static int selected(const struct pb_options *o, const struct pb_method *m)
{
	if (o->filter)
		return regexec(&o->filter_re, m->name, 0, NULL, 0) == 0;
	return m->in_default;
}

static void finish_record(struct pb_record *r, const struct pb_context *ctx)
{
	if (r->status != PB_OK)
		return;
	if (r->n < 2) {
		set_error(r, "fewer than two samples in the time budget; raise --time-budget");
		return;
	}
	pb_summarize(r->round_trip, r->n, ctx->ci_level, &r->s_round);
	pb_summarize(r->parent_return, r->n, ctx->ci_level, &r->s_parent);
	pb_summarize(r->child_running, r->n, ctx->ci_level, &r->s_child);
	r->ci_met = pb_ci_rel_width(&r->s_round) <= ctx->ci_target;
	r->cpu_ns_per_op = (double)r->cpu_ns / ((double)r->n * r->ops_per_sample);
	r->loop_overhead_ns =
		pb_ticks_to_ns((double)(r->elapsed_ticks - r->round_ticks), &ctx->counter) /
		(double)r->n;
}

int pb_run(const struct pb_options *o, struct pb_run *run)
{
	struct pb_context *ctx = &run->ctx;
	struct creator cr = { .cmd_fd = -1, .reply_fd = -1 };
	unsigned nm = pb_method_count(), i, active, round = 0;
	struct pb_reply rep;

	run->recs = calloc(nm, sizeof(*run->recs));
	if (!run->recs)
		return -1;
	for (i = 0; i < nm; i++) {
		if (!selected(o, pb_methods[i]))
			continue;
		run->recs[run->nrecs].m = pb_methods[i];
		run->recs[run->nrecs].index = i;
		run->recs[run->nrecs].tls_verified = -1;
		run->recs[run->nrecs].ops_per_sample = 1;
		run->nrecs++;
	}
	if (!run->nrecs) {
		fprintf(stderr, "procbench: --filter '%s' matches no benchmark (see procbench --list)\n",
			o->filter ? o->filter : "");
		return -1;
	}
	if (creator_start(&cr, o, ctx))
		return -1;

	/* Probe and set up everything first: the creator's shape is then final. */
	for (i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];

		if (creator_cmd(&cr, PB_OP_PROBE, r->index, 0, &rep) && !cr.pid) {
			set_error(r, rep.msg);
			continue;
		}
		if (rep.status == PB_SKIP) {
			r->status = PB_SKIP;
			snprintf(r->msg, sizeof(r->msg), "%s", rep.msg);
			continue;
		}
		if (rep.status == PB_ERROR) {
			set_error(r, rep.msg);
			continue;
		}
		creator_cmd(&cr, PB_OP_SETUP, r->index, 0, &rep);
		if (rep.status != PB_OK) {
			set_error(r, rep.msg);
			continue;
		}
		r->set_up = 1;
		r->active = 1;
		r->batch = 4;
	}
	if (cr.pid > 0)
		pb_creator_shape_read(&ctx->creator, cr.pid);

	/* Warm-up: caches, page tables, the exec target's page cache. */
	for (i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];
		double t0 = now_s();

		while (r->active && now_s() - t0 < o->warmup_s)
			run_batch(&cr, ctx, r, r->batch, 0);
	}

	/* Interleaved rounds; each round starts one benchmark later than the last. */
	do {
		active = 0;
		for (unsigned k = 0; k < run->nrecs; k++) {
			struct pb_record *r = &run->recs[(k + round) % run->nrecs];

			if (!r->active)
				continue;
			run_batch(&cr, ctx, r, r->batch, 1);
			if (!r->active)
				continue;
			if (r->spent_s >= o->time_budget_s || r->n >= o->max_samples)
				r->active = 0;
			active += r->active;
		}
		/* Convergence is checked once per round: sorting is not free. */
		for (i = 0; i < run->nrecs; i++) {
			struct pb_record *r = &run->recs[i];
			struct pb_summary s;

			if (!r->active || r->n < o->min_samples || r->spent_s < o->min_time_s)
				continue;
			if (!pb_summarize(r->round_trip, r->n, o->ci_level, &s) &&
			    pb_ci_rel_width(&s) <= o->ci_target) {
				r->active = 0;
				active--;
			}
		}
		round++;
	} while (active);

	for (i = 0; i < run->nrecs; i++) {
		struct pb_record *r = &run->recs[i];

		if (r->set_up)
			creator_cmd(&cr, PB_OP_TEARDOWN, r->index, 0, &rep);
	}
	creator_stop(&cr);
	for (i = 0; i < run->nrecs; i++)
		finish_record(&run->recs[i], ctx);
	return 0;
}

void pb_run_free(struct pb_run *run)
{
	for (unsigned i = 0; i < run->nrecs; i++) {
		free(run->recs[i].round_trip);
		free(run->recs[i].parent_return);
		free(run->recs[i].child_running);
	}
	free(run->recs);
	run->recs = NULL;
	run->nrecs = 0;
}
