// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-line rules: every rule denied and allowed (one row each), SET_CONFIG,
 * the two rate limits on synthetic timestamps, and the release action.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../policy/rules.h"
#include "suites.h"

#define MS 1000000ull
#define S 1000000000ull

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT

/* Every rule spelled out: directions, bias, drive, active-low, edges, read-only, debounce. */
#define R(...) R8(__VA_ARGS__)	/* so that ANY_DB counts as two */
#define R8(d, b, dr, al, e, ro, dmin, dmax)                                                \
	{ .directions = (d), .bias = (b), .drive = (dr), .active_low = (al), .edges = (e),  \
	  .read_only = (ro), .debounce_min_us = (dmin), .debounce_max_us = (dmax) }
#define ANY_DIR VGC_RULE_DIR_ALL
#define ANY_BIAS VGC_RULE_BIAS_ALL
#define ANY_DRIVE VGC_RULE_DRIVE_ALL
#define ANY_DB 0, UINT32_MAX
#define OPEN R(ANY_DIR, ANY_BIAS, ANY_DRIVE, true, true, false, ANY_DB)
#define BUTTON R(VGC_RULE_DIR_INPUT, ANY_BIAS, ANY_DRIVE, true, true, true, 1000, 50000)
#define NO_DEBOUNCE UINT32_MAX	/* a row's debounce: no attribute at all */

struct rule_case {
	const char *name;
	struct vgc_rules rules;
	uint64_t flags;
	uint32_t debounce;	/* NO_DEBOUNCE, or an attribute with this period */
	const char *rule;	/* NULL: allowed */
	const char *attempted;
	const char *allowed;
};

static const struct rule_case rule_cases[] = {
	/* Denied. */
	{ "input on an output-only line", R(VGC_RULE_DIR_OUTPUT, ANY_BIAS, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  IN, NO_DEBOUNCE, "directions", "input", "output" },
	{ "output on an input-only line", R(VGC_RULE_DIR_INPUT, ANY_BIAS, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  OUT, NO_DEBOUNCE, "directions", "output", "input" },
	{ "as-is on an input-only line", R(VGC_RULE_DIR_INPUT, ANY_BIAS, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  0, NO_DEBOUNCE, "directions", "as-is direction", "input" },
	{ "as-is on an output-only line", R(VGC_RULE_DIR_OUTPUT, ANY_BIAS, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  0, NO_DEBOUNCE, "directions", "as-is direction", "output" },
	{ "no direction allowed at all", R(0, ANY_BIAS, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  IN, NO_DEBOUNCE, "directions", "input", "none" },
	{ "output on a read-only line", BUTTON, OUT, NO_DEBOUNCE, "read-only", "output", "input" },
	{ "as-is on a read-only line", BUTTON, 0, NO_DEBOUNCE, "read-only", "as-is direction",
	  "input" },
	{ "read-only wins over directions", R(ANY_DIR, ANY_BIAS, ANY_DRIVE, 1, 1, 1, ANY_DB),
	  OUT, NO_DEBOUNCE, "read-only", "output", "input" },
	{ "active-low where it is not allowed", R(ANY_DIR, ANY_BIAS, ANY_DRIVE, 0, 1, 0, ANY_DB),
	  IN | GPIO_V2_LINE_FLAG_ACTIVE_LOW, NO_DEBOUNCE, "active-low", "active-low", "no" },
	{ "pull-up where only as-is is", R(ANY_DIR, VGC_RULE_BIAS_AS_IS, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP, NO_DEBOUNCE, "bias", "pull-up", "as-is" },
	{ "pull-down where only pull-up is",
	  R(ANY_DIR, VGC_RULE_BIAS_PULL_UP, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  IN | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, NO_DEBOUNCE, "bias", "pull-down", "pull-up" },
	{ "disabled where it is not allowed",
	  R(ANY_DIR, VGC_RULE_BIAS_AS_IS | VGC_RULE_BIAS_PULL_UP, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  OUT | GPIO_V2_LINE_FLAG_BIAS_DISABLED, NO_DEBOUNCE, "bias", "disabled", "as-is, pull-up" },
	{ "as-is bias where a pull is required",
	  R(ANY_DIR, VGC_RULE_BIAS_PULL_UP | VGC_RULE_BIAS_PULL_DOWN, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  IN, NO_DEBOUNCE, "bias", "as-is", "pull-up, pull-down" },
	{ "open-drain where only push-pull is",
	  R(ANY_DIR, ANY_BIAS, VGC_RULE_DRIVE_PUSH_PULL, 1, 1, 0, ANY_DB),
	  OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN, NO_DEBOUNCE, "drive", "open-drain", "push-pull" },
	{ "open-source where only open-drain is",
	  R(ANY_DIR, ANY_BIAS, VGC_RULE_DRIVE_OPEN_DRAIN, 1, 1, 0, ANY_DB),
	  OUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE, NO_DEBOUNCE, "drive", "open-source", "open-drain" },
	{ "push-pull where only open drives are",
	  R(ANY_DIR, ANY_BIAS, VGC_RULE_DRIVE_OPEN_DRAIN | VGC_RULE_DRIVE_OPEN_SOURCE, 1, 1, 0,
	    ANY_DB),
	  OUT, NO_DEBOUNCE, "drive", "push-pull", "open-drain, open-source" },
	{ "rising edge where edges are not allowed",
	  R(ANY_DIR, ANY_BIAS, ANY_DRIVE, 1, 0, 0, ANY_DB), IN | GPIO_V2_LINE_FLAG_EDGE_RISING,
	  NO_DEBOUNCE, "edges", "rising edge", "no" },
	{ "falling edge where edges are not allowed",
	  R(ANY_DIR, ANY_BIAS, ANY_DRIVE, 1, 0, 0, ANY_DB), IN | GPIO_V2_LINE_FLAG_EDGE_FALLING,
	  NO_DEBOUNCE, "edges", "falling edge", "no" },
	{ "both edges where edges are not allowed",
	  R(ANY_DIR, ANY_BIAS, ANY_DRIVE, 1, 0, 0, ANY_DB),
	  IN | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING, NO_DEBOUNCE, "edges",
	  "both edges", "no" },
	{ "debounce below the minimum", BUTTON, IN, 999, "debounce-us", "debounce 999 us",
	  "1000-50000 us, or none" },
	{ "debounce above the maximum", BUTTON, IN, 50001, "debounce-us", "debounce 50001 us",
	  "1000-50000 us, or none" },
	{ "debounce where none is allowed", R(ANY_DIR, ANY_BIAS, ANY_DRIVE, 1, 1, 0, 0, 0), IN, 1,
	  "debounce-us", "debounce 1 us", "0-0 us, or none" },
	/* The first broken rule is the one named. */
	{ "direction before active-low", R(VGC_RULE_DIR_INPUT, ANY_BIAS, ANY_DRIVE, 0, 1, 0, ANY_DB),
	  OUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW, NO_DEBOUNCE, "directions", "output", "input" },
	/* Allowed. */
	{ "everything on the default rules", OPEN,
	  OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN | GPIO_V2_LINE_FLAG_ACTIVE_LOW |
		  GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
	  NO_DEBOUNCE, NULL, NULL, NULL },
	{ "edges and debounce on the defaults", OPEN,
	  IN | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING |
		  GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME,
	  4000000000u, NULL, NULL, NULL },
	{ "as-is where both directions are", OPEN, 0, NO_DEBOUNCE, NULL, NULL, NULL },
	{ "button: input with edges", BUTTON,
	  IN | GPIO_V2_LINE_FLAG_EDGE_FALLING | GPIO_V2_LINE_FLAG_ACTIVE_LOW, NO_DEBOUNCE, NULL,
	  NULL, NULL },
	{ "button: debounce at the minimum", BUTTON, IN, 1000, NULL, NULL, NULL },
	{ "button: debounce at the maximum", BUTTON, IN, 50000, NULL, NULL, NULL },
	{ "button: a debounce attribute of 0 is none", BUTTON, IN, 0, NULL, NULL, NULL },
	{ "drive is not looked at on an input",
	  R(ANY_DIR, ANY_BIAS, VGC_RULE_DRIVE_OPEN_DRAIN, 1, 1, 0, ANY_DB), IN, NO_DEBOUNCE, NULL,
	  NULL, NULL },
	{ "output push-pull as-is bias on an LED",
	  R(VGC_RULE_DIR_OUTPUT, VGC_RULE_BIAS_AS_IS, VGC_RULE_DRIVE_PUSH_PULL, 0, 0, 0, 0, 0), OUT,
	  NO_DEBOUNCE, NULL, NULL, NULL },
	{ "pull-down among allowed biases",
	  R(ANY_DIR, VGC_RULE_BIAS_PULL_UP | VGC_RULE_BIAS_PULL_DOWN, ANY_DRIVE, 1, 1, 0, ANY_DB),
	  IN | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, NO_DEBOUNCE, NULL, NULL, NULL },
};

static void line_config(struct gpio_v2_line_config *lc, uint64_t flags, uint32_t debounce)
{
	memset(lc, 0, sizeof(*lc));
	lc->flags = flags;
	if (debounce == NO_DEBOUNCE)
		return;
	lc->num_attrs = 1;
	lc->attrs[0].mask = 1;
	lc->attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
	lc->attrs[0].attr.debounce_period_us = debounce;
}

static void check_row(const struct rule_case *c, bool set_config)
{
	const struct vgc_rules *r[1] = { &c->rules };
	struct gpio_v2_line_config lc;
	struct vgc_denial why;
	int ret;

	line_config(&lc, c->flags, c->debounce);
	memset(&why, 0, sizeof(why));
	ret = set_config ? vgc_rules_check_config(r, 1, &lc, &why) :
			   vgc_rules_check_request(r, 1, &lc, &why);
	if (!c->rule) {
		ck_assert_msg(ret == 0, "%s: denied by %s (%s)", c->name, why.rule, why.attempted);
		return;
	}
	ck_assert_msg(ret == -EPERM, "%s: returned %d, not -EPERM", c->name, ret);
	ck_assert_msg(why.rule && !strcmp(why.rule, c->rule), "%s: rule %s, not %s", c->name,
		      why.rule, c->rule);
	ck_assert_msg(!strcmp(why.attempted, c->attempted), "%s: attempted '%s', not '%s'",
		      c->name, why.attempted, c->attempted);
	ck_assert_msg(!strcmp(why.allowed, c->allowed), "%s: allowed '%s', not '%s'", c->name,
		      why.allowed, c->allowed);
	ck_assert_uint_eq(why.index, 0);
}

START_TEST(test_rules_request)
{
	check_row(&rule_cases[_i], false);
}
END_TEST

/* SET_CONFIG applies the same rules; a read-only line refuses any reconfiguration. */
START_TEST(test_rules_set_config)
{
	const struct rule_case *c = &rule_cases[_i];
	const struct vgc_rules *r[1] = { &c->rules };
	struct gpio_v2_line_config lc;
	struct vgc_denial why;

	if (!c->rules.read_only) {
		check_row(c, true);
		return;
	}
	line_config(&lc, c->flags, c->debounce);
	memset(&why, 0, sizeof(why));
	ck_assert_msg(vgc_rules_check_config(r, 1, &lc, &why) == -EPERM, "%s: not refused",
		      c->name);
	ck_assert_msg(why.rule && !strcmp(why.rule, "read-only"), "%s: rule %s, not read-only",
		      c->name, why.rule);
}
END_TEST

START_TEST(test_rules_read_only_config)
{
	const struct vgc_rules button = BUTTON, open = OPEN;
	const struct vgc_rules *r[2] = { &open, &button };
	struct gpio_v2_line_config lc;
	struct vgc_denial why;

	/* the very settings a request was granted are still a reconfiguration */
	line_config(&lc, IN, NO_DEBOUNCE);
	ck_assert_int_eq(vgc_rules_check_request(r, 2, &lc, &why), 0);
	ck_assert_int_eq(vgc_rules_check_config(r, 2, &lc, &why), -EPERM);
	ck_assert_str_eq(why.rule, "read-only");
	ck_assert_uint_eq(why.index, 1);
	ck_assert_str_eq(why.attempted, "reconfiguration");
	r[1] = &open;
	ck_assert_int_eq(vgc_rules_check_config(r, 2, &lc, NULL), 0);
}
END_TEST

START_TEST(test_rules_per_line)
{
	const struct vgc_rules in_only =
		R(VGC_RULE_DIR_INPUT, ANY_BIAS, ANY_DRIVE, 1, 1, 0, 10, 20);
	const struct vgc_rules *r[3] = { NULL, &in_only, &in_only };
	struct gpio_v2_line_config lc;
	struct vgc_denial why;

	/* line 0 (defaults) may be an output; line 2 alone is made one by an attribute */
	line_config(&lc, IN, NO_DEBOUNCE);
	lc.num_attrs = 2;
	lc.attrs[0].mask = 0x5;
	lc.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_FLAGS;
	lc.attrs[0].attr.flags = OUT;
	lc.attrs[1].mask = 0x2;
	lc.attrs[1].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
	lc.attrs[1].attr.debounce_period_us = 15;
	ck_assert_int_eq(vgc_rules_check_request(r, 3, &lc, &why), -EPERM);
	ck_assert_uint_eq(why.index, 2);
	ck_assert_str_eq(why.rule, "directions");
	ck_assert_str_eq(why.attempted, "output");
	/* without it, line 1's debounce of 15 us is within 10-20 */
	lc.attrs[0].mask = 0x1;
	ck_assert_int_eq(vgc_rules_check_request(r, 3, &lc, NULL), 0);
	lc.attrs[1].attr.debounce_period_us = 21;
	ck_assert_int_eq(vgc_rules_check_request(r, 3, &lc, &why), -EPERM);
	ck_assert_uint_eq(why.index, 1);
	ck_assert_str_eq(why.rule, "debounce-us");
	/* no lines, nothing to deny */
	ck_assert_int_eq(vgc_rules_check_request(r, 0, &lc, NULL), 0);
}
END_TEST

static struct vgc_rules rate_rules(uint32_t toggle_hz, uint32_t event_hz)
{
	struct vgc_rules r = vgc_rules_default;

	r.max_toggle_hz = toggle_hz;
	r.max_event_hz = event_hz;
	return r;
}

static int toggle(struct vgc_rate *st, const struct vgc_rules *r, uint64_t now,
		  struct vgc_denial *why)
{
	struct vgc_rate *sts[1] = { st };
	const struct vgc_rules *rs[1] = { r };

	return vgc_rules_allow_toggle(sts, rs, 1, now, why);
}

START_TEST(test_rules_toggle_burst)
{
	struct vgc_rules r = rate_rules(10, 0);
	struct vgc_rate st = { 0 };
	struct vgc_denial why;
	uint64_t t0 = 5 * S;

	/* a full bucket: one second's worth at once, then nothing */
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(toggle(&st, &r, t0, NULL), 0);
	ck_assert_int_eq(toggle(&st, &r, t0, &why), -EAGAIN);
	ck_assert_str_eq(why.rule, "max-toggle-hz");
	ck_assert_str_eq(why.attempted, "toggle faster than 10 Hz");
	ck_assert_str_eq(why.allowed, "10 toggles per second");
	ck_assert_uint_eq(st.passed, 10);
	ck_assert_uint_eq(st.refused, 1);
	/* a refusal costs nothing: 99 ms later still none, at 100 ms one */
	ck_assert_int_eq(toggle(&st, &r, t0 + 99 * MS, NULL), -EAGAIN);
	ck_assert_int_eq(toggle(&st, &r, t0 + 100 * MS, NULL), 0);
	ck_assert_int_eq(toggle(&st, &r, t0 + 100 * MS, NULL), -EAGAIN);
	/* a clock that goes back gives nothing */
	ck_assert_int_eq(toggle(&st, &r, t0, NULL), -EAGAIN);
	ck_assert_int_eq(toggle(&st, &r, t0 + 150 * MS, NULL), -EAGAIN);
	ck_assert_int_eq(toggle(&st, &r, t0 + 200 * MS, NULL), 0);
	/* a quiet second refills it all, and no more */
	t0 += 10 * S;
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(toggle(&st, &r, t0, NULL), 0);
	ck_assert_int_eq(toggle(&st, &r, t0, NULL), -EAGAIN);
	ck_assert_uint_eq(st.passed, 22);
	ck_assert_uint_eq(st.refused, 6);
}
END_TEST

START_TEST(test_rules_toggle_tight_loop)
{
	struct vgc_rules r = rate_rules(50, 0);
	struct vgc_rate st = { 0 };
	uint64_t passed_first_s = 0;

	/* a toggle every 100 us for 5 s: at most 50 * (5 + 1) pass, at least 50 * 5 */
	for (uint64_t t = 0; t < 5 * S; t += 100000) {
		toggle(&st, &r, 1 * S + t, NULL);
		if (t < S)
			passed_first_s = st.passed;
	}
	ck_assert_uint_le(passed_first_s, 100);
	ck_assert_uint_ge(st.passed, 250);
	ck_assert_uint_le(st.passed, 300);
	ck_assert_uint_eq(st.passed + st.refused, 50000);
}
END_TEST

START_TEST(test_rules_toggle_all_or_nothing)
{
	struct vgc_rules free_r = rate_rules(0, 0), slow = rate_rules(1, 0);
	struct vgc_rate a = { 0 }, b = { 0 };
	struct vgc_rate *sts[2] = { &a, &b };
	const struct vgc_rules *rs[2] = { &free_r, &slow };
	struct vgc_denial why;

	ck_assert_int_eq(vgc_rules_allow_toggle(sts, rs, 2, S, NULL), 0);
	ck_assert_int_eq(vgc_rules_allow_toggle(sts, rs, 2, S + 1, &why), -EAGAIN);
	ck_assert_uint_eq(why.index, 1);
	ck_assert_uint_eq(a.passed, 1);
	ck_assert_uint_eq(a.refused, 0);
	ck_assert_uint_eq(b.passed, 1);
	ck_assert_uint_eq(b.refused, 1);
	/* NULL rules never limit */
	rs[1] = NULL;
	ck_assert_int_eq(vgc_rules_allow_toggle(sts, rs, 2, S + 2, NULL), 0);
	ck_assert_uint_eq(b.passed, 2);
	/* the highest rate the config accepts does not overflow */
	slow = rate_rules(VGC_RULE_HZ_MAX, 0);
	rs[1] = &slow;
	b = (struct vgc_rate){ 0 };
	for (unsigned int i = 0; i < VGC_RULE_HZ_MAX; i++)
		ck_assert_int_eq(vgc_rules_allow_toggle(&sts[1], &rs[1], 1, 7 * S, NULL), 0);
	ck_assert_int_eq(vgc_rules_allow_toggle(&sts[1], &rs[1], 1, 7 * S, NULL), -EAGAIN);
	ck_assert_int_eq(vgc_rules_allow_toggle(&sts[1], &rs[1], 1, 7 * S + 1000, NULL), 0);
}
END_TEST

START_TEST(test_rules_events)
{
	struct vgc_rules r = rate_rules(0, 100);
	struct vgc_rate st = { 0 };

	for (int i = 0; i < 100; i++)
		ck_assert(vgc_rules_allow_event(&st, &r, 3 * S));
	ck_assert(!vgc_rules_allow_event(&st, &r, 3 * S));
	ck_assert(!vgc_rules_allow_event(&st, &r, 3 * S + 9 * MS));
	ck_assert(vgc_rules_allow_event(&st, &r, 3 * S + 10 * MS));
	ck_assert_uint_eq(st.passed, 101);
	ck_assert_uint_eq(st.refused, 2);
	/* a toggle limit does not limit events, nor do no rules */
	r = rate_rules(1, 0);
	st = (struct vgc_rate){ 0 };
	for (int i = 0; i < 1000; i++) {
		ck_assert(vgc_rules_allow_event(&st, &r, S));
		ck_assert(vgc_rules_allow_event(&st, NULL, S));
	}
	ck_assert_uint_eq(st.passed, 2000);
	ck_assert_uint_eq(st.refused, 0);
}
END_TEST

struct release_case {
	const char *name;
	enum vgc_release release;
	uint64_t held;
	bool is_out;	/* what the host line is */
	bool act;
	uint64_t flags;
	int value;
};

static const struct release_case release_cases[] = {
	{ "keep leaves an output alone", VGC_RELEASE_KEEP, OUT, true, false, 0, 0 },
	{ "an input is left alone", VGC_RELEASE_LOW, IN, false, false, 0, 0 },
	{ "as-is on a host input is left alone", VGC_RELEASE_HIGH, 0, false, false, 0, 0 },
	/* an "as-is" request of a line that was an output is an output: no way around */
	{ "as-is on a host output goes high", VGC_RELEASE_HIGH, 0, true, true, OUT, 1 },
	{ "as-is on a host output goes low", VGC_RELEASE_LOW, GPIO_V2_LINE_FLAG_ACTIVE_LOW, true,
	  true, OUT, 0 },
	{ "as-is on a host output goes input", VGC_RELEASE_INPUT, 0, true, true, IN, 0 },
	{ "input keeps the bias", VGC_RELEASE_INPUT,
	  OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP, true, true,
	  IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP, 0 },
	{ "low is physical, active-low dropped", VGC_RELEASE_LOW,
	  OUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW, true, true, OUT, 0 },
	{ "high keeps open-drain", VGC_RELEASE_HIGH,
	  OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN | GPIO_V2_LINE_FLAG_ACTIVE_LOW, true, true,
	  OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN, 1 },
	{ "high keeps open-source and bias", VGC_RELEASE_HIGH,
	  OUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, true, true,
	  OUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, 1 },
};

START_TEST(test_rules_release)
{
	const struct release_case *c = &release_cases[_i];
	struct vgc_rules r = vgc_rules_default;
	uint64_t flags = 0xdead;
	int value = -1;
	bool act;

	r.release = c->release;
	act = vgc_rules_release_action(&r, c->held, c->is_out, &flags, &value);
	ck_assert_msg(act == c->act, "%s: action %d", c->name, act);
	if (!act)
		return;
	ck_assert_msg(flags == c->flags, "%s: flags %#llx, not %#llx", c->name,
		      (unsigned long long)flags, (unsigned long long)c->flags);
	ck_assert_msg(value == c->value, "%s: value %d", c->name, value);
}
END_TEST

START_TEST(test_rules_words)
{
	struct vgc_rules r = vgc_rules_default;
	const char *allowed = NULL;
	char buf[64];

	ck_assert_int_eq(vgc_rules_set(&r, "host", "1", &allowed), -ENOENT);
	ck_assert_int_eq(vgc_rules_set(&r, "bias", "pull-up,nope", &allowed), -EINVAL);
	ck_assert_uint_eq(r.bias, VGC_RULE_BIAS_ALL);	/* untouched */
	ck_assert_ptr_nonnull(strstr(allowed, "pull-down"));
	ck_assert_int_eq(vgc_rules_set(&r, "bias", " pull-up ,\tas-is ", &allowed), 0);
	ck_assert_uint_eq(r.bias, VGC_RULE_BIAS_PULL_UP | VGC_RULE_BIAS_AS_IS);
	ck_assert_int_eq(vgc_rules_set(&r, "debounce-us", "7-7", &allowed), 0);
	ck_assert_uint_eq(r.debounce_min_us, 7);
	ck_assert_uint_eq(r.debounce_max_us, 7);

	ck_assert_str_eq(vgc_rules_directions_str(0, buf, sizeof(buf)), "none");
	ck_assert_str_eq(vgc_rules_directions_str(VGC_RULE_DIR_ALL, buf, sizeof(buf)),
			 "input, output");
	ck_assert_str_eq(vgc_rules_bias_str(VGC_RULE_BIAS_ALL, buf, sizeof(buf)),
			 "as-is, disabled, pull-up, pull-down");
	ck_assert_str_eq(vgc_rules_bias_str(VGC_RULE_BIAS_ALL, buf, 12), "as-is, disa");
	ck_assert_str_eq(vgc_rules_drive_str(VGC_RULE_DRIVE_OPEN_SOURCE, buf, sizeof(buf)),
			 "open-source");
	ck_assert_str_eq(vgc_rules_release_name(VGC_RELEASE_INPUT), "input");
	ck_assert_str_eq(vgc_rules_release_name((enum vgc_release)9), "?");
}
END_TEST

Suite *vgc_test_rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("checks");

	tcase_add_loop_test(tc, test_rules_request, 0, sizeof(rule_cases) / sizeof(rule_cases[0]));
	tcase_add_loop_test(tc, test_rules_set_config, 0,
			    sizeof(rule_cases) / sizeof(rule_cases[0]));
	tcase_add_test(tc, test_rules_read_only_config);
	tcase_add_test(tc, test_rules_per_line);
	suite_add_tcase(s, tc);
	tc = tcase_create("rates");
	tcase_add_test(tc, test_rules_toggle_burst);
	tcase_add_test(tc, test_rules_toggle_tight_loop);
	tcase_add_test(tc, test_rules_toggle_all_or_nothing);
	tcase_add_test(tc, test_rules_events);
	suite_add_tcase(s, tc);
	tc = tcase_create("release");
	tcase_add_loop_test(tc, test_rules_release, 0,
			    sizeof(release_cases) / sizeof(release_cases[0]));
	tcase_add_test(tc, test_rules_words);
	suite_add_tcase(s, tc);
	return s;
}
