// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attach, the child's half, for --sysfs: the daemon's /sys/class/gpio (a
 * FUSE mount, cloned on the host) goes onto the container's
 * /sys/class/gpio, walked as attach_ns.c walks: the kernel's sysfs
 * directory, reached from /sys without a symlink or a mount crossed. An
 * earlier clone there (a daemon restart, a second attach) is peeled first
 * so they do not pile up; nothing of ours is ever read through it, since
 * a live one is served by the daemon that waits for this child.
 */
#include "attach_job.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether something is mounted on name in dir_fd: the walk must cross a mount. */
static bool attach_covered(int dir_fd, const char *name)
{
	int fd = attach_openat2(dir_fd, name, O_PATH | O_DIRECTORY,
				ATTACH_RESOLVE_NO_SYMLINKS | ATTACH_RESOLVE_NO_MAGICLINKS |
				ATTACH_RESOLVE_NO_XDEV);

	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EXDEV;
}

int attach_sysfs_class(struct attach_job *j, int sys_fd, int tree_fd)
{
	int class_fd, target_fd, ret = -1;

	class_fd = attach_sysfs_dir(j, sys_fd, "class", O_PATH, "/sys/class");
	if (class_fd < 0)
		return -1;
	for (int i = 0; attach_covered(class_fd, "gpio"); i++) {
		if (i == ATTACH_MAX_UNMOUNTS) {
			attach_fail(j, ATTACH_SYSFS_UMOUNT, ELOOP, ATTACH_CLASS_GPIO);
			goto out_close_class;
		}
		if (fchdir(class_fd) < 0 || umount2("gpio", MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
			attach_fail(j, ATTACH_SYSFS_UMOUNT, errno, ATTACH_CLASS_GPIO);
			goto out_close_class;
		}
	}
	target_fd = attach_openat2(class_fd, "gpio", O_PATH | O_DIRECTORY,
				   ATTACH_RESOLVE_NO_SYMLINKS | ATTACH_RESOLVE_NO_MAGICLINKS |
				   ATTACH_RESOLVE_NO_XDEV);
	if (target_fd < 0) {
		attach_fail(j, errno == ENOENT ? ATTACH_SYSFS_CLASS : ATTACH_NOT_SYSFS, errno,
			    ATTACH_CLASS_GPIO);
		goto out_close_class;
	}
	if (!attach_fs_is(target_fd, SYSFS_MAGIC)) {
		attach_fail(j, ATTACH_NOT_SYSFS, EXDEV, ATTACH_CLASS_GPIO);
		goto out_close_target;
	}
	/* writable (export is written), but nothing to run or open as a device */
	if (attach_setattr(tree_fd, ATTACH_VIEW_ATTRS, 0, MS_PRIVATE) < 0 ||
	    syscall(__NR_move_mount, tree_fd, "", target_fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		attach_fail(j, ATTACH_SYSFS_MOUNT, errno, ATTACH_CLASS_GPIO);
		goto out_close_target;
	}
	ret = 0;
out_close_target:
	close(target_fd);
out_close_class:
	close(class_fd);
	return ret;
}
