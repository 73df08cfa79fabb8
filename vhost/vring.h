/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest memory and split virtqueues as a vhost-user back end sees them
 * (virtio 1.x, section 2.7). Everything here is written by the guest or by
 * the front end and is hostile: every index, length and address is checked
 * against the memory table before it is touched, and a bad descriptor chain
 * fails that one request.
 */
#ifndef VGC_VHOST_VRING_H
#define VGC_VHOST_VRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VHU_MAX_REGIONS 8
/* A virtio-gpio request has one readable and one writable buffer; allow a split of each. */
#define VHU_MAX_SEGS 4
#define VHU_MAX_QUEUE 1024

struct vhu_region {
	uint64_t gpa, size, uva;	/* guest physical, length, front end's virtual */
	uint8_t *host;			/* where gpa starts in our mapping */
	void *map;			/* what munmap takes; NULL: not ours (tests) */
	size_t map_len;
};

struct vhu_mem {
	unsigned int num;
	struct vhu_region r[VHU_MAX_REGIONS];
};

struct vhu_seg {
	uint8_t *p;
	uint64_t gpa;		/* to find it again should the memory table change */
	uint32_t len;
};

/* One popped request: its readable segments, then its writable ones. */
struct vhu_chain {
	uint16_t head;
	unsigned int nr, nw;
	struct vhu_seg rd[VHU_MAX_SEGS], wr[VHU_MAX_SEGS];
	uint32_t rd_len, wr_len;
};

struct vhu_vq {
	unsigned int num;		/* 0: not set up */
	uint64_t desc_uva, avail_uva, used_uva;
	uint8_t *desc, *avail, *used;	/* translated, NULL until the memory is known */
	uint16_t last_avail, used_idx;
	int kick_fd, call_fd, err_fd;
	bool enabled;
	bool started;			/* addresses set and not stopped by GET_VRING_BASE */
	uint64_t bad;			/* chains refused, for the log */
};

/* A host pointer for len bytes at guest physical gpa, or NULL if not wholly inside one region. */
uint8_t *vhu_mem_gpa(const struct vhu_mem *m, uint64_t gpa, uint64_t len);
/* The same for an address in the front end's address space (ring addresses). */
uint8_t *vhu_mem_uva(const struct vhu_mem *m, uint64_t uva, uint64_t len);
void vhu_mem_unmap(struct vhu_mem *m);

void vhu_vq_init(struct vhu_vq *vq);
/* Translates the ring addresses; 0 or -EFAULT (the ring is not usable). */
int vhu_vq_map(struct vhu_vq *vq, const struct vhu_mem *m);
/* True when the rings can be walked. */
bool vhu_vq_ready(const struct vhu_vq *vq);
/*
 * The next available request: 1 with c filled, 0 if none, -EINVAL for a
 * bad chain whose head c->head the caller returns with length 0 (the
 * request fails), -EIO for an entry that cannot even be returned (skipped).
 */
int vhu_vq_pop(struct vhu_vq *vq, const struct vhu_mem *m, struct vhu_chain *c);
/* Returns a request to the guest with len bytes written. */
void vhu_vq_push(struct vhu_vq *vq, uint16_t head, uint32_t len);
/* Interrupts the guest unless it asked not to be. */
void vhu_vq_notify(struct vhu_vq *vq);

/* Copies from a chain's readable part; bytes copied. */
size_t vhu_chain_read(const struct vhu_chain *c, void *buf, size_t len);
/* Copies into its writable part; bytes copied. */
size_t vhu_chain_write(const struct vhu_chain *c, const void *buf, size_t len);

#endif
