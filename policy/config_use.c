// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Using a parsed configuration: freeing it, the rules and map the core
 * needs, whether a reload may replace it, and the command-line flags put
 * over it (the parser itself is config.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

void vgc_config_free(struct vgc_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->file);
	free(cfg->chip);
	free(cfg->chip_name);
	free(cfg->label);
	free(cfg->node);
	free(cfg->devname);
	free(cfg->line);
	free(cfg);
}

const struct vgc_rules *vgc_config_rules(const struct vgc_config *cfg, uint32_t virt)
{
	unsigned int lo = 0, hi;

	if (!cfg)
		return NULL;
	hi = cfg->num;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (cfg->line[mid].virt == virt)
			return &cfg->line[mid].rules;
		if (cfg->line[mid].virt < virt)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct vgc_map *vgc_config_to_map(const struct vgc_config *cfg, char *err, size_t errlen)
{
	struct vgc_map *map;

	if (!cfg->num) {
		if (err && errlen)
			snprintf(err, errlen,
				 "%s: no virtual line is configured; allowed: at least one "
				 "[line N] section with host = H, or --map",
				 cfg->file);
		errno = EINVAL;
		return NULL;
	}
	map = calloc(1, sizeof(*map));
	if (!map)
		return NULL;
	/* vgc_policy_map_free() frees both, as for a parsed --map */
	map->entries = calloc(cfg->num, sizeof(*map->entries));
	if (!map->entries) {
		free(map);
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->num; i++) {
		map->entries[i].virt = cfg->line[i].virt;
		map->entries[i].host = cfg->line[i].host;
		memcpy(map->entries[i].name, cfg->line[i].name, sizeof(map->entries[i].name));
	}
	map->num = cfg->num;
	return map;
}

static bool config_str_differs(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

int vgc_config_check_reload(const struct vgc_config *cur, const struct vgc_config *next,
			    char *err, size_t errlen)
{
	const char *what = NULL;

	if (strcmp(cur->tenant, next->tenant))
		what = "tenant";
	else if (config_str_differs(cur->chip, next->chip))
		what = "chip";
	else if (cur->sim_lines != next->sim_lines)
		what = "sim";
	else if (config_str_differs(cur->chip_name, next->chip_name))
		what = "chip-name";
	else if (config_str_differs(cur->label, next->label))
		what = "label";
	else if (config_str_differs(cur->node, next->node))
		what = "node";
	else if (config_str_differs(cur->devname, next->devname))
		what = "devname";
	else if (cur->has_dev != next->has_dev || cur->dev_major != next->dev_major ||
		 cur->dev_minor != next->dev_minor)
		what = "dev";
	if (!what)
		return 0;
	if (err && errlen)
		snprintf(err, errlen,
			 "%s: %s in [chip] changed; allowed on reload: changes to [line N] "
			 "sections and lines (restart the daemon to change %s)",
			 next->file, what, what);
	return -EINVAL;
}

/* --- flags over the file --- */

static void config_origin(const struct vgc_config *cfg, const struct vgc_config_line *l,
			  char *buf, size_t size)
{
	if (l->lineno)
		snprintf(buf, size, "[line %u] (%s:%u)", l->virt, cfg->file, l->lineno);
	else
		snprintf(buf, size, "--map %u:%u", l->virt, l->host);
}

/* Host lines and names once each, host lines on the chip, virtual lines within --lines. */
__attribute__((format(printf, 3, 4)))
static int config_merge_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int config_check_lines(const struct vgc_config *cfg, const struct vgc_config_line *l,
			      unsigned int num, unsigned int sim, unsigned int lines, char *err,
			      size_t errlen)
{
	char a[96], b[96];

	for (unsigned int i = 0; i < num; i++) {
		config_origin(cfg, &l[i], a, sizeof(a));
		if (sim && l[i].host >= sim)
			return config_merge_fail(err, errlen,
						 "%s: %s: host line %u is beyond sim = %u; allowed: "
						 "host lines 0 to %u",
						 cfg->file, a, l[i].host, sim, sim - 1);
		for (unsigned int j = 0; j < i; j++) {
			config_origin(cfg, &l[j], b, sizeof(b));
			if (l[j].host == l[i].host)
				return config_merge_fail(err, errlen,
							 "%s: %s and %s both use host line %u; "
							 "allowed: each host line once",
							 cfg->file, b, a, l[i].host);
			if (l[i].name[0] && !strcmp(l[j].name, l[i].name))
				return config_merge_fail(err, errlen,
							 "%s: %s and %s are both named '%s'; "
							 "allowed: each name once",
							 cfg->file, b, a, l[i].name);
		}
	}
	if (num && lines && lines <= l[num - 1].virt) {
		config_origin(cfg, &l[num - 1], a, sizeof(a));
		return config_merge_fail(err, errlen,
					 "%s: lines = %u leaves out virtual line %u of %s; allowed: "
					 "lines from %u to %u",
					 cfg->file, lines, l[num - 1].virt, a, l[num - 1].virt + 1,
					 VGC_MAP_MAX_LINES);
	}
	return 0;
}

static int config_cmp_virt(const void *a, const void *b)
{
	const struct vgc_config_line *x = a, *y = b;

	return x->virt < y->virt ? -1 : x->virt > y->virt;
}

/* Lines of the file with the --map entries put over them, sorted. */
static struct vgc_config_line *config_merge_map(const struct vgc_config *cfg,
						const struct vgc_map *map, unsigned int *num)
{
	unsigned int n = cfg->num;
	struct vgc_config_line *l = calloc(cfg->num + (map ? map->num : 0) + 1, sizeof(*l));

	if (!l)
		return NULL;
	if (cfg->num)
		memcpy(l, cfg->line, cfg->num * sizeof(*l));
	for (unsigned int m = 0; map && m < map->num; m++) {
		const struct vgc_map_entry *e = &map->entries[m];
		unsigned int i;

		for (i = 0; i < n && l[i].virt != e->virt; i++)
			;
		if (i == n) {
			l[n++] = (struct vgc_config_line){ .virt = e->virt,
							   .rules = vgc_rules_default };
		}
		/* the host is the flag's now, and messages say so */
		l[i].host = e->host;
		l[i].lineno = 0;
		if (e->name[0])
			memcpy(l[i].name, e->name, sizeof(l[i].name));
	}
	qsort(l, n, sizeof(*l), config_cmp_virt);
	*num = n;
	return l;
}

enum { MERGE_CHIP, MERGE_CHIP_NAME, MERGE_LABEL, MERGE_NODE, MERGE_DEVNAME, MERGE_NUM };

int vgc_config_merge(struct vgc_config *cfg, const struct vgc_config_flags *f, char *err,
		     size_t errlen)
{
	const char *given[MERGE_NUM] = { f->chip, f->chip_name, f->label, f->node, f->devname };
	char **dst[MERGE_NUM] = { &cfg->chip, &cfg->chip_name, &cfg->label, &cfg->node,
				  &cfg->devname };
	char *copy[MERGE_NUM] = { NULL };
	unsigned int sim = f->sim_lines ? f->sim_lines : f->chip ? 0 : cfg->sim_lines;
	unsigned int lines = f->lines ? f->lines : cfg->lines, num;
	struct vgc_config_line *l;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (f->tenant && (!f->tenant[0] || strlen(f->tenant) >= sizeof(cfg->tenant)))
		return config_merge_fail(err, errlen,
					 "--name '%.64s' has %zu characters; allowed: 1 to %zu",
					 f->tenant, strlen(f->tenant), sizeof(cfg->tenant) - 1);
	if (f->chip && f->sim_lines)
		return config_merge_fail(err, errlen,
					 "--chip and --sim are both given; allowed: one of them, "
					 "--chip for a host chip or --sim for simulated lines");
	l = config_merge_map(cfg, f->map, &num);
	if (!l)
		return -ENOMEM;
	ret = config_check_lines(cfg, l, num, sim, lines, err, errlen);
	if (ret)
		goto err_free_lines;
	ret = -ENOMEM;
	for (unsigned int i = 0; i < MERGE_NUM; i++)
		if (given[i] && !(copy[i] = strdup(given[i])))
			goto err_free_copies;

	/* nothing can fail from here: cfg changes all at once or not at all */
	for (unsigned int i = 0; i < MERGE_NUM; i++) {
		if (!given[i])
			continue;
		free(*dst[i]);
		*dst[i] = copy[i];
	}
	/* chip and sim are two kinds of backend: giving one drops the other */
	if (f->sim_lines && !f->chip) {
		free(cfg->chip);
		cfg->chip = NULL;
	}
	cfg->sim_lines = sim;
	cfg->lines = lines;
	if (f->tenant)
		strcpy(cfg->tenant, f->tenant);
	if (f->has_dev) {
		cfg->has_dev = true;
		cfg->dev_major = f->dev_major;
		cfg->dev_minor = f->dev_minor;
	}
	free(cfg->line);
	cfg->line = l;
	cfg->num = num;
	return 0;

err_free_copies:
	for (unsigned int i = 0; i < MERGE_NUM; i++)
		free(copy[i]);
err_free_lines:
	free(l);
	return ret;
}
