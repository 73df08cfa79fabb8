/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between the two halves of attach: the caller's side (attach.c) prepares
 * an attach_job before fork, the child (attach_ns.c) does the work inside
 * the container's mount namespace and reports one attach_result.
 */
#ifndef VGC_ATTACH_JOB_H
#define VGC_ATTACH_JOB_H

#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/types.h>

#include "attach.h"

/*
 * The new mount API and openat2(), called through syscall(): numbers and
 * flags from the kernel's uapi, for C libraries that do not have them.
 * These numbers are the same on every architecture.
 */
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
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
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_close_range
#define __NR_close_range 436
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x00000001
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef MOUNT_ATTR_NOSUID
#define MOUNT_ATTR_NOSUID 0x00000002
#endif
#ifndef MOUNT_ATTR_NODEV
#define MOUNT_ATTR_NODEV 0x00000004
#endif
#ifndef MOUNT_ATTR_NOEXEC
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif
#ifndef UMOUNT_NOFOLLOW
#define UMOUNT_NOFOLLOW 0x00000008
#endif
/* enum fsconfig_command: an enum in the headers, so no #ifndef */
#define ATTACH_FSCONFIG_SET_STRING 1
#define ATTACH_FSCONFIG_CMD_CREATE 6

/* struct mount_attr (Linux 5.12), under our own name */
struct attach_mount_attr {
	unsigned long long attr_set;
	unsigned long long attr_clr;
	unsigned long long propagation;
	unsigned long long userns_fd;
};

/* struct open_how (Linux 5.6), under our own name */
struct attach_open_how {
	unsigned long long flags;
	unsigned long long mode;
	unsigned long long resolve;
};
#define ATTACH_RESOLVE_NO_XDEV 0x01
#define ATTACH_RESOLVE_NO_MAGICLINKS 0x02
#define ATTACH_RESOLVE_NO_SYMLINKS 0x04
#define ATTACH_RESOLVE_IN_ROOT 0x10
/* Every path in the container is walked this way: no link of the tenant's is followed. */
#define ATTACH_RESOLVE (ATTACH_RESOLVE_IN_ROOT | ATTACH_RESOLVE_NO_SYMLINKS | \
			ATTACH_RESOLVE_NO_MAGICLINKS)

#define ATTACH_BUS "/sys/bus/gpio"
#define ATTACH_BUS_DEVICES "/sys/bus/gpio/devices"
#define ATTACH_DEVICES_PARENT "/sys/devices/virtual"
#define ATTACH_MAX_ENTRIES 128
#define ATTACH_TARGET_MAX 512
/* Stale views stacked by older versions or crashes: peel at most this many. */
#define ATTACH_MAX_UNMOUNTS 16
#define ATTACH_TMPFS_MODE "0755"
#define ATTACH_TMPFS_SIZE "64k"
#define ATTACH_VIEW_ATTRS (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)
/* How long the helper may take before it is killed (it may block in the tenant's tree). */
#define ATTACH_TIMEOUT_MS 5000
/* After SIGKILL, how long to wait for the helper to be gone before leaving it to a later reap. */
#define ATTACH_REAP_MS 1000

enum attach_step {
	ATTACH_OK,
	ATTACH_OPEN_NS,
	ATTACH_OPEN_ROOT,
	ATTACH_OPEN_TREE,
	ATTACH_IDENTITY,
	ATTACH_SETNS,
	ATTACH_CHROOT,
	ATTACH_PROPAGATION,
	ATTACH_NO_GPIO_BUS,
	ATTACH_NOT_SYSFS,
	ATTACH_VIEW_MAKE,
	ATTACH_SYSFS_LINK,
	ATTACH_SYSFS_NAME,
	ATTACH_NODE_BUSY,
	ATTACH_NODE_UMOUNT,
	ATTACH_NODE_CREATE,
	ATTACH_NODE_MOUNT,
	ATTACH_DEVDIR_UMOUNT,
	ATTACH_DEVDIR_MOUNT,
	ATTACH_DEVDIR_FILL,
	ATTACH_DEVDIR_SEAL,
	ATTACH_BUS_LIST,
	ATTACH_BUS_UMOUNT,
	ATTACH_BUS_MOUNT,
	ATTACH_BUS_FILL,
	ATTACH_BUS_SEAL,
	ATTACH_SYSFS_TREE,
	ATTACH_SYSFS_CLASS,
	ATTACH_SYSFS_UMOUNT,
	ATTACH_SYSFS_MOUNT,
};

struct attach_result {
	int step;
	int err;
	char detail[200];
};

struct attach_entry {
	char name[NAME_MAX + 1];
	char target[ATTACH_TARGET_MAX];
};

/* Mount points in the container whose propagation is shared: made slaves. */
#define ATTACH_MAX_SLAVES 3

struct attach_job {
	const struct vgc_attach *a;
	pid_t pid;
	const char *base;		/* basename of the tenant's node */
	char ns_path[64];
	char root_path[64];
	char stat_path[64];		/* /proc/PID/stat, for the start time */
	const struct vgc_attach_id *expect;	/* NULL: no identity to check */
	char sysfs_link[64];		/* /sys/dev/char/MAJ:MIN */
	char dev_text[32];		/* MAJ:MIN\n */
	char uevent_text[NAME_MAX + 64];
	char slave[ATTACH_MAX_SLAVES][PATH_MAX];
	unsigned int num_slaves;
	uid_t root_uid;			/* the container's root as the host sees it */
	gid_t root_gid;
	char node_dir[PATH_MAX];	/* the node's directory, relative to the container's root */
	/* The child's scratch space, allocated before fork. */
	char devdir[PATH_MAX];		/* the device's sysfs directory, /sys/devices/... */
	char devdir_parent[PATH_MAX];	/* its parent, relative to /sys: devices/... */
	const char *devdir_base;	/* its last component, in devdir */
	char link[PATH_MAX];
	char dents[8192];
	char stat_text[1024];
	struct attach_entry entries[ATTACH_MAX_ENTRIES];
	unsigned int num_entries;
	struct attach_result res;
};

/*
 * The forked child: enters the namespace, makes node and view, fills res.
 * It has closed every fd it did not open itself.
 */
void vgc_attach_child(struct attach_job *j);
/* Copies src into dst of size bytes, cut and always terminated. */
void vgc_attach_copy(char *dst, size_t size, const char *src);

/*
 * attach_ns.c: the walk of the container's tree (openat2 from its root,
 * no symlinks), also for attach_view.c. attach_fail records the step that
 * failed and returns -1; the others return an fd, 0 or -1 after it.
 */
int attach_fail(struct attach_job *j, int step, int err, const char *detail);
int attach_openat2(int dir_fd, const char *path, int flags, unsigned long long resolve);
int attach_setattr(int fd, unsigned long long set, unsigned long long clr,
		   unsigned long long propagation);
bool attach_fs_is(int fd, unsigned long magic);
bool attach_name_ok(const char *name);
bool attach_target_ok(const char *target, unsigned int ups, const char **rest);
int attach_peel(struct attach_job *j, int dir_fd, const char *name, bool need_rdonly, int step,
		const char *what);
int attach_sysfs_dir(struct attach_job *j, int dir_fd, const char *name, int flags,
		     const char *what);

/* attach_view.c: the device's own sysfs directory, and /sys/bus/gpio/devices. */
int attach_devdir(struct attach_job *j, int sys_fd);
int attach_bus(struct attach_job *j, int root_fd, int gpio_fd);

/* attach_sysfs.c: our /sys/class/gpio (tree_fd, a detached clone) onto the container's. */
#define ATTACH_CLASS_GPIO "/sys/class/gpio"
int attach_sysfs_class(struct attach_job *j, int sys_fd, int tree_fd);

#endif
