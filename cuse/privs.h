/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Least privilege for the running daemon: after start-up it keeps only the
 * capabilities it uses, no_new_privs, and a seccomp filter of the syscalls
 * it makes. See SECURITY.md for the model.
 */
#ifndef VGC_PRIVS_H
#define VGC_PRIVS_H

#include "daemon.h"

/*
 * Refuses a control socket that someone other than root could replace or
 * connect to: its directory and the socket must be owned by root and not
 * writable by group or others. Logs what to fix; 0 or -EPERM.
 */
int vgc_privs_check_ctl(const struct vgc_daemon *d);

/*
 * Once start-up is done (device up, control socket listening, attachments
 * restored): every thread keeps CAP_SYS_PTRACE effective, the main thread
 * keeps what attach needs in its permitted set only, the bounding and
 * ambient sets are emptied of the rest, no_new_privs is set and the seccomp
 * filter goes on every thread. Logs and returns -errno on failure; the
 * daemon must not go on serving then.
 */
int vgc_privs_drop(struct vgc_daemon *d);

/*
 * Raises the attach capabilities on the calling thread for one control
 * request (the node, the chown, and the forked child that enters the
 * container inherit them), and lowers them again. No-ops before the drop.
 * A failed raise is logged and leaves attach to fail with its own message;
 * a failed lower ends the daemon.
 */
int vgc_privs_raise(const struct vgc_daemon *d);
void vgc_privs_lower(const struct vgc_daemon *d);

#endif
