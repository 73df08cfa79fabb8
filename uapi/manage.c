// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the daemon does to a chip from outside the uAPI: reloading its lines
 * and rules, declaring it gone, and reading its state for `status`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../abi/linecfg.h"
#include "internal.h"

/* Grows the line array and every chip fd's watch bitmap to num lines. */
static int chip_grow(struct vgc_chip *chip, unsigned int num)
{
	size_t old_words = (chip->num_lines + 63) / 64, words = (num + 63) / 64;
	struct vgc_vline *lines;

	for (struct vgc_file *f = chip->chip_files; f; f = f->next) {
		uint64_t *w;

		if (words == old_words)
			break;
		w = realloc(f->watched, words * sizeof(*w));
		if (!w)
			return -ENOMEM;
		memset(w + old_words, 0, (words - old_words) * sizeof(*w));
		f->watched = w;
	}
	lines = realloc(chip->lines, num * sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	memset(lines + chip->num_lines, 0, (num - chip->num_lines) * sizeof(*lines));
	for (unsigned int i = chip->num_lines; i < num; i++) {
		lines[i].rules = vgc_rules_default;
		lines[i].level = -1;
	}
	chip->lines = lines;
	chip->num_lines = num;
	return 0;
}

int vgc_chip_update(struct vgc_chip *chip, const struct vgc_map *map,
		    const struct vgc_rules *rules, unsigned int num_lines)
{
	unsigned int host_lines = chip->be->ops->num_lines(chip->be);
	unsigned int num = num_lines ? num_lines : vgc_policy_map_span(map);
	int ret;

	for (unsigned int i = 0; i < map->num; i++)
		if (map->entries[i].host >= host_lines || (num_lines && map->entries[i].virt >= num))
			return -EINVAL;
	/* a line still held keeps the chip that long */
	for (unsigned int i = num; i < chip->num_lines; i++)
		if (chip->lines[i].holder)
			num = i + 1;
	if (num > chip->num_lines) {
		ret = chip_grow(chip, num);
		if (ret)
			return ret;
	}
	/* lines dropped at the end stay as holes: the chip never shrinks live */
	for (unsigned int v = 0; v < chip->num_lines; v++) {
		const struct vgc_map_entry *e = vgc_policy_map_find(map, v);
		struct vgc_vline *vl = &chip->lines[v];
		const struct vgc_rules *r = e && rules ? &rules[e - map->entries]
						       : &vgc_rules_default;
		bool changed;

		if (vl->holder) {
			vl->reload_pending = true;
			vl->reload_mapped = e != NULL;
			if (e)
				vl->reload_ent = *e;
			vl->reload_rules = *r;
			continue;
		}
		changed = !e != !vl->mapped || (e && e->host != vl->ent.host);
		/* a parked line that now means another host line (or none) is let go */
		if (changed)
			enforce_unpark(chip, v);
		if (e)
			vl->ent = *e;
		vl->mapped = e != NULL;
		vl->rules = *r;
		if (changed)
			vgc_chip_notify(chip, v, GPIO_V2_LINE_CHANGED_CONFIG);
	}
	return 0;
}

void vgc_chip_gone(struct vgc_chip *chip)
{
	if (chip->gone)
		return;
	chip->gone = true;
	for (unsigned int i = 0; i < chip->num_lines; i++) {
		struct vgc_req *req = chip->lines[i].holder;

		if (req)
			vgc_linereq_let_go(req);
	}
	/* readers and pollers of every file find out now */
	for (struct vgc_file *f = chip->chip_files; f; f = f->next)
		vgc_chip_ready(f);
	for (struct vgc_file *f = chip->req_files; f; f = f->next)
		vgc_chip_ready(f);
}

bool vgc_chip_is_gone(const struct vgc_chip *chip)
{
	return chip->gone;
}

unsigned int vgc_chip_num_files(const struct vgc_chip *chip)
{
	unsigned int n = 0;

	for (const struct vgc_file *f = chip->chip_files; f; f = f->next)
		n++;
	for (const struct vgc_file *f = chip->req_files; f; f = f->next)
		n++;
	return n;
}

int vgc_chip_line_status(struct vgc_chip *chip, uint32_t virt, struct vgc_line_status *st)
{
	const struct vgc_vline *vl;
	struct vgc_req *req;

	if (virt >= chip->num_lines)
		return -EINVAL;
	vl = &chip->lines[virt];
	memset(st, 0, sizeof(*st));
	st->mapped = vl->mapped;
	st->host = vl->ent.host;
	snprintf(st->name, sizeof(st->name), "%s", vl->mapped ? vl->ent.name : "");
	st->value = -1;
	st->parked = vl->parked != NULL;
	st->level = vl->level;
	st->reload_pending = vl->reload_pending;
	st->rules = vl->rules;
	st->cnt = vl->cnt;
	st->cnt.toggles_refused = vl->toggles.refused;
	req = vl->holder;
	if (!req)
		return 0;
	st->held = true;
	st->pid = req->pid;
	snprintf(st->consumer, sizeof(st->consumer), "%s", req->consumer);
	for (unsigned int i = 0; i < req->num_lines; i++) {
		uint64_t bits = 0;

		if (req->offsets[i] != virt)
			continue;
		st->flags = req->flags[i];
		if (req->breq && !chip->gone &&
		    !chip->be->ops->get_values(req->breq, 1ull << i, &bits))
			st->value = !!(bits & (1ull << i));
	}
	return 0;
}

const struct vgc_chip_counters *vgc_chip_counters(const struct vgc_chip *chip)
{
	return &chip->cnt;
}
