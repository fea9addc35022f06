// SPDX-License-Identifier: MIT
/* CSV results: one row per benchmark, times in ns; columns in results/README.md. */
#include <string.h>

#include "report.h"

static void csv_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int pb_report_tap(FILE *f, const struct pb_run *run)
{
	fprintf(f, "TAP version 13\n1..%u\n", run->nrecs);
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];

		if (r->status == PB_SKIP) {
			fprintf(f, "ok %u procbench: %s # SKIP %s\n", i + 1, r->name, r->msg);
		} else if (r->status == PB_ERROR) {
			fprintf(f, "not ok %u procbench: %s\n# %s\n", i + 1, r->name, r->msg);
		} else {
			fprintf(f, "ok %u procbench: %s\n", i + 1, r->name);
			fprintf(f, "  ---\n  median_us: %.3f\n  p99_us: %.3f\n  samples: %zu\n  ...\n",
				r->s_round.p50 / 1000, r->s_round.p99 / 1000, r->n);
		}
	}
	return ferror(f) ? -1 : 0;
}

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

int pb_report_csv(FILE *f, const struct pb_run *run)
{
	fputs("name,status,n,ops_per_sample,median_ns,ci_lo_ns,ci_hi_ns,p90_ns,p99_ns,p999_ns,"
	      "min_ns,max_ns,mean_ns,stddev_ns,parent_median_ns,child_median_ns,cpu_ns,"
	      "parent_rss_kib,creations_per_s,tls_verified,message\n",
	      f);
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];
		const struct pb_summary *s = &r->s_round;
		const char *status =
			r->status == PB_OK ? "ok" : r->status == PB_SKIP ? "skipped" : "error";

		fprintf(f, "%s,%s,", r->name, status);
		if (r->status == PB_OK) {
			fprintf(f, "%zu,%u,%.1f,", s->n, r->ops_per_sample, s->p50);
			if (s->ci_valid)
				fprintf(f, "%.1f,%.1f,", s->ci_lo, s->ci_hi);
			else
				fputs(",,", f);
			fprintf(f, "%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,", s->p90, s->p99, s->p999,
				s->min, s->max, s->mean, s->stddev);
			if (r->m->phases & PB_PHASE_PARENT)
				fprintf(f, "%.1f", r->s_parent.p50);
			fputc(',', f);
			if (r->m->phases & PB_PHASE_CHILD)
				fprintf(f, "%.1f", r->s_child.p50);
			fprintf(f, ",%.1f,%ld,%.0f,%s,", r->cpu_ns_per_op, r->pt.measured.vm_rss_kib,
				r->creations_per_s,
				r->tls_verified < 0 ? "" : r->tls_verified ? "true" : "false");
		} else {
			fputs(",,,,,,,,,,,,,,,,,,", f); /* columns 3..20 */
		}
		csv_str(f, r->msg);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
