// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulated backend, continued: reconfiguration, what a release leaves
 * on a line (as gpiod_free() and gpio-sim do), line info.
 */
#include <errno.h>
#include <string.h>

#include "test_sim.h"

START_TEST(test_set_config_input_to_output)
{
	struct vgc_breq *br = sim_test_request_debounced(
		0, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_OUTPUT);
	struct gpio_v2_line_info info;

	sim_test_pull(0, 1);
	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1);
	ck_assert_int_eq(sim_be->ops->set_config(br, &lc), 0);
	/* debounce stopped with the switch: its timer is gone */
	ck_assert(!sim_test_timer_ready(0));
	info = sim_test_info(0);
	ck_assert_uint_eq(info.flags, GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_USED);
	ck_assert_uint_eq(info.num_attrs, 0);
	ck_assert_int_eq(sim_be->ops->set_values(br, 1, 0), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 0);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	ck_assert_uint_eq(sim_num_events, 0);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_set_config_output_to_input)
{
	struct vgc_breq *br = sim_test_request_one(0, GPIO_V2_LINE_FLAG_OUTPUT);
	struct gpio_v2_line_config lc =
		sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_FALLING);

	/* the outside drive waits until the line stops driving */
	sim_test_pull(0, 1);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 0);
	ck_assert_int_eq(sim_be->ops->set_config(br, &lc), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 1);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	ck_assert_int_eq(sim_be->ops->set_values(br, 1, 0), -EPERM);
	ck_assert_uint_eq(sim_num_events, 0);
	sim_test_pull(0, 0);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_eq(sim_events[0].id, GPIO_V2_LINE_EVENT_FALLING_EDGE);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_set_config_skips_lines_without_direction)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_OUTPUT);
	uint32_t offsets[] = { 0, 1 };
	struct vgc_breq *br;

	sim_test_attr(&lc, 3, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 2);
	br = sim_test_request(offsets, 2, &lc);
	lc = sim_test_cfg(0);
	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_FLAGS, GPIO_V2_LINE_FLAG_INPUT);
	ck_assert_int_eq(sim_be->ops->set_config(br, &lc), 0);
	ck_assert(sim_test_info(0).flags & GPIO_V2_LINE_FLAG_INPUT);
	ck_assert(sim_test_info(1).flags & GPIO_V2_LINE_FLAG_OUTPUT);
	ck_assert_int_eq(vgc_sim_level(sim_be, 1), 1);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_set_config_bias_change_is_an_edge)
{
	uint64_t edges = GPIO_V2_LINE_FLAG_INPUT | SIM_TEST_EDGE_BOTH;
	struct vgc_breq *br = sim_test_request_one(2, edges | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN);
	struct gpio_v2_line_config lc = sim_test_cfg(edges | GPIO_V2_LINE_FLAG_BIAS_PULL_UP);

	ck_assert_int_eq(sim_be->ops->set_config(br, &lc), 0);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_eq(sim_events[0].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_release_keeps_direction_clock_and_pull)
{
	struct gpio_v2_line_config lc = sim_test_cfg(
		GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW |
		GPIO_V2_LINE_FLAG_OPEN_DRAIN);
	uint32_t offsets[] = { 0, 1 };
	struct gpio_v2_line_info info;
	struct vgc_breq *br;

	sim_test_attr(&lc, 2, GPIO_V2_LINE_ATTR_ID_FLAGS,
		      GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP |
			      GPIO_V2_LINE_FLAG_EDGE_RISING |
			      GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	sim_test_attr(&lc, 2, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, SIM_TEST_DEBOUNCE_US);
	br = sim_test_request(offsets, 2, &lc);
	/* logical 0 on an active-low output drives the pin high */
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 1);
	ck_assert_int_eq(vgc_sim_level(sim_be, 1), 1);
	sim_be->ops->release(br);

	info = sim_test_info(0);
	ck_assert_uint_eq(info.flags, GPIO_V2_LINE_FLAG_OUTPUT);
	ck_assert_str_eq(info.consumer, "");
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 1);
	info = sim_test_info(1);
	/* gpiod_free() clears every flag but the event clock */
	ck_assert_uint_eq(info.flags,
			  GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	ck_assert_uint_eq(info.num_attrs, 0);
	/* gpio-sim keeps the pull-up's level after the release */
	ck_assert_int_eq(vgc_sim_level(sim_be, 1), 1);

	/* a released line is free again, and an as-is request keeps the output */
	br = sim_test_request_one(0, 0);
	ck_assert(sim_test_info(0).flags & GPIO_V2_LINE_FLAG_OUTPUT);
	ck_assert_int_eq(sim_be->ops->set_values(br, 1, 0), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 0);
	sim_be->ops->release(br);
}
END_TEST

/*
 * Requests one after the other on one line, as the differential transcript
 * does on gpio-sim: a bias-disabled or bias-less input reads where the last
 * pull-up or pull-down left it, since gpio-sim has no "disabled" pull.
 */
static const struct sim_test_bias_row {
	const char *name;
	uint64_t flags[4];
	uint64_t expect[4];
} sim_test_bias_rows[] = {
	{ "up, disabled, none",
	  { GPIO_V2_LINE_FLAG_BIAS_PULL_UP, GPIO_V2_LINE_FLAG_BIAS_DISABLED, 0,
	    GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN },
	  { 1, 1, 1, 0 } },
	{ "down, disabled, none",
	  { GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, GPIO_V2_LINE_FLAG_BIAS_DISABLED, 0,
	    GPIO_V2_LINE_FLAG_BIAS_PULL_UP },
	  { 0, 0, 0, 1 } },
	{ "never pulled",
	  { GPIO_V2_LINE_FLAG_BIAS_DISABLED, 0, GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
	    GPIO_V2_LINE_FLAG_BIAS_DISABLED },
	  { 0, 0, 1, 1 } },
	{ "an output's bias counts too",
	  { GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
	    GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, 0,
	    GPIO_V2_LINE_FLAG_BIAS_DISABLED },
	  { 1, 0, 0, 0 } },
};

START_TEST(test_bias_sequence)
{
	const struct sim_test_bias_row *row = &sim_test_bias_rows[_i];

	for (unsigned int step = 0; step < 4; step++) {
		uint64_t flags = row->flags[step];
		struct vgc_breq *br;
		uint64_t got;

		if (!(flags & GPIO_V2_LINE_FLAG_OUTPUT))
			flags |= GPIO_V2_LINE_FLAG_INPUT;
		br = sim_test_request_one(3, flags);
		/* outputs drive 0, so only an input shows where the bias left the pin */
		if (flags & GPIO_V2_LINE_FLAG_OUTPUT) {
			sim_be->ops->release(br);
			continue;
		}
		got = sim_test_get(br, 1);
		ck_assert_msg(got == row->expect[step], "%s, step %u: read %llu, want %llu",
			      row->name, step, (unsigned long long)got,
			      (unsigned long long)row->expect[step]);
		sim_be->ops->release(br);
		ck_assert_int_eq(vgc_sim_level(sim_be, 3), (int)row->expect[step]);
	}
}
END_TEST

START_TEST(test_set_config_bias_disabled_keeps_level)
{
	uint64_t edges = GPIO_V2_LINE_FLAG_INPUT | SIM_TEST_EDGE_BOTH;
	struct vgc_breq *br = sim_test_request_one(2, edges | GPIO_V2_LINE_FLAG_BIAS_PULL_UP);
	struct gpio_v2_line_config lc = sim_test_cfg(edges | GPIO_V2_LINE_FLAG_BIAS_DISABLED);

	ck_assert_int_eq(sim_be->ops->set_config(br, &lc), 0);
	/* the pin did not move, so there is no edge */
	ck_assert_uint_eq(sim_num_events, 0);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	/* a drive from outside still wins, and letting go returns to the pull */
	sim_test_pull(2, 0);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_test_pull(2, -1);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	ck_assert_uint_eq(sim_num_events, 2);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_clock_flags_outlive_release)
{
	uint64_t in = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING;
	struct vgc_breq *br = sim_test_request_one(5, in | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	struct gpio_v2_line_info info;
	uint64_t before, after;

	sim_be->ops->release(br);
	info = sim_test_info(5);
	ck_assert_uint_eq(info.flags,
			  GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	ck_assert_str_eq(info.consumer, "");

	/* the next v2 request sets the clock again, here back to monotonic */
	br = sim_test_request_one(5, in);
	ck_assert_uint_eq(sim_test_info(5).flags,
			  GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_INPUT |
				  GPIO_V2_LINE_FLAG_EDGE_RISING);
	before = sim_test_now(CLOCK_MONOTONIC);
	sim_test_pull(5, 1);
	after = sim_test_now(CLOCK_MONOTONIC);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_ge(sim_events[0].timestamp_ns, before);
	ck_assert_uint_le(sim_events[0].timestamp_ns, after);
	sim_be->ops->release(br);
	ck_assert_uint_eq(sim_test_info(5).flags, GPIO_V2_LINE_FLAG_INPUT);
}
END_TEST

START_TEST(test_line_info_requested)
{
	struct gpio_v2_line_config lc = sim_test_cfg(
		GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW |
		GPIO_V2_LINE_FLAG_BIAS_DISABLED | SIM_TEST_EDGE_BOTH |
		GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	uint32_t offsets[] = { 6, 7 };
	struct gpio_v2_line_info info;
	struct vgc_breq *br;

	sim_test_attr(&lc, 2, GPIO_V2_LINE_ATTR_ID_FLAGS,
		      GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE);
	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 1234);
	br = sim_test_request(offsets, 2, &lc);

	info = sim_test_info(6);
	ck_assert_uint_eq(info.offset, 6);
	ck_assert_str_eq(info.name, "");
	ck_assert_str_eq(info.consumer, "sim-test");
	ck_assert_uint_eq(info.flags,
			  GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_INPUT |
				  GPIO_V2_LINE_FLAG_ACTIVE_LOW | GPIO_V2_LINE_FLAG_BIAS_DISABLED |
				  GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING |
				  GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	ck_assert_uint_eq(info.num_attrs, 1);
	ck_assert_uint_eq(info.attrs[0].id, GPIO_V2_LINE_ATTR_ID_DEBOUNCE);
	ck_assert_uint_eq(info.attrs[0].debounce_period_us, 1234);
	for (unsigned int i = 0; i < sizeof(info.padding) / sizeof(info.padding[0]); i++)
		ck_assert_uint_eq(info.padding[i], 0);

	info = sim_test_info(7);
	ck_assert_uint_eq(info.flags, GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_OUTPUT |
					      GPIO_V2_LINE_FLAG_OPEN_SOURCE);
	ck_assert_uint_eq(info.num_attrs, 0);
	sim_be->ops->release(br);
	ck_assert_uint_eq(sim_test_info(6).num_attrs, 0);
}
END_TEST

START_TEST(test_long_consumer_cut)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT);
	const char *name = "tenant-with-a-long-name:consumer-label";
	uint32_t offset = 0;
	struct vgc_breq *br = NULL;

	ck_assert_int_eq(sim_be->ops->request(sim_be, &offset, 1, &lc, name, NULL, NULL, &br), 0);
	ck_assert_int_eq(strncmp(sim_test_info(0).consumer, name, GPIO_MAX_NAME_SIZE - 1), 0);
	ck_assert_uint_eq(strlen(sim_test_info(0).consumer), GPIO_MAX_NAME_SIZE - 1);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_close_with_live_request)
{
	/* teardown closes the chip with this request and its pending timer still there */
	sim_test_request_debounced(3, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	sim_test_pull(3, 1);
	ck_assert(sim_test_info(3).flags & GPIO_V2_LINE_FLAG_USED);
}
END_TEST

TCase *vgc_test_sim_config_tcase(void)
{
	TCase *config = tcase_create("config");

	tcase_add_checked_fixture(config, sim_test_setup, sim_test_teardown);
	tcase_add_test(config, test_set_config_input_to_output);
	tcase_add_test(config, test_set_config_output_to_input);
	tcase_add_test(config, test_set_config_skips_lines_without_direction);
	tcase_add_test(config, test_set_config_bias_change_is_an_edge);
	tcase_add_test(config, test_release_keeps_direction_clock_and_pull);
	tcase_add_loop_test(config, test_bias_sequence, 0,
			    sizeof(sim_test_bias_rows) / sizeof(sim_test_bias_rows[0]));
	tcase_add_test(config, test_set_config_bias_disabled_keeps_level);
	tcase_add_test(config, test_clock_flags_outlive_release);
	tcase_add_test(config, test_line_info_requested);
	tcase_add_test(config, test_long_consumer_cut);
	tcase_add_test(config, test_close_with_live_request);
	return config;
}
