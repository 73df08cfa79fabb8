// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the --map parser: any text must give either a map
 * that keeps the parser's promises (sorted, unique virtual and host lines,
 * unique names that are short, printable and terminated; printed back and
 * parsed again it is the same map) or EINVAL with one printable message
 * naming --map. The same text parsed with a tiny error buffer and with none
 * must give the same outcome, writing nothing past the buffer.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/map.h"

#define MAPFZ_ERR_MAX 512
#define MAPFZ_HOST_LINES 65536

#define MAPFZ_CHECK(cond, ...)                                                     \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "fuzz-map: broken rule at line %d: ", __LINE__); \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                                  \
	} while (0)

static bool mapfz_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static void mapfz_check_map(const struct vgc_map *map, const char *spec)
{
	static uint64_t host_seen[MAPFZ_HOST_LINES / 64];

	memset(host_seen, 0, sizeof(host_seen));
	MAPFZ_CHECK(map->num >= 1 && map->num <= VGC_MAP_MAX_LINES, "%u entries for '%s'",
		    map->num, spec);
	for (unsigned int i = 0; i < map->num; i++) {
		const struct vgc_map_entry *e = &map->entries[i];
		size_t len = strnlen(e->name, sizeof(e->name));

		MAPFZ_CHECK(e->virt < VGC_MAP_MAX_LINES && e->host < MAPFZ_HOST_LINES,
			    "entry %u: %u:%u", i, e->virt, e->host);
		MAPFZ_CHECK(!i || map->entries[i - 1].virt < e->virt,
			    "entries not sorted or virtual line %u twice", e->virt);
		MAPFZ_CHECK(!(host_seen[e->host / 64] & (1ULL << (e->host % 64))),
			    "host line %u twice", e->host);
		host_seen[e->host / 64] |= 1ULL << (e->host % 64);
		MAPFZ_CHECK(len < VGC_MAP_NAME_MAX, "name of %u not terminated", e->virt);
		MAPFZ_CHECK(mapfz_printable(e->name), "name of %u not printable", e->virt);
		for (unsigned int j = 0; j < i && e->name[0]; j++)
			MAPFZ_CHECK(strcmp(map->entries[j].name, e->name), "name '%s' twice",
				    e->name);
		MAPFZ_CHECK(vgc_policy_map_find(map, e->virt) == e, "find(%u)", e->virt);
	}
	MAPFZ_CHECK(vgc_policy_map_span(map) == map->entries[map->num - 1].virt + 1, "span");
}

/* The map printed back as a spec, one V:H[=NAME] per line. */
static char *mapfz_print(const struct vgc_map *map)
{
	size_t size = (size_t)map->num * (12 + VGC_MAP_NAME_MAX) + 1, off = 0;
	char *s = malloc(size);

	MAPFZ_CHECK(s, "malloc");
	for (unsigned int i = 0; i < map->num; i++) {
		const struct vgc_map_entry *e = &map->entries[i];

		off += (size_t)snprintf(s + off, size - off, "%s%u:%u%s%s", i ? "," : "", e->virt,
					e->host, e->name[0] ? "=" : "", e->name);
	}
	return s;
}

static void mapfz_check_round_trip(const struct vgc_map *map)
{
	char err[MAPFZ_ERR_MAX];
	char *spec = mapfz_print(map);
	struct vgc_map *again = vgc_policy_map_parse(spec, err, sizeof(err));

	MAPFZ_CHECK(again, "printed map '%s' does not parse: %s", spec, err);
	MAPFZ_CHECK(again->num == map->num &&
			    !memcmp(again->entries, map->entries, map->num * sizeof(map->entries[0])),
		    "printed map '%s' parses to another map", spec);
	vgc_policy_map_free(again);
	free(spec);
}

static void mapfz_check_error(const char *err, int saved_errno)
{
	MAPFZ_CHECK(saved_errno == EINVAL || saved_errno == ENOMEM, "errno %d", saved_errno);
	MAPFZ_CHECK(memchr(err, '\0', MAPFZ_ERR_MAX), "message not terminated");
	if (saved_errno != EINVAL)
		return;
	MAPFZ_CHECK(strstr(err, "--map"), "message does not name --map: '%s'", err);
	/* the user's bytes are quoted, never sent raw to a terminal */
	MAPFZ_CHECK(mapfz_printable(err), "message has unprintable bytes");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = malloc(size + 1);
	char err[MAPFZ_ERR_MAX];
	size_t small_len = size ? data[0] % 24 + 1 : 1;
	char *small = malloc(small_len);
	struct vgc_map *map, *other;
	int saved;

	MAPFZ_CHECK(spec && small, "malloc");
	memcpy(spec, data, size);
	spec[size] = '\0';

	memset(err, 0x5a, sizeof(err));
	errno = 0;
	map = vgc_policy_map_parse(spec, err, sizeof(err));
	saved = errno;
	if (map) {
		mapfz_check_map(map, spec);
		mapfz_check_round_trip(map);
	} else {
		mapfz_check_error(err, saved);
	}

	/* a buffer of exactly small_len bytes: the message is cut, never overflows */
	other = vgc_policy_map_parse(spec, small, small_len);
	MAPFZ_CHECK(!other == !map, "outcome depends on the error buffer's size");
	if (!other) {
		MAPFZ_CHECK(memchr(small, '\0', small_len), "cut message not terminated");
		MAPFZ_CHECK(!strncmp(small, err, strlen(small)), "cut message is not a prefix");
	}
	vgc_policy_map_free(other);
	other = vgc_policy_map_parse(spec, NULL, 0);
	MAPFZ_CHECK(!other == !map, "outcome differs without an error buffer");
	vgc_policy_map_free(other);

	vgc_policy_map_free(map);
	free(small);
	free(spec);
	return 0;
}
