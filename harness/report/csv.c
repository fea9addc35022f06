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
