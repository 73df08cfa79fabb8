// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client sessions end to end, as gpioset, gpioget, gpiomon and gpioinfo
 * issue them: ioctls on the chip fd, then on the request fd, checked on
 * the simulated host pins (host offsets) and in what the tenant reads back
 * (virtual offsets). Failure cases first.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "suites.h"

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define BOTH (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
#define USED GPIO_V2_LINE_FLAG_USED

static int watch_line(int chipfd, uint32_t off)
{
	struct gpio_v2_line_info li = { .offset = off };

	return fx_ioctl(chipfd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
}

static void assert_changes(int chipfd, const uint32_t *types, int num, uint32_t off)
{
	struct gpio_v2_line_info_changed chg[16];
	int n = fx_read_changed(chipfd, chg, 16);

	ck_assert_int_eq(n, num);
	for (int i = 0; i < n; i++) {
		ck_assert_uint_eq(chg[i].event_type, types[i]);
		ck_assert_uint_eq(chg[i].info.offset, off);
	}
}

/* A second client of the chip: the line is busy, and it sees who holds it. */
START_TEST(scn_line_busy_for_other_client)
{
	uint32_t off = 3;
	int a = fx_open_as(100), b = fx_open_as(200);
	int held = fx_request(a, &off, 1, OUT, "a-led");
	struct gpiohandle_request hr = { .lineoffsets = { 3 }, .lines = 1,
					 .flags = GPIOHANDLE_REQUEST_INPUT };
	struct gpioevent_request er = { .lineoffset = 3,
					.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES };
	struct gpioline_info li1 = { .line_offset = 3 };
	struct gpio_v2_line_info li;

	ck_assert_int_ge(held, 0);
	ck_assert_int_eq(fx_request(b, &off, 1, IN, "b"), -EBUSY);
	ck_assert_int_eq(fx_ioctl(b, GPIO_GET_LINEHANDLE_IOCTL, &hr), -EBUSY);
	ck_assert_int_eq(fx_ioctl(b, GPIO_GET_LINEEVENT_IOCTL, &er), -EBUSY);
	ck_assert_int_eq(fx_info(b, 3, &li), 0);
	ck_assert(li.flags & USED);
	ck_assert(li.flags & OUT);
	/* both clients are the same tenant: the tenant's own label */
	ck_assert_str_eq(li.consumer, "a-led");
	ck_assert_int_eq(fx_ioctl(b, GPIO_GET_LINEINFO_IOCTL, &li1), 0);
	ck_assert(li1.flags & GPIOLINE_FLAG_KERNEL);
	ck_assert(li1.flags & GPIOLINE_FLAG_IS_OUT);
	ck_assert_str_eq(li1.consumer, "a-led");

	fx_close(held);
	ck_assert_int_ge(fx_request(b, &off, 1, IN, "b"), 0);
	ck_assert_int_eq(fx_info(a, 3, &li), 0);
	ck_assert_str_eq(li.consumer, "b");
}
END_TEST

/* Setting an input is refused and leaves the pin alone; as an output it works. */
START_TEST(scn_set_input_refused)
{
	struct gpio_v2_line_config lc = {
		.flags = OUT,
		.num_attrs = 1,
		.attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, .values = 1 },
			     .mask = 1 } },
	};
	uint32_t off = 1;
	int fd = fx_request(fx_open(), &off, 1, IN, "in");

	ck_assert_int_ge(fd, 0);
	fx_pull(11, 0);
	ck_assert_int_eq(fx_set(fd, 1, 1), -EPERM);
	ck_assert_int_eq(fx_level(11), 0);
	ck_assert_int_eq(fx_get(fd, 1), 0);
	ck_assert_int_eq(fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc), 0);
	ck_assert_int_eq(fx_level(11), 1);
	ck_assert_int_eq(fx_set(fd, 1, 0), 0);
	ck_assert_int_eq(fx_level(11), 0);
}
END_TEST

/* A request that fails leaves every line free, on the chip and on the host. */
START_TEST(scn_failed_request_claims_nothing)
{
	uint32_t bad[] = { 0, 1, FX_HOLE }, good[] = { 0, 1 };
	struct gpio_v2_line_info li;
	int chip = fx_open();

	ck_assert_int_eq(fx_request(chip, bad, 3, OUT, "x"), -EBUSY);
	for (uint32_t i = 0; i < 2; i++) {
		ck_assert_int_eq(fx_info(chip, i, &li), 0);
		ck_assert(!(li.flags & USED));
		ck_assert_str_eq(li.consumer, "");
	}
	ck_assert_int_ge(fx_request(chip, good, 2, OUT, "y"), 0);
}
END_TEST

/* gpioset: outputs appear on the HOST pins of the map. */
START_TEST(scn_outputs_on_host)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 0, 1, 4 },
		.num_lines = 3,
		.consumer = "gpioset",
		.config = { .flags = OUT, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES,
						   .values = 4 },
					 .mask = 4 } } },
	};
	uint32_t al = 7;
	int chip = fx_open();
	int fd = fx_request_lr(chip, &lr);
	int alfd;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_level(10), 0);
	ck_assert_int_eq(fx_level(11), 0);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_int_eq(fx_set(fd, 3, 3), 0);
	ck_assert_int_eq(fx_level(10), 1);
	ck_assert_int_eq(fx_level(11), 1);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_int_eq(fx_set(fd, 4, 0), 0);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_int_eq(fx_level(10), 1);
	ck_assert_int_eq(fx_get(fd, 7), 3);
	/* lines of the map not requested stay as they were */
	ck_assert_int_eq(fx_level(12), 0);

	alfd = fx_request(chip, &al, 1, OUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW, "al");
	ck_assert_int_ge(alfd, 0);
	ck_assert_int_eq(fx_level(20), 1);
	ck_assert_int_eq(fx_set(alfd, 1, 1), 0);
	ck_assert_int_eq(fx_level(20), 0);
}
END_TEST

/* gpioget: inputs read the HOST pins, with active-low and bias. */
START_TEST(scn_inputs_from_host)
{
	uint32_t offs[] = { 0, 1, 2, 3 }, al = 5, pu = 7;
	int chip = fx_open();
	int fd = fx_request(chip, offs, 4, IN, "gpioget");
	int alfd = fx_request(chip, &al, 1, IN | GPIO_V2_LINE_FLAG_ACTIVE_LOW, "al");
	int pufd;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(alfd, 0);
	fx_pull(10, 1);
	fx_pull(11, 0);
	fx_pull(12, 1);
	fx_pull(13, 1);
	ck_assert_int_eq(fx_get(fd, 0xf), 0xd);
	ck_assert_int_eq(fx_get(fd, 0x2), 0);
	fx_pull(11, 1);
	ck_assert_int_eq(fx_get(fd, 0x2), 0x2);
	fx_pull(27, 1);
	ck_assert_int_eq(fx_get(alfd, 1), 0);
	fx_pull(27, 0);
	ck_assert_int_eq(fx_get(alfd, 1), 1);

	/* a floating pin follows the bias the request asked for */
	fx_pull(20, -1);
	pufd = fx_request(chip, &pu, 1, IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP, "pu");
	ck_assert_int_ge(pufd, 0);
	ck_assert_int_eq(fx_get(pufd, 1), 1);
	fx_pull(20, 0);
	ck_assert_int_eq(fx_get(pufd, 1), 0);
}
END_TEST

/* gpiomon: edges carry the virtual offset and numbers from 1. */
START_TEST(scn_edge_events)
{
	struct gpio_v2_line_event ev[8];
	uint32_t btn = 5, rise = 7;
	int chip = fx_open();
	int fd = fx_request(chip, &btn, 1, IN | BOTH, "gpiomon");
	int rfd = fx_request(chip, &rise, 1, IN | GPIO_V2_LINE_FLAG_EDGE_RISING, "rise");

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(rfd, 0);
	fx_pull(27, 1);
	fx_pull(27, 0);
	fx_pull(27, 1);
	ck_assert(fx_wait_readable(fd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(fd, ev, 8), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(ev[i].offset, 5);
		ck_assert_uint_eq(ev[i].seqno, i + 1);
		ck_assert_uint_eq(ev[i].line_seqno, i + 1);
		ck_assert_uint_eq(ev[i].id, i % 2 ? GPIO_V2_LINE_EVENT_FALLING_EDGE
						  : GPIO_V2_LINE_EVENT_RISING_EDGE);
	}
	ck_assert(ev[0].timestamp_ns <= ev[1].timestamp_ns);
	ck_assert(ev[1].timestamp_ns <= ev[2].timestamp_ns);
	/* the other request only wants rising edges, and saw none of line 5's */
	ck_assert_int_eq(fx_read(rfd, ev, sizeof(ev)), -EAGAIN);
	fx_toggle(7, 4);
	ck_assert(fx_wait_readable(rfd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(rfd, ev, 8), 2);
	ck_assert_uint_eq(ev[0].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_eq(ev[1].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_eq(ev[1].seqno, 2);
	ck_assert_uint_eq(ev[1].offset, 7);
}
END_TEST

/* A slow reader: the oldest events go, the gap shows in seqno and line_seqno. */
START_TEST(scn_overflow_gaps)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 0, 1 },
		.num_lines = 2,
		.event_buffer_size = 4,
		.config = { .flags = IN | BOTH },
	};
	struct gpio_v2_line_event ev[8];
	int fd = fx_request_lr(fx_open(), &lr);

	ck_assert_int_ge(fd, 0);
	/* ten edges: line 0, line 1, line 0, ... */
	for (int i = 0; i < 10; i++)
		fx_toggle(i % 2, 1);
	ck_assert(fx_wait_readable(fd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(fd, ev, 8), 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(ev[i].seqno, 7 + i);
		ck_assert_uint_eq(ev[i].offset, (6 + i) % 2);
		ck_assert_uint_eq(ev[i].line_seqno, (6 + i) / 2 + 1);
	}
	/* the queue is open for new events after the gap */
	fx_toggle(0, 1);
	ck_assert(fx_wait_readable(fd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(fd, ev, 8), 1);
	ck_assert_uint_eq(ev[0].seqno, 11);
	ck_assert_uint_eq(ev[0].line_seqno, 6);
}
END_TEST

/* Active-low: edges and values are logical, the pin physical. */
START_TEST(scn_active_low_edges)
{
	struct gpio_v2_line_event ev[4];
	uint32_t led = 4;
	int fd;

	fx_pull(17, 0);
	fd = fx_request(fx_open(), &led, 1, IN | BOTH | GPIO_V2_LINE_FLAG_ACTIVE_LOW, "al");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_get(fd, 1), 1);
	fx_pull(17, 1);
	fx_pull(17, 0);
	ck_assert(fx_wait_readable(fd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(fd, ev, 4), 2);
	ck_assert_uint_eq(ev[0].id, GPIO_V2_LINE_EVENT_FALLING_EDGE);
	ck_assert_uint_eq(ev[1].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_eq(ev[0].offset, 4);
}
END_TEST

/* gpioinfo --watch / gpionotify: request, reconfigure, release of a line. */
START_TEST(scn_watch_lifecycle)
{
	static const uint32_t types[] = { GPIO_V2_LINE_CHANGED_REQUESTED,
					  GPIO_V2_LINE_CHANGED_CONFIG,
					  GPIO_V2_LINE_CHANGED_RELEASED };
	struct gpio_v2_line_config lc = { .flags = OUT };
	struct gpioline_info_changed c1;
	struct gpioline_info li1 = { .line_offset = 2 };
	int watcher = fx_open_as(100), v1watcher = fx_open_as(101), client = fx_open_as(102);
	uint32_t off = 2;
	int fd;

	ck_assert_int_eq(watch_line(watcher, 2), 0);
	ck_assert_int_eq(fx_ioctl(v1watcher, GPIO_GET_LINEINFO_WATCH_IOCTL, &li1), 0);
	ck_assert(!(li1.flags & GPIOLINE_FLAG_KERNEL));
	fd = fx_request(client, &off, 1, IN, "user");
	ck_assert_int_ge(fd, 0);
	ck_assert(fx_wait_readable(watcher, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc), 0);
	fx_close(fd);
	assert_changes(watcher, types, 3, 2);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(fx_read(v1watcher, &c1, sizeof(c1)), sizeof(c1));
		ck_assert_uint_eq(c1.event_type, types[i]);
		ck_assert_uint_eq(c1.info.line_offset, 2);
	}
	ck_assert_int_eq(fx_read(v1watcher, &c1, sizeof(c1)), -EAGAIN);
	ck_assert(!(fx_poll(watcher) & POLLIN));
}
END_TEST

/* libgpiod 1.6 gpioset/gpioget: a v1 handle, its values and SET_CONFIG. */
START_TEST(scn_v1_handle)
{
	struct gpiohandle_request hr = {
		.lineoffsets = { 0, 1 },
		.flags = GPIOHANDLE_REQUEST_OUTPUT,
		.default_values = { 1, 0 },
		.consumer_label = "gpioset",
		.lines = 2,
	};
	struct gpiohandle_config hc = { .flags = GPIOHANDLE_REQUEST_INPUT };
	struct gpiohandle_data hd = { .values = { 0, 1 } };
	struct gpio_v2_line_info li;
	int chip = fx_open();

	ck_assert_int_eq(fx_ioctl(chip, GPIO_GET_LINEHANDLE_IOCTL, &hr), 0);
	ck_assert_int_eq(fx_level(10), 1);
	ck_assert_int_eq(fx_level(11), 0);
	ck_assert_int_eq(fx_info(chip, 1, &li), 0);
	ck_assert_str_eq(li.consumer, "gpioset");
	ck_assert(li.flags & OUT);
	ck_assert_int_eq(fx_ioctl(hr.fd, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &hd), 0);
	ck_assert_int_eq(fx_level(10), 0);
	ck_assert_int_eq(fx_level(11), 1);
	memset(&hd, 0, sizeof(hd));
	ck_assert_int_eq(fx_ioctl(hr.fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &hd), 0);
	ck_assert_uint_eq(hd.values[0], 0);
	ck_assert_uint_eq(hd.values[1], 1);

	/* as inputs they read the pins and refuse values */
	ck_assert_int_eq(fx_ioctl(hr.fd, GPIOHANDLE_SET_CONFIG_IOCTL, &hc), 0);
	fx_pull(10, 1);
	fx_pull(11, 0);
	ck_assert_int_eq(fx_ioctl(hr.fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &hd), 0);
	ck_assert_uint_eq(hd.values[0], 1);
	ck_assert_uint_eq(hd.values[1], 0);
	ck_assert_int_eq(fx_ioctl(hr.fd, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &hd), -EPERM);
	ck_assert_int_eq(fx_info(chip, 0, &li), 0);
	ck_assert(li.flags & IN);

	hc = (struct gpiohandle_config){ .flags = GPIOHANDLE_REQUEST_OUTPUT,
					 .default_values = { 1, 1 } };
	ck_assert_int_eq(fx_ioctl(hr.fd, GPIOHANDLE_SET_CONFIG_IOCTL, &hc), 0);
	ck_assert_int_eq(fx_level(10), 1);
	ck_assert_int_eq(fx_level(11), 1);
	fx_close(hr.fd);
	ck_assert_int_eq(fx_info(chip, 0, &li), 0);
	ck_assert(!(li.flags & USED));
}
END_TEST

/* libgpiod 1.6 gpiomon: a v1 event request, 16-byte events, logical levels. */
START_TEST(scn_v1_event)
{
	struct gpioevent_request er = {
		.lineoffset = 5,
		.handleflags = GPIOHANDLE_REQUEST_ACTIVE_LOW,
		.eventflags = GPIOEVENT_REQUEST_RISING_EDGE,
		.consumer_label = "gpiomon",
	};
	struct gpioevent_data ev[4];
	struct gpiohandle_data hd;
	struct gpio_v2_line_info li;
	int chip = fx_open();

	fx_pull(27, 1);
	ck_assert_int_eq(fx_ioctl(chip, GPIO_GET_LINEEVENT_IOCTL, &er), 0);
	ck_assert_int_eq(fx_info(chip, 5, &li), 0);
	ck_assert(li.flags & USED);
	ck_assert(li.flags & IN);
	ck_assert(li.flags & GPIO_V2_LINE_FLAG_ACTIVE_LOW);
	ck_assert_str_eq(li.consumer, "gpiomon");
	ck_assert_int_eq(fx_ioctl(er.fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &hd), 0);
	ck_assert_uint_eq(hd.values[0], 0);
	/* the pin falls: a logical rise */
	fx_pull(27, 0);
	fx_pull(27, 1);
	ck_assert(fx_wait_readable(er.fd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read(er.fd, ev, sizeof(ev)), sizeof(ev[0]));
	ck_assert_uint_eq(ev[0].id, GPIOEVENT_EVENT_RISING_EDGE);
	ck_assert_int_eq(fx_read(er.fd, ev, sizeof(ev)), -EAGAIN);
}
END_TEST

/* The client dies: closing its request file frees the lines for everyone. */
START_TEST(scn_release_on_close)
{
	static const uint32_t types[] = { GPIO_V2_LINE_CHANGED_REQUESTED,
					  GPIO_V2_LINE_CHANGED_RELEASED };
	uint32_t offs[] = { 7, 0 };
	struct gpio_v2_line_info li;
	int watcher = fx_open_as(100), client = fx_open_as(101);
	int fd;

	ck_assert_int_eq(watch_line(watcher, 7), 0);
	fd = fx_request(client, offs, 2, OUT, "dying");
	ck_assert_int_ge(fd, 0);
	fx_close(fd);
	fx_close(client);
	assert_changes(watcher, types, 2, 7);
	ck_assert_int_eq(fx_info(watcher, 7, &li), 0);
	ck_assert(!(li.flags & USED));
	ck_assert_int_ge(fx_request(watcher, offs, 2, IN, "next"), 0);
}
END_TEST

/* The front end could not hand the fd over: vgc_uapi_req_free() undoes the request. */
START_TEST(scn_req_free_unopened)
{
	static const uint32_t types[] = { GPIO_V2_LINE_CHANGED_REQUESTED,
					  GPIO_V2_LINE_CHANGED_RELEASED };
	struct gpio_v2_line_request lr = { .offsets = { 3 }, .num_lines = 1,
					   .config = { .flags = IN | BOTH } };
	struct vgc_req *req;
	int chip = fx_open(), fd;

	ck_assert_int_eq(watch_line(chip, 3), 0);
	ck_assert_int_eq(fx_ioctl_raw(chip, GPIO_V2_GET_LINE_IOCTL, &lr, &req), 0);
	ck_assert_ptr_nonnull(req);
	/* events may come before the file exists; freeing drops them too */
	fx_toggle(3, 2);
	vgc_uapi_req_free(req);
	assert_changes(chip, types, 2, 3);
	fd = fx_request(chip, lr.offsets, 1, IN, "again");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_read(fd, &lr, sizeof(struct gpio_v2_line_event)), -EAGAIN);
}
END_TEST

static int bounce_fd;

static bool bounce_settled(void *arg)
{
	(void)arg;
	return fx_poll(bounce_fd) & POLLIN;
}

/* A bouncing button under debounce: one settled edge, values follow it. */
START_TEST(scn_debounce)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 5 },
		.num_lines = 1,
		.config = { .flags = IN | BOTH, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE,
						   .debounce_period_us = 20000 },
					 .mask = 1 } } },
	};
	struct gpio_v2_line_event ev[4];

	bounce_fd = fx_request_lr(fx_open(), &lr);
	ck_assert_int_ge(bounce_fd, 0);
	fx_pull(27, 1);
	fx_pull(27, 0);
	fx_pull(27, 1);
	ck_assert(fx_wait(bounce_settled, NULL, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(bounce_fd, ev, 4), 1);
	ck_assert_uint_eq(ev[0].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_eq(ev[0].offset, 5);
	ck_assert_uint_eq(ev[0].seqno, 1);
	ck_assert_int_eq(fx_get(bounce_fd, 1), 1);
}
END_TEST

/* Edge detection switched on and off by SET_CONFIG. */
START_TEST(scn_reconfigure_edges)
{
	struct gpio_v2_line_config on = { .flags = IN | BOTH }, off = { .flags = IN };
	struct gpio_v2_line_event ev[4];
	uint32_t line = 0;
	int fd = fx_request(fx_open(), &line, 1, IN, "cfg");

	ck_assert_int_ge(fd, 0);
	fx_toggle(0, 2);
	ck_assert_int_eq(fx_read(fd, ev, sizeof(ev)), -EAGAIN);
	ck_assert_int_eq(fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &on), 0);
	fx_toggle(0, 1);
	ck_assert(fx_wait_readable(fd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(fd, ev, 4), 1);
	ck_assert_uint_eq(ev[0].offset, 0);
	ck_assert_int_eq(fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &off), 0);
	fx_toggle(0, 1);
	ck_assert_int_eq(fx_read(fd, ev, sizeof(ev)), -EAGAIN);
}
END_TEST

/* The host sees "tenant:consumer" on its line; the tenant sees its own label. */
START_TEST(scn_host_label)
{
	struct gpio_v2_line_info host, li;
	uint32_t off = 4;
	int chip = fx_open();

	ck_assert_int_ge(fx_request(chip, &off, 1, OUT, "gpioset"), 0);
	ck_assert_int_eq(fx.be->ops->line_info(fx.be, 17, &host), 0);
	ck_assert(host.flags & USED);
	ck_assert_str_eq(host.consumer, FX_TENANT ":gpioset");
	ck_assert_int_eq(fx_info(chip, 4, &li), 0);
	ck_assert_str_eq(li.consumer, "gpioset");
	ck_assert_str_eq(li.name, "LED");
}
END_TEST

Suite *vgc_test_scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("clients");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, scn_line_busy_for_other_client);
	tcase_add_test(tc, scn_set_input_refused);
	tcase_add_test(tc, scn_failed_request_claims_nothing);
	tcase_add_test(tc, scn_outputs_on_host);
	tcase_add_test(tc, scn_inputs_from_host);
	tcase_add_test(tc, scn_edge_events);
	tcase_add_test(tc, scn_overflow_gaps);
	tcase_add_test(tc, scn_active_low_edges);
	tcase_add_test(tc, scn_watch_lifecycle);
	tcase_add_test(tc, scn_v1_handle);
	tcase_add_test(tc, scn_v1_event);
	tcase_add_test(tc, scn_release_on_close);
	tcase_add_test(tc, scn_req_free_unopened);
	tcase_add_test(tc, scn_debounce);
	tcase_add_test(tc, scn_reconfigure_edges);
	tcase_add_test(tc, scn_host_label);
	suite_add_tcase(s, tc);
	return s;
}
