// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The --map parser. Every token is checked on its own first (syntax, limits),
 * then placed line by line into a table indexed by virtual offset, which
 * catches duplicates and leaves the result sorted for free.
 *
 * Blanks (space, tab) around a token are ignored, so "4:17, 5:27" works as
 * typed in a config file; blanks anywhere else are an error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

#define MAP_HOST_LINES 65536	/* host offsets are below this */
#define MAP_SYNTAX "expected V:H, A-B:C-D or V:H=NAME"
#define MAP_NAME_RULE "names are 1 to 31 printable characters without ',', ':' or '='"
#define MAP_QUOTE_MAX 48	/* longer tokens are cut in messages */

struct map_token {
	const char *text;
	size_t len;
};

/* One virtual offset, and the token that claimed it. */
struct map_slot {
	bool used;
	uint32_t host;
	char name[VGC_MAP_NAME_MAX];
	struct map_token from;
};

struct map_parser {
	char *err;
	size_t errlen;
	struct map_slot slots[VGC_MAP_MAX_LINES];
	uint64_t host_used[MAP_HOST_LINES / 64];
};

/* A side of "V:H": one line, or a range lo-hi. */
struct map_side {
	bool is_range;
	uint32_t lo, hi;
};

static bool map_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void vgc_policy_quote(char *buf, size_t size, const char *s, size_t len)
{
	bool cut = len > size - 1;
	size_t n = cut ? size - 4 : len;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (cut) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

static void map_quote(char *buf, size_t size, struct map_token t)
{
	vgc_policy_quote(buf, size, t.text, t.len);
}

__attribute__((format(printf, 2, 3)))
static int map_fail_raw(struct map_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* "bad --map token '<tok>': <reason>", the reason saying what is allowed. */
__attribute__((format(printf, 3, 4)))
static int map_fail(struct map_parser *p, struct map_token tok, const char *fmt, ...)
{
	char quoted[MAP_QUOTE_MAX + 1];
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return -EINVAL;
	map_quote(quoted, sizeof(quoted), tok);
	n = snprintf(p->err, p->errlen, "bad --map token '%s': ", quoted);
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int map_parse_number(struct map_parser *p, struct map_token tok, const char *what,
			    struct map_token num, uint32_t limit, uint32_t *out)
{
	char quoted[MAP_QUOTE_MAX + 1];
	uint32_t val = 0;
	bool too_big = false;

	map_quote(quoted, sizeof(quoted), num);
	for (size_t i = 0; i < num.len; i++) {
		if (num.text[i] < '0' || num.text[i] > '9')
			return map_fail(p, tok, "%s '%s' is not a number (%s)", what, quoted,
					MAP_SYNTAX);
	}
	/* Digits only, so no sign, no base prefix; stop growing before it can wrap. */
	for (size_t i = 0; i < num.len && !too_big; i++) {
		val = val * 10 + (uint32_t)(num.text[i] - '0');
		too_big = val >= limit;
	}
	if (too_big)
		return map_fail(p, tok, "%s '%s' is too large (%ss must be below %u)", what, quoted,
				what, limit);
	*out = val;
	return 0;
}

static int map_parse_side(struct map_parser *p, struct map_token tok, const char *what,
			  struct map_token text, uint32_t limit, struct map_side *side)
{
	const char *dash = memchr(text.text, '-', text.len);
	struct map_token lo, hi;
	char quoted[MAP_QUOTE_MAX + 1];
	int ret;

	if (!text.len)
		return map_fail(p, tok, "%s is missing (%s)", what, MAP_SYNTAX);
	side->is_range = dash != NULL;
	if (!dash) {
		ret = map_parse_number(p, tok, what, text, limit, &side->lo);
		side->hi = side->lo;
		return ret;
	}
	lo = (struct map_token){ .text = text.text, .len = (size_t)(dash - text.text) };
	hi = (struct map_token){ .text = dash + 1, .len = text.len - lo.len - 1 };
	map_quote(quoted, sizeof(quoted), text);
	/* Checked here so "-3" does not read as a negative number. */
	if (!lo.len)
		return map_fail(p, tok, "%s range '%s' has no start (write A-B)", what, quoted);
	if (!hi.len)
		return map_fail(p, tok, "%s range '%s' has no end (write A-B)", what, quoted);
	ret = map_parse_number(p, tok, what, lo, limit, &side->lo);
	if (!ret)
		ret = map_parse_number(p, tok, what, hi, limit, &side->hi);
	if (ret)
		return ret;
	if (side->lo > side->hi)
		return map_fail(p, tok, "%s range %u-%u is reversed (write the lower line first)",
				what, side->lo, side->hi);
	return 0;
}

static int map_parse_name(struct map_parser *p, struct map_token tok, const char *s, size_t len,
			  char name[VGC_MAP_NAME_MAX])
{
	if (!len)
		return map_fail(p, tok, "the line name after '=' is empty (%s)", MAP_NAME_RULE);
	if (len >= VGC_MAP_NAME_MAX)
		return map_fail(p, tok, "the line name is %zu characters long (%s)", len,
				MAP_NAME_RULE);
	/* A leading blank would be invisible in gpioinfo's output and in our error. */
	if (map_is_blank(s[0]))
		return map_fail(p, tok, "the line name starts with a blank (%s)", MAP_NAME_RULE);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ':' || c == '=')
			return map_fail(p, tok, "the line name contains '%c' (%s)", c, MAP_NAME_RULE);
		if (c < 0x20 || c >= 0x7f)
			return map_fail(p, tok,
					"the line name contains the non-printable byte 0x%02x (%s)",
					c, MAP_NAME_RULE);
	}
	memcpy(name, s, len);
	name[len] = '\0';
	return 0;
}

static bool map_host_taken(const struct map_parser *p, uint32_t host)
{
	return p->host_used[host / 64] & (UINT64_C(1) << (host % 64));
}

static const struct map_slot *map_host_owner(const struct map_parser *p, uint32_t host)
{
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++)
		if (p->slots[v].used && p->slots[v].host == host)
			return &p->slots[v];
	return NULL;
}

static int map_claim(struct map_parser *p, struct map_token tok, uint32_t virt, uint32_t host,
		     const char *name)
{
	struct map_slot *slot = &p->slots[virt];
	char other[MAP_QUOTE_MAX + 1];

	if (slot->used) {
		map_quote(other, sizeof(other), slot->from);
		return map_fail(p, tok,
				"virtual line %u is already mapped by '%s' (each virtual line may appear once)",
				virt, other);
	}
	if (map_host_taken(p, host)) {
		map_quote(other, sizeof(other), map_host_owner(p, host)->from);
		return map_fail(p, tok,
				"host line %u is already mapped by '%s' (each host line may appear once)",
				host, other);
	}
	if (name[0]) {
		for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++) {
			if (!p->slots[v].used || strcmp(p->slots[v].name, name))
				continue;
			map_quote(other, sizeof(other), p->slots[v].from);
			return map_fail(p, tok,
					"line name '%s' is already used by '%s' (each name may appear once)",
					name, other);
		}
	}
	slot->used = true;
	slot->host = host;
	strcpy(slot->name, name);
	slot->from = tok;
	p->host_used[host / 64] |= UINT64_C(1) << (host % 64);
	return 0;
}

static int map_parse_token(struct map_parser *p, struct map_token tok)
{
	const char *colon = memchr(tok.text, ':', tok.len);
	const char *eq = memchr(tok.text, '=', tok.len);
	const char *end = eq ? eq : tok.text + tok.len;
	char name[VGC_MAP_NAME_MAX] = "";
	struct map_side virt, host;
	int ret;

	/* A ':' after '=' belongs to the name, which rejects it there. */
	if (!colon || colon > end)
		return map_fail(p, tok, "no ':' between virtual and host line (%s)", MAP_SYNTAX);
	if (memchr(colon + 1, ':', (size_t)(end - colon - 1)))
		return map_fail(p, tok, "more than one ':' (%s)", MAP_SYNTAX);
	ret = map_parse_side(p, tok, "virtual line",
			     (struct map_token){ tok.text, (size_t)(colon - tok.text) },
			     VGC_MAP_MAX_LINES, &virt);
	if (!ret)
		ret = map_parse_side(p, tok, "host line",
				     (struct map_token){ colon + 1, (size_t)(end - colon - 1) },
				     MAP_HOST_LINES, &host);
	if (ret)
		return ret;
	if (virt.is_range != host.is_range)
		return map_fail(p, tok,
				"%s side is a range but the %s side is not (map a range to a range: A-B:C-D)",
				virt.is_range ? "virtual" : "host", virt.is_range ? "host" : "virtual");
	if (virt.hi - virt.lo != host.hi - host.lo)
		return map_fail(p, tok,
				"virtual range %u-%u has %u lines but host range %u-%u has %u (both must be the same length)",
				virt.lo, virt.hi, virt.hi - virt.lo + 1, host.lo, host.hi,
				host.hi - host.lo + 1);
	if (eq) {
		if (virt.is_range)
			return map_fail(p, tok,
					"a name can only be given to a single line, not to range %u-%u (write V:H=NAME)",
					virt.lo, virt.hi);
		ret = map_parse_name(p, tok, eq + 1, (size_t)(tok.text + tok.len - eq - 1), name);
		if (ret)
			return ret;
	}
	for (uint32_t i = 0; i <= virt.hi - virt.lo; i++) {
		ret = map_claim(p, tok, virt.lo + i, host.lo + i, name);
		if (ret)
			return ret;
	}
	return 0;
}

static int map_fail_empty(struct map_parser *p, const struct map_token *prev, bool at_end)
{
	char quoted[MAP_QUOTE_MAX + 1];

	if (!prev)
		return map_fail_raw(p,
				    "empty --map token at the start (remove the leading ','; %s, separated by single commas)",
				    MAP_SYNTAX);
	map_quote(quoted, sizeof(quoted), *prev);
	if (at_end)
		return map_fail_raw(p,
				    "empty --map token after '%s' at the end (remove the trailing ','; %s, separated by single commas)",
				    quoted, MAP_SYNTAX);
	return map_fail_raw(p,
			    "empty --map token after '%s' (%s, separated by single commas)",
			    quoted, MAP_SYNTAX);
}

static int map_parse_all(struct map_parser *p, const char *spec)
{
	struct map_token prev = { NULL, 0 };	/* none yet */
	const char *s = spec;
	int ret;

	for (;;) {
		const char *comma = strchr(s, ',');
		const char *end = comma ? comma : s + strlen(s);
		struct map_token tok;

		while (s < end && map_is_blank(*s))
			s++;
		while (end > s && map_is_blank(end[-1]))
			end--;
		tok = (struct map_token){ .text = s, .len = (size_t)(end - s) };
		if (!tok.len)
			return map_fail_empty(p, prev.text ? &prev : NULL, !comma);
		ret = map_parse_token(p, tok);
		if (ret)
			return ret;
		if (!comma)
			return 0;
		prev = tok;
		s = comma + 1;
	}
}

static bool map_is_all_blank(const char *s)
{
	while (map_is_blank(*s))
		s++;
	return !*s;
}

struct vgc_map *vgc_policy_map_parse(const char *spec, char *err, size_t errlen)
{
	struct map_parser *p;
	struct vgc_map *map;
	unsigned int n = 0;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->err = err;
	p->errlen = errlen;
	if (!spec || map_is_all_blank(spec)) {
		ret = map_fail_raw(p, "--map is empty (%s, separated by commas, e.g. 4:17,5:27)",
				   MAP_SYNTAX);
		goto err_free_parser;
	}
	ret = map_parse_all(p, spec);
	if (ret)
		goto err_free_parser;

	ret = -ENOMEM;
	map = calloc(1, sizeof(*map));
	if (!map)
		goto err_free_parser;
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++)
		n += p->slots[v].used;
	map->entries = calloc(n, sizeof(*map->entries));
	if (!map->entries)
		goto err_free_map;
	for (unsigned int v = 0; v < VGC_MAP_MAX_LINES; v++) {
		const struct map_slot *slot = &p->slots[v];
		struct vgc_map_entry *e;

		if (!slot->used)
			continue;
		e = &map->entries[map->num++];
		e->virt = v;
		e->host = slot->host;
		memcpy(e->name, slot->name, sizeof(e->name));
	}
	free(p);
	return map;

err_free_map:
	free(map);
err_free_parser:
	free(p);
	errno = -ret;
	return NULL;
}

void vgc_policy_map_free(struct vgc_map *map)
{
	if (!map)
		return;
	free(map->entries);
	free(map);
}

const struct vgc_map_entry *vgc_policy_map_find(const struct vgc_map *map, uint32_t virt)
{
	unsigned int lo = 0, hi;

	if (!map)
		return NULL;
	hi = map->num;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct vgc_map_entry *e = &map->entries[mid];

		if (e->virt == virt)
			return e;
		if (e->virt < virt)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

unsigned int vgc_policy_map_span(const struct vgc_map *map)
{
	if (!map || !map->num)
		return 0;
	return map->entries[map->num - 1].virt + 1;
}
