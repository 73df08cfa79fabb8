// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript: a fixed list of GPIO chardev operations and bad inputs, run
 * against one chip and printed as a normalised transcript, one line per step.
 * Two chips that behave alike print the same text, so the kernel's own chardev
 * (on a gpio-sim chip) and vgpiochip can be compared with diff.
 *
 *   vgc-transcript CHIP (--sim-dir DIR | --pull-cmd 'CMD %u %d') [--gone-cmd CMD]
 *
 * --sim-dir DIR   gpio-sim's sysfs chip directory: DIR/sim_gpioN/pull is written
 * --pull-cmd T    shell command run to drive a line: %u is the offset, %d 0 or 1
 * --gone-cmd C    shell command that removes the chip; the "gone" steps run last
 *
 * The chip needs 8 lines: 0 and 1 edges, 2 outputs, 3 bias (never driven from
 * outside), 4 debounce, 5 v1 events and watches, 6 and 7 validation; 7 is also
 * the sentinel that says a burst of pulls has been taken in.
 * Exit status: 0 when the transcript ran to the end, 2 on a harness error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/gpio.h>

#define NLINES 8
#define L_EDGE 0
#define L_EDGE2 1
#define L_OUT 2
#define L_BIAS 3
#define L_DEB 4
#define L_V1 5
#define L_VAL 6
#define L_SENT 7
#define EV_SIZE sizeof(struct gpio_v2_line_event)
#define WAIT_MS 5000
#define DEBOUNCE_US 400000

_Static_assert(sizeof(struct gpio_v2_line_request) == 592, "v2 request size");
_Static_assert(sizeof(struct gpio_v2_line_info_changed) == 288, "v2 changed size");
_Static_assert(sizeof(struct gpioline_info_changed) == 104, "v1 changed size");
_Static_assert(sizeof(struct gpioevent_data) == 16, "v1 event size");

static const char *tr_sim_dir, *tr_pull_cmd;
static int tr_level[NLINES];
static int tr_chip;

/* Harness errors go into the transcript too, so that a diff shows where it stopped. */
static void die(const char *what)
{
	printf("HARNESS: %s: %s\n", what, strerror(errno));
	fprintf(stderr, "vgc-transcript: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void run(const char *cmd)
{
	char quiet[1100];

	/* the command's own output would end up in the transcript */
	snprintf(quiet, sizeof(quiet), "(%s) >/dev/null", cmd);
	fflush(stdout);
	if (system(quiet) != 0) {
		errno = EIO;
		die(cmd);
	}
}

static void watchdog(int sig)
{
	static const char msg[] = "HARNESS: timed out\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

static void out(const char *step, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static const char *errname(int ret)
{
	static char buf[32];

	switch (-ret) {
	case 0: return "ok";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case EAGAIN: return "EAGAIN";
	case ENODEV: return "ENODEV";
	case ENXIO: return "ENXIO";
	case ENOTTY: return "ENOTTY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EFAULT: return "EFAULT";
	case EIO: return "EIO";
	case ENOTCONN: return "ENOTCONN";
	case EBADE: return "EBADE";
	}
	if (ret > 0)
		snprintf(buf, sizeof(buf), "positive %d", ret);
	else
		snprintf(buf, sizeof(buf), "errno %d", -ret);
	return buf;
}

/* 0, a positive return (itself a bug: libgpiod calls it EBADE), or -errno */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Timestamps differ from run to run: print only which clock they fit. A
 * stamp is taken at most a few seconds before it is read (TCG is slow).
 */
static const char *clock_of(uint64_t ts)
{
	int64_t m = now_ns(CLOCK_MONOTONIC) - (int64_t)ts;
	int64_t r = now_ns(CLOCK_REALTIME) - (int64_t)ts;

	if (m >= 0 && m < 30000000000LL)
		return "monotonic";
	if (r >= 0 && r < 30000000000LL)
		return "realtime";
	return "implausible";
}

static const char *const tr_v2_flag_names[] = {
	"USED", "ACTIVE_LOW", "INPUT", "OUTPUT", "EDGE_RISING", "EDGE_FALLING",
	"OPEN_DRAIN", "OPEN_SOURCE", "BIAS_PULL_UP", "BIAS_PULL_DOWN",
	"BIAS_DISABLED", "EVENT_CLOCK_REALTIME", "EVENT_CLOCK_HTE",
};
static const char *const tr_v1_flag_names[] = {
	"KERNEL", "IS_OUT", "ACTIVE_LOW", "OPEN_DRAIN", "OPEN_SOURCE",
	"BIAS_PULL_UP", "BIAS_PULL_DOWN", "BIAS_DISABLE",
};

static const char *flag_str(uint64_t flags, const char *const *names, unsigned int n)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < 64; i++) {
		if (!(flags & (1ULL << i)))
			continue;
		if (i < n)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", names[i]);
		else
			len += snprintf(buf + len, sizeof(buf) - len, "%sbit%u", len ? "|" : "", i);
	}
	return len ? buf : "none";
}
#define V2FLAGS(f) flag_str(f, tr_v2_flag_names, 13)
#define V1FLAGS(f) flag_str(f, tr_v1_flag_names, 8)

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

static const char *info_str(const struct gpio_v2_line_info *li)
{
	static char buf[512];
	size_t len;

	len = snprintf(buf, sizeof(buf), "offset=%u name='%.32s' consumer='%.32s' flags=%s",
		       li->offset, li->name, li->consumer, V2FLAGS(li->flags));
	for (unsigned int i = 0; i < li->num_attrs && i < GPIO_V2_LINE_NUM_ATTRS_MAX; i++) {
		const struct gpio_v2_line_attribute *a = &li->attrs[i];

		if (a->id == GPIO_V2_LINE_ATTR_ID_DEBOUNCE)
			len += snprintf(buf + len, sizeof(buf) - len, " debounce=%u", a->debounce_period_us);
		else
			len += snprintf(buf + len, sizeof(buf) - len, " attr%u=%llx", a->id,
					(unsigned long long)a->flags);
	}
	if (li->num_attrs > GPIO_V2_LINE_NUM_ATTRS_MAX)
		len += snprintf(buf + len, sizeof(buf) - len, " num_attrs=%u", li->num_attrs);
	if (!all_zero(li->padding, sizeof(li->padding)))
		snprintf(buf + len, sizeof(buf) - len, " PADDING-DIRTY");
	return buf;
}

static const char *v1info_str(const struct gpioline_info *li)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "offset=%u name='%.32s' consumer='%.32s' flags=%s",
		 li->line_offset, li->name, li->consumer, V1FLAGS(li->flags));
	return buf;
}

/* ---- driving lines from outside ---- */

static void pull(unsigned int line, int level)
{
	char path[512], cmd[1024];
	int fd;

	if (tr_sim_dir) {
		snprintf(path, sizeof(path), "%s/sim_gpio%u/pull", tr_sim_dir, line);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
		if (dprintf(fd, "%s", level ? "pull-up" : "pull-down") < 0)
			die(path);
		close(fd);
	} else {
		size_t n = 0;

		for (const char *p = tr_pull_cmd; *p && n < sizeof(cmd) - 16; p++) {
			if (p[0] == '%' && p[1] == 'u')
				n += snprintf(cmd + n, sizeof(cmd) - n, "%u", line), p++;
			else if (p[0] == '%' && p[1] == 'd')
				n += snprintf(cmd + n, sizeof(cmd) - n, "%d", level), p++;
			else
				cmd[n++] = *p;
		}
		cmd[n] = '\0';
		run(cmd);
	}
	tr_level[line] = level;
}

static short wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) < 0)
		die("poll");
	return p.revents;
}

static const char *revents_str(short r)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s%s%s%s", r ? "" : "none", r & POLLIN ? "IN " : "",
		 r & POLLOUT ? "OUT " : "", r & POLLHUP ? "HUP " : "", r & POLLERR ? "ERR " : "");
	return buf;
}

/* ---- v2 requests ---- */

static void rq_init(struct gpio_v2_line_request *r, const char *consumer, uint64_t flags,
		    unsigned int n, ...)
{
	va_list ap;

	memset(r, 0, sizeof(*r));
	snprintf(r->consumer, sizeof(r->consumer), "%s", consumer);
	r->config.flags = flags;
	r->num_lines = n;
	va_start(ap, n);
	for (unsigned int i = 0; i < n && i < GPIO_V2_LINES_MAX; i++)
		r->offsets[i] = va_arg(ap, unsigned int);
	va_end(ap);
}

static void cfg_attr(struct gpio_v2_line_config *c, uint32_t id, uint64_t mask, uint64_t val)
{
	struct gpio_v2_line_config_attribute *a = &c->attrs[c->num_attrs++];

	a->mask = mask;
	a->attr.id = id;
	if (id == GPIO_V2_LINE_ATTR_ID_DEBOUNCE)
		a->attr.debounce_period_us = (uint32_t)val;
	else
		a->attr.flags = val; /* flags and values share the union */
}

/* Runs the request; prints the step; returns the fd or -1. */
static int rq_step(const char *step, struct gpio_v2_line_request *r)
{
	int ret = xioctl(tr_chip, GPIO_V2_GET_LINE_IOCTL, r);

	if (ret)
		r->fd = -1;
	out(step, "%s", errname(ret));
	return ret ? -1 : r->fd;
}

static int rq_open(const char *consumer, uint64_t flags, unsigned int line)
{
	struct gpio_v2_line_request r;

	rq_init(&r, consumer, flags, 1, line);
	if (xioctl(tr_chip, GPIO_V2_GET_LINE_IOCTL, &r))
		die(consumer);
	return r.fd;
}

static void info_step(const char *step, int chip, unsigned int line)
{
	struct gpio_v2_line_info li;
	int ret;

	memset(&li, 0, sizeof(li));
	li.offset = line;
	ret = xioctl(chip, GPIO_V2_GET_LINEINFO_IOCTL, &li);
	if (ret)
		out(step, "%s", errname(ret));
	else
		out(step, "ok %s", info_str(&li));
}

static void values_step(const char *step, int fd, unsigned long cmd, uint64_t mask, uint64_t bits)
{
	struct gpio_v2_line_values v = { .mask = mask, .bits = bits };
	int ret = xioctl(fd, cmd, &v);

	if (ret || cmd != GPIO_V2_LINE_GET_VALUES_IOCTL)
		out(step, "%s", errname(ret));
	else
		out(step, "ok mask=%llx bits=%llx", (unsigned long long)v.mask,
		    (unsigned long long)v.bits);
}

static void config_step(const char *step, int fd, struct gpio_v2_line_config *c)
{
	out(step, "%s", errname(xioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, c)));
}

/* Waits for events, reads once with room for max of them, prints what came. */
static void events_step(const char *step, int fd, unsigned int max)
{
	struct gpio_v2_line_event ev[64];
	ssize_t n;

	if (!(wait_fd(fd, WAIT_MS) & POLLIN)) {
		out(step, "no event within %d ms", WAIT_MS);
		return;
	}
	n = read(fd, ev, max * EV_SIZE);
	if (n < 0) {
		out(step, "read %s", errname(-errno));
		return;
	}
	out(step, "read %zd bytes", n);
	for (ssize_t i = 0; i < n / (ssize_t)EV_SIZE; i++)
		printf("  event id=%s offset=%u seqno=%u line_seqno=%u clock=%s%s\n",
		       ev[i].id == GPIO_V2_LINE_EVENT_RISING_EDGE ? "RISING" :
		       ev[i].id == GPIO_V2_LINE_EVENT_FALLING_EDGE ? "FALLING" : "?",
		       ev[i].offset, ev[i].seqno, ev[i].line_seqno, clock_of(ev[i].timestamp_ns),
		       all_zero(ev[i].padding, sizeof(ev[i].padding)) ? "" : " PADDING-DIRTY");
	fflush(stdout);
}

/* Pulls line, then waits for an event on fd and prints it. */
static void edge_step(const char *step, int fd, unsigned int line, int level)
{
	pull(line, level);
	if (!(wait_fd(fd, WAIT_MS) & POLLIN)) {
		out(step, "no event within %d ms", WAIT_MS);
		return;
	}
	events_step(step, fd, 4);
}

/* An event fd with nothing queued: a short poll that finds nothing. */
static void no_event_step(const char *step, int fd)
{
	out(step, "poll %s", revents_str(wait_fd(fd, 200)));
}

/*
 * Toggles line n times, then the sentinel line once, and waits for the
 * sentinel's event: the chip has then taken in every earlier pull (vgpiochip's
 * host backend sees them asynchronously), so a read sees the final queue.
 */
static void burst(unsigned int line, int n)
{
	int sent = rq_open("sentinel", GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
			   GPIO_V2_LINE_FLAG_EDGE_FALLING, L_SENT);

	for (int i = 0; i < n; i++)
		pull(line, !tr_level[line]);
	pull(L_SENT, !tr_level[L_SENT]);
	if (!(wait_fd(sent, WAIT_MS) & POLLIN))
		out("burst", "sentinel event missing");
	close(sent);
}

/* ---- the transcript ---- */

static void chip_steps(void)
{
	struct gpiochip_info ci;
	struct gpio_v2_line_info li;
	struct gpioline_info l1;
	char name[32];
	int ret, arg = 0;

	memset(&ci, 0, sizeof(ci));
	ret = xioctl(tr_chip, GPIO_GET_CHIPINFO_IOCTL, &ci);
	/* name and label are the chip's own (gpiochipN, gpio-sim's label, the tenant name) */
	out("chipinfo", "%s name=%s label=%s lines=%u", errname(ret), ci.name[0] ? "present" : "empty",
	    ci.label[0] ? "present" : "empty", ci.lines);
	out("chip.ioctl_unknown_nr", "%s", errname(xioctl(tr_chip, _IOWR(0xB4, 0x7f, int), &arg)));
	out("chip.ioctl_tcgets", "%s", errname(xioctl(tr_chip, TCGETS, &arg)));
	for (unsigned int i = 0; i < NLINES; i++) {
		snprintf(name, sizeof(name), "lineinfo.%u", i);
		info_step(name, tr_chip, i);
	}
	info_step("lineinfo.offset_8", tr_chip, NLINES);
	memset(&li, 0, sizeof(li));
	li.padding[1] = 1;
	out("lineinfo.padding", "%s", errname(xioctl(tr_chip, GPIO_V2_GET_LINEINFO_IOCTL, &li)));
	for (unsigned int i = 0; i < NLINES; i++) {
		memset(&l1, 0, sizeof(l1));
		l1.line_offset = i;
		ret = xioctl(tr_chip, GPIO_GET_LINEINFO_IOCTL, &l1);
		snprintf(name, sizeof(name), "v1.lineinfo.%u", i);
		out(name, "%s %s", errname(ret), ret ? "" : v1info_str(&l1));
	}
	memset(&l1, 0, sizeof(l1));
	l1.line_offset = NLINES;
	out("v1.lineinfo.offset_8", "%s", errname(xioctl(tr_chip, GPIO_GET_LINEINFO_IOCTL, &l1)));
}

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define BOTH (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
#define HTE GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE

/* One bad request: flags for every line, with an optional tweak. */
struct tr_bad {
	const char *step;
	uint64_t flags;
	int tweak;
};
enum { T_NONE, T_N0, T_N65, T_PAD, T_NATTR11, T_CPAD, T_APAD, T_UNUSED_ATTR, T_DEB, T_OFF8,
       T_SAME, T_HTE_LINE1, T_BAD_LINE1 };

static const struct tr_bad tr_bad_requests[] = {
	{ "validate.1.num_lines_0", IN, T_N0 },
	{ "validate.1.num_lines_65", IN, T_N65 },
	{ "validate.2.request_padding", IN, T_PAD },
	{ "validate.3.num_attrs_11", IN, T_NATTR11 },
	{ "validate.4.config_padding", IN, T_CPAD },
	{ "validate.4.attr_padding", IN, T_APAD },
	{ "validate.4.unused_attr_nonzero", IN, T_UNUSED_ATTR },
	{ "validate.5.unknown_flag_bit13", IN | (1ULL << 13), T_NONE },
	{ "validate.5.used_flag", IN | GPIO_V2_LINE_FLAG_USED, T_NONE },
	{ "validate.5.input_output", IN | OUT, T_NONE },
	{ "validate.5.edge_without_direction", GPIO_V2_LINE_FLAG_EDGE_RISING, T_NONE },
	{ "validate.5.edge_on_output", OUT | GPIO_V2_LINE_FLAG_EDGE_FALLING, T_NONE },
	{ "validate.5.drain_and_source", OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN |
	  GPIO_V2_LINE_FLAG_OPEN_SOURCE, T_NONE },
	{ "validate.5.drain_on_input", IN | GPIO_V2_LINE_FLAG_OPEN_DRAIN, T_NONE },
	{ "validate.5.source_no_direction", GPIO_V2_LINE_FLAG_OPEN_SOURCE, T_NONE },
	{ "validate.5.bias_no_direction", GPIO_V2_LINE_FLAG_BIAS_PULL_UP, T_NONE },
	{ "validate.5.pull_up_and_down", IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP |
	  GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, T_NONE },
	{ "validate.5.disabled_and_pull_up", OUT | GPIO_V2_LINE_FLAG_BIAS_DISABLED |
	  GPIO_V2_LINE_FLAG_BIAS_PULL_UP, T_NONE },
	{ "validate.5.debounce_on_output", OUT, T_DEB },
	{ "validate.5.debounce_no_direction", 0, T_DEB },
	{ "validate.5.hte", IN | HTE, T_NONE },
	{ "validate.5.realtime_and_hte", IN | HTE | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME, T_NONE },
	{ "validate.6.offset_8", IN, T_OFF8 },
	{ "validate.6.same_offset_twice", IN, T_SAME },
	/* combined: which rule the kernel checks first */
	{ "order.num_lines_0+hte", IN | HTE, T_N0 },
	{ "order.padding+hte", IN | HTE, T_PAD },
	{ "order.num_attrs_11+hte", IN | HTE, T_NATTR11 },
	{ "order.attr_padding+hte", IN | HTE, T_APAD },
	{ "order.hte+input_output", IN | OUT | HTE, T_NONE },
	{ "order.hte+unknown_flag", IN | HTE | (1ULL << 20), T_NONE },
	{ "order.hte+edge_on_output", OUT | HTE | GPIO_V2_LINE_FLAG_EDGE_RISING, T_NONE },
	{ "order.hte+offset_8", IN | HTE, T_OFF8 },
	{ "order.hte+same_offset_twice", IN | HTE, T_SAME },
	{ "order.line0_bad+line1_hte", IN | OUT, T_HTE_LINE1 },
	{ "order.line0_hte+line1_bad", IN | HTE, T_BAD_LINE1 },
	{ "order.debounce_on_output+hte", OUT | HTE, T_DEB },
};

static void validation_steps(void)
{
	struct gpio_v2_line_request r;
	int busy, fd;

	for (size_t i = 0; i < sizeof(tr_bad_requests) / sizeof(tr_bad_requests[0]); i++) {
		const struct tr_bad *b = &tr_bad_requests[i];

		rq_init(&r, "bad", b->flags, 1, L_VAL);
		switch (b->tweak) {
		case T_N0: r.num_lines = 0; break;
		case T_N65: r.num_lines = 65; break;
		case T_PAD: r.padding[4] = 1; break;
		case T_NATTR11: r.config.num_attrs = 11; break;
		case T_CPAD: r.config.padding[0] = 1; break;
		case T_APAD:
			cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1, 0);
			r.config.attrs[0].attr.padding = 1;
			break;
		case T_UNUSED_ATTR: r.config.attrs[3].mask = 1; break;
		case T_DEB: cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 1, 10); break;
		case T_OFF8: r.offsets[0] = NLINES; break;
		case T_SAME: r.num_lines = 2; r.offsets[1] = L_VAL; break;
		case T_HTE_LINE1:
			r.num_lines = 2; r.offsets[1] = L_SENT;
			cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 2, IN | HTE);
			break;
		case T_BAD_LINE1:
			r.num_lines = 2; r.offsets[1] = L_SENT;
			cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 2, IN | OUT);
			break;
		}
		fd = rq_step(b->step, &r);
		if (fd >= 0)
			close(fd);
	}

	/* busy lines: the offset loop runs in order, after validation */
	busy = rq_open("holder", IN, L_SENT);
	rq_init(&r, "bad", IN, 2, L_SENT, NLINES);
	rq_step("order.busy_then_offset_8", &r);
	rq_init(&r, "bad", IN, 2, NLINES, L_SENT);
	rq_step("order.offset_8_then_busy", &r);
	rq_init(&r, "bad", IN | OUT, 1, L_SENT);
	rq_step("order.busy+input_output", &r);
	rq_init(&r, "bad", IN | HTE, 1, L_SENT);
	rq_step("order.busy+hte", &r);
	rq_init(&r, "bad", IN, 1, L_SENT);
	rq_step("validate.6.busy", &r);
	close(busy);

	/* the attribute with the lowest index wins */
	rq_init(&r, "lowest", IN, 1, L_VAL);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 1, OUT);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 1, IN | OUT);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1, 1);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1, 0);
	fd = rq_step("attrs.lowest_flags_and_value_win", &r);
	info_step("attrs.lowest.info", tr_chip, L_VAL);
	values_step("attrs.lowest.get", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	close(fd);
	rq_init(&r, "lowest", IN, 1, L_VAL);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 1, IN | OUT);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 1, OUT);
	rq_step("attrs.lowest_bad_flags_win", &r);
	rq_init(&r, "lowest", IN, 1, L_VAL);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 1, 5000);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 1, 7000);
	fd = rq_step("attrs.lowest_debounce_wins", &r);
	info_step("attrs.lowest_debounce.info", tr_chip, L_VAL);
	close(fd);
	info_step("attrs.released.info", tr_chip, L_VAL);
	/* an attribute whose mask names no requested line is ignored */
	rq_init(&r, "mask", IN, 1, L_VAL);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 2, IN | OUT);
	fd = rq_step("attrs.mask_beyond_num_lines", &r);
	close(fd);

	/* event_buffer_size: 1 cannot hold edges, a kfifo needs 2 */
	rq_init(&r, "ebs", IN | BOTH, 1, L_VAL);
	r.event_buffer_size = 1;
	rq_step("ebs.1_with_edges", &r);
	rq_init(&r, "ebs", IN, 1, L_VAL);
	r.event_buffer_size = 1;
	fd = rq_step("ebs.1_without_edges", &r);
	if (fd >= 0) {
		struct gpio_v2_line_config c = { .flags = IN | BOTH };

		config_step("ebs.1.set_config_edges", fd, &c);
		close(fd);
	}
	rq_init(&r, "ebs", IN | BOTH, 1, L_VAL);
	r.event_buffer_size = 100000;
	fd = rq_step("ebs.huge", &r);
	close(fd);

	/* consumer labels: 31 characters kept; an empty one */
	rq_init(&r, "", IN, 1, L_VAL);
	memset(r.consumer, 'c', sizeof(r.consumer));
	fd = rq_step("consumer.32_chars", &r);
	info_step("consumer.32_chars.info", tr_chip, L_VAL);
	close(fd);
	rq_init(&r, "", IN, 1, L_VAL);
	fd = rq_step("consumer.empty", &r);
	info_step("consumer.empty.info", tr_chip, L_VAL);
	if (fd >= 0) {
		int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);

		/* O_LARGEFILE depends on how the fd was opened, not on the chip */
		out("request_fd.flags", "accmode=%s nonblock=%d cloexec=%d",
		    (fl & O_ACCMODE) == O_RDONLY ? "rdonly" : "other", !!(fl & O_NONBLOCK),
		    !!(fdfl & FD_CLOEXEC));
		close(fd);
	}
}

static void value_steps(void)
{
	struct gpio_v2_line_request r;
	struct gpio_v2_line_config c;
	int fd, arg = 0;

	rq_init(&r, "out", OUT, 1, L_OUT);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1, 1);
	fd = rq_step("values.request_output_1", &r);
	info_step("values.output.info", tr_chip, L_OUT);
	values_step("values.get", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	values_step("values.get_mask_0", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 0, 0);
	values_step("values.get_mask_beyond_lines", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 6, 0);
	values_step("values.get_mask_3", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 3, 3);
	values_step("values.set_mask_0", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 0, 1);
	values_step("values.set_0", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 1, 0);
	values_step("values.get_after_set_0", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	values_step("values.set_mask_beyond_lines", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 2, 2);
	values_step("values.set_extra_bits", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 1, ~0ULL);
	values_step("values.get_after_extra_bits", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	out("values.ioctl_unknown", "%s", errname(xioctl(fd, _IOWR(0xB4, 0x7f, int), &arg)));
	out("values.ioctl_v1_get_on_v2", "%s", errname(xioctl(fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &arg)));
	/* active-low output: values are logical */
	memset(&c, 0, sizeof(c));
	c.flags = OUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW;
	cfg_attr(&c, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1, 1);
	config_step("values.set_config_active_low", fd, &c);
	values_step("values.active_low.get", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	info_step("values.active_low.info", tr_chip, L_OUT);
	close(fd);

	/* an input and an output in one request */
	rq_init(&r, "mixed", IN, 2, L_EDGE2, L_OUT);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_FLAGS, 2, OUT);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 2, 2);
	fd = rq_step("values.mixed_request", &r);
	values_step("values.mixed.get_both", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 3, 0);
	values_step("values.mixed.set_both", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 3, 0);
	values_step("values.mixed.set_input_bits_0", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 1, 0);
	values_step("values.mixed.set_output", fd, GPIO_V2_LINE_SET_VALUES_IOCTL, 2, 0);
	values_step("values.mixed.get_after", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 3, 0);
	close(fd);

	/* reads on a request without events */
	fd = rq_open("reads", IN | BOTH, L_EDGE2);
	{
		char buf[4 * EV_SIZE];

		out("read.small_buffer", "%s", read(fd, buf, EV_SIZE - 1) < 0 ? errname(-errno) : "data");
		out("read.poll_empty", "%s", revents_str(wait_fd(fd, 0)));
		fcntl(fd, F_SETFL, O_NONBLOCK);
		out("read.nonblock_empty", "%s", read(fd, buf, EV_SIZE) < 0 ? errname(-errno) : "data");
		out("read.nonblock_small_empty", "%s",
		    read(fd, buf, EV_SIZE - 1) < 0 ? errname(-errno) : "data");
	}
	close(fd);
}

static void edge_steps(void)
{
	struct gpio_v2_line_request r;
	struct gpio_v2_line_config c;
	int fd;

	pull(L_EDGE, 0);
	pull(L_EDGE2, 0);
	pull(L_SENT, 0);
	fd = rq_open("edges", IN | BOTH, L_EDGE);
	info_step("edge.both.info", tr_chip, L_EDGE);
	edge_step("edge.both.rise", fd, L_EDGE, 1);
	pull(L_EDGE, 0);
	out("edge.both.poll_after_fall", "%s", revents_str(wait_fd(fd, WAIT_MS)));
	events_step("edge.both.fall", fd, 4);
	values_step("edge.both.get", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	/* reconfigure to rising only: queue kept, line_seqno goes on */
	pull(L_EDGE, 1);
	if (!(wait_fd(fd, WAIT_MS) & POLLIN))
		out("edge.queued", "no event");
	memset(&c, 0, sizeof(c));
	c.flags = IN | GPIO_V2_LINE_FLAG_EDGE_RISING;
	config_step("edge.set_config_rising", fd, &c);
	events_step("edge.set_config_keeps_queue", fd, 4);
	pull(L_EDGE, 0);
	no_event_step("edge.rising_only.fall", fd);
	edge_step("edge.rising_only.rise", fd, L_EDGE, 1);
	memset(&c, 0, sizeof(c));
	config_step("edge.set_config_no_direction", fd, &c);
	info_step("edge.after_no_direction.info", tr_chip, L_EDGE);
	close(fd);

	/* active-low: edges and values are logical */
	pull(L_EDGE, 0);
	fd = rq_open("active-low", IN | GPIO_V2_LINE_FLAG_ACTIVE_LOW | GPIO_V2_LINE_FLAG_EDGE_RISING,
		     L_EDGE);
	values_step("edge.active_low.get_low", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	pull(L_EDGE, 1);
	no_event_step("edge.active_low.physical_rise", fd);
	edge_step("edge.active_low.physical_fall", fd, L_EDGE, 0);
	close(fd);

	/* the realtime clock */
	fd = rq_open("realtime", IN | BOTH | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME, L_EDGE);
	info_step("edge.realtime.info", tr_chip, L_EDGE);
	edge_step("edge.realtime.rise", fd, L_EDGE, 1);
	close(fd);
	/* gpiod_free() leaves the event clock flag on the line until the next v2 request */
	info_step("edge.realtime.released.info", tr_chip, L_EDGE);

	/* two lines: seqno per request, line_seqno per line */
	pull(L_EDGE, 0);
	rq_init(&r, "two", IN | BOTH, 2, L_EDGE, L_EDGE2);
	fd = rq_step("edge.two_lines", &r);
	edge_step("edge.two.line0_rise", fd, L_EDGE, 1);
	edge_step("edge.two.line1_rise", fd, L_EDGE2, 1);
	edge_step("edge.two.line0_fall", fd, L_EDGE, 0);
	close(fd);

	/* overflow: the oldest events go, seqno shows the gap */
	rq_init(&r, "ebs2", IN | BOTH, 1, L_EDGE);
	r.event_buffer_size = 2;
	fd = rq_step("overflow.ebs_2", &r);
	burst(L_EDGE, 5);
	events_step("overflow.ebs_2.read", fd, 8);
	close(fd);
	rq_init(&r, "ebs3", IN | BOTH, 1, L_EDGE);
	r.event_buffer_size = 3;
	fd = rq_step("overflow.ebs_3", &r);
	burst(L_EDGE, 6);
	events_step("overflow.ebs_3.read", fd, 8);
	close(fd);
	rq_init(&r, "ebs0", IN | BOTH, 1, L_EDGE);
	fd = rq_step("overflow.ebs_default", &r);
	burst(L_EDGE, 18);
	events_step("overflow.ebs_default.read_3", fd, 3);
	events_step("overflow.ebs_default.read_rest", fd, 32);
	close(fd);
	rq_init(&r, "ebs2x2", IN | BOTH, 2, L_EDGE, L_EDGE2);
	r.event_buffer_size = 2;
	fd = rq_step("overflow.two_lines_ebs_2", &r);
	burst(L_EDGE, 3);
	burst(L_EDGE2, 2);
	events_step("overflow.two_lines.read", fd, 8);
	close(fd);
}

static void bias_drive_steps(void)
{
	static const struct { const char *step; uint64_t flags; } cases[] = {
		{ "bias.pull_up", IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP },
		{ "bias.pull_down", IN | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN },
		{ "bias.pull_up_again", IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP },
		{ "bias.disabled", IN | GPIO_V2_LINE_FLAG_BIAS_DISABLED },
		{ "bias.none", IN },
		{ "drive.open_drain_1", OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN },
		{ "drive.open_source_1", OUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE },
		{ "drive.push_pull_1", OUT },
		{ "bias.output_pull_down", OUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN },
	};
	char step[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gpio_v2_line_request r;
		int fd;

		rq_init(&r, "bias", cases[i].flags, 1, L_BIAS);
		cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1, 1);
		fd = rq_step(cases[i].step, &r);
		snprintf(step, sizeof(step), "%s.info", cases[i].step);
		info_step(step, tr_chip, L_BIAS);
		snprintf(step, sizeof(step), "%s.get", cases[i].step);
		values_step(step, fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
		close(fd);
	}
	info_step("bias.released.info", tr_chip, L_BIAS);
}

static void debounce_steps(void)
{
	struct gpio_v2_line_request r;
	struct gpio_v2_line_config c;
	int64_t t0;
	int fd;

	pull(L_DEB, 0);
	rq_init(&r, "debounce", IN | BOTH, 1, L_DEB);
	cfg_attr(&r.config, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 1, DEBOUNCE_US);
	fd = rq_step("debounce.request", &r);
	info_step("debounce.info", tr_chip, L_DEB);
	/* a glitch shorter than the period gives no event */
	t0 = now_ns(CLOCK_MONOTONIC);
	pull(L_DEB, 1);
	pull(L_DEB, 0);
	if (now_ns(CLOCK_MONOTONIC) - t0 > DEBOUNCE_US * 1000LL / 2)
		out("debounce.glitch", "HARNESS: the glitch took longer than half the period");
	out("debounce.glitch", "poll %s", revents_str(wait_fd(fd, 3 * DEBOUNCE_US / 1000)));
	/* before the period has passed the debounced level is still the old one */
	t0 = now_ns(CLOCK_MONOTONIC);
	pull(L_DEB, 1);
	values_step("debounce.get_before_period", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	if (now_ns(CLOCK_MONOTONIC) - t0 > DEBOUNCE_US * 1000LL / 2)
		out("debounce.get_before_period", "HARNESS: the pull took longer than half the period");
	out("debounce.stable", "poll %s", revents_str(wait_fd(fd, WAIT_MS)));
	events_step("debounce.stable.read", fd, 4);
	values_step("debounce.get_after_period", fd, GPIO_V2_LINE_GET_VALUES_IOCTL, 1, 0);
	memset(&c, 0, sizeof(c));
	c.flags = IN | BOTH;
	config_step("debounce.set_config_off", fd, &c);
	info_step("debounce.off.info", tr_chip, L_DEB);
	edge_step("debounce.off.fall", fd, L_DEB, 0);
	close(fd);
	info_step("debounce.released.info", tr_chip, L_DEB);
}

/* Reads once with room for len bytes and prints the first record (v1 or v2). */
static void watch_read_step(const char *step, int chip, size_t len, int v1)
{
	union {
		struct gpio_v2_line_info_changed v2[2];
		struct gpioline_info_changed v1[4];
	} u;
	ssize_t n;

	wait_fd(chip, WAIT_MS);
	n = read(chip, &u, len);
	if (n < 0)
		out(step, "read %s", errname(-errno));
	else if (!v1)
		out(step, "read %zd type=%u clock=%s %s", n, u.v2[0].event_type,
		    clock_of(u.v2[0].timestamp_ns), info_str(&u.v2[0].info));
	else
		out(step, "read %zd type=%u clock=%s %s", n, u.v1[0].event_type,
		    clock_of(u.v1[0].timestamp), v1info_str(&u.v1[0].info));
}

static void watch_steps(const char *path)
{
	struct gpio_v2_line_info li;
	struct gpioline_info l1;
	struct gpio_v2_line_request r;
	struct gpio_v2_line_config c;
	char step[64], buf[64 * 288];
	uint32_t off;
	int w, fd, n;

	w = open(path, O_RDWR | O_CLOEXEC);
	if (w < 0)
		die(path);
	memset(&li, 0, sizeof(li));
	li.offset = L_V1;
	out("watch.v2", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));
	out("watch.v2.info", "%s", info_str(&li));
	out("watch.v2_again", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));
	li.offset = NLINES;
	out("watch.v2_offset_8", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));
	memset(&li, 0, sizeof(li));
	li.offset = L_VAL;
	li.padding[0] = 1;
	out("watch.v2_padding", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));
	memset(&l1, 0, sizeof(l1));
	l1.line_offset = L_VAL;
	out("watch.v1_on_v2_fd", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_WATCH_IOCTL, &l1)));
	l1.line_offset = NLINES;
	out("watch.v1_offset_8_on_v2_fd", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_WATCH_IOCTL, &l1)));
	l1.line_offset = L_V1;
	out("watch.v1_watched_on_v2_fd", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_WATCH_IOCTL, &l1)));
	off = L_V1;
	out("watch.unwatch", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off)));
	out("watch.unwatch_again", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off)));
	off = NLINES;
	out("watch.unwatch_offset_8", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off)));
	out("watch.read_nonblock_empty", "%s", (fcntl(w, F_SETFL, O_NONBLOCK), read(w, buf, 288)) < 0 ?
	    errname(-errno) : "data");
	out("watch.read_small_empty", "%s", read(w, buf, 10) < 0 ? errname(-errno) : "data");
	memset(&li, 0, sizeof(li));
	li.offset = L_V1;
	out("watch.v2_rewatch", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));

	/* requested, reconfigured, released */
	fd = rq_open("watched", IN, L_V1);
	out("watch.poll_after_request", "%s", revents_str(wait_fd(w, WAIT_MS)));
	out("watch.read_small_queued", "%s", read(w, buf, 287) < 0 ? errname(-errno) : "data");
	watch_read_step("watch.requested", w, 288, 0);
	memset(&c, 0, sizeof(c));
	c.flags = OUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW;
	config_step("watch.set_config", fd, &c);
	watch_read_step("watch.config", w, 288, 0);
	memset(&c, 0, sizeof(c));
	config_step("watch.set_config_no_direction", fd, &c);
	out("watch.no_direction_no_event", "%s", read(w, buf, 288) < 0 ? errname(-errno) : "data");
	close(fd);
	watch_read_step("watch.released", w, 288, 0);
	/* a line that is not watched gives nothing */
	close(rq_open("unwatched", IN, L_VAL));
	out("watch.unwatched_line", "%s", read(w, buf, 288) < 0 ? errname(-errno) : "data");
	/* failed requests: lines requested before the failure are released again */
	memset(&li, 0, sizeof(li));
	li.offset = L_VAL;
	xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
	rq_init(&r, "partial", IN, 2, L_VAL, NLINES);
	rq_step("watch.partial_offset_8", &r);
	watch_read_step("watch.partial_offset_8.event1", w, 288, 0);
	watch_read_step("watch.partial_offset_8.event2", w, 288, 0);
	rq_init(&r, "partial", IN, 2, L_VAL, L_VAL);
	rq_step("watch.partial_same_twice", &r);
	watch_read_step("watch.partial_same_twice.event1", w, 288, 0);
	watch_read_step("watch.partial_same_twice.event2", w, 288, 0);
	out("watch.partial.rest", "%s", read(w, buf, 288) < 0 ? errname(-errno) : "data");
	/* v1 requests notify v2 watchers too */
	{
		struct gpiohandle_request h;
		struct gpiohandle_config hc;

		memset(&h, 0, sizeof(h));
		h.lineoffsets[0] = L_V1;
		h.lines = 1;
		h.flags = GPIOHANDLE_REQUEST_INPUT;
		snprintf(h.consumer_label, sizeof(h.consumer_label), "v1-watched");
		out("watch.v1_handle", "%s", errname(xioctl(tr_chip, GPIO_GET_LINEHANDLE_IOCTL, &h)));
		watch_read_step("watch.v1_handle.requested", w, 288, 0);
		memset(&hc, 0, sizeof(hc));
		hc.flags = GPIOHANDLE_REQUEST_OUTPUT;
		hc.default_values[0] = 1;
		out("watch.v1_handle.set_config", "%s",
		    errname(xioctl(h.fd, GPIOHANDLE_SET_CONFIG_IOCTL, &hc)));
		watch_read_step("watch.v1_handle.config", w, 288, 0);
		close(h.fd);
		watch_read_step("watch.v1_handle.released", w, 288, 0);
	}
	/* the queue holds 32; newer events are dropped */
	for (int i = 0; i < 20; i++) {
		snprintf(step, sizeof(step), "w%02d", i);
		close(rq_open(step, IN, L_V1));
	}
	n = read(w, buf, sizeof(buf));
	out("watch.queue_full.read", "%d bytes", n);
	for (int i = 0; i < n / 288; i++) {
		struct gpio_v2_line_info_changed *e = (void *)(buf + i * 288);

		printf("  type=%u consumer='%.32s'\n", e->event_type, e->info.consumer);
	}
	close(w);

	/* v1 watches: 104-byte records */
	w = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (w < 0)
		die(path);
	memset(&l1, 0, sizeof(l1));
	l1.line_offset = L_V1;
	out("watch1.v1", "%s %s", errname(xioctl(w, GPIO_GET_LINEINFO_WATCH_IOCTL, &l1)), v1info_str(&l1));
	out("watch1.v1_again", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_WATCH_IOCTL, &l1)));
	memset(&li, 0, sizeof(li));
	li.offset = L_VAL;
	out("watch1.v2_on_v1_fd", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));
	off = L_V1;
	out("watch1.unwatch", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off)));
	out("watch1.v1_rewatch", "%s", errname(xioctl(w, GPIO_GET_LINEINFO_WATCH_IOCTL, &l1)));
	out("watch1.v2_after_unwatch_all", "%s", errname(xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li)));
	fd = rq_open("v1-watcher", IN, L_V1);
	close(fd);
	out("watch1.read_small_queued", "%s", read(w, buf, 103) < 0 ? errname(-errno) : "data");
	/* room for three v1 records still returns one (the loop compares with 288) */
	watch_read_step("watch1.read_312", w, 3 * 104, 1);
	watch_read_step("watch1.read_104", w, 104, 1);
	out("watch1.empty", "%s", read(w, buf, 104) < 0 ? errname(-errno) : "data");
	close(w);
}

static void v1_steps(void)
{
	static const struct { const char *step; uint32_t lines, flags, offset; } bad_handles[] = {
		{ "v1.handle.lines_0", 0, GPIOHANDLE_REQUEST_INPUT, L_VAL },
		{ "v1.handle.lines_65", 65, GPIOHANDLE_REQUEST_INPUT, L_VAL },
		{ "v1.handle.unknown_flag", 1, GPIOHANDLE_REQUEST_INPUT | (1u << 10), L_VAL },
		{ "v1.handle.input_output", 1, GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT, L_VAL },
		{ "v1.handle.drain_and_source", 1, GPIOHANDLE_REQUEST_OUTPUT |
		  GPIOHANDLE_REQUEST_OPEN_DRAIN | GPIOHANDLE_REQUEST_OPEN_SOURCE, L_VAL },
		{ "v1.handle.drain_on_input", 1, GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OPEN_DRAIN, L_VAL },
		{ "v1.handle.bias_no_direction", 1, GPIOHANDLE_REQUEST_BIAS_PULL_UP, L_VAL },
		{ "v1.handle.two_biases", 1, GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_BIAS_DISABLE |
		  GPIOHANDLE_REQUEST_BIAS_PULL_DOWN, L_VAL },
		{ "v1.handle.offset_8", 1, GPIOHANDLE_REQUEST_INPUT, NLINES },
		{ "v1.handle.no_direction", 1, 0, L_VAL },
		{ "v1.handle.lines_0+bad_flags", 0, GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT, L_VAL },
		{ "v1.handle.offset_8+bad_flags", 1, GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT, NLINES },
	};
	static const struct { const char *step; uint32_t hflags, eflags, offset; } bad_events[] = {
		{ "v1.event.offset_8", GPIOHANDLE_REQUEST_INPUT, GPIOEVENT_REQUEST_BOTH_EDGES, NLINES },
		{ "v1.event.output", GPIOHANDLE_REQUEST_OUTPUT, GPIOEVENT_REQUEST_BOTH_EDGES, L_VAL },
		{ "v1.event.open_drain", GPIOHANDLE_REQUEST_OPEN_DRAIN, GPIOEVENT_REQUEST_BOTH_EDGES, L_VAL },
		{ "v1.event.open_source", GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OPEN_SOURCE,
		  GPIOEVENT_REQUEST_BOTH_EDGES, L_VAL },
		{ "v1.event.unknown_event_flag", GPIOHANDLE_REQUEST_INPUT, 1u << 4, L_VAL },
		{ "v1.event.unknown_handle_flag", GPIOHANDLE_REQUEST_INPUT | (1u << 9),
		  GPIOEVENT_REQUEST_BOTH_EDGES, L_VAL },
		{ "v1.event.two_biases", GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_BIAS_PULL_UP |
		  GPIOHANDLE_REQUEST_BIAS_PULL_DOWN, GPIOEVENT_REQUEST_BOTH_EDGES, L_VAL },
		{ "v1.event.offset_8+output", GPIOHANDLE_REQUEST_OUTPUT, GPIOEVENT_REQUEST_BOTH_EDGES, NLINES },
		{ "v1.event.busy+output", GPIOHANDLE_REQUEST_OUTPUT, GPIOEVENT_REQUEST_BOTH_EDGES, L_SENT },
		{ "v1.event.busy", GPIOHANDLE_REQUEST_INPUT, GPIOEVENT_REQUEST_BOTH_EDGES, L_SENT },
	};
	struct gpiohandle_request h;
	struct gpiohandle_data d;
	struct gpiohandle_config hc;
	struct gpioevent_request e;
	struct gpioevent_data ev[32];
	char buf[64];
	int busy, ret, n;

	busy = rq_open("holder", IN, L_SENT);
	for (size_t i = 0; i < sizeof(bad_handles) / sizeof(bad_handles[0]); i++) {
		memset(&h, 0, sizeof(h));
		h.lines = bad_handles[i].lines;
		h.flags = bad_handles[i].flags;
		h.lineoffsets[0] = bad_handles[i].offset;
		ret = xioctl(tr_chip, GPIO_GET_LINEHANDLE_IOCTL, &h);
		out(bad_handles[i].step, "%s", errname(ret));
		if (!ret)
			close(h.fd);
	}
	memset(&h, 0, sizeof(h));
	h.lines = 2;
	h.lineoffsets[0] = L_VAL;
	h.lineoffsets[1] = L_SENT;
	h.flags = GPIOHANDLE_REQUEST_INPUT;
	out("v1.handle.busy", "%s", errname(xioctl(tr_chip, GPIO_GET_LINEHANDLE_IOCTL, &h)));
	for (size_t i = 0; i < sizeof(bad_events) / sizeof(bad_events[0]); i++) {
		memset(&e, 0, sizeof(e));
		e.lineoffset = bad_events[i].offset;
		e.handleflags = bad_events[i].hflags;
		e.eventflags = bad_events[i].eflags;
		ret = xioctl(tr_chip, GPIO_GET_LINEEVENT_IOCTL, &e);
		out(bad_events[i].step, "%s", errname(ret));
		if (!ret)
			close(e.fd);
	}
	close(busy);

	/* handle on two outputs */
	memset(&h, 0, sizeof(h));
	h.lines = 2;
	h.lineoffsets[0] = L_OUT;
	h.lineoffsets[1] = L_VAL;
	h.flags = GPIOHANDLE_REQUEST_OUTPUT;
	h.default_values[0] = 1;
	h.default_values[1] = 7;
	snprintf(h.consumer_label, sizeof(h.consumer_label), "v1-handle");
	out("v1.handle.output", "%s", errname(xioctl(tr_chip, GPIO_GET_LINEHANDLE_IOCTL, &h)));
	memset(&d, 0xff, sizeof(d));
	ret = xioctl(h.fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &d);
	out("v1.handle.get", "%s %u %u %u", errname(ret), d.values[0], d.values[1], d.values[2]);
	memset(&d, 0, sizeof(d));
	d.values[1] = 5;
	out("v1.handle.set", "%s", errname(xioctl(h.fd, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &d)));
	ret = xioctl(h.fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &d);
	out("v1.handle.get_after_set", "%s %u %u %u", errname(ret), d.values[0], d.values[1], d.values[2]);
	info_step("v1.handle.info", tr_chip, L_OUT);
	memset(&hc, 0, sizeof(hc));
	hc.flags = GPIOHANDLE_REQUEST_ACTIVE_LOW;
	out("v1.handle.set_config_no_direction", "%s", errname(xioctl(h.fd, GPIOHANDLE_SET_CONFIG_IOCTL, &hc)));
	hc.flags = GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT;
	out("v1.handle.set_config_bad", "%s", errname(xioctl(h.fd, GPIOHANDLE_SET_CONFIG_IOCTL, &hc)));
	hc.flags = GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_ACTIVE_LOW;
	out("v1.handle.set_config_input", "%s", errname(xioctl(h.fd, GPIOHANDLE_SET_CONFIG_IOCTL, &hc)));
	info_step("v1.handle.input.info", tr_chip, L_OUT);
	out("v1.handle.set_on_input", "%s", errname(xioctl(h.fd, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &d)));
	out("v1.handle.ioctl_unknown", "%s", errname(xioctl(h.fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &d)));
	out("v1.handle.read", "%s", read(h.fd, buf, sizeof(buf)) < 0 ? errname(-errno) : "data");
	out("v1.handle.poll", "%s", revents_str(wait_fd(h.fd, 0)));
	close(h.fd);

	/* event request */
	pull(L_V1, 0);
	pull(L_SENT, 0);
	memset(&e, 0, sizeof(e));
	e.lineoffset = L_V1;
	e.handleflags = GPIOHANDLE_REQUEST_INPUT;
	e.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES;
	snprintf(e.consumer_label, sizeof(e.consumer_label), "v1-event");
	out("v1.event", "%s", errname(xioctl(tr_chip, GPIO_GET_LINEEVENT_IOCTL, &e)));
	info_step("v1.event.info", tr_chip, L_V1);
	out("v1.event.poll_empty", "%s", revents_str(wait_fd(e.fd, 0)));
	pull(L_V1, 1);
	out("v1.event.poll_after_rise", "%s", revents_str(wait_fd(e.fd, WAIT_MS)));
	out("v1.event.read_small", "%s", read(e.fd, ev, 15) < 0 ? errname(-errno) : "data");
	fcntl(e.fd, F_SETFL, O_NONBLOCK);
	n = read(e.fd, ev, sizeof(ev));
	out("v1.event.read", "%d bytes id=%u clock=%s", n, ev[0].id, clock_of(ev[0].timestamp));
	memset(&d, 0, sizeof(d));
	ret = xioctl(e.fd, GPIOHANDLE_GET_LINE_VALUES_IOCTL, &d);
	out("v1.event.get", "%s %u", errname(ret), d.values[0]);
	out("v1.event.set", "%s", errname(xioctl(e.fd, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &d)));
	out("v1.event.nonblock_empty", "%s", read(e.fd, ev, sizeof(ev)) < 0 ? errname(-errno) : "data");
	/* the queue holds 16; newer events are dropped */
	burst(L_V1, 19);
	n = read(e.fd, ev, sizeof(ev));
	out("v1.event.queue_full.read", "%d bytes first=%u last=%u", n, ev[0].id,
	    n >= 16 ? ev[n / 16 - 1].id : 0);
	close(e.fd);
}

/*
 * A child blocked in read(fd) (a blocking fd) before the chip goes: writes
 * what read() ended with (an errno, 0 for data) to the pipe it returns. Dies
 * by SIGALRM if nothing ever wakes it.
 */
static int blocked_reader(int fd, pid_t *pid)
{
	int p[2];

	if (pipe(p) < 0)
		die("pipe");
	fflush(stdout);
	*pid = fork();
	if (*pid < 0)
		die("fork");
	if (*pid == 0) {
		char buf[EV_SIZE];
		int err;

		close(p[0]);
		signal(SIGALRM, SIG_DFL);
		alarm(2 * WAIT_MS / 1000);
		err = read(fd, buf, sizeof(buf)) < 0 ? errno : 0;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static void blocked_reader_step(const char *step, int rfd, pid_t pid)
{
	int err = 0;

	if (!(wait_fd(rfd, WAIT_MS) & POLLIN) || read(rfd, &err, sizeof(err)) != sizeof(err))
		out(step, "still blocked");
	else
		out(step, "%s", err ? errname(-err) : "data");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(rfd);
}

/* The chip goes away under open fds: ENODEV, and poll says HUP|ERR. */
static void gone_steps(const char *path, const char *cmd)
{
	struct gpiochip_info ci;
	struct gpio_v2_line_values v = { .mask = 1 };
	struct gpio_v2_line_info li;
	struct gpioevent_request e;
	char buf[512];
	int w, fd, blocked, rfd;
	pid_t pid;

	w = open(path, O_RDWR | O_CLOEXEC);
	if (w < 0)
		die(path);
	memset(&li, 0, sizeof(li));
	li.offset = L_EDGE;
	xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
	fd = rq_open("gone", IN | BOTH, L_EDGE);
	memset(&e, 0, sizeof(e));
	e.lineoffset = L_V1;
	e.handleflags = GPIOHANDLE_REQUEST_INPUT;
	e.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES;
	if (xioctl(tr_chip, GPIO_GET_LINEEVENT_IOCTL, &e))
		die("v1 event request");
	/* its own request: O_NONBLOCK below is per open file, and this one must block */
	blocked = rq_open("gone-blocked", IN | BOTH, L_EDGE2);
	rfd = blocked_reader(blocked, &pid);
	/* the kernel says ENODEV before it looks at O_NONBLOCK; a chip that would block must not hang us */
	fcntl(w, F_SETFL, O_NONBLOCK);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	fcntl(e.fd, F_SETFL, O_NONBLOCK);
	run(cmd);
	out("gone.chip.poll", "%s", revents_str(wait_fd(w, WAIT_MS)));
	out("gone.request.poll", "%s", revents_str(wait_fd(fd, WAIT_MS)));
	out("gone.v1_event.poll", "%s", revents_str(wait_fd(e.fd, WAIT_MS)));
	out("gone.chipinfo", "%s", errname(xioctl(tr_chip, GPIO_GET_CHIPINFO_IOCTL, &ci)));
	out("gone.lineinfo", "%s", errname(xioctl(tr_chip, GPIO_V2_GET_LINEINFO_IOCTL, &li)));
	out("gone.chip.read", "%s", read(w, buf, 288) < 0 ? errname(-errno) : "data");
	out("gone.request.get", "%s", errname(xioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v)));
	out("gone.request.read", "%s", read(fd, buf, EV_SIZE) < 0 ? errname(-errno) : "data");
	out("gone.v1_event.read", "%s", read(e.fd, buf, 16) < 0 ? errname(-errno) : "data");
	blocked_reader_step("gone.request.blocked_read", rfd, pid);
	rfd = blocked_reader(blocked, &pid);
	blocked_reader_step("gone.request.read_blocking", rfd, pid);
	close(blocked);
	close(e.fd);
	close(fd);
	close(w);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *gone_cmd = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim-dir") && i + 1 < argc)
			tr_sim_dir = argv[++i];
		else if (!strcmp(argv[i], "--pull-cmd") && i + 1 < argc)
			tr_pull_cmd = argv[++i];
		else if (!strcmp(argv[i], "--gone-cmd") && i + 1 < argc)
			gone_cmd = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path || !!tr_sim_dir == !!tr_pull_cmd) {
		fprintf(stderr, "Usage: vgc-transcript CHIP (--sim-dir DIR | --pull-cmd 'CMD %%u %%d') "
				"[--gone-cmd CMD]\n");
		return 2;
	}
	signal(SIGALRM, watchdog);
	alarm(300);
	tr_chip = open(path, O_RDWR | O_CLOEXEC);
	if (tr_chip < 0)
		die(path);
	chip_steps();
	validation_steps();
	value_steps();
	edge_steps();
	bias_drive_steps();
	debounce_steps();
	watch_steps(path);
	v1_steps();
	for (unsigned int i = 0; i < NLINES; i++) {
		char step[32];

		snprintf(step, sizeof(step), "final.lineinfo.%u", i);
		info_step(step, tr_chip, i);
	}
	if (gone_cmd)
		gone_steps(path, gone_cmd);
	out("end", "ok");
	return 0;
}
