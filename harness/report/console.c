// SPDX-License-Identifier: MIT
/* The console table: one line per benchmark, times in microseconds. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "../analysis/safe_text.h"

static double us(double ns)
{
	return ns / 1000.0;
}

static int name_width(const struct pb_run *run)
{
	int w = 16;

	for (unsigned i = 0; i < run->nrecs; i++) {
		int n = (int)strlen(run->recs[i].name);

		if (n > w)
			w = n;
	}
	return w;
}

/* Which optional columns the table has. */
struct cols {
	int w, jobs, shaped, counters;
};

static void header(FILE *f, const struct pb_context *c, const struct cols *k)
{
	fprintf(f, "procbench %s (%s)  %s  kernel %s  %ld CPUs  %s\n", c->version, c->git_commit,
		c->arch, c->kernel_release, c->num_cpus, c->env.cpu_model);
	fprintf(f, "counter %s at %.6f GHz (%s)\n", c->counter.source, c->counter.hz / 1e9,
		c->counter.invariant_why);
	fprintf(f, "creator: %s, %.1f MiB mapped, %ld mappings, %.1f MiB resident (unshaped: see "
		   "each point's parent_shape in the results file)\n",
		c->creator.is_static == 1 ? "static" : c->creator.is_static == 0 ? "dynamic" : "?",
		c->creator.vm_size_kib / 1024.0, c->creator.mappings, c->creator.vm_rss_kib / 1024.0);
	if (pb_time_bases[c->time_base].console)
		fprintf(f, "time base: %s\n", pb_time_bases[c->time_base].console);
	fprintf(f, "times in us per creation; round trip = create..reaped, parent = call returned,"
		   " child = child's first instruction\n\n");
	fprintf(f, "%-*s %7s %9s %19s %9s %9s %9s %9s %6s", k->w, "benchmark", "n", "median",
		"95% CI of median", "p99", "parent", "child", "cpu", "PU");
	if (k->shaped)
		fprintf(f, " %8s", "RSS MiB");
	if (k->jobs)
		fprintf(f, " %9s", "creates/s");
	if (k->counters)
		fprintf(f, " %7s %6s %6s", "flt/op", "cs/op", "mig/op");
	fprintf(f, " %s\n", "note");
}

/* The short text cells of a measured row. */
static void cells(const struct pb_record *r, double ci_target, char *ci, char *parent, char *child,
		  char *pu, char *note)
{
	if (r->s_round.ci_valid)
		snprintf(ci, 40, "[%.2f, %.2f]", us(r->s_round.ci_lo), us(r->s_round.ci_hi));
	else
		snprintf(ci, 40, "(too few)");
	snprintf(parent, 16, r->m->phases & PB_PHASE_PARENT ? "%.2f" : "-", us(r->s_parent.p50));
	snprintf(child, 16, r->m->phases & PB_PHASE_CHILD ? "%.2f" : "-", us(r->s_child.p50));
	if (r->pt.parent_cpu[0] < 0)
		snprintf(pu, 24, "-");
	else if (r->pt.child_cpu[0] >= 0)
		snprintf(pu, 24, "%d>%d", r->pt.parent_cpu[0], r->pt.child_cpu[0]);
	else
		snprintf(pu, 24, "%d", r->pt.parent_cpu[0]);
	note[0] = 0;
	if (r->tls_verified == 1)
		snprintf(note, 48, "tls ok");
	if (r->ops_per_sample > 1)
		snprintf(note, 48, "%s", strstr(r->m->name, "exec") ? "per exec" : "per creation");
	if (!r->ci_met && ci_target > 0)
		snprintf(note + strlen(note), 48 - strlen(note), "%sci>%g%%", note[0] ? "," : "",
			 ci_target * 100);
}

static void row(FILE *f, const struct pb_record *r, const struct pb_context *c,
		const struct cols *k)
{
	static const int cnt_cols[] = { PB_CNT_PAGE_FAULTS, PB_CNT_CONTEXT_SWITCHES,
					PB_CNT_CPU_MIGRATIONS };
	char ci[40], parent[16], child[16], pu[24], note[48];

	if (r->status != PB_OK) {
		fprintf(f, "%-*s %s: %s\n", k->w, r->name, r->status == PB_SKIP ? "skipped" : "ERROR",
			r->msg);
		return;
	}
	cells(r, c->ci_target, ci, parent, child, pu, note);
	fprintf(f, "%-*s %7zu %9.2f %19s %9.2f %9s %9s %9.2f %6s", k->w, r->name, r->n,
		us(r->s_round.p50), ci, us(r->s_round.p99), parent, child, us(r->cpu_ns_per_op), pu);
	if (k->shaped)
		fprintf(f, " %8.1f", r->pt.measured.vm_rss_kib / 1024.0);
	if (k->jobs)
		fprintf(f, " %9.0f", r->creations_per_s);
	for (int j = 0; k->counters && j < 3; j++) {
		int i = cnt_cols[j];

		if (r->cnt_err[i] || !r->cnt_creations)
			fprintf(f, " %*s", j ? 6 : 7, "-");
		else
			fprintf(f, " %*.2f", j ? 6 : 7, r->cnt_total[i] / r->cnt_creations);
	}
	fprintf(f, " %s\n", note);
}

/* Counters that could not be opened, named once, with the first one's reason. */
static void unavailable(FILE *f, const struct pb_run *run)
{
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];
		int first_err = 0;

		if (r->status != PB_OK)
			continue;
		for (int k = 0; k < PB_NCOUNTERS; k++)
			if (r->cnt_err[k]) {
				fprintf(f, "%s%s", first_err ? ", " : "\ncounters unavailable here: ",
					pb_counter_defs[k].name);
				if (!first_err)
					first_err = r->cnt_err[k];
			}
		/* The first one's reason; JSON has each counter's own. */
		if (first_err)
			fprintf(f, " (%s)\n", pb_counter_unavailable_reason(first_err));
		return;
	}
}

/* --trace: each benchmark's kernel phases, from its traced batches. */
static void trace_table(FILE *f, const struct pb_run *run)
{
	const struct pb_context *c = &run->ctx;

	if (c->trace < 0) {
		fprintf(f, "\nkernel phases (--trace): skipped: %s\n", c->trace_why);
		return;
	}
	fprintf(f, "\nkernel phases (--trace, tracefs on the %s clock; traced batches of their own, "
		   "not in the table above), us:\n",
		c->trace_clock);
	for (unsigned i = 0; i < run->nrecs; i++) {
		const struct pb_record *r = &run->recs[i];
		const struct pb_trace_record *t = &r->trace;

		if (r->status != PB_OK)
			continue;
		if (t->status != PB_OK) {
			fprintf(f, "%s: not traced: %s\n", r->name, t->why);
			continue;
		}
		fprintf(f, "%s: %zu traced, %zu matched, ", r->name, t->samples, t->matched);
		if (c->trace_checks)
			fprintf(f, "%zu stamp checks passed", t->checked);
		else
			fprintf(f, "stamps not checked (on the %s trace clock they are mapped, not the "
				   "same count)",
				c->trace_clock);
		if (t->inflation > 0)
			fprintf(f, "; traced round trip %.2f = %.2fx untraced", us(t->traced_median_ns),
				t->inflation);
		if (t->lost)
			fprintf(f, "; %llu events lost (buffer full)", t->lost);
		if (t->ret_at_tc)
			fprintf(f, "; this kernel traces no syscall exit for a new child: the phases "
				   "meet at the child's stamp tc (*_to_tc, *_from_tc)");
		fprintf(f, "\n");
		if (!t->matched)
			continue;
		fprintf(f, "  %-18s %9s %19s %9s %9s %7s  %s\n", "phase", "median", "95% CI of median",
			"p99", "starts at", "n", "what");
		for (unsigned p = 0; p < t->nphases; p++) {
			const struct pb_summary *s = &t->phase[p];
			char ci[40];

			if (!s->n) {
				fprintf(f, "  %-18s %9s %19s %9s %9s %7zu  %s\n", t->phases[p].name, "-", "-",
					"-", "-", t->phase_n[p], t->phases[p].what);
				continue;
			}
			if (s->ci_valid)
				snprintf(ci, sizeof(ci), "[%.2f, %.2f]", us(s->ci_lo), us(s->ci_hi));
			else
				snprintf(ci, sizeof(ci), "(too few)");
			fprintf(f, "  %-18s %9.2f %19s %9.2f %9.2f %7zu  %s\n", t->phases[p].name,
				us(s->p50), ci, us(s->p99), us(t->at_median[t->phases[p].from]), s->n,
				t->phases[p].what);
		}
	}
}

static int console_table(FILE *f, const void *arg)
{
	const struct pb_run *run = arg;
	struct cols k = { .w = name_width(run), .counters = run->ctx.counters };

	for (unsigned i = 0; i < run->nrecs; i++) {
		k.jobs |= run->recs[i].pt.jobs > 1;
		k.shaped |= run->recs[i].pt.shape.rss > 0;
	}
	header(f, &run->ctx, &k);
	for (unsigned i = 0; i < run->nrecs; i++)
		row(f, &run->recs[i], &run->ctx, &k);
	if (run->ctx.counters)
		unavailable(f, run);
	if (run->ctx.trace)
		trace_table(f, run);
	return ferror(f) ? -1 : 0;
}

/* Host, CPU and kernel names and every reason come from the machine: escaped for the terminal. */
int pb_report_console(FILE *f, const struct pb_run *run)
{
	return pb_safe_print(f, console_table, run);
}
