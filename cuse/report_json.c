// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `vgpiochip status NAME --json`: the status as one JSON document, built with
 * json-c. The schema is docs/status-json.md and docs/status.schema.json;
 * bump REPORT_JSON_VERSION when a field changes meaning or goes away (adding
 * a field does not).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <json.h>

#include "report.h"

#define REPORT_JSON_VERSION 1

/* A rule set (VGC_RULE_* bits) as the config file's words, e.g. ["as-is","pull-up"]. */
static json_object *json_set(unsigned int set, const char *const names[], unsigned int n)
{
	json_object *a = json_object_new_array();

	for (unsigned int i = 0; a && i < n; i++)
		if (set & (1u << i))
			json_object_array_add(a, json_object_new_string(names[i]));
	return a;
}

/* The v2 flags a holder asked for, by the uAPI's names without the prefix. */
static json_object *json_flags(uint64_t flags)
{
	static const struct {
		uint64_t flag;
		const char *name;
	} names[] = {
		{ GPIO_V2_LINE_FLAG_ACTIVE_LOW, "active-low" },
		{ GPIO_V2_LINE_FLAG_INPUT, "input" },
		{ GPIO_V2_LINE_FLAG_OUTPUT, "output" },
		{ GPIO_V2_LINE_FLAG_EDGE_RISING, "edge-rising" },
		{ GPIO_V2_LINE_FLAG_EDGE_FALLING, "edge-falling" },
		{ GPIO_V2_LINE_FLAG_OPEN_DRAIN, "open-drain" },
		{ GPIO_V2_LINE_FLAG_OPEN_SOURCE, "open-source" },
		{ GPIO_V2_LINE_FLAG_BIAS_PULL_UP, "bias-pull-up" },
		{ GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, "bias-pull-down" },
		{ GPIO_V2_LINE_FLAG_BIAS_DISABLED, "bias-disabled" },
		{ GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME, "event-clock-realtime" },
		{ GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE, "event-clock-hte" },
	};
	json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag)
			json_object_array_add(a, json_object_new_string(names[i].name));
	return a;
}

static json_object *json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* 0 (unlimited) as null: a number always means a limit. */
static json_object *json_limit(uint32_t hz)
{
	return hz ? json_object_new_int64(hz) : NULL;
}

static json_object *json_rules(const struct vgc_rules *r)
{
	json_object *o = json_object_new_object(), *deb = json_object_new_object();

	json_object_object_add(o, "directions", json_set(r->directions,
							 vgc_rules_direction_names, 2));
	json_object_object_add(o, "bias", json_set(r->bias, vgc_rules_bias_names, 4));
	json_object_object_add(o, "drive", json_set(r->drive, vgc_rules_drive_names, 3));
	json_object_object_add(o, "active_low", json_object_new_boolean(r->active_low));
	json_object_object_add(o, "edges", json_object_new_boolean(r->edges));
	json_object_object_add(o, "read_only", json_object_new_boolean(r->read_only));
	json_object_object_add(deb, "min", json_object_new_int64(r->debounce_min_us));
	json_object_object_add(deb, "max", json_object_new_int64(r->debounce_max_us));
	json_object_object_add(o, "debounce_us", deb);
	json_object_object_add(o, "max_toggle_hz", json_limit(r->max_toggle_hz));
	json_object_object_add(o, "max_event_hz", json_limit(r->max_event_hz));
	json_object_object_add(o, "release",
			       json_object_new_string(vgc_rules_release_name(r->release)));
	return o;
}

static json_object *json_line(uint32_t v, const struct vgc_line_status *st)
{
	json_object *o = json_object_new_object(), *c = json_object_new_object();
	json_object *holder = NULL;
	const char *state = "free";
	int value = -1;

	json_object_object_add(o, "offset", json_object_new_int64(v));
	json_object_object_add(o, "host", json_object_new_int64(st->host));
	json_object_object_add(o, "name", st->name[0] ? json_object_new_string(st->name) : NULL);
	if (st->held) {
		state = "held";
		value = st->value;
		holder = json_object_new_object();
		json_object_object_add(holder, "pid", json_object_new_int64(st->pid));
		json_object_object_add(holder, "consumer", json_object_new_string(st->consumer));
		json_object_object_add(holder, "direction",
				       json_object_new_string(st->flags & GPIO_V2_LINE_FLAG_OUTPUT ?
							      "output" :
							      st->flags & GPIO_V2_LINE_FLAG_INPUT ?
							      "input" : "as-is"));
		json_object_object_add(holder, "flags", json_flags(st->flags));
	} else if (st->parked) {
		/* we hold it in its release state */
		state = "released";
		value = st->level;
	}
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "holder", holder);
	json_object_object_add(o, "value", value < 0 ? NULL : json_object_new_int(!!value));
	json_object_object_add(o, "reload_pending", json_object_new_boolean(st->reload_pending));
	json_object_object_add(o, "rules", json_rules(&st->rules));
	json_object_object_add(c, "requests", json_u64(st->cnt.requests));
	json_object_object_add(c, "denials", json_u64(st->cnt.denials));
	json_object_object_add(c, "toggles_refused", json_u64(st->cnt.toggles_refused));
	json_object_object_add(c, "events", json_u64(st->cnt.events));
	json_object_object_add(c, "events_dropped", json_u64(st->cnt.events_dropped));
	json_object_object_add(o, "counters", c);
	return o;
}

static json_object *json_status(struct vgc_daemon *d)
{
	const struct vgc_chip_counters *cnt = vgc_chip_counters(d->chip);
	const char *host = vgc_backend_host_name(d->be);
	json_object *o = json_object_new_object(), *dev = json_object_new_object();
	json_object *chip = json_object_new_object(), *be = json_object_new_object();
	json_object *c = json_object_new_object(), *lines = json_object_new_array();

	json_object_object_add(o, "schema", json_object_new_string("vgpiochip-status"));
	json_object_object_add(o, "version", json_object_new_int(REPORT_JSON_VERSION));
	json_object_object_add(o, "tenant", json_object_new_string(d->cfg->tenant));
	json_object_object_add(o, "pid", json_object_new_int64(getpid()));
	json_object_object_add(dev, "path", json_object_new_string(d->host_node));
	json_object_object_add(dev, "major", json_object_new_int64(major(d->rdev)));
	json_object_object_add(dev, "minor", json_object_new_int64(minor(d->rdev)));
	json_object_object_add(dev, "numbering",
			       json_object_new_string(d->cfg->has_dev ? "fixed" : "dynamic"));
	json_object_object_add(dev, "node", json_object_new_string(d->node));
	json_object_object_add(o, "device", dev);
	json_object_object_add(chip, "name", json_object_new_string(d->chip_name));
	json_object_object_add(chip, "label", json_object_new_string(d->label));
	json_object_object_add(chip, "lines", json_object_new_int64(vgc_chip_num_lines(d->chip)));
	json_object_object_add(chip, "gone", json_object_new_boolean(vgc_chip_is_gone(d->chip)));
	json_object_object_add(o, "chip", chip);
	json_object_object_add(be, "type", json_object_new_string(host ? "host" : "sim"));
	json_object_object_add(be, "chip", host ? json_object_new_string(host) : NULL);
	json_object_object_add(o, "backend", be);
	json_object_object_add(c, "requests", json_u64(cnt->requests));
	json_object_object_add(c, "releases", json_u64(cnt->releases));
	json_object_object_add(c, "reconfigurations", json_u64(cnt->reconfigs));
	json_object_object_add(c, "denials", json_u64(cnt->denials));
	json_object_object_add(c, "injections", json_u64(d->injections));
	json_object_object_add(c, "injection_failures", json_u64(d->injection_failures));
	json_object_object_add(c, "open_files", json_object_new_int64(vgc_chip_num_files(d->chip)));
	json_object_object_add(o, "counters", c);
	for (unsigned int v = 0; v < vgc_chip_num_lines(d->chip); v++) {
		struct vgc_line_status st;

		/* holes (unmapped offsets) have nothing to report */
		if (vgc_chip_line_status(d->chip, v, &st) || !st.mapped)
			continue;
		json_object_array_add(lines, json_line(v, &st));
	}
	json_object_object_add(o, "lines", lines);
	return o;
}

char *vgc_report_status_json(struct vgc_daemon *d)
{
	json_object *o = json_status(d);
	const char *text;
	char *copy = NULL;

	if (!o)
		return NULL;
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						 JSON_C_TO_STRING_SPACED |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
	/* the text belongs to o */
	if (text && asprintf(&copy, "%s\n", text) < 0)
		copy = NULL;
	json_object_put(o);
	return copy;
}
