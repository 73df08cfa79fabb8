// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules fuzz-uapi checks the core's answers against. They are the
 * security boundary seen from each side: the host sees exactly the lines our
 * requests hold, labelled "tenant:consumer"; a tenant sees only its virtual
 * lines, its own labels, and "unavailable" for everything else.
 */
#include <string.h>

#include "../../abi/linecfg.h"
#include "uapi-model.h"

#define MODEL_HOLE_CONSUMER "unavailable"
#define MODEL_V1_FLAGS                                                             \
	(GPIOLINE_FLAG_KERNEL | GPIOLINE_FLAG_IS_OUT | GPIOLINE_FLAG_ACTIVE_LOW |  \
	 GPIOLINE_FLAG_OPEN_DRAIN | GPIOLINE_FLAG_OPEN_SOURCE |                    \
	 GPIOLINE_FLAG_BIAS_PULL_UP | GPIOLINE_FLAG_BIAS_PULL_DOWN |               \
	 GPIOLINE_FLAG_BIAS_DISABLE)

/* What a tenant must be shown for one of its virtual lines. */
struct model_view {
	bool hole;
	bool used;
	bool mine;		/* held by a request of this tenant */
	const char *consumer;
	const char *name;
};

void fz_model_cut(char dst[GPIO_MAX_NAME_SIZE], const char *src)
{
	size_t n = strnlen(src, GPIO_MAX_NAME_SIZE - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void fz_model_remember(unsigned int chip, const char *consumer)
{
	struct fz_chip *c = &fz.chips[chip];
	char cut[GPIO_MAX_NAME_SIZE];

	fz_model_cut(cut, consumer);
	for (unsigned int i = 0; i < c->num_history; i++)
		if (!strcmp(c->history[i], cut))
			return;
	if (c->num_history == FZ_HISTORY) {
		c->history_full = true;
		return;
	}
	memcpy(c->history[c->num_history++], cut, sizeof(cut));
}

static bool model_is_string(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* The request of this chip holding virtual line virt, or NULL. */
static const struct fz_req *model_holder(unsigned int chip, uint32_t virt)
{
	for (unsigned int i = 0; i < FZ_MAX_REQS; i++) {
		const struct fz_req *r = &fz.reqs[i];

		if (!r->live || r->chip != chip)
			continue;
		for (unsigned int j = 0; j < r->num; j++)
			if (r->virt[j] == virt)
				return r;
	}
	return NULL;
}

/* Which of our requests holds each host line (NULL: none). */
static void model_host_holders(const struct fz_req *holder[FZ_HOST_LINES])
{
	memset(holder, 0, FZ_HOST_LINES * sizeof(holder[0]));
	for (unsigned int i = 0; i < FZ_MAX_REQS; i++) {
		const struct fz_req *r = &fz.reqs[i];

		if (!r->live)
			continue;
		for (unsigned int j = 0; j < r->num; j++) {
			const struct vgc_map_entry *e =
				vgc_policy_map_find(fz.chips[r->chip].map, r->virt[j]);

			FZ_CHECK(e, "request holds virtual line %u of chip %u, a hole", r->virt[j],
				 r->chip);
			FZ_CHECK(e->host < FZ_HOST_LINES, "host line %u", e->host);
			FZ_CHECK(!holder[e->host], "host line %u is held by two requests", e->host);
			holder[e->host] = r;
		}
	}
}

static struct model_view model_view(unsigned int chip, uint32_t virt)
{
	const struct vgc_map_entry *e = vgc_policy_map_find(fz.chips[chip].map, virt);
	const struct fz_req *holder[FZ_HOST_LINES];
	const struct fz_req *r;
	struct model_view v = { .consumer = "", .name = "" };

	if (!e) {
		v.hole = v.used = true;
		v.consumer = MODEL_HOLE_CONSUMER;
		return v;
	}
	/* the sim's host lines have no names: a name can only come from the map */
	v.name = e->name;
	r = model_holder(chip, virt);
	if (r) {
		v.used = v.mine = true;
		v.consumer = r->consumer[0] ? r->consumer : "?";
		return v;
	}
	model_host_holders(holder);
	if (holder[e->host]) {
		/* another tenant's line: in use, and nothing about who uses it */
		v.used = true;
		v.consumer = MODEL_HOLE_CONSUMER;
	}
	return v;
}

void fz_model_check_host(void)
{
	const struct fz_req *holder[FZ_HOST_LINES];
	struct vgc_backend *be = fz.be;

	model_host_holders(holder);
	for (uint32_t h = 0; h < FZ_HOST_LINES; h++) {
		struct gpio_v2_line_info info;
		char want[GPIO_MAX_NAME_SIZE];
		const struct fz_req *r = holder[h];
		bool used;

		FZ_CHECK(!be->ops->line_info(be, h, &info), "host line_info %u", h);
		used = info.flags & GPIO_V2_LINE_FLAG_USED;
		FZ_CHECK(used == (r != NULL), "host line %u: used %d, but %s holds it", h, used,
			 r ? "a request" : "nobody");
		if (!r)
			continue;
		snprintf(want, sizeof(want), "%s:%s", fz.chips[r->chip].tenant, r->consumer);
		/* the host's tools and logs never see a tenant's control bytes */
		for (char *c = want; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
				*c = '?';
		FZ_CHECK(!strcmp(info.consumer, want), "host line %u: consumer '%.32s', want '%s'",
			 h, info.consumer, want);
	}
}

void fz_model_check_info(unsigned int chip, uint32_t virt, const struct gpio_v2_line_info *info)
{
	struct model_view v = model_view(chip, virt);
	uint64_t flags = info->flags;
	unsigned int dirs = !!(flags & GPIO_V2_LINE_FLAG_INPUT) +
			    !!(flags & GPIO_V2_LINE_FLAG_OUTPUT);

	FZ_CHECK(info->offset == virt, "line info for %u says offset %u", virt, info->offset);
	FZ_CHECK(model_is_string(info->name, sizeof(info->name)) &&
			 model_is_string(info->consumer, sizeof(info->consumer)),
		 "line %u: name or consumer not terminated", virt);
	FZ_CHECK(!strcmp(info->name, v.name), "line %u: name '%s', want '%s'", virt, info->name,
		 v.name);
	FZ_CHECK(!strcmp(info->consumer, v.consumer), "line %u of chip %u: consumer '%s', want '%s'",
		 virt, chip, info->consumer, v.consumer);
	FZ_CHECK(!!(flags & GPIO_V2_LINE_FLAG_USED) == v.used, "line %u: USED is %d, want %d",
		 virt, !!(flags & GPIO_V2_LINE_FLAG_USED), v.used);
	FZ_CHECK(dirs == 1, "line %u: flags 0x%llx give %u directions", virt,
		 (unsigned long long)flags, dirs);
	FZ_CHECK(!(flags & ~(uint64_t)(VGC_LINE_VALID_FLAGS | GPIO_V2_LINE_FLAG_USED)),
		 "line %u: unknown flags 0x%llx", virt, (unsigned long long)flags);
	FZ_CHECK(info->num_attrs <= GPIO_V2_LINE_NUM_ATTRS_MAX, "line %u: %u attrs", virt,
		 info->num_attrs);
	if (v.hole)
		FZ_CHECK(flags == (GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_INPUT),
			 "hole %u: flags 0x%llx", virt, (unsigned long long)flags);
	if (v.used && !v.mine)
		FZ_CHECK(!(flags & ~(uint64_t)(GPIO_V2_LINE_FLAG_USED | VGC_LINE_DIRECTION_FLAGS)),
			 "line %u held elsewhere shows flags 0x%llx", virt,
			 (unsigned long long)flags);
	if (!v.mine)
		FZ_CHECK(!info->num_attrs, "line %u not ours shows %u attrs", virt,
			 info->num_attrs);
}

void fz_model_check_info_v1(unsigned int chip, uint32_t virt, const struct gpioline_info *info)
{
	struct model_view v = model_view(chip, virt);

	FZ_CHECK(info->line_offset == virt, "v1 line info for %u says offset %u", virt,
		 info->line_offset);
	FZ_CHECK(model_is_string(info->name, sizeof(info->name)) &&
			 model_is_string(info->consumer, sizeof(info->consumer)),
		 "v1 line %u: name or consumer not terminated", virt);
	FZ_CHECK(!strcmp(info->name, v.name), "v1 line %u: name '%s', want '%s'", virt,
		 info->name, v.name);
	FZ_CHECK(!strcmp(info->consumer, v.consumer), "v1 line %u: consumer '%s', want '%s'", virt,
		 info->consumer, v.consumer);
	FZ_CHECK(!!(info->flags & GPIOLINE_FLAG_KERNEL) == v.used, "v1 line %u: KERNEL is %d",
		 virt, !!(info->flags & GPIOLINE_FLAG_KERNEL));
	FZ_CHECK(!(info->flags & ~(uint32_t)MODEL_V1_FLAGS), "v1 line %u: unknown flags 0x%x",
		 virt, info->flags);
}

/* A label in a change record: one the tenant gave, or one the core makes up. */
static bool model_known_consumer(unsigned int chip, const char *consumer)
{
	const struct fz_chip *c = &fz.chips[chip];

	if (!strcmp(consumer, "") || !strcmp(consumer, "?") ||
	    !strcmp(consumer, MODEL_HOLE_CONSUMER) || c->history_full)
		return true;
	for (unsigned int i = 0; i < c->num_history; i++)
		if (!strcmp(c->history[i], consumer))
			return true;
	return false;
}

static void model_check_changed(const struct fz_slot *s, const unsigned char *rec)
{
	struct gpio_v2_line_info_changed v2;
	struct gpioline_info_changed v1;
	uint32_t type, offset;
	const char *consumer;

	if (s->watch_abi == 2) {
		memcpy(&v2, rec, sizeof(v2));
		FZ_CHECK(model_is_string(v2.info.consumer, sizeof(v2.info.consumer)) &&
				 model_is_string(v2.info.name, sizeof(v2.info.name)),
			 "change record: strings not terminated");
		type = v2.event_type;
		offset = v2.info.offset;
		consumer = v2.info.consumer;
	} else {
		memcpy(&v1, rec, sizeof(v1));
		FZ_CHECK(model_is_string(v1.info.consumer, sizeof(v1.info.consumer)) &&
				 model_is_string(v1.info.name, sizeof(v1.info.name)),
			 "v1 change record: strings not terminated");
		type = v1.event_type;
		offset = v1.info.line_offset;
		consumer = v1.info.consumer;
	}
	FZ_CHECK(type >= GPIO_V2_LINE_CHANGED_REQUESTED && type <= GPIO_V2_LINE_CHANGED_CONFIG,
		 "change record: event type %u", type);
	FZ_CHECK(offset < fz.chips[s->chip].num_lines, "change record for line %u of %u", offset,
		 fz.chips[s->chip].num_lines);
	FZ_CHECK(model_known_consumer(s->chip, consumer),
		 "change record on chip %u shows a label it never used: '%s'", s->chip, consumer);
}

static void model_check_event(const struct fz_req *r, const unsigned char *rec)
{
	struct gpio_v2_line_event ev;
	struct gpioevent_data ge;
	bool found = false;

	if (r->cmd == GPIO_GET_LINEEVENT_IOCTL) {
		memcpy(&ge, rec, sizeof(ge));
		FZ_CHECK(ge.id == GPIOEVENT_EVENT_RISING_EDGE || ge.id == GPIOEVENT_EVENT_FALLING_EDGE,
			 "v1 event id %u", ge.id);
		return;
	}
	memcpy(&ev, rec, sizeof(ev));
	FZ_CHECK(ev.id == GPIO_V2_LINE_EVENT_RISING_EDGE ||
			 ev.id == GPIO_V2_LINE_EVENT_FALLING_EDGE,
		 "event id %u", ev.id);
	for (unsigned int i = 0; i < r->num; i++)
		found |= r->virt[i] == ev.offset;
	FZ_CHECK(found, "event for offset %u, not a line of the request", ev.offset);
	FZ_CHECK(ev.seqno && ev.line_seqno, "event seqno %u line_seqno %u", ev.seqno,
		 ev.line_seqno);
	FZ_CHECK(!ev.padding[0] && !ev.padding[1] && !ev.padding[2] && !ev.padding[3] &&
			 !ev.padding[4] && !ev.padding[5],
		 "event padding not zero");
}

void fz_model_check_records(const struct fz_slot *s, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	const struct fz_req *r = s->req >= 0 ? &fz.reqs[s->req] : NULL;
	size_t size;

	if (!r) {
		FZ_CHECK(s->watch_abi, "a chip fd without watches read %zu bytes", n);
		size = s->watch_abi == 2 ? sizeof(struct gpio_v2_line_info_changed)
					 : sizeof(struct gpioline_info_changed);
	} else {
		FZ_CHECK(r->cmd != GPIO_GET_LINEHANDLE_IOCTL, "a v1 handle read %zu bytes", n);
		size = r->cmd == GPIO_GET_LINEEVENT_IOCTL ? sizeof(struct gpioevent_data)
							  : sizeof(struct gpio_v2_line_event);
	}
	FZ_CHECK(n && n % size == 0, "read %zu bytes, records are %zu", n, size);
	for (size_t off = 0; off < n; off += size) {
		if (r)
			model_check_event(r, p + off);
		else
			model_check_changed(s, p + off);
	}
}
