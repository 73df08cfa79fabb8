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

#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
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

#define ATTACH_BUS "/sys/bus/gpio"
#define ATTACH_BUS_DEVICES "/sys/bus/gpio/devices"
#define ATTACH_DEVICES_PARENT "/sys/devices/virtual"
#define ATTACH_MAX_ENTRIES 128
#define ATTACH_TARGET_MAX 512
/* Stale views stacked by older versions or crashes: peel at most this many. */
#define ATTACH_MAX_UNMOUNTS 16
#define ATTACH_TMPFS_OPTS "mode=0755,size=64k"
#define ATTACH_VIEW_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

enum attach_step {
	ATTACH_OK,
	ATTACH_OPEN_NS,
	ATTACH_OPEN_ROOT,
	ATTACH_OPEN_TREE,
	ATTACH_SETNS,
	ATTACH_CHROOT,
	ATTACH_PROPAGATION,
	ATTACH_NO_GPIO_BUS,
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
	char sysfs_link[64];		/* /sys/dev/char/MAJ:MIN */
	char dev_text[32];		/* MAJ:MIN\n */
	char uevent_text[NAME_MAX + 64];
	char slave[ATTACH_MAX_SLAVES][PATH_MAX];
	unsigned int num_slaves;
	uid_t root_uid;			/* the container's root as the host sees it */
	gid_t root_gid;
	/* The child's scratch space, allocated before fork. */
	char devdir[PATH_MAX];		/* the device's sysfs directory */
	char link[PATH_MAX];
	char dents[8192];
	struct attach_entry entries[ATTACH_MAX_ENTRIES];
	unsigned int num_entries;
	struct attach_result res;
};

/* The forked child: enters the namespace, makes node and view, writes res, exits. */
void vgc_attach_child(struct attach_job *j);
/* Copies src into dst of size bytes, cut and always terminated. */
void vgc_attach_copy(char *dst, size_t size, const char *src);

#endif
