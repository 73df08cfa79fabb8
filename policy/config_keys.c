// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What each key of the configuration file means: the [chip] and [line N]
 * keys, each checking its value and saying what is allowed when it is bad.
 * The parser that finds them is config.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

/* "bad value 'x' for KEY in [SECTION]; allowed: ..." */
static int config_bad(struct config_parser *p, const char *value, const char *allowed)
{
	char quoted[CONFIG_QUOTE_MAX + 1], sec[24];

	vgc_policy_quote(quoted, sizeof(quoted), value, strlen(value));
	return config_fail(p, p->lineno, "bad value '%s' for %s in %s; allowed: %s", quoted,
			   p->key, config_section_name(p, sec, sizeof(sec)), allowed);
}

static int config_uint(struct config_parser *p, const char *value, uint32_t min, uint32_t max,
		       uint32_t *out)
{
	char allowed[64];

	if (!vgc_rules_number(value, strlen(value), min, max, out))
		return 0;
	snprintf(allowed, sizeof(allowed), "a number from %u to %u", min, max);
	return config_bad(p, value, allowed);
}

/*
 * Printable text of 1 to max characters; no_blank_slash for names that
 * become paths or tokens on a command line.
 */
static int config_text(struct config_parser *p, const char *value, size_t max,
		       bool no_blank_slash, const char *allowed, char *dst)
{
	size_t len = strlen(value);

	if (!len || len > max)
		return config_bad(p, value, allowed);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (c < 0x20 || c >= 0x7f || (no_blank_slash && (c == ' ' || c == '/')))
			return config_bad(p, value, allowed);
	}
	if (dst)
		memcpy(dst, value, len + 1);
	return 0;
}

static int config_strdup(struct config_parser *p, const char *value, char **dst)
{
	char *copy = strdup(value);

	if (!copy) {
		config_fail_nomem(p);
		return -ENOMEM;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

/* --- [chip] --- */

static int chip_set_tenant(struct config_parser *p, const char *value)
{
	return config_text(p, value, VGC_CONFIG_TENANT_MAX - 1, true,
			   "a name of 1 to 63 printable characters without '/' or blanks",
			   p->cfg->tenant);
}

static int chip_set_chip(struct config_parser *p, const char *value)
{
	int ret = config_text(p, value, CONFIG_TEXT_MAX, false,
			      "a host chip: /dev/gpiochipN, gpiochipN or its label", NULL);

	return ret ? ret : config_strdup(p, value, &p->cfg->chip);
}

static int chip_set_sim(struct config_parser *p, const char *value)
{
	return config_uint(p, value, 1, CONFIG_HOST_LINES - 1, &p->cfg->sim_lines);
}

static int chip_set_chip_name(struct config_parser *p, const char *value)
{
	int ret = config_text(p, value, GPIO_MAX_NAME_SIZE - 1, true,
			      "1 to 31 printable characters without '/' or blanks", NULL);

	return ret ? ret : config_strdup(p, value, &p->cfg->chip_name);
}

static int chip_set_label(struct config_parser *p, const char *value)
{
	int ret = config_text(p, value, GPIO_MAX_NAME_SIZE - 1, false,
			      "1 to 31 printable characters", NULL);

	return ret ? ret : config_strdup(p, value, &p->cfg->label);
}

static int chip_set_lines(struct config_parser *p, const char *value)
{
	return config_uint(p, value, 1, VGC_MAP_MAX_LINES, &p->cfg->lines);
}

static int chip_set_node(struct config_parser *p, const char *value)
{
	static const char allowed[] = "an absolute path such as /dev/gpiochip0";
	int ret = config_text(p, value, CONFIG_TEXT_MAX, false, allowed, NULL);

	if (!ret && (value[0] != '/' || strchr(value, ' ')))
		ret = config_bad(p, value, allowed);
	return ret ? ret : config_strdup(p, value, &p->cfg->node);
}

int vgc_config_parse_dev(const char *value, unsigned int *major, unsigned int *minor)
{
	const char *colon = strchr(value, ':');
	uint32_t maj, min;

	/* the kernel's limits: majors below CHRDEV_MAJOR_MAX (512), 20-bit minors */
	if (!colon || vgc_rules_number(value, (size_t)(colon - value), 1, VGC_CONFIG_DEV_MAJOR_MAX,
				       &maj) ||
	    vgc_rules_number(colon + 1, strlen(colon + 1), 0, VGC_CONFIG_DEV_MINOR_MAX, &min))
		return -EINVAL;
	*major = maj;
	*minor = min;
	return 0;
}

static int chip_set_dev(struct config_parser *p, const char *value)
{
	unsigned int major, minor;

	if (vgc_config_parse_dev(value, &major, &minor))
		return config_bad(p, value, VGC_CONFIG_DEV_ALLOWED);
	p->cfg->has_dev = true;
	p->cfg->dev_major = major;
	p->cfg->dev_minor = minor;
	return 0;
}

static int chip_set_devname(struct config_parser *p, const char *value)
{
	int ret = config_text(p, value, CONFIG_DEVNAME_MAX, true,
			      "1 to 100 printable characters without '/' or blanks", NULL);

	return ret ? ret : config_strdup(p, value, &p->cfg->devname);
}

const struct config_key config_chip_keys[CHIP_NUM_KEYS] = {
	[CHIP_TENANT] = { "tenant", chip_set_tenant },
	[CHIP_CHIP] = { "chip", chip_set_chip },
	[CHIP_SIM] = { "sim", chip_set_sim },
	[CHIP_CHIP_NAME] = { "chip-name", chip_set_chip_name },
	[CHIP_LABEL] = { "label", chip_set_label },
	[CHIP_LINES] = { "lines", chip_set_lines },
	[CHIP_NODE] = { "node", chip_set_node },
	[CHIP_DEV] = { "dev", chip_set_dev },
	[CHIP_DEVNAME] = { "devname", chip_set_devname },
};

/* --- [line N] --- */

static int line_set_host(struct config_parser *p, const char *value)
{
	uint32_t host;
	int ret = config_uint(p, value, 0, CONFIG_HOST_LINES - 1, &host);

	if (ret)
		return ret;
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++) {
		const struct config_pending *o = &p->pending[v];

		if (o == p->cur || !o->key_line[LINE_HOST] || o->line.host != host)
			continue;
		return config_fail(p, p->lineno,
				   "host line %u in [line %u] is already in [line %u] (line %u); "
				   "allowed: each host line in one section only",
				   host, p->cur->line.virt, v, o->key_line[LINE_HOST]);
	}
	p->cur->line.host = host;
	return 0;
}

static int line_set_name(struct config_parser *p, const char *value)
{
	int ret = config_text(p, value, VGC_MAP_NAME_MAX - 1, false,
			      "1 to 31 printable characters", NULL);

	if (ret)
		return ret;
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++) {
		const struct config_pending *o = &p->pending[v];

		if (o == p->cur || !o->key_line[LINE_NAME] || strcmp(o->line.name, value))
			continue;
		return config_fail(p, p->lineno,
				   "line name '%s' in [line %u] is already in [line %u] (line %u); "
				   "allowed: each name once",
				   value, p->cur->line.virt, v, o->key_line[LINE_NAME]);
	}
	strcpy(p->cur->line.name, value);
	return 0;
}

/* Everything but host and name is a rule, which rules.c knows how to read. */
static int line_set_rule(struct config_parser *p, const char *value)
{
	const char *allowed = "";
	int ret = vgc_rules_set(&p->cur->line.rules, p->key, value, &allowed);

	return ret ? config_bad(p, value, allowed) : 0;
}

const struct config_key config_line_keys[LINE_NUM_KEYS] = {
	[LINE_HOST] = { "host", line_set_host },
	[LINE_NAME] = { "name", line_set_name },
	[LINE_DIRECTIONS] = { "directions", line_set_rule },
	[LINE_BIAS] = { "bias", line_set_rule },
	[LINE_DRIVE] = { "drive", line_set_rule },
	[LINE_ACTIVE_LOW] = { "active-low", line_set_rule },
	[LINE_EDGES] = { "edges", line_set_rule },
	[LINE_DEBOUNCE] = { "debounce-us", line_set_rule },
	[LINE_READ_ONLY] = { "read-only", line_set_rule },
	[LINE_MAX_TOGGLE] = { "max-toggle-hz", line_set_rule },
	[LINE_MAX_EVENT] = { "max-event-hz", line_set_rule },
	[LINE_RELEASE] = { "release", line_set_rule },
};
