// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-line rules. A request is checked line by line, one `if` per rule, in
 * the order a person reads a line's settings: direction, active-low, bias,
 * drive, edges, debounce. The first broken rule is the one reported.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../abi/linecfg.h"
#include "rules.h"

#define RULES_NS_PER_S 1000000000ull

const struct vgc_rules vgc_rules_default = {
	.directions = VGC_RULE_DIR_ALL,
	.bias = VGC_RULE_BIAS_ALL,
	.drive = VGC_RULE_DRIVE_ALL,
	.active_low = true,
	.edges = true,
	.read_only = false,
	.debounce_min_us = 0,
	.debounce_max_us = UINT32_MAX,
	.max_toggle_hz = 0,
	.max_event_hz = 0,
	.release = VGC_RELEASE_KEEP,
};

const char *const vgc_rules_direction_names[2] = { "input", "output" };
const char *const vgc_rules_bias_names[4] = { "as-is", "disabled", "pull-up", "pull-down" };
const char *const vgc_rules_drive_names[3] = { "push-pull", "open-drain", "open-source" };
const char *const vgc_rules_release_names[4] = {
	[VGC_RELEASE_KEEP] = "keep",
	[VGC_RELEASE_INPUT] = "input",
	[VGC_RELEASE_LOW] = "low",
	[VGC_RELEASE_HIGH] = "high",
};

static const char *rules_set_str(unsigned int set, const char *const names[], unsigned int n,
				 char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		if (!(set & (1u << i)))
			continue;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					len ? ", " : "", names[i]);
		if (len >= size)
			return buf;
	}
	if (!len)
		snprintf(buf, size, "none");
	return buf;
}

const char *vgc_rules_directions_str(unsigned int set, char *buf, size_t size)
{
	return rules_set_str(set, vgc_rules_direction_names, 2, buf, size);
}

const char *vgc_rules_bias_str(unsigned int set, char *buf, size_t size)
{
	return rules_set_str(set, vgc_rules_bias_names, 4, buf, size);
}

const char *vgc_rules_drive_str(unsigned int set, char *buf, size_t size)
{
	return rules_set_str(set, vgc_rules_drive_names, 3, buf, size);
}

const char *vgc_rules_release_name(enum vgc_release release)
{
	if ((unsigned int)release > VGC_RELEASE_HIGH)
		return "?";
	return vgc_rules_release_names[release];
}

static unsigned int rules_bias_of(uint64_t flags)
{
	if (flags & GPIO_V2_LINE_FLAG_BIAS_PULL_UP)
		return VGC_RULE_BIAS_PULL_UP;
	if (flags & GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN)
		return VGC_RULE_BIAS_PULL_DOWN;
	if (flags & GPIO_V2_LINE_FLAG_BIAS_DISABLED)
		return VGC_RULE_BIAS_DISABLED;
	return VGC_RULE_BIAS_AS_IS;
}

static unsigned int rules_drive_of(uint64_t flags)
{
	if (flags & GPIO_V2_LINE_FLAG_OPEN_DRAIN)
		return VGC_RULE_DRIVE_OPEN_DRAIN;
	if (flags & GPIO_V2_LINE_FLAG_OPEN_SOURCE)
		return VGC_RULE_DRIVE_OPEN_SOURCE;
	return VGC_RULE_DRIVE_PUSH_PULL;
}

static const char *rules_edge_name(uint64_t flags)
{
	uint64_t edges = flags & VGC_LINE_EDGE_FLAGS;

	if (edges == VGC_LINE_EDGE_FLAGS)
		return "both edges";
	return edges & GPIO_V2_LINE_FLAG_EDGE_RISING ? "rising edge" : "falling edge";
}

static int rules_deny(struct vgc_denial *why, unsigned int index, const char *rule,
		      const char *attempted, const char *allowed)
{
	if (why) {
		why->index = index;
		why->rule = rule;
		snprintf(why->attempted, sizeof(why->attempted), "%s", attempted);
		snprintf(why->allowed, sizeof(why->allowed), "%s", allowed);
	}
	return -EPERM;
}

static int rules_check_direction(const struct vgc_rules *r, unsigned int idx, uint64_t flags,
				 struct vgc_denial *why)
{
	uint64_t dir = flags & VGC_LINE_DIRECTION_FLAGS;
	const char *attempted = dir == GPIO_V2_LINE_FLAG_OUTPUT ? "output" :
				dir == GPIO_V2_LINE_FLAG_INPUT	? "input" :
								  "as-is direction";
	unsigned int need = dir == GPIO_V2_LINE_FLAG_OUTPUT ? VGC_RULE_DIR_OUTPUT :
			    dir == GPIO_V2_LINE_FLAG_INPUT  ? VGC_RULE_DIR_INPUT :
							      VGC_RULE_DIR_ALL;
	char allowed[32];

	/* a read-only line is named as such, whatever its directions say */
	if (r->read_only && dir != GPIO_V2_LINE_FLAG_INPUT)
		return rules_deny(why, idx, "read-only", attempted, "input");
	/* as-is may find the line an output, so it needs both directions */
	if ((r->directions & need) != need)
		return rules_deny(why, idx, "directions", attempted,
				  vgc_rules_directions_str(r->directions, allowed,
							   sizeof(allowed)));
	return 0;
}

static int rules_check_line(const struct vgc_rules *r, const struct gpio_v2_line_config *lc,
			    unsigned int idx, struct vgc_denial *why)
{
	uint64_t flags = vgc_linecfg_flags(lc, idx);
	char allowed[64], attempted[48];
	uint32_t debounce;
	bool debounce_set;
	int ret;

	if (!r)
		r = &vgc_rules_default;
	ret = rules_check_direction(r, idx, flags, why);
	if (ret)
		return ret;
	/* active-low is a property of the tenant's view only, but the owner may forbid it */
	if ((flags & GPIO_V2_LINE_FLAG_ACTIVE_LOW) && !r->active_low)
		return rules_deny(why, idx, "active-low", "active-low", "no");
	/* no bias flag leaves the host's bias as is, which must then be allowed */
	if (!(r->bias & rules_bias_of(flags)))
		return rules_deny(why, idx, "bias",
				  vgc_rules_bias_names[__builtin_ctz(rules_bias_of(flags))],
				  vgc_rules_bias_str(r->bias, allowed, sizeof(allowed)));
	/* drive only means something for an output; the ABI refuses it on an input */
	if ((flags & GPIO_V2_LINE_FLAG_OUTPUT) && !(r->drive & rules_drive_of(flags)))
		return rules_deny(why, idx, "drive",
				  vgc_rules_drive_names[__builtin_ctz(rules_drive_of(flags))],
				  vgc_rules_drive_str(r->drive, allowed, sizeof(allowed)));
	if ((flags & VGC_LINE_EDGE_FLAGS) && !r->edges)
		return rules_deny(why, idx, "edges", rules_edge_name(flags), "no");
	/* a period of 0 is "no debounce", which the bounds never forbid */
	debounce = vgc_linecfg_debounce(lc, idx, &debounce_set);
	if (debounce_set && debounce &&
	    (debounce < r->debounce_min_us || debounce > r->debounce_max_us)) {
		snprintf(attempted, sizeof(attempted), "debounce %u us", debounce);
		snprintf(allowed, sizeof(allowed), "%u-%u us, or none", r->debounce_min_us,
			 r->debounce_max_us);
		return rules_deny(why, idx, "debounce-us", attempted, allowed);
	}
	return 0;
}

int vgc_rules_check_request(const struct vgc_rules *const r[], unsigned int n,
			    const struct gpio_v2_line_config *lc, struct vgc_denial *why)
{
	int ret;

	for (unsigned int i = 0; i < n; i++) {
		ret = rules_check_line(r[i], lc, i, why);
		if (ret)
			return ret;
	}
	return 0;
}

int vgc_rules_check_config(const struct vgc_rules *const r[], unsigned int n,
			   const struct gpio_v2_line_config *lc, struct vgc_denial *why)
{
	/* read-only means never reconfigured, even to the same settings */
	for (unsigned int i = 0; i < n; i++)
		if (r[i] && r[i]->read_only)
			return rules_deny(why, i, "read-only", "reconfiguration",
					  "none (read-only lines keep their request's settings)");
	return vgc_rules_check_request(r, n, lc, why);
}

/* The bucket's credit at now_ns, refilled, without taking anything. */
static uint64_t rate_credit(const struct vgc_rate *st, uint32_t hz, uint64_t now_ns)
{
	uint64_t full = (uint64_t)hz * RULES_NS_PER_S;
	uint64_t elapsed, credit;

	if (!st->primed)
		return full;
	/* a clock that went back refills nothing rather than wrapping */
	elapsed = now_ns > st->last_ns ? now_ns - st->last_ns : 0;
	if (elapsed >= RULES_NS_PER_S)
		return full;
	credit = st->credit + elapsed * hz;
	return credit < full ? credit : full;
}

static void rate_take(struct vgc_rate *st, uint64_t credit, uint64_t now_ns)
{
	st->credit = credit - RULES_NS_PER_S;
	if (!st->primed || now_ns > st->last_ns)
		st->last_ns = now_ns;
	st->primed = true;
	st->passed++;
}

int vgc_rules_allow_toggle(struct vgc_rate *const st[], const struct vgc_rules *const r[],
			   unsigned int n, uint64_t now_ns, struct vgc_denial *why)
{
	char attempted[48], allowed[64];

	for (unsigned int i = 0; i < n; i++) {
		uint32_t hz = r[i] ? r[i]->max_toggle_hz : 0;

		if (!hz || rate_credit(st[i], hz, now_ns) >= RULES_NS_PER_S)
			continue;
		st[i]->refused++;
		if (why) {
			snprintf(attempted, sizeof(attempted), "toggle faster than %u Hz", hz);
			snprintf(allowed, sizeof(allowed), "%u toggles per second", hz);
			rules_deny(why, i, "max-toggle-hz", attempted, allowed);
		}
		return -EAGAIN;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint32_t hz = r[i] ? r[i]->max_toggle_hz : 0;

		if (hz)
			rate_take(st[i], rate_credit(st[i], hz, now_ns), now_ns);
		else
			st[i]->passed++;
	}
	return 0;
}

bool vgc_rules_allow_event(struct vgc_rate *st, const struct vgc_rules *r, uint64_t now_ns)
{
	uint32_t hz = r ? r->max_event_hz : 0;
	uint64_t credit;

	if (!hz) {
		st->passed++;
		return true;
	}
	credit = rate_credit(st, hz, now_ns);
	if (credit < RULES_NS_PER_S) {
		st->refused++;
		return false;
	}
	rate_take(st, credit, now_ns);
	return true;
}

bool vgc_rules_release_action(const struct vgc_rules *r, uint64_t held_flags, bool is_out,
			      uint64_t *flags, int *value)
{
	/*
	 * only an output has a state to leave behind; whether it is one is what
	 * the host line is, also for a line requested "as is" that was one
	 */
	if (!r || !is_out)
		return false;
	switch (r->release) {
	case VGC_RELEASE_INPUT:
		*flags = GPIO_V2_LINE_FLAG_INPUT | (held_flags & VGC_LINE_BIAS_FLAGS);
		*value = 0;
		return true;
	case VGC_RELEASE_LOW:
	case VGC_RELEASE_HIGH:
		/* keep the drive: open-drain hardware must not be driven push-pull */
		*flags = GPIO_V2_LINE_FLAG_OUTPUT |
			 (held_flags & (VGC_LINE_DRIVE_FLAGS | VGC_LINE_BIAS_FLAGS));
		*value = r->release == VGC_RELEASE_HIGH;
		return true;
	case VGC_RELEASE_KEEP:
	default:
		return false;
	}
}

/* --- the rules as written in a config file --- */

#define RULES_ALLOWED_BOOL "yes or no"
#define RULES_ALLOWED_RATE "a number from 1 to 1000000, or none"

int vgc_rules_number(const char *s, size_t len, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return -EINVAL;
	}
	if (v < min)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int rules_parse_bool(const char *value, bool *out)
{
	if (!strcmp(value, "yes") || !strcmp(value, "true"))
		*out = true;
	else if (!strcmp(value, "no") || !strcmp(value, "false"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/* "a, b" into a set of bits of names[]; "any" alone is all of them. */
static int rules_parse_set(const char *value, const char *const names[], unsigned int n,
			   unsigned int *out)
{
	const char *s = value;
	unsigned int set = 0;

	if (!strcmp(value, "any")) {
		*out = (1u << n) - 1;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(s, ","), word;
		unsigned int i;

		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		for (word = len; word && (s[word - 1] == ' ' || s[word - 1] == '\t'); word--)
			;
		for (i = 0; i < n; i++)
			if (word == strlen(names[i]) && !strncmp(s, names[i], word))
				break;
		if (i == n)
			return -EINVAL;
		set |= 1u << i;
		if (!s[len])
			break;
		s += len + 1;
	}
	*out = set;
	return 0;
}

static int rules_parse_directions(const char *value, unsigned int *out)
{
	if (!strcmp(value, "both"))
		return rules_parse_set("input, output", vgc_rules_direction_names, 2, out);
	if (strcmp(value, "input") && strcmp(value, "output"))
		return -EINVAL;
	return rules_parse_set(value, vgc_rules_direction_names, 2, out);
}

static int rules_parse_debounce(const char *value, uint32_t *min, uint32_t *max)
{
	const char *dash = strchr(value, '-');

	if (!strcmp(value, "any")) {
		*min = 0;
		*max = UINT32_MAX;
		return 0;
	}
	if (!strcmp(value, "none")) {
		*min = *max = 0;
		return 0;
	}
	if (!dash || vgc_rules_number(value, (size_t)(dash - value), 0, UINT32_MAX, min) ||
	    vgc_rules_number(dash + 1, strlen(dash + 1), 0, UINT32_MAX, max) || *min > *max)
		return -EINVAL;
	return 0;
}

static int rules_parse_rate(const char *value, uint32_t *hz)
{
	if (!strcmp(value, "none")) {
		*hz = 0;
		return 0;
	}
	return vgc_rules_number(value, strlen(value), 1, VGC_RULE_HZ_MAX, hz);
}

static int rules_parse_release(const char *value, enum vgc_release *out)
{
	for (unsigned int i = 0; i <= VGC_RELEASE_HIGH; i++) {
		if (!strcmp(value, vgc_rules_release_names[i])) {
			*out = (enum vgc_release)i;
			return 0;
		}
	}
	return -EINVAL;
}

int vgc_rules_set(struct vgc_rules *r, const char *key, const char *value,
		  const char **allowed)
{
	struct vgc_rules n = *r;	/* r is left alone on a bad value */
	int ret;

	if (!strcmp(key, "directions")) {
		*allowed = "input, output or both";
		ret = rules_parse_directions(value, &n.directions);
	} else if (!strcmp(key, "bias")) {
		*allowed = "one or more of as-is, disabled, pull-up, pull-down, separated by "
			   "commas; or any";
		ret = rules_parse_set(value, vgc_rules_bias_names, 4, &n.bias);
	} else if (!strcmp(key, "drive")) {
		*allowed = "one or more of push-pull, open-drain, open-source, separated by "
			   "commas; or any";
		ret = rules_parse_set(value, vgc_rules_drive_names, 3, &n.drive);
	} else if (!strcmp(key, "active-low")) {
		*allowed = RULES_ALLOWED_BOOL;
		ret = rules_parse_bool(value, &n.active_low);
	} else if (!strcmp(key, "edges")) {
		*allowed = RULES_ALLOWED_BOOL;
		ret = rules_parse_bool(value, &n.edges);
	} else if (!strcmp(key, "read-only")) {
		*allowed = RULES_ALLOWED_BOOL;
		ret = rules_parse_bool(value, &n.read_only);
	} else if (!strcmp(key, "debounce-us")) {
		*allowed = "MIN-MAX in microseconds with MIN <= MAX (e.g. 1000-50000), any, "
			   "or none";
		ret = rules_parse_debounce(value, &n.debounce_min_us, &n.debounce_max_us);
	} else if (!strcmp(key, "max-toggle-hz")) {
		*allowed = RULES_ALLOWED_RATE;
		ret = rules_parse_rate(value, &n.max_toggle_hz);
	} else if (!strcmp(key, "max-event-hz")) {
		*allowed = RULES_ALLOWED_RATE;
		ret = rules_parse_rate(value, &n.max_event_hz);
	} else if (!strcmp(key, "release")) {
		*allowed = "keep, input, low or high";
		ret = rules_parse_release(value, &n.release);
	} else {
		return -ENOENT;
	}
	if (!ret)
		*r = n;
	return ret;
}
