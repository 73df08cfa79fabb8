/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attach: give a container's mount namespace our device node and the small
 * sysfs view libgpiod needs before it accepts a CUSE device as a gpiochip.
 */
#ifndef VGC_ATTACH_H
#define VGC_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * What names one attached process beyond its pid, which the kernel reuses:
 * its start time (field 22 of /proc/PID/stat, clock ticks since boot) and its
 * mount namespace (the inode of /proc/PID/ns/mnt); its user namespace is the
 * tenant's identity when it opens the device (see vgc_attach_userns_known).
 */
struct vgc_attach_id {
	pid_t pid;
	unsigned long long start;
	unsigned long long mnt_dev, mnt_ino;
	unsigned long long user_dev, user_ino;
};

struct vgc_attach {
	const char *host_node;	/* our device node on the host, e.g. /dev/vgpiochip-vpi1 */
	const char *node;	/* where the tenant sees it, e.g. /dev/gpiochip0 */
	const char *devname;	/* CUSE devname: /sys/devices/virtual/cuse/<devname>;
				 * NULL skips the check that sysfs agrees */
	dev_t rdev;		/* MAJ:MIN of the device */
	/* the process as it was recorded; NULL: whatever process has the pid now */
	const struct vgc_attach_id *expect;
	/*
	 * attach --sysfs: the host mount point of our /sys/class/gpio (sysfs/),
	 * cloned onto the container's /sys/class/gpio; NULL: none.
	 */
	const char *sysfs_tree;
};

/*
 * Enter the mount namespace of pid and give it node + sysfs view. Safe to call
 * from a multi-threaded process (the namespace work runs in a forked child,
 * which is killed after ATTACH_TIMEOUT_MS) and to call again for the same pid
 * and node (the old view is replaced). With a->expect, nothing is done unless
 * pid is still that process (start time and mount namespace).
 * 0 or -errno, with a message in err saying what failed and what to do.
 */
int vgc_attach_apply(pid_t pid, const struct vgc_attach *a, char *err, size_t errlen);

/*
 * The host id that id 0 of pid's user namespace maps to ("uid_map" or
 * "gid_map"): 0 with *id set, -ENOENT when id 0 is not mapped (then nothing
 * may be created for that namespace: host root would do it), or -errno.
 */
int vgc_attach_root_id(pid_t pid, const char *map, unsigned int *id);

/* Reads pid's identity from /proc; 0 or -errno (-ESRCH: no such process). */
int vgc_attach_id_read(pid_t pid, struct vgc_attach_id *id);

/* The pure parts (start time, matching, the state file) are in attach_state.h. */

/*
 * The front end's check on open (ctl.c keeps the table): whether a caller in
 * the user namespace (dev, ino) is the host or a tenant this daemon attached.
 */
bool vgc_attach_userns_known(unsigned long long dev, unsigned long long ino);

#endif
