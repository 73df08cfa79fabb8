// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attach, the child's half: inside the container's mount namespace, the
 * node bind mount and the sysfs view. Only syscalls and small string work
 * on memory prepared before fork (see attach.c).
 *
 * The container's tree is the tenant's: it may swap any directory for a
 * symlink at any moment. So no path in it is ever looked up twice and none
 * by a path-based call: each is walked once with openat2() from the
 * container's root, following no symlink (RESOLVE_IN_ROOT|NO_SYMLINKS|
 * NO_MAGICLINKS), and what is done there is done through that fd. The
 * sysfs directories must be the kernel's sysfs, reached without crossing a
 * mount from /sys (RESOLVE_NO_XDEV), so a tenant's tmpfs over /sys/bus or
 * /sys/dev cannot choose them. The views are tmpfs mounts made detached
 * (fsopen, fsmount), filled through their own fd, sealed read-only and only
 * then moved onto the walked directory (move_mount): nothing is created in
 * the tenant's tree with host root's rights. The one file that is, the
 * node's mount point, is created as the container's root (setfsuid).
 */
#include "attach_job.h"
#include "attach_state.h"

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
int attach_fail(struct attach_job *j, int step, int err, const char *detail)
{
	j->res.step = step;
	j->res.err = err;
	if (detail)
		vgc_attach_copy(j->res.detail, sizeof(j->res.detail), detail);
	return -1;
}

/* dst = a + b, cut to size; no snprintf in the forked child. */
static void attach_join(char *dst, size_t size, const char *a, const char *b)
{
	size_t n;

	vgc_attach_copy(dst, size, a);
	n = strlen(dst);
	vgc_attach_copy(dst + n, size - n, b);
}

/* openat2() with flags and resolve; -1 with errno. */
int attach_openat2(int dir_fd, const char *path, int flags, unsigned long long resolve)
{
	struct attach_open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC),
				       .resolve = resolve };

	return (int)syscall(__NR_openat2, dir_fd, path, &how, sizeof(how));
}

int attach_setattr(int fd, unsigned long long set, unsigned long long clr,
			  unsigned long long propagation)
{
	struct attach_mount_attr attr = { .attr_set = set, .attr_clr = clr,
					  .propagation = propagation };

	return (int)syscall(__NR_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof(attr));
}

bool attach_fs_is(int fd, unsigned long magic)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && (unsigned long)sfs.f_type == magic;
}

/* A name we may copy into a view: one component of harmless characters. */
bool attach_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > NAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "._:+-") == len;
}

/*
 * A sysfs link target as the kernel writes them: "../" ups (exactly ups of
 * them) then "devices/...", or absolute "/sys/devices/..." (our own views);
 * no "." or ".." after that and no empty component. Sets *rest to the part
 * after "devices/".
 */
bool attach_target_ok(const char *target, unsigned int ups, const char **rest)
{
	const char *p = target;
	size_t len = strlen(target);

	if (len == 0 || len >= ATTACH_TARGET_MAX)
		return false;
	if (p[0] == '/') {
		if (strncmp(p, "/sys/devices/", 13))
			return false;
		p += 13;
	} else {
		for (unsigned int i = 0; i < ups; i++, p += 3)
			if (strncmp(p, "../", 3))
				return false;
		if (strncmp(p, "devices/", 8))
			return false;
		p += 8;
	}
	*rest = p;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		char comp[NAME_MAX + 1];

		if (n == 0 || n > NAME_MAX)
			return false;
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (!attach_name_ok(comp))
			return false;
		p = *end ? end + 1 : end;
		if (*end && !*p)
			return false;
	}
	return true;
}

/* Peels tmpfs mounts off name in dir_fd: views from an earlier apply, never sysfs itself. */
int attach_peel(struct attach_job *j, int dir_fd, const char *name, bool need_rdonly,
		       int step, const char *what)
{
	for (int i = 0;; i++) {
		struct statfs sfs;
		bool view;
		int fd = attach_openat2(dir_fd, name, O_PATH | O_DIRECTORY,
					ATTACH_RESOLVE_NO_SYMLINKS | ATTACH_RESOLVE_NO_MAGICLINKS);

		if (fd < 0)
			return attach_fail(j, step, errno, what);
		view = fstatfs(fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC &&
		       (!need_rdonly || (sfs.f_flags & ST_RDONLY));
		close(fd);
		if (!view)
			return 0;
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, step, ELOOP, what);
		/* relative to the walked directory, and never through a symlink */
		if (fchdir(dir_fd) < 0 || umount2(name, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			return attach_fail(j, step, errno, what);
	}
}

/*
 * name in dir_fd, which must be a directory of the kernel's sysfs on the
 * same mount as dir_fd: what a view goes on. -1 with the failure recorded.
 */
int attach_sysfs_dir(struct attach_job *j, int dir_fd, const char *name, int flags,
			    const char *what)
{
	int fd = attach_openat2(dir_fd, name, flags | O_DIRECTORY,
				ATTACH_RESOLVE_NO_SYMLINKS | ATTACH_RESOLVE_NO_MAGICLINKS |
				ATTACH_RESOLVE_NO_XDEV);

	if (fd < 0)
		return attach_fail(j, ATTACH_NOT_SYSFS, errno, what);
	if (!attach_fs_is(fd, SYSFS_MAGIC)) {
		close(fd);
		return attach_fail(j, ATTACH_NOT_SYSFS, EXDEV, what);
	}
	return fd;
}

/*
 * The device's sysfs directory as the container's sysfs has it: the kernel's
 * link /sys/dev/char/M:m, read in the real sysfs and checked for its shape.
 */
static int attach_find_devdir(struct attach_job *j, int sys_fd)
{
	const char *rest, *slash, *link = j->sysfs_link + 5;	/* "dev/char/M:m" */
	char dir[32];
	ssize_t n;
	int char_fd;

	vgc_attach_copy(dir, sizeof(dir), link);
	*strrchr(dir, '/') = '\0';
	char_fd = attach_sysfs_dir(j, sys_fd, dir, O_PATH, j->sysfs_link);
	if (char_fd < 0)
		return -1;
	n = readlinkat(char_fd, strrchr(link, '/') + 1, j->link, sizeof(j->link) - 1);
	close(char_fd);
	if (n < 0)
		return attach_fail(j, ATTACH_SYSFS_LINK, errno, j->sysfs_link);
	j->link[n] = '\0';
	/* /sys/dev/char/M:m -> ../../devices/... */
	if (!attach_target_ok(j->link, 2, &rest) || j->link[0] == '/' || !strchr(rest, '/'))
		return attach_fail(j, ATTACH_SYSFS_LINK, EINVAL, j->link);
	attach_join(j->devdir, sizeof(j->devdir), "/sys/devices/", rest);
	attach_join(j->devdir_parent, sizeof(j->devdir_parent), "devices/", rest);
	slash = strrchr(j->devdir_parent, '/');
	j->devdir_parent[slash - j->devdir_parent] = '\0';
	j->devdir_base = strrchr(j->devdir, '/') + 1;
	/* A wrong rdev would put our view over some other device's directory. */
	if (j->a->devname && strcmp(j->devdir_base, j->a->devname) != 0)
		return attach_fail(j, ATTACH_SYSFS_NAME, ENXIO, j->devdir);
	return 0;
}

/*
 * The node: an earlier bind of our device is unmounted first so views do not
 * pile up; a different device at that path is never hidden.
 */
static int attach_node(struct attach_job *j, int root_fd, int tree_fd)
{
	const char *node = j->a->node;
	bool exists = true;
	struct stat st;
	int i, fd, dir_fd, target_fd, ret = -1;

	dir_fd = attach_openat2(root_fd, j->node_dir, O_PATH | O_DIRECTORY, ATTACH_RESOLVE);
	if (dir_fd < 0)
		return attach_fail(j, ATTACH_NODE_CREATE, errno, node);
	for (i = 0;; i++) {
		if (fstatat(dir_fd, j->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT) {
				attach_fail(j, ATTACH_NODE_CREATE, errno, node);
				goto out_close_dir;
			}
			exists = false;
			break;
		}
		if ((S_ISCHR(st.st_mode) && st.st_rdev != j->a->rdev) ||
		    (!S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))) {
			attach_fail(j, ATTACH_NODE_BUSY, S_ISDIR(st.st_mode) ? EISDIR : EEXIST, node);
			goto out_close_dir;
		}
		if (!S_ISCHR(st.st_mode))
			break;
		if (i == ATTACH_MAX_UNMOUNTS) {
			attach_fail(j, ATTACH_NODE_UMOUNT, ELOOP, node);
			goto out_close_dir;
		}
		/* EINVAL: not a mount point, or locked by the runtime; bind over it. */
		if (fchdir(dir_fd) < 0 || umount2(j->base, MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
			if (errno != EINVAL) {
				attach_fail(j, ATTACH_NODE_UMOUNT, errno, node);
				goto out_close_dir;
			}
			break;
		}
	}
	if (!exists) {
		/*
		 * The directory belongs to the container (its /dev, in its user
		 * namespace): create as its root, never with host root's rights.
		 */
		setfsuid(j->root_uid);
		setfsgid(j->root_gid);
		fd = openat(dir_fd, j->base, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
			    0600);
		if (fd < 0)
			attach_fail(j, ATTACH_NODE_CREATE, errno, node);
		setfsuid(0);
		setfsgid(0);
		if (fd < 0)
			goto out_close_dir;
		close(fd);
	}
	/* what was checked or made above, by fd from here on */
	target_fd = attach_openat2(dir_fd, j->base, O_PATH | O_NOFOLLOW,
				   ATTACH_RESOLVE_NO_SYMLINKS | ATTACH_RESOLVE_NO_MAGICLINKS);
	if (target_fd < 0) {
		attach_fail(j, ATTACH_NODE_MOUNT, errno, node);
		goto out_close_dir;
	}
	if (fstat(target_fd, &st) < 0 || !(S_ISREG(st.st_mode) ||
					   (S_ISCHR(st.st_mode) && st.st_rdev == j->a->rdev))) {
		attach_fail(j, ATTACH_NODE_BUSY, EEXIST, node);
		goto out_close_target;
	}
	/*
	 * The clone of a node on a shared /run would be the host's peer. And
	 * /run is nodev on most hosts, which the clone keeps: this one mount of
	 * one device node is the exception, nosuid and noexec.
	 */
	if (attach_setattr(tree_fd, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, MOUNT_ATTR_NODEV,
			   MS_PRIVATE) < 0 ||
	    syscall(__NR_move_mount, tree_fd, "", target_fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ||
	    attach_setattr(tree_fd, 0, 0, MS_PRIVATE) < 0) {
		attach_fail(j, ATTACH_NODE_MOUNT, errno, node);
		goto out_close_target;
	}
	ret = 0;
out_close_target:
	close(target_fd);
out_close_dir:
	close(dir_fd);
	return ret;
}

/*
 * The mounts whose propagation was shared become slaves, each reached by a
 * walk that follows no symlink and changed through its fd.
 */
static int attach_slaves(struct attach_job *j, int root_fd)
{
	for (unsigned int i = 0; i < j->num_slaves; i++) {
		const char *rel = j->slave[i][1] ? j->slave[i] + 1 : ".";
		int fd = attach_openat2(root_fd, rel, O_PATH, ATTACH_RESOLVE);

		if (fd < 0 || attach_setattr(fd, 0, 0, MS_SLAVE) < 0) {
			attach_fail(j, ATTACH_PROPAGATION, errno, j->slave[i]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/*
 * Still the process that was recorded: the namespace we opened is its, and
 * the pid has its start time now, after the opens (a process alive now and
 * started before them had the pid all along).
 */
static int attach_check_id(struct attach_job *j, int ns_fd)
{
	unsigned long long start;
	struct stat st;
	ssize_t n;
	int fd;

	if (fstat(ns_fd, &st) < 0 || (unsigned long long)st.st_dev != j->expect->mnt_dev ||
	    (unsigned long long)st.st_ino != j->expect->mnt_ino)
		return attach_fail(j, ATTACH_IDENTITY, ESRCH, "mount namespace");
	fd = open(j->stat_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return attach_fail(j, ATTACH_IDENTITY, ESRCH, "start time");
	n = read(fd, j->stat_text, sizeof(j->stat_text) - 1);
	close(fd);
	if (n <= 0)
		return attach_fail(j, ATTACH_IDENTITY, ESRCH, "start time");
	j->stat_text[n] = '\0';
	if (vgc_attach_stat_start(j->stat_text, &start) || start != j->expect->start)
		return attach_fail(j, ATTACH_IDENTITY, ESRCH, "start time");
	return 0;
}

/* Runs in the forked child; the result goes to j->res. */
void vgc_attach_child(struct attach_job *j)
{
	int ns_fd, root_fd, tree_fd, sysfs_fd = -1, sys_fd, gpio_fd;

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
	if (j->expect && attach_check_id(j, ns_fd))
		return;
	tree_fd = (int)syscall(__NR_open_tree, AT_FDCWD, j->a->host_node,
			       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree_fd < 0) {
		attach_fail(j, ATTACH_OPEN_TREE, errno, j->a->host_node);
		return;
	}
	/* cloned here, on the host: the container's tree cannot name it */
	if (j->a->sysfs_tree) {
		sysfs_fd = (int)syscall(__NR_open_tree, AT_FDCWD, j->a->sysfs_tree,
					OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (sysfs_fd < 0) {
			attach_fail(j, ATTACH_SYSFS_TREE, errno, j->a->sysfs_tree);
			return;
		}
	}
	if (setns(ns_fd, CLONE_NEWNS) < 0) {
		attach_fail(j, ATTACH_SETNS, errno, j->ns_path);
		return;
	}
	/* no path lookup is left that depends on cwd or root: all start at root_fd */
	if (fchdir(root_fd) < 0) {
		attach_fail(j, ATTACH_CHROOT, errno, j->root_path);
		return;
	}
	umask(0);
	if (attach_slaves(j, root_fd))
		return;
	/* Everything that can be checked is checked before the first mount. */
	sys_fd = attach_openat2(root_fd, "sys", O_PATH | O_DIRECTORY, ATTACH_RESOLVE);
	if (sys_fd < 0) {
		attach_fail(j, ATTACH_NO_GPIO_BUS, errno, "/sys");
		return;
	}
	if (!attach_fs_is(sys_fd, SYSFS_MAGIC)) {
		attach_fail(j, ATTACH_NOT_SYSFS, EXDEV, "/sys");
		return;
	}
	gpio_fd = attach_openat2(sys_fd, "bus/gpio", O_PATH | O_DIRECTORY,
				 ATTACH_RESOLVE | ATTACH_RESOLVE_NO_XDEV);
	if (gpio_fd < 0) {
		attach_fail(j, errno == ENOENT ? ATTACH_NO_GPIO_BUS : ATTACH_NOT_SYSFS, errno,
			    ATTACH_BUS);
		return;
	}
	if (attach_find_devdir(j, sys_fd) || attach_node(j, root_fd, tree_fd) ||
	    attach_devdir(j, sys_fd) || attach_bus(j, root_fd, gpio_fd) ||
	    (sysfs_fd >= 0 && attach_sysfs_class(j, sys_fd, sysfs_fd)))
		return;
	j->res.step = ATTACH_OK;
}
