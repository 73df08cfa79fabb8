/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-tenant configuration file (vgpiochip.conf(5)): a [chip] section and
 * one [line N] section per virtual line, read with libinih. Pure: the daemon
 * reads the file and passes its text and name here.
 *
 * Every function that can fail writes one message to err, always in the form
 * "FILE:LINE: what is wrong; allowed: ...", and reports only the first
 * mistake in file order; the two checks that need all of the file (a host
 * line beyond sim, lines = too few) come after every other.
 */
#ifndef VGC_CONFIG_H
#define VGC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map.h"
#include "rules.h"

#define VGC_CONFIG_TENANT_MAX 64	/* with NUL */
#define VGC_CONFIG_ERR_MAX 512		/* a buffer this size holds any message */

struct vgc_config_line {
	uint32_t virt;
	uint32_t host;
	char name[VGC_MAP_NAME_MAX];	/* "" for none */
	struct vgc_rules rules;
	unsigned int lineno;		/* of its [line N] header; 0: from --map */
};

/* Strings are owned by the config; NULL and 0 mean "not set". */
struct vgc_config {
	char *file;			/* as given, for messages */
	char tenant[VGC_CONFIG_TENANT_MAX];	/* default: FILE's basename without .conf */
	char *chip;			/* host chip: path, gpiochipN or label */
	unsigned int sim_lines;
	char *chip_name;
	char *label;
	unsigned int lines;		/* virtual lines; 0: highest mapped + 1 */
	char *node;
	char *devname;
	bool has_dev;
	unsigned int dev_major, dev_minor;
	unsigned int num;
	struct vgc_config_line *line;	/* sorted by virt */
};

/*
 * Parses text, the contents of file (named in messages only). NULL on error:
 * errno EINVAL with the message in err, or ENOMEM.
 */
struct vgc_config *vgc_config_parse(const char *text, const char *file, char *err,
				    size_t errlen);
void vgc_config_free(struct vgc_config *cfg);

/* The command line: NULL or 0 for an option not given. */
struct vgc_config_flags {
	const char *tenant;
	const char *chip;
	unsigned int sim_lines;
	const struct vgc_map *map;	/* lines it names replace host and name */
	unsigned int lines;
	const char *chip_name;
	const char *label;
	const char *node;
	const char *devname;
	bool has_dev;
	unsigned int dev_major, dev_minor;
};

/*
 * A fixed device number, "MAJ:MIN" in decimal: the kernel refuses majors
 * from 512 (CHRDEV_MAJOR_MAX) and has 20-bit minors; it hands out 234-254
 * and 384-511 itself, so 300-383 is the range to pick from.
 */
#define VGC_CONFIG_DEV_MAJOR_MAX 511
#define VGC_CONFIG_DEV_MINOR_MAX 1048575
#define VGC_CONFIG_DEV_ALLOWED "MAJ:MIN in decimal with MAJ from 1 to 511 and MIN from 0 to " \
	"1048575, e.g. 300:0; pick MAJ from 300 to 383 and not listed in /proc/devices"
/* 0 with *major and *minor set, or -EINVAL. */
int vgc_config_parse_dev(const char *value, unsigned int *major, unsigned int *minor);

/*
 * Puts the flags over the file: each option given replaces the file's value;
 * each --map entry sets its virtual line's host (and name, if it has one),
 * keeping that line's rules, or adds a line with the default rules. 0, or
 * -EINVAL with err (a host line used twice, --lines too few...) and cfg
 * unchanged; -ENOMEM.
 */
int vgc_config_merge(struct vgc_config *cfg, const struct vgc_config_flags *flags, char *err,
		     size_t errlen);

/* The virtual->host map (with names) the core needs; NULL and errno as parse. */
struct vgc_map *vgc_config_to_map(const struct vgc_config *cfg, char *err, size_t errlen);

/* The rules of virtual line virt, or NULL (the defaults) for a line not configured. */
const struct vgc_rules *vgc_config_rules(const struct vgc_config *cfg, uint32_t virt);

/*
 * A reload: 0 when next may replace cur in a running daemon, -EINVAL with err
 * naming the first setting that needs a restart (everything in [chip]).
 */
int vgc_config_check_reload(const struct vgc_config *cur, const struct vgc_config *next,
			    char *err, size_t errlen);

#endif
