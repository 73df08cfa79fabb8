// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript's steps on the v1 uAPI (libgpiod 1.6): bad handle and event
 * requests, a handle on two outputs, an event request and its queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

void v1_steps(void)
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
