// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host owner's rules, applied to requests the kernel's own checks have
 * already let through: a rule says no with -EPERM, a rate with -EAGAIN, and
 * every decision goes to the audit callback. Rates and counters live with
 * the virtual line, the rules a request was granted with live with the
 * request (a reload changes them only for the next request).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../abi/linecfg.h"
#include "internal.h"

#define ENFORCE_RELEASED_CONSUMER "released"

uint64_t enforce_now(const struct vgc_chip *chip)
{
	struct timespec ts;

	if (chip->now_ns)
		return chip->now_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void enforce_audit(struct vgc_req *req, enum vgc_audit_event event, int result,
		   const struct vgc_denial *why)
{
	struct vgc_chip *chip = req->chip;
	uint32_t hosts[GPIO_V2_LINES_MAX];
	struct vgc_audit a = {
		.event = event,
		/* a release may come with no call (a close, the chip going): the holder */
		.pid = event == VGC_AUDIT_RELEASE ? req->pid : chip->caller,
		.consumer = req->consumer,
		.num_lines = req->num_lines,
		.offsets = req->offsets,
		.hosts = hosts,
		.flags = event == VGC_AUDIT_RELEASE ? NULL : req->flags,
		.result = result,
		.why = why,
	};

	switch (event) {
	case VGC_AUDIT_REQUEST:
		chip->cnt.requests++;
		break;
	case VGC_AUDIT_RELEASE:
		chip->cnt.releases++;
		break;
	case VGC_AUDIT_RECONFIG:
		chip->cnt.reconfigs++;
		break;
	case VGC_AUDIT_DENIED:
		chip->cnt.denials++;
		break;
	}
	if (!chip->audit)
		return;
	for (unsigned int i = 0; i < req->num_lines; i++)
		hosts[i] = chip->lines[req->offsets[i]].ent.host;
	chip->audit(&a, chip->audit_data);
}

static const struct vgc_rules *const *enforce_rules(struct vgc_req *req,
						const struct vgc_rules *r[])
{
	for (unsigned int i = 0; i < req->num_lines; i++)
		r[i] = &req->rules[i];
	return r;
}

/*
 * Lines whose physical output level would change, as toggles to admit: all
 * or nothing. values[i] is what line i is about to be driven to, -1 for a
 * line not driven (see enforce_config_values and enforce_values). A line whose
 * level we never drove counts as a change.
 */
static int enforce_toggles(struct vgc_req *req, const uint64_t *flags, const int *values,
		       struct vgc_denial *why)
{
	struct vgc_rate *st[GPIO_V2_LINES_MAX];
	const struct vgc_rules *r[GPIO_V2_LINES_MAX];
	unsigned int idx[GPIO_V2_LINES_MAX], n = 0;
	int ret;

	for (unsigned int i = 0; i < req->num_lines; i++) {
		struct vgc_vline *vl = &req->chip->lines[req->offsets[i]];
		int level;

		if (values[i] < 0)
			continue;
		level = values[i] ^ !!(flags[i] & GPIO_V2_LINE_FLAG_ACTIVE_LOW);
		if (vl->level == level)
			continue;
		st[n] = &vl->toggles;
		r[n] = &req->rules[i];
		idx[n++] = i;
	}
	if (!n)
		return 0;
	ret = vgc_rules_allow_toggle(st, r, n, enforce_now(req->chip), why);
	/* the refusal is counted in the line's bucket */
	if (ret)
		why->index = idx[why->index];
	return ret;
}

/* Physical levels as the tenant just drove them. */
static void enforce_levels(struct vgc_req *req, const uint64_t *flags, const int *values)
{
	for (unsigned int i = 0; i < req->num_lines; i++)
		if (values[i] >= 0)
			req->chip->lines[req->offsets[i]].level =
				values[i] ^ !!(flags[i] & GPIO_V2_LINE_FLAG_ACTIVE_LOW);
}

/* A config drives only the lines it makes outputs; as-is lines keep their level. */
static void enforce_config_values(struct vgc_req *req, const struct gpio_v2_line_config *lc,
			      uint64_t *flags, int *values)
{
	for (unsigned int i = 0; i < req->num_lines; i++) {
		flags[i] = vgc_linecfg_flags(lc, i);
		values[i] = flags[i] & GPIO_V2_LINE_FLAG_OUTPUT ? vgc_linecfg_output_value(lc, i)
							       : -1;
	}
}

static int enforce_denied(struct vgc_req *req, int ret, struct vgc_denial *why)
{
	if (ret == -EPERM)
		req->chip->lines[req->offsets[why->index]].cnt.denials++;
	enforce_audit(req, VGC_AUDIT_DENIED, ret, why);
	return ret;
}

int enforce_request(struct vgc_req *req, const struct gpio_v2_line_config *lc)
{
	const struct vgc_rules *r[GPIO_V2_LINES_MAX];
	int values[GPIO_V2_LINES_MAX];
	struct vgc_denial why;
	int ret;

	for (unsigned int i = 0; i < req->num_lines; i++)
		req->rules[i] = req->chip->lines[req->offsets[i]].rules;
	enforce_config_values(req, lc, req->flags, values);
	ret = vgc_rules_check_request(enforce_rules(req, r), req->num_lines, lc, &why);
	if (!ret)
		ret = enforce_toggles(req, req->flags, values, &why);
	if (ret)
		return enforce_denied(req, ret, &why);
	enforce_levels(req, req->flags, values);
	for (unsigned int i = 0; i < req->num_lines; i++)
		req->chip->lines[req->offsets[i]].cnt.requests++;
	return 0;
}

int enforce_check_config(struct vgc_req *req, const struct gpio_v2_line_config *lc)
{
	const struct vgc_rules *r[GPIO_V2_LINES_MAX];
	uint64_t flags[GPIO_V2_LINES_MAX];
	int values[GPIO_V2_LINES_MAX];
	struct vgc_denial why;
	int ret;

	enforce_config_values(req, lc, flags, values);
	ret = vgc_rules_check_config(enforce_rules(req, r), req->num_lines, lc, &why);
	if (!ret)
		ret = enforce_toggles(req, flags, values, &why);
	return ret ? enforce_denied(req, ret, &why) : 0;
}

void enforce_commit_config(struct vgc_req *req, const struct gpio_v2_line_config *lc)
{
	uint64_t flags[GPIO_V2_LINES_MAX];
	int values[GPIO_V2_LINES_MAX];

	enforce_config_values(req, lc, flags, values);
	enforce_levels(req, flags, values);
	/* lines given no direction keep their configuration */
	for (unsigned int i = 0; i < req->num_lines; i++)
		if (flags[i] & VGC_LINE_DIRECTION_FLAGS)
			req->flags[i] = flags[i];
	enforce_audit(req, VGC_AUDIT_RECONFIG, 0, NULL);
}

/*
 * SET_VALUES drives every line of mask that is an output on the host, also
 * one requested "as is" that was an output already (is_out follows the host).
 */
static void enforce_values(struct vgc_req *req, uint64_t mask, uint64_t bits, int *values)
{
	for (unsigned int i = 0; i < req->num_lines; i++)
		values[i] = (mask & (1ull << i)) && req->is_out[i] ? !!(bits & (1ull << i)) : -1;
}

int enforce_check_values(struct vgc_req *req, uint64_t mask, uint64_t bits)
{
	int values[GPIO_V2_LINES_MAX];
	struct vgc_denial why;
	int ret;

	enforce_values(req, mask, bits, values);
	ret = enforce_toggles(req, req->flags, values, &why);
	return ret ? enforce_denied(req, ret, &why) : 0;
}

void enforce_commit_values(struct vgc_req *req, uint64_t mask, uint64_t bits)
{
	int values[GPIO_V2_LINES_MAX];

	enforce_values(req, mask, bits, values);
	enforce_levels(req, req->flags, values);
}

bool enforce_event(struct vgc_req *req, unsigned int idx)
{
	struct vgc_vline *vl = &req->chip->lines[req->offsets[idx]];
	/* every edge comes here: read the clock only for a line with a rate */
	uint64_t now = req->rules[idx].max_event_hz ? enforce_now(req->chip) : 0;

	if (vgc_rules_allow_event(&vl->events, &req->rules[idx], now))
		return true;
	vl->cnt.events_dropped++;
	return false;
}

/*
 * Holds one host line in its release state. Drivers differ in what a freed
 * line does (gpio-sim falls back to its pull, most SoC pin controllers keep
 * the level), so a line that must stay low or high stays requested by us,
 * labelled "tenant:released", until a tenant asks for it again.
 */
static void enforce_park(struct vgc_chip *chip, uint32_t virt, uint64_t flags, int value)
{
	struct gpio_v2_line_config lc = { .flags = flags };
	char consumer[sizeof(chip->tenant) + sizeof(ENFORCE_RELEASED_CONSUMER)];
	struct vgc_vline *vl = &chip->lines[virt];

	lc.num_attrs = 1;
	lc.attrs[0].mask = 1;
	lc.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	lc.attrs[0].attr.values = (uint64_t)value;
	snprintf(consumer, sizeof(consumer), "%s:%s", chip->tenant, ENFORCE_RELEASED_CONSUMER);
	if (!chip->be->ops->request(chip->be, &vl->ent.host, 1, &lc, consumer, NULL, NULL,
				    &vl->parked))
		vl->level = value;
}

void enforce_unpark(struct vgc_chip *chip, uint32_t virt)
{
	struct vgc_vline *vl = &chip->lines[virt];

	if (!vl->parked)
		return;
	chip->be->ops->release(vl->parked);
	vl->parked = NULL;
}

/*
 * Takes every line with a release action to its state with as few
 * reconfigurations as the attributes allow: one attribute per distinct set
 * of flags, the last one for the output values, so more kinds of lines than
 * that take another pass.
 */
static void enforce_release_config(struct vgc_req *req, uint64_t todo, const uint64_t *flags,
			       const int *value)
{
	struct gpio_v2_line_config lc;

	while (todo) {
		struct gpio_v2_line_config_attribute *va;
		uint64_t done = 0;

		memset(&lc, 0, sizeof(lc));
		for (unsigned int i = 0; i < req->num_lines; i++) {
			unsigned int a;

			if (!(todo & (1ull << i)))
				continue;
			for (a = 0; a < lc.num_attrs && lc.attrs[a].attr.flags != flags[i]; a++)
				;
			if (a == GPIO_V2_LINE_NUM_ATTRS_MAX - 1)
				continue;	/* next pass */
			if (a == lc.num_attrs) {
				lc.attrs[a].attr.id = GPIO_V2_LINE_ATTR_ID_FLAGS;
				lc.attrs[a].attr.flags = flags[i];
				lc.num_attrs++;
			}
			lc.attrs[a].mask |= 1ull << i;
			done |= 1ull << i;
		}
		va = &lc.attrs[lc.num_attrs++];
		va->attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		for (unsigned int i = 0; i < req->num_lines; i++) {
			if (!(done & (1ull << i)) || !(flags[i] & GPIO_V2_LINE_FLAG_OUTPUT))
				continue;
			va->mask |= 1ull << i;
			if (value[i])
				va->attr.values |= 1ull << i;
		}
		req->chip->be->ops->set_config(req->breq, &lc);
		todo &= ~done;
	}
}

void enforce_release(struct vgc_req *req)
{
	struct vgc_chip *chip = req->chip;
	uint64_t flags[GPIO_V2_LINES_MAX], todo = 0;
	int value[GPIO_V2_LINES_MAX];
	unsigned int num_parked = 0;

	if (!req->breq)
		return;
	for (unsigned int i = 0; i < req->num_lines; i++) {
		/* what the line is on the host decides, not the flags it was asked with */
		if (!vgc_rules_release_action(&req->rules[i], req->flags[i], req->is_out[i],
					      &flags[i], &value[i]))
			continue;
		todo |= 1ull << i;
		if (flags[i] & GPIO_V2_LINE_FLAG_OUTPUT)
			num_parked++;
	}
	enforce_release_config(req, todo, flags, value);
	/* a single line in its release state is parked as it is held: no glitch */
	if (req->num_lines == 1 && num_parked == 1) {
		struct vgc_vline *vl = &chip->lines[req->offsets[0]];

		vl->parked = req->breq;
		vl->level = value[0];
		req->breq = NULL;
		return;
	}
	chip->be->ops->release(req->breq);
	req->breq = NULL;
	/* drivers differ on what a freed line does: the next drive counts as a toggle */
	for (unsigned int i = 0; i < req->num_lines; i++)
		chip->lines[req->offsets[i]].level = -1;
	for (unsigned int i = 0; i < req->num_lines && num_parked; i++)
		if ((todo & (1ull << i)) && (flags[i] & GPIO_V2_LINE_FLAG_OUTPUT))
			enforce_park(chip, req->offsets[i], flags[i], value[i]);
}
