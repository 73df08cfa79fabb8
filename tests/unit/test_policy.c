// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host owner's rules as a tenant meets them through the uAPI: denials
 * with EPERM and an audit record, toggle and event rates, release states on
 * the host pins, reloads while lines are held, and the chip going away.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "suites.h"

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define BOTH (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
#define USED GPIO_V2_LINE_FLAG_USED
#define SEC 1000000000ull

static const struct fx_audit *pol_last_audit(void)
{
	ck_assert_uint_gt(fx.num_audit, 0);
	ck_assert_uint_le(fx.num_audit, FX_MAX_AUDIT);
	return &fx.audit[fx.num_audit - 1];
}

/* An output request of one line with an initial value. */
static int pol_request_out(int chipfd, uint32_t off, int value)
{
	struct gpio_v2_line_request lr = {
		.offsets = { off },
		.num_lines = 1,
		.config = { .flags = OUT, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES,
						   .values = (uint64_t)value },
					 .mask = 1 } } },
	};
	snprintf(lr.consumer, sizeof(lr.consumer), "pol");
	return fx_request_lr(chipfd, &lr);
}

/* An input-only line: output is EPERM, audited with the rule; input works. */
START_TEST(pol_output_denied_on_input_line)
{
	struct vgc_rules r = vgc_rules_default;
	struct gpio_v2_line_info li;
	uint32_t off = 4;
	int chipfd = fx_open_as(321), fd;

	r.directions = VGC_RULE_DIR_INPUT;
	fx_rules_install(4, &r);
	ck_assert_int_eq(pol_request_out(chipfd, 4, 1), -EPERM);
	ck_assert_int_eq(pol_last_audit()->event, VGC_AUDIT_DENIED);
	ck_assert_int_eq(pol_last_audit()->result, -EPERM);
	ck_assert_str_eq(pol_last_audit()->rule, "directions");
	ck_assert_uint_eq(pol_last_audit()->offset, 4);
	ck_assert_uint_eq(pol_last_audit()->host, 17);
	ck_assert_int_eq(pol_last_audit()->pid, 321);
	/* nothing was claimed: the line is free and the pin untouched */
	ck_assert_int_eq(fx_info(chipfd, 4, &li), 0);
	ck_assert(!(li.flags & USED));
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_uint_eq(fx_line_status(4).cnt.denials, 1);
	ck_assert_uint_eq(vgc_chip_counters(fx.chip)->denials, 1);

	fd = fx_request(chipfd, &off, 1, IN, "reader");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pol_last_audit()->event, VGC_AUDIT_REQUEST);
	ck_assert_uint_eq(fx_line_status(4).cnt.requests, 1);
	/* and the input may not be turned into an output later */
	{
		struct gpio_v2_line_config lc = { .flags = OUT };

		ck_assert_int_eq(fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc), -EPERM);
	}
	ck_assert_uint_eq(fx_line_status(4).cnt.denials, 2);
}
END_TEST

/* The v1 ABI meets the same rule. */
/* Audit names the process that made the call, not the one that opened the fd (a fork). */
START_TEST(pol_audit_names_the_caller)
{
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open_as(321), fd;

	r.directions = VGC_RULE_DIR_INPUT;
	fx_rules_install(4, &r);
	fx.caller = 654;
	ck_assert_int_eq(pol_request_out(chipfd, 4, 1), -EPERM);
	ck_assert_int_eq(pol_last_audit()->event, VGC_AUDIT_DENIED);
	ck_assert_int_eq(pol_last_audit()->pid, 654);
	fx.caller = 987;
	fd = fx_request(chipfd, (uint32_t[]){ 4 }, 1, IN, "in");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pol_last_audit()->event, VGC_AUDIT_REQUEST);
	ck_assert_int_eq(pol_last_audit()->pid, 987);
	/* the release (a close: no call) names the holder */
	fx.caller = 0;
	fx_close(fd);
	ck_assert_int_eq(pol_last_audit()->event, VGC_AUDIT_RELEASE);
	ck_assert_int_eq(pol_last_audit()->pid, 987);
}
END_TEST

START_TEST(pol_v1_output_denied)
{
	struct vgc_rules r = vgc_rules_default;
	struct gpiohandle_request hr = { .lineoffsets = { 4 }, .lines = 1,
					 .flags = GPIOHANDLE_REQUEST_OUTPUT };

	r.directions = VGC_RULE_DIR_INPUT;
	fx_rules_install(4, &r);
	ck_assert_int_eq(fx_ioctl(fx_open(), GPIO_GET_LINEHANDLE_IOCTL, &hr), -EPERM);
}
END_TEST

/* The kernel's own errnos still come first: a bad offset is EINVAL, a busy line EBUSY. */
START_TEST(pol_kernel_checks_first)
{
	struct vgc_rules r = vgc_rules_default;
	uint32_t off = 4;
	int chipfd = fx_open();

	r.directions = VGC_RULE_DIR_INPUT;
	fx_rules_install(4, &r);
	ck_assert_int_ge(fx_request(chipfd, &off, 1, IN, "a"), 0);
	ck_assert_int_eq(pol_request_out(chipfd, 4, 1), -EBUSY);
	ck_assert_int_eq(pol_request_out(chipfd, 99, 1), -EINVAL);
}
END_TEST

/* A read-only line is never reconfigured, even to what it already is. */
START_TEST(pol_read_only_never_reconfigured)
{
	struct vgc_rules r = vgc_rules_default;
	struct gpio_v2_line_config lc = { .flags = IN };
	uint32_t off = 5;
	int fd;

	r.read_only = true;
	r.directions = VGC_RULE_DIR_INPUT;
	fx_rules_install(5, &r);
	fd = fx_request(fx_open(), &off, 1, IN, "ro");
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc), -EPERM);
	ck_assert_str_eq(pol_last_audit()->rule, "read-only");
}
END_TEST

/* Beyond max-toggle-hz a set fails with EAGAIN and leaves the pin; time refills. */
START_TEST(pol_toggle_rate)
{
	struct vgc_rules r = vgc_rules_default;
	int fd;

	r.max_toggle_hz = 3;
	fx_rules_install(4, &r);
	fx.clock_ns = 100 * SEC;
	/* the request's initial value is a toggle too (the level was unknown) */
	fd = pol_request_out(fx_open(), 4, 1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_set(fd, 1, 0), 0);
	/* the same value again changes nothing and costs nothing */
	ck_assert_int_eq(fx_set(fd, 1, 0), 0);
	ck_assert_int_eq(fx_set(fd, 1, 1), 0);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_int_eq(fx_set(fd, 1, 0), -EAGAIN);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_str_eq(pol_last_audit()->rule, "max-toggle-hz");
	ck_assert_uint_eq(fx_line_status(4).cnt.toggles_refused, 1);
	/* a third of a second later one more toggle is allowed, and only one */
	fx.clock_ns += SEC / 3 + 1;
	ck_assert_int_eq(fx_set(fd, 1, 0), 0);
	ck_assert_int_eq(fx_set(fd, 1, 1), -EAGAIN);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_uint_eq(fx_line_status(4).cnt.toggles_refused, 2);
}
END_TEST

/* Requesting the line again does not refill the bucket. */
START_TEST(pol_toggle_rate_survives_rerequest)
{
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open(), fd;

	r.max_toggle_hz = 2;
	fx_rules_install(4, &r);
	fx.clock_ns = 100 * SEC;
	for (int i = 0; i < 2; i++) {
		fd = pol_request_out(chipfd, 4, i & 1);
		ck_assert_int_ge(fd, 0);
		fx_close(fd);
	}
	ck_assert_int_eq(pol_request_out(chipfd, 4, 0), -EAGAIN);
}
END_TEST

/* Beyond max-event-hz events are numbered but not delivered: a seqno gap. */
START_TEST(pol_event_rate_gap)
{
	struct vgc_rules r = vgc_rules_default;
	struct gpio_v2_line_event ev[8];
	uint32_t off = 5;
	int fd, n;

	r.max_event_hz = 2;
	fx_rules_install(5, &r);
	fx.clock_ns = 100 * SEC;
	fd = fx_request(fx_open(), &off, 1, IN | BOTH, "mon");
	ck_assert_int_ge(fd, 0);
	fx_toggle(5, 4);
	fx.clock_ns += SEC;
	fx_toggle(5, 1);
	n = fx_read_events(fd, ev, 8);
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(ev[0].seqno, 1);
	ck_assert_uint_eq(ev[1].seqno, 2);
	ck_assert_uint_eq(ev[2].seqno, 5);
	ck_assert_uint_eq(ev[2].line_seqno, 5);
	ck_assert_uint_eq(fx_line_status(5).cnt.events, 3);
	ck_assert_uint_eq(fx_line_status(5).cnt.events_dropped, 2);
}
END_TEST

/* Release high: the pin stays high after the tenant lets go, and the line is free. */
START_TEST(pol_release_high_parks)
{
	struct vgc_rules r = vgc_rules_default;
	struct gpio_v2_line_info li;
	int chipfd = fx_open(), fd;

	r.release = VGC_RELEASE_HIGH;
	fx_rules_install(4, &r);
	fd = pol_request_out(chipfd, 4, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_level(17), 0);
	fx_close(fd);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert(fx_line_status(4).parked);
	ck_assert_int_eq(pol_last_audit()->event, VGC_AUDIT_RELEASE);
	ck_assert_int_eq(fx_info(chipfd, 4, &li), 0);
	ck_assert(!(li.flags & USED));
	ck_assert_str_eq(li.consumer, "");
	/* the tenant takes it back */
	fd = pol_request_out(chipfd, 4, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert(!fx_line_status(4).parked);
}
END_TEST

/* Release low on a line of a multi-line request; release input on another. */
START_TEST(pol_release_states_multi)
{
	struct gpio_v2_line_request lr = {
		.offsets = { 3, 4 },
		.num_lines = 2,
		.config = { .flags = OUT, .num_attrs = 1,
			    .attrs = { { .attr = { .id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES,
						   .values = 3 },
					 .mask = 3 } } },
	};
	struct gpio_v2_line_info li;
	struct vgc_rules rules[FX_NUM_LINES];
	int chipfd = fx_open();

	for (unsigned int i = 0; i < fx.map->num; i++)
		rules[i] = vgc_rules_default;
	rules[3].release = VGC_RELEASE_INPUT;	/* virtual 3 */
	rules[4].release = VGC_RELEASE_LOW;	/* virtual 4 */
	ck_assert_int_eq(vgc_chip_update(fx.chip, fx.map, rules, 0), 0);
	ck_assert_int_ge(fx_request_lr(chipfd, &lr), 0);
	ck_assert_int_eq(fx_level(13), 1);
	ck_assert_int_eq(fx_level(17), 1);
	fx_close(lr.fd);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert(fx_line_status(4).parked);
	ck_assert(!fx_line_status(3).parked);
	ck_assert_int_eq(fx_info(chipfd, 3, &li), 0);
	ck_assert(li.flags & IN);
}
END_TEST

/* A reload: new lines at once, held lines keep their rules until released. */
START_TEST(pol_reload)
{
	struct vgc_rules ro = vgc_rules_default, rules[FX_NUM_LINES];
	struct gpio_v2_line_info li;
	struct gpiochip_info ci;
	char err[128];
	struct vgc_map *map = vgc_policy_map_parse("0:10,1:11,2:12,3:13,5:27,7:20,9:21=NEW",
						   err, sizeof(err));
	uint32_t off = 4;
	int chipfd = fx_open(), fd;

	ck_assert_ptr_nonnull(map);
	fd = pol_request_out(chipfd, 4, 1);
	ck_assert_int_ge(fd, 0);
	ro.directions = VGC_RULE_DIR_INPUT;
	for (unsigned int i = 0; i < map->num; i++)
		rules[i] = map->entries[i].virt == 5 ? ro : vgc_rules_default;
	ck_assert_int_eq(vgc_chip_update(fx.chip, map, rules, 0), 0);
	/* the chip grew, and the new line is there */
	ck_assert_int_eq(fx_ioctl(chipfd, GPIO_GET_CHIPINFO_IOCTL, &ci), 0);
	ck_assert_uint_eq(ci.lines, 10);
	ck_assert_int_eq(fx_info(chipfd, 9, &li), 0);
	ck_assert_str_eq(li.name, "NEW");
	ck_assert_int_ge(fx_request(chipfd, (uint32_t[]){ 9 }, 1, IN, "new"), 0);
	/* the changed rule applies to the next request at once */
	ck_assert_int_eq(pol_request_out(chipfd, 5, 1), -EPERM);
	/* line 4 was removed but is held: it works until released, then is a hole */
	ck_assert(fx_line_status(4).reload_pending);
	ck_assert_int_eq(fx_set(fd, 1, 0), 0);
	fx_close(fd);
	ck_assert_int_eq(fx_request(chipfd, &off, 1, IN, "gone"), -EBUSY);
	ck_assert_int_eq(fx_info(chipfd, 4, &li), 0);
	ck_assert_str_eq(li.consumer, "unavailable");
	vgc_policy_map_free(fx.map);
	fx.map = map;
}
END_TEST

/* A reload naming a host line the backend does not have changes nothing. */
START_TEST(pol_reload_bad_host)
{
	char err[128];
	struct vgc_map *map = vgc_policy_map_parse("0:99", err, sizeof(err));

	ck_assert_ptr_nonnull(map);
	ck_assert_int_eq(vgc_chip_update(fx.chip, map, NULL, 0), -EINVAL);
	ck_assert(fx_line_status(4).mapped);
	vgc_policy_map_free(map);
}
END_TEST

/* Gone: every file answers ENODEV / POLLHUP|POLLERR, lines go to their release state. */
START_TEST(pol_gone)
{
	struct vgc_rules r = vgc_rules_default;
	struct gpio_v2_line_event ev;
	struct gpiochip_info ci;
	uint32_t off = 5;
	int chipfd = fx_open(), out, mon;
	unsigned int ready;

	r.release = VGC_RELEASE_LOW;
	fx_rules_install(4, &r);
	out = pol_request_out(chipfd, 4, 1);
	mon = fx_request(chipfd, &off, 1, IN | BOTH, "mon");
	ck_assert_int_ge(out, 0);
	ck_assert_int_ge(mon, 0);
	ready = fx_ready(mon);
	vgc_chip_gone(fx.chip);
	ck_assert(vgc_chip_is_gone(fx.chip));
	ck_assert_uint_gt(fx_ready(mon), ready);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_int_eq(fx_ioctl(chipfd, GPIO_GET_CHIPINFO_IOCTL, &ci), -ENODEV);
	ck_assert_int_eq(fx_set(out, 1, 1), -ENODEV);
	ck_assert_int_eq(fx_read(mon, &ev, sizeof(ev)), -ENODEV);
	ck_assert_int_eq(fx_read(chipfd, &ev, sizeof(ev)), -ENODEV);
	ck_assert_uint_eq(fx_poll(mon), POLLHUP | POLLERR);
	ck_assert_uint_eq(fx_poll(chipfd), POLLHUP | POLLERR);
	ck_assert_ptr_null(vgc_uapi_open(fx.chip, 1));
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_uint_eq(vgc_chip_num_files(fx.chip), 3);
}
END_TEST

Suite *vgc_test_policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, pol_output_denied_on_input_line);
	tcase_add_test(tc, pol_audit_names_the_caller);
	tcase_add_test(tc, pol_v1_output_denied);
	tcase_add_test(tc, pol_kernel_checks_first);
	tcase_add_test(tc, pol_read_only_never_reconfigured);
	tcase_add_test(tc, pol_toggle_rate);
	tcase_add_test(tc, pol_toggle_rate_survives_rerequest);
	tcase_add_test(tc, pol_event_rate_gap);
	tcase_add_test(tc, pol_release_high_parks);
	tcase_add_test(tc, pol_release_states_multi);
	tcase_add_test(tc, pol_reload);
	tcase_add_test(tc, pol_reload_bad_host);
	tcase_add_test(tc, pol_gone);
	suite_add_tcase(s, tc);
	return s;
}
