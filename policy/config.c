// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration file parser. libinih splits the text into sections and
 * KEY = VALUE pairs; this file says what they mean.
 *
 * libinih's handler gets no line number (Debian builds it without
 * INI_HANDLER_LINENO) and is not called for a section with no keys, so the
 * text is fed through our own line reader: it counts lines, and it opens
 * each [section] itself, which is how "[lin 4]" with nothing under it is
 * still reported. The reader also strips leading blanks, so an indented line
 * is never taken for the continuation of the previous value. What each
 * key means is in config_keys.c.
 */
#include <errno.h>
#include <linux/gpio.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

/* Keeps the mistake that comes first in the file. */
int config_fail(struct config_parser *p, unsigned int lineno, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->ret && p->err_line <= lineno)
		return -EINVAL;
	p->ret = -EINVAL;
	p->err_line = lineno;
	if (!p->err || !p->errlen)
		return -EINVAL;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->cfg->file, lineno);
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void config_fail_nomem(struct config_parser *p)
{
	p->ret = -ENOMEM;
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "%s: out of memory", p->cfg->file);
}

const char *config_section_name(const struct config_parser *p, char *buf, size_t size)
{
	if (p->sec == CONFIG_SEC_LINE)
		snprintf(buf, size, "[line %u]", p->cur->line.virt);
	else
		snprintf(buf, size, "[chip]");
	return buf;
}

/* --- sections and keys, as the reader and inih find them --- */

/* What a [line N] needs as a whole, checked when the next section starts. */
static void config_close_line(struct config_parser *p, const struct config_pending *pl)
{
	const struct vgc_rules *r = &pl->line.rules;

	if (!pl->key_line[LINE_HOST])
		config_fail(p, pl->header,
			    "[line %u] has no host key; allowed: host = H, the host line it "
			    "shows (0 to %u)",
			    pl->line.virt, CONFIG_HOST_LINES - 1);
	if (r->read_only && pl->key_line[LINE_DIRECTIONS] && (r->directions & VGC_RULE_DIR_OUTPUT))
		config_fail(p, pl->key_line[LINE_DIRECTIONS],
			    "directions in [line %u] allows output but read-only = yes (line %u); "
			    "allowed: directions = input, or read-only = no",
			    pl->line.virt, pl->key_line[LINE_READ_ONLY]);
}

static int config_open_section(struct config_parser *p, const char *name, size_t len)
{
	char quoted[CONFIG_QUOTE_MAX + 1];
	struct config_pending *pl;
	uint32_t virt;
	size_t skip;

	while (len && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	vgc_policy_quote(quoted, sizeof(quoted), name, len);
	if (p->sec == CONFIG_SEC_LINE) {
		config_close_line(p, p->cur);
		if (p->ret)
			return p->ret;
	}
	if (len == 4 && !strncmp(name, "chip", 4)) {
		if (p->chip_header)
			return config_fail(p, p->lineno,
					   "[chip] appears again (first at line %u); allowed: "
					   "one [chip] section",
					   p->chip_header);
		p->chip_header = p->lineno;
		p->sec = CONFIG_SEC_CHIP;
		return 0;
	}
	if (len < 4 || strncmp(name, "line", 4))
		return config_fail(p, p->lineno, "unknown section [%s]; allowed: %s", quoted,
				   CONFIG_SECTIONS);
	for (skip = 4; skip < len && (name[skip] == ' ' || name[skip] == '\t'); skip++)
		;
	if (skip == 4 || vgc_rules_number(name + skip, len - skip, 0, VGC_MAP_MAX_LINES - 1, &virt))
		return config_fail(p, p->lineno,
				   "bad section [%s]; allowed: [line N] with N, the virtual line, "
				   "from 0 to %u",
				   quoted, VGC_MAP_MAX_LINES - 1);
	pl = &p->pending[virt];
	if (pl->header)
		return config_fail(p, p->lineno,
				   "[line %u] appears again (first at line %u); allowed: one "
				   "section per virtual line",
				   virt, pl->header);
	pl->header = p->lineno;
	pl->line.virt = virt;
	pl->line.lineno = p->lineno;
	pl->line.rules = vgc_rules_default;
	p->cur = pl;
	p->sec = CONFIG_SEC_LINE;
	return 0;
}

static int config_set_key(struct config_parser *p, const char *name, const char *value)
{
	const struct config_key *keys = p->sec == CONFIG_SEC_CHIP ? config_chip_keys :
								    config_line_keys;
	unsigned int n = p->sec == CONFIG_SEC_CHIP ? CHIP_NUM_KEYS : LINE_NUM_KEYS;
	unsigned int *key_line = p->sec == CONFIG_SEC_CHIP ? p->chip_key_line :
							     p->cur ? p->cur->key_line : NULL;
	char quoted[CONFIG_QUOTE_MAX + 1], sec[24], list[192] = "";
	unsigned int k;

	vgc_policy_quote(quoted, sizeof(quoted), name, strlen(name));
	if (p->sec == CONFIG_SEC_NONE)
		return config_fail(p, p->lineno,
				   "key '%s' is outside a section; allowed: keys under [chip] or "
				   "[line N]",
				   quoted);
	config_section_name(p, sec, sizeof(sec));
	for (k = 0; k < n; k++)
		if (!strcmp(name, keys[k].name))
			break;
	if (k == n) {
		for (unsigned int i = 0; i < n; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", keys[i].name);
		return config_fail(p, p->lineno, "unknown key '%s' in %s; allowed: %s", quoted,
				   sec, list);
	}
	if (key_line[k])
		return config_fail(p, p->lineno,
				   "%s is set again in %s (first at line %u); allowed: each key "
				   "once per section",
				   keys[k].name, sec, key_line[k]);
	key_line[k] = p->lineno;
	p->key = keys[k].name;
	return keys[k].set(p, value);
}

/* The checks that need the whole file; config_fail keeps the first in file order. */
static void config_finish(struct config_parser *p)
{
	struct vgc_config *cfg = p->cfg;
	unsigned int num = 0, last = 0;

	if (cfg->chip && cfg->sim_lines) {
		unsigned int at = p->chip_key_line[CHIP_CHIP] > p->chip_key_line[CHIP_SIM] ?
					  p->chip_key_line[CHIP_CHIP] :
					  p->chip_key_line[CHIP_SIM];

		config_fail(p, at,
			    "[chip] has both chip and sim; allowed: one of them, chip for a host "
			    "chip or sim for simulated lines");
	}
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++) {
		struct config_pending *pl = &p->pending[v];
		struct vgc_rules *r = &pl->line.rules;

		if (!pl->header)
			continue;
		num++;
		last = v;
		config_close_line(p, pl);
		if (pl->key_line[LINE_HOST] && cfg->sim_lines && pl->line.host >= cfg->sim_lines)
			config_fail(p, pl->key_line[LINE_HOST],
				    "host line %u in [line %u] is beyond sim = %u (line %u); "
				    "allowed: host lines 0 to %u",
				    pl->line.host, v, cfg->sim_lines, p->chip_key_line[CHIP_SIM],
				    cfg->sim_lines - 1);
		if (r->read_only)
			r->directions = VGC_RULE_DIR_INPUT;
	}
	if (num && cfg->lines && cfg->lines <= last)
		config_fail(p, p->chip_key_line[CHIP_LINES],
			    "lines = %u leaves out [line %u] (line %u); allowed: lines from %u "
			    "to %u",
			    cfg->lines, last, p->pending[last].header, last + 1, VGC_MAP_MAX_LINES);
	if (p->ret || !num)
		return;
	cfg->line = calloc(num, sizeof(*cfg->line));
	if (!cfg->line) {
		config_fail_nomem(p);
		return;
	}
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++)
		if (p->pending[v].header)
			cfg->line[cfg->num++] = p->pending[v].line;
}

static char *config_read_line(char *buf, int size, void *stream)
{
	struct config_parser *p = stream;
	const char *s = p->pos, *nl, *start;
	size_t len, text_len;

	if (p->ret || !*s)
		return NULL;
	nl = strchr(s, '\n');
	len = nl ? (size_t)(nl - s) + 1 : strlen(s);
	p->pos = s + len;
	p->lineno++;
	start = s;
	if (p->lineno == 1 && !strncmp(start, "\xef\xbb\xbf", 3))
		start += 3;
	while (start < s + len && (*start == ' ' || *start == '\t'))
		start++;
	len -= (size_t)(start - s);
	text_len = len;
	while (text_len && (start[text_len - 1] == '\n' || start[text_len - 1] == '\r'))
		text_len--;
	/* inih needs room for "\r\n\0"; a longer line would be split silently */
	if (size < 3 || text_len > (size_t)size - 3) {
		config_fail(p, p->lineno,
				"the line is %zu characters long; allowed: lines of up to %d characters",
				text_len, size - 3);
		return NULL;
	}
	/* without the line's end: a run of '\r' before it would not fit */
	memcpy(buf, start, text_len);
	buf[text_len] = '\0';
	if (buf[0] == '[') {
		const char *close = memchr(buf, ']', text_len);

		/* without ']' inih reports the line itself */
		if (close && config_open_section(p, buf + 1, (size_t)(close - buf - 1)))
			return NULL;
	}
	return buf;
}

static int config_handler(void *user, const char *section, const char *name, const char *value)
{
	struct config_parser *p = user;

	(void)section;	/* ours, opened by the reader, is the same one */
	if (p->ret)
		return 0;
	return !config_set_key(p, name, value);
}

/* inih reports only the number of a line it could not split; say why. */
static void config_syntax_error(struct config_parser *p, unsigned int lineno)
{
	const char *s = p->text;
	char quoted[CONFIG_QUOTE_MAX + 1];
	size_t len;

	for (unsigned int i = 1; i < lineno && s; i++) {
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t')
		s++;
	len = strcspn(s, "\r\n");
	vgc_policy_quote(quoted, sizeof(quoted), s, len);
	if (s[0] == '[')
		config_fail(p, lineno, "section header '%s' has no closing ']'; allowed: %s",
				quoted, CONFIG_SECTIONS);
	else
		config_fail(p, lineno,
				"cannot read '%s'; allowed: [SECTION], KEY = VALUE, or a comment "
				"starting with # or ;",
				quoted);
}

/* The tenant a file names by default: /etc/vgpiochip/vpi1.conf is vpi1. */
static void config_default_tenant(struct vgc_config *cfg, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t len;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".conf"))
		len -= 5;
	if (!len || len >= sizeof(cfg->tenant))
		return;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)base[i] <= ' ' || base[i] == '/' || base[i] >= 0x7f)
			return;
	memcpy(cfg->tenant, base, len);
	cfg->tenant[len] = '\0';
}

struct vgc_config *vgc_config_parse(const char *text, const char *file, char *err,
				    size_t errlen)
{
	struct config_parser *p;
	struct vgc_config *cfg;
	int ret, bad_line;

	if (err && errlen)
		err[0] = '\0';
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return NULL;
	cfg->file = strdup(file ? file : "(config)");
	p = calloc(1, sizeof(*p));
	if (!cfg->file || !p) {
		ret = -ENOMEM;
		goto err_free_parser;
	}
	p->cfg = cfg;
	p->text = text ? text : "";
	p->pos = p->text;
	p->err = err;
	p->errlen = errlen;
	config_default_tenant(cfg, cfg->file);

	bad_line = ini_parse_stream(config_read_line, p, config_handler, p);
	if (bad_line == -2)
		config_fail_nomem(p);
	/* inih's own complaint wins only if it comes first in the file */
	else if (bad_line > 0 && (!p->ret || (unsigned int)bad_line < p->err_line))
		config_syntax_error(p, (unsigned int)bad_line);
	if (!p->ret)
		config_finish(p);
	ret = p->ret;
	if (ret)
		goto err_free_parser;
	free(p);
	return cfg;

err_free_parser:
	free(p);
	vgc_config_free(cfg);
	errno = -ret;
	return NULL;
}
