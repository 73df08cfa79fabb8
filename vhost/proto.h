/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vhost-user protocol (QEMU docs/interop/vhost-user.rst) from the back
 * end's side: one message in, at most one reply out. No socket here, so the
 * parser is fuzzed as it runs; the caller does the I/O and hands in the fds
 * that came with a message.
 */
#ifndef VGC_VHOST_PROTO_H
#define VGC_VHOST_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "vring.h"

/* Front-end requests this back end knows (the spec's numbering). */
enum vhu_request {
	VHU_GET_FEATURES = 1,
	VHU_SET_FEATURES = 2,
	VHU_SET_OWNER = 3,
	VHU_RESET_OWNER = 4,
	VHU_SET_MEM_TABLE = 5,
	VHU_SET_LOG_BASE = 6,
	VHU_SET_LOG_FD = 7,
	VHU_SET_VRING_NUM = 8,
	VHU_SET_VRING_ADDR = 9,
	VHU_SET_VRING_BASE = 10,
	VHU_GET_VRING_BASE = 11,
	VHU_SET_VRING_KICK = 12,
	VHU_SET_VRING_CALL = 13,
	VHU_SET_VRING_ERR = 14,
	VHU_GET_PROTOCOL_FEATURES = 15,
	VHU_SET_PROTOCOL_FEATURES = 16,
	VHU_GET_QUEUE_NUM = 17,
	VHU_SET_VRING_ENABLE = 18,
	VHU_GET_CONFIG = 24,
	VHU_SET_CONFIG = 25,
};

#define VHU_VERSION 0x1
#define VHU_FLAG_VERSION_MASK 0x3
#define VHU_FLAG_REPLY (1u << 2)
#define VHU_FLAG_NEED_REPLY (1u << 3)

#define VHU_F_PROTOCOL_FEATURES 30	/* a virtio feature bit the protocol borrows */
#define VHU_PROTOCOL_F_MQ 0
#define VHU_PROTOCOL_F_REPLY_ACK 3
#define VHU_PROTOCOL_F_CONFIG 9

#define VHU_HDR_SIZE 12
/* The largest payload we take: a config space read with its 256 bytes. */
#define VHU_MAX_PAYLOAD 512
#define VHU_MAX_FDS 8
#define VHU_NUM_QUEUES 2
#define VHU_VRING_NOFD (1u << 8)	/* SET_VRING_KICK/CALL/ERR without an fd */

struct vhu_msg {
	uint32_t request, flags, size;
	uint8_t payload[VHU_MAX_PAYLOAD];
};

struct vhu_dev;

/* What the device behind the protocol provides. */
struct vhu_device_ops {
	uint64_t features;		/* virtio device features offered */
	/* config space bytes [offset, offset+size): 0 or -EINVAL */
	int (*get_config)(void *dev, uint32_t offset, uint8_t *buf, uint32_t size);
	/* the queues were set up, enabled or stopped: look again */
	void (*rings_changed)(void *dev);
	/* the guest driver stopped or the front end reset us: let go of everything */
	void (*reset)(void *dev);
};

struct vhu_dev {
	const struct vhu_device_ops *ops;
	void *dev;
	uint64_t features;		/* acked */
	uint64_t protocol_features;
	bool owned;
	struct vhu_mem mem;
	struct vhu_vq vq[VHU_NUM_QUEUES];
};

void vgc_vhost_proto_init(struct vhu_dev *v, const struct vhu_device_ops *ops, void *dev);
/* Drops the memory, closes the ring fds, resets the device (a disconnect). */
void vgc_vhost_proto_reset(struct vhu_dev *v);
/*
 * Handles m (header already checked by vgc_vhost_proto_check) with the nfds
 * fds that came with it, which become the handler's (kept or closed).
 * Returns 1 with reply filled to send it, 0 for no reply, or -EPROTO when
 * the front end broke the protocol so badly that the connection must end.
 */
int vgc_vhost_proto_handle(struct vhu_dev *v, const struct vhu_msg *m, int *fds,
			   unsigned int nfds, struct vhu_msg *reply);
/* A header as read: 0, or -EPROTO (bad version, payload too big). */
int vgc_vhost_proto_check(const struct vhu_msg *m);

#endif
