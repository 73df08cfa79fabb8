// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conformance rows for GPIO_V2_GET_LINE_IOCTL: its validation in the
 * kernel's order, and what a valid request sets up (which attribute wins,
 * the consumer). See conformance.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"

/* ---- actions expecting one errno ---- */

static int act_v2_request(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	int ret = fx_request_lr(fx_open(), &lr);

	return ret < 0 ? ret : 0;
}

/* ---- checks: each asserts with the row's name and returns 0 ---- */

/* The core hands a new request back with fd -1 for the front end to fill. */
static int check_req_fd_placeholder(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = { .offsets = { 0 }, .num_lines = 1 };
	struct vgc_req *req;
	int ret = fx_ioctl_raw(fx_open(), GPIO_V2_GET_LINE_IOCTL, &lr, &req);

	ROW_ASSERT(r, ret == 0 && req, "request failed: %d", ret);
	ROW_ASSERT(r, lr.fd == -1, "fd field %d, want -1", lr.fd);
	ROW_ASSERT(r, lr.offsets[0] == 0 && lr.num_lines == 1, "request struct not echoed");
	vgc_uapi_req_free(req);
	return 0;
}

/* Valid requests from the table succeed, and nothing past num_lines is validated. */
static int check_request_ok(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	int ret = fx_request_lr(fx_open(), &lr);

	ROW_ASSERT(r, ret >= 0, "request failed: %d (%s)", ret, strerror(-ret));
	return 0;
}

/* Output values: the attribute with the lowest index wins (cdev:1251). */
static int check_output_lowest(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	int ret = fx_request_lr(fx_open(), &lr);

	ROW_ASSERT(r, ret >= 0, "request failed: %d", ret);
	ROW_ASSERT(r, fx_level(fx_host[0]) == (int)r->lr.config.attrs[0].attr.values,
		   "host line %d at %d, the first attribute says %llu", fx_host[0],
		   fx_level(fx_host[0]), (unsigned long long)r->lr.config.attrs[0].attr.values);
	return 0;
}

/* Debounce: the attribute with the lowest index wins (cdev:1102). */
static int check_debounce_lowest(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	uint32_t want = r->lr.config.attrs[0].attr.debounce_period_us;
	struct gpio_v2_line_info li;
	int chip = fx_open();
	int ret = fx_request_lr(chip, &lr);

	ROW_ASSERT(r, ret >= 0, "request failed: %d", ret);
	cf_info_of(r, chip, 0, &li);
	if (!want) {
		ROW_ASSERT(r, li.num_attrs == 0, "period 0 shows %u attributes", li.num_attrs);
		return 0;
	}
	ROW_ASSERT(r, li.num_attrs == 1 && li.attrs[0].id == GPIO_V2_LINE_ATTR_ID_DEBOUNCE,
		   "no debounce attribute (%u attributes)", li.num_attrs);
	ROW_ASSERT(r, li.attrs[0].debounce_period_us == want, "period %u, want %u",
		   li.attrs[0].debounce_period_us, want);
	return 0;
}

/* The consumer is cut to 31 characters; empty shows "?" (gpiolib.c:2346). */
static int check_consumer(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	struct gpio_v2_line_info li;
	struct gpioline_info li1 = { .line_offset = 0 };
	int chip = fx_open();
	int ret = fx_request_lr(chip, &lr);
	char want[GPIO_MAX_NAME_SIZE];

	ROW_ASSERT(r, ret >= 0, "request failed: %d", ret);
	snprintf(want, sizeof(want), "%.31s", lr.consumer[0] ? lr.consumer : "?");
	cf_info_of(r, chip, 0, &li);
	ROW_ASSERT(r, !strcmp(li.consumer, want), "consumer '%.32s', want '%s'", li.consumer, want);
	ROW_ASSERT(r, fx_ioctl(chip, GPIO_GET_LINEINFO_IOCTL, &li1) == 0, "v1 line info");
	ROW_ASSERT(r, !strcmp(li1.consumer, want), "v1 consumer '%.32s', want '%s'", li1.consumer,
		   want);
	return 0;
}

#define REQ(...) .act = act_v2_request, .lr = { __VA_ARGS__ }

static const struct cf_row request_rows[] = {
	/* v2 request validation in the kernel's order (cdev:1759-1767, 1324-1361, 1265-1321). */
	{ "v2 request: num_lines 0", REQ(.num_lines = 0), .expect = -EINVAL },
	{ "v2 request: num_lines 65", REQ(.num_lines = 65), .expect = -EINVAL },
	{ "v2 request: non-zero padding[0]", REQ(ONE(0), .padding = { 1 }), .expect = -EINVAL },
	{ "v2 request: non-zero padding[4]", REQ(ONE(0), .padding = { [4] = 1 }),
	  .expect = -EINVAL },
	{ "v2 request: num_attrs 11", REQ(ONE(0), .config.num_attrs = 11), .expect = -EINVAL },
	{ "v2 request: non-zero config padding",
	  REQ(ONE(0), .config = { .flags = IN, .padding = { [4] = 1 } }), .expect = -EINVAL },
	{ "v2 request: non-zero attribute padding",
	  REQ(ONE(0), .config = { .num_attrs = 1,
				  .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS,
							 .padding = 1, .flags = IN },
					       .mask = 1 } } }),
	  .expect = -EINVAL },
	{ "v2 request: non-zero attribute past num_attrs",
	  REQ(ONE(0), .config = { .num_attrs = 1,
				  .attrs = { ATTR_FLAGS(IN, 1), [9] = ATTR_FLAGS(IN, 1) } }),
	  .expect = -EINVAL },
	{ "v2 request: non-zero mask past num_attrs 0",
	  REQ(ONE(0), .config = { .attrs = { { .mask = 1 } } }), .expect = -EINVAL },
	{ "v2 request: unknown flag", REQ(ONE(0), .config.flags = IN | (1ULL << 13)),
	  .expect = -EINVAL },
	{ "v2 request: USED is not a request flag",
	  REQ(ONE(0), .config.flags = IN | GPIO_V2_LINE_FLAG_USED), .expect = -EINVAL },
	{ "v2 request: unknown flag before HTE", REQ(ONE(0), .config.flags = IN | HTE | (1ULL << 63)),
	  .expect = -EINVAL },
	{ "v2 request: HTE without a timestamp engine", REQ(ONE(0), .config.flags = IN | HTE),
	  .expect = -EOPNOTSUPP },
	{ "v2 request: REALTIME|HTE without CONFIG_HTE", REQ(ONE(0), .config.flags = IN | RT | HTE),
	  .expect = -EOPNOTSUPP },
	{ "v2 request: HTE before INPUT|OUTPUT", REQ(ONE(0), .config.flags = IN | OUT | HTE),
	  .expect = -EOPNOTSUPP },
	{ "v2 request: INPUT|OUTPUT", REQ(ONE(0), .config.flags = IN | OUT), .expect = -EINVAL },
	{ "v2 request: edge without INPUT", REQ(ONE(0), .config.flags = RISE), .expect = -EINVAL },
	{ "v2 request: edge on an OUTPUT", REQ(ONE(0), .config.flags = OUT | FALL),
	  .expect = -EINVAL },
	{ "v2 request: OPEN_DRAIN|OPEN_SOURCE", REQ(ONE(0), .config.flags = OUT | OD | OS),
	  .expect = -EINVAL },
	{ "v2 request: drive on an INPUT", REQ(ONE(0), .config.flags = IN | OD), .expect = -EINVAL },
	{ "v2 request: drive without direction", REQ(ONE(0), .config.flags = OS),
	  .expect = -EINVAL },
	{ "v2 request: bias without direction", REQ(ONE(0), .config.flags = PU), .expect = -EINVAL },
	{ "v2 request: PULL_UP|PULL_DOWN", REQ(ONE(0), .config.flags = IN | PU | PD),
	  .expect = -EINVAL },
	{ "v2 request: BIAS_DISABLED|PULL_DOWN", REQ(ONE(0), .config.flags = OUT | BD | PD),
	  .expect = -EINVAL },
	{ "v2 request: debounce on an OUTPUT",
	  REQ(ONE(0), .config = { .flags = OUT, .num_attrs = 1, .attrs = { ATTR_DEBOUNCE(10, 1) } }),
	  .expect = -EINVAL },
	{ "v2 request: debounce period 0 without INPUT",
	  REQ(ONE(0), .config = { .num_attrs = 1, .attrs = { ATTR_DEBOUNCE(0, 1) } }),
	  .expect = -EINVAL },
	{ "v2 request: flags attribute bad for line 1 only",
	  REQ(.num_lines = 2, .offsets = { 0, 1 },
	      .config = { .flags = IN, .num_attrs = 1, .attrs = { ATTR_FLAGS(IN | OUT, 2) } }),
	  .expect = -EINVAL },
	{ "v2 request: flags, the attribute with the lowest index wins (bad first)",
	  REQ(ONE(0), .config = { .num_attrs = 2,
				  .attrs = { ATTR_FLAGS(IN | OUT, 1), ATTR_FLAGS(IN, 1) } }),
	  .expect = -EINVAL },
	{ "v2 request: offset 8 is past the virtual lines", REQ(ONE(8)), .expect = -EINVAL },
	{ "v2 request: a host offset is out of range", REQ(ONE(20)), .expect = -EINVAL },
	{ "v2 request: line already requested", .setup = cf_setup_hold_2, REQ(ONE(2)),
	  .expect = -EBUSY },
	{ "v2 request: same offset twice", REQ(.num_lines = 2, .offsets = { 1, 1 }),
	  .expect = -EBUSY },
	{ "v2 request: a hole is busy", REQ(ONE(FX_HOLE)), .expect = -EBUSY },
	{ "v2 request: a bad flag before a busy line", .setup = cf_setup_hold_2,
	  REQ(ONE(2), .config.flags = IN | OUT), .expect = -EINVAL },
	{ "v2 request: HTE before a bad offset", REQ(ONE(9), .config.flags = IN | HTE),
	  .expect = -EOPNOTSUPP },
	{ "v2 request: busy line at index 0 before bad offset at 1", .setup = cf_setup_hold_2,
	  REQ(.num_lines = 2, .offsets = { 2, 9 }), .expect = -EBUSY },
	{ "v2 request: bad offset at index 0 before busy line at 1", .setup = cf_setup_hold_2,
	  REQ(.num_lines = 2, .offsets = { 9, 2 }), .expect = -EINVAL },
	{ "v2 request: hole at index 0 before bad offset at 1",
	  REQ(.num_lines = 2, .offsets = { FX_HOLE, 9 }), .expect = -EBUSY },
	/* kfifo_alloc() rounds 1 to 1 and refuses sizes below 2 (lib/kfifo.c:38, cdev:1157) */
	{ "v2 request: event_buffer_size 1 with edges", REQ(ONE(0), .event_buffer_size = 1,
							   .config.flags = IN | RISE),
	  .expect = -EINVAL },

	/* Happy paths. */
	CHECK("v2 request: the core returns fd -1 for the front end", check_req_fd_placeholder),
	{ "v2 request: as is, no flags", REQ(ONE(0)), .expect = 0 },
	{ "v2 request: input, both edges, pull-up, active-low, realtime",
	  REQ(ONE(0), .config.flags = IN | BOTH | PU | AL | RT), .expect = 0 },
	{ "v2 request: open-drain output, bias disabled", REQ(ONE(0), .config.flags = OUT | OD | BD),
	  .expect = 0 },
	{ "v2 request: flags, the attribute with the lowest index wins (good first)",
	  .act = check_request_ok,
	  .lr = { ONE(0), .config = { .num_attrs = 2,
				      .attrs = { ATTR_FLAGS(IN, 1), ATTR_FLAGS(IN | OUT, 1) } } } },
	{ "v2 request: attributes for lines past num_lines are not validated",
	  .act = check_request_ok,
	  .lr = { ONE(0), .config = { .flags = IN, .num_attrs = 1,
				      .attrs = { ATTR_FLAGS(IN | OUT, 2) } } } },
	{ "output values: the attribute with the lowest index wins (1)", .act = check_output_lowest,
	  .lr = { ONE(0), .config = { .flags = OUT, .num_attrs = 2,
				      .attrs = { ATTR_VALUES(1, 1), ATTR_VALUES(0, 1) } } } },
	{ "output values: the attribute with the lowest index wins (0)", .act = check_output_lowest,
	  .lr = { ONE(0), .config = { .flags = OUT, .num_attrs = 2,
				      .attrs = { ATTR_VALUES(0, 1), ATTR_VALUES(1, 1) } } } },
	{ "debounce: the attribute with the lowest index wins (5000)", .act = check_debounce_lowest,
	  .lr = { ONE(0), .config = { .flags = IN, .num_attrs = 2,
				      .attrs = { ATTR_DEBOUNCE(5000, 1), ATTR_DEBOUNCE(0, 1) } } } },
	{ "debounce: the attribute with the lowest index wins (0)", .act = check_debounce_lowest,
	  .lr = { ONE(0), .config = { .flags = IN, .num_attrs = 2,
				      .attrs = { ATTR_DEBOUNCE(0, 1), ATTR_DEBOUNCE(5000, 1) } } } },
	{ "consumer: cut to 31 characters", .act = check_consumer,
	  .lr = { ONE(0), .consumer = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k',
					'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
					'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5' } } },
	{ "consumer: empty shows '?'", .act = check_consumer, .lr = { ONE(0) } },
	{ "consumer: as given", .act = check_consumer, .lr = { ONE(0), .consumer = "gpioset" } },
};

START_TEST(test_request_row)
{
	cf_run_row(&request_rows[_i]);
}
END_TEST

TCase *vgc_test_conformance_request_tcase(void)
{
	TCase *tc = tcase_create("requests");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_request_row, 0, CF_NUM_ROWS(request_rows));
	return tc;
}
