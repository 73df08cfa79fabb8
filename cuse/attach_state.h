/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pure parts of attach identity: the start time in /proc/PID/stat,
 * whether two identities are one process, and the lines of the state file
 * RUN_DIR/NAME.attach. Inline, so that every binary that builds attach.c
 * (the daemon, tests/vm/attach-test) and the unit tests share them without
 * another object file.
 */
#ifndef VGC_ATTACH_STATE_H
#define VGC_ATTACH_STATE_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"

/*
 * Field 22 (starttime) of a /proc/PID/stat text. The command (field 2) is
 * in parentheses and may hold spaces and ')': fields are counted from the
 * last ')'.
 */
static inline int vgc_attach_stat_start(const char *text, unsigned long long *start)
{
	const char *p = strrchr(text, ')');
	unsigned int field = 2;

	if (!p)
		return -EINVAL;
	p++;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (++field == 22) {
			unsigned long long v = 0;

			/* by hand: the attach child may not call into locale-aware libc */
			if (*p < '0' || *p > '9')
				return -EINVAL;
			for (; *p >= '0' && *p <= '9'; p++) {
				if (v > (~0ULL - 9) / 10)
					return -EINVAL;
				v = v * 10 + (unsigned long long)(*p - '0');
			}
			if (*p != ' ' && *p != '\0' && *p != '\n')
				return -EINVAL;
			*start = v;
			return 0;
		}
		while (*p && *p != ' ')
			p++;
	}
	return -EINVAL;
}

/* One process: same pid, same start time, same mount namespace. */
static inline bool vgc_attach_id_same(const struct vgc_attach_id *a,
				      const struct vgc_attach_id *b)
{
	return a->pid == b->pid && a->start == b->start && a->mnt_dev == b->mnt_dev &&
	       a->mnt_ino == b->mnt_ino;
}

/* A decimal field with nothing else in it, up to the next space; NULL if none. */
static inline const char *attach_state_num(const char *p, unsigned long long *v)
{
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	*v = strtoull(p, &end, 10);
	if (errno || *end != ' ')
		return NULL;
	return end + 1;
}

/*
 * "PID START MNTDEV MNTINO USERDEV USERINO NODE\n". The old "PID NODE" lines
 * are refused: nothing tells their process from a later one with that pid.
 */
static inline int vgc_attach_state_parse(const char *line, struct vgc_attach_id *id,
					 char *node, size_t node_size)
{
	unsigned long long v[6];
	const char *p = line;
	size_t len;

	for (unsigned int i = 0; i < 6; i++) {
		p = attach_state_num(p, &v[i]);
		if (!p)
			return -EINVAL;
	}
	if (v[0] == 0 || v[0] > 0x3fffffff || v[1] == 0 || v[3] == 0 || v[5] == 0)
		return -EINVAL;
	len = strcspn(p, "\n");
	/* an absolute path, one token, as attach takes it */
	if (p[0] != '/' || len >= node_size || memchr(p, ' ', len) || memchr(p, '\t', len) ||
	    (p[len] == '\n' && p[len + 1] != '\0'))
		return -EINVAL;
	memcpy(node, p, len);
	node[len] = '\0';
	id->pid = (pid_t)v[0];
	id->start = v[1];
	id->mnt_dev = v[2];
	id->mnt_ino = v[3];
	id->user_dev = v[4];
	id->user_ino = v[5];
	return 0;
}

static inline int vgc_attach_state_format(const struct vgc_attach_id *id, const char *node,
					  char *line, size_t size)
{
	int n = snprintf(line, size, "%d %llu %llu %llu %llu %llu %s\n", (int)id->pid, id->start,
			 id->mnt_dev, id->mnt_ino, id->user_dev, id->user_ino, node);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * attach --sysfs is remembered as a last " sysfs" word on the line; taken
 * off (true) before vgc_attach_state_parse(), put on after _format().
 */
#define VGC_ATTACH_STATE_SYSFS " sysfs\n"

static inline bool vgc_attach_state_take_sysfs(char *line)
{
	size_t len = strlen(line), tag = strlen(VGC_ATTACH_STATE_SYSFS);

	if (len < tag || strcmp(line + len - tag, VGC_ATTACH_STATE_SYSFS))
		return false;
	strcpy(line + len - tag, "\n");
	return true;
}

static inline int vgc_attach_state_put_sysfs(char *line, size_t size)
{
	size_t len = strlen(line);

	if (!len || line[len - 1] != '\n' || len + strlen(VGC_ATTACH_STATE_SYSFS) > size)
		return -ENAMETOOLONG;
	strcpy(line + len - 1, VGC_ATTACH_STATE_SYSFS);
	return 0;
}

#endif
