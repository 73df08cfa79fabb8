// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the virtqueue walker (vhost/vring.c) and the
 * virtio-gpio device over it (vhost/gpio.c), with guest memory the input
 * writes. The input sets the queue size and ring addresses, fills guest
 * memory, then runs operations: write a byte of guest memory (the guest
 * changing its rings under us), serve the request queue, take event-queue
 * buffers, pull a host line, reset the device. The chip behind it is a
 * real one over simulated lines with a read-only line and a hole.
 * After every operation:
 *   - every buffer of a popped chain lies inside guest memory;
 *   - a response never says it wrote more than the writable buffers hold;
 *   - the read-only line is never an output on the host.
 * Memory errors are ASan's.
 */
#include <errno.h>
#include <string.h>

#include "../../backend/backend.h"
#include "../../policy/map.h"
#include "../../vhost/gpio.h"
#include "../../vhost/vring.h"
#include "check.h"

#define FR_CHECK(cond, ...) FUZZ_CHECK("fuzz-vhost-ring", cond, __VA_ARGS__)
#define FR_MEM 16384
#define FR_GPA 0x100000ull
#define FR_UVA 0x7f0000000000ull
#define FR_RO_HOST 5

static uint8_t fr_buf[FR_MEM] __attribute__((aligned(16)));

static void fr_check_chain(const struct vhu_chain *c)
{
	const struct vhu_seg *all[2] = { c->rd, c->wr };
	unsigned int n[2] = { c->nr, c->nw };

	FR_CHECK(c->nr <= VHU_MAX_SEGS && c->nw <= VHU_MAX_SEGS, "%u+%u segments", c->nr, c->nw);
	for (int k = 0; k < 2; k++)
		for (unsigned int i = 0; i < n[k]; i++)
			FR_CHECK(all[k][i].p >= fr_buf && all[k][i].len <= FR_MEM &&
					 all[k][i].p - fr_buf <= FR_MEM - all[k][i].len,
				 "a buffer outside guest memory");
}

static void fr_serve(struct vgpio *g, struct vhu_vq *vq, const struct vhu_mem *mem, int q)
{
	struct vhu_chain c;

	for (unsigned int n = 0; n < vq->num; n++) {
		int ret = vhu_vq_pop(vq, mem, &c);

		if (!ret)
			break;
		if (ret == -EIO)
			continue;
		fr_check_chain(&c);
		if (ret < 0) {
			vhu_vq_push(vq, c.head, 0);
		} else if (q == 0) {
			uint32_t len = vgc_vgpio_request(g, &c);

			FR_CHECK(len <= c.wr_len, "wrote %u bytes into %u", len, c.wr_len);
			vhu_vq_push(vq, c.head, len);
		} else {
			vgc_vgpio_event_buffer(g, &c);
		}
	}
	vhu_vq_notify(vq);
}

static void fr_check_host(struct vgc_backend *be)
{
	struct gpio_v2_line_info info;

	memset(&info, 0, sizeof(info));
	if (!be->ops->line_info(be, FR_RO_HOST, &info))
		FR_CHECK(!(info.flags & GPIO_V2_LINE_FLAG_OUTPUT), "the read-only line is an output");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vhu_mem mem = { .num = 1 };
	struct vhu_vq vq[2];
	struct vgc_rules rules[4];
	struct vgc_chip_config cfg = {
		.tenant = "fz", .name = "gpiochip0", .label = "fz", .num_lines = 5,
		.ready = vgc_vgpio_ready,
	};
	struct vgc_backend *be;
	struct vgc_chip *chip;
	struct vgc_map *map;
	struct vgpio *g;
	char err[128];

	if (size < 8)
		return 0;
	mem.r[0] = (struct vhu_region){ .gpa = FR_GPA, .size = FR_MEM, .uva = FR_UVA, .host = fr_buf };
	for (int q = 0; q < 2; q++) {
		vhu_vq_init(&vq[q]);
		vq[q].num = 1u << (data[q] % 9);
		/* ring addresses anywhere in (or just past) guest memory */
		vq[q].desc_uva = FR_UVA + (uint64_t)data[2 + q] * 64;
		vq[q].avail_uva = FR_UVA + (uint64_t)data[4 + q] * 64;
		vq[q].used_uva = FR_UVA + (uint64_t)data[6 + q] * 64;
		vq[q].started = vq[q].enabled = true;
		vhu_vq_map(&vq[q], &mem);
	}
	data += 8;
	size -= 8;
	memset(fr_buf, 0, sizeof(fr_buf));
	/* the first half fills guest memory where the rings start, the rest are operations */
	{
		size_t n = size / 2 < 4096 ? size / 2 : 4096;

		memcpy(fr_buf, data, n);
		data += n;
		size -= n;
	}
	map = vgc_policy_map_parse("0:3,1:5,3:8=LED,4:9", err, sizeof(err));
	be = vgc_backend_sim_open(16);
	if (!map || !be)
		goto out;
	for (int i = 0; i < 4; i++)
		rules[i] = vgc_rules_default;
	rules[1].read_only = true;
	rules[1].directions = VGC_RULE_DIR_INPUT;
	rules[2].release = VGC_RELEASE_HIGH;
	rules[2].max_toggle_hz = 5;
	cfg.map = map;
	cfg.rules = rules;
	chip = vgc_chip_new(&cfg, be);
	if (!chip)
		goto out;
	g = vgc_vgpio_new(chip, 1);
	if (!g)
		goto out_chip;
	g->irq = true;
	g->evq = &vq[1];
	g->mem = &mem;
	while (size >= 4) {
		uint8_t op = data[0] % 5, a = data[1], b = data[2], c = data[3];

		data += 4;
		size -= 4;
		switch (op) {
		case 0:
			fr_buf[((size_t)a | (size_t)b << 8) % FR_MEM] = c;
			break;
		case 1:
		case 2:
			fr_serve(g, &vq[op - 1], &mem, op - 1);
			break;
		case 3:
			vgc_sim_pull(be, a % 16, c & 1);
			vgc_vgpio_flush(g);
			break;
		case 4:
			vgc_vgpio_reset(g);
			break;
		}
		fr_check_host(be);
	}
	vgc_vgpio_free(g);
	fr_check_host(be);
out_chip:
	vgc_chip_free(chip);
out:
	if (be)
		be->ops->close(be);
	vgc_policy_map_free(map);
	return 0;
}
