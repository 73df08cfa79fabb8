// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conformance rows for the v1 ABI that libgpiod 1.6 uses: line handle and
 * line event requests, their validation and fds, v1 event records. (v1
 * line info and watches are with the v2 ones in test_conformance_info.c.)
 * See conformance.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"

/* ---- actions expecting one errno ---- */

static int act_v1_handle(const struct cf_row *r)
{
	struct gpiohandle_request hr = r->hr;

	return fx_ioctl(fx_open(), GPIO_GET_LINEHANDLE_IOCTL, &hr);
}

static int act_v1_event(const struct cf_row *r)
{
	struct gpioevent_request er = r->er;

	return fx_ioctl(fx_open(), GPIO_GET_LINEEVENT_IOCTL, &er);
}

static int v1_handle_fd(uint32_t flags)
{
	struct gpiohandle_request hr = { .lineoffsets = { 0, 1 }, .flags = flags, .lines = 2 };
	int ret = fx_ioctl(fx_open(), GPIO_GET_LINEHANDLE_IOCTL, &hr);

	ck_assert_int_eq(ret, 0);
	return hr.fd;
}

static int v1_event_fd(uint32_t vline, uint32_t handleflags)
{
	struct gpioevent_request er = {
		.lineoffset = vline,
		.handleflags = handleflags,
		.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES,
	};
	int ret = fx_ioctl(fx_open(), GPIO_GET_LINEEVENT_IOCTL, &er);

	ck_assert_int_eq(ret, 0);
	return er.fd;
}

static int act_v1_handle_set_inputs(const struct cf_row *r)
{
	struct gpiohandle_data hd = { .values = { 1, 1 } };

	(void)r;
	return fx_ioctl(v1_handle_fd(H_IN), GPIOHANDLE_SET_LINE_VALUES_IOCTL, &hd);
}

static int act_v1_handle_set_config(const struct cf_row *r)
{
	struct gpiohandle_config hc = r->hc;

	return fx_ioctl(v1_handle_fd(H_IN), GPIOHANDLE_SET_CONFIG_IOCTL, &hc);
}

static int act_v1_handle_read(const struct cf_row *r)
{
	unsigned char buf[64];

	(void)r;
	return (int)fx_read(v1_handle_fd(H_IN), buf, sizeof(buf));
}

static int act_v1_event_cmd(const struct cf_row *r)
{
	unsigned char buf[1024] = { 0 };

	return fx_ioctl(v1_event_fd(0, 0), r->cmd, buf);
}

static int act_v1_event_read(const struct cf_row *r)
{
	unsigned char buf[64];

	return (int)fx_read(v1_event_fd(0, 0), buf, r->count);
}

/* ---- checks: each asserts with the row's name and returns 0 ---- */

/* A v1 handle has no poll: the VFS default mask (include/linux/poll.h:24). */
static int check_v1_handle_poll(const struct cf_row *r)
{
	unsigned int want = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	unsigned int got = fx_poll(v1_handle_fd(H_IN));

	ROW_ASSERT(r, got == want, "poll %#x, want %#x", got, want);
	return 0;
}

/* v1 GET on outputs (cdev:217) and SET with values clamped to 0/1 (cdev:247). */
static int check_v1_handle_values(const struct cf_row *r)
{
	struct gpiohandle_data hd = { .values = { 7, 0 } };
	int fd = v1_handle_fd(H_OUT);

	ROW_ASSERT(r, fx_ioctl(fd, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &hd) == 0, "SET");
	ROW_ASSERT(r, fx_level(fx_host[0]) == 1 && fx_level(fx_host[1]) == 0,
		   "host levels %d %d, want 1 0", fx_level(fx_host[0]), fx_level(fx_host[1]));
	memset(&hd, 0x5a, sizeof(hd));
	ROW_ASSERT(r, fx_ioctl(fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &hd) == 0, "GET");
	ROW_ASSERT(r, hd.values[0] == 1 && hd.values[1] == 0 && hd.values[2] == 0,
		   "values %u %u %u, want 1 0 0", hd.values[0], hd.values[1], hd.values[2]);
	return 0;
}

/* v1 events: 16-byte records, a queue of 16 dropping the NEW event (cdev:1929, 2147). */
static int check_v1_events(const struct cf_row *r)
{
	struct gpioevent_data ev[32];
	int fd = v1_event_fd(2, 0);
	uint64_t t0 = fx_now_ns(CLOCK_MONOTONIC), t1;
	ssize_t n;

	ROW_ASSERT(r, !(fx_poll(fd) & POLLIN), "POLLIN with nothing queued");
	/* an odd number of edges past 16, so the two policies keep different ids */
	fx_toggle(2, 21);
	t1 = fx_now_ns(CLOCK_MONOTONIC);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no event");
	n = fx_read(fd, ev, sizeof(ev));
	ROW_ASSERT(r, n == 16 * 16, "read %zd bytes, want 16 records of 16 bytes", n);
	for (int i = 0; i < 16; i++) {
		uint32_t want = i % 2 ? GPIOEVENT_EVENT_FALLING_EDGE : GPIOEVENT_EVENT_RISING_EDGE;

		/* rising first: the oldest events were kept */
		ROW_ASSERT(r, ev[i].id == want, "event %d id %u, want %u", i, ev[i].id, want);
		ROW_ASSERT(r, ev[i].timestamp >= t0 && ev[i].timestamp <= t1,
			   "event %d timestamp not monotonic", i);
	}
	ROW_ASSERT(r, fx_read(fd, ev, sizeof(ev)) == -EAGAIN, "more than 16 queued");
	struct gpiohandle_data hd;
	ROW_ASSERT(r, fx_ioctl(fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &hd) == 0, "GET on event fd");
	ROW_ASSERT(r, hd.values[0] == 1, "value %u after an odd number of toggles", hd.values[0]);
	return 0;
}

/* lineevent_create never sets the line's edge flags: line info shows none */
static int check_v1_event_info_flags(const struct cf_row *r)
{
	struct gpioevent_request er = { .lineoffset = 5,
					.handleflags = GPIOHANDLE_REQUEST_INPUT,
					.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES };
	struct gpio_v2_line_info info;
	int chip = fx_open();

	snprintf(er.consumer_label, sizeof(er.consumer_label), "e");
	ROW_ASSERT(r, fx_ioctl(chip, GPIO_GET_LINEEVENT_IOCTL, &er) == 0, "v1 event request");
	ROW_ASSERT(r, fx_info(chip, 5, &info) == 0, "line info");
	ROW_ASSERT(r, (info.flags & GPIO_V2_LINE_FLAG_USED) &&
			      !(info.flags & (GPIO_V2_LINE_FLAG_EDGE_RISING |
					      GPIO_V2_LINE_FLAG_EDGE_FALLING)),
		   "flags 0x%llx: USED and no edge flags expected", (unsigned long long)info.flags);
	return 0;
}

#define HANDLE(...) .act = act_v1_handle, .hr = { __VA_ARGS__ }
#define EVENT(...) .act = act_v1_event, .er = { __VA_ARGS__ }

static const struct cf_row v1_rows[] = {
	/* v1 handle requests (cdev:308, 96-139, 239, 178). */
	{ "v1 handle: lines 0", HANDLE(.lines = 0, .flags = H_IN), .expect = -EINVAL },
	{ "v1 handle: lines 65", HANDLE(.lines = 65, .flags = H_IN), .expect = -EINVAL },
	{ "v1 handle: unknown flag", HANDLE(.lines = 1, .flags = H_IN | (1U << 8)),
	  .expect = -EINVAL },
	{ "v1 handle: INPUT|OUTPUT", HANDLE(.lines = 1, .flags = H_IN | H_OUT), .expect = -EINVAL },
	{ "v1 handle: OPEN_DRAIN|OPEN_SOURCE", HANDLE(.lines = 1, .flags = H_OUT | H_OD | H_OS),
	  .expect = -EINVAL },
	{ "v1 handle: OPEN_DRAIN without OUTPUT", HANDLE(.lines = 1, .flags = H_IN | H_OD),
	  .expect = -EINVAL },
	{ "v1 handle: bias without direction", HANDLE(.lines = 1, .flags = H_PU),
	  .expect = -EINVAL },
	{ "v1 handle: PULL_UP|PULL_DOWN", HANDLE(.lines = 1, .flags = H_IN | H_PU | H_PD),
	  .expect = -EINVAL },
	{ "v1 handle: BIAS_DISABLE|PULL_UP", HANDLE(.lines = 1, .flags = H_OUT | H_BD | H_PU),
	  .expect = -EINVAL },
	{ "v1 handle: offset 8", HANDLE(.lines = 1, .lineoffsets = { 8 }, .flags = H_IN),
	  .expect = -EINVAL },
	{ "v1 handle: a hole is busy", HANDLE(.lines = 1, .lineoffsets = { FX_HOLE }),
	  .expect = -EBUSY },
	{ "v1 handle: line already requested", .setup = cf_setup_hold_2,
	  HANDLE(.lines = 1, .lineoffsets = { 2 }, .flags = H_IN), .expect = -EBUSY },
	{ "v1 handle: bad flags before a busy line", .setup = cf_setup_hold_2,
	  HANDLE(.lines = 1, .lineoffsets = { 2 }, .flags = H_IN | H_OUT), .expect = -EINVAL },
	{ "v1 handle: SET_LINE_VALUES on inputs", .act = act_v1_handle_set_inputs,
	  .expect = -EPERM },
	{ "v1 handle: SET_CONFIG without direction", .act = act_v1_handle_set_config,
	  .hc = { .flags = GPIOHANDLE_REQUEST_ACTIVE_LOW }, .expect = -EINVAL },
	{ "v1 handle: SET_CONFIG with INPUT|OUTPUT", .act = act_v1_handle_set_config,
	  .hc = { .flags = H_IN | H_OUT }, .expect = -EINVAL },
	{ "v1 handle: read has no method (VFS EINVAL)", .act = act_v1_handle_read,
	  .expect = -EINVAL },

	/* v1 event requests (cdev:2194-2213) and fds (cdev:2086, 1999, 2008). */
	{ "v1 event: offset 8", EVENT(.lineoffset = 8), .expect = -EINVAL },
	{ "v1 event: a hole is busy", EVENT(.lineoffset = FX_HOLE), .expect = -EBUSY },
	{ "v1 event: line already requested", .setup = cf_setup_hold_2, EVENT(.lineoffset = 2),
	  .expect = -EBUSY },
	{ "v1 event: unknown handle flag", EVENT(.lineoffset = 0, .handleflags = 1U << 8),
	  .expect = -EINVAL },
	{ "v1 event: unknown event flag", EVENT(.lineoffset = 0, .eventflags = 1U << 2),
	  .expect = -EINVAL },
	{ "v1 event: OUTPUT flag", EVENT(.lineoffset = 0, .handleflags = H_OUT),
	  .expect = -EINVAL },
	{ "v1 event: OPEN_DRAIN flag", EVENT(.lineoffset = 0, .handleflags = H_OD),
	  .expect = -EINVAL },
	{ "v1 event: OPEN_SOURCE flag", EVENT(.lineoffset = 0, .handleflags = H_OS),
	  .expect = -EINVAL },
	{ "v1 event: PULL_UP|PULL_DOWN", EVENT(.lineoffset = 0, .handleflags = H_PU | H_PD),
	  .expect = -EINVAL },
	{ "v1 event: OUTPUT flag on a busy line", .setup = cf_setup_hold_2,
	  EVENT(.lineoffset = 2, .handleflags = H_OUT), .expect = -EINVAL },
	{ "v1 event fd: SET_LINE_VALUES", .act = act_v1_event_cmd,
	  .cmd = GPIOHANDLE_SET_LINE_VALUES_IOCTL, .expect = -EINVAL },
	{ "v1 event fd: SET_CONFIG", .act = act_v1_event_cmd, .cmd = GPIOHANDLE_SET_CONFIG_IOCTL,
	  .expect = -EINVAL },
	{ "v1 event fd: read smaller than a record", .act = act_v1_event_read, .count = 15,
	  .expect = -EINVAL },
	{ "v1 event fd: empty queue", .act = act_v1_event_read, .count = 16, .expect = -EAGAIN },

	/* Happy paths. */
	CHECK("v1 handle: poll is the VFS default mask", check_v1_handle_poll),
	CHECK("v1 handle: GET on outputs, SET clamps to 0/1", check_v1_handle_values),
	CHECK("v1 events: 16-byte records, a queue of 16 dropping the new", check_v1_events),
	CHECK("v1 event request: line info shows no edge flags", check_v1_event_info_flags),
};

START_TEST(test_v1_row)
{
	cf_run_row(&v1_rows[_i]);
}
END_TEST

TCase *vgc_test_conformance_v1_tcase(void)
{
	TCase *tc = tcase_create("v1");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_v1_row, 0, CF_NUM_ROWS(v1_rows));
	return tc;
}
