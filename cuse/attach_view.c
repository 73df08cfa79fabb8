// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attach, the child's half, continued: the two sysfs views libgpiod checks
 * (the device's own directory with subsystem, dev and uevent, and
 * /sys/bus/gpio/devices with the chip beside the real ones), each a tmpfs
 * made detached, filled through its fd, sealed read-only and then moved onto
 * a directory walked as attach_ns.c walks (see there).
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

/* A new tmpfs, detached: filled through the returned fd, then sealed and moved. */
static int attach_view_new(struct attach_job *j, const char *what)
{
	int fs_fd, mnt_fd;

	fs_fd = (int)syscall(__NR_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs_fd < 0)
		return attach_fail(j, ATTACH_VIEW_MAKE, errno, what);
	if (syscall(__NR_fsconfig, fs_fd, ATTACH_FSCONFIG_SET_STRING, "source", "vgpiochip", 0) < 0 ||
	    syscall(__NR_fsconfig, fs_fd, ATTACH_FSCONFIG_SET_STRING, "mode", ATTACH_TMPFS_MODE,
		    0) < 0 ||
	    syscall(__NR_fsconfig, fs_fd, ATTACH_FSCONFIG_SET_STRING, "size", ATTACH_TMPFS_SIZE,
		    0) < 0 ||
	    syscall(__NR_fsconfig, fs_fd, ATTACH_FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		attach_fail(j, ATTACH_VIEW_MAKE, errno, what);
		close(fs_fd);
		return -1;
	}
	mnt_fd = (int)syscall(__NR_fsmount, fs_fd, FSMOUNT_CLOEXEC, ATTACH_VIEW_ATTRS);
	if (mnt_fd < 0)
		attach_fail(j, ATTACH_VIEW_MAKE, errno, what);
	close(fs_fd);
	return mnt_fd;
}

/* Read-only once filled (also how a later apply knows it is ours), then onto target_fd. */
static int attach_view_place(struct attach_job *j, int view_fd, int target_fd, int seal_step,
			     int mount_step, const char *what)
{
	if (attach_setattr(view_fd, MOUNT_ATTR_RDONLY, 0, 0) < 0)
		return attach_fail(j, seal_step, errno, what);
	if (syscall(__NR_move_mount, view_fd, "", target_fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ||
	    attach_setattr(view_fd, 0, 0, MS_PRIVATE) < 0)
		return attach_fail(j, mount_step, errno, what);
	return 0;
}

/* The device's own directory: what makes libgpiod 2.x see a gpio device. */
int attach_devdir(struct attach_job *j, int sys_fd)
{
	int parent_fd, target_fd = -1, view_fd, ret = -1;

	parent_fd = attach_sysfs_dir(j, sys_fd, j->devdir_parent, O_PATH, j->devdir);
	if (parent_fd < 0)
		return -1;
	/* After a daemon restart the old tmpfs went with the old directory. */
	if (attach_peel(j, parent_fd, j->devdir_base, false, ATTACH_DEVDIR_UMOUNT, j->devdir))
		goto out_close_parent;
	target_fd = attach_sysfs_dir(j, parent_fd, j->devdir_base, O_PATH, j->devdir);
	if (target_fd < 0)
		goto out_close_parent;
	view_fd = attach_view_new(j, j->devdir);
	if (view_fd < 0)
		goto out_close_target;
	if (symlinkat(ATTACH_BUS, view_fd, "subsystem") < 0 ||
	    attach_put_file(view_fd, "dev", j->dev_text) < 0 ||
	    attach_put_file(view_fd, "uevent", j->uevent_text) < 0)
		attach_fail(j, ATTACH_DEVDIR_FILL, errno, j->devdir);
	else
		ret = attach_view_place(j, view_fd, target_fd, ATTACH_DEVDIR_SEAL,
					ATTACH_DEVDIR_MOUNT, j->devdir);
	close(view_fd);
out_close_target:
	close(target_fd);
out_close_parent:
	close(parent_fd);
	return ret;
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

/* Whether an absolute link target leads, in the container, to a tmpfs view. */
static bool attach_leads_to_view(int root_fd, const char *target)
{
	int fd = attach_openat2(root_fd, target, O_PATH | O_DIRECTORY, ATTACH_RESOLVE);
	bool view;

	if (fd < 0)
		return false;
	view = attach_fs_is(fd, TMPFS_MAGIC);
	close(fd);
	return view;
}

/*
 * Remembers the links in /sys/bus/gpio/devices (dir_fd). From one of our
 * earlier views only the links to other live views are kept (another
 * vgpiochip in the same container); real chips are read again from sysfs
 * underneath, so chips that came or went since are right. Names and targets
 * are copied only when they have the shape the kernel gives them.
 */
static int attach_list(struct attach_job *j, int root_fd, int dir_fd, bool views_only)
{
	ssize_t n, off;

	if (lseek(dir_fd, 0, SEEK_SET) < 0)
		return attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
	while ((n = getdents64(dir_fd, j->dents, sizeof(j->dents))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(j->dents + off);
			struct attach_entry *e = &j->entries[j->num_entries];
			const char *rest;
			ssize_t len;

			off += de->d_reclen;
			if (de->d_type != DT_LNK || !attach_name_ok(de->d_name) ||
			    attach_listed(j, de->d_name))
				continue;
			if (j->num_entries == ATTACH_MAX_ENTRIES)
				return attach_fail(j, ATTACH_BUS_LIST, E2BIG, ATTACH_BUS_DEVICES);
			len = readlinkat(dir_fd, de->d_name, e->target, sizeof(e->target) - 1);
			if (len < 0 || len == (ssize_t)sizeof(e->target) - 1)
				return attach_fail(j, ATTACH_BUS_LIST,
						   len < 0 ? errno : ENAMETOOLONG, de->d_name);
			e->target[len] = '\0';
			/* ours: /sys/devices/...; the kernel's: ../../../devices/... */
			if (!attach_target_ok(e->target, 3, &rest) ||
			    (views_only && (e->target[0] != '/' ||
					    !attach_leads_to_view(root_fd, e->target))) ||
			    (!views_only && e->target[0] == '/'))
				continue;
			vgc_attach_copy(e->name, sizeof(e->name), de->d_name);
			j->num_entries++;
		}
	}
	if (n < 0)
		return attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
	return 0;
}

/* The bus listing: libgpiod 1.6 reads <node basename>/dev through it. */
int attach_bus(struct attach_job *j, int root_fd, int gpio_fd)
{
	int list_fd, target_fd = -1, view_fd, ret = -1;
	unsigned int i;

	j->num_entries = 0;
	/* our earlier views: keep what they list of other live views, then peel them */
	for (i = 0;; i++) {
		struct statfs sfs;

		list_fd = attach_openat2(gpio_fd, "devices", O_RDONLY | O_DIRECTORY,
					 ATTACH_RESOLVE_NO_SYMLINKS | ATTACH_RESOLVE_NO_MAGICLINKS);
		if (list_fd < 0)
			return attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
		if (fstatfs(list_fd, &sfs) < 0 || sfs.f_type != TMPFS_MAGIC ||
		    !(sfs.f_flags & ST_RDONLY))
			break;
		if (i == ATTACH_MAX_UNMOUNTS || attach_list(j, root_fd, list_fd, true)) {
			close(list_fd);
			if (i == ATTACH_MAX_UNMOUNTS)
				attach_fail(j, ATTACH_BUS_UMOUNT, ELOOP, ATTACH_BUS_DEVICES);
			return -1;
		}
		close(list_fd);
		if (fchdir(gpio_fd) < 0 || umount2("devices", MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			return attach_fail(j, ATTACH_BUS_UMOUNT, errno, ATTACH_BUS_DEVICES);
	}
	close(list_fd);
	/* the kernel's listing, reached without crossing a mount */
	target_fd = attach_sysfs_dir(j, gpio_fd, "devices", O_RDONLY, ATTACH_BUS_DEVICES);
	if (target_fd < 0)
		return -1;
	if (attach_list(j, root_fd, target_fd, false))
		goto out_close_target;
	view_fd = attach_view_new(j, ATTACH_BUS_DEVICES);
	if (view_fd < 0)
		goto out_close_target;
	for (i = 0; i < j->num_entries; i++) {
		if (symlinkat(j->entries[i].target, view_fd, j->entries[i].name) < 0) {
			attach_fail(j, ATTACH_BUS_FILL, errno, j->entries[i].name);
			goto out_close_view;
		}
	}
	if (symlinkat(j->devdir, view_fd, j->base) < 0) {
		attach_fail(j, ATTACH_BUS_FILL, errno, j->base);
		goto out_close_view;
	}
	ret = attach_view_place(j, view_fd, target_fd, ATTACH_BUS_SEAL, ATTACH_BUS_MOUNT,
				ATTACH_BUS_DEVICES);
out_close_view:
	close(view_fd);
out_close_target:
	close(target_fd);
	return ret;
}
