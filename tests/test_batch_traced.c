// SPDX-License-Identifier: MIT
/* A traced batch whose samples match none (or too few) of the kernel's creations is "not traced" with the counts, never "ok" (the trace of a PID namespace's creators, whose pids tracefs never prints); matched ones give phases. */
#include <string.h>

#include "../harness/controller/traced.c"
#include "helpers.h"

void pb_record_error(struct pb_record *r, const char *msg)
{
	r->status = PB_ERROR;
	snprintf(r->msg, sizeof(r->msg), "%.*s", (int)sizeof(r->msg) - 1, msg);
}

/* tests/fixtures/trace-fork-icount.txt: one fork by pid 144 (child 162), x86-tsc in instruction time. */
static char *fixture(void)
{
	static char buf[16384];
	FILE *f = fopen("tests/fixtures/trace-fork-icount.txt", "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

/* A fresh fork record traced once: n samples by creator pid, the first `inside` bracketing the fork. */
static struct pb_record *traced(const char *text, int pid, unsigned n, unsigned inside)
{
	static struct pb_record r;
	static struct pb_context ctx = { .ci_level = 0.95 };
	struct pb_sample s[8];
	struct pb_trace_map m = { .same = 1 };
	struct pb_traced_job job = { pid, s, n };
	char copy[16384];

	free(r.trace.at);
	free(r.trace.round_trip);
	memset(&r, 0, sizeof(r));
	r.ops_per_sample = 1;
	r.s_round.p50 = 100000;
	ctx.counter.hz = 1e9;
	pb_traced_init(&r, PB_KSHAPE_FORK);
	for (unsigned i = 0; i < n; i++)
		s[i] = i < inside ? (struct pb_sample){ 3174060000ull, 3174221000ull, 3174249000ull,
							3174370000ull }
				  : (struct pb_sample){ 3174400000ull, 3174500000ull, 3174500000ull,
							3174600000ull };
	snprintf(copy, sizeof(copy), "%s", text);
	pb_traced_keep(&r, &ctx, copy, &job, 1, &m);
	pb_traced_finish(&r, &ctx);
	return &r;
}

int main(void)
{
	const char *text = fixture();
	struct pb_record *r;

	if (!text) {
		printf("skip: tests/fixtures/trace-fork-icount.txt not found (run from the source tree)\n");
		return T_SKIP;
	}
	/* The creator the trace saw: every sample matched, phases summarized. */
	r = traced(text, 144, 2, 2);
	T_CHECK(r->status == PB_OK && r->trace.status == PB_OK && r->trace.samples == 2 &&
			r->trace.matched == 2 && r->trace.nphases == 11 && r->trace.phase_n[1] == 2,
		"matched: status %d/%d, %zu traced, %zu matched: %s", r->status, r->trace.status,
		r->trace.samples, r->trace.matched, r->trace.why);

	/* Its pid inside a PID namespace (2), which the trace never prints: not traced, with why. */
	r = traced(text, 2, 2, 2);
	T_CHECK(r->status == PB_OK && r->trace.status == PB_SKIP && r->trace.matched == 0 &&
			strstr(r->trace.why, "0 of 2 traced samples matched"),
		"none matched: status %d/%d, %zu matched: %s", r->status, r->trace.status, r->trace.matched,
		r->trace.why);

	/* Fewer than half matched: not traced either. */
	r = traced(text, 144, 5, 2);
	T_CHECK(r->trace.status == PB_SKIP && strstr(r->trace.why, "2 of 5 traced samples matched"),
		"2 of 5 matched: status %d: %s", r->trace.status, r->trace.why);

	/* One matched sample cannot be summarized. */
	r = traced(text, 144, 1, 1);
	T_CHECK(r->trace.status == PB_SKIP && strstr(r->trace.why, "1 of 1 traced samples matched"),
		"1 of 1 matched: status %d: %s", r->trace.status, r->trace.why);
	return t_result();
}
