// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgpiochip --vhost-user SOCKET: start-up, the event loop and shutdown of
 * the VM front end. One thread, one epoll set: the vhost-user socket (one
 * front end at a time; the next waits in the backlog), the two kick
 * eventfds, the backend, signals and the control socket. Nothing wakes it
 * while the guest is idle.
 */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_gpio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../cuse/daemon.h"
#include "../cuse/privs.h"
#include "../cuse/report.h"
#include "../cuse/settings.h"
#include "gpio.h"
#include "proto.h"
#include "vhost.h"

enum { T_SIG, T_CTL, T_BE, T_LISTEN, T_CONN, T_KICK0, T_KICK1, T_NUM };

struct vhost_run {
	struct vgc_daemon *d;
	const char *path;
	int ep, listen_fd, conn_fd;
	struct vhu_dev v;
	struct vgpio *g;
	bool running;		/* the request queue is up */
	bool stop;
};

static int run_watch(struct vhost_run *r, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	return fd < 0 ? 0 : epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev);
}

static void run_unwatch(struct vhost_run *r, int fd)
{
	if (fd >= 0)
		epoll_ctl(r->ep, EPOLL_CTL_DEL, fd, NULL);
}

/* Every request waiting on queue q gets its answer; one interrupt for the lot. */
static void run_queue(struct vhost_run *r, unsigned int q)
{
	struct vhu_vq *vq = &r->v.vq[q];
	struct vhu_chain c;
	bool pushed = false;
	int ret;

	if (!r->g)
		return;
	/* a guest cannot keep us here: at most a ring's worth per turn */
	for (unsigned int n = 0; n < vq->num; n++) {
		ret = vhu_vq_pop(vq, &r->v.mem, &c);
		if (!ret)
			break;
		if (ret == -EIO)
			continue;
		if (ret < 0) {
			/* a bad chain fails that request alone */
			vhu_vq_push(vq, c.head, 0);
			pushed = true;
			continue;
		}
		if (q == 0) {
			vhu_vq_push(vq, c.head, vgc_vgpio_request(r->g, &c));
			pushed = true;
		} else {
			vgc_vgpio_event_buffer(r->g, &c);
		}
	}
	if (pushed)
		vhu_vq_notify(vq);
}

/* proto's hook: new kick fds to watch, a queue started or stopped. */
static void run_rings_changed(void *data)
{
	struct vhost_run *r = data;
	bool running;

	for (unsigned int q = 0; q < VHU_NUM_QUEUES; q++) {
		/* a closed fd left the set by itself and its number may be back: add afresh */
		run_unwatch(r, r->v.vq[q].kick_fd);
		if (run_watch(r, r->v.vq[q].kick_fd, T_KICK0 + q))
			vgc_log(r->d, "cannot watch a kick fd: %s", strerror(errno));
	}
	if (!r->g)
		return;
	r->g->irq = r->v.features & (1ull << VIRTIO_GPIO_F_IRQ);
	r->g->evq = &r->v.vq[1];
	r->g->mem = &r->v.mem;
	running = vhu_vq_ready(&r->v.vq[0]);
	/* the guest's driver stopped (reset, reboot, unbind): every line to its release state */
	if (r->running && !running) {
		vgc_log(r->d, "the guest's driver stopped: every line goes to its release state");
		vgc_vgpio_reset(r->g);
	} else if (!r->running && running) {
		/* a ring already used: the driver ran before this connection (we were restarted) */
		r->g->resumed = r->v.vq[0].used_idx != 0;
		vgc_log(r->d, "the guest's driver is up (interrupts %s)%s", r->g->irq ? "on" : "off",
			r->g->resumed ? ", resumed after a back-end restart: the outputs it still "
					"holds are taken again at their next value" : "");
	}
	r->running = running;
	for (unsigned int q = 0; q < VHU_NUM_QUEUES; q++)
		run_queue(r, q);
}

static int run_get_config(void *data, uint32_t offset, uint8_t *buf, uint32_t size)
{
	struct vhost_run *r = data;

	return r->g ? vgc_vgpio_config(r->g, offset, buf, size) : -EINVAL;
}

static void run_reset(void *data)
{
	struct vhost_run *r = data;

	if (r->g)
		vgc_vgpio_reset(r->g);
	r->running = false;
}

static const struct vhu_device_ops run_ops = {
	.features = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_GPIO_F_IRQ),
	.get_config = run_get_config,
	.rings_changed = run_rings_changed,
	.reset = run_reset,
};

static void run_disconnect(struct vhost_run *r, const char *why)
{
	vgc_log(r->d, "front end %s: every line goes to its release state", why);
	run_unwatch(r, r->conn_fd);
	vgc_vhost_proto_reset(&r->v);
	vgc_vgpio_free(r->g);
	r->g = NULL;
	r->running = false;
	close(r->conn_fd);
	r->conn_fd = -1;
	if (run_watch(r, r->listen_fd, T_LISTEN))
		r->stop = true;
}

static void run_accept(struct vhost_run *r)
{
	struct ucred cred = { 0 };
	socklen_t len = sizeof(cred);
	/* a front end that stops mid-message does not stall the daemon for long */
	struct timeval tv = { .tv_sec = 1 };
	int fd = accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r->g = vgc_vgpio_new(r->d->chip, cred.pid);
	if (!r->g) {
		vgc_log(r->d, "cannot serve a front end: %s", strerror(errno));
		close(fd);
		return;
	}
	vgc_vhost_proto_init(&r->v, &run_ops, r);
	r->conn_fd = fd;
	run_unwatch(r, r->listen_fd);
	if (run_watch(r, fd, T_CONN)) {
		run_disconnect(r, "could not be watched");
		return;
	}
	vgc_log(r->d, "front end connected (pid %d): %u lines", (int)cred.pid, r->g->ngpio);
}

/* Reads exactly len bytes; the fds of the first read go to fds. */
static int run_recv(int fd, void *buf, size_t len, int *fds, unsigned int *nfds)
{
	union {
		char buf[CMSG_SPACE(VHU_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} u;
	size_t done = 0;

	while (done < len) {
		struct iovec iov = { (uint8_t *)buf + done, len - done };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (fds) {
			mh.msg_control = u.buf;
			mh.msg_controllen = sizeof(u.buf);
		}
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (n <= 0)
			return n < 0 ? -errno : -ECONNRESET;
		for (struct cmsghdr *c = fds ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c)) {
			unsigned int k;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			k = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (unsigned int i = 0; i < k; i++) {
				int f;

				memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (*nfds < VHU_MAX_FDS)
					fds[(*nfds)++] = f;
				else
					close(f);
			}
		}
		/* fds come with the header only */
		fds = NULL;
		done += (size_t)n;
	}
	return 0;
}

static void run_message(struct vhost_run *r)
{
	struct vhu_msg m, reply;
	int fds[VHU_MAX_FDS], ret;
	unsigned int nfds = 0;

	ret = run_recv(r->conn_fd, &m, VHU_HDR_SIZE, fds, &nfds);
	if (!ret && vgc_vhost_proto_check(&m))
		ret = -EPROTO;
	if (!ret && m.size)
		ret = run_recv(r->conn_fd, m.payload, m.size, NULL, NULL);
	if (ret) {
		for (unsigned int i = 0; i < nfds; i++)
			close(fds[i]);
		run_disconnect(r, ret == -ECONNRESET ? "disconnected" : "broke the protocol");
		return;
	}
	if (r->d->opt.debug) {
		uint32_t w[2] = { 0, 0 };

		/* the first two words say the queue and its index for the ring requests */
		memcpy(w, m.payload, m.size < sizeof(w) ? m.size : sizeof(w));
		vgc_log(r->d, "vhost-user request %u, %u bytes (%u %u ...), %u fds", m.request,
			m.size, w[0], w[1], nfds);
	}
	ret = vgc_vhost_proto_handle(&r->v, &m, fds, nfds, &reply);
	if (ret < 0) {
		run_disconnect(r, "broke the protocol");
		return;
	}
	if (ret > 0 && send(r->conn_fd, &reply, VHU_HDR_SIZE + reply.size, MSG_NOSIGNAL) < 0)
		run_disconnect(r, "went away");
}

static void run_kick(struct vhost_run *r, unsigned int q)
{
	uint64_t n;

	if (read(r->v.vq[q].kick_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	run_queue(r, q);
}

static void run_signal(struct vhost_run *r)
{
	struct signalfd_siginfo si;
	char ans[VGC_CONFIG_ERR_MAX + 256];

	while (read(r->d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP) {
			r->stop = true;
			continue;
		}
		if (!vgc_privs_raise(r->d)) {
			vgc_ctl_reload(r->d, ans, sizeof(ans));
			vgc_privs_lower(r->d);
		}
	}
}

static void run_loop(struct vhost_run *r)
{
	struct vgc_daemon *d = r->d;
	int be_fd = d->be->ops->poll_fd ? d->be->ops->poll_fd(d->be) : -1;

	if (run_watch(r, d->sig_fd, T_SIG) || run_watch(r, d->ctl_fd, T_CTL) ||
	    run_watch(r, be_fd, T_BE) || run_watch(r, r->listen_fd, T_LISTEN)) {
		vgc_log(d, "cannot set up the event loop: %s", strerror(errno));
		return;
	}
	while (!r->stop) {
		struct epoll_event evs[T_NUM];
		uint32_t ready = 0;
		int n;

		vgc_log_hold(false);
		n = epoll_wait(r->ep, evs, T_NUM, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			vgc_log(d, "epoll_wait: %s", strerror(errno));
			break;
		}
		vgc_log_hold(true);
		for (int i = 0; i < n; i++)
			ready |= 1u << evs[i].data.u32;
		if (ready & (1u << T_SIG))
			run_signal(r);
		/* first what the host did: a request served next must see it */
		if (ready & (1u << T_BE))
			d->be->ops->dispatch(d->be);
		if (ready & (1u << T_CTL)) {
			vgc_privs_raise(d);
			vgc_ctl_accept(d);
			vgc_privs_lower(d);
		}
		if (ready & (1u << T_LISTEN) && r->conn_fd < 0)
			run_accept(r);
		if (ready & (1u << T_CONN) && r->conn_fd >= 0)
			run_message(r);
		for (unsigned int q = 0; q < VHU_NUM_QUEUES; q++)
			if (ready & (1u << (T_KICK0 + q)) && r->g)
				run_kick(r, q);
		/* edges the host or `vgpiochip sim set` made, as interrupts */
		if (r->g)
			vgc_vgpio_flush(r->g);
	}
	vgc_log_hold(false);
}

/* The backend, as the CUSE daemon makes it: --sim N, else the host chip. */
static int run_backend(struct vgc_daemon *d)
{
	char err[512];

	if (d->cfg->sim_lines)
		d->be = vgc_backend_sim_open(d->cfg->sim_lines);
	else
		d->be = vgc_backend_host_open(d->cfg->chip ? d->cfg->chip : "gpiochip0", err,
					      sizeof(err));
	if (!d->be) {
		int e = errno;

		if (d->cfg->sim_lines)
			vgc_log(d, "cannot make %u simulated lines: %s", d->cfg->sim_lines,
				strerror(e));
		else
			vgc_log(d, "%s", err);
		return -e;
	}
	for (unsigned int i = 0; i < d->map->num; i++) {
		if (d->map->entries[i].host >= d->be->ops->num_lines(d->be)) {
			vgc_log(d, "the map names host line %u but the host chip has %u lines",
				d->map->entries[i].host, d->be->ops->num_lines(d->be));
			return -EINVAL;
		}
	}
	return vgc_daemon_claim_host_lines(d, NULL, 0);
}

static int run_chip(struct vgc_daemon *d)
{
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_chip_config cfg = {
		.tenant = d->cfg->tenant,
		.num_lines = d->cfg->lines,
		.ready = vgc_vgpio_ready,
		.audit = vgc_report_audit,
		.audit_data = d,
	};
	int ret = vgc_settings_apply(d, d->cfg, err, sizeof(err));

	if (ret) {
		vgc_log(d, "%s", err);
		return ret;
	}
	ret = run_backend(d);
	if (ret)
		return ret;
	snprintf(d->chip_name, sizeof(d->chip_name), "%s",
		 d->cfg->chip_name ? d->cfg->chip_name : "gpiochip0");
	snprintf(d->label, sizeof(d->label), "%.*s", (int)sizeof(d->label) - 1,
		 d->cfg->label ? d->cfg->label : d->cfg->tenant);
	/* status and attach name this; there is no device node in this mode */
	snprintf(d->host_node, sizeof(d->host_node), "(vhost-user)");
	cfg.name = d->chip_name;
	cfg.label = d->label;
	cfg.map = d->map;
	cfg.rules = d->rules;
	d->chip = vgc_chip_new(&cfg, d->be);
	if (!d->chip) {
		vgc_log(d, "cannot build the virtual chip: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* The socket QEMU's -chardev socket,path= connects to; a stale one is replaced. */
static int run_listen(struct vhost_run *r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(r->path) >= sizeof(sa.sun_path)) {
		vgc_log(r->d, "--vhost-user path is longer than %zu bytes", sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, r->path);
	r->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (r->listen_fd < 0)
		return -errno;
	unlink(r->path);
	if (bind(r->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(r->listen_fd, 1)) {
		int e = errno;

		vgc_log(r->d, "cannot listen on %s: %s", r->path, strerror(e));
		return -e;
	}
	return 0;
}

int vgc_vhost_run(struct vgc_options *opt, struct vgc_config *cfg,
		  const struct vgc_config_flags *flags, const char *socket_path)
{
	struct vhost_run r = { .path = socket_path, .ep = -1, .listen_fd = -1, .conn_fd = -1 };
	struct vgc_daemon *d = calloc(1, sizeof(*d));
	int ret = -ENOMEM;

	if (!d) {
		vgc_config_free(cfg);
		return 1;
	}
	r.d = d;
	d->opt = *opt;
	d->cfg = cfg;
	d->flags = *flags;
	d->ctl_fd = d->sig_fd = d->inj_pipe[0] = d->inj_pipe[1] = -1;
	pthread_mutex_init(&d->done_lock, NULL);
	snprintf(d->state_path, sizeof(d->state_path), "%s/%s.attach", opt->run_dir, cfg->tenant);
	r.ep = epoll_create1(EPOLL_CLOEXEC);
	if (r.ep < 0)
		goto out;
	ret = run_chip(d);
	if (!ret)
		ret = vgc_daemon_signals(d);
	if (!ret)
		ret = run_listen(&r);
	if (ret)
		goto out;
	ret = vgc_ctl_listen(d);
	if (ret) {
		vgc_log(d, "cannot make the control socket in %s: %s", opt->run_dir, strerror(-ret));
		goto out;
	}
	ret = vgc_privs_check_ctl(d);
	if (ret)
		goto out;
	/* the privilege drop runs its part on the injector thread too */
	d->inj = vgc_inject_start();
	if (!d->inj) {
		ret = -errno;
		goto out;
	}
	ret = vgc_privs_drop(d);
	if (ret)
		goto out;
	printf("vgpiochip %s: vhost-user-gpio back end on %s, \"%s\" with %u lines\n",
	       d->cfg->tenant, socket_path, d->label, vgc_chip_num_lines(d->chip));
	fflush(stdout);
	run_loop(&r);
	vgc_log(d, "stopping: lines go to their release states");
out:
	if (r.conn_fd >= 0) {
		vgc_vhost_proto_reset(&r.v);
		vgc_vgpio_free(r.g);
		close(r.conn_fd);
	}
	if (d->inj)
		vgc_inject_stop(d->inj);
	if (r.listen_fd >= 0) {
		close(r.listen_fd);
		unlink(socket_path);
	}
	if (r.ep >= 0)
		close(r.ep);
	if (d->ctl_fd >= 0) {
		close(d->ctl_fd);
		unlink(d->ctl_path);
	}
	if (d->chip)
		vgc_chip_free(d->chip);
	if (d->be)
		d->be->ops->close(d->be);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	vgc_policy_map_free(d->map);
	free(d->rules);
	vgc_config_free(d->cfg);
	pthread_mutex_destroy(&d->done_lock);
	free(d);
	return ret ? 1 : 0;
}
