/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attach: give a container's mount namespace our device node and the small
 * sysfs view libgpiod needs before it accepts a CUSE device as a gpiochip.
 */
#ifndef VGC_ATTACH_H
#define VGC_ATTACH_H

#include <stddef.h>
#include <sys/types.h>

struct vgc_attach {
	const char *host_node;	/* our device node on the host, e.g. /dev/vgpiochip-vpi1 */
	const char *node;	/* where the tenant sees it, e.g. /dev/gpiochip0 */
	const char *devname;	/* CUSE devname: /sys/devices/virtual/cuse/<devname>;
				 * NULL skips the check that sysfs agrees */
	dev_t rdev;		/* MAJ:MIN of the device */
};

/*
 * Enter the mount namespace of pid and give it node + sysfs view. Safe to call
 * from a multi-threaded process (the namespace work runs in a forked child)
 * and to call again for the same pid and node (the old view is replaced).
 * 0 or -errno, with a message in err saying what failed and what to do.
 */
int vgc_attach_apply(pid_t pid, const struct vgc_attach *a, char *err, size_t errlen);

/* The host id that id 0 of pid's user namespace maps to ("uid_map" or "gid_map"). */
unsigned int vgc_attach_root_id(pid_t pid, const char *map);

#endif
