// SPDX-License-Identifier: GPL-2.0-or-later
/* One daemon per tenant name: the lock every start takes first. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "hostlock.h"

/* The pid written in a tenant lock file, or 0 when it says none. */
static long ctl_lock_owner(int fd)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	if (n <= 0)
		return 0;
	text[n] = '\0';
	return strtol(text, NULL, 10);
}

/*
 * One daemon per tenant name: RUN_DIR/NAME.lock, flock()ed for the
 * daemon's lifetime and holding its pid. Taken before anything of the
 * tenant's (socket, attachments, device) is touched; never unlinked, so a
 * second daemon always locks the same file. The kernel drops the lock when
 * the process dies.
 */
int vgc_ctl_lock(struct vgc_daemon *d)
{
	char err[PATH_MAX + 256], path[PATH_MAX], pid[24];
	int fd, ret;

	ret = vgc_hostlock_check_dir(d->opt.run_dir, err, sizeof(err));
	if (ret) {
		vgc_log(d, "%s", err);
		return ret;
	}
	if (snprintf(path, sizeof(path), "%s/%s.lock", d->opt.run_dir, d->cfg->tenant) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		ret = -errno;
		vgc_log(d, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		ret = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (ret == -EBUSY)
			vgc_log(d, "tenant %s is already served by pid %ld; stop it first "
				"(systemctl stop vgpiochip@%s)", d->cfg->tenant, ctl_lock_owner(fd),
				d->cfg->tenant);
		else
			vgc_log(d, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		return ret;
	}
	/* 0600 whatever the umask, like the other run-directory files */
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (fchmod(fd, 0600) || ftruncate(fd, 0) ||
	    pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
		ret = errno ? -errno : -EIO;
		vgc_log(d, "cannot write %s: %s", path, strerror(-ret));
		close(fd);
		return ret;
	}
	/* held open (and locked) until the process exits */
	d->lock_fd = fd;
	return 0;
}
