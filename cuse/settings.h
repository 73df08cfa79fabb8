/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tenant's settings in the running daemon: load, apply, reload. */
#ifndef VGC_SETTINGS_H
#define VGC_SETTINGS_H

#include <stddef.h>

#include "../policy/config.h"
#include "daemon.h"

/*
 * The file at path (NULL: none, the flags only) with the flags over it,
 * checked for a tenant and at least one line. NULL with a message in err
 * that names the file, line and what is allowed.
 */
struct vgc_config *vgc_settings_load(const char *path, const struct vgc_config_flags *flags,
				     char *err, size_t errlen);
/* Builds d->map and d->rules from cfg (the old ones are freed). 0 or -errno with err. */
int vgc_settings_apply(struct vgc_daemon *d, struct vgc_config *cfg, char *err, size_t errlen);
/*
 * Re-reads d->opt.config: 0 with a summary in msg, or -EINVAL with why in
 * msg and nothing changed. Lines in use keep their rules until released.
 */
int vgc_settings_reload(struct vgc_daemon *d, char *msg, size_t len);

#endif
