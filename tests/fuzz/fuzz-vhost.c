// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the vhost-user message parser (vhost/proto.c) against
 * a hostile front end. The input is a stream of messages, each a header
 * (request, flags, size) and its payload, some with a memfd attached as if
 * it came with SCM_RIGHTS (a small one, so sizes and offsets beyond its end
 * are tried). After every message:
 *   - a reply is well-formed (a reply flag, a payload that fits);
 *   - every ring the parser translated lies inside the memory it mapped;
 *   - no fd is leaked: at the end, after a reset, the fds open are the
 *     fds open at the start.
 * Memory errors are ASan's.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../vhost/proto.h"
#include "check.h"

#define FV_CHECK(cond, ...) FUZZ_CHECK("fuzz-vhost", cond, __VA_ARGS__)
#define FV_MEMFD_SIZE 65536

static int fv_memfd = -1;

static int fv_config(void *dev, uint32_t offset, uint8_t *buf, uint32_t size)
{
	(void)dev;
	if (offset > 8 || size > 8 - offset)
		return -1;
	memset(buf, 0x5a, size);
	return 0;
}

static const struct vhu_device_ops fv_ops = {
	.features = (1ull << 32) | 1,
	.get_config = fv_config,
};

static int fv_count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 64; fd++)
		/* fds are handed out lowest first: a leak shows among the first */
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static void fv_check_rings(const struct vhu_dev *v)
{
	for (int q = 0; q < VHU_NUM_QUEUES; q++) {
		const struct vhu_vq *vq = &v->vq[q];

		if (!vq->desc)
			continue;
		FV_CHECK(vq->num && vq->num <= VHU_MAX_QUEUE, "a mapped ring of %u entries", vq->num);
		FV_CHECK(vhu_mem_uva(&v->mem, vq->desc_uva, (uint64_t)vq->num * 16) == vq->desc,
			 "queue %d's descriptors outside the memory table", q);
		FV_CHECK(vhu_mem_uva(&v->mem, vq->used_uva, 6 + 8ull * vq->num) == vq->used,
			 "queue %d's used ring outside the memory table", q);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhu_dev v;
	struct vhu_msg m, reply;
	int fds_before;

	if (fv_memfd < 0) {
		fv_memfd = memfd_create("fuzz-vhost", MFD_CLOEXEC);
		if (fv_memfd < 0 || ftruncate(fv_memfd, FV_MEMFD_SIZE))
			return 0;
	}
	fds_before = fv_count_fds();
	vgc_vhost_proto_init(&v, &fv_ops, NULL);
	while (size >= 4) {
		int fds[2];
		/* a dense header: request, flags, size (9 bits), fds attached (0-2) */
		unsigned int nfds = (data[3] >> 1) % 3, len;

		memset(&m, 0, VHU_HDR_SIZE);
		m.request = data[0] % 32;
		m.flags = data[1] & 0xf;
		m.size = (uint32_t)data[2] | ((uint32_t)(data[3] & 1) << 8);
		data += 4;
		size -= 4;
		if (vgc_vhost_proto_check(&m))
			continue;
		len = m.size < size ? m.size : (unsigned int)size;
		memset(m.payload, 0, sizeof(m.payload));
		memcpy(m.payload, data, len);
		data += len;
		size -= len;
		for (unsigned int i = 0; i < nfds; i++)
			fds[i] = dup(fv_memfd);
		if (vgc_vhost_proto_handle(&v, &m, fds, nfds, &reply) > 0) {
			FV_CHECK(reply.flags & VHU_FLAG_REPLY, "a reply without the reply flag");
			FV_CHECK(reply.size <= VHU_MAX_PAYLOAD, "a reply of %u bytes", reply.size);
			FV_CHECK(reply.request == m.request, "a reply to another request");
		}
		fv_check_rings(&v);
	}
	vgc_vhost_proto_reset(&v);
	FV_CHECK(fv_count_fds() == fds_before, "fds leaked: %d open, %d before", fv_count_fds(),
		 fds_before);
	return 0;
}
