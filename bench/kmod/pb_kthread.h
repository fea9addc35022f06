/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The procbench-kthread module's one interface, shared by the module and
 * the kthread methods (bench/kthread.c): a misc character device,
 * /dev/procbench-kthread, and one ioctl that runs `count` timed kernel
 * thread creations of one kind and copies their stamps back.
 *
 * Why an ioctl on a misc device: the request and its results cross in one
 * call (no state kept between a write and a later read, so concurrent
 * callers cannot mix), the argument is a versioned struct the module checks
 * field by field, devtmpfs makes the node by itself, and it needs neither
 * debugfs (often unmounted, or closed by lockdown) nor procfs text parsing.
 *
 * Every stamp is get_cycles(), the counter procbench reads in user space
 * (rdtsc on x86_64, cntvct_el0 on arm64, rdtime on riscv64).
 */
#ifndef PB_KTHREAD_H
#define PB_KTHREAD_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PB_KT_VERSION 1
#define PB_KT_DEVICE "/dev/procbench-kthread"
#define PB_KT_MAX_COUNT 4096

enum pb_kt_kind {
	PB_KT_RUN = 1,    /* kthread_create_on_node + wake_up_process; the thread returns */
	PB_KT_STOP = 2,   /* the same, but the thread sleeps until kthread_stop() */
	PB_KT_WORKER = 3, /* kthread_create_worker, one work item, kthread_destroy_worker */
};

struct pb_kt_sample {
	__u64 t0; /* before the creating call */
	__u64 t1; /* the call returned (and the thread was woken) */
	__u64 tc; /* the thread function's (or the work item's) first instruction */
	__u64 t2; /* the thread is gone (it has passed exit_mm(): kthread_stop() returned) */
};

struct pb_kt_req {
	__u32 version;   /* PB_KT_VERSION */
	__u32 kind;      /* enum pb_kt_kind */
	__u32 count;     /* 1 .. PB_KT_MAX_COUNT */
	__u32 done;      /* out: samples written */
	__u64 samples;   /* user pointer to count struct pb_kt_sample */
};

#define PB_KT_IOC_RUN _IOWR('p', 0x4b, struct pb_kt_req)

#endif
