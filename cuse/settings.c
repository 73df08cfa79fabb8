// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tenant's settings in the running daemon: the file read at start and on
 * reload, the flags always over it (policy/config*.c does the parsing), and
 * the map and rules the core gets from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostlock.h"
#include "settings.h"

#define SETTINGS_MAX_FILE (1u << 20)

static char *settings_read(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t n;

	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s (give the path of a vgpiochip.conf(5) "
			 "file)", path, strerror(errno));
		return NULL;
	}
	text = malloc(SETTINGS_MAX_FILE + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(text, 1, SETTINGS_MAX_FILE + 1, f);
	if (ferror(f) || n > SETTINGS_MAX_FILE) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 ferror(f) ? strerror(errno) : "larger than 1 MiB");
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[n] = '\0';
	return text;
}

struct vgc_config *vgc_settings_load(const char *path, const struct vgc_config_flags *flags,
				 char *err, size_t errlen)
{
	char *text = path ? settings_read(path, err, errlen) : strdup("");
	struct vgc_config *cfg;

	if (!text)
		return NULL;
	cfg = vgc_config_parse(text, path ? path : "the command line", err, errlen);
	free(text);
	if (!cfg)
		return NULL;
	if (!path)
		cfg->tenant[0] = '\0';
	if (vgc_config_merge(cfg, flags, err, errlen))
		goto err_free;
	if (!cfg->tenant[0]) {
		snprintf(err, errlen, "no tenant name: give --name NAME (or tenant = NAME in "
			 "[chip] of a --config file)");
		goto err_free;
	}
	if (!cfg->num) {
		snprintf(err, errlen, "no lines to serve: give --map, e.g. --map 4:17,5:27, or "
			 "[line N] sections with host = H in %s",
			 path ? path : "a --config file");
		goto err_free;
	}
	return cfg;

err_free:
	vgc_config_free(cfg);
	return NULL;
}

int vgc_settings_apply(struct vgc_daemon *d, struct vgc_config *cfg, char *err, size_t errlen)
{
	struct vgc_rules *rules = calloc(cfg->num, sizeof(*rules));
	struct vgc_map *map;

	if (!rules)
		return -ENOMEM;
	map = vgc_config_to_map(cfg, err, errlen);
	if (!map) {
		free(rules);
		return -errno;
	}
	for (unsigned int i = 0; i < map->num; i++) {
		const struct vgc_rules *r = vgc_config_rules(cfg, map->entries[i].virt);

		rules[i] = r ? *r : vgc_rules_default;
	}
	vgc_policy_map_free(d->map);
	free(d->rules);
	d->map = map;
	d->rules = rules;
	return 0;
}

int vgc_settings_reload(struct vgc_daemon *d, char *msg, size_t len)
{
	struct vgc_map *old_map = d->map;
	struct vgc_rules *old_rules = d->rules;
	struct vgc_config *next;
	int ret;

	if (!d->opt.config) {
		snprintf(msg, len, "%s was started without --config: there is no file to "
			 "re-read", d->cfg->tenant);
		return -EINVAL;
	}
	next = vgc_settings_load(d->opt.config, &d->flags, msg, len);
	if (!next)
		return -EINVAL;
	ret = vgc_config_check_reload(d->cfg, next, msg, len);
	if (ret)
		goto err_free_next;
	/* the new map and rules are built aside: an error keeps the old ones */
	d->map = NULL;
	d->rules = NULL;
	ret = vgc_settings_apply(d, next, msg, len);
	if (!ret)
		ret = vgc_daemon_claim_host_lines(d, msg, len);
	if (!ret) {
		ret = vgc_chip_update(d->chip, d->map, d->rules, next->lines);
		if (ret)
			snprintf(msg, len, "%s: a host line beyond the host chip's %u lines",
				 d->opt.config, d->be->ops->num_lines(d->be));
	}
	if (ret) {
		vgc_policy_map_free(d->map);
		free(d->rules);
		d->map = old_map;
		d->rules = old_rules;
		vgc_daemon_claim_host_lines(d, NULL, 0);
		goto err_free_next;
	}
	vgc_policy_map_free(old_map);
	free(old_rules);
	vgc_config_free(d->cfg);
	d->cfg = next;
	snprintf(msg, len, "reloaded %s: %u lines", d->opt.config, d->map->num);
	return 0;

err_free_next:
	vgc_config_free(next);
	return -EINVAL;
}
