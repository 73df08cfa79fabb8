// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript's helpers below the steps: drive a line from outside (gpio-sim's
 * pull or a command), make v2 requests, and run one ioctl or read as a step.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

static int tr_level[NLINES];

/* ---- driving lines from outside ---- */

void pull(unsigned int line, int level)
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

short wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) < 0)
		die("poll");
	return p.revents;
}

/* ---- v2 requests ---- */

void rq_init(struct gpio_v2_line_request *r, const char *consumer, uint64_t flags,
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

void cfg_attr(struct gpio_v2_line_config *c, uint32_t id, uint64_t mask, uint64_t val)
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
int rq_step(const char *step, struct gpio_v2_line_request *r)
{
	int ret = xioctl(tr_chip, GPIO_V2_GET_LINE_IOCTL, r);

	if (ret)
		r->fd = -1;
	out(step, "%s", errname(ret));
	return ret ? -1 : r->fd;
}

int rq_open(const char *consumer, uint64_t flags, unsigned int line)
{
	struct gpio_v2_line_request r;

	rq_init(&r, consumer, flags, 1, line);
	if (xioctl(tr_chip, GPIO_V2_GET_LINE_IOCTL, &r))
		die(consumer);
	return r.fd;
}

void info_step(const char *step, int chip, unsigned int line)
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

void values_step(const char *step, int fd, unsigned long cmd, uint64_t mask, uint64_t bits)
{
	struct gpio_v2_line_values v = { .mask = mask, .bits = bits };
	int ret = xioctl(fd, cmd, &v);

	if (ret || cmd != GPIO_V2_LINE_GET_VALUES_IOCTL)
		out(step, "%s", errname(ret));
	else
		out(step, "ok mask=%llx bits=%llx", (unsigned long long)v.mask,
		    (unsigned long long)v.bits);
}

void config_step(const char *step, int fd, struct gpio_v2_line_config *c)
{
	out(step, "%s", errname(xioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, c)));
}

/* Waits for events, reads once with room for max of them, prints what came. */
void events_step(const char *step, int fd, unsigned int max)
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
void edge_step(const char *step, int fd, unsigned int line, int level)
{
	pull(line, level);
	if (!(wait_fd(fd, WAIT_MS) & POLLIN)) {
		out(step, "no event within %d ms", WAIT_MS);
		return;
	}
	events_step(step, fd, 4);
}

/* An event fd with nothing queued: a short poll that finds nothing. */
void no_event_step(const char *step, int fd)
{
	out(step, "poll %s", revents_str(wait_fd(fd, 200)));
}

/*
 * Toggles line n times, then the sentinel line once, and waits for the
 * sentinel's event: the chip has then taken in every earlier pull (vgpiochip's
 * host backend sees them asynchronously), so a read sees the final queue.
 */
void burst(unsigned int line, int n)
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
