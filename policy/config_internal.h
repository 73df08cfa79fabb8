/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Between the config file's parser (config.c) and what its keys mean (config_keys.c). */
#ifndef VGC_POLICY_CONFIG_INTERNAL_H
#define VGC_POLICY_CONFIG_INTERNAL_H

#include <stdint.h>

#include "config.h"

#define CONFIG_QUOTE_MAX 48	/* longer values are cut in messages */
#define CONFIG_SECTIONS "[chip], or [line N] with N from 0 to 1023"
#define CONFIG_HOST_LINES 65536
#define CONFIG_TEXT_MAX 255	/* paths and chip names in [chip] */
#define CONFIG_DEVNAME_MAX 100	/* "/dev/" + it must fit the daemon's paths */

enum config_section { CONFIG_SEC_NONE, CONFIG_SEC_CHIP, CONFIG_SEC_LINE };

enum config_chip_key {
	CHIP_TENANT, CHIP_CHIP, CHIP_SIM, CHIP_CHIP_NAME, CHIP_LABEL, CHIP_LINES, CHIP_NODE,
	CHIP_DEV, CHIP_DEVNAME, CHIP_NUM_KEYS
};

enum config_line_key {
	LINE_HOST, LINE_NAME, LINE_DIRECTIONS, LINE_BIAS, LINE_DRIVE, LINE_ACTIVE_LOW,
	LINE_EDGES, LINE_DEBOUNCE, LINE_READ_ONLY, LINE_MAX_TOGGLE, LINE_MAX_EVENT,
	LINE_RELEASE, LINE_NUM_KEYS
};

/* A [line N] as read so far; key_line[k] is where key k was set (0: not). */
struct config_pending {
	unsigned int header;
	struct vgc_config_line line;
	unsigned int key_line[LINE_NUM_KEYS];
};

struct config_parser {
	struct vgc_config *cfg;
	const char *text;
	const char *pos;		/* the reader's place in text */
	unsigned int lineno;		/* of the line inih works on */
	char *err;
	size_t errlen;
	int ret;			/* the first error */
	unsigned int err_line;		/* and where it is */
	enum config_section sec;
	struct config_pending *cur;	/* in [line N] */
	const char *key;		/* being set, for messages */
	unsigned int chip_header;
	unsigned int chip_key_line[CHIP_NUM_KEYS];
	struct config_pending pending[VGC_MAP_MAX_LINES];
};

struct config_key {
	const char *name;
	int (*set)(struct config_parser *p, const char *value);
};

/* Keeps the mistake that comes first in the file; returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int config_fail(struct config_parser *p, unsigned int lineno, const char *fmt, ...);
/* "out of memory", as the error */
void config_fail_nomem(struct config_parser *p);
/* "[chip]" or "[line N]", for messages */
const char *config_section_name(const struct config_parser *p, char *buf, size_t size);

extern const struct config_key config_chip_keys[CHIP_NUM_KEYS];
extern const struct config_key config_line_keys[LINE_NUM_KEYS];

#endif
