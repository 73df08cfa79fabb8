// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conformance rows for what a v2 request fd does: GET/SET_VALUES,
 * SET_CONFIG, reads and poll, the edge event queue and its records,
 * debounce. See conformance.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>

#include "conformance.h"

/* ---- actions expecting one errno ---- */

static int act_set_config(const struct cf_row *r)
{
	struct gpio_v2_line_config lc = r->lc;

	return fx_ioctl(cf_req_in_out(), GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc);
}

static int act_get_values(const struct cf_row *r)
{
	int64_t v = fx_get(cf_req_in_out(), r->mask);

	return v < 0 ? (int)v : 0;
}

static int act_set_values(const struct cf_row *r)
{
	return fx_set(cf_req_in_out(), r->mask, r->mask);
}

static int act_req_read(const struct cf_row *r)
{
	unsigned char buf[1024];

	return (int)fx_read(cf_req_in_out(), buf, r->count);
}

/* A queued edge and a buffer of r->count bytes. */
static int act_req_read_queued(const struct cf_row *r)
{
	unsigned char buf[1024];
	uint32_t off = 0;
	int fd = fx_request(fx_open(), &off, 1, IN | BOTH, "edges");

	ck_assert_int_ge(fd, 0);
	fx_pull(fx_host[0], 1);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no edge event");
	return (int)fx_read(fd, buf, r->count);
}

/* ---- checks: each asserts with the row's name and returns 0 ---- */

/*
 * Event queue capacity: event_buffer_size (0: 16 per line, at most 1024)
 * rounded up to a power of two by kfifo_alloc (cdev:1800-1804, 1140;
 * lib/kfifo.c:32); when full the oldest goes (cdev:700). r->count is the
 * capacity expected, r->lr the request; edges come on its first line.
 */
static int check_queue_capacity(const struct cf_row *r)
{
	static struct gpio_v2_line_event ev[2048];
	struct gpio_v2_line_request lr = r->lr;
	unsigned int extra = 5, want = (unsigned int)r->count;
	int fd = fx_request_lr(fx_open(), &lr);
	int n;

	ROW_ASSERT(r, fd >= 0, "request failed: %d", fd);
	fx_toggle(lr.offsets[0], want + extra);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no event");
	n = fx_read_events(fd, ev, 2048);
	ROW_ASSERT(r, n == (int)want, "%d events queued, want %u", n, want);
	ROW_ASSERT(r, ev[0].seqno == extra + 1, "first seqno %u, want %u (the oldest dropped)",
		   ev[0].seqno, extra + 1);
	ROW_ASSERT(r, ev[n - 1].seqno == want + extra, "last seqno %u, want %u", ev[n - 1].seqno,
		   want + extra);
	return 0;
}

/* GET_VALUES on outputs is fine (cdev:1407); mask bits past num_lines are ignored. */
static int check_get_outputs(const struct cf_row *r)
{
	struct gpio_v2_line_values lv = { .mask = 0x3 | (1ULL << 40) };
	int fd = cf_req_in_out();

	ROW_ASSERT(r, fx_set(fd, 2, 2) == 0, "SET_VALUES on the output");
	fx_pull(fx_host[0], 1);
	ROW_ASSERT(r, fx_ioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &lv) == 0, "GET_VALUES");
	ROW_ASSERT(r, lv.bits == 3, "bits %#llx, want 0x3", (unsigned long long)lv.bits);
	ROW_ASSERT(r, fx_set(fd, 2, 0) == 0, "SET_VALUES on the output");
	ROW_ASSERT(r, fx_get(fd, 2) == 0, "output read back high after set low");
	return 0;
}

static int edge_request(int chip, uint32_t off, uint64_t flags)
{
	int fd = fx_request(chip, &off, 1, IN | flags, "edges");

	ck_assert_int_ge(fd, 0);
	return fd;
}

/* poll: POLLIN only while events are queued (cdev:1627); reads take whole events. */
static int check_poll_read(const struct cf_row *r)
{
	struct gpio_v2_line_event ev[3];
	int fd = edge_request(fx_open(), 0, BOTH);
	ssize_t n;

	ROW_ASSERT(r, !(fx_poll(fd) & POLLIN), "POLLIN with nothing queued");
	fx_toggle(0, 3);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no POLLIN with events queued");
	ROW_ASSERT(r, fx_ready(fd) > 0, "the ready callback never ran");
	n = fx_read(fd, ev, sizeof(ev[0]) * 2 + 20);
	ROW_ASSERT(r, n == 2 * (ssize_t)sizeof(ev[0]), "read %zd bytes, want two whole events", n);
	ROW_ASSERT(r, fx_poll(fd) & POLLIN, "no POLLIN with one event left");
	n = fx_read(fd, ev, sizeof(ev));
	ROW_ASSERT(r, n == (ssize_t)sizeof(ev[0]), "read %zd bytes, want the last event", n);
	ROW_ASSERT(r, !(fx_poll(fd) & POLLIN), "POLLIN after the queue was drained");
	ROW_ASSERT(r, fx_read(fd, ev, sizeof(ev)) == -EAGAIN, "empty queue read is not EAGAIN");
	return 0;
}

/*
 * Edge events: seqno and line_seqno from 1, equal with one line, seqno per
 * request across lines (cdev:902-909); the offset is the chip's (virtual)
 * offset (cdev:910); monotonic timestamps by default (cdev:718).
 */
static int check_edge_numbers(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 7, 4 }, .num_lines = 2, .config = { .flags = IN | BOTH },
	};
	struct gpio_v2_line_event ev[8];
	int chip = fx_open();
	int one = edge_request(chip, 0, BOTH);
	int two = fx_request_lr(chip, &lr);
	uint64_t t0 = fx_now_ns(CLOCK_MONOTONIC), t1;
	int n;

	ROW_ASSERT(r, two >= 0, "two-line request: %d", two);
	fx_toggle(0, 2);
	fx_toggle(7, 1);
	fx_toggle(4, 1);
	fx_toggle(7, 1);
	t1 = fx_now_ns(CLOCK_MONOTONIC);
	ROW_ASSERT(r, fx_wait_readable(one, FX_TIMEOUT_MS), "no event on the one-line request");
	n = fx_read_events(one, ev, 8);
	ROW_ASSERT(r, n == 2, "%d events, want 2", n);
	for (int i = 0; i < n; i++) {
		ROW_ASSERT(r, ev[i].seqno == (uint32_t)i + 1 && ev[i].line_seqno == (uint32_t)i + 1,
			   "event %d seqno %u line_seqno %u, want %d", i, ev[i].seqno,
			   ev[i].line_seqno, i + 1);
		ROW_ASSERT(r, ev[i].offset == 0, "offset %u, want virtual 0", ev[i].offset);
		ROW_ASSERT(r, ev[i].timestamp_ns >= t0 && ev[i].timestamp_ns <= t1,
			   "timestamp %llu is not CLOCK_MONOTONIC now",
			   (unsigned long long)ev[i].timestamp_ns);
	}
	ROW_ASSERT(r, ev[0].id == GPIO_V2_LINE_EVENT_RISING_EDGE &&
			      ev[1].id == GPIO_V2_LINE_EVENT_FALLING_EDGE,
		   "ids %u %u, want rising then falling", ev[0].id, ev[1].id);

	ROW_ASSERT(r, fx_wait_readable(two, FX_TIMEOUT_MS), "no event on the two-line request");
	n = fx_read_events(two, ev, 8);
	ROW_ASSERT(r, n == 3, "%d events, want 3", n);
	uint32_t offs[] = { 7, 4, 7 }, lseq[] = { 1, 1, 2 };
	for (int i = 0; i < 3; i++) {
		ROW_ASSERT(r, ev[i].offset == offs[i], "event %d offset %u, want virtual %u", i,
			   ev[i].offset, offs[i]);
		ROW_ASSERT(r, ev[i].seqno == (uint32_t)i + 1, "event %d seqno %u", i, ev[i].seqno);
		ROW_ASSERT(r, ev[i].line_seqno == lseq[i], "event %d line_seqno %u, want %u", i,
			   ev[i].line_seqno, lseq[i]);
	}
	return 0;
}

/* Events are logical: with active-low, a physical fall is a rising edge (cdev:1185). */
static int check_edge_active_low(const struct cf_row *r)
{
	struct gpio_v2_line_event ev[4];
	int rise, n;

	fx_pull(fx_host[5], 1);
	rise = edge_request(fx_open(), 5, AL | RISE);
	fx_pull(fx_host[5], 0);
	fx_pull(fx_host[5], 1);
	ROW_ASSERT(r, fx_wait_readable(rise, FX_TIMEOUT_MS), "no event");
	n = fx_read_events(rise, ev, 4);
	ROW_ASSERT(r, n == 1, "%d events for one logical rise, want 1", n);
	ROW_ASSERT(r, ev[0].id == GPIO_V2_LINE_EVENT_RISING_EDGE && ev[0].offset == 5,
		   "id %u offset %u, want a rising edge on 5", ev[0].id, ev[0].offset);
	ROW_ASSERT(r, fx_get(rise, 1) == 0, "logical value %lld with the pin high",
		   (long long)fx_get(rise, 1));
	return 0;
}

/* EVENT_CLOCK_REALTIME stamps events with CLOCK_REALTIME (cdev:720). */
static int check_edge_realtime(const struct cf_row *r)
{
	struct gpio_v2_line_event ev;
	int fd = edge_request(fx_open(), 1, BOTH | RT);
	uint64_t t0 = fx_now_ns(CLOCK_REALTIME), t1;

	fx_toggle(1, 1);
	t1 = fx_now_ns(CLOCK_REALTIME);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no event");
	ROW_ASSERT(r, fx_read_events(fd, &ev, 1) == 1, "read");
	ROW_ASSERT(r, ev.timestamp_ns >= t0 && ev.timestamp_ns <= t1,
		   "timestamp %llu is not CLOCK_REALTIME now (%llu..%llu)",
		   (unsigned long long)ev.timestamp_ns, (unsigned long long)t0,
		   (unsigned long long)t1);
	return 0;
}

/* SET_CONFIG leaves queued events alone (cdev:1528: no fifo reset). */
static int check_set_config_keeps(const struct cf_row *r)
{
	struct gpio_v2_line_config lc = { .flags = IN | RISE };
	struct gpio_v2_line_event ev[4];
	int fd = edge_request(fx_open(), 3, BOTH);

	fx_toggle(3, 2);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no event");
	ROW_ASSERT(r, fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc) == 0, "SET_CONFIG");
	ROW_ASSERT(r, fx_read_events(fd, ev, 4) == 2, "queued events lost by SET_CONFIG");
	return 0;
}

/*
 * SET_CONFIG leaves a line without a direction flag as it is, with no
 * change event (cdev:1550-1553); the others are reconfigured.
 */
static int check_set_config_as_is(const struct cf_row *r)
{
	struct gpio_v2_line_config lc = {
		.num_attrs = 1,
		.attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS, .flags = OUT }, .mask = 1 } },
	};
	struct gpio_v2_line_info_changed chg[4];
	struct gpio_v2_line_info li;
	int fd = cf_req_in_out(), chip = fx_open(), n;

	ROW_ASSERT(r, cf_watch(chip, 0, 2) == 0 && cf_watch(chip, 1, 2) == 0, "watch");
	ROW_ASSERT(r, fx_set(fd, 2, 2) == 0, "SET_VALUES on line 1");
	ROW_ASSERT(r, fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc) == 0, "SET_CONFIG");
	n = fx_read_changed(chip, chg, 4);
	ROW_ASSERT(r, n == 1, "%d change records, want 1 (line 0 only)", n);
	ROW_ASSERT(r, chg[0].info.offset == 0 && chg[0].event_type == GPIO_V2_LINE_CHANGED_CONFIG,
		   "record for line %u type %u", chg[0].info.offset, chg[0].event_type);
	cf_info_of(r, chip, 1, &li);
	ROW_ASSERT(r, li.flags & OUT, "line 1 lost its direction");
	ROW_ASSERT(r, fx_level(fx_host[1]) == 1, "line 1 lost its value");
	ROW_ASSERT(r, fx_set(fd, 3, 1) == 0, "SET_VALUES on both outputs");
	ROW_ASSERT(r, fx_level(fx_host[0]) == 1 && fx_level(fx_host[1]) == 0, "host levels %d %d",
		   fx_level(fx_host[0]), fx_level(fx_host[1]));
	return 0;
}

static int debounce_fd;

static bool debounced_high(void *arg)
{
	(void)arg;
	return fx_get(debounce_fd, 1) == 1;
}

/* With debounce on, GET_VALUES returns the debounced level (cdev:1450). */
static int check_debounce_get(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 4 },
		.num_lines = 1,
		.config = { .flags = IN | BOTH, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE,
						   .debounce_period_us = 200000 },
					 .mask = 1 } } },
	};
	struct gpio_v2_line_event ev[4];

	debounce_fd = fx_request_lr(fx_open(), &lr);
	ROW_ASSERT(r, debounce_fd >= 0, "request: %d", debounce_fd);
	fx_pull(fx_host[4], 1);
	ROW_ASSERT(r, fx_level(fx_host[4]) == 1, "the pin is not high");
	ROW_ASSERT(r, fx_get(debounce_fd, 1) == 0, "GET_VALUES sees the bounce at once");
	ROW_ASSERT(r, !(fx_poll(debounce_fd) & POLLIN), "an edge before the period");
	ROW_ASSERT(r, fx_wait(debounced_high, NULL, FX_TIMEOUT_MS), "never settled high");
	ROW_ASSERT(r, fx_wait_readable(debounce_fd, FX_TIMEOUT_MS), "no debounced edge");
	ROW_ASSERT(r, fx_read_events(debounce_fd, ev, 4) == 1, "one settled edge expected");
	ROW_ASSERT(r, ev[0].id == GPIO_V2_LINE_EVENT_RISING_EDGE, "id %u", ev[0].id);
	return 0;
}

static const struct cf_row values_rows[] = {
	/* SET_CONFIG validates like a request (cdev:1538). */
	{ "SET_CONFIG: num_attrs 11", .act = act_set_config, .lc = { .num_attrs = 11 },
	  .expect = -EINVAL },
	{ "SET_CONFIG: non-zero padding", .act = act_set_config,
	  .lc = { .flags = IN, .padding = { 1 } }, .expect = -EINVAL },
	{ "SET_CONFIG: INPUT|OUTPUT", .act = act_set_config, .lc = { .flags = IN | OUT },
	  .expect = -EINVAL },
	{ "SET_CONFIG: HTE", .act = act_set_config, .lc = { .flags = IN | HTE },
	  .expect = -EOPNOTSUPP },

	/* Values (cdev:1428, 1496, 1506) and reads (cdev:1647, 1656). */
	{ "GET_VALUES: mask 0", .act = act_get_values, .mask = 0, .expect = -EINVAL },
	{ "GET_VALUES: mask only past num_lines", .act = act_get_values,
	  .mask = (1ULL << 2) | (1ULL << 63), .expect = -EINVAL },
	{ "SET_VALUES: mask 0", .act = act_set_values, .mask = 0, .expect = -EINVAL },
	{ "SET_VALUES: mask only past num_lines", .act = act_set_values, .mask = 1ULL << 5,
	  .expect = -EINVAL },
	{ "SET_VALUES: on an input", .act = act_set_values, .mask = 1, .expect = -EPERM },
	{ "SET_VALUES: an input among outputs", .act = act_set_values, .mask = 3,
	  .expect = -EPERM },
	{ "read: buffer smaller than one event", .act = act_req_read, .count = 47,
	  .expect = -EINVAL },
	{ "read: buffer smaller than a queued event", .act = act_req_read_queued, .count = 47,
	  .expect = -EINVAL },
	{ "read: empty queue never blocks the core", .act = act_req_read, .count = 48,
	  .expect = -EAGAIN },

	/* Happy paths. */
	{ "event_buffer_size 0 means 16 per line", .act = check_queue_capacity, .count = 16,
	  .lr = { ONE(0), .config.flags = IN | BOTH } },
	{ "event_buffer_size 0 with 3 lines: 48 rounded up to 64", .act = check_queue_capacity,
	  .count = 64, .lr = { .num_lines = 3, .offsets = { 0, 1, 2 }, .config.flags = IN | BOTH } },
	{ "event_buffer_size 5 rounded up to 8", .act = check_queue_capacity, .count = 8,
	  .lr = { ONE(0), .event_buffer_size = 5, .config.flags = IN | BOTH } },
	{ "event_buffer_size 2000 capped at 64 * 16", .act = check_queue_capacity, .count = 1024,
	  .lr = { ONE(0), .event_buffer_size = 2000, .config.flags = IN | BOTH } },
	CHECK("GET_VALUES: outputs readable, mask bits past num_lines ignored", check_get_outputs),
	CHECK("poll/read: POLLIN only while queued, whole events per read", check_poll_read),
	CHECK("edges: seqnos from 1, virtual offsets, monotonic clock", check_edge_numbers),
	CHECK("edges: logical under active-low", check_edge_active_low),
	CHECK("edges: REALTIME clock", check_edge_realtime),
	CHECK("SET_CONFIG: queued events are kept", check_set_config_keeps),
	CHECK("SET_CONFIG: a line without direction is left as is", check_set_config_as_is),
	CHECK("debounce: GET_VALUES returns the debounced level", check_debounce_get),
};

START_TEST(test_values_row)
{
	cf_run_row(&values_rows[_i]);
}
END_TEST

TCase *vgc_test_conformance_values_tcase(void)
{
	TCase *tc = tcase_create("values");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_values_row, 0, CF_NUM_ROWS(values_rows));
	return tc;
}
