// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes fuzz-uapi's seed corpus: one file per interesting sequence, in the
 * encoding of uapi-ops.h. The rows follow the conformance rules of
 * tests/unit/test_conformance*.c (every invalid flag combination, v1 handles
 * and events, watches, two tenants), so fuzzing starts from inputs that
 * already reach deep into the core. Usage: mkseeds DIR
 * The seeds with watches, several clients or tenants are in mkseeds-multi.c.
 *
 * Slots and requests are numbered as the harness hands them out: the first
 * free file slot, the first free request index.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkseeds.h"

static const char *seed_dir;
static unsigned int seed_count;

void put8(struct seed *s, unsigned int v)
{
	if (s->len < SEED_MAX)
		s->buf[s->len++] = (unsigned char)v;
}

void put_bytes(struct seed *s, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(s, ((const unsigned char *)p)[i]);
}

void put_uint(struct seed *s, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		put8(s, (unsigned int)(v >> (8 * i)) & 0xff);
}

void seed_start(struct seed *s, enum fz_setup setup)
{
	s->len = 0;
	put8(s, setup);
}

void seed_write(const struct seed *s, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s", seed_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->buf, 1, s->len, f) != s->len || fclose(f)) {
		fprintf(stderr, "mkseeds: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	seed_count++;
}

void op_open(struct seed *s, unsigned int client)
{
	put8(s, FZ_OP_OPEN);
	put8(s, client);
}

/* An ioctl with buffers of the right size and the argument as raw bytes. */
void op_ioctl(struct seed *s, unsigned int slot, unsigned int cmd, enum fz_dispo dispo,
	      const void *arg)
{
	put8(s, FZ_OP_IOCTL);
	put8(s, slot);
	put8(s, fz_cmd_index(cmd));
	put8(s, FZ_LEN_EXACT | FZ_LEN_EXACT << 2);
	put8(s, dispo);
	put8(s, FZ_ARG_RAW);
	put_bytes(s, arg, _IOC_SIZE(cmd));
}

/* The same with an in and an out buffer short by one byte, or none. */
void op_ioctl_lens(struct seed *s, unsigned int slot, unsigned int cmd, unsigned int in_mode,
		   unsigned int out_mode)
{
	put8(s, FZ_OP_IOCTL);
	put8(s, slot);
	put8(s, fz_cmd_index(cmd));
	put8(s, in_mode | out_mode << 2);
	put8(s, FZ_DISPO_FREE);
	if (in_mode == FZ_LEN_SHORT || in_mode == FZ_LEN_LONG)
		put8(s, 0);
	if (out_mode == FZ_LEN_SHORT || out_mode == FZ_LEN_LONG)
		put8(s, 0);
	put8(s, FZ_ARG_ZERO);
}

void op_ioctl_raw_cmd(struct seed *s, unsigned int slot, uint32_t cmd)
{
	put8(s, FZ_OP_IOCTL);
	put8(s, slot);
	put8(s, FZ_CMD_RAW);
	put_uint(s, cmd, 4);
	put8(s, 0);
	put8(s, FZ_DISPO_FREE);
	put8(s, FZ_ARG_ZERO);
}

void op_slot(struct seed *s, enum fz_op op, unsigned int slot)
{
	put8(s, op);
	put8(s, slot);
}

void op_read(struct seed *s, unsigned int slot, unsigned int count)
{
	op_slot(s, FZ_OP_READ, slot);
	put_uint(s, count, 2);
}

void op_pull(struct seed *s, unsigned int host, int level)
{
	put8(s, FZ_OP_PULL);
	put8(s, host);
	put8(s, (unsigned int)(level + 1));
}

void op_toggle(struct seed *s, unsigned int host, unsigned int n)
{
	put8(s, FZ_OP_TOGGLE);
	put8(s, host);
	put8(s, n);
}

struct gpio_v2_line_request v2_req(unsigned int num, const uint32_t *offsets,
				   uint64_t flags)
{
	struct gpio_v2_line_request lr;

	memset(&lr, 0, sizeof(lr));
	lr.num_lines = num;
	memcpy(lr.offsets, offsets, num * sizeof(*offsets));
	lr.config.flags = flags;
	snprintf(lr.consumer, sizeof(lr.consumer), "seed");
	return lr;
}

struct gpio_v2_line_request v2_one(uint32_t offset, uint64_t flags)
{
	return v2_req(1, &offset, flags);
}

struct gpiohandle_request v1_handle(unsigned int lines, const uint32_t *offsets,
				    uint32_t flags)
{
	struct gpiohandle_request hr;

	memset(&hr, 0, sizeof(hr));
	hr.lines = lines;
	memcpy(hr.lineoffsets, offsets, lines * sizeof(*offsets));
	hr.flags = flags;
	snprintf(hr.consumer_label, sizeof(hr.consumer_label), "seed-v1");
	return hr;
}

struct gpioevent_request v1_event(uint32_t offset, uint32_t hflags, uint32_t eflags)
{
	struct gpioevent_request er;

	memset(&er, 0, sizeof(er));
	er.lineoffset = offset;
	er.handleflags = hflags;
	er.eventflags = eflags;
	snprintf(er.consumer_label, sizeof(er.consumer_label), "seed-ev");
	return er;
}

static void seed_chip_info(void)
{
	struct seed s;
	struct gpiochip_info ci = { 0 };

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_GET_CHIPINFO_IOCTL, FZ_DISPO_FREE, &ci);
	for (uint32_t off = 0; off <= 8; off++) {
		struct gpio_v2_line_info li = { .offset = off };
		struct gpioline_info l1 = { .line_offset = off };

		op_ioctl(&s, 0, GPIO_V2_GET_LINEINFO_IOCTL, FZ_DISPO_FREE, &li);
		op_ioctl(&s, 0, GPIO_GET_LINEINFO_IOCTL, FZ_DISPO_FREE, &l1);
	}
	op_ioctl_raw_cmd(&s, 0, _IOWR(0xB4, 0x7f, struct gpio_v2_line_info));
	op_ioctl_raw_cmd(&s, 0, 0x5401);	/* TCGETS */
	seed_write(&s, "chip-info");
}

/* Every command with buffers too short, and with none. */
static void seed_short_buffers(void)
{
	struct seed s;
	struct gpio_v2_line_request lr = v2_one(0, IN);

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 */
	for (unsigned int i = 0; i < FZ_NUM_CMDS; i++) {
		for (unsigned int slot = 0; slot < 2; slot++) {
			op_ioctl_lens(&s, slot, fz_cmds[i], FZ_LEN_SHORT, FZ_LEN_EXACT);
			op_ioctl_lens(&s, slot, fz_cmds[i], FZ_LEN_EXACT, FZ_LEN_SHORT);
			op_ioctl_lens(&s, slot, fz_cmds[i], FZ_LEN_NONE, FZ_LEN_NONE);
			op_ioctl_lens(&s, slot, fz_cmds[i], FZ_LEN_LONG, FZ_LEN_LONG);
		}
	}
	seed_write(&s, "short-buffers");
}

static void seed_v2_input(void)
{
	struct seed s;
	struct gpio_v2_line_request lr = v2_one(0, IN | BOTH);
	struct gpio_v2_line_values lv = { .mask = 1, .bits = 1 };

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 */
	op_ioctl(&s, 1, GPIO_V2_LINE_GET_VALUES_IOCTL, FZ_DISPO_FREE, &lv);
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_VALUES_IOCTL, FZ_DISPO_FREE, &lv);
	op_pull(&s, HOST_OF_0, 1);
	op_pull(&s, HOST_OF_0, 0);
	op_toggle(&s, HOST_OF_0, 40);
	op_slot(&s, FZ_OP_POLL, 1);
	op_read(&s, 1, 47);
	op_read(&s, 1, 48);
	op_read(&s, 1, 4800);
	op_read(&s, 1, 48);
	op_slot(&s, FZ_OP_RELEASE, 1);
	op_slot(&s, FZ_OP_RELEASE, 0);
	seed_write(&s, "v2-input-edges");
}

static void seed_v2_output(void)
{
	struct seed s;
	static const uint32_t offs[] = { 0, 1, 4 };
	struct gpio_v2_line_request lr = v2_req(3, offs, OUT);
	struct gpio_v2_line_values set = { .mask = 5, .bits = 1 }, get = { .mask = 7 };
	struct gpio_v2_line_config lc = { .flags = IN | PU };

	lr.config.num_attrs = 1;
	lr.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	lr.config.attrs[0].attr.values = 2;
	lr.config.attrs[0].mask = 3;
	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 1 */
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_VALUES_IOCTL, FZ_DISPO_FREE, &set);
	op_ioctl(&s, 1, GPIO_V2_LINE_GET_VALUES_IOCTL, FZ_DISPO_FREE, &get);
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &lc);
	op_ioctl(&s, 1, GPIO_V2_LINE_GET_VALUES_IOCTL, FZ_DISPO_FREE, &get);
	lc.flags = OUT | OD;
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &lc);
	op_slot(&s, FZ_OP_RELEASE, 0);
	op_slot(&s, FZ_OP_RELEASE, 1);
	seed_write(&s, "v2-output");
}

static void seed_v2_debounce(void)
{
	struct seed s;
	struct gpio_v2_line_request lr = v2_one(0, IN | BOTH | RT);
	struct gpio_v2_line_values get = { .mask = 1 };

	lr.config.num_attrs = 1;
	lr.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
	lr.config.attrs[0].attr.debounce_period_us = 1;
	lr.config.attrs[0].mask = 1;
	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	op_pull(&s, HOST_OF_0, 1);
	for (int i = 0; i < 8; i++)
		put8(&s, FZ_OP_DISPATCH);
	op_read(&s, 1, 96);
	op_toggle(&s, HOST_OF_0, 5);
	put8(&s, FZ_OP_DISPATCH);
	op_read(&s, 1, 96);
	/* reconfigured: a new period, then no edges, then no debounce */
	lr.config.attrs[0].attr.debounce_period_us = 50;
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &lr.config);
	op_ioctl(&s, 1, GPIO_V2_LINE_GET_VALUES_IOCTL, FZ_DISPO_FREE, &get);
	lr.config.flags = IN | PU;
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &lr.config);
	lr.config.num_attrs = 0;
	memset(&lr.config.attrs[0], 0, sizeof(lr.config.attrs[0]));
	lr.config.flags = IN | RISE;
	op_ioctl(&s, 1, GPIO_V2_LINE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &lr.config);
	op_pull(&s, HOST_OF_0, 0);
	op_pull(&s, HOST_OF_0, 1);
	op_read(&s, 1, 96);
	seed_write(&s, "v2-debounce");
}

/* One refused request per row of the conformance table. */
static void seed_v2_invalid(void)
{
	static const struct {
		const char *name;
		uint64_t flags;
	} rows[] = {
		{ "in-out", IN | OUT },	{ "edge-no-input", RISE },    { "edge-output", OUT | FALL },
		{ "od-os", OUT | OD | OS }, { "drive-input", IN | OD }, { "drive-no-dir", OS },
		{ "bias-no-dir", PU },	{ "pu-pd", IN | PU | PD },   { "bd-pd", OUT | BD | PD },
		{ "hte", IN | HTE },	{ "rt-hte", IN | RT | HTE }, { "unknown-flag", IN | (1ULL << 13) },
		{ "used-flag", IN | GPIO_V2_LINE_FLAG_USED }, { "flag-63", IN | HTE | (1ULL << 63) },
	};
	static const uint32_t two[] = { 1, 1 }, busy_bad[] = { 2, 9 }, hole_bad[] = { 6, 9 };
	struct gpio_v2_line_request lr;
	struct seed s;
	char name[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lr = v2_one(0, rows[i].flags);
		seed_start(&s, FZ_SETUP_SMALL);
		op_open(&s, 0);
		op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
		snprintf(name, sizeof(name), "v2-invalid-%s", rows[i].name);
		seed_write(&s, name);
	}

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	lr = v2_one(0, IN);
	lr.num_lines = 0;
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr.num_lines = 65;
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(0, IN);
	lr.padding[4] = 1;
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(0, IN);
	lr.config.num_attrs = 11;
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(0, IN);
	lr.config.attrs[3].mask = 1;	/* past num_attrs 0 */
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(0, OUT);
	lr.config.num_attrs = 1;
	lr.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
	lr.config.attrs[0].attr.debounce_period_us = 10;
	lr.config.attrs[0].mask = 1;	/* debounce on an output */
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(0, IN | BOTH);
	lr.event_buffer_size = 1;
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(8, IN);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_one(6, IN);	/* the hole */
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_req(2, two, IN);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	op_open(&s, 1);	/* slot 1 holds line 2 */
	lr = v2_one(2, IN);
	op_ioctl(&s, 1, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);	/* slot 2 */
	lr = v2_req(2, busy_bad, IN);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	lr = v2_req(2, hole_bad, IN);
	op_ioctl(&s, 0, GPIO_V2_GET_LINE_IOCTL, FZ_DISPO_OPEN, &lr);
	seed_write(&s, "v2-invalid-struct");
}

static void seed_v1_handle(void)
{
	static const uint32_t offs[] = { 0, 1 };
	struct gpiohandle_request hr = v1_handle(2, offs, H_OUT);
	struct gpiohandle_data hd = { .values = { 1, 0 } };
	struct gpiohandle_config hc = { .flags = H_IN | H_PU };
	struct seed s;

	hr.default_values[0] = 1;
	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_GET_LINEHANDLE_IOCTL, FZ_DISPO_OPEN, &hr);	/* slot 1 */
	op_ioctl(&s, 1, GPIOHANDLE_SET_LINE_VALUES_IOCTL, FZ_DISPO_FREE, &hd);
	op_ioctl(&s, 1, GPIOHANDLE_GET_LINE_VALUES_IOCTL, FZ_DISPO_FREE, &hd);
	op_ioctl(&s, 1, GPIOHANDLE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &hc);
	op_ioctl(&s, 1, GPIOHANDLE_SET_LINE_VALUES_IOCTL, FZ_DISPO_FREE, &hd);
	hc.flags = 0;
	op_ioctl(&s, 1, GPIOHANDLE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &hc);
	op_read(&s, 1, 64);
	op_slot(&s, FZ_OP_POLL, 1);
	op_slot(&s, FZ_OP_RELEASE, 1);
	seed_write(&s, "v1-handle");

	static const uint32_t bad[] = {
		0, 1U << 8, H_IN | H_OUT, H_OUT | H_OD | H_OS, H_IN | H_OD, H_PU,
		H_IN | H_PU | H_PD, H_OUT | H_BD | H_PU,
	};
	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hr = v1_handle(1, offs, bad[i]);
		op_ioctl(&s, 0, GPIO_GET_LINEHANDLE_IOCTL, FZ_DISPO_OPEN, &hr);
	}
	hr = v1_handle(1, offs, H_IN);
	hr.lines = 65;
	op_ioctl(&s, 0, GPIO_GET_LINEHANDLE_IOCTL, FZ_DISPO_OPEN, &hr);
	hr.lines = 1;
	hr.lineoffsets[0] = 6;
	op_ioctl(&s, 0, GPIO_GET_LINEHANDLE_IOCTL, FZ_DISPO_OPEN, &hr);
	seed_write(&s, "v1-handle-invalid");
}

static void seed_v1_event(void)
{
	struct gpioevent_request er = v1_event(0, H_IN | H_AL, GPIOEVENT_REQUEST_BOTH_EDGES);
	struct gpiohandle_data hd = { 0 };
	struct gpiohandle_config hc = { .flags = H_IN };
	struct seed s;

	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	op_ioctl(&s, 0, GPIO_GET_LINEEVENT_IOCTL, FZ_DISPO_OPEN, &er);	/* slot 1 */
	op_toggle(&s, HOST_OF_0, 20);
	op_read(&s, 1, 15);
	op_read(&s, 1, 16);
	op_read(&s, 1, 1600);
	op_ioctl(&s, 1, GPIOHANDLE_GET_LINE_VALUES_IOCTL, FZ_DISPO_FREE, &hd);
	op_ioctl(&s, 1, GPIOHANDLE_SET_LINE_VALUES_IOCTL, FZ_DISPO_FREE, &hd);
	op_ioctl(&s, 1, GPIOHANDLE_SET_CONFIG_IOCTL, FZ_DISPO_FREE, &hc);
	seed_write(&s, "v1-event");

	static const struct {
		uint32_t offset, hflags, eflags;
	} bad[] = {
		{ 8, H_IN, 3 }, { 6, H_IN, 3 }, { 0, 1U << 8, 3 }, { 0, H_IN, 1U << 2 },
		{ 0, H_OUT, 3 }, { 0, H_OD, 3 }, { 0, H_OS, 3 }, { 0, H_PU | H_PD, 3 },
	};
	seed_start(&s, FZ_SETUP_SMALL);
	op_open(&s, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		er = v1_event(bad[i].offset, bad[i].hflags, bad[i].eflags);
		op_ioctl(&s, 0, GPIO_GET_LINEEVENT_IOCTL, FZ_DISPO_OPEN, &er);
	}
	seed_write(&s, "v1-event-invalid");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	seed_dir = argv[1];
	if (mkdir(seed_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "mkseeds: cannot create %s: %s\n", seed_dir, strerror(errno));
		return 1;
	}
	seed_chip_info();
	seed_short_buffers();
	seed_v2_input();
	seed_v2_output();
	seed_v2_debounce();
	seed_v2_invalid();
	seed_v1_handle();
	seed_v1_event();
	seed_watch(2);
	seed_watch(1);
	seed_partial_claim();
	seed_tenants();
	seed_pending();
	seed_setups();
	printf("mkseeds: %u seeds in %s\n", seed_count, seed_dir);
	return 0;
}
