/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtual-to-host line map: "4:17,5:27", ranges "0-3:10-13", and an
 * optional line name "4:17=LED". Pure functions, no I/O.
 */
#ifndef VGC_MAP_H
#define VGC_MAP_H

#include <stddef.h>
#include <stdint.h>

#define VGC_MAP_MAX_LINES 1024	/* virtual offsets are below this */
#define VGC_MAP_NAME_MAX 32	/* line names as in gpio_v2_line_info, with NUL */

struct vgc_map_entry {
	uint32_t virt;
	uint32_t host;
	char name[VGC_MAP_NAME_MAX];
};

struct vgc_map {
	unsigned int num;
	struct vgc_map_entry *entries;	/* sorted by virt */
};

/*
 * Parses spec into a new map. On error returns NULL with errno EINVAL and a
 * message in err naming the bad token, e.g. "bad --map token '4:x':
 * host line 'x' is not a number (expected ...)"; ENOMEM otherwise.
 */
struct vgc_map *vgc_policy_map_parse(const char *spec, char *err, size_t errlen);
void vgc_policy_map_free(struct vgc_map *map);
/* The entry for a virtual offset, or NULL for a hole. */
const struct vgc_map_entry *vgc_policy_map_find(const struct vgc_map *map, uint32_t virt);
/*
 * Copies s[0..len) into buf for quoting in a message: control bytes in the
 * user's text become '?' (they must not reach a terminal), and text too long
 * for buf is cut with "..." (to leave room for the reason).
 */
void vgc_policy_quote(char *buf, size_t size, const char *s, size_t len);

/* Highest virtual offset + 1 (0 for an empty map). */
unsigned int vgc_policy_map_span(const struct vgc_map *map);

#endif
