/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the conformance test files share. Each file holds the rows of
 * docs/uapi-conformance.md for one concern, checked against the kernel's
 * drivers/gpio/gpiolib-cdev.c (6.12; "cdev:N" is a line of that file), and
 * runs them as one test case of the "conformance" suite (test_conformance.c).
 * A row either expects an errno from one call, or runs a check that asserts
 * with the row's name. Failure rows come first.
 */
#ifndef VGC_TEST_CONFORMANCE_H
#define VGC_TEST_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

#include "fixture.h"
#include "suites.h"
#include "../uapi-flags.h"

struct cf_row {
	const char *name;
	/* runs first, e.g. another client holding a line */
	void (*setup)(void);
	int (*act)(const struct cf_row *r);
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

/* Shorthands for the row tables. */
#define ONE(off) .num_lines = 1, .offsets = { off }
#define ATTR_FLAGS(f, m) { .attr = { .id = GPIO_V2_LINE_ATTR_ID_FLAGS, .flags = (f) }, .mask = (m) }
#define ATTR_VALUES(v, m) \
	{ .attr = { .id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, .values = (v) }, .mask = (m) }
#define ATTR_DEBOUNCE(us, m) \
	{ .attr = { .id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE, .debounce_period_us = (us) }, .mask = (m) }
#define CHECK(nm, fn) { .name = nm, .act = fn }
#define CF_NUM_ROWS(rows) ((int)(sizeof(rows) / sizeof((rows)[0])))

/* Run one row: its setup, its action, and the errno the kernel gives. */
void cf_run_row(const struct cf_row *r);

/* Another client (a second open of the chip) holds virtual line 2. */
void cf_setup_hold_2(void);
/* Request of virtual lines 0 (input) and 1 (output); the request fd. */
int cf_req_in_out(void);
/* Watch line off of chipfd with the v1 (abi 1) or v2 ioctl; the core's return. */
int cf_watch(int chipfd, uint32_t off, int abi);
int cf_unwatch(int chipfd, uint32_t off);
/* Line info of off, asserting with the row's name that it succeeds. */
void cf_info_of(const struct cf_row *r, int chipfd, uint32_t off, struct gpio_v2_line_info *li);

/* The test cases, one per file. */
TCase *vgc_test_conformance_request_tcase(void);
TCase *vgc_test_conformance_values_tcase(void);
TCase *vgc_test_conformance_info_tcase(void);
TCase *vgc_test_conformance_v1_tcase(void);

#endif
