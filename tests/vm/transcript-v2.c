// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript's steps on the chip and on v2 requests without events: chip
 * and line info, every request the kernel refuses and which rule wins when
 * several are broken, attributes, values, bias and drive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

void chip_steps(void)
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

void validation_steps(void)
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

void value_steps(void)
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

void bias_drive_steps(void)
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
