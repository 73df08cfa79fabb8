// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The example configuration vgpiochip.conf(5) shows (contrib/examples/
 * gpiozero.conf, the same text in the page) under the claim sequence of
 * gpiozero's lgpio pin factory: each pin is first requested as an input
 * with bias disabled, then reconfigured with SET_CONFIG (LED: output;
 * Button: input with pull-up and edges). The examples the page had before
 * refused the first step; they are kept here to show that this test sees it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/config.h"
#include "fixture.h"
#include "suites.h"

#define EXAMPLE "contrib/examples/gpiozero.conf"
#define MANPAGE "man/vgpiochip.conf.5"
#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define BIAS_DISABLED GPIO_V2_LINE_FLAG_BIAS_DISABLED
#define PULL_UP GPIO_V2_LINE_FLAG_BIAS_PULL_UP
#define EDGES (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
/* The fixture's LED and BTN lines sit on the Pi's host lines 17 and 27. */
#define LED_VIRT 4
#define BTN_VIRT 5

/* The page's example rules before they were fixed for gpiozero. */
static const char old_example[] =
	"[line 17]\nhost = 17\nname = LED\ndirections = output\ndrive = push-pull\n"
	"edges = no\nmax-toggle-hz = 50\nrelease = low\n"
	"[line 27]\nhost = 27\nname = BUTTON\nread-only = yes\nedges = yes\n"
	"bias = as-is, pull-up\ndebounce-us = 1000-50000\n";

/* A file under the source tree (make runs the tests from there), NUL-terminated. */
static char *ex_read(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "re");

	ck_assert_msg(f, "cannot open %s (run from the source tree): %s", path, strerror(errno));
	ck_assert(getdelim(&text, &len, '\0', f) > 0);
	fclose(f);
	return text;
}

/* The rules of virtual line virt in a config text; the test fails if the text is bad. */
static struct vgc_rules ex_rules(const char *text, uint32_t virt)
{
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_config *cfg = vgc_config_parse(text, "example", err, sizeof(err));
	const struct vgc_rules *r;
	struct vgc_rules copy;

	ck_assert_msg(cfg, "%s", err);
	r = vgc_config_rules(cfg, virt);
	ck_assert_msg(r, "no [line %u] in the example", virt);
	copy = *r;
	vgc_config_free(cfg);
	return copy;
}

static int ex_set_config(int reqfd, uint64_t flags, int value)
{
	struct gpio_v2_line_config lc;

	memset(&lc, 0, sizeof(lc));
	lc.flags = flags;
	if (flags & OUT) {
		lc.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		lc.attrs[0].attr.values = (uint64_t)value;
		lc.attrs[0].mask = 1;
		lc.num_attrs = 1;
	}
	return fx_ioctl(reqfd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc);
}

/* LED(17): claimed as an input with bias disabled, made an output, then toggled. */
START_TEST(ex_gpiozero_led)
{
	char *text = ex_read(EXAMPLE);
	struct vgc_rules r = ex_rules(text, 17);
	uint32_t off = LED_VIRT;
	int chipfd, reqfd;

	fx_rules_install(LED_VIRT, &r);
	chipfd = fx_open();
	reqfd = fx_request(chipfd, &off, 1, IN | BIAS_DISABLED, "lgpio");
	ck_assert_msg(reqfd >= 0, "lgpio's input claim refused: %d", reqfd);
	ck_assert_int_eq(ex_set_config(reqfd, OUT, 1), 0);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_int_eq(fx_set(reqfd, 1, 0), 0);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_int_eq(fx_set(reqfd, 1, 1), 0);
	ck_assert_int_eq(fx_level(17), 1);
	/* still restrictive: no pull-down, no open drain, no edges */
	ck_assert_int_eq(ex_set_config(reqfd, IN | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, 0), -EPERM);
	ck_assert_int_eq(ex_set_config(reqfd, OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN, 0), -EPERM);
	ck_assert_int_eq(ex_set_config(reqfd, IN | EDGES, 0), -EPERM);
	ck_assert_int_eq(fx_level(17), 1);
	fx_close(reqfd);
	/* release = low */
	ck_assert_int_eq(fx_level(17), 0);
	free(text);
}
END_TEST

/* Button(27): claimed as an input with bias disabled, then pull-up and edges. */
START_TEST(ex_gpiozero_button)
{
	char *text = ex_read(EXAMPLE);
	struct vgc_rules r = ex_rules(text, 27);
	struct gpio_v2_line_event ev[4];
	uint32_t off = BTN_VIRT;
	int chipfd, reqfd;

	fx_rules_install(BTN_VIRT, &r);
	fx_pull(27, 1);
	chipfd = fx_open();
	reqfd = fx_request(chipfd, &off, 1, IN | BIAS_DISABLED, "lgpio");
	ck_assert_msg(reqfd >= 0, "lgpio's input claim refused: %d", reqfd);
	ck_assert_int_eq(ex_set_config(reqfd, IN | PULL_UP, 0), 0);
	ck_assert_int_eq(ex_set_config(reqfd, IN | PULL_UP | EDGES, 0), 0);
	ck_assert_int_eq(fx_get(reqfd, 1), 1);
	/* a press: the line goes low, one falling edge */
	fx_pull(27, 0);
	ck_assert(fx_wait_readable(reqfd, FX_TIMEOUT_MS));
	ck_assert_int_eq(fx_read_events(reqfd, ev, 4), 1);
	ck_assert_uint_eq(ev[0].id, GPIO_V2_LINE_EVENT_FALLING_EDGE);
	ck_assert_int_eq(fx_get(reqfd, 1), 0);
	/* still restrictive: never an output */
	ck_assert_int_eq(ex_set_config(reqfd, OUT, 1), -EPERM);
	ck_assert_int_eq(fx_level(27), 0);
	fx_close(reqfd);
	free(text);
}
END_TEST

/* The old rules refuse lgpio's first claim on both pins: what this suite guards against. */
START_TEST(ex_old_example_refused)
{
	static const uint32_t pins[][2] = { { 17, LED_VIRT }, { 27, BTN_VIRT } };
	struct vgc_rules r = ex_rules(old_example, pins[_i][0]);
	uint32_t off = pins[_i][1];
	int chipfd, reqfd;

	fx_rules_install(pins[_i][1], &r);
	chipfd = fx_open();
	reqfd = fx_request(chipfd, &off, 1, IN | BIAS_DISABLED, "lgpio");
	ck_assert_msg(reqfd == -EPERM, "line %u: %d", pins[_i][0], reqfd);
}
END_TEST

/*
 * The page shows the file verbatim: the .nf block after the line
 * '.\" contrib/examples/gpiozero.conf', with roff's \- and \e undone.
 */
START_TEST(ex_man_page_shows_the_file)
{
	char *file = ex_read(EXAMPLE), *page = ex_read(MANPAGE);
	char *start = strstr(page, ".\\\" " EXAMPLE "\n"), *end, *out, *o;

	ck_assert_msg(start, MANPAGE " has no '.\\\" " EXAMPLE "' line before the example");
	start = strstr(start, "\n.nf\n");
	ck_assert(start);
	start += strlen("\n.nf\n");
	end = strstr(start, "\n.fi\n");
	ck_assert(end);
	out = o = calloc(1, (size_t)(end - start) + 2);
	ck_assert(out);
	for (const char *p = start; p <= end; p++) {
		if (p[0] == '\\' && p < end && (p[1] == '-' || p[1] == 'e')) {
			*o++ = p[1] == '-' ? '-' : '\\';
			p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	ck_assert_str_eq(out, file);
	free(out);
	free(page);
	free(file);
}
END_TEST

Suite *vgc_test_examples_suite(void)
{
	Suite *s = suite_create("examples");
	TCase *tc = tcase_create("gpiozero");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, ex_gpiozero_led);
	tcase_add_test(tc, ex_gpiozero_button);
	tcase_add_loop_test(tc, ex_old_example_refused, 0, 2);
	tcase_add_test(tc, ex_man_page_shows_the_file);
	suite_add_tcase(s, tc);
	return s;
}
