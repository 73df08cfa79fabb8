/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The configuration in the running daemon: load, reload, audit log, status. */
#ifndef VGC_CONF_H
#define VGC_CONF_H

#include <stddef.h>

#include "../policy/config.h"
#include "daemon.h"

/*
 * The file at path (NULL: none, the flags only) with the flags over it,
 * checked for a tenant and at least one line. NULL with a message in err
 * that names the file, line and what is allowed.
 */
struct vgc_config *vgc_conf_load(const char *path, const struct vgc_config_flags *flags,
				 char *err, size_t errlen);
/* The daemon's options from a loaded configuration (pointing into it). */
void vgc_conf_options(struct vgc_options *opt, const struct vgc_config *cfg);
/* Builds d->map and d->rules from cfg (the old ones are freed). 0 or -errno with err. */
int vgc_conf_apply(struct vgc_daemon *d, struct vgc_config *cfg, char *err, size_t errlen);
/*
 * Re-reads d->opt.config: 0 with a summary in msg, or -EINVAL with why in
 * msg and nothing changed. Lines in use keep their rules until released.
 */
int vgc_conf_reload(struct vgc_daemon *d, char *msg, size_t len);
/* The core's audit records as log lines; data is the daemon. */
void vgc_conf_audit(const struct vgc_audit *a, void *data);
/* The status report, NUL-terminated; returns its length. */
size_t vgc_conf_status(struct vgc_daemon *d, char *buf, size_t len);

#endif
