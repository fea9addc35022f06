// SPDX-License-Identifier: GPL-2.0
/*
 * procbench-kthread: times the kernel's own thread creation for procbench
 * (see pb_kthread.h for the interface). Each sample creates one kernel
 * thread through kthreadd (kthread_create_on_node(), or a kthread worker),
 * stamps it with get_cycles(), and waits until the thread is gone before the
 * next: no thread outlives the ioctl that made it, on success or error, and
 * the open device holds the module, so it cannot be unloaded mid-run.
 */
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timex.h>
#include <linux/uaccess.h>

#include "pb_kthread.h"

struct one {
	struct completion ran;
	u64 tc;
	int park; /* PB_KT_STOP: sleep until kthread_stop() */
};

static int thread_fn(void *arg)
{
	struct one *o = arg;

	o->tc = get_cycles();
	complete(&o->ran);
	if (!o->park)
		return 0;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* PB_KT_RUN and PB_KT_STOP: one thread from kthreadd, waited for until it is gone. */
static int one_thread(struct pb_kt_sample *s, int park)
{
	struct one o = { .park = park };
	struct task_struct *t;

	init_completion(&o.ran);
	s->t0 = get_cycles();
	t = kthread_create_on_node(thread_fn, &o, NUMA_NO_NODE, "pb-kthread");
	if (IS_ERR(t))
		return PTR_ERR(t);
	/* The thread may return before kthread_stop(): keep its task_struct until then. */
	get_task_struct(t);
	wake_up_process(t);
	s->t1 = get_cycles();
	/* kthread_stop() on a thread that has not run yet would never run its function. */
	wait_for_completion(&o.ran);
	kthread_stop(t);
	s->t2 = get_cycles();
	put_task_struct(t);
	s->tc = o.tc;
	return 0;
}

struct stamped_work {
	struct kthread_work work;
	u64 tc;
};

static void work_fn(struct kthread_work *w)
{
	container_of(w, struct stamped_work, work)->tc = get_cycles();
}

/* PB_KT_WORKER: a kthread worker made, one work item run on it, the worker destroyed. */
static int one_worker(struct pb_kt_sample *s)
{
	struct stamped_work sw = { .tc = 0 };
	struct kthread_worker *w;

	kthread_init_work(&sw.work, work_fn);
	s->t0 = get_cycles();
	w = kthread_create_worker(0, "pb-kworker");
	s->t1 = get_cycles();
	if (IS_ERR(w))
		return PTR_ERR(w);
	kthread_queue_work(w, &sw.work);
	kthread_flush_work(&sw.work);
	kthread_destroy_worker(w); /* flushes, then kthread_stop()s the worker's thread */
	s->t2 = get_cycles();
	s->tc = sw.tc;
	return 0;
}

static long pb_kt_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pb_kt_req req;
	struct pb_kt_sample *s;
	int err = 0;
	u32 i;

	if (cmd != PB_KT_IOC_RUN)
		return -ENOTTY;
	if (copy_from_user(&req, (void __user *)arg, sizeof(req)))
		return -EFAULT;
	if (req.version != PB_KT_VERSION || req.count < 1 || req.count > PB_KT_MAX_COUNT ||
	    (req.kind != PB_KT_RUN && req.kind != PB_KT_STOP && req.kind != PB_KT_WORKER))
		return -EINVAL;
	s = kvcalloc(req.count, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	/* i counts the samples done: a failure or a fatal signal stops before sample i. */
	for (i = 0; i < req.count; i++) {
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		err = req.kind == PB_KT_WORKER ? one_worker(&s[i]) : one_thread(&s[i], req.kind == PB_KT_STOP);
		if (err)
			break;
		cond_resched();
	}
	req.done = i;
	if (copy_to_user(u64_to_user_ptr(req.samples), s, (size_t)req.done * sizeof(*s)) ||
	    copy_to_user((void __user *)arg, &req, sizeof(req)))
		err = -EFAULT;
	kvfree(s);
	return err;
}

static const struct file_operations pb_kt_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = pb_kt_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice pb_kt_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "procbench-kthread",
	.fops = &pb_kt_fops,
	.mode = 0600,
};

module_misc_device(pb_kt_dev);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("procbench: timed kernel thread creation (kthread_create, kthread_stop, kthread workers)");
