// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-uapi seeds that go beyond one client's requests: watches, a claim
 * that fails part way, two tenants, requests pending at the end, and the
 * other setups. The encoding is in mkseeds.c.
 */
#include <string.h>

#include "mkseeds.h"

/* A watcher sees another client request, reconfigure and release a line. */
void seed_watch(int abi)
{
	struct gpio_v2_line_info li = { .offset = 0 };
	struct gpioline_info l1 = { .line_offset = 0 };
	struct gpio_v2_line_request lr = v2_one(0, IN);
	struct gpio_v2_line_config lc = { .flags = OUT };
	uint32_t unwatch = 0;
	unsigned int watch = abi == 2 ? GPIO_V2_GET_LINEINFO_WATCH_IOCTL
				      : GPIO_GET_LINEINFO_WATCH_IOCTL;
	unsigned int other = abi == 2 ? GPIO_GET_LINEINFO_WATCH_IOCTL
				      : GPIO_V2_GET_LINEINFO_WATCH_IOCTL;
	const void *warg = abi == 2 ? (const void *)&li : (const void *)&l1;
	const void *oarg = abi == 2 ? (const void *)&l1 : (const void *)&li;
	size_t rec = abi == 2 ? sizeof(struct gpio_v2_line_info_changed)
			      : sizeof(struct gpioline_info_changed);
	struct seed s;

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_open(&s, 1);
	op_ioctl(&s, 0, watch, FZ_DISPO_FREE, warg);
	op_ioctl(&s, 0, watch, FZ_DISPO_FREE, warg);	/* twice: EBUSY */
	op_ioctl(&s, 0, other, FZ_DISPO_FREE, oarg);	/* the other ABI: EPERM */
	op_ioctl(&s, 1, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 2 */
	op_read(&s, 0, (unsigned int)rec - 1);
	op_read(&s, 0, (unsigned int)rec);
	op_ioctl(&s, 2, GPIO_V2_LINE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &lc);
	op_slot(&s, FZ_OP_RELEASE, 2);
	op_slot(&s, FZ_OP_POLL, 0);
	op_read(&s, 0, (unsigned int)rec * 4);
	op_ioctl(&s, 0, GPIO_GET_LINEINFO_UNWATCH_IOCTL, FZ_DISPO_FREE, &unwatch);
	op_ioctl(&s, 0, GPIO_GET_LINEINFO_UNWATCH_IOCTL, FZ_DISPO_FREE, &unwatch);
	seed_write(&s, abi == 2 ? "watch-v2" : "watch-v1");
}

/* A refused request of lines 0, 1, 2 (2 busy) claims 0 and 1 for a moment. */
void seed_partial_claim(void)
{
	static const uint32_t offs[] = { 0, 1, 2 };
	struct gpio_v2_line_info li0 = { .offset = 0 }, li1 = { .offset = 1 };
	struct gpio_v2_line_request hold = v2_one(2, IN), lr = v2_req(3, offs, IN);
	struct seed s;

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);	/* watcher */
	op_open(&s, 1);
	op_ioctl(&s, 0, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, FZ_DISPO_FREE, &li0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, FZ_DISPO_FREE, &li1);
	op_ioctl(&s, 1, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &hold);	/* slot 2 */
	op_ioctl(&s, 1, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	op_read(&s, 0, 288 * 8);
	seed_write(&s, "partial-claim");
}

/* Tenant B's line 0 is host line 12, tenant A's line 2. */
void seed_tenants(void)
{
	struct gpio_v2_line_request lr = v2_one(0, IN | BOTH);
	struct gpio_v2_line_info li = { .offset = 2 };
	struct gpioline_info l1 = { .line_offset = 2 };
	struct seed s;

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 3);	/* slot 0, tenant B */
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 */
	op_open(&s, 0);	/* slot 2, tenant A */
	op_ioctl(&s, 2, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, FZ_DISPO_FREE, &li);
	op_ioctl(&s, 2, GPIO_GET_LINEINFO_IOCTL, FZ_DISPO_FREE, &l1);
	lr = v2_one(2, IN);
	op_ioctl(&s, 2, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* EBUSY */
	op_pull(&s, 12, 1);
	op_read(&s, 1, 48);
	op_slot(&s, FZ_OP_RELEASE, 1);
	op_ioctl(&s, 2, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 now */
	op_read(&s, 2, 288);
	seed_write(&s, "tenants");

	/* tenant A asks for its line 2 (held by B on the host) and the hole 6 */
	static const uint32_t held_hole[] = { 2, 6 };
	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 3);
	lr = v2_one(0, IN);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 */
	op_open(&s, 0);	/* slot 2 */
	op_ioctl(&s, 2, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, FZ_DISPO_FREE, &li);
	lr = v2_req(2, held_hole, IN);
	op_ioctl(&s, 2, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	op_read(&s, 2, 288 * 4);
	seed_write(&s, "tenants-partial");
}

/* Requests waiting for their file, opened, dropped, and a chip fd closed first. */
void seed_pending(void)
{
	struct gpio_v2_line_request a = v2_one(0, IN), b = v2_one(1, OUT);
	struct seed s;

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_PENDING, &a);	/* request 0 */
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_PENDING, &b);	/* request 1 */
	op_toggle(&s, HOST_OF_0, 3);
	put8(&s, FZ_OP_OPEN_REQ);
	put8(&s, 0);
	put8(&s, 1);	/* slot 1 */
	put8(&s, FZ_OP_REQ_FREE);
	put8(&s, 1);
	op_slot(&s, FZ_OP_RELEASE, 0);
	op_slot(&s, FZ_OP_POLL, 1);
	op_read(&s, 1, 48);
	seed_write(&s, "pending");
}

void seed_setups(void)
{
	struct gpio_v2_line_info li = { .offset = 69 };
	struct gpio_v2_line_request lr = v2_one(65, IN);
	struct gpio_v2_line_values lv = { .mask = ~0ULL, .bits = 0x5555555555555555ULL };
	static const uint32_t sparse[] = { 63, 64, 1023 };
	uint32_t all[64];
	struct seed s;

	seed_start(&s, FZ_SETUP_WIDE);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, FZ_DISPO_FREE, &li);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* a hole past the map */
	seed_write(&s, "wide");

	for (uint32_t i = 0; i < 64; i++)
		all[i] = i;
	lr = v2_req(64, all, OUT);
	seed_start(&s, FZ_SETUP_64);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 */
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_VALUES_IOCTL, FZ_DISPO_FREE, &lv);
	op_ioctl(&s, 1, GPIO_V2_LINE_GET_VALUES_IOCTL, FZ_DISPO_FREE, &lv);
	op_slot(&s, FZ_OP_RELEASE, 1);
	lr.config.flags = IN | BOTH;
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	op_toggle(&s, 63, 30);
	op_read(&s, 1, 48 * 64);
	seed_write(&s, "lines-64");

	lr = v2_req(3, sparse, IN | BOTH);
	seed_start(&s, FZ_SETUP_SPARSE);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	li.offset = 1023;
	op_ioctl(&s, 0, GPIO_V2_GET_LINEINFO_IOCTL, FZ_DISPO_FREE, &li);
	op_open(&s, 3);
	lr = v2_one(0, IN);	/* tenant B: host line 5, tenant A's 63 */
	op_ioctl(&s, 2, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	seed_write(&s, "sparse");
}
