// SPDX-License-Identifier: MIT
/*
 * The raw samples file beside a JSON results file: one line per sample
 * (format in results/README.md), for CDFs and re-analysis.
 */
#include "report.h"

int pb_report_samples(FILE *f, const struct pb_run *run)
{
	fputs("# procbench raw samples v1: one line per sample; bench is the index into the results\n"
	      "# file's benchmarks array; times in ns per operation; '-' where a method has no such "
	      "phase\n"
	      ,
	      f);
	/* The results file carries the same run id: a reader refuses a pair from two runs. */
	fprintf(f, "# run_id %s\n", run->ctx.run_id);
	fputs("bench\tround_trip_ns\tparent_return_ns\tchild_running_ns\n", f);
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];

		if (r->status != PB_OK)
			continue;
		for (size_t k = 0; k < r->n; k++) {
			fprintf(f, "%u\t%.0f\t", i, r->round_trip[k]);
			if (r->m->phases & PB_PHASE_PARENT)
				fprintf(f, "%.0f\t", r->parent_return[k]);
			else
				fputs("-\t", f);
			if (r->m->phases & PB_PHASE_CHILD)
				fprintf(f, "%.0f\n", r->child_running[k]);
			else
				fputs("-\n", f);
		}
	}
	return ferror(f) ? -1 : 0;
}
