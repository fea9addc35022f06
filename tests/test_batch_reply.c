// SPDX-License-Identifier: MIT
/* A creator's batch reply is read only once it fits: a count past PB_BATCH_MAX or past what was asked, a counter gone backwards (t2 < t0, or over the batch), each an error naming it, no sample kept. */
#include <errno.h>
#include <string.h>

#include "../harness/controller/batch.c"
#include "helpers.h"

/* The creator's side, faked: the reply pb_link_wait hands back. */
static struct pb_reply fake;

int pb_link_send(struct pb_creator_link *cr, uint32_t op, unsigned method, uint32_t count,
		 uint32_t flags)
{
	(void)cr, (void)op, (void)method, (void)count, (void)flags;
	return 0;
}

int pb_link_wait(struct pb_creator_link *cr, struct pb_reply *rep)
{
	(void)cr;
	*rep = fake;
	return 0;
}

/* Not reached by these batches (no BATCH_TRACE). */
int pb_trace_follow(struct pb_trace *t, const pid_t *pids, unsigned n)
{
	(void)t, (void)pids, (void)n;
	return ENOSYS;
}
void pb_trace_pause(struct pb_trace *t)
{
	(void)t;
}
char *pb_trace_take(struct pb_trace *t, size_t *len)
{
	(void)t, (void)len;
	return NULL;
}
void pb_traced_keep(struct pb_record *r, const struct pb_context *ctx, char *text,
		    const struct pb_traced_job *jobs, unsigned njobs, const struct pb_trace_map *m)
{
	(void)r, (void)ctx, (void)text, (void)jobs, (void)njobs, (void)m;
}
void pb_traced_finish(struct pb_record *r, const struct pb_context *ctx)
{
	(void)r, (void)ctx;
}

static struct pb_run run;
static struct group grp;
static struct runner rn = { .run = &run, .groups = &grp, .ngroups = 1 };
static struct pb_sample *samples;

/* A fresh record, the creator to answer done good samples (1000 ticks each). */
static struct pb_record *batch(uint32_t done)
{
	static struct pb_record r;

	free(r.round_trip);
	free(r.parent_return);
	free(r.child_running);
	memset(&r, 0, sizeof(r));
	r.ops_per_sample = 1;
	r.active = 1;
	memset(&fake, 0, sizeof(fake));
	fake.done = done;
	fake.elapsed_ticks = 1000ull * done + 500;
	fake.child_cpu = -1;
	for (uint32_t i = 0; i < PB_BATCH_MAX; i++)
		samples[i] = (struct pb_sample){ 5000 + i * 2000ull, 5100 + i * 2000ull,
						 5200 + i * 2000ull, 6000 + i * 2000ull };
	return &r;
}

int main(void)
{
	struct pb_record *r;
	void *shm = calloc(1, PB_SHM_SIZE);

	if (!shm)
		return T_FAIL;
	samples = (struct pb_sample *)((char *)shm + PB_SHM_SAMPLES_OFF);
	run.ctx.counter.source = "rdtsc";
	run.ctx.counter.hz = 1e9;
	grp.pt.jobs = 1;
	grp.cr[0].pid = 4242;
	grp.cr[0].shm = shm;

	/* A good reply is kept whole. */
	r = batch(16);
	pb_batch_run(&rn, r, 16, BATCH_TIMED);
	T_CHECK(r->status == PB_OK && r->n == 16, "good reply: status %d, n %zu: %s", r->status, r->n,
		r->msg);
	T_CHECK(r->n == 16 && r->round_trip[15] == 1000, "round trip %g", r->n ? r->round_trip[15] : 0);

	/* More samples than the shared memory holds: refused before any is read. */
	r = batch(PB_BATCH_MAX + 1);
	pb_batch_run(&rn, r, 16, BATCH_TIMED);
	T_CHECK(r->status == PB_ERROR && r->n == 0 &&
			strstr(r->msg, "creator 4242 reported 4097 samples for a batch of 16"),
		"count past PB_BATCH_MAX: status %d, n %zu: %s", r->status, r->n, r->msg);

	/* More samples than were asked (but within the memory): refused too, in every kind. */
	r = batch(20);
	pb_batch_run(&rn, r, 16, BATCH_TIMED);
	T_CHECK(r->status == PB_ERROR && r->n == 0 && strstr(r->msg, "reported 20 samples for a batch of 16"),
		"count past the batch: status %d, n %zu: %s", r->status, r->n, r->msg);
	r = batch(20);
	pb_batch_run(&rn, r, 16, BATCH_WARMUP);
	T_CHECK(r->status == PB_ERROR && strstr(r->msg, "reported 20 samples"),
		"warm-up count past the batch: status %d: %s", r->status, r->msg);

	/* A counter that went backwards in one sample: an error naming it, not a 1.8e19-tick sample. */
	r = batch(16);
	samples[7].t2 = samples[7].t0 - 3;
	pb_batch_run(&rn, r, 16, BATCH_TIMED);
	T_CHECK(r->status == PB_ERROR && r->n == 0 &&
			strstr(r->msg, "rdtsc counter went backwards in sample 7 of creator 4242's batch"),
		"t2 < t0: status %d, n %zu, first %g: %s", r->status, r->n, r->n ? r->round_trip[0] : 0,
		r->msg);
	for (size_t i = 0; i < r->n; i++)
		T_CHECK(r->round_trip[i] < 1e12, "sample %zu kept as %g ns", i, r->round_trip[i]);

	/* ... or over the whole batch. */
	r = batch(16);
	fake.elapsed_ticks = (uint64_t)-5;
	pb_batch_run(&rn, r, 16, BATCH_TIMED);
	T_CHECK(r->status == PB_ERROR && r->n == 0 && strstr(r->msg, "went backwards over creator 4242's batch"),
		"elapsed < 0: status %d, n %zu: %s", r->status, r->n, r->msg);

	/* A warm-up batch keeps no times: its stamps are not read. */
	r = batch(16);
	samples[7].t2 = samples[7].t0 - 3;
	pb_batch_run(&rn, r, 16, BATCH_WARMUP);
	T_CHECK(r->status == PB_OK && r->n == 0, "warm-up: status %d: %s", r->status, r->msg);

	free(shm);
	return t_result();
}
