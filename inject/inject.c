// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The injector thread and one injection, step by step. The measured recipe
 * and its reasons are in docs/injection.md; architecture details
 * are behind arch.h.
 *
 * The caller sits in our ioctl. We seize and interrupt it, let the front
 * end answer the ioctl, and catch the thread in a ptrace stop on its way
 * out of the syscall. There we rewind it onto its own syscall instruction
 * and make it run openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC) with the path
 * written into its ioctl argument buffer; then we put the buffer back,
 * write the new fd into the struct and let it return from the ioctl.
 *
 * The injector never resolves a path of the caller's itself: a lookup can
 * wait forever on a filesystem the caller controls (a FUSE mount), out of
 * the watchdog's reach. The caller opens each candidate path, under the
 * watchdog, until the front end says an open bound to the job. Memory is
 * read and written through /proc/TID/mem opened right after the seize,
 * which holds the address space seized, not whatever the TID names later.
 *
 * Nothing else in the daemon may wait(2) for children: any thread of the
 * tracer's process can reap our tracee's ptrace stops. The thread that runs
 * the jobs, and replaces itself after a watchdog, is in thread.c.
 */
#include "internal.h"
#include "arch.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Every wait for a tracee ends within this time. A thread that has not
 * stopped by then (stuck in the kernel, frozen) fails its request with
 * step VGC_INJECT_STEP_WATCHDOG; ptrace cannot detach a running tracee, so the injector
 * thread then exits, which detaches everything it traced, and a fresh
 * thread takes the rest of the queue.
 */
#define INJECT_WATCHDOG_MS 2000

/* One caller thread, traced for the length of one job. */
struct inject_task {
	pid_t tid;
	const struct inject_arch *arch;
	enum vgc_inject_step step;	/* the step that failed first */
	struct inject_regs saved;	/* the caller's registers at the stop */
	bool regs_saved;
	uint64_t insn;		/* address of the ioctl's syscall instruction */
	int pending_sig;	/* from a signal-delivery stop, to pass on */
	uint64_t saved_mask;
	bool mask_blocked;
	int mem_fd;		/* /proc/TID/mem of the seized task; -1: ptrace words */
	uint64_t mnt_ns;	/* the caller's mount namespace; 0: unknown */
	uint8_t scratch[PATH_MAX];	/* the argument bytes under the path */
	size_t scratch_len;
	bool scratch_written;
	int fd;			/* opened in the caller, -1 until then */
	bool lost;		/* not in a ptrace stop any more (killed) */
	bool dead;		/* gone and reaped */
	bool timed_out;		/* did not stop in time: abandoned, still traced */
};

static int task_fail(struct inject_task *t, enum vgc_inject_step step, int err)
{
	if (!t->step)
		t->step = step;
	return err;
}

/* A ptrace request failed: ESRCH means the task left its stop (SIGKILL). */
static int task_ptrace_error(struct inject_task *t, enum vgc_inject_step step)
{
	int err = -errno;

	if (err == -ESRCH)
		t->lost = true;
	return task_fail(t, step, err);
}

/*
 * The signal a stop holds back from the task: that of a signal-delivery
 * stop. Group stops and syscall stops hold none.
 */
static int stop_signal(int status)
{
	if (status >> 16 == PTRACE_EVENT_STOP ||
	    WSTOPSIG(status) == (SIGTRAP | 0x80))
		return 0;
	return WSTOPSIG(status);
}

static int64_t inject_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The next stop of the task; -ESRCH once it is gone (then also reaped),
 * -ETIMEDOUT when the watchdog gave up on it (then it is still traced and
 * not stopped: only the end of this thread lets it go).
 */
static int task_wait(struct inject_task *t, int *status)
{
	int64_t deadline = inject_now_ms() + INJECT_WATCHDOG_MS;

	for (;;) {
		pid_t got;

		got = waitpid(t->tid, status, __WALL);
		if (got < 0) {
			if (errno == EINTR) {
				if (inject_now_ms() < deadline)
					continue;
				t->timed_out = true;
				t->step = VGC_INJECT_STEP_WATCHDOG;
				return -ETIMEDOUT;
			}
			/* ECHILD: no longer ours to wait for */
			t->dead = true;
			return -ESRCH;
		}
		if (WIFEXITED(*status) || WIFSIGNALED(*status)) {
			t->dead = true;
			return -ESRCH;
		}
		if (WIFSTOPPED(*status))
			return 0;
	}
}

/*
 * Waits for the next syscall-entry or -exit stop. A group stop is left at
 * once: after PTRACE_DETACH the kernel puts the task back into it. A
 * signal-delivery stop is passed on with its signal; with every signal
 * blocked the kernel queues it again, siginfo and all, for later.
 */
static int task_wait_syscall(struct inject_task *t, enum vgc_inject_step step)
{
	int status;

	for (;;) {
		int err = task_wait(t, &status);

		if (err < 0)
			return task_fail(t, step, err);
		if (WSTOPSIG(status) == (SIGTRAP | 0x80))
			return 0;
		if (ptrace(PTRACE_SYSCALL, t->tid, 0, stop_signal(status)) < 0)
			return task_ptrace_error(t, step);
	}
}

static int task_getregs(struct inject_task *t, struct inject_regs *regs,
			enum vgc_inject_step step)
{
	struct iovec iov = { regs->buf, sizeof(regs->buf) };

	if (ptrace(PTRACE_GETREGSET, t->tid, NT_PRSTATUS, &iov) < 0)
		return task_ptrace_error(t, step);
	regs->size = iov.iov_len;
	return 0;
}

static int task_setregs(struct inject_task *t, const struct inject_regs *regs,
			enum vgc_inject_step step)
{
	struct iovec iov = { (void *)regs->buf, regs->size };

	if (ptrace(PTRACE_SETREGSET, t->tid, NT_PRSTATUS, &iov) < 0)
		return task_ptrace_error(t, step);
	return 0;
}

/* ptrace word access, for when /proc/TID/mem cannot be opened. */
static int task_peek_words(pid_t tid, uint64_t addr, uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		uint64_t word_addr = (addr + off) & ~(uint64_t)(sizeof(long) - 1);
		size_t skip = addr + off - word_addr;
		size_t n = sizeof(long) - skip;
		long word;

		if (n > len - off)
			n = len - off;
		errno = 0;
		/* ptrace() is variadic: pass what it reads, a pointer-sized address */
		word = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)word_addr, NULL);
		if (errno)
			return -errno;
		memcpy(buf + off, (uint8_t *)&word + skip, n);
		off += n;
	}
	return 0;
}

static int task_poke_words(pid_t tid, uint64_t addr, const uint8_t *buf,
			   size_t len)
{
	size_t off = 0;

	while (off < len) {
		uint64_t word_addr = (addr + off) & ~(uint64_t)(sizeof(long) - 1);
		size_t skip = addr + off - word_addr;
		size_t n = sizeof(long) - skip;
		long word = 0;
		int err;

		if (n > len - off)
			n = len - off;
		if (skip || n < sizeof(long)) {
			err = task_peek_words(tid, word_addr, (uint8_t *)&word,
					      sizeof(word));
			if (err)
				return err;
		}
		memcpy((uint8_t *)&word + skip, buf + off, n);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)(uintptr_t)word_addr, (void *)word) < 0)
			return -errno;
		off += n;
	}
	return 0;
}

/* What a short or failed access of /proc/TID/mem means: -errno, or -EIO. */
static int task_mem_result(ssize_t n, size_t len)
{
	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int task_read(struct inject_task *t, uint64_t addr, void *buf,
		     size_t len, enum vgc_inject_step step)
{
	int err;

	if (t->mem_fd >= 0)
		err = task_mem_result(pread(t->mem_fd, buf, len, (off_t)addr), len);
	else
		err = task_peek_words(t->tid, addr, buf, len);
	if (err == -ESRCH)
		t->lost = true;
	return err ? task_fail(t, step, err) : 0;
}

static int task_write(struct inject_task *t, uint64_t addr, const void *buf,
		      size_t len, enum vgc_inject_step step)
{
	int err;

	if (t->mem_fd >= 0)
		err = task_mem_result(pwrite(t->mem_fd, buf, len, (off_t)addr), len);
	else
		err = task_poke_words(t->tid, addr, buf, len);
	if (err == -ESRCH)
		t->lost = true;
	return err ? task_fail(t, step, err) : 0;
}

/* Seizes and interrupts the caller; -EPERM if it cannot be traced. */
static int task_seize(struct inject_task *t)
{
	char mem[64];

	if (ptrace(PTRACE_SEIZE, t->tid, 0, PTRACE_O_TRACESYSGOOD) < 0)
		return task_fail(t, VGC_INJECT_STEP_SEIZE, errno == ESRCH ? -ESRCH : -EPERM);
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0) {
		/* only ESRCH is possible here: killed since the seize */
		t->lost = true;
		return task_fail(t, VGC_INJECT_STEP_INTERRUPT, -ESRCH);
	}
	/*
	 * Now, while the TID is our tracee's: the file keeps this address
	 * space even if the TID passes to a sibling that execs (de_thread).
	 * Every write comes after a ptrace call that found our tracee still
	 * stopped, so it lands in the space seized or in none.
	 */
	snprintf(mem, sizeof(mem), "/proc/%d/mem", (int)t->tid);
	t->mem_fd = open(mem, O_RDWR | O_CLOEXEC);
	return 0;
}

/*
 * Catches the caller on its way out of the ioctl. The first stop comes from
 * the exit path's signal handling, before any restart logic: our
 * PTRACE_INTERRUPT trap, or a group stop that takes its place.
 */
static int task_catch(struct inject_task *t)
{
	uint8_t insn[16];
	int status, err;
	size_t i;

	err = task_wait(t, &status);
	if (err < 0)
		return task_fail(t, VGC_INJECT_STEP_WAIT_STOP, err);
	t->pending_sig = stop_signal(status);

	err = task_getregs(t, &t->saved, VGC_INJECT_STEP_READ_REGISTERS);
	if (err)
		return err;
	for (i = 0; i < sizeof(inject_arches) / sizeof(inject_arches[0]) && !t->arch; i++)
		if (inject_arches[i]->regs_size == t->saved.size &&
		    (!inject_arches[i]->matches || inject_arches[i]->matches(&t->saved)))
			t->arch = inject_arches[i];
	if (!t->arch)
		return task_fail(t, VGC_INJECT_STEP_IDENTIFY_ABI, -EOPNOTSUPP);

	t->insn = t->arch->ip(&t->saved) - t->arch->syscall_insn_len;
	err = task_read(t, t->insn, insn, t->arch->syscall_insn_len,
			VGC_INJECT_STEP_VERIFY_STOP);
	if (err)
		return err;
	if (memcmp(insn, t->arch->syscall_insn, t->arch->syscall_insn_len) ||
	    !t->arch->after_syscall(t->tid, &t->saved, t->arch->nr_ioctl))
		return task_fail(t, VGC_INJECT_STEP_VERIFY_STOP, -EPROTO);
	t->regs_saved = true;
	return 0;
}

static int task_block_signals(struct inject_task *t)
{
	uint64_t all = ~0ULL;

	if (ptrace(PTRACE_GETSIGMASK, t->tid, sizeof(t->saved_mask),
		   &t->saved_mask) < 0)
		return task_ptrace_error(t, VGC_INJECT_STEP_BLOCK_SIGNALS);
	if (ptrace(PTRACE_SETSIGMASK, t->tid, sizeof(all), &all) < 0)
		return task_ptrace_error(t, VGC_INJECT_STEP_BLOCK_SIGNALS);
	t->mask_blocked = true;
	return 0;
}

/*
 * Runs one syscall in the stopped caller at its own syscall instruction
 * and leaves it in the syscall-exit stop.
 */
static int task_syscall(struct inject_task *t, long nr,
			const uint64_t args[4], int64_t *ret, enum vgc_inject_step step)
{
	struct __ptrace_syscall_info info;
	struct inject_regs regs = t->saved;
	int err, sig = t->pending_sig;

	err = t->arch->set_syscall(t->tid, &regs, t->insn, nr, args);
	if (err)
		return task_fail(t, step, err);
	err = task_setregs(t, &regs, step);
	if (err)
		return err;
	if (ptrace(PTRACE_SYSCALL, t->tid, 0, sig) < 0)
		return task_ptrace_error(t, step);
	t->pending_sig = 0;
	err = task_wait_syscall(t, step);
	if (err)
		return err;
	/* anything but our syscall's entry means we lost track: stop here */
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) > 0 &&
	    (info.op != PTRACE_SYSCALL_INFO_ENTRY || info.entry.nr != (uint64_t)nr))
		return task_fail(t, step, -EPROTO);
	if (ptrace(PTRACE_SYSCALL, t->tid, 0, 0) < 0)
		return task_ptrace_error(t, step);
	err = task_wait_syscall(t, step);
	if (err)
		return err;
	err = task_getregs(t, &regs, step);
	if (err)
		return err;
	*ret = t->arch->retval(&regs);
	return 0;
}

/*
 * The caller opens path with the job marked as opening: ret is what its
 * openat returned, bound whether the front end took that open as the job's.
 */
static int task_try_path(struct inject_task *t, const struct vgc_inject_job *job,
			 const char *path, int64_t *ret, bool *bound)
{
	uint64_t args[4] = { (uint64_t)(int64_t)AT_FDCWD, job->arg,
			     O_RDONLY | O_CLOEXEC, 0 };
	int err;

	err = task_write(t, job->arg, path, strlen(path) + 1, VGC_INJECT_STEP_WRITE_PATH);
	if (err)
		return err;
	job->opening(job->ctx, true);
	err = task_syscall(t, t->arch->nr_openat, args, ret, VGC_INJECT_STEP_OPENAT);
	*bound = job->opening(job->ctx, false);
	return err;
}

/* Closes t->fd in the caller: it opened something that is not ours. */
static int task_close_fd(struct inject_task *t)
{
	uint64_t args[4] = { (uint64_t)t->fd, 0, 0, 0 };
	int64_t ret;
	int err;

	err = task_syscall(t, t->arch->nr_close, args, &ret, VGC_INJECT_STEP_CLOSE_FD);
	if (!err)
		t->fd = -1;
	return err;
}

static int task_open(struct inject_task *t, const struct vgc_inject_job *job,
		     struct inject_known *known)
{
	const char *cands[VGC_INJECT_MAX_PATHS + 2];
	size_t len, room = job->arg_size, scratch = 0;
	unsigned int n, i;
	int err, first_err = 0;
	int64_t ret;
	int32_t fd;
	bool bound;

	/* the caller is still on its way to the stop: this costs it no time */
	n = inject_candidates(t->tid, job, known, cands, &t->mnt_ns);
	err = task_catch(t);
	if (!err)
		err = task_block_signals(t);
	if (err)
		return err;
	if (room > sizeof(t->scratch))
		room = sizeof(t->scratch);
	for (i = 0; i < n; i++) {
		len = strlen(cands[i]) + 1;
		if (len <= room && len > scratch)
			scratch = len;
	}
	if (!scratch)
		return task_fail(t, VGC_INJECT_STEP_CHECK_NODE, -ENAMETOOLONG);
	err = task_read(t, job->arg, t->scratch, scratch, VGC_INJECT_STEP_SAVE_ARGUMENT);
	if (err)
		return err;
	t->scratch_len = scratch;
	t->scratch_written = true;

	for (i = 0; i < n && t->fd < 0; i++) {
		if (strlen(cands[i]) + 1 > room)
			continue;
		err = task_try_path(t, job, cands[i], &ret, &bound);
		if (err)
			return err;
		if (ret < 0) {
			/* not there is no error: the next path may be */
			if (ret != -ENOENT && ret != -ENOTDIR && !first_err)
				first_err = (int)ret;
			continue;
		}
		t->fd = (int)ret;
		if (bound) {
			inject_known_learn(known, t->mnt_ns, cands[i]);
			break;
		}
		/* the caller's own file of that name, not our device */
		err = task_close_fd(t);
		if (err)
			return err;
	}
	if (t->fd < 0)
		return first_err ? task_fail(t, VGC_INJECT_STEP_OPENAT, first_err)
				 : task_fail(t, VGC_INJECT_STEP_CHECK_NODE, -EPERM);

	err = task_write(t, job->arg, t->scratch, t->scratch_len, VGC_INJECT_STEP_RESTORE_ARGUMENT);
	if (err)
		return err;
	t->scratch_written = false;
	fd = t->fd;
	return task_write(t, job->arg + job->fd_offset, &fd, sizeof(fd),
			  VGC_INJECT_STEP_WRITE_FD);
}

/* Waits out a task we lost track of, detaching it if it stops again. */
static void task_reap(struct inject_task *t)
{
	int status;

	while (!t->dead && !t->timed_out) {
		if (task_wait(t, &status) < 0)
			return;
		if (ptrace(PTRACE_DETACH, t->tid, 0, stop_signal(status)) == 0)
			return;
	}
}

/*
 * Undoes everything and lets the caller go; on failure its ioctl returns
 * err. Best effort: later failures do not hide the first one.
 */
static void task_release(struct inject_task *t,
			 const struct vgc_inject_job *job, int err)
{
	struct inject_regs regs;
	int64_t ret;

	if (t->dead || t->timed_out)
		return;
	if (!t->lost && err && t->fd >= 0) {
		uint64_t args[4] = { (uint64_t)t->fd, 0, 0, 0 };

		task_syscall(t, t->arch->nr_close, args, &ret, VGC_INJECT_STEP_CLOSE_FD);
	}
	if (!t->lost && t->scratch_written)
		task_write(t, job->arg, t->scratch, t->scratch_len,
			   VGC_INJECT_STEP_RESTORE_ARGUMENT);
	if (!t->lost && t->regs_saved) {
		regs = t->saved;
		if (err)
			t->arch->set_retval(&regs, err);
		task_setregs(t, &regs, VGC_INJECT_STEP_RESTORE_REGISTERS);
	}
	if (!t->lost && t->mask_blocked &&
	    ptrace(PTRACE_SETSIGMASK, t->tid, sizeof(t->saved_mask),
		   &t->saved_mask) < 0)
		task_ptrace_error(t, VGC_INJECT_STEP_RESTORE_SIGNAL_MASK);
	if (!t->lost && ptrace(PTRACE_DETACH, t->tid, 0, t->pending_sig) < 0)
		task_ptrace_error(t, VGC_INJECT_STEP_DETACH);
	if (t->lost)
		task_reap(t);
}

static void task_free(struct inject_task *t)
{
	if (t->mem_fd >= 0)
		close(t->mem_fd);
}

static bool inject_job(const struct vgc_inject_job *job, struct inject_known *known)
{
	struct inject_task t = { .tid = job->tid, .fd = -1, .mem_fd = -1 };
	int err;

	err = task_seize(&t);
	job->reply(job->ctx, err);
	if (err && !t.lost) {
		/* never traced: nothing to undo */
		job->done(job->ctx, -1, err, t.step);
		return true;
	}
	if (!err)
		err = task_open(&t, job, known);
	task_release(&t, job, err);
	task_free(&t);
	if (t.timed_out) {
		job->done(job->ctx, -1, -ETIMEDOUT, VGC_INJECT_STEP_WATCHDOG);
		return false;
	}
	if (t.lost || t.dead) {
		/* killed: whatever failed, it failed because of that */
		job->done(job->ctx, -1, -ESRCH, t.step ? t.step : VGC_INJECT_STEP_DETACH);
		return true;
	}
	if (err)
		job->done(job->ctx, -1, err, t.step);
	else
		job->done(job->ctx, t.fd, 0, VGC_INJECT_STEP_NONE);
	return true;
}

bool inject_run(const struct vgc_inject_job *job, struct inject_known *known)
{
	bool keep;

	/*
	 * Armed for the whole job, not around each wait: two timer calls per
	 * waitpid() would slow every injection, and a signal storm on the
	 * caller (one stop per signal) most of all.
	 */
	inject_watchdog_arm(true);
	keep = inject_job(job, known);
	inject_watchdog_arm(false);
	return keep;
}
