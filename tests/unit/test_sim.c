// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulated backend: claiming lines, levels, bias, active-low, edge
 * filtering, event clocks, software debounce, reconfiguration, release and
 * line info. A fresh eight-line chip per test.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "test_sim.h"

struct vgc_backend *sim_be;
struct sim_test_event sim_events[SIM_TEST_MAX_EVENTS];
unsigned int sim_num_events;
static int owner_tag;

void sim_test_setup(void)
{
	sim_be = vgc_backend_sim_open(SIM_TEST_LINES);
	ck_assert_ptr_nonnull(sim_be);
	sim_num_events = 0;
}

void sim_test_teardown(void)
{
	sim_be->ops->close(sim_be);
	sim_be = NULL;
}

void sim_test_edge(void *owner, unsigned int idx, const struct vgc_edge *e)
{
	ck_assert_uint_lt(sim_num_events, SIM_TEST_MAX_EVENTS);
	/* the sim leaves numbering to the chardev layer */
	ck_assert_uint_eq(e->seqno, 0);
	ck_assert_uint_eq(e->line_seqno, 0);
	sim_events[sim_num_events++] = (struct sim_test_event){ owner, idx, e->id, e->timestamp_ns };
}

uint64_t sim_test_now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct gpio_v2_line_config sim_test_cfg(uint64_t flags)
{
	struct gpio_v2_line_config lc;

	memset(&lc, 0, sizeof(lc));
	lc.flags = flags;
	return lc;
}

void sim_test_attr(struct gpio_v2_line_config *lc, uint64_t mask, uint32_t id,
		   uint64_t value)
{
	struct gpio_v2_line_config_attribute *a = &lc->attrs[lc->num_attrs++];

	a->mask = mask;
	a->attr.id = id;
	if (id == GPIO_V2_LINE_ATTR_ID_FLAGS)
		a->attr.flags = value;
	else if (id == GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES)
		a->attr.values = value;
	else
		a->attr.debounce_period_us = (uint32_t)value;
}

struct vgc_breq *sim_test_request(const uint32_t *offsets, unsigned int num,
				  const struct gpio_v2_line_config *lc)
{
	struct vgc_breq *br = NULL;
	int ret = sim_be->ops->request(sim_be, offsets, num, lc, "sim-test", sim_test_edge, &owner_tag,
				   &br);

	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(br);
	return br;
}

struct vgc_breq *sim_test_request_one(uint32_t offset, uint64_t flags)
{
	struct gpio_v2_line_config lc = sim_test_cfg(flags);

	return sim_test_request(&offset, 1, &lc);
}

uint64_t sim_test_get(struct vgc_breq *br, uint64_t mask)
{
	uint64_t bits = ~0ULL;

	ck_assert_int_eq(sim_be->ops->get_values(br, mask, &bits), 0);
	return bits;
}

struct gpio_v2_line_info sim_test_info(uint32_t offset)
{
	struct gpio_v2_line_info info;

	memset(&info, 0xa5, sizeof(info));
	ck_assert_int_eq(sim_be->ops->line_info(sim_be, offset, &info), 0);
	return info;
}

bool sim_test_timer_ready(int timeout_ms)
{
	struct pollfd pfd = { .fd = sim_be->ops->poll_fd(sim_be), .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);

	ck_assert_int_ge(n, 0);
	return n == 1;
}

/* Wait for the debounce timer to fire, then let the backend handle it. */
void sim_test_wait_timer(void)
{
	ck_assert_msg(sim_test_timer_ready(5000), "debounce timer never fired");
	sim_be->ops->dispatch(sim_be);
}

void sim_test_pull(uint32_t offset, int level)
{
	ck_assert_int_eq(vgc_sim_pull(sim_be, offset, level), 0);
}

/* --- failure cases --- */

START_TEST(test_open_bad_sizes)
{
	errno = 0;
	ck_assert_ptr_null(vgc_backend_sim_open(0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(vgc_backend_sim_open(65536));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_request_bad_offset)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT);
	uint32_t offsets[] = { 0, SIM_TEST_LINES };
	struct vgc_breq *br = NULL;

	ck_assert_int_eq(sim_be->ops->request(sim_be, offsets, 2, &lc, "x", NULL, NULL, &br), -EINVAL);
	ck_assert(!(sim_test_info(0).flags & GPIO_V2_LINE_FLAG_USED));
}
END_TEST

START_TEST(test_request_busy_leaves_nothing_claimed)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT);
	struct vgc_breq *held = sim_test_request_one(1, GPIO_V2_LINE_FLAG_INPUT);
	uint32_t offsets[] = { 0, 1, 2 };
	struct vgc_breq *br = NULL;

	ck_assert_int_eq(sim_be->ops->request(sim_be, offsets, 3, &lc, "x", NULL, NULL, &br), -EBUSY);
	ck_assert(!(sim_test_info(0).flags & GPIO_V2_LINE_FLAG_USED));
	ck_assert(!(sim_test_info(2).flags & GPIO_V2_LINE_FLAG_USED));
	ck_assert_str_eq(sim_test_info(1).consumer, "sim-test");
	/* the lines that were not busy can still be had */
	sim_be->ops->release(sim_test_request(offsets, 1, &lc));
	sim_be->ops->release(held);
}
END_TEST

START_TEST(test_request_same_line_twice)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT);
	uint32_t offsets[] = { 3, 4, 3 };
	struct vgc_breq *br = NULL;

	ck_assert_int_eq(sim_be->ops->request(sim_be, offsets, 3, &lc, "x", NULL, NULL, &br), -EBUSY);
	ck_assert(!(sim_test_info(3).flags & GPIO_V2_LINE_FLAG_USED));
	ck_assert(!(sim_test_info(4).flags & GPIO_V2_LINE_FLAG_USED));
}
END_TEST

START_TEST(test_bad_offsets_and_levels)
{
	struct gpio_v2_line_info info;

	ck_assert_int_eq(sim_be->ops->line_info(sim_be, SIM_TEST_LINES, &info), -EINVAL);
	ck_assert_int_eq(vgc_sim_pull(sim_be, SIM_TEST_LINES, 1), -EINVAL);
	ck_assert_int_eq(vgc_sim_pull(sim_be, 0, 2), -EINVAL);
	ck_assert_int_eq(vgc_sim_pull(sim_be, 0, -2), -EINVAL);
	ck_assert_int_eq(vgc_sim_level(sim_be, SIM_TEST_LINES), -EINVAL);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 0);
}
END_TEST

START_TEST(test_set_values_on_input_refused)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_OUTPUT);
	uint32_t offsets[] = { 0, 1 };
	struct vgc_breq *br;

	sim_test_attr(&lc, 2, GPIO_V2_LINE_ATTR_ID_FLAGS, GPIO_V2_LINE_FLAG_INPUT);
	br = sim_test_request(offsets, 2, &lc);
	ck_assert_int_eq(sim_be->ops->set_values(br, 3, 3), -EPERM);
	/* the output in the same call was not touched */
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 0);
	sim_be->ops->release(br);
}
END_TEST

/* --- happy paths --- */

START_TEST(test_initial_lines)
{
	ck_assert_uint_eq(sim_be->ops->num_lines(sim_be), SIM_TEST_LINES);
	ck_assert_str_eq(sim_be->ops->kind, "sim");
	ck_assert_int_eq(sim_be->ops->poll_fd(sim_be) >= 0, 1);
	for (uint32_t i = 0; i < SIM_TEST_LINES; i++) {
		struct gpio_v2_line_info info = sim_test_info(i);

		ck_assert_uint_eq(info.offset, i);
		ck_assert_uint_eq(info.flags, GPIO_V2_LINE_FLAG_INPUT);
		ck_assert_str_eq(info.name, "");
		ck_assert_str_eq(info.consumer, "");
		ck_assert_uint_eq(info.num_attrs, 0);
		ck_assert_int_eq(vgc_sim_level(sim_be, i), 0);
	}
}
END_TEST

START_TEST(test_outputs)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_OUTPUT);
	uint32_t offsets[] = { 2, 5, 7 };
	struct vgc_breq *br;

	/* the first attribute that covers a line wins */
	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1);
	sim_test_attr(&lc, 3, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 2);
	br = sim_test_request(offsets, 3, &lc);
	ck_assert_int_eq(vgc_sim_level(sim_be, 2), 1);
	ck_assert_int_eq(vgc_sim_level(sim_be, 5), 1);
	ck_assert_int_eq(vgc_sim_level(sim_be, 7), 0);
	ck_assert_uint_eq(sim_test_get(br, 7), 3);

	ck_assert_int_eq(sim_be->ops->set_values(br, 5, 4), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 2), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 5), 1);
	ck_assert_int_eq(vgc_sim_level(sim_be, 7), 1);
	ck_assert_uint_eq(sim_test_get(br, 7), 6);
	/* only asked-for bits come back */
	ck_assert_uint_eq(sim_test_get(br, 2), 2);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_output_active_low)
{
	struct gpio_v2_line_config lc =
		sim_test_cfg(GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW);
	uint32_t offset = 4;
	struct vgc_breq *br;

	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, 1);
	br = sim_test_request(&offset, 1, &lc);
	ck_assert_int_eq(vgc_sim_level(sim_be, 4), 0);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	ck_assert_int_eq(sim_be->ops->set_values(br, 1, 0), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 4), 1);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_inputs_pulled)
{
	uint32_t offsets[] = { 0, 1 };
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT);
	struct vgc_breq *br = sim_test_request(offsets, 2, &lc);

	ck_assert_uint_eq(sim_test_get(br, 3), 0);
	sim_test_pull(1, 1);
	ck_assert_uint_eq(sim_test_get(br, 3), 2);
	ck_assert_int_eq(vgc_sim_level(sim_be, 1), 1);
	sim_test_pull(0, 1);
	sim_test_pull(1, 0);
	ck_assert_uint_eq(sim_test_get(br, 3), 1);
	/* let go: a floating line reads 0 */
	sim_test_pull(0, -1);
	ck_assert_uint_eq(sim_test_get(br, 3), 0);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 0);
	/* no edge detection asked for: no events */
	ck_assert_uint_eq(sim_num_events, 0);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_bias)
{
	uint32_t offsets[] = { 0, 1 };
	struct gpio_v2_line_config lc =
		sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP);
	struct vgc_breq *br;

	sim_test_attr(&lc, 2, GPIO_V2_LINE_ATTR_ID_FLAGS,
		      GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN);
	br = sim_test_request(offsets, 2, &lc);
	ck_assert_uint_eq(sim_test_get(br, 3), 1);
	ck_assert_int_eq(vgc_sim_level(sim_be, 0), 1);
	/* a drive from outside beats the bias */
	sim_test_pull(0, 0);
	sim_test_pull(1, 1);
	ck_assert_uint_eq(sim_test_get(br, 3), 2);
	sim_test_pull(0, -1);
	sim_test_pull(1, -1);
	ck_assert_uint_eq(sim_test_get(br, 3), 1);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_input_active_low)
{
	struct vgc_breq *br =
		sim_test_request_one(6, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW);

	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	sim_test_pull(6, 1);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_be->ops->release(br);
}
END_TEST

#define RISE GPIO_V2_LINE_EVENT_RISING_EDGE
#define FALL GPIO_V2_LINE_EVENT_FALLING_EDGE

/* One row per edge filter: the pulls applied and the logical edges expected. */
static const struct sim_test_edge_row {
	const char *name;
	uint64_t flags;
	int pulls[4];
	uint32_t ids[3]; /* 0 ends the list */
} sim_test_edge_rows[] = {
	{ "rising", GPIO_V2_LINE_FLAG_EDGE_RISING, { 1, 0, 1, 1 }, { RISE, RISE } },
	{ "falling", GPIO_V2_LINE_FLAG_EDGE_FALLING, { 1, 0, 1, -1 }, { FALL, FALL } },
	{ "both", SIM_TEST_EDGE_BOTH, { 1, 1, 0, 0 }, { RISE, FALL } },
	{ "active-low rising", GPIO_V2_LINE_FLAG_ACTIVE_LOW | GPIO_V2_LINE_FLAG_EDGE_RISING,
	  { 1, 0, 1, 1 }, { RISE } },
	{ "active-low falling", GPIO_V2_LINE_FLAG_ACTIVE_LOW | GPIO_V2_LINE_FLAG_EDGE_FALLING,
	  { 1, 0, 1, 1 }, { FALL, FALL } },
	{ "active-low both", GPIO_V2_LINE_FLAG_ACTIVE_LOW | SIM_TEST_EDGE_BOTH, { 1, 0, 0, 1 },
	  { FALL, RISE, FALL } },
};

START_TEST(test_edge_filter)
{
	const struct sim_test_edge_row *row = &sim_test_edge_rows[_i];
	struct vgc_breq *br = sim_test_request_one(3, GPIO_V2_LINE_FLAG_INPUT | row->flags);
	unsigned int expected = 0;

	for (unsigned int i = 0; i < 4; i++)
		sim_test_pull(3, row->pulls[i]);
	while (expected < 3 && row->ids[expected])
		expected++;
	ck_assert_msg(sim_num_events == expected, "%s: %u sim_events, expected %u", row->name,
		      sim_num_events, expected);
	for (unsigned int i = 0; i < expected; i++) {
		ck_assert_msg(sim_events[i].id == row->ids[i], "%s: event %u has id %u", row->name,
			      i, sim_events[i].id);
		ck_assert_ptr_eq(sim_events[i].owner, &owner_tag);
		ck_assert_uint_eq(sim_events[i].idx, 0);
	}
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_edges_both_and_index)
{
	struct gpio_v2_line_config lc = sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT);
	uint32_t offsets[] = { 5, 3 };
	struct vgc_breq *br;

	sim_test_attr(&lc, 2, GPIO_V2_LINE_ATTR_ID_FLAGS,
		      GPIO_V2_LINE_FLAG_INPUT | SIM_TEST_EDGE_BOTH);
	br = sim_test_request(offsets, 2, &lc);
	/* line 5 watches nothing */
	sim_test_pull(5, 1);
	sim_test_pull(3, 1);
	sim_test_pull(3, 0);
	ck_assert_uint_eq(sim_num_events, 2);
	ck_assert_uint_eq(sim_events[0].idx, 1);
	ck_assert_uint_eq(sim_events[0].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_eq(sim_events[1].idx, 1);
	ck_assert_uint_eq(sim_events[1].id, GPIO_V2_LINE_EVENT_FALLING_EDGE);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_timestamp_monotonic)
{
	struct vgc_breq *br =
		sim_test_request_one(0, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	uint64_t before = sim_test_now(CLOCK_MONOTONIC), after;

	sim_test_pull(0, 1);
	after = sim_test_now(CLOCK_MONOTONIC);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_ge(sim_events[0].timestamp_ns, before);
	ck_assert_uint_le(sim_events[0].timestamp_ns, after);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_timestamp_realtime)
{
	struct vgc_breq *br = sim_test_request_one(
		0, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_FALLING |
			   GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	uint64_t before, after;

	sim_test_pull(0, 1);
	before = sim_test_now(CLOCK_REALTIME);
	sim_test_pull(0, 0);
	after = sim_test_now(CLOCK_REALTIME);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_ge(sim_events[0].timestamp_ns, before);
	ck_assert_uint_le(sim_events[0].timestamp_ns, after);
	sim_be->ops->release(br);
}
END_TEST

struct vgc_breq *sim_test_request_debounced(uint32_t offset, uint64_t flags)
{
	struct gpio_v2_line_config lc = sim_test_cfg(flags);

	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, SIM_TEST_DEBOUNCE_US);
	return sim_test_request(&offset, 1, &lc);
}

START_TEST(test_debounce_glitch_ignored)
{
	struct vgc_breq *br = sim_test_request_debounced(
		1, GPIO_V2_LINE_FLAG_INPUT | SIM_TEST_EDGE_BOTH);

	sim_test_pull(1, 1);
	/* the raw level moved but the debounced one has not */
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_test_pull(1, 0);
	sim_test_wait_timer();
	ck_assert_uint_eq(sim_num_events, 0);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	/* nothing left pending */
	ck_assert(!sim_test_timer_ready(0));
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_debounce_stable_change)
{
	struct vgc_breq *br = sim_test_request_debounced(
		1, GPIO_V2_LINE_FLAG_INPUT | SIM_TEST_EDGE_BOTH);
	uint64_t last_change, after;

	sim_test_pull(1, 1);
	/* a quarter period in, nothing is due yet */
	ck_assert(!sim_test_timer_ready(SIM_TEST_DEBOUNCE_US / 4000));
	/* each bounce restarts the period */
	sim_test_pull(1, 0);
	last_change = sim_test_now(CLOCK_MONOTONIC);
	sim_test_pull(1, 1);
	sim_test_wait_timer();
	after = sim_test_now(CLOCK_MONOTONIC);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_eq(sim_events[0].id, GPIO_V2_LINE_EVENT_RISING_EDGE);
	ck_assert_uint_ge(sim_events[0].timestamp_ns, last_change + SIM_TEST_DEBOUNCE_US * 1000ULL);
	ck_assert_uint_le(sim_events[0].timestamp_ns, after);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	ck_assert(!sim_test_timer_ready(0));

	sim_test_pull(1, 0);
	sim_test_wait_timer();
	ck_assert_uint_eq(sim_num_events, 2);
	ck_assert_uint_eq(sim_events[1].id, GPIO_V2_LINE_EVENT_FALLING_EDGE);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_debounce_active_low_realtime)
{
	struct vgc_breq *br = sim_test_request_debounced(
		1, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW |
			   GPIO_V2_LINE_FLAG_EDGE_FALLING | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
	uint64_t before = sim_test_now(CLOCK_REALTIME), after;

	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	sim_test_pull(1, 1);
	sim_test_wait_timer();
	after = sim_test_now(CLOCK_REALTIME);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_eq(sim_events[0].id, GPIO_V2_LINE_EVENT_FALLING_EDGE);
	ck_assert_uint_ge(sim_events[0].timestamp_ns, before + SIM_TEST_DEBOUNCE_US * 1000ULL);
	ck_assert_uint_le(sim_events[0].timestamp_ns, after);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_debounce_without_edges)
{
	struct vgc_breq *br = sim_test_request_debounced(1, GPIO_V2_LINE_FLAG_INPUT);

	sim_test_pull(1, 1);
	ck_assert_uint_eq(sim_test_get(br, 1), 0);
	sim_test_wait_timer();
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	ck_assert_uint_eq(sim_num_events, 0);
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_debounce_zero_is_off)
{
	struct gpio_v2_line_config lc =
		sim_test_cfg(GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);
	uint32_t offset = 1;
	struct vgc_breq *br;

	sim_test_attr(&lc, 1, GPIO_V2_LINE_ATTR_ID_DEBOUNCE, 0);
	br = sim_test_request(&offset, 1, &lc);
	sim_test_pull(1, 1);
	ck_assert_uint_eq(sim_num_events, 1);
	ck_assert_uint_eq(sim_test_get(br, 1), 1);
	ck_assert_uint_eq(sim_test_info(1).num_attrs, 0);
	ck_assert(!sim_test_timer_ready(0));
	sim_be->ops->release(br);
}
END_TEST

START_TEST(test_release_cancels_debounce)
{
	struct vgc_breq *br = sim_test_request_debounced(
		1, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING);

	sim_test_pull(1, 1);
	/* not due yet: dispatch has nothing to do */
	sim_be->ops->dispatch(sim_be);
	ck_assert_uint_eq(sim_num_events, 0);
	sim_be->ops->release(br);
	ck_assert(!sim_test_timer_ready(0));
	ck_assert_uint_eq(sim_num_events, 0);
}
END_TEST

Suite *vgc_test_sim_suite(void)
{
	Suite *s = suite_create("sim");
	TCase *fail = tcase_create("failures");
	TCase *lines = tcase_create("lines");
	TCase *edges = tcase_create("edges");

	tcase_add_checked_fixture(fail, sim_test_setup, sim_test_teardown);
	tcase_add_test(fail, test_open_bad_sizes);
	tcase_add_test(fail, test_request_bad_offset);
	tcase_add_test(fail, test_request_busy_leaves_nothing_claimed);
	tcase_add_test(fail, test_request_same_line_twice);
	tcase_add_test(fail, test_bad_offsets_and_levels);
	tcase_add_test(fail, test_set_values_on_input_refused);
	suite_add_tcase(s, fail);

	tcase_add_checked_fixture(lines, sim_test_setup, sim_test_teardown);
	tcase_add_test(lines, test_initial_lines);
	tcase_add_test(lines, test_outputs);
	tcase_add_test(lines, test_output_active_low);
	tcase_add_test(lines, test_inputs_pulled);
	tcase_add_test(lines, test_bias);
	tcase_add_test(lines, test_input_active_low);
	suite_add_tcase(s, lines);

	tcase_add_checked_fixture(edges, sim_test_setup, sim_test_teardown);
	tcase_add_loop_test(edges, test_edge_filter, 0,
			    sizeof(sim_test_edge_rows) / sizeof(sim_test_edge_rows[0]));
	tcase_add_test(edges, test_edges_both_and_index);
	tcase_add_test(edges, test_timestamp_monotonic);
	tcase_add_test(edges, test_timestamp_realtime);
	tcase_add_test(edges, test_debounce_glitch_ignored);
	tcase_add_test(edges, test_debounce_stable_change);
	tcase_add_test(edges, test_debounce_active_low_realtime);
	tcase_add_test(edges, test_debounce_without_edges);
	tcase_add_test(edges, test_debounce_zero_is_off);
	tcase_add_test(edges, test_release_cancels_debounce);
	suite_add_tcase(s, edges);

	suite_add_tcase(s, vgc_test_sim_config_tcase());
	return s;
}
