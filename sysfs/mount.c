// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The FUSE mount of the sysfs front end, made with the new mount API so
 * that no fusermount helper and no mount string is involved: a detached
 * mount, placed once on a root-only directory of the host, which attach
 * clones (open_tree) into each container.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs.h"

#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#define MOUNT_FSCONFIG_SET_FLAG 0
#define MOUNT_FSCONFIG_SET_STRING 1
#define MOUNT_FSCONFIG_CMD_CREATE 6
#define MOUNT_FSOPEN_CLOEXEC 0x1
#define MOUNT_FSMOUNT_CLOEXEC 0x1
#define MOUNT_ATTRS 0xe		/* nosuid, nodev, noexec */
#define MOUNT_F_EMPTY_PATH 0x4
/* Stale mounts of an earlier daemon to peel off the mount point. */
#define MOUNT_MAX_PEEL 16

static int mount_set(int fs_fd, const char *key, const char *value)
{
	return (int)syscall(__NR_fsconfig, fs_fd,
			    value ? MOUNT_FSCONFIG_SET_STRING : MOUNT_FSCONFIG_SET_FLAG, key, value,
			    0);
}

int vgc_sysfs_mount(const char *path, int *dev_fd, char *err, size_t errlen)
{
	const char *step = "open /dev/fuse";
	int fd, fs_fd = -1, mnt_fd = -1, ret;
	char num[16];

	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		goto err;
	snprintf(num, sizeof(num), "%d", fd);
	step = "fsopen(fuse)";
	fs_fd = (int)syscall(__NR_fsopen, "fuse", MOUNT_FSOPEN_CLOEXEC);
	if (fs_fd < 0)
		goto err;
	/* allow_other: the container's processes; default_permissions: the kernel checks modes */
	step = "configure the FUSE mount";
	if (mount_set(fs_fd, "source", "vgpiochip") || mount_set(fs_fd, "subtype", "vgpiochip") ||
	    mount_set(fs_fd, "fd", num) || mount_set(fs_fd, "rootmode", "40000") ||
	    mount_set(fs_fd, "user_id", "0") || mount_set(fs_fd, "group_id", "0") ||
	    mount_set(fs_fd, "allow_other", NULL) ||
	    mount_set(fs_fd, "default_permissions", NULL) ||
	    syscall(__NR_fsconfig, fs_fd, MOUNT_FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto err;
	step = "fsmount";
	mnt_fd = (int)syscall(__NR_fsmount, fs_fd, MOUNT_FSMOUNT_CLOEXEC, MOUNT_ATTRS);
	if (mnt_fd < 0)
		goto err;
	step = "make the mount point";
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		goto err;
	/* an earlier daemon's mount is dead (its session went with it) */
	for (int i = 0; i < MOUNT_MAX_PEEL && umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0; i++)
		;
	step = "move_mount";
	if (syscall(__NR_move_mount, mnt_fd, "", AT_FDCWD, path, MOUNT_F_EMPTY_PATH) < 0)
		goto err;
	close(mnt_fd);
	close(fs_fd);
	*dev_fd = fd;
	return 0;

err:
	ret = -errno;
	snprintf(err, errlen, "cannot mount the sysfs view at %s: %s: %s%s", path, step,
		 strerror(errno), errno == ENOENT && fd < 0 ? " (modprobe fuse)" : "");
	if (mnt_fd >= 0)
		close(mnt_fd);
	if (fs_fd >= 0)
		close(fs_fd);
	if (fd >= 0)
		close(fd);
	return ret;
}
