// SPDX-License-Identifier: MIT
/* tracefs text into events and a fork's kernel phases, on a real trace (tests/fixtures/trace-fork-icount.txt, Debian 6.1 in instruction time). */
#include <stdio.h>
#include <string.h>

#include "../harness/analysis/ktrace.h"
#include "helpers.h"

int main(void)
{
	static struct pb_kev ev[64];
	unsigned n = 0, comments = 0;
	char line[512], why[200];
	struct pb_kfork k;
	struct pb_kev e;
	FILE *f = fopen("tests/fixtures/trace-fork-icount.txt", "r");

	if (!f) {
		printf("skip: tests/fixtures/trace-fork-icount.txt not found (run from the source tree)\n");
		return T_SKIP;
	}
	while (fgets(line, sizeof(line), f) && n < 64) {
		int r = pb_kev_parse(line, &ev[n]);

		T_CHECK(r >= 0, "unparsed: %s", line);
		comments += r == 1;
		n += r == 0;
	}
	fclose(f);
	T_CHECK(comments == 12 && n == 14, "%u comments, %u events", comments, n);
	T_CHECK(ev[0].pid == 144 && ev[0].type == PB_KEV_SYS_ENTER && !strcmp(ev[0].sys, "clone") &&
			ev[0].ts == 3174060477ull,
		"sys_clone entry: pid %d type %d sys %s ts %llu", ev[0].pid, ev[0].type, ev[0].sys,
		(unsigned long long)ev[0].ts);
	T_CHECK(ev[3].type == PB_KEV_SYS_EXIT && ev[3].ret == 0xa2, "sys_clone -> 0xa2");
	T_CHECK(ev[6].type == PB_KEV_SWITCH && ev[6].prev == 144 && ev[6].other == 162, "switch");

	/* The phases of the first fork after t0, in instruction time (1 count = 1 instruction). */
	T_CHECK(!pb_kfork_match(ev, n, 144, 3174060000ull, &k), "every phase seen");
	T_CHECK(k.child == 162 && k.sys_enter == 3174060477ull && k.forked == 3174217191ull &&
			k.woken_new == 3174219711ull && k.sys_exit == 3174220531ull &&
			k.child_in == 3174236298ull && k.child_ret == 3174248596ull &&
			k.child_exit == 3174355653ull && k.parent_woken == 3174362144ull &&
			k.wait_exit == 3174369416ull,
		"phases of child %d", k.child);
	printf("fork in a 6.1 guest, instructions: copy_process %llu, wake %llu, return %llu, child in "
	       "%llu, child to user %llu, child runs to exit %llu, parent woken %llu, wait returns %llu\n",
	       (unsigned long long)(k.forked - k.sys_enter), (unsigned long long)(k.woken_new - k.forked),
	       (unsigned long long)(k.sys_exit - k.woken_new),
	       (unsigned long long)(k.child_in - k.sys_exit),
	       (unsigned long long)(k.child_ret - k.child_in),
	       (unsigned long long)(k.child_exit - k.child_ret),
	       (unsigned long long)(k.parent_woken - k.child_exit),
	       (unsigned long long)(k.wait_exit - k.parent_woken));

	/* Truth checks: stamps that bracket the kernel's events pass; one that does not is named. */
	T_CHECK(!pb_kfork_check(&k, 3174060000ull, 3174221000ull, 3174249000ull, 3174370000ull, why,
				sizeof(why)),
		"consistent stamps: %s", why);
	T_CHECK(pb_kfork_check(&k, 3174060000ull, 3174220000ull, 3174249000ull, 3174370000ull, why,
			       sizeof(why)) == 1 && strstr(why, "t1 is not after") && strstr(why, "162"),
		"t1 before the syscall exit: %s", why);
	/* No creation after t0: not matched. */
	T_CHECK(pb_kfork_match(ev, n, 144, 3174400000ull, &k) == -1, "nothing after t0");

	/* Other shapes of a line. */
	T_CHECK(!pb_kev_parse("  bash-1  [001] d..2. 12345.678901: sched_switch: prev_comm=bash "
			      "prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=x next_pid=7 "
			      "next_prio=120\n",
			      &e) &&
			e.ts == 12345678901000ull && e.type == PB_KEV_SWITCH && e.prev == 1 &&
			e.other == 7 && e.cpu == 1,
		"a nanosecond clock");
	T_CHECK(!pb_kev_parse(" kworker/0:1 H-x-12  [000] .....  100: sched_wakeup: comm=x pid=5 "
			      "prio=120 target_cpu=000",
			      &e) &&
			e.pid == 12 && e.type == PB_KEV_WAKEUP && e.other == 5,
		"a comm with spaces and dashes: pid %d", e.pid);
	T_CHECK(pb_kev_parse("garbage\n", &e) == -1, "not a trace line");
	T_CHECK(pb_kev_parse("# tracer: nop\n", &e) == 1 && pb_kev_parse("\n", &e) == 1, "comments");
	return t_result();
}
