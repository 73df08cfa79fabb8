// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the config file parser: any text must give either a
 * config that keeps the parser's promises (lines sorted by virtual line,
 * unique host lines, each within sim when sim is set; a tenant name; a map
 * built from it without error) or EINVAL with one printable message of the
 * form "FILE:LINE: ...; allowed: ...". Reloading a config onto itself must be
 * allowed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/config.h"

#define CFGFZ_FILE "fuzz.conf"

#define CFGFZ_CHECK(cond, ...)                                                       \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz-config: broken rule at line %d: ", __LINE__); \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

static void cfgfz_check_message(const char *err)
{
	size_t len = strnlen(err, VGC_CONFIG_ERR_MAX);

	CFGFZ_CHECK(len > 0 && len < VGC_CONFIG_ERR_MAX, "message of %zu bytes", len);
	CFGFZ_CHECK(!strncmp(err, CFGFZ_FILE ":", strlen(CFGFZ_FILE ":")), "'%s'", err);
	CFGFZ_CHECK(strstr(err, "allowed") != NULL, "no 'allowed' in '%s'", err);
	for (const char *p = err; *p; p++)
		CFGFZ_CHECK((unsigned char)*p >= 0x20, "control character in '%s'", err);
}

static void cfgfz_check_config(const struct vgc_config *cfg)
{
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_map *map;

	CFGFZ_CHECK(cfg->tenant[0], "no tenant");
	for (unsigned int i = 0; i < cfg->num; i++) {
		const struct vgc_config_line *l = &cfg->line[i];

		CFGFZ_CHECK(i == 0 || cfg->line[i - 1].virt < l->virt, "unsorted at %u", i);
		CFGFZ_CHECK(!cfg->sim_lines || l->host < cfg->sim_lines, "host %u beyond sim %u",
			    l->host, cfg->sim_lines);
		for (unsigned int j = 0; j < i; j++)
			CFGFZ_CHECK(cfg->line[j].host != l->host, "host %u twice", l->host);
		CFGFZ_CHECK(vgc_config_rules(cfg, l->virt) != NULL, "no rules for %u", l->virt);
	}
	CFGFZ_CHECK(!vgc_config_check_reload(cfg, cfg, err, sizeof(err)), "self reload: %s", err);
	if (!cfg->num)
		return;
	map = vgc_config_to_map(cfg, err, sizeof(err));
	CFGFZ_CHECK(map || errno == ENOMEM, "to_map: %s", err);
	if (map)
		CFGFZ_CHECK(map->num == cfg->num, "map has %u of %u lines", map->num, cfg->num);
	vgc_policy_map_free(map);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_config *cfg;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	cfg = vgc_config_parse(text, CFGFZ_FILE, err, sizeof(err));
	if (cfg)
		cfgfz_check_config(cfg);
	else if (errno == EINVAL)
		cfgfz_check_message(err);
	vgc_config_free(cfg);
	free(text);
	return 0;
}
