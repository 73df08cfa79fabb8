// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The injector thread: one queue of jobs, run in order by one thread
 * (ptrace wants the thread that seized a tracee to drive it). When the
 * watchdog gives up on a tracee that does not stop, the thread hands the
 * queue to a fresh thread and ends: a tracer thread's exit is the only way
 * to detach a tracee that is not stopped.
 */
#include "internal.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct inject_item {
	struct inject_item *next;
	struct vgc_inject_job job;
	/* a call on the injector thread instead of a job (vgc_inject_call) */
	int (*call)(void *arg);
	void *call_arg;
	int call_ret;
	bool call_done;
};

struct vgc_injector {
	pthread_t thread;	/* the current injector thread */
	pthread_t prev;		/* the one it replaced, to join */
	bool has_prev;
	bool finished;		/* the last thread has returned */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_cond_t called;	/* a call item is done; the last thread ended */
	struct inject_item *head;
	struct inject_item **tail;
	bool stopping;
	unsigned long watchdogs;
	/* the current thread's alone: the next joins the last before using it */
	struct inject_known known;
};

static void *inject_thread(void *data);

/*
 * The injector's deepest frames hold a path or two (a few KiB): 256 KiB
 * leaves room for the sanitizers' redzones, where the default would
 * reserve 8 MiB per tenant's daemon.
 */
#define INJECT_STACK_SIZE (256 * 1024)

static int inject_thread_create(pthread_t *thread, struct vgc_injector *inj)
{
	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);

	if (err)
		return err;
	err = pthread_attr_setstacksize(&attr, INJECT_STACK_SIZE);
	if (!err)
		err = pthread_create(thread, &attr, inject_thread, inj);
	pthread_attr_destroy(&attr);
	return err;
}

/*
 * Hands the queue to a new thread and lets this one end: its exit detaches
 * the tracee the watchdog gave up on. The new thread inherits this one's
 * signal mask, credentials and seccomp filter, and joins this one.
 */
static void inject_hand_over(struct vgc_injector *inj)
{
	pthread_t next;

	pthread_mutex_lock(&inj->lock);
	inj->watchdogs++;
	inj->prev = pthread_self();
	inj->has_prev = true;
	if (inject_thread_create(&next, inj) == 0) {
		inj->thread = next;
		pthread_mutex_unlock(&inj->lock);
		return;
	}
	/* no thread to take over: fail what is left rather than hang */
	inj->has_prev = false;
	inj->finished = true;
	while (inj->head) {
		struct inject_item *item = inj->head;

		inj->head = item->next;
		if (item->call) {
			item->call_ret = -EAGAIN;
			item->call_done = true;
			continue;
		}
		item->job.reply(item->job.ctx, -EAGAIN);
		item->job.done(item->job.ctx, -1, -EAGAIN, VGC_INJECT_STEP_WATCHDOG);
		free(item);
	}
	inj->tail = &inj->head;
	pthread_cond_broadcast(&inj->called);
	pthread_mutex_unlock(&inj->lock);
}

/*
 * Takes the next item; NULL once stopping with an empty queue. *stopping
 * says whether a job taken is to be failed instead of run.
 */
static struct inject_item *inject_next(struct vgc_injector *inj, bool *stopping)
{
	struct inject_item *item;

	pthread_mutex_lock(&inj->lock);
	while (!inj->head && !inj->stopping)
		pthread_cond_wait(&inj->wake, &inj->lock);
	item = inj->head;
	*stopping = inj->stopping;
	if (item) {
		inj->head = item->next;
		if (!inj->head)
			inj->tail = &inj->head;
	} else {
		inj->finished = true;
		pthread_cond_broadcast(&inj->called);
	}
	pthread_mutex_unlock(&inj->lock);
	return item;
}

static void *inject_thread(void *data)
{
	struct vgc_injector *inj = data;
	struct inject_item *item;
	pthread_t prev;
	bool join, stopping;

	pthread_mutex_lock(&inj->lock);
	join = inj->has_prev;
	prev = inj->prev;
	inj->has_prev = false;
	pthread_mutex_unlock(&inj->lock);
	if (join)
		pthread_join(prev, NULL);
	inject_watchdog_start();

	while ((item = inject_next(inj, &stopping))) {
		if (item->call) {
			int ret = item->call(item->call_arg);

			pthread_mutex_lock(&inj->lock);
			item->call_ret = ret;
			item->call_done = true;
			pthread_cond_broadcast(&inj->called);
			pthread_mutex_unlock(&inj->lock);
			/* the caller owns a call item */
			continue;
		}
		if (stopping) {
			/* never started: the caller is not traced, its ioctl waits */
			item->job.reply(item->job.ctx, -ENODEV);
			item->job.done(item->job.ctx, -1, -ENODEV, VGC_INJECT_STEP_STOP);
			free(item);
			continue;
		}
		bool keep = inject_run(&item->job, &inj->known);

		free(item);
		if (!keep) {
			inject_watchdog_stop();
			inject_hand_over(inj);
			return NULL;
		}
	}
	inject_watchdog_stop();
	return NULL;
}

static pthread_once_t inject_watchdog_once = PTHREAD_ONCE_INIT;

struct vgc_injector *vgc_inject_start(void)
{
	struct vgc_injector *inj;
	sigset_t mask, old;
	int err;

	inj = calloc(1, sizeof(*inj));
	if (!inj)
		return NULL;
	inj->tail = &inj->head;
	pthread_mutex_init(&inj->lock, NULL);
	pthread_cond_init(&inj->wake, NULL);
	pthread_cond_init(&inj->called, NULL);
	pthread_once(&inject_watchdog_once, inject_watchdog_install);

	/*
	 * Other signals must not cut the thread's waits short: it inherits a
	 * full mask but for the watchdog's tick, and SIGSYS so that a seccomp
	 * trap is reported by its handler.
	 */
	sigfillset(&mask);
	sigdelset(&mask, inject_watchdog_signal());
	sigdelset(&mask, SIGSYS);
	pthread_sigmask(SIG_SETMASK, &mask, &old);
	/*
	 * One malloc arena for the daemon: the injector's few small jobs do
	 * not need one of their own (a heap mapped and touched per thread).
	 */
	mallopt(M_ARENA_MAX, 1);
	err = inject_thread_create(&inj->thread, inj);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		goto err_free;
	return inj;

err_free:
	pthread_cond_destroy(&inj->called);
	pthread_cond_destroy(&inj->wake);
	pthread_mutex_destroy(&inj->lock);
	free(inj);
	errno = err;
	return NULL;
}

static void inject_queue(struct vgc_injector *inj, struct inject_item *item)
{
	pthread_mutex_lock(&inj->lock);
	*inj->tail = item;
	inj->tail = &item->next;
	pthread_cond_signal(&inj->wake);
	pthread_mutex_unlock(&inj->lock);
}

int vgc_inject_call(struct vgc_injector *inj, int (*fn)(void *arg), void *arg)
{
	struct inject_item item = { .call = fn, .call_arg = arg };
	int ret;

	if (!fn)
		return -EINVAL;
	inject_queue(inj, &item);
	pthread_mutex_lock(&inj->lock);
	while (!item.call_done && !inj->finished)
		pthread_cond_wait(&inj->called, &inj->lock);
	ret = item.call_done ? item.call_ret : -ESRCH;
	pthread_mutex_unlock(&inj->lock);
	return ret;
}

unsigned long vgc_inject_watchdogs(struct vgc_injector *inj)
{
	unsigned long n;

	pthread_mutex_lock(&inj->lock);
	n = inj->watchdogs;
	pthread_mutex_unlock(&inj->lock);
	return n;
}

int vgc_inject_submit(struct vgc_injector *inj,
		      const struct vgc_inject_job *job)
{
	struct inject_item *item;

	if (job->tid <= 0 || !job->reply || !job->done || !job->opening ||
	    !job->num_paths || job->num_paths > VGC_INJECT_MAX_PATHS)
		return -EINVAL;
	if (job->own_path && job->own_path[0] != '/')
		return -EINVAL;
	/* the fd goes inside the struct, the path in place of it */
	if (job->arg_size < sizeof(int32_t) ||
	    job->fd_offset > job->arg_size - sizeof(int32_t))
		return -EINVAL;
	for (unsigned int i = 0; i < job->num_paths; i++)
		if (!job->paths[i] || job->paths[i][0] != '/')
			return -EINVAL;

	item = calloc(1, sizeof(*item));
	if (!item)
		return -ENOMEM;
	item->job = *job;
	pthread_mutex_lock(&inj->lock);
	if (inj->finished) {
		/* the injector is gone: see inject_hand_over() */
		pthread_mutex_unlock(&inj->lock);
		free(item);
		return -EAGAIN;
	}
	pthread_mutex_unlock(&inj->lock);
	inject_queue(inj, item);
	return 0;
}

void vgc_inject_stop(struct vgc_injector *inj)
{
	if (!inj)
		return;
	pthread_t last;

	pthread_mutex_lock(&inj->lock);
	inj->stopping = true;
	pthread_cond_signal(&inj->wake);
	/* a watchdog may replace the thread meanwhile: wait for the last one */
	while (!inj->finished)
		pthread_cond_wait(&inj->called, &inj->lock);
	last = inj->thread;
	pthread_mutex_unlock(&inj->lock);
	pthread_join(last, NULL);
	pthread_cond_destroy(&inj->called);
	pthread_cond_destroy(&inj->wake);
	pthread_mutex_destroy(&inj->lock);
	free(inj);
}

static const char *const inject_step_names[] = {
	[VGC_INJECT_STEP_NONE] = "none",
	[VGC_INJECT_STEP_SEIZE] = "seize",
	[VGC_INJECT_STEP_INTERRUPT] = "interrupt",
	[VGC_INJECT_STEP_WAIT_STOP] = "wait for stop",
	[VGC_INJECT_STEP_VERIFY_STOP] = "verify stop",
	[VGC_INJECT_STEP_READ_REGISTERS] = "read registers",
	[VGC_INJECT_STEP_IDENTIFY_ABI] = "identify task ABI",
	[VGC_INJECT_STEP_BLOCK_SIGNALS] = "block signals",
	[VGC_INJECT_STEP_SAVE_ARGUMENT] = "save argument",
	[VGC_INJECT_STEP_WRITE_PATH] = "write path",
	[VGC_INJECT_STEP_OPENAT] = "openat",
	[VGC_INJECT_STEP_CLOSE_FD] = "close fd",
	[VGC_INJECT_STEP_CHECK_NODE] = "check node",
	[VGC_INJECT_STEP_RESTORE_ARGUMENT] = "restore argument",
	[VGC_INJECT_STEP_WRITE_FD] = "write fd",
	[VGC_INJECT_STEP_RESTORE_SIGNAL_MASK] = "restore signal mask",
	[VGC_INJECT_STEP_RESTORE_REGISTERS] = "restore registers",
	[VGC_INJECT_STEP_DETACH] = "detach",
	[VGC_INJECT_STEP_WATCHDOG] = "watchdog",
	[VGC_INJECT_STEP_STOP] = "stop",
};

const char *vgc_inject_step_name(enum vgc_inject_step step)
{
	if ((unsigned int)step >= sizeof(inject_step_names) / sizeof(inject_step_names[0]) ||
	    !inject_step_names[step])
		return "?";
	return inject_step_names[step];
}
