// SPDX-License-Identifier: MIT
/*
 * One progress line on stderr, redrawn at most every 0.2 s, only on a
 * terminal: the point being sampled, the round, the time so far and what is
 * left (between every active point meeting --min-time and every one
 * spending its --time-budget, scaled by the overhead seen so far).
 */
#include <stdio.h>
#include <unistd.h>

#include "runner_int.h"

void pb_progress_draw(struct pb_progress *p, const struct pb_options *o, struct pb_run *run,
		      const struct pb_record *cur, unsigned round)
{
	double now = pb_now_s(), spent = 0, lo = 0, hi = 0, scale;
	unsigned active = 0;

	if (!p->on || now - p->last < 0.2)
		return;
	p->last = now;
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];

		spent += r->spent_s;
		if (!r->active)
			continue;
		active++;
		lo += r->spent_s < o->min_time_s ? o->min_time_s - r->spent_s : 0;
		hi += r->spent_s < o->time_budget_s ? o->time_budget_s - r->spent_s : 0;
	}
	scale = spent > 0 ? (now - p->start) / spent : 1;
	if (scale < 1)
		scale = 1;
	/* Straight to descriptor 2: stderr escapes control characters, and this line draws. */
	fflush(stderr);
	dprintf(STDERR_FILENO, "\r\033[Kprocbench: round %u, %.40s, %u of %u active, %.1f s elapsed, "
			       "%.0f..%.0f s left",
		round + 1, cur->name, active, run->nrecs, now - p->start, lo * scale, hi * scale);
}

void pb_progress_end(struct pb_progress *p)
{
	if (p->on)
		dprintf(STDERR_FILENO, "\r\033[K");
}
