// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int vgc_ring_init(struct vgc_ring *r, size_t rec_size, unsigned int cap, bool drop_oldest)
{
	r->buf = calloc(cap, rec_size);
	if (!r->buf)
		return -ENOMEM;
	r->rec_size = rec_size;
	r->cap = cap;
	r->head = 0;
	r->count = 0;
	r->drop_oldest = drop_oldest;
	return 0;
}

void vgc_ring_fini(struct vgc_ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->count = 0;
}

bool vgc_ring_push(struct vgc_ring *r, const void *rec)
{
	bool kept = true;

	if (r->count == r->cap) {
		if (!r->drop_oldest)
			return false;
		r->head = (r->head + 1) % r->cap;
		r->count--;
		kept = false;
	}
	memcpy(r->buf + (size_t)((r->head + r->count) % r->cap) * r->rec_size, rec, r->rec_size);
	r->count++;
	return kept;
}

bool vgc_ring_pop(struct vgc_ring *r, void *rec)
{
	if (!r->count)
		return false;
	memcpy(rec, r->buf + (size_t)r->head * r->rec_size, r->rec_size);
	r->head = (r->head + 1) % r->cap;
	r->count--;
	return true;
}
