// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysfs front end's semantics (sysfs/gpio.c) over a fresh chip, with
 * the kernel's answers (drivers/gpio/gpiolib-sysfs.c): failures first,
 * then the happy paths, and the chardev and the rules seen from both sides.
 */
#include <errno.h>
#include <string.h>

#include "fixture.h"
#include "suites.h"
#include "../../sysfs/sysfs.h"

#define BASE 100
#define S(text) text, strlen(text)
#define UNEXPORT(text) vgc_sysfs_unexport(s, 1, text, strlen(text), &unexported)

static uint32_t unexported;

static struct vgc_sysfs *s;

static void sysfs_setup(void)
{
	s = vgc_sysfs_new(fx.chip, BASE, FX_LABEL);
	ck_assert_ptr_nonnull(s);
}

static void sysfs_teardown(void)
{
	vgc_sysfs_free(s);
	s = NULL;
}

static ssize_t store(uint32_t virt, enum vgc_sysfs_attr attr, const char *text)
{
	return vgc_sysfs_store(s, 1, virt, attr, text, strlen(text));
}

static const char *show(uint32_t virt, enum vgc_sysfs_attr attr)
{
	static char buf[VGC_SYSFS_PAGE];
	ssize_t n = vgc_sysfs_show(s, virt, attr, buf, sizeof(buf));

	return n < 0 ? strerror((int)-n) : buf;
}

static const struct {
	const char *name, *text;
	int ret;
	long value;
} strtol_rows[] = {
	{ "decimal with newline", "17\n", 0, 17 },
	{ "hex", "0x11", 0, 17 },
	{ "octal", "021", 0, 17 },
	{ "plus sign", "+5", 0, 5 },
	{ "minus sign", "-5", 0, -5 },
	{ "empty", "", -EINVAL, 0 },
	{ "newline only", "\n", -EINVAL, 0 },
	{ "two newlines", "17\n\n", -EINVAL, 0 },
	{ "space", " 17", -EINVAL, 0 },
	{ "letters", "gpio17", -EINVAL, 0 },
	{ "bad octal digit", "08", -EINVAL, 0 },
	{ "bare 0x", "0x", -EINVAL, 0 },
	{ "overflow", "99999999999999999999", -ERANGE, 0 },
};

START_TEST(sysfs_strtol_as_kernel)
{
	long v = 0;
	int ret = vgc_sysfs_strtol(S(strtol_rows[_i].text), &v);

	ck_assert_msg(ret == strtol_rows[_i].ret, "%s: %d", strtol_rows[_i].name, ret);
	if (!ret)
		ck_assert_msg(v == strtol_rows[_i].value, "%s: %ld", strtol_rows[_i].name, v);
}
END_TEST

START_TEST(sysfs_export_refusals)
{
	/* not a number, no such gpio, a hole: EINVAL as for a masked line */
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("abc\n")), -EINVAL);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("99\n")), -EINVAL);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("108\n")), -EINVAL);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("106\n")), -EINVAL);
	ck_assert_int_eq(UNEXPORT("100\n"), -EINVAL);
	ck_assert(!vgc_sysfs_exported(s, 0));
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("100\n")), 4);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("100\n")), -EBUSY);
}
END_TEST

START_TEST(sysfs_busy_both_ways)
{
	int chipfd = fx_open(), fd;
	uint32_t off = 1;

	fd = fx_request(chipfd, &off, 1, GPIO_V2_LINE_FLAG_INPUT, "app");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("101")), -EBUSY);
	fx_close(fd);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("101")), 3);
	ck_assert(fx_line_status(1).held);
	ck_assert_str_eq(fx_line_status(1).consumer, "sysfs");
	ck_assert_int_eq(fx_request(chipfd, &off, 1, GPIO_V2_LINE_FLAG_INPUT, "app"), -EBUSY);
	ck_assert_int_eq(UNEXPORT("101\n"), 4);
	fd = fx_request(chipfd, &off, 1, GPIO_V2_LINE_FLAG_INPUT, "app");
	ck_assert_int_ge(fd, 0);
	fx_close(fd);
}
END_TEST

START_TEST(sysfs_attribute_refusals)
{
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "1"), -ENODEV);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("104")), 3);
	ck_assert_int_eq(store(4, VGC_SYSFS_DIRECTION, "in\n"), 3);
	/* an input refuses any value, even a bad one, with EPERM */
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "1\n"), -EPERM);
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "x\n"), -EPERM);
	ck_assert_int_eq(store(4, VGC_SYSFS_DIRECTION, "up\n"), -EINVAL);
	ck_assert_int_eq(store(4, VGC_SYSFS_EDGE, "sideways\n"), -EINVAL);
	ck_assert_int_eq(store(4, VGC_SYSFS_ACTIVE_LOW, "yes\n"), -EINVAL);
	ck_assert_int_eq(store(4, VGC_SYSFS_DIRECTION, "out\n"), 4);
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "x\n"), -EINVAL);
	/* gpiochip_lock_as_irq() refuses an output */
	ck_assert_int_eq(store(4, VGC_SYSFS_EDGE, "both\n"), -EIO);
	ck_assert_str_eq(show(4, VGC_SYSFS_EDGE), "none\n");
}
END_TEST

START_TEST(sysfs_rule_denies)
{
	struct vgc_rules r = vgc_rules_default;

	r.directions = VGC_RULE_DIR_INPUT;
	fx_rules_install(5, &r);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("105")), 3);
	ck_assert_int_eq(store(5, VGC_SYSFS_DIRECTION, "out"), -EPERM);
	ck_assert_int_eq(store(5, VGC_SYSFS_DIRECTION, "high"), -EPERM);
	ck_assert_str_eq(show(5, VGC_SYSFS_DIRECTION), "in\n");
	ck_assert_uint_ge(fx_line_status(5).cnt.denials, 1);
}
END_TEST

START_TEST(sysfs_output_drives_host)
{
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("104\n")), 4);
	ck_assert_int_eq(store(4, VGC_SYSFS_DIRECTION, "high\n"), 5);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_str_eq(show(4, VGC_SYSFS_DIRECTION), "out\n");
	ck_assert_str_eq(show(4, VGC_SYSFS_VALUE), "1\n");
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "0\n"), 2);
	ck_assert_int_eq(fx_level(17), 0);
	/* any non-zero number is high */
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "0x10\n"), 5);
	ck_assert_int_eq(fx_level(17), 1);
	/* active low: the level stays, the logical value flips */
	ck_assert_int_eq(store(4, VGC_SYSFS_ACTIVE_LOW, "1\n"), 2);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_str_eq(show(4, VGC_SYSFS_VALUE), "0\n");
	ck_assert_str_eq(show(4, VGC_SYSFS_ACTIVE_LOW), "1\n");
	/* high and low are physical, whatever active low says */
	ck_assert_int_eq(store(4, VGC_SYSFS_DIRECTION, "low\n"), 4);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_int_eq(store(4, VGC_SYSFS_VALUE, "0\n"), 2);
	ck_assert_int_eq(fx_level(17), 1);
}
END_TEST

START_TEST(sysfs_release_state_on_unexport)
{
	struct vgc_rules r = vgc_rules_default;

	r.release = VGC_RELEASE_LOW;
	fx_rules_install(4, &r);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("104")), 3);
	ck_assert_int_eq(store(4, VGC_SYSFS_DIRECTION, "high"), 4);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_int_eq(UNEXPORT("104"), 3);
	ck_assert_uint_eq(unexported, 4);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert(!vgc_sysfs_exported(s, 4));
}
END_TEST

static bool sysfs_drained(void *arg)
{
	(void)arg;
	return vgc_sysfs_drain(s) > 0;
}

START_TEST(sysfs_edges_counted)
{
	fx_pull(27, 0);
	ck_assert_int_eq(vgc_sysfs_export(s, 1, S("105")), 3);
	ck_assert_int_eq(store(5, VGC_SYSFS_DIRECTION, "in"), 2);
	fx_pull(27, 1);
	fx_settle();
	/* no edge detection yet: nothing counted */
	ck_assert_uint_eq(vgc_sysfs_drain(s), 0);
	ck_assert_int_eq(store(5, VGC_SYSFS_EDGE, "falling\n"), 8);
	ck_assert_str_eq(show(5, VGC_SYSFS_EDGE), "falling\n");
	fx_pull(27, 0);
	ck_assert(fx_wait(sysfs_drained, NULL, FX_TIMEOUT_MS));
	ck_assert_uint_eq(vgc_sysfs_events(s, 5), 1);
	/* a rising edge is not asked for */
	fx_pull(27, 1);
	fx_settle();
	ck_assert_uint_eq(vgc_sysfs_drain(s), 0);
	ck_assert_str_eq(show(5, VGC_SYSFS_VALUE), "1\n");
}
END_TEST

START_TEST(sysfs_chip_attributes)
{
	char buf[64];

	ck_assert_int_gt(vgc_sysfs_chip_show(s, "base", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "100\n");
	ck_assert_int_gt(vgc_sysfs_chip_show(s, "ngpio", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "8\n");
	ck_assert_int_gt(vgc_sysfs_chip_show(s, "label", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, FX_LABEL "\n");
}
END_TEST

Suite *vgc_test_sysfs_suite(void)
{
	Suite *su = suite_create("sysfs");
	TCase *tc = tcase_create("sysfs");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_checked_fixture(tc, sysfs_setup, sysfs_teardown);
	tcase_add_loop_test(tc, sysfs_strtol_as_kernel, 0,
			    (int)(sizeof(strtol_rows) / sizeof(strtol_rows[0])));
	tcase_add_test(tc, sysfs_export_refusals);
	tcase_add_test(tc, sysfs_busy_both_ways);
	tcase_add_test(tc, sysfs_attribute_refusals);
	tcase_add_test(tc, sysfs_rule_denies);
	tcase_add_test(tc, sysfs_output_drives_host);
	tcase_add_test(tc, sysfs_release_state_on_unexport);
	tcase_add_test(tc, sysfs_edges_counted);
	tcase_add_test(tc, sysfs_chip_attributes);
	suite_add_tcase(su, tc);
	return su;
}
