// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Start-up, the event loop and shutdown. One thread serves CUSE, the
 * backend, signals and the control socket; the injector has its own.
 */
#define FUSE_USE_VERSION 31
#include <cuse_lowlevel.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "settings.h"
#include "daemon.h"
#include "hostlock.h"
#include "privs.h"
#include "../sysfs/fs.h"

/*
 * The host lines this tenant serves, claimed in the registry for the
 * daemon's lifetime. Process state, not per-chip: exit drops the locks.
 */
static struct vgc_hostlock *daemon_hostlock;

/* The backend: simulated lines with --sim, else the host chip (gpiochip0 by default). */
static int daemon_backend(struct vgc_daemon *d)
{
	char err[512];
	const char *chip = d->cfg->chip ? d->cfg->chip : "gpiochip0";

	if (d->cfg->sim_lines) {
		d->be = vgc_backend_sim_open(d->cfg->sim_lines);
		if (!d->be) {
			vgc_log(d, "cannot make %u simulated lines: %s", d->cfg->sim_lines,
				strerror(errno));
			return -errno;
		}
		return 0;
	}
	d->be = vgc_backend_host_open(chip, err, sizeof(err));
	if (!d->be) {
		vgc_log(d, "%s", err);
		return -errno;
	}
	vgc_log(d, "host chip %s [%s] with %u lines", vgc_backend_host_name(d->be),
		vgc_backend_host_label(d->be), d->be->ops->num_lines(d->be));
	return 0;
}

/* Refuses host lines another running tenant serves, at start and on reload. */
int vgc_daemon_claim_host_lines(struct vgc_daemon *d, char *err, size_t errlen)
{
	char buf[512];
	uint32_t *hosts;

	if (!vgc_backend_host_name(d->be))
		return 0;
	hosts = calloc(d->map->num ? d->map->num : 1, sizeof(*hosts));
	if (!hosts)
		return -ENOMEM;
	for (unsigned int i = 0; i < d->map->num; i++)
		hosts[i] = d->map->entries[i].host;
	/* our own old claim would stand in the way of the lines both maps share */
	vgc_hostlock_close(daemon_hostlock);
	daemon_hostlock = vgc_hostlock_open(d->opt.run_dir, vgc_backend_host_name(d->be),
					    d->cfg->tenant, hosts, d->map->num,
					    err ? err : buf, err ? errlen : sizeof(buf));
	free(hosts);
	if (!daemon_hostlock) {
		if (!err)
			vgc_log(d, "%s", buf);
		return -errno;
	}
	return 0;
}

/* The host chip went away: its files go where a kernel chardev's would; the daemon stays. */
static void daemon_backend_gone(void *data)
{
	struct vgc_daemon *d = data;

	vgc_log(d, "host chip %s is gone: open files now get ENODEV; restart vgpiochip "
		"once the chip is back", vgc_backend_host_name(d->be));
	vgc_chip_gone(d->chip);
	vgc_frontend_flush(d);
}

static int daemon_chip(struct vgc_daemon *d)
{
	char err[256];
	struct vgc_chip_config cfg = {
		.tenant = d->cfg->tenant,
		.num_lines = d->cfg->lines,
		.ready = vgc_frontend_ready,
		.ready_data = d,
		.audit = vgc_report_audit,
		.audit_data = d,
	};
	char node[PATH_MAX];
	unsigned int host_lines;
	int ret;

	ret = vgc_settings_apply(d, d->cfg, err, sizeof(err));
	if (ret) {
		vgc_log(d, "%s", err);
		return ret;
	}
	ret = daemon_backend(d);
	if (ret)
		return ret;
	host_lines = d->be->ops->num_lines(d->be);
	for (unsigned int i = 0; i < d->map->num; i++) {
		if (d->map->entries[i].host >= host_lines) {
			const char *host = vgc_backend_host_name(d->be);

			vgc_log(d, "the map names host line %u but the host chip%s%s has lines 0-%u",
				d->map->entries[i].host, host ? " " : "", host ? host : "",
				host_lines - 1);
			return -EINVAL;
		}
	}
	ret = vgc_daemon_claim_host_lines(d, NULL, 0);
	if (ret)
		return ret;
	/* clients match the chip name against the node they opened */
	snprintf(d->node, sizeof(d->node), "%s", d->cfg->node ? d->cfg->node : VGC_DEFAULT_NODE);
	snprintf(node, sizeof(node), "%s", d->node);
	snprintf(d->chip_name, sizeof(d->chip_name), "%s",
		 d->cfg->chip_name ? d->cfg->chip_name : basename(node));
	/* a label is cut to what the uAPI carries */
	snprintf(d->label, sizeof(d->label), "%.*s", (int)sizeof(d->label) - 1,
		 d->cfg->label ? d->cfg->label : d->cfg->tenant);
	cfg.name = d->chip_name;
	cfg.label = d->label;
	cfg.map = d->map;
	cfg.rules = d->rules;
	d->chip = vgc_chip_new(&cfg, d->be);
	if (!d->chip) {
		vgc_log(d, "cannot build the virtual chip: %s", strerror(errno));
		return -errno;
	}
	d->be->gone = daemon_backend_gone;
	d->be->gone_data = d;
	return 0;
}

static int daemon_cuse(struct vgc_daemon *d)
{
	char devinfo[160], mnt[32];
	const char *dev_info_argv[] = { devinfo };
	char *argv[] = { "vgpiochip", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	struct cuse_info ci = {
		.dev_major = d->cfg->has_dev ? d->cfg->dev_major : 0,
		.dev_minor = d->cfg->has_dev ? d->cfg->dev_minor : 0,
		.dev_info_argc = 1,
		.dev_info_argv = dev_info_argv,
	};
	int fd;

	snprintf(d->devname, sizeof(d->devname), "%s",
		 d->cfg->devname ? d->cfg->devname : "");
	if (!d->devname[0])
		snprintf(d->devname, sizeof(d->devname), "vgpiochip-%s", d->cfg->tenant);
	snprintf(devinfo, sizeof(devinfo), "DEVNAME=%s", d->devname);
	snprintf(d->host_node, sizeof(d->host_node), "/dev/%s", d->devname);

	fd = open("/dev/cuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		if (err == ENOENT || err == ENODEV || err == ENXIO)
			vgc_log(d, "cannot open /dev/cuse: load the module with 'modprobe cuse'");
		else if (err == EACCES || err == EPERM)
			vgc_log(d, "cannot open /dev/cuse: %s (run vgpiochip as root)", strerror(err));
		else
			vgc_log(d, "cannot open /dev/cuse: %s", strerror(err));
		return -err;
	}
	d->se = cuse_lowlevel_new(&args, &ci, &vgc_frontend_ops, d);
	if (!d->se) {
		close(fd);
		vgc_log(d, "cannot set up the CUSE session");
		return -ENOMEM;
	}
	/* hand libfuse our fd: it then mounts nothing and we keep the error messages */
	snprintf(mnt, sizeof(mnt), "/dev/fd/%d", fd);
	if (fuse_session_mount(d->se, mnt)) {
		close(fd);
		vgc_log(d, "cannot attach the CUSE session to /dev/cuse");
		return -EIO;
	}
	return 0;
}

/* --sysfs: /sys/class/gpio for attach --sysfs, mounted on the host at RUN_DIR/NAME.sysfs. */
static int daemon_sysfs(struct vgc_daemon *d)
{
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct vgc_sysfs_fs_config cfg = { .path = path, .base = d->opt.sysfs_base,
					   .label = d->label };

	if (!d->opt.sysfs)
		return 0;
	snprintf(path, sizeof(path), "%s/%s.sysfs", d->opt.run_dir, d->cfg->tenant);
	d->sysfs = vgc_sysfs_fs_open(d->chip, &cfg, err, sizeof(err));
	if (!d->sysfs) {
		vgc_log(d, "%s", err);
		return -EIO;
	}
	return 0;
}

int vgc_daemon_signals(struct vgc_daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* blocked before any thread starts, so every thread inherits the mask */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -EINVAL;
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->sig_fd < 0 ? -errno : 0;
}

static void daemon_cuse_turn(struct vgc_daemon *d, struct fuse_buf *buf)
{
	int n = fuse_session_receive_buf(d->se, buf);

	if (n == -EINTR || n == -EAGAIN)
		return;
	if (n <= 0) {
		/* the device went away under us */
		if (n < 0)
			vgc_log(d, "CUSE connection ended: %s", strerror(-n));
		d->stop = true;
		return;
	}
	fuse_session_process_buf(d->se, buf);
}

/*
 * Whether the kernel took the device CUSE's init asked for. When it cannot
 * register the number (taken, or a dynamic range ran out) or the name (in
 * /sys/class/cuse already), it aborts the connection while handling our
 * init reply, which has been written by now: the fd then polls POLLERR.
 */
static int daemon_check_registered(struct vgc_daemon *d)
{
	struct pollfd p = { .fd = fuse_session_fd(d->se), .events = POLLIN };
	char path[PATH_MAX];

	if (poll(&p, 1, 0) != 1 || !(p.revents & (POLLERR | POLLHUP)))
		return 0;
	snprintf(path, sizeof(path), "/sys/class/cuse/%s", d->devname);
	if (!access(path, F_OK))
		vgc_log(d, "device name %s refused by the kernel: another daemon has it (see %s); "
			"stop that one or give this one another --devname or --name", d->devname,
			path);
	else if (d->cfg->has_dev)
		vgc_log(d, "device number %u:%u refused by the kernel (already in use?): see "
			"/proc/devices and pick a free MAJ from 300 to 383", d->cfg->dev_major,
			d->cfg->dev_minor);
	else
		vgc_log(d, "the kernel refused the CUSE device %s (dmesg says why)", d->devname);
	return -EBUSY;
}

/* The device's number, from its node or sysfs; with --dev, it must be that one. */
static int daemon_find_rdev(struct vgc_daemon *d)
{
	char path[PATH_MAX], text[32];
	unsigned int maj, min;
	struct stat st;
	FILE *f;

	if (daemon_check_registered(d))
		return -EBUSY;
	if (!stat(d->host_node, &st) && S_ISCHR(st.st_mode)) {
		d->rdev = st.st_rdev;
		if (d->cfg->has_dev && d->rdev != makedev(d->cfg->dev_major, d->cfg->dev_minor)) {
			vgc_log(d, "%s is %u:%u, not the %u:%u asked for: another device has that "
				"name (see /proc/devices and /sys/class/cuse)", d->host_node,
				major(d->rdev), minor(d->rdev), d->cfg->dev_major, d->cfg->dev_minor);
			return -EBUSY;
		}
		return 0;
	}
	/* no devtmpfs: the class directory still says it */
	snprintf(path, sizeof(path), "/sys/class/cuse/%s/dev", d->devname);
	f = fopen(path, "re");
	if (!f || !fgets(text, sizeof(text), f) || sscanf(text, "%u:%u", &maj, &min) != 2) {
		if (f)
			fclose(f);
		vgc_log(d, "the CUSE device %s has no node and no %s", d->devname, path);
		return -ENODEV;
	}
	fclose(f);
	d->rdev = makedev(maj, min);
	if (mknod(d->host_node, S_IFCHR | 0600, d->rdev)) {
		vgc_log(d, "cannot make %s: %s", d->host_node, strerror(errno));
		return -errno;
	}
	return 0;
}

/* A notice to systemd when it started us (Type=notify); nothing otherwise. */
static void daemon_notify(const char *state)
{
	vgc_notify(state);
}

static void daemon_signal(struct vgc_daemon *d, int signo)
{
	char ans[VGC_CONFIG_ERR_MAX + 256];
	struct timespec now;

	if (signo == SIGHUP) {
		daemon_notify("RELOADING=1");
		if (!vgc_privs_raise(d)) {
			vgc_ctl_reload(d, ans, sizeof(ans));
			vgc_privs_lower(d);
		}
		daemon_notify("READY=1");
		return;
	}
	/* a second request to stop is not waited out */
	if (d->stopping) {
		d->stop = true;
		return;
	}
	daemon_notify("STOPPING=1");
	vgc_log(d, "stopping: lines go to their release states, open files get ENODEV; "
		"waiting up to %d s for tenants to close them", VGC_LINGER_MS / 1000);
	d->stopping = true;
	clock_gettime(CLOCK_MONOTONIC, &now);
	d->stop_deadline_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + VGC_LINGER_MS;
	vgc_chip_gone(d->chip);
}

/* Poll timeout: forever, or what is left of the wait for tenants while stopping. */
static int daemon_timeout(struct vgc_daemon *d)
{
	struct timespec now;
	int64_t left;

	if (!d->stopping)
		return -1;
	if (!vgc_chip_num_files(d->chip)) {
		d->stop = true;
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	left = d->stop_deadline_ms - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
	if (left <= 0) {
		vgc_log(d, "%u files still open after %d s: leaving them", vgc_chip_num_files(d->chip),
			VGC_LINGER_MS / 1000);
		d->stop = true;
		return 0;
	}
	return (int)left;
}

/* Adds fd to the loop's epoll set, tagged with its bit; -1 is skipped. */
static int daemon_watch(int ep, int fd, uint32_t bit)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = bit };

	return fd < 0 ? 0 : epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/*
 * epoll, not poll: the set stays registered, so a wake-up costs no walk
 * over every fd (a line request wakes the loop three or four times).
 */
/*
 * The end of start-up, once the device exists: its number, the banner,
 * the attachments of before, the control socket served, privileges
 * dropped, systemd told. 0, or -1 (said in the log) to stop.
 */
static int daemon_started(struct vgc_daemon *d, int ep, uint32_t ctl_tag)
{
	if (daemon_find_rdev(d))
		return -1;
	printf("vgpiochip %s: %s (%u:%u) is %s \"%s\" with %u lines; attach it with "
	       "'vgpiochip attach --name %s --pid PID'\n",
	       d->cfg->tenant, d->host_node, major(d->rdev), minor(d->rdev), d->chip_name,
	       d->label, vgc_chip_num_lines(d->chip), d->cfg->tenant);
	fflush(stdout);
	vgc_attach_restore(d);
	if (daemon_watch(ep, d->ctl_fd, ctl_tag)) {
		vgc_log(d, "cannot watch the control socket: %s", strerror(errno));
		return -1;
	}
	/* start-up is over: keep only what serving needs (privs.h) */
	/*
	 * What start-up alone used goes back; before the filter, since under
	 * ASan this is glibc's malloc's first call and it reads getrandom.
	 */
	malloc_trim(0);
	if (vgc_privs_drop(d))
		return -1;
	daemon_notify("READY=1");
	return 0;
}

/* Serves until stopped: 0, or -EIO when start-up did not finish (said in the log). */
static int daemon_loop(struct vgc_daemon *d)
{
	struct fuse_buf buf = { 0 };
	enum { P_CUSE = 1, P_SIG = 2, P_INJ = 4, P_CTL = 8, P_BE = 16, P_SYSFS = 32, P_NUM = 6 };
	int be_fd = d->be->ops->poll_fd ? d->be->ops->poll_fd(d->be) : -1;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	bool ctl_watched = false;
	int ret = -EIO;

	if (ep < 0 || daemon_watch(ep, fuse_session_fd(d->se), P_CUSE) ||
	    daemon_watch(ep, d->sig_fd, P_SIG) || daemon_watch(ep, d->inj_pipe[0], P_INJ) ||
	    daemon_watch(ep, be_fd, P_BE) ||
	    daemon_watch(ep, vgc_sysfs_fs_fd(d->sysfs), P_SYSFS)) {
		vgc_log(d, "cannot set up the event loop: %s", strerror(errno));
		goto out;
	}
	while (!d->stop) {
		struct epoll_event evs[P_NUM];
		int timeout = daemon_timeout(d), n;
		uint32_t ready = 0;

		if (d->stop)
			break;
		vgc_log_hold(false);
		n = epoll_wait(ep, evs, P_NUM, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			vgc_log(d, "epoll_wait: %s", strerror(errno));
			break;
		}
		vgc_log_hold(true);
		for (int i = 0; i < n; i++)
			ready |= evs[i].data.u32;
		if (ready & P_SIG) {
			struct signalfd_siginfo si;

			while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si))
				daemon_signal(d, (int)si.ssi_signo);
		}
		/* first what the host did: a request served next must see it */
		if (ready & P_BE)
			d->be->ops->dispatch(d->be);
		if (ready & P_CUSE)
			daemon_cuse_turn(d, &buf);
		if (ready & P_INJ)
			vgc_frontend_injected(d);
		if ((ready & P_SYSFS) && vgc_sysfs_fs_turn(d->sysfs)) {
			vgc_log(d, "the sysfs view's FUSE connection ended: /sys/class/gpio is no "
				"longer served");
			vgc_sysfs_fs_close(d->sysfs);
			d->sysfs = NULL;
		}
		if (ready & P_CTL) {
			/* attach needs its capabilities; a failed raise makes it say so */
			vgc_privs_raise(d);
			vgc_ctl_accept(d);
			vgc_privs_lower(d);
		}
		vgc_frontend_flush(d);
		vgc_sysfs_fs_flush(d->sysfs);
		/* CUSE's init is done: the device exists, start-up can finish */
		if (d->ready && !ctl_watched) {
			/* said why in the log */
			if (daemon_started(d, ep, P_CTL))
				goto out;
			ctl_watched = true;
		}
	}
	/* a connection that ends before the device was ready is a failed start */
	if (ctl_watched || d->stopping)
		ret = 0;
	else
		vgc_log(d, "the CUSE device %s never became ready", d->devname);
out:
	vgc_log_hold(false);
	if (ep >= 0)
		close(ep);
	free(buf.mem);
	return ret;
}

int vgc_daemon_run(struct vgc_options *opt, struct vgc_config *cfg,
		   const struct vgc_config_flags *flags)
{
	struct vgc_daemon *d;
	int ret;

	/*
	 * Big, mostly empty blocks (this one's PATH_MAX arrays) straight from
	 * mmap: zero pages nobody touches, where calloc on reused heap would
	 * write all of them and keep them resident.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	d = calloc(1, sizeof(*d));

	if (!d) {
		vgc_config_free(cfg);
		return 1;
	}
	d->opt = *opt;
	d->cfg = cfg;
	d->flags = *flags;
	d->ctl_fd = d->sig_fd = d->inj_pipe[0] = d->inj_pipe[1] = d->lock_fd = -1;
	pthread_mutex_init(&d->done_lock, NULL);
	snprintf(d->state_path, sizeof(d->state_path), "%s/%s.attach", opt->run_dir, cfg->tenant);
	/* first of all: a second daemon for this tenant must not touch the first's files */
	ret = vgc_ctl_lock(d);
	if (ret)
		goto out;
	ret = daemon_chip(d);
	if (ret)
		goto out;
	ret = vgc_daemon_signals(d);
	if (ret)
		goto out;
	if (pipe2(d->inj_pipe, O_CLOEXEC | O_NONBLOCK)) {
		ret = -errno;
		goto out;
	}
	ret = vgc_ctl_listen(d);
	if (ret) {
		vgc_log(d, "cannot make the control socket in %s: %s", opt->run_dir, strerror(-ret));
		goto out;
	}
	ret = vgc_privs_check_ctl(d);
	if (ret)
		goto out;
	d->inj = vgc_inject_start();
	if (!d->inj) {
		ret = -errno;
		vgc_log(d, "cannot start the injector thread: %s", strerror(errno));
		goto out;
	}
	ret = daemon_cuse(d);
	if (!ret)
		ret = daemon_sysfs(d);
	if (ret)
		goto out;
	ret = daemon_loop(d);
	if (!ret)
		vgc_log(d, "stopping; %s goes away", d->host_node);
out:
	/*
	 * The injector before the session: it answers the ioctls of the jobs
	 * still queued (ENODEV) and the job in progress replies, all through
	 * the session. Then the finished jobs let go of their lines.
	 */
	if (d->inj) {
		vgc_inject_stop(d->inj);
		vgc_frontend_injected(d);
	}
	if (d->se) {
		fuse_session_unmount(d->se);
		fuse_session_destroy(d->se);
	}
	if (d->ctl_fd >= 0) {
		close(d->ctl_fd);
		unlink(d->ctl_path);
	}
	/* exported lines to their release states; the host mount goes (privileges for umount) */
	if (d->sysfs) {
		vgc_privs_raise(d);
		vgc_sysfs_fs_close(d->sysfs);
	}
	/* the lock last of the tenant's files; the file itself stays (vgc_ctl_lock) */
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	/* with every file closed the chip goes; lines still held by files go with the process */
	if (d->chip && !vgc_chip_num_files(d->chip))
		vgc_chip_free(d->chip);
	/* the backend is closed last */
	if (d->be)
		d->be->ops->close(d->be);
	vgc_hostlock_close(daemon_hostlock);
	daemon_hostlock = NULL;
	vgc_policy_map_free(d->map);
	free(d->rules);
	vgc_config_free(d->cfg);
	for (int i = 0; i < 2; i++)
		if (d->inj_pipe[i] >= 0)
			close(d->inj_pipe[i]);
	pthread_mutex_destroy(&d->done_lock);
	free(d);
	return ret ? 1 : 0;
}
