// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest memory translation and the split virtqueue walker. The guest can
 * change any ring byte at any time: each value is loaded once, checked, and
 * only the checked copy is used.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vring.h"

/* The split ring's layout (virtio 1.x, 2.7): little-endian, fixed strides. */
#define VRING_DESC_SIZE 16
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_AVAIL_F_NO_INTERRUPT 1

static uint8_t *mem_find(const struct vhu_mem *m, uint64_t addr, uint64_t len, bool uva)
{
	for (unsigned int i = 0; i < m->num && i < VHU_MAX_REGIONS; i++) {
		const struct vhu_region *r = &m->r[i];
		uint64_t start = uva ? r->uva : r->gpa;

		/* wholly inside, written so that no sum can wrap */
		if (addr >= start && addr - start <= r->size && len <= r->size - (addr - start))
			return r->host + (addr - start);
	}
	return NULL;
}

uint8_t *vhu_mem_gpa(const struct vhu_mem *m, uint64_t gpa, uint64_t len)
{
	return mem_find(m, gpa, len, false);
}

uint8_t *vhu_mem_uva(const struct vhu_mem *m, uint64_t uva, uint64_t len)
{
	return mem_find(m, uva, len, true);
}

void vhu_mem_unmap(struct vhu_mem *m)
{
	for (unsigned int i = 0; i < m->num && i < VHU_MAX_REGIONS; i++)
		if (m->r[i].map)
			munmap(m->r[i].map, m->r[i].map_len);
	memset(m, 0, sizeof(*m));
}

void vhu_vq_init(struct vhu_vq *vq)
{
	memset(vq, 0, sizeof(*vq));
	vq->kick_fd = vq->call_fd = vq->err_fd = -1;
}

int vhu_vq_map(struct vhu_vq *vq, const struct vhu_mem *m)
{
	uint64_t n = vq->num;

	vq->desc = vq->avail = vq->used = NULL;
	if (!n)
		return -EFAULT;
	vq->desc = vhu_mem_uva(m, vq->desc_uva, n * VRING_DESC_SIZE);
	vq->avail = vhu_mem_uva(m, vq->avail_uva, 6 + 2 * n);
	vq->used = vhu_mem_uva(m, vq->used_uva, 6 + 8 * n);
	/* the 16-, 32- and 64-bit loads below need the spec's alignment */
	if (!vq->desc || !vq->avail || !vq->used || ((uintptr_t)vq->desc & 15) ||
	    ((uintptr_t)vq->avail & 1) || ((uintptr_t)vq->used & 3)) {
		vq->desc = vq->avail = vq->used = NULL;
		return -EFAULT;
	}
	return 0;
}

bool vhu_vq_ready(const struct vhu_vq *vq)
{
	return vq->started && vq->enabled && vq->desc;
}

static uint16_t load16(const uint8_t *p)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED));
}

/* One descriptor, copied out before it is looked at. */
struct vring_desc_copy {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static void desc_load(const struct vhu_vq *vq, uint16_t i, struct vring_desc_copy *d)
{
	const uint8_t *p = vq->desc + (size_t)i * VRING_DESC_SIZE;
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;

	memcpy(&addr, p, 8);
	memcpy(&len, p + 8, 4);
	memcpy(&flags, p + 12, 2);
	memcpy(&next, p + 14, 2);
	d->addr = le64toh(addr);
	d->len = le32toh(len);
	d->flags = le16toh(flags);
	d->next = le16toh(next);
}

/* Walks the chain from c->head: readable buffers first, then writable ones. */
static int chain_walk(const struct vhu_vq *vq, const struct vhu_mem *m, struct vhu_chain *c)
{
	uint16_t i = c->head;

	/* a loop in the chain ends after num steps */
	for (unsigned int steps = 0; steps < vq->num; steps++) {
		struct vring_desc_copy d;
		struct vhu_seg *s;
		uint8_t *p;

		desc_load(vq, i, &d);
		/* indirect tables were not offered (VIRTIO_RING_F_INDIRECT_DESC) */
		if (d.flags & ~(VRING_DESC_F_NEXT | VRING_DESC_F_WRITE))
			return -EINVAL;
		p = vhu_mem_gpa(m, d.addr, d.len);
		if (!p || !d.len)
			return -EINVAL;
		if (d.flags & VRING_DESC_F_WRITE) {
			if (c->nw == VHU_MAX_SEGS)
				return -EINVAL;
			s = &c->wr[c->nw++];
			c->wr_len += d.len;
		} else {
			/* the spec puts every readable buffer before the writable ones */
			if (c->nw || c->nr == VHU_MAX_SEGS)
				return -EINVAL;
			s = &c->rd[c->nr++];
			c->rd_len += d.len;
		}
		s->p = p;
		s->gpa = d.addr;
		s->len = d.len;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		if (d.next >= vq->num)
			return -EINVAL;
		i = d.next;
	}
	return -EINVAL;
}

int vhu_vq_pop(struct vhu_vq *vq, const struct vhu_mem *m, struct vhu_chain *c)
{
	uint16_t avail_idx, head;
	int ret;

	memset(c, 0, sizeof(*c));
	if (!vhu_vq_ready(vq))
		return 0;
	avail_idx = load16(vq->avail + 2);
	if (avail_idx == vq->last_avail)
		return 0;
	/* more entries than the ring holds: the index is garbage, wait for a sane one */
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
		vq->bad++;
		return 0;
	}
	/* the ring entries are read only after the index that publishes them */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = load16(vq->avail + 4 + 2 * (size_t)(vq->last_avail % vq->num));
	vq->last_avail++;
	if (head >= vq->num) {
		vq->bad++;
		return -EIO;
	}
	c->head = head;
	ret = chain_walk(vq, m, c);
	if (ret) {
		vq->bad++;
		c->nr = c->nw = 0;
		c->rd_len = c->wr_len = 0;
		return ret;
	}
	return 1;
}

void vhu_vq_push(struct vhu_vq *vq, uint16_t head, uint32_t len)
{
	uint8_t *e;
	uint32_t id = htole32(head), l = htole32(len);

	if (!vhu_vq_ready(vq))
		return;
	e = vq->used + 4 + 8 * (size_t)(vq->used_idx % vq->num);
	memcpy(e, &id, 4);
	memcpy(e + 4, &l, 4);
	vq->used_idx++;
	/* the element is visible before the index that publishes it */
	__atomic_store_n((uint16_t *)(vq->used + 2), htole16(vq->used_idx), __ATOMIC_RELEASE);
}

void vhu_vq_notify(struct vhu_vq *vq)
{
	uint64_t one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vhu_vq_ready(vq) || vq->call_fd < 0 ||
	    (load16(vq->avail) & VRING_AVAIL_F_NO_INTERRUPT))
		return;
	/* a full counter only means an interrupt is already pending */
	if (write(vq->call_fd, &one, sizeof(one)) < 0)
		return;
}

size_t vhu_chain_read(const struct vhu_chain *c, void *buf, size_t len)
{
	size_t done = 0;

	for (unsigned int i = 0; i < c->nr && done < len; i++) {
		size_t n = c->rd[i].len < len - done ? c->rd[i].len : len - done;

		memcpy((uint8_t *)buf + done, c->rd[i].p, n);
		done += n;
	}
	return done;
}

size_t vhu_chain_write(const struct vhu_chain *c, const void *buf, size_t len)
{
	size_t done = 0;

	for (unsigned int i = 0; i < c->nw && done < len; i++) {
		size_t n = c->wr[i].len < len - done ? c->wr[i].len : len - done;

		memcpy(c->wr[i].p, (const uint8_t *)buf + done, n);
		done += n;
	}
	return done;
}
