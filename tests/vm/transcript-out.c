// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript's printing: each answer as text that does not change from
 * run to run (errno names, flag names, which clock a timestamp fits), and
 * harness errors, which go into the transcript too.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

/* Harness errors go into the transcript too, so that a diff shows where it stopped. */
void die(const char *what)
{
	printf("HARNESS: %s: %s\n", what, strerror(errno));
	fprintf(stderr, "vgc-transcript: %s: %s\n", what, strerror(errno));
	exit(2);
}

void run(const char *cmd)
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

void out(const char *step, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

const char *errname(int ret)
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
int xioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Timestamps differ from run to run: print only which clock they fit. A
 * stamp is taken at most a few seconds before it is read (TCG is slow).
 */
const char *clock_of(uint64_t ts)
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

int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

const char *info_str(const struct gpio_v2_line_info *li)
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

const char *v1info_str(const struct gpioline_info *li)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "offset=%u name='%.32s' consumer='%.32s' flags=%s",
		 li->line_offset, li->name, li->consumer, V1FLAGS(li->flags));
	return buf;
}

const char *revents_str(short r)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s%s%s%s", r ? "" : "none", r & POLLIN ? "IN " : "",
		 r & POLLOUT ? "OUT " : "", r & POLLHUP ? "HUP " : "", r & POLLERR ? "ERR " : "");
	return buf;
}
