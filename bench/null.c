// SPDX-License-Identifier: MIT
/*
 * null: no creation at all, only the four stamps. Its round trip is the
 * floor a sample can show (counter reads and the loop), for bench/overhead.
 */
#include "method.h"

static int null_run(struct pb_ctx *ctx, struct pb_sample *s)
{
	(void)ctx;
	s->t0 = pb_counter();
	s->t1 = pb_counter();
	s->tc = pb_counter();
	s->t2 = pb_counter();
	return 0;
}

const struct pb_method pb_method_null = {
	.name = "null",
	.summary = "no creation: four counter stamps, the measurement floor",
	.flags = "",
	.phases = PB_PHASE_ALL,
	.in_default = 0,
	.run_once = null_run,
};
