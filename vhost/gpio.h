/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A virtio-gpio device (virtio 1.3, 5.18) over the transport-independent
 * chip of uapi/: each line the guest drives becomes a one-line request on
 * a chip file, so rules, rates, release states and audit are those of any
 * other tenant, enforced by the same code.
 */
#ifndef VGC_VHOST_GPIO_H
#define VGC_VHOST_GPIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../uapi/uapi.h"
#include "vring.h"

#define VGPIO_CONSUMER "vm"

struct vgpio_line {
	struct vgc_file *req;	/* our request for the line, or NULL */
	uint8_t dir;		/* VIRTIO_GPIO_DIRECTION_* while held */
	uint8_t value;		/* what SET_VALUE last asked for */
	uint8_t irq_type;	/* VIRTIO_GPIO_IRQ_TYPE_* */
	bool ev_pending;	/* the guest gave us a buffer to answer on an interrupt */
	uint16_t ev_head;
	struct vhu_chain ev;
	bool dirty;		/* its request file has events to read */
};

struct vgpio {
	struct vgc_chip *chip;
	struct vgc_file *chipf;
	pid_t pid;		/* whom audit names: the front end's process */
	bool irq;		/* VIRTIO_GPIO_F_IRQ negotiated */
	/*
	 * The guest's driver was running before this connection (a restarted
	 * back end): lines it drove are outputs in the guest that we do not
	 * hold, and its next SET_VALUE on one takes it again.
	 */
	bool resumed;
	unsigned int ngpio;
	struct vgpio_line *lines;
	char *names;		/* GET_NAMES block, fixed when the config is read */
	uint32_t names_size;
	struct vhu_vq *evq;	/* where interrupts are answered */
	const struct vhu_mem *mem;
	bool any_dirty;
};

/* A device over chip; NULL and errno. */
struct vgpio *vgc_vgpio_new(struct vgc_chip *chip, pid_t pid);
void vgc_vgpio_free(struct vgpio *g);
/* Let go of every line (release states apply) and of pending interrupt buffers. */
void vgc_vgpio_reset(struct vgpio *g);
/* struct virtio_gpio_config bytes; 0 or -EINVAL. */
int vgc_vgpio_config(struct vgpio *g, uint32_t offset, uint8_t *buf, uint32_t size);
/* One request from the request queue: bytes written into its response. */
uint32_t vgc_vgpio_request(struct vgpio *g, const struct vhu_chain *c);
/* One buffer from the event queue: kept until the line's interrupt, or answered at once. */
void vgc_vgpio_event_buffer(struct vgpio *g, const struct vhu_chain *c);
/* uapi's ready callback: a line's request has edges to read. */
void vgc_vgpio_ready(struct vgc_file *f, void *file_ctx, void *data);
/* Reads the edges marked ready and answers interrupts; true if any buffer went back. */
bool vgc_vgpio_flush(struct vgpio *g);

#endif
