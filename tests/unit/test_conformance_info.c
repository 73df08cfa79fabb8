// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conformance rows for line info and watches on the chip fd: validation,
 * the states line info shows, change records and their queue, and the
 * tenant seeing only its virtual view. See conformance.h.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "conformance.h"

/* ---- actions expecting one errno ---- */

static int act_lineinfo(const struct cf_row *r)
{
	struct gpio_v2_line_info li = r->li;

	return fx_ioctl(fx_open(), GPIO_V2_GET_LINEINFO_IOCTL, &li);
}

static int act_lineinfo_v1(const struct cf_row *r)
{
	struct gpioline_info li = { .line_offset = r->li.offset };

	return fx_ioctl(fx_open(), GPIO_GET_LINEINFO_IOCTL, &li);
}

/* A watch of line 0 with first_abi, then one with abi and r->li as argument. */
static int act_watch_after(const struct cf_row *r)
{
	struct gpio_v2_line_info li = r->li;
	struct gpioline_info li1 = { .line_offset = r->li.offset };
	int fd = fx_open();

	if (r->first_abi)
		ck_assert_int_eq(cf_watch(fd, 0, r->first_abi), 0);
	if (r->abi == 1)
		return fx_ioctl(fd, GPIO_GET_LINEINFO_WATCH_IOCTL, &li1);
	return fx_ioctl(fd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
}

static int act_unwatch(const struct cf_row *r)
{
	int fd = fx_open();

	ck_assert_int_eq(cf_watch(fd, 0, 2), 0);
	return cf_unwatch(fd, r->li.offset);
}

static int act_chip_read(const struct cf_row *r)
{
	unsigned char buf[1024];
	uint32_t off = 0;
	int fd = fx_open();

	/* r->mask: whether a change record is queued first */
	if (r->mask) {
		ck_assert_int_eq(cf_watch(fd, 0, 2), 0);
		ck_assert_int_ge(fx_request(fx_open(), &off, 1, IN, "w"), 0);
	}
	return (int)fx_read(fd, buf, r->count);
}

/* ---- checks: each asserts with the row's name and returns 0 ---- */

/*
 * Line info states: USED while requested (and for holes, with consumer
 * "unavailable"), exactly one of INPUT and OUTPUT always (cdev:2413-2416),
 * consumer only while requested (cdev:2386), the map's names.
 */
static int check_info_states(const struct cf_row *r)
{
	uint32_t offs[] = { 0, 1 };
	struct gpio_v2_line_request lr = {
		.offsets = { 0, 1 },
		.num_lines = 2,
		.consumer = "me",
		.config = { .flags = IN, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS, .flags = OUT },
					 .mask = 2 } } },
	};
	struct gpio_v2_line_info li;
	int chip = fx_open(), fd;

	for (uint32_t off = 0; off < FX_NUM_LINES; off++) {
		cf_info_of(r, chip, off, &li);
		ROW_ASSERT(r, !!(li.flags & IN) + !!(li.flags & OUT) == 1, "line %u flags %#llx", off,
			   (unsigned long long)li.flags);
		if (off == FX_HOLE) {
			ROW_ASSERT(r, li.flags & GPIO_V2_LINE_FLAG_USED, "the hole is not USED");
			ROW_ASSERT(r, !strcmp(li.consumer, "unavailable"), "hole consumer '%.32s'",
				   li.consumer);
		} else {
			ROW_ASSERT(r, !(li.flags & GPIO_V2_LINE_FLAG_USED), "free line %u USED", off);
			ROW_ASSERT(r, li.consumer[0] == 0, "free line %u consumer '%.32s'", off,
				   li.consumer);
		}
	}
	cf_info_of(r, chip, 4, &li);
	ROW_ASSERT(r, !strcmp(li.name, "LED"), "line 4 name '%.32s'", li.name);
	cf_info_of(r, chip, 5, &li);
	ROW_ASSERT(r, !strcmp(li.name, "BTN"), "line 5 name '%.32s'", li.name);

	fd = fx_request_lr(chip, &lr);
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	for (unsigned int i = 0; i < 2; i++) {
		cf_info_of(r, chip, offs[i], &li);
		ROW_ASSERT(r, li.flags & GPIO_V2_LINE_FLAG_USED, "requested line %u not USED", i);
		ROW_ASSERT(r, !strcmp(li.consumer, "me"), "consumer '%.32s'", li.consumer);
		ROW_ASSERT(r, (li.flags & (IN | OUT)) == (i ? OUT : IN), "line %u flags %#llx", i,
			   (unsigned long long)li.flags);
	}
	fx_close(fd);
	for (unsigned int i = 0; i < 2; i++) {
		cf_info_of(r, chip, offs[i], &li);
		ROW_ASSERT(r, !(li.flags & GPIO_V2_LINE_FLAG_USED), "released line %u USED", i);
		ROW_ASSERT(r, li.consumer[0] == 0, "released line %u consumer '%.32s'", i,
			   li.consumer);
		ROW_ASSERT(r, !!(li.flags & IN) + !!(li.flags & OUT) == 1, "line %u flags %#llx", i,
			   (unsigned long long)li.flags);
	}
	return 0;
}

/* Debounce shows as an attribute only while a request holds it (cdev:608). */
static int check_info_debounce(const struct cf_row *r)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 0 },
		.num_lines = 1,
		.config = { .flags = IN, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE,
						   .debounce_period_us = 1500 },
					 .mask = 1 } } },
	};
	struct gpio_v2_line_info li;
	int chip = fx_open();
	int fd;

	cf_info_of(r, chip, 0, &li);
	ROW_ASSERT(r, li.num_attrs == 0, "%u attributes before the request", li.num_attrs);
	fd = fx_request_lr(chip, &lr);
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	cf_info_of(r, chip, 0, &li);
	ROW_ASSERT(r, li.num_attrs == 1 && li.attrs[0].id == GPIO_V2_LINE_ATTR_ID_DEBOUNCE &&
			      li.attrs[0].debounce_period_us == 1500,
		   "attributes while requested: %u, id %u, period %u", li.num_attrs,
		   li.attrs[0].id, li.attrs[0].debounce_period_us);
	fx_close(fd);
	cf_info_of(r, chip, 0, &li);
	ROW_ASSERT(r, li.num_attrs == 0, "%u attributes after the release", li.num_attrs);
	return 0;
}

/*
 * Change events: REQUESTED, CONFIG, RELEASED (cdev:1849, 1576, and the
 * free), monotonic timestamps (cdev:2637), 288-byte records, the new state
 * in each, and nothing for lines not watched or after unwatch.
 */
static int check_watch_events(const struct cf_row *r)
{
	struct gpio_v2_line_info_changed chg[8];
	struct gpio_v2_line_config lc = { .flags = OUT };
	uint32_t types[] = { GPIO_V2_LINE_CHANGED_REQUESTED, GPIO_V2_LINE_CHANGED_CONFIG,
			     GPIO_V2_LINE_CHANGED_RELEASED };
	uint64_t t0 = fx_now_ns(CLOCK_MONOTONIC), t1;
	int chip = fx_open(), other = fx_open();
	uint32_t off = 3;
	int fd, n;

	ROW_ASSERT(r, cf_watch(chip, 3, 2) == 0, "watch");
	ROW_ASSERT(r, cf_watch(other, 2, 2) == 0, "watch of another line on another fd");
	ROW_ASSERT(r, !(fx_poll(chip) & POLLIN), "POLLIN before any change");
	fd = fx_request(fx_open(), &off, 1, IN, "watched");
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	ROW_ASSERT(r, fx_poll(chip) & POLLIN, "no POLLIN after REQUESTED");
	ROW_ASSERT(r, fx_ready(chip) > 0, "the ready callback never ran for the chip fd");
	ROW_ASSERT(r, fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc) == 0, "SET_CONFIG");
	fx_close(fd);
	t1 = fx_now_ns(CLOCK_MONOTONIC);
	n = fx_read_changed(chip, chg, 8);
	ROW_ASSERT(r, n == 3, "%d records, want 3", n);
	for (int i = 0; i < n; i++) {
		ROW_ASSERT(r, chg[i].event_type == types[i], "record %d type %u, want %u", i,
			   chg[i].event_type, types[i]);
		ROW_ASSERT(r, chg[i].info.offset == 3, "record %d offset %u", i, chg[i].info.offset);
		ROW_ASSERT(r, chg[i].timestamp_ns >= t0 && chg[i].timestamp_ns <= t1,
			   "record %d timestamp %llu not monotonic now", i,
			   (unsigned long long)chg[i].timestamp_ns);
		ROW_ASSERT(r, i == 0 || chg[i].timestamp_ns >= chg[i - 1].timestamp_ns,
			   "timestamps go back");
	}
	ROW_ASSERT(r, (chg[0].info.flags & GPIO_V2_LINE_FLAG_USED) &&
			      !strcmp(chg[0].info.consumer, "watched"),
		   "REQUESTED record does not show the request");
	ROW_ASSERT(r, chg[1].info.flags & OUT, "CONFIG record does not show the output");
	ROW_ASSERT(r, !(chg[2].info.flags & GPIO_V2_LINE_FLAG_USED) && !chg[2].info.consumer[0],
		   "RELEASED record still shows the request");
	ROW_ASSERT(r, !(fx_poll(other) & POLLIN), "an fd watching another line got records");
	ROW_ASSERT(r, cf_unwatch(chip, 3) == 0, "unwatch");
	ROW_ASSERT(r, fx_request(fx_open(), &off, 1, IN, "again") >= 0, "request again");
	ROW_ASSERT(r, fx_read(chip, chg, sizeof(chg)) == -EAGAIN, "records after unwatch");
	return 0;
}

/*
 * v1 watch records are 104 bytes, and a read keeps going only while a v2
 * record (288) would still fit (cdev:2762): 208 bytes read one record.
 */
static int check_watch_v1(const struct cf_row *r)
{
	struct gpioline_info_changed c1[3];
	uint32_t off = 2;
	int chip = fx_open(), fd;
	ssize_t n;

	ROW_ASSERT(r, cf_watch(chip, 2, 1) == 0, "v1 watch");
	fd = fx_request(fx_open(), &off, 1, OUT, "v1w");
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	fx_close(fd);
	n = fx_read(chip, c1, 2 * sizeof(c1[0]));
	ROW_ASSERT(r, n == (ssize_t)sizeof(c1[0]), "read %zd bytes, want one 104-byte record", n);
	ROW_ASSERT(r, c1[0].event_type == GPIOLINE_CHANGED_REQUESTED, "type %u",
		   c1[0].event_type);
	ROW_ASSERT(r, c1[0].info.line_offset == 2, "offset %u", c1[0].info.line_offset);
	ROW_ASSERT(r, (c1[0].info.flags & (GPIOLINE_FLAG_KERNEL | GPIOLINE_FLAG_IS_OUT)) ==
			      (GPIOLINE_FLAG_KERNEL | GPIOLINE_FLAG_IS_OUT),
		   "v1 flags %#x", c1[0].info.flags);
	ROW_ASSERT(r, !strcmp(c1[0].info.consumer, "v1w"), "consumer '%.32s'",
		   c1[0].info.consumer);
	n = fx_read(chip, c1, sizeof(c1));
	ROW_ASSERT(r, n == (ssize_t)sizeof(c1[0]), "read %zd, want the RELEASED record", n);
	ROW_ASSERT(r, c1[0].event_type == GPIOLINE_CHANGED_RELEASED, "type %u", c1[0].event_type);
	return 0;
}

/* 32 change records per chip fd; when full the NEW one is dropped (cdev:2643). */
static int check_watch_queue(const struct cf_row *r)
{
	struct gpio_v2_line_info_changed chg[40];
	struct gpio_v2_line_config lc = { .flags = IN };
	uint32_t off = 1;
	int chip = fx_open(), fd, n;

	ROW_ASSERT(r, cf_watch(chip, 1, 2) == 0, "watch");
	fd = fx_request(fx_open(), &off, 1, IN, "q");
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	for (int i = 0; i < 35; i++)
		ROW_ASSERT(r, fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc) == 0, "SET_CONFIG");
	fx_close(fd);
	n = fx_read_changed(chip, chg, 40);
	ROW_ASSERT(r, n == 32, "%d records, want 32", n);
	ROW_ASSERT(r, chg[0].event_type == GPIO_V2_LINE_CHANGED_REQUESTED,
		   "first record type %u: the oldest was dropped", chg[0].event_type);
	ROW_ASSERT(r, chg[31].event_type == GPIO_V2_LINE_CHANGED_CONFIG,
		   "last record type %u: the newest was kept", chg[31].event_type);
	return 0;
}

static void assert_tenant_info(const struct cf_row *r, const struct gpio_v2_line_info *li,
			       const char *what)
{
	ROW_ASSERT(r, li->offset < FX_NUM_LINES, "%s: offset %u is not virtual", what,
		   li->offset);
	ROW_ASSERT(r, strncmp(li->consumer, FX_TENANT ":", strlen(FX_TENANT) + 1),
		   "%s: host label '%.32s' leaked", what, li->consumer);
}

/* The tenant sees virtual offsets and its own labels, never the host's. */
static int check_tenant_view(const struct cf_row *r)
{
	struct gpio_v2_line_info_changed chg[40];
	struct gpio_v2_line_info li;
	struct gpio_v2_line_event ev[8];
	uint32_t offs[] = { 4, 5, 7 };
	int chip = fx_open(), fd, n;

	for (uint32_t off = 0; off < FX_NUM_LINES; off++)
		ROW_ASSERT(r, cf_watch(chip, off, 2) == 0, "watch %u", off);
	fd = fx_request(chip, offs, 3, IN | BOTH, "mine");
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	for (uint32_t off = 0; off < FX_NUM_LINES; off++) {
		cf_info_of(r, chip, off, &li);
		assert_tenant_info(r, &li, "line info");
	}
	cf_info_of(r, chip, 5, &li);
	ROW_ASSERT(r, !strcmp(li.consumer, "mine"), "consumer '%.32s', want the tenant's own",
		   li.consumer);
	fx_toggle(4, 1);
	fx_toggle(5, 1);
	fx_toggle(7, 1);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no event");
	n = fx_read_events(fd, ev, 8);
	ROW_ASSERT(r, n == 3, "%d events", n);
	for (int i = 0; i < n; i++)
		ROW_ASSERT(r, ev[i].offset == offs[i], "event offset %u, want virtual %u",
			   ev[i].offset, offs[i]);
	fx_close(fd);
	n = fx_read_changed(chip, chg, 40);
	ROW_ASSERT(r, n == 6, "%d change records, want 6", n);
	for (int i = 0; i < n; i++)
		assert_tenant_info(r, &chg[i].info, "change record");
	return 0;
}

/*
 * The kernel claims and notifies line by line (cdev:1807-1849): a request
 * failing at line 1 has already REQUESTED line 0, and releases it again
 * (linereq_free, gpiolib.c:2438). A watcher of line 0 sees both.
 */
static int check_failed_request_events(const struct cf_row *r)
{
	struct gpio_v2_line_info_changed chg[4];
	uint32_t offs[] = { 0, 9 };
	int chip = fx_open(), n;

	ROW_ASSERT(r, cf_watch(chip, 0, 2) == 0, "watch");
	ROW_ASSERT(r, fx_request(fx_open(), offs, 2, IN, "x") == -EINVAL, "request did not fail");
	n = fx_read_changed(chip, chg, 4);
	ROW_ASSERT(r, n == 2, "%d change records, the kernel gives 2", n);
	ROW_ASSERT(r, chg[0].event_type == GPIO_V2_LINE_CHANGED_REQUESTED &&
			      chg[1].event_type == GPIO_V2_LINE_CHANGED_RELEASED,
		   "types %u %u, want REQUESTED then RELEASED", chg[0].event_type,
		   chg[1].event_type);
	/* while it was claimed the line was the tenant's, with its consumer */
	ROW_ASSERT(r, !strcmp(chg[0].info.consumer, "x"), "consumer '%s', the kernel gives 'x'",
		   chg[0].info.consumer);
	return 0;
}

static const struct cf_row info_rows[] = {
	/* Line info and watches (cdev:2533-2545, 2497-2507, 2567-2570). */
	{ "line info: non-zero padding", .act = act_lineinfo,
	  .li = { .offset = 0, .padding = { [3] = 1 } }, .expect = -EINVAL },
	{ "line info: offset 8", .act = act_lineinfo, .li = { .offset = 8 }, .expect = -EINVAL },
	{ "v1 line info: offset 8", .act = act_lineinfo_v1, .li = { .offset = 8 },
	  .expect = -EINVAL },
	{ "watch: non-zero padding", .act = act_watch_after,
	  .li = { .offset = 1, .padding = { 1 } }, .expect = -EINVAL },
	{ "watch: offset 8", .act = act_watch_after, .li = { .offset = 8 }, .expect = -EINVAL },
	{ "watch: twice", .act = act_watch_after, .first_abi = 2, .li = { .offset = 0 },
	  .expect = -EBUSY },
	{ "v1 watch: twice", .act = act_watch_after, .first_abi = 1, .abi = 1,
	  .li = { .offset = 0 }, .expect = -EBUSY },
	{ "watch: v2 after v1 on one fd", .act = act_watch_after, .first_abi = 1,
	  .li = { .offset = 1 }, .expect = -EPERM },
	{ "watch: v1 after v2 on one fd", .act = act_watch_after, .first_abi = 2, .abi = 1,
	  .li = { .offset = 1 }, .expect = -EPERM },
	{ "watch: padding checked before the ABI", .act = act_watch_after, .first_abi = 1,
	  .li = { .offset = 1, .padding = { 1 } }, .expect = -EINVAL },
	{ "watch: range checked before the ABI", .act = act_watch_after, .first_abi = 1,
	  .li = { .offset = 8 }, .expect = -EINVAL },
	{ "unwatch: a line not watched", .act = act_unwatch, .li = { .offset = 1 },
	  .expect = -EBUSY },
	{ "unwatch: offset 8", .act = act_unwatch, .li = { .offset = 8 }, .expect = -EINVAL },
	{ "chip read: nothing queued", .act = act_chip_read, .count = 288, .expect = -EAGAIN },
	{ "chip read: small buffer, nothing queued (queue checked first)", .act = act_chip_read,
	  .count = 10, .expect = -EAGAIN },
	{ "chip read: buffer smaller than a queued record", .act = act_chip_read, .mask = 1,
	  .count = 287, .expect = -EINVAL },

	/* Happy paths. */
	CHECK("line info: USED, one direction, consumer while requested, holes, names",
	      check_info_states),
	CHECK("line info: debounce attribute only while requested", check_info_debounce),
	CHECK("watch: REQUESTED, CONFIG, RELEASED with monotonic time, per fd",
	      check_watch_events),
	CHECK("watch: v1 records are 104 bytes", check_watch_v1),
	CHECK("watch: a queue of 32 drops the new record", check_watch_queue),
	CHECK("tenant view: virtual offsets and own labels only", check_tenant_view),
	CHECK("failed request: watchers see lines claimed before the failure come and go",
	      check_failed_request_events),
};

START_TEST(test_info_row)
{
	cf_run_row(&info_rows[_i]);
}
END_TEST

TCase *vgc_test_conformance_info_tcase(void)
{
	TCase *tc = tcase_create("info");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_info_row, 0, CF_NUM_ROWS(info_rows));
	return tc;
}
