// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host backend: a real /dev/gpiochipN through the kernel's GPIO v2
 * uAPI. The host kernel already does what a chardev does to a line
 * (active-low, edge filtering, debounce, event clocks), so a tenant's
 * request becomes one host line request with the same config and only the
 * offsets rewritten, and host errors (EBUSY, ENXIO, EOPNOTSUPP...) reach
 * the tenant as they are. Every request fd sits in one epoll fd; the event
 * loop polls it and dispatch() reads the edges.
 *
 * The host chip can go away under us (gpio-sim made not live, a driver
 * unbound). The chip fd sits in the epoll set too: 6.12 wakes it, and the
 * request fds, with POLLHUP|POLLERR from a device-unregistered notifier.
 * Kernels without that notifier wake nobody, so an inotify watch on the
 * node's directory catches the node going away as well. Either way it is
 * GPIO_GET_CHIPINFO_IOCTL answering ENODEV that says the chip is gone: then
 * every op fails with -ENODEV and be->gone is called once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "backend.h"

/* Events read from a request fd per read(): a flood costs few syscalls. */
#define HOST_READ_BATCH 64
/* Ready request fds taken per epoll_wait(). */
#define HOST_EPOLL_BATCH 32

struct host_req;

struct host_backend {
	struct vgc_backend base;
	int chip_fd;
	int epoll_fd;
	int node_fd; /* inotify on the node's directory, -1 if none */
	unsigned int num_lines;
	char name[GPIO_MAX_NAME_SIZE];
	char label[GPIO_MAX_NAME_SIZE];
	struct host_req *reqs;
	/* released while dispatch() held pointers to them: freed when it ends */
	struct host_req *graveyard;
	bool dispatching;
	bool gone;
};

/* The host's struct vgc_breq: one host line request fd. */
struct host_req {
	struct host_backend *host;
	struct host_req *prev, *next;
	int fd;
	bool dead;
	unsigned int num;
	uint32_t offsets[GPIO_V2_LINES_MAX];
	vgc_backend_edge_fn edge;
	void *owner;
};

static const struct vgc_backend_ops host_ops;

static struct host_backend *host_from(struct vgc_backend *be)
{
	return (struct host_backend *)be;
}

static struct host_req *hostreq_from(struct vgc_breq *br)
{
	return (struct host_req *)br;
}

static int host_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, cmd, arg);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

static unsigned int host_num_lines(struct vgc_backend *be)
{
	return host_from(be)->num_lines;
}

static int host_request(struct vgc_backend *be, const uint32_t *offsets, unsigned int num,
			const struct gpio_v2_line_config *cfg, const char *consumer,
			vgc_backend_edge_fn edge, void *owner, struct vgc_breq **out)
{
	struct host_backend *host = host_from(be);
	struct gpio_v2_line_request lr;
	struct epoll_event ev = { .events = EPOLLIN };
	struct host_req *req;
	int ret;

	if (host->gone)
		return -ENODEV;
	if (num == 0 || num > GPIO_V2_LINES_MAX)
		return -EINVAL;
	memset(&lr, 0, sizeof(lr));
	memcpy(lr.offsets, offsets, num * sizeof(*offsets));
	lr.num_lines = num;
	/* attribute masks index the request's lines, so the config needs no rewriting */
	lr.config = *cfg;
	snprintf(lr.consumer, sizeof(lr.consumer), "%s", consumer ? consumer : "");
	/* the deepest host fifo: the tenant's own queue should be the one that drops */
	lr.event_buffer_size = GPIO_V2_LINES_MAX * 16;

	req = calloc(1, sizeof(*req));
	if (!req)
		return -ENOMEM;
	ret = host_ioctl(host->chip_fd, GPIO_V2_GET_LINE_IOCTL, &lr);
	if (ret)
		goto err_free_req;
	req->fd = lr.fd;
	/* dispatch() must never block the event loop on a read */
	if (fcntl(req->fd, F_SETFL, O_NONBLOCK) < 0) {
		ret = -errno;
		goto err_close_fd;
	}
	ev.data.ptr = req;
	if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, req->fd, &ev) < 0) {
		ret = -errno;
		goto err_close_fd;
	}
	req->host = host;
	req->num = num;
	memcpy(req->offsets, offsets, num * sizeof(*offsets));
	req->edge = edge;
	req->owner = owner;
	req->next = host->reqs;
	if (host->reqs)
		host->reqs->prev = req;
	host->reqs = req;
	*out = (struct vgc_breq *)req;
	return 0;

err_close_fd:
	close(req->fd);
err_free_req:
	free(req);
	return ret;
}

static void host_release(struct vgc_breq *br)
{
	struct host_req *req = hostreq_from(br);
	struct host_backend *host;

	if (!req || req->dead)
		return;
	host = req->host;
	/* closing the fd frees the host lines and drops it from the epoll set */
	close(req->fd);
	req->fd = -1;
	req->dead = true;
	if (req->prev)
		req->prev->next = req->next;
	else
		host->reqs = req->next;
	if (req->next)
		req->next->prev = req->prev;
	if (host->dispatching) {
		/* epoll results still in hand may point here */
		req->next = host->graveyard;
		host->graveyard = req;
		return;
	}
	free(req);
}

static int host_get_values(struct vgc_breq *br, uint64_t mask, uint64_t *bits)
{
	struct host_req *req = hostreq_from(br);
	struct gpio_v2_line_values lv = { .mask = mask };
	int ret;

	if (req->host->gone)
		return -ENODEV;
	ret = host_ioctl(req->fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &lv);
	if (ret)
		return ret;
	*bits = lv.bits & mask;
	return 0;
}

static int host_set_values(struct vgc_breq *br, uint64_t mask, uint64_t bits)
{
	struct host_req *req = hostreq_from(br);
	struct gpio_v2_line_values lv = { .mask = mask, .bits = bits };

	if (req->host->gone)
		return -ENODEV;
	return host_ioctl(req->fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &lv);
}

static int host_set_config(struct vgc_breq *br, const struct gpio_v2_line_config *cfg)
{
	struct host_req *req = hostreq_from(br);
	struct gpio_v2_line_config lc = *cfg;

	if (req->host->gone)
		return -ENODEV;
	return host_ioctl(req->fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc);
}

static int host_line_info(struct vgc_backend *be, uint32_t offset, struct gpio_v2_line_info *info)
{
	struct host_backend *host = host_from(be);

	if (host->gone)
		return -ENODEV;
	if (offset >= host->num_lines)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->offset = offset;
	return host_ioctl(host->chip_fd, GPIO_V2_GET_LINEINFO_IOCTL, info);
}

static int host_poll_fd(struct vgc_backend *be)
{
	return host_from(be)->epoll_fd;
}

/* The index of a host offset in the request, or -1 (an event we did not ask for). */
static int hostreq_index(const struct host_req *req, uint32_t offset)
{
	for (unsigned int i = 0; i < req->num; i++)
		if (req->offsets[i] == offset)
			return (int)i;
	return -1;
}

/* Everything the request fd has now; stops early if a callback released it. */
static void hostreq_drain(struct host_req *req)
{
	struct gpio_v2_line_event evs[HOST_READ_BATCH];
	ssize_t n;

	while (!req->dead) {
		n = read(req->fd, evs, sizeof(evs));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < (ssize_t)sizeof(evs[0]))
			return;
		for (size_t i = 0; i < (size_t)n / sizeof(evs[0]) && !req->dead; i++) {
			int idx = hostreq_index(req, evs[i].offset);

			if (idx >= 0 && req->edge)
				req->edge(req->owner, (unsigned int)idx, &(struct vgc_edge){
					.timestamp_ns = evs[i].timestamp_ns, .id = evs[i].id,
					.seqno = evs[i].seqno, .line_seqno = evs[i].line_seqno,
				});
		}
		/*
		 * A short read emptied the fifo: no read just to hear EAGAIN
		 * (epoll is level-triggered, an edge since is seen next turn)
		 */
		if (n < (ssize_t)sizeof(evs))
			return;
	}
}

/*
 * Whether the host chip is gone. A hung-up fd or a node that went away is
 * only a hint (someone may just have removed the node): the chip says ENODEV
 * to every ioctl once it has been removed, on every kernel.
 */
static bool host_chip_gone(struct host_backend *host)
{
	struct gpiochip_info ci;

	return host_ioctl(host->chip_fd, GPIO_GET_CHIPINFO_IOCTL, &ci) == -ENODEV;
}

/* Empties the inotify fd; what changed in the directory does not matter. */
static void host_node_drain(struct host_backend *host)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(host->node_fd, buf, sizeof(buf)) > 0)
		;
}

/* Nothing the host chip's fds say means anything any more: stop watching them. */
static void host_mark_gone(struct host_backend *host)
{
	host->gone = true;
	epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, host->chip_fd, NULL);
	if (host->node_fd >= 0)
		epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, host->node_fd, NULL);
	/* the request fds themselves stay open until the owner releases them */
	for (struct host_req *req = host->reqs; req; req = req->next)
		epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, req->fd, NULL);
}

static void host_dispatch(struct vgc_backend *be)
{
	struct host_backend *host = host_from(be);
	struct epoll_event evs[HOST_EPOLL_BATCH];
	bool suspect = false;
	int n;

	if (host->gone)
		return;
	host->dispatching = true;
	/* level-triggered: a request left unread now is simply ready next turn */
	n = epoll_wait(host->epoll_fd, evs, HOST_EPOLL_BATCH, 0);
	for (int i = 0; i < n; i++) {
		struct host_req *req = evs[i].data.ptr;

		if (evs[i].data.ptr == &host->chip_fd) {
			suspect = true;
			continue;
		}
		if (evs[i].data.ptr == &host->node_fd) {
			host_node_drain(host);
			suspect = true;
			continue;
		}
		hostreq_drain(req);
		/*
		 * A request fd hangs up for good when the host chip goes: stop
		 * watching it (the fd itself goes at release), or the loop spins.
		 */
		if (!req->dead && (evs[i].events & (EPOLLHUP | EPOLLERR))) {
			epoll_ctl(host->epoll_fd, EPOLL_CTL_DEL, req->fd, NULL);
			suspect = true;
		}
	}
	if (suspect && host_chip_gone(host)) {
		host_mark_gone(host);
		/* the owner releases requests from here: the graveyard keeps them safe */
		if (be->gone)
			be->gone(be->gone_data);
	}
	host->dispatching = false;
	while (host->graveyard) {
		struct host_req *req = host->graveyard;

		host->graveyard = req->next;
		free(req);
	}
}

static void host_close(struct vgc_backend *be)
{
	struct host_backend *host = host_from(be);

	if (!host)
		return;
	/* every request should be gone by now; free what a caller forgot */
	while (host->reqs)
		host_release((struct vgc_breq *)host->reqs);
	if (host->node_fd >= 0)
		close(host->node_fd);
	close(host->epoll_fd);
	close(host->chip_fd);
	free(host);
}

static const struct vgc_backend_ops host_ops = {
	.kind = "host",
	.num_lines = host_num_lines,
	.request = host_request,
	.release = host_release,
	.get_values = host_get_values,
	.set_values = host_set_values,
	.set_config = host_set_config,
	.line_info = host_line_info,
	.poll_fd = host_poll_fd,
	.dispatch = host_dispatch,
	.close = host_close,
};

/*
 * Puts the chip fd and an inotify watch on the node's directory in the epoll
 * set; both only wake dispatch() to ask the chip whether it is gone. Without
 * inotify (no instances left) 6.7 and later still say so through the chip fd.
 */
static int host_watch_chip(struct host_backend *host, const char *path)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &host->chip_fd };
	const char *slash = strrchr(path, '/');
	char dir[64];

	if (epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, host->chip_fd, &ev) < 0)
		return -errno;
	host->node_fd = -1;
	if (!slash || !slash[1])
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	host->node_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (host->node_fd < 0)
		return 0;
	ev.data.ptr = &host->node_fd;
	if (inotify_add_watch(host->node_fd, dir, IN_DELETE | IN_MOVED_FROM) < 0 ||
	    epoll_ctl(host->epoll_fd, EPOLL_CTL_ADD, host->node_fd, &ev) < 0) {
		close(host->node_fd);
		host->node_fd = -1;
	}
	return 0;
}

/* Opens path as a GPIO chip and reads its info; fd or -errno. */
static int host_chip_open(const char *path, struct gpiochip_info *ci)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	memset(ci, 0, sizeof(*ci));
	ret = host_ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, ci);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* The /dev/gpiochip* whose label is label; fd or -errno (-ENOENT if none). */
static int host_chip_by_label(const char *label, char *path, size_t pathlen,
			      struct gpiochip_info *ci)
{
	struct dirent *de;
	int fd = -ENOENT;
	DIR *dir = opendir("/dev");

	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char candidate[64];

		if (strncmp(de->d_name, "gpiochip", 8))
			continue;
		snprintf(candidate, sizeof(candidate), "/dev/%.50s", de->d_name);
		fd = host_chip_open(candidate, ci);
		if (fd >= 0 && !strncmp(ci->label, label, sizeof(ci->label))) {
			snprintf(path, pathlen, "%s", candidate);
			break;
		}
		if (fd >= 0)
			close(fd);
		fd = -ENOENT;
	}
	closedir(dir);
	return fd;
}

struct vgc_backend *vgc_backend_host_open(const char *chip, char *err, size_t errlen)
{
	struct gpiochip_info ci;
	struct host_backend *host;
	char path[64];
	int fd, saved;

	if (!chip || !chip[0] || strlen(chip) > 48) {
		snprintf(err, errlen, "--chip wants /dev/gpiochipN, gpiochipN or a chip label");
		errno = EINVAL;
		return NULL;
	}
	if (chip[0] == '/')
		snprintf(path, sizeof(path), "%s", chip);
	else
		snprintf(path, sizeof(path), "/dev/%s", chip);
	fd = host_chip_open(path, &ci);
	/* not a node under /dev: perhaps a label */
	if (fd == -ENOENT && !strchr(chip, '/'))
		fd = host_chip_by_label(chip, path, sizeof(path), &ci);
	if (fd < 0) {
		if (fd == -ENOENT)
			snprintf(err, errlen,
				 "host chip '%s': no such device node and no chip with that label "
				 "(gpiodetect lists them)", chip);
		else if (fd == -ENOTTY || fd == -EINVAL)
			snprintf(err, errlen, "host chip '%s': %s is not a GPIO chip", chip, path);
		else if (fd == -EACCES || fd == -EPERM)
			snprintf(err, errlen, "host chip '%s': cannot open %s: %s (run as root)",
				 chip, path, strerror(-fd));
		else
			snprintf(err, errlen, "host chip '%s': cannot open %s: %s", chip, path,
				 strerror(-fd));
		errno = -fd;
		return NULL;
	}
	host = calloc(1, sizeof(*host));
	if (!host) {
		snprintf(err, errlen, "out of memory");
		goto err_close_chip;
	}
	host->base.ops = &host_ops;
	host->chip_fd = fd;
	host->num_lines = ci.lines;
	snprintf(host->name, sizeof(host->name), "%.*s", GPIO_MAX_NAME_SIZE - 1, ci.name);
	snprintf(host->label, sizeof(host->label), "%.*s", GPIO_MAX_NAME_SIZE - 1, ci.label);
	host->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (host->epoll_fd < 0) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		goto err_free_host;
	}
	saved = host_watch_chip(host, path);
	if (saved) {
		snprintf(err, errlen, "host chip '%s': cannot watch %s: %s", chip, path,
			 strerror(-saved));
		errno = -saved;
		goto err_close_epoll;
	}
	return &host->base;

err_close_epoll:
	saved = errno;
	close(host->epoll_fd);
	errno = saved;
err_free_host:
	saved = errno;
	free(host);
	errno = saved;
err_close_chip:
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}

const char *vgc_backend_host_name(struct vgc_backend *be)
{
	if (!be || be->ops != &host_ops)
		return NULL;
	return host_from(be)->name;
}

const char *vgc_backend_host_label(struct vgc_backend *be)
{
	if (!be || be->ops != &host_ops)
		return NULL;
	return host_from(be)->label;
}
