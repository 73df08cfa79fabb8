/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VM front end: the tenant's chip served as a vhost-user-gpio back end
 * on a UNIX socket (QEMU's vhost-user-gpio-pci), instead of a CUSE device.
 */
#ifndef VGC_VHOST_H
#define VGC_VHOST_H

#include "../cuse/daemon.h"

/* Serves until SIGTERM/SIGINT; the process's exit status. Takes cfg. */
int vgc_vhost_run(struct vgc_options *opt, struct vgc_config *cfg,
		  const struct vgc_config_flags *flags, const char *socket_path);

#endif
