// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CUSE operations over the uapi core: open/release/read/poll/ioctl, blocking
 * reads parked until data arrives, poll notifications, and the hand-off of
 * new line requests to the injector. Nothing GPIO-specific lives here.
 */
#define FUSE_USE_VERSION 31
#include <cuse_lowlevel.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "daemon.h"

/*
 * The most one read returns: a full edge queue (64 lines * 16 events), so a
 * tenant with a big buffer empties its queue in one CUSE round trip.
 */
#define FE_MAX_READ (GPIO_V2_LINES_MAX * 16 * sizeof(struct gpio_v2_line_event))
_Static_assert(FE_MAX_READ >= 64 * sizeof(struct gpio_v2_line_info_changed),
	       "a read holds a full info-changed queue too");
/* The kernel's FUSE ABI (linux/fuse.h), which libfuse's headers do not export. */
#define FE_IOCTL_COMPAT_X32 (1U << 5)

struct fe_read {
	fuse_req_t req;
	size_t size;
	struct fe_file *ff;
	struct fe_read *next;
};

struct fe_file {
	struct vgc_daemon *d;
	struct vgc_file *uf;
	struct fuse_pollhandle *ph;
	struct fe_read *reads;
	bool is_dirty;
	struct fe_file *next_dirty;
};

/*
 * A line request between its ioctl and the injected open of its fd. The
 * main thread owns it, but for opening and bound, which the injector
 * thread reads and writes too, and the outcome, which the injector writes
 * before it hands the record back.
 */
struct fe_pending {
	struct vgc_daemon *d;
	pid_t tid;
	fuse_req_t req;
	struct vgc_req *vreq;	/* NULL once a file took it or an open failed */
	bool bound;		/* an open took vreq */
	bool opening;		/* the injector has the caller in its injected openat */
	/* the caller's possible paths to us, for the injector to try */
	const char *paths[VGC_MAX_ATTACH + 2];
	unsigned char out[sizeof(struct gpio_v2_line_request)];
	size_t out_len;
	struct fe_pending *next;
	/* the outcome, set by the injector thread */
	int reply_err;		/* the ioctl is yet to be answered with this */
	int done_fd, done_err;
	enum vgc_inject_step done_step;
	struct fe_pending *next_done;
};

static struct vgc_daemon *fe_daemon(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static struct fe_file *fe_file_new(struct vgc_daemon *d, struct vgc_file *uf)
{
	struct fe_file *ff = calloc(1, sizeof(*ff));

	if (!ff)
		return NULL;
	ff->d = d;
	ff->uf = uf;
	vgc_uapi_set_ctx(uf, ff);
	return ff;
}

void vgc_frontend_ready(struct vgc_file *f, void *file_ctx, void *data)
{
	struct fe_file *ff = file_ctx;
	struct vgc_daemon *d = data;

	(void)f;
	/* work is deferred to the end of the loop turn: never re-enter the core */
	if (!ff || ff->is_dirty)
		return;
	ff->is_dirty = true;
	ff->next_dirty = d->dirty;
	d->dirty = ff;
}

static void fe_unlink_read(struct fe_read *r)
{
	for (struct fe_read **pp = &r->ff->reads; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

/* Answers a parked read if the file now has records; true when answered. */
static bool fe_try_read(struct fe_file *ff, fuse_req_t req, size_t size)
{
	/* one loop thread: a static buffer touches only the pages a read fills */
	static char buf[FE_MAX_READ];
	ssize_t n = vgc_uapi_read(ff->uf, buf, size < sizeof(buf) ? size : sizeof(buf));

	if (n == -EAGAIN)
		return false;
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_buf(req, buf, (size_t)n);
	return true;
}

void vgc_frontend_flush(struct vgc_daemon *d)
{
	while (d->dirty) {
		struct fe_file *ff = d->dirty;

		d->dirty = ff->next_dirty;
		ff->is_dirty = false;
		/* oldest reader first, as the kernel's wait queue would */
		while (ff->reads) {
			struct fe_read *r = ff->reads, **last = &ff->reads;

			while ((*last)->next)
				last = &(*last)->next;
			r = *last;
			if (!fe_try_read(ff, r->req, r->size))
				break;
			*last = NULL;
			free(r);
		}
		if (ff->ph && vgc_uapi_poll(ff->uf)) {
			fuse_lowlevel_notify_poll(ff->ph);
			fuse_pollhandle_destroy(ff->ph);
			ff->ph = NULL;
		}
	}
}

/*
 * The request an open by tid takes: only the open the injector makes the
 * caller do. Any other open by that thread (one after a failed injection,
 * say) is a plain chip open.
 */
static struct fe_pending *fe_pending_find(struct vgc_daemon *d, pid_t tid)
{
	for (struct fe_pending *p = d->pending; p; p = p->next)
		if (p->tid == tid && p->vreq && !p->bound &&
		    __atomic_load_n(&p->opening, __ATOMIC_ACQUIRE))
			return p;
	return NULL;
}

/*
 * Without a fixed --dev the device number is CUSE's choice, and a restart
 * may hand it to another tenant's daemon: a node a container kept from an
 * earlier daemon must not reach this one. Only the host and the tenants this
 * daemon attached may open (their user namespace, read from the daemon's
 * own /proc, which a caller cannot redirect; one stat per open).
 */
static bool fe_caller_known(struct vgc_daemon *d, pid_t tid)
{
	static unsigned long long refused_ino;
	char path[64];
	struct stat st;

	if (d->cfg->has_dev)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tid);
	if (stat(path, &st) < 0)
		return false;
	if (vgc_attach_userns_known((unsigned long long)st.st_dev, (unsigned long long)st.st_ino))
		return true;
	/* once per namespace, not once per try */
	if (refused_ino != (unsigned long long)st.st_ino) {
		refused_ino = (unsigned long long)st.st_ino;
		vgc_log(d, "pid %d: open refused (EPERM): its user namespace user:[%llu] is not "
			"one this daemon attached, so its node may be left from an earlier daemon "
			"with this device number; attach it with 'vgpiochip attach --name %s --pid "
			"PID', and give the daemon a fixed --dev", (int)tid, refused_ino,
			d->cfg->tenant);
	}
	return false;
}

static void fe_open(fuse_req_t req, struct fuse_file_info *fi)
{
	struct vgc_daemon *d = fe_daemon(req);
	pid_t pid = fuse_req_ctx(req)->pid;
	struct fe_pending *p = fe_pending_find(d, pid);
	struct vgc_file *uf;
	struct fe_file *ff;

	if (!fe_caller_known(d, pid)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	/* the injected open of a new request fd comes from the requesting thread */
	uf = p ? vgc_uapi_open_req(p->vreq, pid) : vgc_uapi_open(d->chip, pid);
	if (!uf) {
		fuse_reply_err(req, errno ? errno : ENOMEM);
		return;
	}
	ff = fe_file_new(d, uf);
	if (!ff) {
		/* the file owned the request: its release freed it, nothing is left to bind */
		if (p)
			p->vreq = NULL;
		vgc_uapi_release(uf);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (p) {
		p->vreq = NULL;
		__atomic_store_n(&p->bound, true, __ATOMIC_RELEASE);
	}
	fi->fh = (uintptr_t)ff;
	fi->nonseekable = 1;
	fuse_reply_open(req, fi);
}

static void fe_release(fuse_req_t req, struct fuse_file_info *fi)
{
	struct fe_file *ff = (struct fe_file *)(uintptr_t)fi->fh;
	struct vgc_daemon *d = fe_daemon(req);

	for (struct fe_file **pp = &d->dirty; *pp; pp = &(*pp)->next_dirty) {
		if (*pp == ff) {
			*pp = ff->next_dirty;
			break;
		}
	}
	while (ff->reads) {
		struct fe_read *r = ff->reads;

		ff->reads = r->next;
		fuse_reply_err(r->req, EBADF);
		free(r);
	}
	if (ff->ph)
		fuse_pollhandle_destroy(ff->ph);
	vgc_uapi_release(ff->uf);
	free(ff);
	fuse_reply_err(req, 0);
}

static void fe_read_interrupted(fuse_req_t req, void *data)
{
	struct fe_read *r = data;

	fe_unlink_read(r);
	free(r);
	fuse_reply_err(req, EINTR);
}

static void fe_read(fuse_req_t req, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct fe_file *ff = (struct fe_file *)(uintptr_t)fi->fh;
	struct fe_read *r;

	(void)off;
	if (fe_try_read(ff, req, size))
		return;
	if (fi->flags & O_NONBLOCK) {
		fuse_reply_err(req, EAGAIN);
		return;
	}
	/* blocking read: park it until records arrive or a signal interrupts */
	r = calloc(1, sizeof(*r));
	if (!r) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	r->req = req;
	r->size = size;
	r->ff = ff;
	r->next = ff->reads;
	ff->reads = r;
	fuse_req_interrupt_func(req, fe_read_interrupted, r);
}

static void fe_poll(fuse_req_t req, struct fuse_file_info *fi, struct fuse_pollhandle *ph)
{
	struct fe_file *ff = (struct fe_file *)(uintptr_t)fi->fh;

	if (ph) {
		if (ff->ph)
			fuse_pollhandle_destroy(ff->ph);
		ff->ph = ph;
	}
	fuse_reply_poll(req, vgc_uapi_poll(ff->uf));
}

/* Injector thread: the caller is seized; answer its ioctl now. */
static void fe_inject_reply(void *ctx, int err)
{
	struct fe_pending *p = ctx;

	/*
	 * A refusal is answered by the main loop once it has released the
	 * lines (done() always follows): as from the kernel, the lines of a
	 * request that failed are free when the ioctl returns.
	 */
	if (err)
		p->reply_err = err;
	else
		fuse_reply_ioctl(p->req, 0, p->out, p->out_len);
}

/* Injector thread: the caller enters or has left the injected openat. */
static bool fe_inject_opening(void *ctx, bool on)
{
	struct fe_pending *p = ctx;

	__atomic_store_n(&p->opening, on, __ATOMIC_RELEASE);
	return !on && __atomic_load_n(&p->bound, __ATOMIC_ACQUIRE);
}

/*
 * Injector thread: hand the outcome to the main loop, on a list (which
 * cannot fill up, unlike a pipe the main loop may no longer read), with a
 * byte in the pipe to wake the loop (one pending byte is enough).
 */
static void fe_inject_done(void *ctx, int fd, int err, enum vgc_inject_step step)
{
	struct fe_pending *p = ctx;
	struct vgc_daemon *d = p->d;
	char wake = 0;

	p->done_fd = fd;
	p->done_err = err;
	p->done_step = step;
	pthread_mutex_lock(&d->done_lock);
	p->next_done = d->done;
	d->done = p;
	pthread_mutex_unlock(&d->done_lock);
	if (write(d->inj_pipe[1], &wake, 1) < 0) {
		/* EAGAIN: the pipe is full of wake-ups already */
	}
}

void vgc_frontend_injected(struct vgc_daemon *d)
{
	struct fe_pending *done = NULL, *p;
	char buf[64];

	while (read(d->inj_pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&d->done_lock);
	/* the list is newest first: turn it around */
	while ((p = d->done)) {
		d->done = p->next_done;
		p->next_done = done;
		done = p;
	}
	pthread_mutex_unlock(&d->done_lock);
	while ((p = done)) {
		done = p->next_done;
		for (struct fe_pending **pp = &d->pending; *pp; pp = &(*pp)->next) {
			if (*pp == p) {
				*pp = p->next;
				break;
			}
		}
		d->injections++;
		if (p->done_err)
			d->injection_failures++;
		if (d->opt.debug && !p->done_err)
			vgc_log(d, "pid %d got request fd %d", (int)p->tid, p->done_fd);
		if (p->done_err == -EPERM && p->done_step == VGC_INJECT_STEP_CHECK_NODE)
			vgc_log(d, "pid %d: none of its paths to the device is ours; attach it first "
				   "with 'vgpiochip attach --name %s --pid PID'", (int)p->tid, d->cfg->tenant);
		else if (p->done_err)
			vgc_log(d, "line request of pid %d failed at step '%s': %s%s", (int)p->tid,
				vgc_inject_step_name(p->done_step), strerror(-p->done_err),
				p->done_err == -EPERM ? " (is it traced by a debugger or strace, or does "
						    "Yama's ptrace_scope forbid tracing?)"
						  : "");
		/* not opened: nobody owns the lines, so they are released here */
		if (p->vreq)
			vgc_uapi_req_free(p->vreq);
		if (p->reply_err)
			fuse_reply_err(p->req, -p->reply_err);
		free(p);
	}
}

static void fe_new_request(fuse_req_t req, struct vgc_daemon *d, unsigned int cmd, void *arg,
			   struct vgc_req *vreq, const void *out, size_t out_len)
{
	struct vgc_inject_job job = { .reply = fe_inject_reply, .done = fe_inject_done,
				      .opening = fe_inject_opening };
	struct fe_pending *p = calloc(1, sizeof(*p));
	pid_t tid = fuse_req_ctx(req)->pid;
	int ret = -ENOMEM;

	if (!p)
		goto err_free_req;
	/* attached nodes change only while no request is pending (ctl.c): the strings stay put */
	p->paths[job.num_paths++] = d->node;
	for (unsigned int i = 0; i < d->num_attached; i++)
		p->paths[job.num_paths++] = d->attached[i].node;
	p->paths[job.num_paths++] = d->host_node;
	job.paths = p->paths;
	/* a caller in the daemon's own mount namespace (the host) sees the device here */
	job.own_path = d->host_node;
	p->d = d;
	p->tid = tid;
	p->req = req;
	p->vreq = vreq;
	memcpy(p->out, out, out_len);
	p->out_len = out_len;
	job.tid = tid;
	job.arg = (uintptr_t)arg;
	job.arg_size = out_len;
	job.fd_offset = vgc_uapi_fd_offset(cmd);
	job.ctx = p;
	p->next = d->pending;
	d->pending = p;
	ret = vgc_inject_submit(d->inj, &job);
	if (ret) {
		d->pending = p->next;
		goto err_free_pending;
	}
	return;

err_free_pending:
	free(p);
err_free_req:
	vgc_uapi_req_free(vreq);
	fuse_reply_err(req, -ret);
}

/*
 * A 32-bit x86 caller under an x86_64 kernel, the one ABI whose v1 event
 * record differs (x32 callers use the 64-bit layout). The kernel tells a
 * compat caller by FUSE_IOCTL_COMPAT; reads carry no such flag, so the
 * request remembers what its creator was.
 */
static bool fe_caller_i386(unsigned int flags)
{
#if defined(__x86_64__)
	return (flags & FUSE_IOCTL_COMPAT) && !(flags & FE_IOCTL_COMPAT_X32);
#else
	(void)flags;
	return false;
#endif
}

static void fe_ioctl(fuse_req_t req, int cmd, void *arg, struct fuse_file_info *fi,
		     unsigned int flags, const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
	struct fe_file *ff = (struct fe_file *)(uintptr_t)fi->fh;
	struct vgc_daemon *d = fe_daemon(req);
	/* libfuse passes the command as int: compare it unsigned */
	unsigned int ucmd = (unsigned int)cmd;
	unsigned char out[sizeof(struct gpio_v2_line_request)];
	unsigned char in[sizeof(struct gpio_v2_line_request)];
	size_t out_len = sizeof(out);
	size_t size = vgc_uapi_ioctl_size(ucmd);
	struct vgc_req *vreq;
	int ret;

	(void)out_bufsz;
	/* restricted ioctls: the kernel copied in what the command's size says */
	memset(in, 0, sizeof(in));
	memcpy(in, in_buf, in_bufsz < sizeof(in) ? in_bufsz : sizeof(in));
	ret = vgc_uapi_ioctl(ff->uf, fuse_req_ctx(req)->pid, ucmd, in, size ? size : in_bufsz, out,
			     &out_len, &vreq);
	if (d->opt.debug)
		vgc_log(d, "pid %d ioctl 0x%08x in %zu out %zu: %d%s", (int)fuse_req_ctx(req)->pid,
			ucmd, in_bufsz, out_bufsz, ret, vreq ? " (new request)" : "");
	if (ret) {
		fuse_reply_err(req, -ret);
	} else if (vreq) {
		if (fe_caller_i386(flags))
			vgc_uapi_req_set_i386(vreq);
		fe_new_request(req, d, ucmd, arg, vreq, out, out_len);
	} else {
		fuse_reply_ioctl(req, 0, out_len ? out : NULL, out_len);
	}
	vgc_frontend_flush(d);
}

static void fe_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* requests are small: a plain read beats splice's pipe round trips */
	conn->want &= ~(unsigned int)(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
				      FUSE_CAP_SPLICE_MOVE);
}

static void fe_init_done(void *userdata)
{
	struct vgc_daemon *d = userdata;

	d->ready = true;
}

const struct cuse_lowlevel_ops vgc_frontend_ops = {
	.init = fe_init,
	.init_done = fe_init_done,
	.open = fe_open,
	.read = fe_read,
	.release = fe_release,
	.ioctl = fe_ioctl,
	.poll = fe_poll,
};
