// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The uAPI conformance suite: one row per rule of docs/uapi-conformance.md,
 * each checked against the kernel's drivers/gpio/gpiolib-cdev.c (6.12;
 * "cdev:N" below is a line of that file). The rows are split by concern
 * into test_conformance_*.c, one test case each (conformance.h); this file
 * holds the ABI sizes, the commands no fd knows and chip info.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "conformance.h"

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

/* ---- actions expecting one errno ---- */

static int act_size(const struct cf_row *r)
{
	ROW_ASSERT(r, r->size.got == r->size.want, "sizeof is %zu, the ABI says %zu",
		   r->size.got, r->size.want);
	return 0;
}

static int act_chip_cmd(const struct cf_row *r)
{
	unsigned char buf[1024] = { 0 };

	return fx_ioctl(fx_open(), r->cmd, buf);
}

static int act_req_cmd(const struct cf_row *r)
{
	unsigned char buf[1024] = { 0 };

	return fx_ioctl(cf_req_in_out(), r->cmd, buf);
}

/* ---- checks: each asserts with the row's name and returns 0 ---- */

static int check_chip_info(const struct cf_row *r)
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

#define SIZE(type, bytes) \
	{ .name = "ABI: sizeof(struct " #type ") is " #bytes, .act = act_size, \
	  .size = { sizeof(struct type), bytes } }

static const struct cf_row abi_rows[] = {
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

	/* Happy paths. */
	CHECK("ioctl: success is exactly 0; chip info is the tenant's chip", check_chip_info),
};

START_TEST(test_abi_row)
{
	cf_run_row(&abi_rows[_i]);
}
END_TEST

static TCase *conformance_abi_tcase(void)
{
	TCase *tc = tcase_create("abi");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_abi_row, 0, CF_NUM_ROWS(abi_rows));
	return tc;
}

Suite *vgc_test_conformance_suite(void)
{
	Suite *s = suite_create("conformance");

	suite_add_tcase(s, conformance_abi_tcase());
	suite_add_tcase(s, vgc_test_conformance_request_tcase());
	suite_add_tcase(s, vgc_test_conformance_values_tcase());
	suite_add_tcase(s, vgc_test_conformance_info_tcase());
	suite_add_tcase(s, vgc_test_conformance_v1_tcase());
	return s;
}
