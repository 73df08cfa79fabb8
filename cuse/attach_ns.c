// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attach, the child's half: inside the container's mount namespace, the
 * node bind mount and the sysfs view. Only syscalls and small string work
 * on memory prepared before fork (see attach.c).
 */
#include "attach_job.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

void vgc_attach_copy(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	/* a plain loop: sources are arrays of many sizes, all NUL-terminated */
	while (n < size - 1 && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

/* Records the failed step; errno is read before anything can change it. */
static int attach_fail(struct attach_job *j, int step, int err, const char *detail)
{
	j->res.step = step;
	j->res.err = err;
	if (detail)
		vgc_attach_copy(j->res.detail, sizeof(j->res.detail), detail);
	return -1;
}

/* Appends "/comp" to out, or drops the last component for "..". */
static int attach_path_push(char *out, size_t size, const char *comp, size_t len)
{
	size_t cur = strlen(out);

	if (len == 0 || (len == 1 && comp[0] == '.'))
		return 0;
	if (len == 2 && comp[0] == '.' && comp[1] == '.') {
		char *slash = strrchr(out, '/');

		if (slash)
			*slash = '\0';
		return 0;
	}
	if (cur + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	out[cur] = '/';
	memcpy(out + cur + 1, comp, len);
	out[cur + 1 + len] = '\0';
	return 0;
}

static int attach_path_walk(char *out, size_t size, const char *path)
{
	while (*path) {
		const char *end = strchrnul(path, '/');
		int ret = attach_path_push(out, size, path, (size_t)(end - path));

		if (ret)
			return ret;
		path = *end ? end + 1 : end;
	}
	return 0;
}

/*
 * The device's sysfs directory as the container sees it: /sys/dev/char/M:m
 * resolved by hand, because realpath() may allocate and /proc/self is not
 * ours in a container with its own /proc.
 */
static int attach_find_devdir(struct attach_job *j)
{
	ssize_t n = readlink(j->sysfs_link, j->link, sizeof(j->link) - 1);
	const char *name;

	if (n < 0)
		return attach_fail(j, ATTACH_SYSFS_LINK, errno, j->sysfs_link);
	j->link[n] = '\0';
	j->devdir[0] = '\0';
	if (j->link[0] != '/' && attach_path_walk(j->devdir, sizeof(j->devdir), "/sys/dev/char"))
		return attach_fail(j, ATTACH_SYSFS_LINK, ENAMETOOLONG, j->sysfs_link);
	if (attach_path_walk(j->devdir, sizeof(j->devdir), j->link) || !j->devdir[0])
		return attach_fail(j, ATTACH_SYSFS_LINK, ENAMETOOLONG, j->sysfs_link);
	/* A wrong rdev would put our view over some other device's directory. */
	name = strrchr(j->devdir, '/') + 1;
	if (j->a->devname && strcmp(name, j->a->devname) != 0)
		return attach_fail(j, ATTACH_SYSFS_NAME, ENXIO, j->devdir);
	return 0;
}

static bool attach_is_tmpfs(const char *path, bool need_rdonly)
{
	struct statfs sfs;

	if (statfs(path, &sfs) < 0 || sfs.f_type != TMPFS_MAGIC)
		return false;
	return !need_rdonly || (sfs.f_flags & ST_RDONLY);
}

/* Peels tmpfs views off path: ours from an earlier apply, never sysfs itself. */
static int attach_peel(struct attach_job *j, const char *path, bool need_rdonly, int step)
{
	int i;

	for (i = 0; attach_is_tmpfs(path, need_rdonly); i++) {
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, step, ELOOP, path);
		if (umount2(path, MNT_DETACH) < 0)
			return attach_fail(j, step, errno, path);
	}
	return 0;
}

/*
 * The node: an earlier bind of our device is unmounted first so views do not
 * pile up; a different device at that path is never hidden.
 */
static int attach_node(struct attach_job *j, int tree_fd)
{
	const char *node = j->a->node;
	bool exists = true;
	struct stat st;
	int i, fd;

	for (i = 0;; i++) {
		if (lstat(node, &st) < 0) {
			if (errno != ENOENT)
				return attach_fail(j, ATTACH_NODE_CREATE, errno, node);
			exists = false;
			break;
		}
		if (S_ISCHR(st.st_mode) && st.st_rdev != j->a->rdev)
			return attach_fail(j, ATTACH_NODE_BUSY, EEXIST, node);
		if (!S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))
			return attach_fail(j, ATTACH_NODE_BUSY, S_ISDIR(st.st_mode) ? EISDIR : EEXIST, node);
		if (!S_ISCHR(st.st_mode))
			break;
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, ATTACH_NODE_UMOUNT, ELOOP, node);
		/* EINVAL: not a mount point, or locked by the runtime; bind over it. */
		if (umount2(node, MNT_DETACH) < 0) {
			if (errno != EINVAL)
				return attach_fail(j, ATTACH_NODE_UMOUNT, errno, node);
			break;
		}
	}
	if (!exists) {
		/*
		 * A /dev the container mounted itself belongs to its user
		 * namespace, where host root has no uid: create as its root.
		 */
		setfsuid(j->root_uid);
		setfsgid(j->root_gid);
		fd = open(node, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			attach_fail(j, ATTACH_NODE_CREATE, errno, node);
		setfsuid(0);
		setfsgid(0);
		if (fd < 0)
			return -1;
		close(fd);
	}
	if (syscall(__NR_move_mount, tree_fd, "", AT_FDCWD, node, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return attach_fail(j, ATTACH_NODE_MOUNT, errno, node);
	if (mount(NULL, node, NULL, MS_PRIVATE, NULL) < 0)
		return attach_fail(j, ATTACH_NODE_MOUNT, errno, node);
	return 0;
}

static int attach_put_file(int dir_fd, const char *name, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = openat(dir_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0444);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* A private tmpfs at path, open as a directory to fill; -1 with errno. */
static int attach_tmpfs_open(const char *path)
{
	if (mount("vgpiochip", path, "tmpfs", ATTACH_VIEW_FLAGS, ATTACH_TMPFS_OPTS) < 0)
		return -1;
	if (mount(NULL, path, NULL, MS_PRIVATE, NULL) < 0)
		return -1;
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Read-only once filled; read-only is also how a later apply knows it is ours. */
static int attach_tmpfs_seal(const char *path)
{
	return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | ATTACH_VIEW_FLAGS, NULL);
}

/* The device's own directory: what makes libgpiod 2.x see a gpio device. */
static int attach_devdir(struct attach_job *j)
{
	int dir_fd;

	/* After a daemon restart the old tmpfs went with the old directory. */
	if (attach_peel(j, j->devdir, false, ATTACH_DEVDIR_UMOUNT))
		return -1;
	dir_fd = attach_tmpfs_open(j->devdir);
	if (dir_fd < 0)
		return attach_fail(j, ATTACH_DEVDIR_MOUNT, errno, j->devdir);
	if (symlinkat(ATTACH_BUS, dir_fd, "subsystem") < 0 ||
	    attach_put_file(dir_fd, "dev", j->dev_text) < 0 ||
	    attach_put_file(dir_fd, "uevent", j->uevent_text) < 0) {
		attach_fail(j, ATTACH_DEVDIR_FILL, errno, j->devdir);
		close(dir_fd);
		return -1;
	}
	close(dir_fd);
	if (attach_tmpfs_seal(j->devdir) < 0)
		return attach_fail(j, ATTACH_DEVDIR_SEAL, errno, j->devdir);
	return 0;
}

static bool attach_listed(const struct attach_job *j, const char *name)
{
	unsigned int i;

	if (strcmp(name, j->base) == 0)
		return true;
	for (i = 0; i < j->num_entries; i++)
		if (strcmp(j->entries[i].name, name) == 0)
			return true;
	return false;
}

/* Whether a link in dir_fd leads to a directory covered by a tmpfs view. */
static bool attach_leads_to_view(int dir_fd, const char *name)
{
	struct statfs sfs;
	int fd = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool view;

	if (fd < 0)
		return false;
	view = fstatfs(fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC;
	close(fd);
	return view;
}

/*
 * Remembers the links in /sys/bus/gpio/devices. From one of our earlier
 * views only the links to other live views are kept (another vgpiochip in the
 * same container); real chips are read again from sysfs underneath, so chips
 * that came or went since are right.
 */
static int attach_list(struct attach_job *j, bool views_only)
{
	int dir_fd = open(ATTACH_BUS_DEVICES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t n, off;

	if (dir_fd < 0)
		return attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
	while ((n = getdents64(dir_fd, j->dents, sizeof(j->dents))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(j->dents + off);
			struct attach_entry *e = &j->entries[j->num_entries];
			ssize_t len;

			off += de->d_reclen;
			if (de->d_type != DT_LNK || attach_listed(j, de->d_name))
				continue;
			if (views_only && !attach_leads_to_view(dir_fd, de->d_name))
				continue;
			if (j->num_entries == ATTACH_MAX_ENTRIES) {
				close(dir_fd);
				return attach_fail(j, ATTACH_BUS_LIST, E2BIG, ATTACH_BUS_DEVICES);
			}
			len = readlinkat(dir_fd, de->d_name, e->target, sizeof(e->target) - 1);
			if (len < 0 || len == (ssize_t)sizeof(e->target) - 1) {
				attach_fail(j, ATTACH_BUS_LIST, len < 0 ? errno : ENAMETOOLONG, de->d_name);
				close(dir_fd);
				return -1;
			}
			e->target[len] = '\0';
			vgc_attach_copy(e->name, sizeof(e->name), de->d_name);
			j->num_entries++;
		}
	}
	if (n < 0)
		attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
	close(dir_fd);
	return n < 0 ? -1 : 0;
}

/* The bus listing: libgpiod 1.6 reads <node basename>/dev through it. */
static int attach_bus(struct attach_job *j)
{
	unsigned int i;
	int dir_fd;

	j->num_entries = 0;
	for (i = 0; attach_is_tmpfs(ATTACH_BUS_DEVICES, true); i++) {
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, ATTACH_BUS_UMOUNT, ELOOP, ATTACH_BUS_DEVICES);
		if (attach_list(j, true))
			return -1;
		if (umount2(ATTACH_BUS_DEVICES, MNT_DETACH) < 0)
			return attach_fail(j, ATTACH_BUS_UMOUNT, errno, ATTACH_BUS_DEVICES);
	}
	if (attach_list(j, false))
		return -1;

	dir_fd = attach_tmpfs_open(ATTACH_BUS_DEVICES);
	if (dir_fd < 0)
		return attach_fail(j, ATTACH_BUS_MOUNT, errno, ATTACH_BUS_DEVICES);
	for (i = 0; i < j->num_entries; i++) {
		if (symlinkat(j->entries[i].target, dir_fd, j->entries[i].name) < 0) {
			attach_fail(j, ATTACH_BUS_FILL, errno, j->entries[i].name);
			close(dir_fd);
			return -1;
		}
	}
	if (symlinkat(j->devdir, dir_fd, j->base) < 0) {
		attach_fail(j, ATTACH_BUS_FILL, errno, j->base);
		close(dir_fd);
		return -1;
	}
	close(dir_fd);
	if (attach_tmpfs_seal(ATTACH_BUS_DEVICES) < 0)
		return attach_fail(j, ATTACH_BUS_SEAL, errno, ATTACH_BUS_DEVICES);
	return 0;
}

/* Runs in the forked child; the result goes to j->res. */
void vgc_attach_child(struct attach_job *j)
{
	struct stat st;
	unsigned int i;
	int ns_fd, root_fd, tree_fd;

	ns_fd = open(j->ns_path, O_RDONLY | O_CLOEXEC);
	if (ns_fd < 0) {
		attach_fail(j, ATTACH_OPEN_NS, errno, j->ns_path);
		return;
	}
	root_fd = open(j->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0) {
		attach_fail(j, ATTACH_OPEN_ROOT, errno, j->root_path);
		return;
	}
	tree_fd = (int)syscall(__NR_open_tree, AT_FDCWD, j->a->host_node,
			       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree_fd < 0) {
		attach_fail(j, ATTACH_OPEN_TREE, errno, j->a->host_node);
		return;
	}
	if (setns(ns_fd, CLONE_NEWNS) < 0) {
		attach_fail(j, ATTACH_SETNS, errno, j->ns_path);
		return;
	}
	/* The container's root may be a chroot inside its namespace. */
	if (fchdir(root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		attach_fail(j, ATTACH_CHROOT, errno, j->root_path);
		return;
	}
	umask(0);
	for (i = 0; i < j->num_slaves; i++) {
		if (mount(NULL, j->slave[i], NULL, MS_SLAVE, NULL) < 0) {
			attach_fail(j, ATTACH_PROPAGATION, errno, j->slave[i]);
			return;
		}
	}
	/* Everything that can be checked is checked before the first mount. */
	if (stat(ATTACH_BUS_DEVICES, &st) < 0) {
		attach_fail(j, ATTACH_NO_GPIO_BUS, errno, ATTACH_BUS_DEVICES);
		return;
	}
	if (attach_find_devdir(j) || attach_node(j, tree_fd) || attach_devdir(j) || attach_bus(j))
		return;
	j->res.step = ATTACH_OK;
}
