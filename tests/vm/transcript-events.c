// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript's steps on what a client reads: edge events (clocks,
 * sequence numbers, overflow), debounce, and line info watches (v2 and v1).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

void edge_steps(void)
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

void debounce_steps(void)
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

void watch_steps(const char *path)
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
