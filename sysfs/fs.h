/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sysfs front end's filesystem: one FUSE session per daemon, mounted on
 * the host at a private path, from which attach clones one mount per
 * container onto its /sys/class/gpio.
 */
#ifndef VGC_SYSFS_FS_H
#define VGC_SYSFS_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "sysfs.h"

struct vgc_sysfs_fs;

struct vgc_sysfs_fs_config {
	const char *path;	/* the host mount point, made 0700 (RUN_DIR/NAME.sysfs) */
	unsigned int base;	/* gpio<base + virtual offset> */
	const char *label;	/* gpiochip<base>/label */
};

/* NULL with a message in err saying what failed. */
struct vgc_sysfs_fs *vgc_sysfs_fs_open(struct vgc_chip *chip, const struct vgc_sysfs_fs_config *cfg,
				       char *err, size_t errlen);
/* Unexports everything (release states), unmounts the host path, ends the session. */
void vgc_sysfs_fs_close(struct vgc_sysfs_fs *fs);
/* The session's fd for the event loop (-1 for NULL) and one turn when it is readable. */
int vgc_sysfs_fs_fd(const struct vgc_sysfs_fs *fs);
int vgc_sysfs_fs_turn(struct vgc_sysfs_fs *fs);
/* At the end of every loop turn: edges drained, pollers woken, a gone chip let go. */
void vgc_sysfs_fs_flush(struct vgc_sysfs_fs *fs);
/* The host mount point attach clones from; NULL for NULL. */
const char *vgc_sysfs_fs_path(const struct vgc_sysfs_fs *fs);
/* Who the files belong to: the container's root, so it may write them. */
void vgc_sysfs_fs_set_owner(struct vgc_sysfs_fs *fs, uid_t uid, gid_t gid);

/* mount.c: a FUSE filesystem on path (stale mounts there peeled); *dev_fd its /dev/fuse. */
int vgc_sysfs_mount(const char *path, int *dev_fd, char *err, size_t errlen);

#endif
