/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the daemon reports: audit log lines and the status table. */
#ifndef VGC_REPORT_H
#define VGC_REPORT_H

#include <stddef.h>

#include "daemon.h"

/* The core's audit records as log lines; data is the daemon. */
void vgc_report_audit(const struct vgc_audit *a, void *data);
/* The status report, NUL-terminated; returns its length. */
size_t vgc_report_status(struct vgc_daemon *d, char *buf, size_t len);
/*
 * The status as JSON (docs/status-json.md), newline-terminated, for the
 * caller to free(); NULL when out of memory. Any size: no fixed buffer.
 */
char *vgc_report_status_json(struct vgc_daemon *d);

#endif
