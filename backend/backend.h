/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where lines really live. A backend is an ops table filled with designated
 * initializers; sim (in memory) and host (a real /dev/gpiochipN) are two
 * instances. Backends speak host offsets and the kernel's v2 line config, so
 * the host backend can forward a tenant's request with only the offsets
 * rewritten. A backend applies line semantics itself (active-low, edge
 * filtering, debounce, event clock), exactly as the kernel's chardev would,
 * and reports logical edge events through vgc_backend_edge_fn.
 */
#ifndef VGC_BACKEND_H
#define VGC_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/gpio.h>

struct vgc_backend;
struct vgc_breq;

/*
 * One logical edge. A backend whose request numbers its events (the host's:
 * the same lines in the same order as the tenant's request) passes its
 * seqnos, gaps from its own queue included; 0 asks the caller to number.
 */
struct vgc_edge {
	uint64_t timestamp_ns;
	uint32_t id;
	uint32_t seqno, line_seqno;
};

/* One logical edge on line idx (index into the request's offsets). */
typedef void (*vgc_backend_edge_fn)(void *owner, unsigned int idx, const struct vgc_edge *e);

struct vgc_backend_ops {
	const char *kind;
	/* Number of host lines. */
	unsigned int (*num_lines)(struct vgc_backend *be);
	/*
	 * Claim host lines and apply cfg (attribute masks index offsets[]).
	 * edge may be NULL (nobody listens). Returns 0 or a negative errno; on
	 * error nothing stays claimed.
	 */
	int (*request)(struct vgc_backend *be, const uint32_t *offsets,
		       unsigned int num, const struct gpio_v2_line_config *cfg,
		       const char *consumer, vgc_backend_edge_fn edge, void *owner,
		       struct vgc_breq **out);
	void (*release)(struct vgc_breq *br);
	/* Logical values; bit i is offsets[i]. Debounced where debounce is on. */
	int (*get_values)(struct vgc_breq *br, uint64_t mask, uint64_t *bits);
	int (*set_values)(struct vgc_breq *br, uint64_t mask, uint64_t bits);
	/* Reconfigure lines that have a direction flag in cfg; others stay. */
	int (*set_config)(struct vgc_breq *br, const struct gpio_v2_line_config *cfg);
	/* Host view of a line: flags, name, debounce attribute while requested. */
	int (*line_info)(struct vgc_backend *be, uint32_t offset,
			 struct gpio_v2_line_info *info);
	/* An fd to poll for readiness, or -1; then dispatch() does the work. */
	int (*poll_fd)(struct vgc_backend *be);
	void (*dispatch)(struct vgc_backend *be);
	void (*close)(struct vgc_backend *be);
};

struct vgc_backend {
	const struct vgc_backend_ops *ops;
	/*
	 * Set by the owner; called from dispatch() once the host chip has gone
	 * (removed, unbound); afterwards every op fails with -ENODEV.
	 */
	void (*gone)(void *data);
	void *gone_data;
};

/* Simulated chip of num_lines lines; NULL and errno on failure. */
struct vgc_backend *vgc_backend_sim_open(unsigned int num_lines);

/*
 * A real host chip through the kernel's GPIO v2 uAPI. chip is a path
 * (/dev/gpiochip3), a name (gpiochip3) or a chip label. NULL and errno on
 * failure, with a message for the user in err.
 */
struct vgc_backend *vgc_backend_host_open(const char *chip, char *err, size_t errlen);
/* The host chip's kernel name (gpiochip3) and label; NULL if be is not a host backend. */
const char *vgc_backend_host_name(struct vgc_backend *be);
const char *vgc_backend_host_label(struct vgc_backend *be);

/*
 * Simulated lines driven from outside, as gpio-sim's "pull" attribute:
 * vgc_sim_pull() drives a line's input level (-1 lets it float again, so
 * it rests where the last pull-up or pull-down left it, as on gpio-sim),
 * vgc_sim_level() reads the level on the pin (the output value for outputs).
 */
int vgc_sim_pull(struct vgc_backend *be, uint32_t offset, int level);
int vgc_sim_level(struct vgc_backend *be, uint32_t offset);

#endif
