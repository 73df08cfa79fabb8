/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Puts a new file descriptor into a calling thread that is waiting in an
 * ioctl on our CUSE device: the calling thread is made to reopen the device
 * node itself (openat), and the new fd number is written into its ioctl
 * argument struct. See docs/injection.md for why and how.
 *
 * One injector thread runs all injections (ptrace requires the thread that
 * seized a tracee to drive it). Front-end workers never block on it.
 */
#ifndef VGC_INJECT_H
#define VGC_INJECT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vgc_injector;

/*
 * The steps of an injection, to say which one failed: an enum for the code,
 * vgc_inject_step_name() for people ("wait for stop", "check node"...).
 */
enum vgc_inject_step {
	VGC_INJECT_STEP_NONE,
	VGC_INJECT_STEP_SEIZE,
	VGC_INJECT_STEP_INTERRUPT,
	VGC_INJECT_STEP_WAIT_STOP,
	VGC_INJECT_STEP_VERIFY_STOP,
	VGC_INJECT_STEP_READ_REGISTERS,
	VGC_INJECT_STEP_IDENTIFY_ABI,
	VGC_INJECT_STEP_BLOCK_SIGNALS,
	VGC_INJECT_STEP_SAVE_ARGUMENT,
	VGC_INJECT_STEP_WRITE_PATH,
	VGC_INJECT_STEP_OPENAT,
	VGC_INJECT_STEP_CLOSE_FD,
	VGC_INJECT_STEP_CHECK_NODE,	/* no path to the device bound: EPERM */
	VGC_INJECT_STEP_RESTORE_ARGUMENT,
	VGC_INJECT_STEP_WRITE_FD,
	VGC_INJECT_STEP_RESTORE_SIGNAL_MASK,
	VGC_INJECT_STEP_RESTORE_REGISTERS,
	VGC_INJECT_STEP_DETACH,
	VGC_INJECT_STEP_WATCHDOG,	/* the caller did not stop in time */
	VGC_INJECT_STEP_STOP,		/* the injector stopped before the job ran */
};
const char *vgc_inject_step_name(enum vgc_inject_step step);

/* At most this many paths per job. */
#define VGC_INJECT_MAX_PATHS 32

struct vgc_inject_job {
	pid_t tid;		/* the calling thread, as the daemon sees it */
	uint64_t arg;		/* ioctl argument address in the caller */
	size_t arg_size;	/* bytes at arg (the reply struct): scratch space */
	size_t fd_offset;	/* where the new fd goes in the struct at arg */
	/*
	 * Paths the caller may see the device node by, in its own root. The
	 * injector resolves none of them itself: the caller opens them in turn
	 * until an open binds (opening(), below). First comes the one that
	 * bound for the caller's mount namespace last time, then own_path for
	 * a caller in the injector's own mount namespace, then the list in
	 * order. A path that is not there (ENOENT, ENOTDIR) or opens something
	 * that does not bind is passed over (the fd is closed again); if none
	 * binds the job fails with the first other error at step "openat", or
	 * with -EPERM at step "check node". Paths longer than the argument
	 * buffer are skipped (-ENAMETOOLONG at "check node" if all are). They
	 * must stay unchanged until done() is called.
	 */
	const char *const *paths;
	unsigned int num_paths;
	const char *own_path;	/* optional: the node in the injector's own mount namespace */
	/*
	 * Called on the injector thread with on = true just before the caller
	 * is let into the injected openat, and with on = false once that
	 * openat has returned or been given up on (watchdog, SIGKILL). An open
	 * of the device by the caller may take this job's request only in
	 * between. With on = false it returns whether such an open took it:
	 * only then is the openat's fd the caller's new fd.
	 */
	bool (*opening)(void *ctx, bool on);
	/*
	 * Called on the injector thread once the caller is seized and
	 * interrupted (err 0): answer the ioctl now with success and fd -1.
	 * Called with err < 0 when the caller cannot be traced: answer the
	 * ioctl with that error (EPERM for a traced or untraceable caller).
	 */
	void (*reply)(void *ctx, int err);
	/*
	 * Called on the injector thread at the end: fd >= 0 is the caller's
	 * new fd; otherwise err < 0 is the error the caller's ioctl returned
	 * and step names the step that failed ("seize", "wait for stop",
	 * "verify stop", "openat", ...). A caller that did not stop within
	 * the watchdog's time (2 s per wait) ends with -ETIMEDOUT and step
	 * "watchdog": its ioctl has returned what reply() answered (fd -1),
	 * and it is detached; the injector goes on with a fresh thread.
	 */
	void (*done)(void *ctx, int fd, int err, enum vgc_inject_step step);
	void *ctx;
};

/* Starts the injector thread. NULL and errno on failure. */
struct vgc_injector *vgc_inject_start(void);
/* Queues a copy of job; returns 0 or -errno. */
int vgc_inject_submit(struct vgc_injector *inj, const struct vgc_inject_job *job);
/*
 * Runs fn(arg) on the injector thread, after the jobs queued before it,
 * and returns what it returned (-ESRCH if the injector has ended). For
 * what is per thread: dropping capabilities (cuse/privs.c).
 */
int vgc_inject_call(struct vgc_injector *inj, int (*fn)(void *arg), void *arg);
/* How many times the watchdog gave up on a caller that did not stop. */
unsigned long vgc_inject_watchdogs(struct vgc_injector *inj);
/*
 * Lets the job in progress finish (each of its waits is bounded by the
 * watchdog), fails every job still queued without starting it (reply()
 * and done() with -ENODEV, step "stop": call it while replies can still
 * be sent), runs the queued calls and joins the thread.
 */
void vgc_inject_stop(struct vgc_injector *inj);

#endif
