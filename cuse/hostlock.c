// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host-line registry (see hostlock.h). flock() locks belong to the open
 * file, so they are neither dropped when some other fd on the file closes
 * nor shared with another daemon; the files are never unlinked, since
 * unlinking a lock file races with a daemon that has just opened it.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "hostlock.h"

#define HOSTLOCK_OWNER_MAX 128
#define HOSTLOCK_TENANT_MAX 64

struct vgc_hostlock {
	unsigned int num;
	int fds[];
};

/* One directory, 0700 whatever the umask (which may only have taken bits away). */
static int hostlock_mkdir_one(const char *path)
{
	if (mkdir(path, 0700) == 0)
		return chmod(path, 0700) ? -errno : 0;
	return errno == EEXIST ? 0 : -errno;
}

int vgc_hostlock_mkdir(const char *dir, char *err, size_t errlen)
{
	int ret = hostlock_mkdir_one(dir);

	if (ret)
		snprintf(err, errlen, "cannot make %s: %s", dir, strerror(-ret));
	return ret;
}

/* mkdir -p for the few components under run_dir, each new one 0700. */
static int hostlock_mkdirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		int ret;

		*p = '\0';
		ret = hostlock_mkdir_one(path);
		*p = c;
		if (ret)
			return ret;
		if (!c)
			return 0;
	}
}

int vgc_hostlock_check_dir(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	int ret;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path) || dir[0] != '/') {
		snprintf(err, errlen, "bad run directory '%s'", dir);
		return -EINVAL;
	}
	ret = hostlock_mkdirs(path);
	if (!ret && stat(dir, &st))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot make the run directory %s: %s", dir, strerror(-ret));
		return ret;
	}
	if (st.st_uid != 0) {
		snprintf(err, errlen, "the run directory %s is owned by uid %u, not root: anyone "
			 "with that uid could change what we put there; run 'chown root:root %s' or "
			 "pick another --run-dir", dir, (unsigned int)st.st_uid, dir);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "the run directory %s is writable by %s (mode %04o): they "
			 "could change what we put there; run 'chmod go-w %s' or pick another "
			 "--run-dir", dir,
			 (st.st_mode & S_IWGRP) && (st.st_mode & S_IWOTH) ? "group and others"
			 : (st.st_mode & S_IWGRP)			      ? "its group"
									      : "others",
			 (unsigned int)(st.st_mode & 07777), dir);
		return -EPERM;
	}
	return 0;
}

/* "TENANT (pid PID)" from a lock file, or a placeholder if it is being written. */
static void hostlock_owner(int fd, char *owner, size_t len)
{
	char text[HOSTLOCK_OWNER_MAX], tenant[HOSTLOCK_TENANT_MAX];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	int pid;

	if (n > 0) {
		text[n] = '\0';
		if (sscanf(text, "%63s %d", tenant, &pid) == 2) {
			snprintf(owner, len, "tenant '%s' (pid %d)", tenant, pid);
			return;
		}
	}
	snprintf(owner, len, "another tenant that is starting");
}

/* "...: host lines 17,27 served by tenant 'a' (pid 9); host line 5 served by ..." */
static void hostlock_explain(char *err, size_t errlen, const char *chip,
			     char (*owners)[HOSTLOCK_OWNER_MAX], const uint32_t *lines,
			     unsigned int num)
{
	const char *sep = "";
	size_t used = 0;

	used += snprintf(err, errlen, "--map overlaps another vgpiochip on host chip %s:", chip);
	for (unsigned int i = 0; i < num && used < errlen; i++) {
		unsigned int same = 0;

		if (!owners[i][0])
			continue;
		for (unsigned int j = i; j < num; j++)
			same += !strcmp(owners[j], owners[i]);
		used += snprintf(err + used, errlen - used, "%s host line%s ", sep,
				 same > 1 ? "s" : "");
		sep = ";";
		for (unsigned int j = i; j < num && used < errlen; j++) {
			if (j != i && strcmp(owners[j], owners[i]))
				continue;
			used += snprintf(err + used, errlen - used, "%s%u", j != i ? "," : "",
					 lines[j]);
			if (j != i)
				owners[j][0] = '\0';
		}
		if (used < errlen)
			used += snprintf(err + used, errlen - used, " served by %s", owners[i]);
		owners[i][0] = '\0';
	}
	if (used < errlen)
		snprintf(err + used, errlen - used,
			 "; map other host lines, or stop that tenant first");
}

struct vgc_hostlock *vgc_hostlock_open(const char *run_dir, const char *chip,
				       const char *tenant, const uint32_t *lines,
				       unsigned int num, char *err, size_t errlen)
{
	char dir[4096], path[4200], mine[HOSTLOCK_OWNER_MAX];
	char (*owners)[HOSTLOCK_OWNER_MAX];
	struct vgc_hostlock *hl;
	bool busy = false;
	int ret;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/lines/%s", run_dir, chip) >= sizeof(dir) ||
	    strchr(chip, '/') || !chip[0]) {
		snprintf(err, errlen, "bad run directory or host chip name '%s'", chip);
		errno = EINVAL;
		return NULL;
	}
	ret = vgc_hostlock_check_dir(run_dir, err, errlen);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	ret = hostlock_mkdirs(dir);
	if (ret) {
		snprintf(err, errlen, "cannot make %s: %s", dir, strerror(-ret));
		errno = -ret;
		return NULL;
	}
	hl = calloc(1, sizeof(*hl) + num * sizeof(hl->fds[0]));
	owners = calloc(num ? num : 1, sizeof(*owners));
	if (!hl || !owners) {
		snprintf(err, errlen, "out of memory");
		goto err_free;
	}
	snprintf(mine, sizeof(mine), "%s %d\n", tenant, (int)getpid());
	for (hl->num = 0; hl->num < num; hl->num++) {
		unsigned int i = hl->num;
		int fd;

		snprintf(path, sizeof(path), "%s/%u", dir, lines[i]);
		/* 0600 whatever the umask: a lock others can open, they can flock */
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			goto err_close;
		}
		hl->fds[i] = fd;
		if (fchmod(fd, 0600)) {
			snprintf(err, errlen, "cannot chmod %s: %s", path, strerror(errno));
			hl->num++;
			goto err_close;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			if (errno != EWOULDBLOCK) {
				snprintf(err, errlen, "cannot lock %s: %s", path, strerror(errno));
				hl->num++;
				goto err_close;
			}
			/* go on, so the message names every line in the way */
			hostlock_owner(fd, owners[i], sizeof(owners[i]));
			busy = true;
			continue;
		}
		if (ftruncate(fd, 0) || pwrite(fd, mine, strlen(mine), 0) != (ssize_t)strlen(mine)) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
			hl->num++;
			goto err_close;
		}
	}
	if (busy) {
		hostlock_explain(err, errlen, chip, owners, lines, num);
		errno = EBUSY;
		goto err_close;
	}
	free(owners);
	return hl;

err_close:
	ret = errno;
	vgc_hostlock_close(hl);
	hl = NULL;
	errno = ret;
err_free:
	ret = errno;
	free(hl);
	free(owners);
	errno = ret;
	return NULL;
}

void vgc_hostlock_close(struct vgc_hostlock *hl)
{
	if (!hl)
		return;
	/* closing drops the lock; the file stays for the next tenant */
	for (unsigned int i = 0; i < hl->num; i++)
		close(hl->fds[i]);
	free(hl);
}
