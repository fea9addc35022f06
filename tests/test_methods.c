// SPDX-License-Identifier: MIT
/*
 * Every method's child really ran: each sample carries the child's stamp,
 * taken after t0 and before the reap. On native x86_64 no method may skip
 * but the kthread ones where their module is not loaded (saying so);
 * elsewhere (qemu-user) skips are reported with their reasons.
 */
#include "helpers.h"
#include "method_fixture.h"

static int expect_no_skips(void)
{
	/* Under qemu-user the emulator's limits are legitimate skips. */
	return !strcmp(PB_ARCH_NAME, "x86_64") && !getenv("PB_UNDER_EMULATION");
}

int main(void)
{
	struct fixture fx;
	unsigned ran = 0, skipped = 0;

	if (fixture_init(&fx))
		return T_FAIL;
	for (unsigned i = 0; pb_methods[i]; i++) {
		const struct pb_method *m = pb_methods[i];
		struct pb_ctx ctx;
		char why[256];

		fixture_ctx(&fx, &ctx, 3);
		if (m->supported && m->supported(&ctx, why, sizeof(why))) {
			printf("skip %s: %s\n", m->name, why);
			T_CHECK(!expect_no_skips() || (!strncmp(m->name, "kthread-", 8) &&
							strstr(why, "module is not loaded")),
				"%s skipped on native x86_64", m->name);
			skipped++;
			continue;
		}
		if (m->setup && m->setup(&ctx)) {
			T_CHECK(0, "%s setup: %s", m->name, ctx.errmsg);
			continue;
		}
		for (int k = 0; k < 5; k++) {
			struct pb_sample s = { 0 };
			int r = m->run_once(&ctx, &s);

			T_CHECK(r == 0, "%s run %d: %s", m->name, k, ctx.errmsg);
			if (r)
				break;
			T_CHECK(s.tc != 0, "%s: no child stamp", m->name);
			T_CHECK(s.t2 >= s.t0, "%s: t2 < t0", m->name);
			if (m->phases & PB_PHASE_CHILD)
				T_CHECK(s.tc >= s.t0 && s.tc <= s.t2, "%s: child stamp outside [t0, t2]",
					m->name);
			if (m->phases & PB_PHASE_PARENT)
				T_CHECK(s.t1 >= s.t0 && s.t1 <= s.t2, "%s: t1 outside [t0, t2]", m->name);
		}
		if (m->teardown)
			m->teardown(&ctx);
		printf("ok %s\n", m->name);
		ran++;
	}
	printf("%u methods ran, %u skipped\n", ran, skipped);
	return t_result();
}
