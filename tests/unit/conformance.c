// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by the conformance test files (conformance.h). */
#include <string.h>
#include <unistd.h>

#include "conformance.h"

void cf_run_row(const struct cf_row *r)
{
	int ret;

	if (r->setup)
		r->setup();
	ret = r->act(r);
	ck_assert_msg(ret == r->expect, "%s: returned %d (%s), the kernel gives %d (%s)", r->name,
		      ret, ret < 0 ? strerror(-ret) : "ok", r->expect,
		      r->expect < 0 ? strerror(-r->expect) : "ok");
}

void cf_setup_hold_2(void)
{
	uint32_t off = 2;

	ck_assert_int_ge(fx_request(fx_open_as(getpid() + 1), &off, 1, IN, "other"), 0);
}

int cf_req_in_out(void)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 0, 1 },
		.num_lines = 2,
		.config = { .flags = IN, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS, .flags = OUT },
					 .mask = 2 } } },
	};
	int fd = fx_request_lr(fx_open(), &lr);

	ck_assert_int_ge(fd, 0);
	return fd;
}

int cf_watch(int chipfd, uint32_t off, int abi)
{
	struct gpio_v2_line_info li = { .offset = off };
	struct gpioline_info li1 = { .line_offset = off };

	if (abi == 1)
		return fx_ioctl(chipfd, GPIO_GET_LINEINFO_WATCH_IOCTL, &li1);
	return fx_ioctl(chipfd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
}

int cf_unwatch(int chipfd, uint32_t off)
{
	return fx_ioctl(chipfd, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off);
}

void cf_info_of(const struct cf_row *r, int chipfd, uint32_t off, struct gpio_v2_line_info *li)
{
	int ret = fx_info(chipfd, off, li);

	ROW_ASSERT(r, ret == 0, "line info of %u: %d", off, ret);
	ROW_ASSERT(r, li->offset == off, "line info of %u says offset %u", off, li->offset);
}
