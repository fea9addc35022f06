// SPDX-License-Identifier: MIT
/* The creator refuses a batch of more samples than the shared file holds (PB_BATCH_MAX) with an error that says so, instead of running a smaller one in silence; a batch that fits runs whole. */
#include <stdlib.h>
#include <string.h>

#include "../harness/controller/creator_link.c"
#include "helpers.h"

int main(void)
{
	const char *b = getenv("B");
	char path[4096], err[512];
	struct pb_creator_link cr;
	struct pb_creator_spec spec = { .creator_path = path, .exec_target = "", .cpu = -1,
					.child_cpu = -1, .perf_ctl_fd = -1, .perf_ack_fd = -1 };
	const struct pb_hello *h;
	struct pb_reply rep;
	unsigned null = ~0u;

	if (getenv("PB_UNDER_EMULATION")) {
		printf("skip: a foreign creator cannot be started under qemu-user\n");
		return T_SKIP;
	}
	snprintf(path, sizeof(path), "%s/procbench-creator", b ? b : "build/x86_64");
	if (pb_link_open(&cr, &spec, 0, err, sizeof(err))) {
		printf("skip: %s\n", err);
		return T_SKIP;
	}
	h = pb_link_hello(&cr);
	for (unsigned i = 0; i < h->nmethods; i++)
		if (!strcmp(h->methods[i].name, "null"))
			null = i;
	T_CHECK(null != ~0u, "the creator has no null method");
	if (null != ~0u) {
		T_CHECK(!pb_link_cmd(&cr, PB_OP_RUN, null, PB_BATCH_MAX + 1, &rep) &&
				rep.status == PB_ERROR && rep.done == 0 &&
				strstr(rep.msg, "a batch of 4097 samples, more than the 4096 that fit"),
			"past PB_BATCH_MAX: status %d, done %u: %s", rep.status, rep.done, rep.msg);
		T_CHECK(!pb_link_cmd(&cr, PB_OP_SETUP, null, 0, &rep) && rep.status == PB_OK, "setup: %s",
			rep.msg);
		T_CHECK(!pb_link_cmd(&cr, PB_OP_RUN, null, 16, &rep) && rep.status == PB_OK && rep.done == 16,
			"a batch that fits: status %d, done %u: %s", rep.status, rep.done, rep.msg);
	}
	pb_link_stop(&cr);
	return t_result();
}
