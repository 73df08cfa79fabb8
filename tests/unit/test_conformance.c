// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One row per rule of shared/uapi-conformance.md, each checked against the
 * kernel's drivers/gpio/gpiolib-cdev.c (6.12; "cdev:N" below is a line of
 * that file). A row either expects an errno from one call, or runs a check
 * that asserts with the row's name. Failure rows come first.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fixture.h"
#include "suites.h"

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define AL GPIO_V2_LINE_FLAG_ACTIVE_LOW
#define RISE GPIO_V2_LINE_FLAG_EDGE_RISING
#define FALL GPIO_V2_LINE_FLAG_EDGE_FALLING
#define BOTH (RISE | FALL)
#define OD GPIO_V2_LINE_FLAG_OPEN_DRAIN
#define OS GPIO_V2_LINE_FLAG_OPEN_SOURCE
#define PU GPIO_V2_LINE_FLAG_BIAS_PULL_UP
#define PD GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN
#define BD GPIO_V2_LINE_FLAG_BIAS_DISABLED
#define RT GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME
#define HTE GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE
#define H_IN GPIOHANDLE_REQUEST_INPUT
#define H_OUT GPIOHANDLE_REQUEST_OUTPUT
#define H_OD GPIOHANDLE_REQUEST_OPEN_DRAIN
#define H_OS GPIOHANDLE_REQUEST_OPEN_SOURCE
#define H_PU GPIOHANDLE_REQUEST_BIAS_PULL_UP
#define H_PD GPIOHANDLE_REQUEST_BIAS_PULL_DOWN
#define H_BD GPIOHANDLE_REQUEST_BIAS_DISABLE

/* The ABI table of uapi-conformance.md, at compile time too. */
_Static_assert(sizeof(struct gpiochip_info) == 68, "gpiochip_info");
_Static_assert(sizeof(struct gpio_v2_line_info) == 256, "gpio_v2_line_info");
_Static_assert(sizeof(struct gpio_v2_line_info_changed) == 288, "gpio_v2_line_info_changed");
_Static_assert(sizeof(struct gpio_v2_line_request) == 592, "gpio_v2_line_request");
_Static_assert(sizeof(struct gpio_v2_line_config) == 272, "gpio_v2_line_config");
_Static_assert(sizeof(struct gpio_v2_line_values) == 16, "gpio_v2_line_values");
_Static_assert(sizeof(struct gpio_v2_line_event) == 48, "gpio_v2_line_event");
_Static_assert(sizeof(struct gpioline_info) == 72, "gpioline_info");
_Static_assert(sizeof(struct gpioline_info_changed) == 104, "gpioline_info_changed");
_Static_assert(sizeof(struct gpiohandle_request) == 364, "gpiohandle_request");
_Static_assert(sizeof(struct gpiohandle_config) == 84, "gpiohandle_config");
_Static_assert(sizeof(struct gpiohandle_data) == 64, "gpiohandle_data");
_Static_assert(sizeof(struct gpioevent_request) == 48, "gpioevent_request");
_Static_assert(sizeof(struct gpioevent_data) == 16, "gpioevent_data");

struct row {
	const char *name;
	/* runs first, e.g. another client holding a line */
	void (*setup)(void);
	int (*act)(const struct row *r);
	int expect;
	/* watch rows: the ABI of the first watch and of the call under test */
	int first_abi, abi;
	uint64_t mask;
	size_t count;
	union {
		struct gpio_v2_line_request lr;
		struct gpio_v2_line_config lc;
		struct gpiohandle_request hr;
		struct gpioevent_request er;
		struct gpio_v2_line_info li;
		struct gpiohandle_config hc;
		struct {
			size_t got, want;
		} size;
		unsigned int cmd;
	};
};

#define ROW_ASSERT(r, cond, fmt, ...) \
	ck_assert_msg((cond), "%s: " fmt, (r)->name, ##__VA_ARGS__)

/* ---- setups ---- */

/* Another client (a second open of the chip) holds virtual line 2. */
static void setup_hold_2(void)
{
	uint32_t off = 2;

	ck_assert_int_ge(fx_request(fx_open_as(getpid() + 1), &off, 1, IN, "other"), 0);
}

/* ---- actions expecting one errno ---- */

static int act_size(const struct row *r)
{
	ROW_ASSERT(r, r->size.got == r->size.want, "sizeof is %zu, the ABI says %zu",
		   r->size.got, r->size.want);
	return 0;
}

static int act_v2_request(const struct row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	int ret = fx_request_lr(fx_open(), &lr);

	return ret < 0 ? ret : 0;
}

static int act_v1_handle(const struct row *r)
{
	struct gpiohandle_request hr = r->hr;

	return fx_ioctl(fx_open(), GPIO_GET_LINEHANDLE_IOCTL, &hr);
}

static int act_v1_event(const struct row *r)
{
	struct gpioevent_request er = r->er;

	return fx_ioctl(fx_open(), GPIO_GET_LINEEVENT_IOCTL, &er);
}

static int act_chip_cmd(const struct row *r)
{
	unsigned char buf[1024] = { 0 };

	return fx_ioctl(fx_open(), r->cmd, buf);
}

/* Request of virtual lines 0 (input) and 1 (output). */
static int req_in_out(void)
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

static int act_req_cmd(const struct row *r)
{
	unsigned char buf[1024] = { 0 };

	return fx_ioctl(req_in_out(), r->cmd, buf);
}

static int act_set_config(const struct row *r)
{
	struct gpio_v2_line_config lc = r->lc;

	return fx_ioctl(req_in_out(), GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc);
}

static int act_get_values(const struct row *r)
{
	int64_t v = fx_get(req_in_out(), r->mask);

	return v < 0 ? (int)v : 0;
}

static int act_set_values(const struct row *r)
{
	return fx_set(req_in_out(), r->mask, r->mask);
}

static int act_req_read(const struct row *r)
{
	unsigned char buf[1024];

	return (int)fx_read(req_in_out(), buf, r->count);
}

/* A queued edge and a buffer of r->count bytes. */
static int act_req_read_queued(const struct row *r)
{
	unsigned char buf[1024];
	uint32_t off = 0;
	int fd = fx_request(fx_open(), &off, 1, IN | BOTH, "edges");

	ck_assert_int_ge(fd, 0);
	fx_pull(fx_host[0], 1);
	ROW_ASSERT(r, fx_wait_readable(fd, FX_TIMEOUT_MS), "no edge event");
	return (int)fx_read(fd, buf, r->count);
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

static int act_v1_handle_set_inputs(const struct row *r)
{
	struct gpiohandle_data hd = { .values = { 1, 1 } };

	(void)r;
	return fx_ioctl(v1_handle_fd(H_IN), GPIOHANDLE_SET_LINE_VALUES_IOCTL, &hd);
}

static int act_v1_handle_set_config(const struct row *r)
{
	struct gpiohandle_config hc = r->hc;

	return fx_ioctl(v1_handle_fd(H_IN), GPIOHANDLE_SET_CONFIG_IOCTL, &hc);
}

static int act_v1_handle_read(const struct row *r)
{
	unsigned char buf[64];

	(void)r;
	return (int)fx_read(v1_handle_fd(H_IN), buf, sizeof(buf));
}

static int act_v1_event_cmd(const struct row *r)
{
	unsigned char buf[1024] = { 0 };

	return fx_ioctl(v1_event_fd(0, 0), r->cmd, buf);
}

static int act_v1_event_read(const struct row *r)
{
	unsigned char buf[64];

	return (int)fx_read(v1_event_fd(0, 0), buf, r->count);
}

static int act_lineinfo(const struct row *r)
{
	struct gpio_v2_line_info li = r->li;

	return fx_ioctl(fx_open(), GPIO_V2_GET_LINEINFO_IOCTL, &li);
}

static int act_lineinfo_v1(const struct row *r)
{
	struct gpioline_info li = { .line_offset = r->li.offset };

	return fx_ioctl(fx_open(), GPIO_GET_LINEINFO_IOCTL, &li);
}

static int watch(int chipfd, uint32_t off, int abi)
{
	struct gpio_v2_line_info li = { .offset = off };
	struct gpioline_info li1 = { .line_offset = off };

	if (abi == 1)
		return fx_ioctl(chipfd, GPIO_GET_LINEINFO_WATCH_IOCTL, &li1);
	return fx_ioctl(chipfd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
}

static int unwatch(int chipfd, uint32_t off)
{
	return fx_ioctl(chipfd, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off);
}

/* A watch of line 0 with first_abi, then one with abi and r->li as argument. */
static int act_watch_after(const struct row *r)
{
	struct gpio_v2_line_info li = r->li;
	struct gpioline_info li1 = { .line_offset = r->li.offset };
	int fd = fx_open();

	if (r->first_abi)
		ck_assert_int_eq(watch(fd, 0, r->first_abi), 0);
	if (r->abi == 1)
		return fx_ioctl(fd, GPIO_GET_LINEINFO_WATCH_IOCTL, &li1);
	return fx_ioctl(fd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
}

static int act_unwatch(const struct row *r)
{
	int fd = fx_open();

	ck_assert_int_eq(watch(fd, 0, 2), 0);
	return unwatch(fd, r->li.offset);
}

static int act_chip_read(const struct row *r)
{
	unsigned char buf[1024];
	uint32_t off = 0;
	int fd = fx_open();

	/* r->mask: whether a change record is queued first */
	if (r->mask) {
		ck_assert_int_eq(watch(fd, 0, 2), 0);
		ck_assert_int_ge(fx_request(fx_open(), &off, 1, IN, "w"), 0);
	}
	return (int)fx_read(fd, buf, r->count);
}


/* ---- checks: each asserts with the row's name and returns 0 ---- */

static int check_chip_info(const struct row *r)
{
	struct gpiochip_info ci;
	int ret;

	memset(&ci, 0x5a, sizeof(ci));
	ret = fx_ioctl(fx_open(), GPIO_GET_CHIPINFO_IOCTL, &ci);
	ROW_ASSERT(r, ret == 0, "GPIO_GET_CHIPINFO_IOCTL returned %d, not exactly 0", ret);
	ROW_ASSERT(r, !strcmp(ci.name, FX_NAME), "name '%.32s'", ci.name);
	ROW_ASSERT(r, !strcmp(ci.label, FX_LABEL), "label '%.32s'", ci.label);
	ROW_ASSERT(r, ci.lines == FX_NUM_LINES, "lines %u, want the virtual count %d", ci.lines,
		   FX_NUM_LINES);
	return 0;
}

/* The core hands a new request back with fd -1 for the front end to fill. */
static int check_req_fd_placeholder(const struct row *r)
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

static void info_of(const struct row *r, int chipfd, uint32_t off, struct gpio_v2_line_info *li)
{
	int ret = fx_info(chipfd, off, li);

	ROW_ASSERT(r, ret == 0, "line info of %u: %d", off, ret);
	ROW_ASSERT(r, li->offset == off, "line info of %u says offset %u", off, li->offset);
}

/* Valid requests from the table succeed, and nothing past num_lines is validated. */
static int check_request_ok(const struct row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	int ret = fx_request_lr(fx_open(), &lr);

	ROW_ASSERT(r, ret >= 0, "request failed: %d (%s)", ret, strerror(-ret));
	return 0;
}

/* Output values: the attribute with the lowest index wins (cdev:1251). */
static int check_output_lowest(const struct row *r)
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
static int check_debounce_lowest(const struct row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	uint32_t want = r->lr.config.attrs[0].attr.debounce_period_us;
	struct gpio_v2_line_info li;
	int chip = fx_open();
	int ret = fx_request_lr(chip, &lr);

	ROW_ASSERT(r, ret >= 0, "request failed: %d", ret);
	info_of(r, chip, 0, &li);
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

/*
 * Event queue capacity: event_buffer_size (0: 16 per line, at most 1024)
 * rounded up to a power of two by kfifo_alloc (cdev:1800-1804, 1140;
 * lib/kfifo.c:32); when full the oldest goes (cdev:700). r->count is the
 * capacity expected, r->lr the request; edges come on its first line.
 */
static int check_queue_capacity(const struct row *r)
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

/* The consumer is cut to 31 characters; empty shows "?" (gpiolib.c:2346). */
static int check_consumer(const struct row *r)
{
	struct gpio_v2_line_request lr = r->lr;
	struct gpio_v2_line_info li;
	struct gpioline_info li1 = { .line_offset = 0 };
	int chip = fx_open();
	int ret = fx_request_lr(chip, &lr);
	char want[GPIO_MAX_NAME_SIZE];

	ROW_ASSERT(r, ret >= 0, "request failed: %d", ret);
	snprintf(want, sizeof(want), "%.31s", lr.consumer[0] ? lr.consumer : "?");
	info_of(r, chip, 0, &li);
	ROW_ASSERT(r, !strcmp(li.consumer, want), "consumer '%.32s', want '%s'", li.consumer, want);
	ROW_ASSERT(r, fx_ioctl(chip, GPIO_GET_LINEINFO_IOCTL, &li1) == 0, "v1 line info");
	ROW_ASSERT(r, !strcmp(li1.consumer, want), "v1 consumer '%.32s', want '%s'", li1.consumer,
		   want);
	return 0;
}

/* GET_VALUES on outputs is fine (cdev:1407); mask bits past num_lines are ignored. */
static int check_get_outputs(const struct row *r)
{
	struct gpio_v2_line_values lv = { .mask = 0x3 | (1ULL << 40) };
	int fd = req_in_out();

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
static int check_poll_read(const struct row *r)
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

/* A v1 handle has no poll: the VFS default mask (include/linux/poll.h:24). */
static int check_v1_handle_poll(const struct row *r)
{
	unsigned int want = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	unsigned int got = fx_poll(v1_handle_fd(H_IN));

	ROW_ASSERT(r, got == want, "poll %#x, want %#x", got, want);
	return 0;
}

/* v1 GET on outputs (cdev:217) and SET with values clamped to 0/1 (cdev:247). */
static int check_v1_handle_values(const struct row *r)
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

/*
 * Line info states: USED while requested (and for holes, with consumer
 * "unavailable"), exactly one of INPUT and OUTPUT always (cdev:2413-2416),
 * consumer only while requested (cdev:2386), the map's names.
 */
static int check_info_states(const struct row *r)
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
		info_of(r, chip, off, &li);
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
	info_of(r, chip, 4, &li);
	ROW_ASSERT(r, !strcmp(li.name, "LED"), "line 4 name '%.32s'", li.name);
	info_of(r, chip, 5, &li);
	ROW_ASSERT(r, !strcmp(li.name, "BTN"), "line 5 name '%.32s'", li.name);

	fd = fx_request_lr(chip, &lr);
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	for (unsigned int i = 0; i < 2; i++) {
		info_of(r, chip, offs[i], &li);
		ROW_ASSERT(r, li.flags & GPIO_V2_LINE_FLAG_USED, "requested line %u not USED", i);
		ROW_ASSERT(r, !strcmp(li.consumer, "me"), "consumer '%.32s'", li.consumer);
		ROW_ASSERT(r, (li.flags & (IN | OUT)) == (i ? OUT : IN), "line %u flags %#llx", i,
			   (unsigned long long)li.flags);
	}
	fx_close(fd);
	for (unsigned int i = 0; i < 2; i++) {
		info_of(r, chip, offs[i], &li);
		ROW_ASSERT(r, !(li.flags & GPIO_V2_LINE_FLAG_USED), "released line %u USED", i);
		ROW_ASSERT(r, li.consumer[0] == 0, "released line %u consumer '%.32s'", i,
			   li.consumer);
		ROW_ASSERT(r, !!(li.flags & IN) + !!(li.flags & OUT) == 1, "line %u flags %#llx", i,
			   (unsigned long long)li.flags);
	}
	return 0;
}

/* Debounce shows as an attribute only while a request holds it (cdev:608). */
static int check_info_debounce(const struct row *r)
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

	info_of(r, chip, 0, &li);
	ROW_ASSERT(r, li.num_attrs == 0, "%u attributes before the request", li.num_attrs);
	fd = fx_request_lr(chip, &lr);
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	info_of(r, chip, 0, &li);
	ROW_ASSERT(r, li.num_attrs == 1 && li.attrs[0].id == GPIO_V2_LINE_ATTR_ID_DEBOUNCE &&
			      li.attrs[0].debounce_period_us == 1500,
		   "attributes while requested: %u, id %u, period %u", li.num_attrs,
		   li.attrs[0].id, li.attrs[0].debounce_period_us);
	fx_close(fd);
	info_of(r, chip, 0, &li);
	ROW_ASSERT(r, li.num_attrs == 0, "%u attributes after the release", li.num_attrs);
	return 0;
}

/*
 * Change events: REQUESTED, CONFIG, RELEASED (cdev:1849, 1576, and the
 * free), monotonic timestamps (cdev:2637), 288-byte records, the new state
 * in each, and nothing for lines not watched or after unwatch.
 */
static int check_watch_events(const struct row *r)
{
	struct gpio_v2_line_info_changed chg[8];
	struct gpio_v2_line_config lc = { .flags = OUT };
	uint32_t types[] = { GPIO_V2_LINE_CHANGED_REQUESTED, GPIO_V2_LINE_CHANGED_CONFIG,
			     GPIO_V2_LINE_CHANGED_RELEASED };
	uint64_t t0 = fx_now_ns(CLOCK_MONOTONIC), t1;
	int chip = fx_open(), other = fx_open();
	uint32_t off = 3;
	int fd, n;

	ROW_ASSERT(r, watch(chip, 3, 2) == 0, "watch");
	ROW_ASSERT(r, watch(other, 2, 2) == 0, "watch of another line on another fd");
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
	ROW_ASSERT(r, unwatch(chip, 3) == 0, "unwatch");
	ROW_ASSERT(r, fx_request(fx_open(), &off, 1, IN, "again") >= 0, "request again");
	ROW_ASSERT(r, fx_read(chip, chg, sizeof(chg)) == -EAGAIN, "records after unwatch");
	return 0;
}

/*
 * v1 watch records are 104 bytes, and a read keeps going only while a v2
 * record (288) would still fit (cdev:2762): 208 bytes read one record.
 */
static int check_watch_v1(const struct row *r)
{
	struct gpioline_info_changed c1[3];
	uint32_t off = 2;
	int chip = fx_open(), fd;
	ssize_t n;

	ROW_ASSERT(r, watch(chip, 2, 1) == 0, "v1 watch");
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
static int check_watch_queue(const struct row *r)
{
	struct gpio_v2_line_info_changed chg[40];
	struct gpio_v2_line_config lc = { .flags = IN };
	uint32_t off = 1;
	int chip = fx_open(), fd, n;

	ROW_ASSERT(r, watch(chip, 1, 2) == 0, "watch");
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

/*
 * Edge events: seqno and line_seqno from 1, equal with one line, seqno per
 * request across lines (cdev:902-909); the offset is the chip's (virtual)
 * offset (cdev:910); monotonic timestamps by default (cdev:718).
 */
static int check_edge_numbers(const struct row *r)
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
static int check_edge_active_low(const struct row *r)
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
static int check_edge_realtime(const struct row *r)
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

/* v1 events: 16-byte records, a queue of 16 dropping the NEW event (cdev:1929, 2147). */
static int check_v1_events(const struct row *r)
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

/* SET_CONFIG leaves queued events alone (cdev:1528: no fifo reset). */
static int check_set_config_keeps(const struct row *r)
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
static int check_set_config_as_is(const struct row *r)
{
	struct gpio_v2_line_config lc = {
		.num_attrs = 1,
		.attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS, .flags = OUT }, .mask = 1 } },
	};
	struct gpio_v2_line_info_changed chg[4];
	struct gpio_v2_line_info li;
	int fd = req_in_out(), chip = fx_open(), n;

	ROW_ASSERT(r, watch(chip, 0, 2) == 0 && watch(chip, 1, 2) == 0, "watch");
	ROW_ASSERT(r, fx_set(fd, 2, 2) == 0, "SET_VALUES on line 1");
	ROW_ASSERT(r, fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc) == 0, "SET_CONFIG");
	n = fx_read_changed(chip, chg, 4);
	ROW_ASSERT(r, n == 1, "%d change records, want 1 (line 0 only)", n);
	ROW_ASSERT(r, chg[0].info.offset == 0 && chg[0].event_type == GPIO_V2_LINE_CHANGED_CONFIG,
		   "record for line %u type %u", chg[0].info.offset, chg[0].event_type);
	info_of(r, chip, 1, &li);
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
static int check_debounce_get(const struct row *r)
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

static void assert_tenant_info(const struct row *r, const struct gpio_v2_line_info *li,
			       const char *what)
{
	ROW_ASSERT(r, li->offset < FX_NUM_LINES, "%s: offset %u is not virtual", what,
		   li->offset);
	ROW_ASSERT(r, strncmp(li->consumer, FX_TENANT ":", strlen(FX_TENANT) + 1),
		   "%s: host label '%.32s' leaked", what, li->consumer);
}

/* The tenant sees virtual offsets and its own labels, never the host's. */
static int check_tenant_view(const struct row *r)
{
	struct gpio_v2_line_info_changed chg[40];
	struct gpio_v2_line_info li;
	struct gpio_v2_line_event ev[8];
	uint32_t offs[] = { 4, 5, 7 };
	int chip = fx_open(), fd, n;

	for (uint32_t off = 0; off < FX_NUM_LINES; off++)
		ROW_ASSERT(r, watch(chip, off, 2) == 0, "watch %u", off);
	fd = fx_request(chip, offs, 3, IN | BOTH, "mine");
	ROW_ASSERT(r, fd >= 0, "request: %d", fd);
	for (uint32_t off = 0; off < FX_NUM_LINES; off++) {
		info_of(r, chip, off, &li);
		assert_tenant_info(r, &li, "line info");
	}
	info_of(r, chip, 5, &li);
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
static int check_failed_request_events(const struct row *r)
{
	struct gpio_v2_line_info_changed chg[4];
	uint32_t offs[] = { 0, 9 };
	int chip = fx_open(), n;

	ROW_ASSERT(r, watch(chip, 0, 2) == 0, "watch");
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

/* lineevent_create never sets the line's edge flags: line info shows none */
static int check_v1_event_info_flags(const struct row *r)
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

#define SIZE(type, bytes) \
	{ .name = "ABI: sizeof(struct " #type ") is " #bytes, .act = act_size, \
	  .size = { sizeof(struct type), bytes } }
#define REQ(...) .act = act_v2_request, .lr = { __VA_ARGS__ }
#define ONE(off) .num_lines = 1, .offsets = { off }
#define ATTR_FLAGS(f, m) { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS, .flags = (f) }, .mask = (m) }
#define ATTR_VALUES(v, m) \
	{ .attr = { .id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, .values = (v) }, .mask = (m) }
#define ATTR_DEBOUNCE(us, m) \
	{ .attr = { .id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE, .debounce_period_us = (us) }, .mask = (m) }
#define HANDLE(...) .act = act_v1_handle, .hr = { __VA_ARGS__ }
#define EVENT(...) .act = act_v1_event, .er = { __VA_ARGS__ }
#define CHECK(nm, fn) { .name = nm, .act = fn }

static const struct row rows[] = {
	SIZE(gpiochip_info, 68),
	SIZE(gpio_v2_line_info, 256),
	SIZE(gpio_v2_line_info_changed, 288),
	SIZE(gpio_v2_line_request, 592),
	SIZE(gpio_v2_line_config, 272),
	SIZE(gpio_v2_line_values, 16),
	SIZE(gpio_v2_line_event, 48),
	SIZE(gpioline_info, 72),
	SIZE(gpioline_info_changed, 104),
	SIZE(gpiohandle_request, 364),
	SIZE(gpiohandle_config, 84),
	SIZE(gpiohandle_data, 64),
	SIZE(gpioevent_request, 48),
	SIZE(gpioevent_data, 16),

	/* Unknown commands: EINVAL, not ENOTTY (cdev:2613, 1601, 258, 2086). */
	{ "chip fd: unknown 0xB4 ioctl is EINVAL", .act = act_chip_cmd, .expect = -EINVAL,
	  .cmd = _IOWR(0xB4, 0x7f, struct gpiochip_info) },
	{ "chip fd: foreign ioctl (TCGETS) is EINVAL", .act = act_chip_cmd, .expect = -EINVAL,
	  .cmd = TCGETS },
	{ "chip fd: line-request ioctl is EINVAL", .act = act_chip_cmd, .expect = -EINVAL,
	  .cmd = GPIO_V2_LINE_GET_VALUES_IOCTL },
	{ "request fd: unknown ioctl is EINVAL", .act = act_req_cmd, .expect = -EINVAL,
	  .cmd = _IOWR(0xB4, 0x7f, struct gpio_v2_line_values) },
	{ "request fd: chip ioctl is EINVAL", .act = act_req_cmd, .expect = -EINVAL,
	  .cmd = GPIO_GET_CHIPINFO_IOCTL },
	{ "request fd: v1 handle ioctl is EINVAL", .act = act_req_cmd, .expect = -EINVAL,
	  .cmd = GPIOHANDLE_GET_LINE_VALUES_IOCTL },

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
	{ "v2 request: line already requested", .setup = setup_hold_2, REQ(ONE(2)),
	  .expect = -EBUSY },
	{ "v2 request: same offset twice", REQ(.num_lines = 2, .offsets = { 1, 1 }),
	  .expect = -EBUSY },
	{ "v2 request: a hole is busy", REQ(ONE(FX_HOLE)), .expect = -EBUSY },
	{ "v2 request: a bad flag before a busy line", .setup = setup_hold_2,
	  REQ(ONE(2), .config.flags = IN | OUT), .expect = -EINVAL },
	{ "v2 request: HTE before a bad offset", REQ(ONE(9), .config.flags = IN | HTE),
	  .expect = -EOPNOTSUPP },
	{ "v2 request: busy line at index 0 before bad offset at 1", .setup = setup_hold_2,
	  REQ(.num_lines = 2, .offsets = { 2, 9 }), .expect = -EBUSY },
	{ "v2 request: bad offset at index 0 before busy line at 1", .setup = setup_hold_2,
	  REQ(.num_lines = 2, .offsets = { 9, 2 }), .expect = -EINVAL },
	{ "v2 request: hole at index 0 before bad offset at 1",
	  REQ(.num_lines = 2, .offsets = { FX_HOLE, 9 }), .expect = -EBUSY },
	/* kfifo_alloc() rounds 1 to 1 and refuses sizes below 2 (lib/kfifo.c:38, cdev:1157) */
	{ "v2 request: event_buffer_size 1 with edges", REQ(ONE(0), .event_buffer_size = 1,
							   .config.flags = IN | RISE),
	  .expect = -EINVAL },

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
	{ "v1 handle: line already requested", .setup = setup_hold_2,
	  HANDLE(.lines = 1, .lineoffsets = { 2 }, .flags = H_IN), .expect = -EBUSY },
	{ "v1 handle: bad flags before a busy line", .setup = setup_hold_2,
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
	{ "v1 event: line already requested", .setup = setup_hold_2, EVENT(.lineoffset = 2),
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
	{ "v1 event: OUTPUT flag on a busy line", .setup = setup_hold_2,
	  EVENT(.lineoffset = 2, .handleflags = H_OUT), .expect = -EINVAL },
	{ "v1 event fd: SET_LINE_VALUES", .act = act_v1_event_cmd,
	  .cmd = GPIOHANDLE_SET_LINE_VALUES_IOCTL, .expect = -EINVAL },
	{ "v1 event fd: SET_CONFIG", .act = act_v1_event_cmd, .cmd = GPIOHANDLE_SET_CONFIG_IOCTL,
	  .expect = -EINVAL },
	{ "v1 event fd: read smaller than a record", .act = act_v1_event_read, .count = 15,
	  .expect = -EINVAL },
	{ "v1 event fd: empty queue", .act = act_v1_event_read, .count = 16, .expect = -EAGAIN },

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
	CHECK("ioctl: success is exactly 0; chip info is the tenant's chip", check_chip_info),
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
	{ "event_buffer_size 0 means 16 per line", .act = check_queue_capacity, .count = 16,
	  .lr = { ONE(0), .config.flags = IN | BOTH } },
	{ "event_buffer_size 0 with 3 lines: 48 rounded up to 64", .act = check_queue_capacity,
	  .count = 64, .lr = { .num_lines = 3, .offsets = { 0, 1, 2 }, .config.flags = IN | BOTH } },
	{ "event_buffer_size 5 rounded up to 8", .act = check_queue_capacity, .count = 8,
	  .lr = { ONE(0), .event_buffer_size = 5, .config.flags = IN | BOTH } },
	{ "event_buffer_size 2000 capped at 64 * 16", .act = check_queue_capacity, .count = 1024,
	  .lr = { ONE(0), .event_buffer_size = 2000, .config.flags = IN | BOTH } },
	{ "consumer: cut to 31 characters", .act = check_consumer,
	  .lr = { ONE(0), .consumer = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k',
					'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
					'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5' } } },
	{ "consumer: empty shows '?'", .act = check_consumer, .lr = { ONE(0) } },
	{ "consumer: as given", .act = check_consumer, .lr = { ONE(0), .consumer = "gpioset" } },
	CHECK("GET_VALUES: outputs readable, mask bits past num_lines ignored", check_get_outputs),
	CHECK("poll/read: POLLIN only while queued, whole events per read", check_poll_read),
	CHECK("v1 handle: poll is the VFS default mask", check_v1_handle_poll),
	CHECK("v1 handle: GET on outputs, SET clamps to 0/1", check_v1_handle_values),
	CHECK("line info: USED, one direction, consumer while requested, holes, names",
	      check_info_states),
	CHECK("line info: debounce attribute only while requested", check_info_debounce),
	CHECK("watch: REQUESTED, CONFIG, RELEASED with monotonic time, per fd",
	      check_watch_events),
	CHECK("watch: v1 records are 104 bytes", check_watch_v1),
	CHECK("watch: a queue of 32 drops the new record", check_watch_queue),
	CHECK("edges: seqnos from 1, virtual offsets, monotonic clock", check_edge_numbers),
	CHECK("edges: logical under active-low", check_edge_active_low),
	CHECK("edges: REALTIME clock", check_edge_realtime),
	CHECK("v1 events: 16-byte records, a queue of 16 dropping the new", check_v1_events),
	CHECK("SET_CONFIG: queued events are kept", check_set_config_keeps),
	CHECK("SET_CONFIG: a line without direction is left as is", check_set_config_as_is),
	CHECK("debounce: GET_VALUES returns the debounced level", check_debounce_get),
	CHECK("tenant view: virtual offsets and own labels only", check_tenant_view),
	CHECK("failed request: watchers see lines claimed before the failure come and go",
	      check_failed_request_events),
	CHECK("v1 event request: line info shows no edge flags", check_v1_event_info_flags),
};

#define NUM_ROWS ((int)(sizeof(rows) / sizeof(rows[0])))

START_TEST(test_row)
{
	const struct row *r = &rows[_i];
	int ret;

	if (r->setup)
		r->setup();
	ret = r->act(r);
	ck_assert_msg(ret == r->expect, "%s: returned %d (%s), the kernel gives %d (%s)", r->name,
		      ret, ret < 0 ? strerror(-ret) : "ok", r->expect,
		      r->expect < 0 ? strerror(-r->expect) : "ok");
}
END_TEST

Suite *vgc_test_conformance_suite(void)
{
	Suite *s = suite_create("conformance");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_row, 0, NUM_ROWS);
	suite_add_tcase(s, tc);
	return s;
}
