// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vhost-user messages, written from the specification. The front end is
 * not trusted: a payload shorter than its request needs, a queue index out
 * of range or a memory table that does not map is refused with an error
 * reply (or the connection ends), never acted on.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto.h"

#define VHU_PROTOCOL_FEATURES                                                  \
	((1ull << VHU_PROTOCOL_F_MQ) | (1ull << VHU_PROTOCOL_F_REPLY_ACK) |    \
	 (1ull << VHU_PROTOCOL_F_CONFIG))

/* Payload layouts (the spec's "Message types" section), little-endian hosts only. */
struct vhu_state {
	uint32_t index, num;
};

struct vhu_addr {
	uint32_t index, flags;
	uint64_t desc, used, avail, log;
};

struct vhu_region_msg {
	uint64_t gpa, size, uva, mmap_offset;
};

struct vhu_mem_msg {
	uint32_t num, padding;
	struct vhu_region_msg r[VHU_MAX_REGIONS];
};

struct vhu_config_msg {
	uint32_t offset, size, flags;
	uint8_t data[];
};

_Static_assert(sizeof(struct vhu_addr) == 40, "vring address payload");
_Static_assert(sizeof(struct vhu_region_msg) == 32, "memory region payload");

static void close_fds(int *fds, unsigned int nfds)
{
	for (unsigned int i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

void vgc_vhost_proto_init(struct vhu_dev *v, const struct vhu_device_ops *ops, void *dev)
{
	memset(v, 0, sizeof(*v));
	v->ops = ops;
	v->dev = dev;
	for (int i = 0; i < VHU_NUM_QUEUES; i++)
		vhu_vq_init(&v->vq[i]);
}

static void vq_close(struct vhu_vq *vq)
{
	int fds[3] = { vq->kick_fd, vq->call_fd, vq->err_fd };

	close_fds(fds, 3);
	vhu_vq_init(vq);
}

void vgc_vhost_proto_reset(struct vhu_dev *v)
{
	if (v->ops && v->ops->reset)
		v->ops->reset(v->dev);
	for (int i = 0; i < VHU_NUM_QUEUES; i++)
		vq_close(&v->vq[i]);
	vhu_mem_unmap(&v->mem);
	v->features = v->protocol_features = 0;
	v->owned = false;
}

int vgc_vhost_proto_check(const struct vhu_msg *m)
{
	if ((m->flags & VHU_FLAG_VERSION_MASK) != VHU_VERSION)
		return -EPROTO;
	if (m->size > VHU_MAX_PAYLOAD)
		return -EPROTO;
	return 0;
}

static void reply_u64(struct vhu_msg *r, uint64_t v)
{
	r->size = sizeof(v);
	memcpy(r->payload, &v, sizeof(v));
}

static void rings_changed(struct vhu_dev *v)
{
	if (v->ops && v->ops->rings_changed)
		v->ops->rings_changed(v->dev);
}

/* Maps every region of a new table; on failure the old table stays. */
static int set_mem_table(struct vhu_dev *v, const struct vhu_msg *m, int *fds, unsigned int nfds)
{
	struct vhu_mem_msg mm;
	struct vhu_mem mem = { 0 };
	unsigned int i;

	memset(&mm, 0, sizeof(mm));
	memcpy(&mm, m->payload, m->size < sizeof(mm) ? m->size : sizeof(mm));
	if (m->size < 8 || !mm.num || mm.num > VHU_MAX_REGIONS || mm.num != nfds ||
	    m->size < 8 + mm.num * sizeof(struct vhu_region_msg))
		goto err;
	for (i = 0; i < mm.num; i++) {
		const struct vhu_region_msg *rm = &mm.r[i];
		struct vhu_region *r = &mem.r[i];
		uint64_t len = rm->mmap_offset + rm->size;
		struct stat st;
		void *p;

		/* no wrap, nothing empty, nothing a size_t cannot hold */
		if (!rm->size || len < rm->size || len > SIZE_MAX || rm->gpa + rm->size < rm->gpa ||
		    rm->uva + rm->size < rm->uva)
			goto err;
		/* a mapping past the file's end would fault (SIGBUS) when touched */
		if (fstat(fds[i], &st) || (uint64_t)st.st_size < len)
			goto err;
		p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[i], 0);
		if (p == MAP_FAILED)
			goto err;
		r->map = p;
		r->map_len = (size_t)len;
		r->host = (uint8_t *)p + rm->mmap_offset;
		r->gpa = rm->gpa;
		r->size = rm->size;
		r->uva = rm->uva;
		mem.num = i + 1;
	}
	close_fds(fds, nfds);
	vhu_mem_unmap(&v->mem);
	v->mem = mem;
	for (i = 0; i < VHU_NUM_QUEUES; i++)
		if (v->vq[i].num && v->vq[i].desc_uva)
			vhu_vq_map(&v->vq[i], &v->mem);
	rings_changed(v);
	return 0;
err:
	vhu_mem_unmap(&mem);
	close_fds(fds, nfds);
	return -EINVAL;
}

/* SET_VRING_KICK/CALL/ERR: a u64 with the index and maybe the no-fd flag. */
static int set_vring_fd(struct vhu_dev *v, const struct vhu_msg *m, int *fds, unsigned int nfds)
{
	uint64_t u;
	unsigned int idx;
	int fd = -1, *slot;

	if (m->size < sizeof(u))
		goto err;
	memcpy(&u, m->payload, sizeof(u));
	idx = u & 0xff;
	if (idx >= VHU_NUM_QUEUES || (u & ~(uint64_t)(0xff | VHU_VRING_NOFD)))
		goto err;
	if (!(u & VHU_VRING_NOFD)) {
		if (nfds != 1)
			goto err;
		fd = fds[0];
	} else if (nfds) {
		goto err;
	}
	slot = m->request == VHU_SET_VRING_KICK ? &v->vq[idx].kick_fd :
	       m->request == VHU_SET_VRING_CALL ? &v->vq[idx].call_fd : &v->vq[idx].err_fd;
	if (*slot >= 0)
		close(*slot);
	*slot = fd;
	/* the spec: a kick fd starts the ring (without PROTOCOL_FEATURES it also enables it) */
	if (m->request == VHU_SET_VRING_KICK) {
		v->vq[idx].started = true;
		if (!(v->features & (1ull << VHU_F_PROTOCOL_FEATURES)))
			v->vq[idx].enabled = true;
	}
	rings_changed(v);
	return 0;
err:
	close_fds(fds, nfds);
	return -EINVAL;
}

static int vring_state(const struct vhu_msg *m, struct vhu_state *s)
{
	if (m->size < sizeof(*s))
		return -EINVAL;
	memcpy(s, m->payload, sizeof(*s));
	return s->index < VHU_NUM_QUEUES ? 0 : -EINVAL;
}

static int set_vring_addr(struct vhu_dev *v, const struct vhu_msg *m)
{
	struct vhu_addr a;
	struct vhu_vq *vq;

	if (m->size < sizeof(a))
		return -EINVAL;
	memcpy(&a, m->payload, sizeof(a));
	if (a.index >= VHU_NUM_QUEUES)
		return -EINVAL;
	vq = &v->vq[a.index];
	vq->desc_uva = a.desc;
	vq->avail_uva = a.avail;
	vq->used_uva = a.used;
	if (vhu_vq_map(vq, &v->mem))
		return -EINVAL;
	/* carry on from where the guest's used ring is, as the spec asks */
	vq->used_idx = le16toh(__atomic_load_n((uint16_t *)(vq->used + 2), __ATOMIC_RELAXED));
	return 0;
}

static int get_config(struct vhu_dev *v, const struct vhu_msg *m, struct vhu_msg *r)
{
	struct vhu_config_msg c;

	if (m->size < sizeof(c))
		return -EINVAL;
	memcpy(&c, m->payload, sizeof(c));
	if (c.size > VHU_MAX_PAYLOAD - sizeof(c) || m->size < sizeof(c) + c.size)
		return -EINVAL;
	memcpy(r->payload, &c, sizeof(c));
	r->size = sizeof(c) + c.size;
	memset(r->payload + sizeof(c), 0, c.size);
	if (!v->ops->get_config || v->ops->get_config(v->dev, c.offset, r->payload + sizeof(c), c.size))
		/* the spec: a failed read answers with an empty payload */
		r->size = 0;
	return 0;
}

/* The requests with a payload of their own to answer; -EINVAL: answer with an error. */
static int handle_query(struct vhu_dev *v, const struct vhu_msg *m, struct vhu_msg *r)
{
	struct vhu_state s;

	switch (m->request) {
	case VHU_GET_FEATURES:
		reply_u64(r, v->ops->features | (1ull << VHU_F_PROTOCOL_FEATURES));
		return 1;
	case VHU_GET_PROTOCOL_FEATURES:
		reply_u64(r, VHU_PROTOCOL_FEATURES);
		return 1;
	case VHU_GET_QUEUE_NUM:
		reply_u64(r, VHU_NUM_QUEUES);
		return 1;
	case VHU_GET_VRING_BASE:
		if (vring_state(m, &s))
			return -EPROTO;
		/* the ring stops here; its state goes back to the front end */
		v->vq[s.index].started = false;
		s.num = v->vq[s.index].last_avail;
		if (v->vq[s.index].kick_fd >= 0)
			close(v->vq[s.index].kick_fd);
		v->vq[s.index].kick_fd = -1;
		rings_changed(v);
		r->size = sizeof(s);
		memcpy(r->payload, &s, sizeof(s));
		return 1;
	case VHU_GET_CONFIG:
		if (get_config(v, m, r))
			return -EPROTO;
		return 1;
	}
	return 0;
}

/* The requests answered only by an ack, when one is asked for. */
static int handle_set(struct vhu_dev *v, const struct vhu_msg *m, int *fds, unsigned int nfds)
{
	struct vhu_state s;
	uint64_t u;

	switch (m->request) {
	case VHU_SET_OWNER:
		v->owned = true;
		return 0;
	case VHU_RESET_OWNER:
		vgc_vhost_proto_reset(v);
		return 0;
	case VHU_SET_FEATURES:
		if (m->size < sizeof(u))
			return -EINVAL;
		memcpy(&u, m->payload, sizeof(u));
		/* nothing we did not offer */
		if (u & ~(v->ops->features | (1ull << VHU_F_PROTOCOL_FEATURES)))
			return -EINVAL;
		v->features = u;
		return 0;
	case VHU_SET_PROTOCOL_FEATURES:
		if (m->size < sizeof(u))
			return -EINVAL;
		memcpy(&u, m->payload, sizeof(u));
		v->protocol_features = u & VHU_PROTOCOL_FEATURES;
		return 0;
	case VHU_SET_MEM_TABLE:
		return set_mem_table(v, m, fds, nfds);
	case VHU_SET_VRING_NUM:
		if (vring_state(m, &s) || !s.num || s.num > VHU_MAX_QUEUE || (s.num & (s.num - 1)))
			return -EINVAL;
		v->vq[s.index].num = s.num;
		v->vq[s.index].desc = NULL;
		return 0;
	case VHU_SET_VRING_BASE:
		if (vring_state(m, &s) || s.num > 0xffff)
			return -EINVAL;
		v->vq[s.index].last_avail = (uint16_t)s.num;
		return 0;
	case VHU_SET_VRING_ADDR:
		return set_vring_addr(v, m);
	case VHU_SET_VRING_KICK:
	case VHU_SET_VRING_CALL:
	case VHU_SET_VRING_ERR:
		return set_vring_fd(v, m, fds, nfds);
	case VHU_SET_VRING_ENABLE:
		if (vring_state(m, &s) || s.num > 1)
			return -EINVAL;
		v->vq[s.index].enabled = s.num;
		rings_changed(v);
		return 0;
	case VHU_SET_CONFIG:
		/* virtio-gpio's config space is read-only */
		return -EINVAL;
	}
	return -ENOSYS;
}

int vgc_vhost_proto_handle(struct vhu_dev *v, const struct vhu_msg *m, int *fds,
			   unsigned int nfds, struct vhu_msg *reply)
{
	bool takes_fds = m->request == VHU_SET_MEM_TABLE || m->request == VHU_SET_VRING_KICK ||
			 m->request == VHU_SET_VRING_CALL || m->request == VHU_SET_VRING_ERR;
	int ret;

	memset(reply, 0, VHU_HDR_SIZE);
	reply->request = m->request;
	reply->flags = VHU_VERSION | VHU_FLAG_REPLY;
	if (!takes_fds) {
		close_fds(fds, nfds);
		nfds = 0;
	}
	ret = handle_query(v, m, reply);
	if (ret)
		return ret;
	ret = handle_set(v, m, fds, nfds);
	/* an ack only if negotiated and asked for; otherwise an error goes unsaid */
	if ((v->protocol_features & (1ull << VHU_PROTOCOL_F_REPLY_ACK)) &&
	    (m->flags & VHU_FLAG_NEED_REPLY)) {
		reply_u64(reply, ret ? 1 : 0);
		return 1;
	}
	return 0;
}
