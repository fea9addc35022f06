// SPDX-License-Identifier: MIT
/* TAP 13 results (kselftest style): one test point per benchmark, skips as SKIP. */
#include "report.h"
#include "../analysis/safe_text.h"

int pb_report_tap(FILE *f, const struct pb_run *run)
{
	fprintf(f, "TAP version 13\n1..%u\n", run->nrecs);
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];
		char name[600], msg[1100]; /* one line each: a newline would end the test point */

		pb_safe(r->name, name, sizeof(name));
		pb_safe(r->msg, msg, sizeof(msg));
		if (r->status == PB_SKIP) {
			fprintf(f, "ok %u procbench: %s # SKIP %s\n", i + 1, name, msg);
		} else if (r->status == PB_ERROR) {
			fprintf(f, "not ok %u procbench: %s\n# %s\n", i + 1, name, msg);
		} else {
			fprintf(f, "ok %u procbench: %s\n", i + 1, name);
			fprintf(f, "  ---\n  median_us: %.3f\n  p99_us: %.3f\n  samples: %zu\n  ...\n",
				r->s_round.p50 / 1000, r->s_round.p99 / 1000, r->n);
		}
	}
	return ferror(f) ? -1 : 0;
}
