/* SPDX-License-Identifier: MIT */
/*
 * The reporters' contract: what a run produces, one context (where and how
 * the numbers were taken) and one finished record per benchmark. The
 * controller fills these (its clock, environment and placement code write
 * into the types defined here); reporters see only these.
 */
#ifndef PB_RECORD_H
#define PB_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "../protocol/counters.h"
#include "../protocol/shape.h"
#include "../protocol/shm.h"
#include "../analysis/ktrace.h"
#include "../analysis/stats.h"
#include "../schema/schema.h"

/* The counter (controller/clock.c calibrates it). */
struct pb_counter_info {
	const char *source;   /* PB_COUNTER_NAME */
	double hz;            /* measured ticks per second */
	double hz_hint;       /* architectural frequency, 0 if none */
	double spread;        /* relative spread of the calibration rounds */
	int invariant;        /* 1: same rate and value on every CPU, 0: no, -1: unknown */
	char invariant_why[128];
};

#define PB_MAX_JOBS 64 /* creators in parallel (--jobs) */

/* The machine (controller/placement.c reads it with hwloc). */
struct pb_topology_summary {
	int packages, nodes, l3, l2, cores, pus, allowed_pus;
	int smt;              /* PUs per core (max) */
	unsigned long l3_kib, l2_kib, l1d_kib;
};

/* The machine and kernel, read at start (controller/environment.c), load at the end. */
struct pb_environment {
	char kernel_cmdline[1024];
	char cpu_model[128];
	char microcode[32];
	int smt_active;               /* /sys/devices/system/cpu/smt/active, -1 unknown */
	struct pb_topology_summary topo;
	char governor[32];            /* cpu0's scaling_governor, "" unreadable */
	char boost[16];               /* cpufreq boost, "" unreadable */
	char thp_enabled[64];
	char thp_defrag[64];
	char ksm_run[16];
	char mitigations[3072];       /* "name: state; ..." */
	int hypervisor;               /* cpuinfo's hypervisor flag */
	char dmi[160];                /* sys_vendor product_name */
	char clocksource[32];
	double load_end[3];
	char cgroup[512];
	char cpu_max[64], memory_max[64], pids_max[64];
	char rlimit_nproc[48], rlimit_nofile[48];
	char glibc[32];
	char compiler[128];
};

struct pb_creator_shape {
	char path[4096];
	int is_static;          /* 1 static, 0 dynamic, -1 unknown */
	long vm_size_kib;       /* VmSize */
	long vm_rss_kib;        /* VmRSS */
	long mappings;          /* lines of /proc/PID/maps */
	long threads;           /* Threads */
	long fds;               /* entries of /proc/PID/fd */
	long anon_huge_kib;     /* AnonHugePages in /proc/PID/smaps_rollup */
};

/* One parameter point: the parent's shape and placement it was measured under. */
struct pb_point {
	struct pb_shape shape;
	int pin;                         /* enum pb_pin */
	unsigned jobs;
	int parent_cpu[PB_MAX_JOBS];     /* -1: not pinned */
	int child_cpu[PB_MAX_JOBS];      /* -1: the child stays where it is created */
	struct pb_creator_shape measured; /* job 0's creator, after shaping */
	char suffix[192];                /* "/rss:1G/touch/pin:other-core" */
};

struct pb_context {
	char date[40];
	char host[256];
	char executable[4096];
	char kernel_release[128];
	char kernel_version[256];
	const char *arch;
	long num_cpus;
	double load_avg[3];
	int runnable_others;     /* other runnable tasks at start (/proc/loadavg), -1 unknown */
	struct pb_counter_info counter;
	struct pb_creator_shape creator;
	struct pb_environment env;
	int mem_node_count;              /* NUMA nodes libnuma sees, 0 unknown */
	double time_budget_s;
	double min_time_s;
	double ci_target;
	double ci_level;
	unsigned min_samples;
	unsigned chain_len;
	int quick;
	enum pb_time_base time_base;     /* wall, or instructions (qemu icount) */
	const char *version;
	const char *git_commit;
	const char *cflags;
	char exec_target[4096];
	char samples_file[4200];         /* beside the results file, "" when not kept */
	char run_id[40];                 /* random; in the results file and its samples, pairing them */
	int counters;                    /* perf events were counted */
	char perf_ctl[256];              /* --perf-ctl as given, "" when not used */
	int trace;                       /* --trace: 1 traced, 0 not asked, -1 asked but skipped */
	char trace_why[256];             /* why tracing was skipped */
	const char *trace_clock;         /* the trace clock used (PB_TRACE_CLOCK of arch/) */
	int trace_checks;                /* the trace clock is the counter: stamps checked */
	/* --context: the caller's keys, each with its value as JSON text (checked, UTF-8). */
	unsigned n_caller;
	char caller_key[PB_MAX_CONTEXT][64];
	char *caller_json[PB_MAX_CONTEXT];
};

/* --trace: the kernel's side of a benchmark's traced samples (harness/analysis/ktrace.h). */
struct pb_trace_record {
	int kshape;                 /* enum pb_kshape */
	int status;                 /* PB_OK traced, PB_SKIP not traced (why) */
	char why[400];
	size_t samples;             /* traced samples (in batches of their own) */
	size_t matched;             /* with every point its shape needs */
	size_t no_child_ret;        /* the child ran, its return to user not traced */
	size_t missing[PB_KP_COUNT]; /* unmatched samples that lacked each point */
	size_t ret_at_tc;           /* matched with the child's return at its stamp tc */
	int mapped;                 /* stamps mapped onto the trace clock (not the counter) */
	size_t checked;             /* truth checks made and passed */
	unsigned long long lost;    /* events the ring buffer dropped */
	double *at;                 /* PB_KP_COUNT per matched sample: ns after t0, NAN unseen */
	double *round_trip;         /* each traced sample's round trip, ns per operation */
	size_t cap;                 /* of at (times PB_KP_COUNT) and round_trip */
	/* At the end (pb_record_finish). */
	unsigned nphases;
	const struct pb_kphase *phases;
	struct pb_summary phase[PB_KPHASES_MAX];
	size_t phase_n[PB_KPHASES_MAX];
	double at_median[PB_KP_COUNT]; /* ns after t0, NAN where not seen */
	double traced_median_ns;    /* the traced samples' round trip */
	double inflation;           /* traced median over untraced, 0 unknown */
};

struct pb_record {
	const struct pb_method_info *m; /* in its run's method table */
	unsigned index;             /* into the creator's method table */
	char name[256];             /* method name + point suffix */
	struct pb_point pt;
	unsigned group;             /* creators it runs on (runner's) */
	char child_placement[128];  /* how the child was placed, in words */
	int observed_child_cpu;     /* with --check-placement: last child's CPU, else -1 */
	double creations_per_s;     /* all jobs together, over the batches' wall time */
	double batch_wall_s;
	/* perf events, from counter batches: totals, creations covered, first errno. */
	double cnt_total[PB_NCOUNTERS];
	double cnt_creations;
	int cnt_err[PB_NCOUNTERS];
	double *cnt_batch[PB_NCOUNTERS]; /* per creation, one value per counter batch */
	size_t cnt_batches, cnt_cap;
	int status;                 /* PB_OK, PB_SKIP, PB_ERROR */
	char msg[256];              /* skip reason or error */
	/* Per-sample durations in ns, per operation. */
	double *round_trip, *parent_return, *child_running;
	size_t n, cap;
	struct pb_summary s_round, s_parent, s_child;
	unsigned ops_per_sample;
	int tls_verified;           /* -1 n/a */
	int ci_met;
	double spent_s;             /* wall time in its batches */
	double cpu_ns_per_op;       /* creator + children, from rusage */
	double loop_overhead_ns;    /* per sample, not covered by t0..t2 */
	uint64_t cpu_ns, elapsed_ticks, round_ticks;
	struct pb_trace_record trace;
	unsigned batch;             /* current batch size */
	int active;
	int set_up;
};

struct pb_run {
	struct pb_context ctx;
	struct pb_method_info methods[PB_METHODS_MAX]; /* as the creator described them */
	unsigned nmethods;
	struct pb_record *recs;
	unsigned nrecs;
};

#endif
