/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which tenant serves which host line. Several daemons may serve disjoint
 * lines of one host chip, but a daemon only holds its host lines while its
 * clients have requests, so the kernel cannot tell two overlapping maps
 * apart until both are in use. A registry can: one lock file per host line,
 * RUN_DIR/lines/CHIP/LINE, flock()ed for the daemon's lifetime and holding
 * "TENANT PID". The kernel drops the locks when the process dies, however
 * it dies, so a stale file never blocks anyone.
 */
#ifndef VGC_HOSTLOCK_H
#define VGC_HOSTLOCK_H

#include <stddef.h>
#include <stdint.h>

struct vgc_hostlock;

/*
 * Claims host lines lines[0..num) of host chip chip (its kernel name, e.g.
 * gpiochip3) for tenant. All or nothing: if another running tenant has any
 * of them, returns NULL with errno EBUSY and a message in err naming that
 * tenant and the lines; other failures set errno and say what failed.
 */
struct vgc_hostlock *vgc_hostlock_open(const char *run_dir, const char *chip,
				       const char *tenant, const uint32_t *lines,
				       unsigned int num, char *err, size_t errlen);
/*
 * Refuses a run directory others could change (not owned by us, or
 * writable by group or others): 0, or -EPERM/-errno with what to do in err.
 * Made first (0700) if missing. Checked before anything is written there.
 */
int vgc_hostlock_check_dir(const char *dir, char *err, size_t errlen);
/* mkdir of one directory, 0700 whatever the umask; an existing one is kept. */
int vgc_hostlock_mkdir(const char *dir, char *err, size_t errlen);
/* Lets the lines go (the process exiting does the same). */
void vgc_hostlock_close(struct vgc_hostlock *hl);

#endif
