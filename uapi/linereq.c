// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Line requests: claiming lines on the backend, numbering and queueing edge
 * events, values and reconfiguration. v1 handle and event requests are the
 * same object with a different record format and ioctl set (see v1.c).
 */
#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../abi/linecfg.h"
#include "internal.h"

static unsigned int roundup_pow_of_two(unsigned int n)
{
	unsigned int p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* Edge from the backend: numbered per request and per line, then queued. */
static void linereq_edge(void *owner, unsigned int idx, const struct vgc_edge *e)
{
	struct vgc_req *req = owner;
	struct vgc_vline *vl;
	bool allowed;

	if (idx >= req->num_lines || req->chip->gone)
		return;
	vl = &req->chip->lines[req->offsets[idx]];
	allowed = enforce_event(req, idx);
	if (req->kind == VGC_REQ_V1_EVENT) {
		struct gpioevent_data ge = { .timestamp = e->timestamp_ns, .id = e->id };

		if (!allowed)
			return;
		/* a full v1 queue drops the new event */
		if (!vgc_ring_push(&req->events, &ge)) {
			vl->cnt.events_dropped++;
			return;
		}
	} else {
		struct gpio_v2_line_event le;

		memset(&le, 0, sizeof(le));
		le.timestamp_ns = e->timestamp_ns;
		le.id = e->id;
		le.offset = req->offsets[idx];
		if (e->line_seqno) {
			/*
			 * The host kernel numbered it for a request like the
			 * tenant's: its numbers keep the gaps of its own queue.
			 */
			le.line_seqno = e->line_seqno;
			le.seqno = e->seqno;
		} else {
			le.line_seqno = ++req->line_seqno[idx];
			/* with one line the two sequence numbers are the same */
			le.seqno = req->num_lines == 1 ? le.line_seqno : ++req->seqno;
		}
		/* an event beyond the line's rate is numbered, not queued: a gap */
		if (!allowed)
			return;
		/* a full v2 queue drops its oldest event for this one: a gap too */
		if (!vgc_ring_push(&req->events, &le))
			vl->cnt.events_dropped++;
	}
	vl->cnt.events++;
	vgc_chip_ready(req->file);
}

/*
 * The kernel allocates the event fifo when a line first gets edge detection,
 * and its fifo cannot have fewer than two slots: event_buffer_size 1 then
 * fails with EINVAL, at request time or at the SET_CONFIG that adds edges.
 */
static int linereq_fifo_check(unsigned int cap, const struct gpio_v2_line_config *lc,
			      unsigned int num)
{
	for (unsigned int i = 0; i < num && cap < 2; i++) {
		uint64_t flags = vgc_linecfg_flags(lc, i);

		if ((flags & GPIO_V2_LINE_FLAG_INPUT) && (flags & VGC_LINE_EDGE_FLAGS))
			return -EINVAL;
	}
	return 0;
}

/* Directions as the backend now has them: lines requested "as is" keep theirs. */
static void linereq_refresh_directions(struct vgc_req *req, const struct gpio_v2_line_config *lc)
{
	struct vgc_chip *chip = req->chip;

	for (unsigned int i = 0; i < req->num_lines; i++) {
		uint64_t flags = vgc_linecfg_flags(lc, i);
		struct gpio_v2_line_info info;
		uint32_t host = chip->lines[req->offsets[i]].ent.host;

		if (flags & (GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_OUTPUT))
			req->is_out[i] = flags & GPIO_V2_LINE_FLAG_OUTPUT;
		else if (!chip->be->ops->line_info(chip->be, host, &info))
			req->is_out[i] = info.flags & GPIO_V2_LINE_FLAG_OUTPUT;
	}
}

static struct vgc_req *linereq_new(struct vgc_chip *chip, enum vgc_req_kind kind,
				   const uint32_t *offsets, unsigned int num, const char *consumer)
{
	struct vgc_req *req = calloc(1, sizeof(*req));

	if (!req)
		return NULL;
	req->chip = chip;
	req->kind = kind;
	req->pid = chip->caller;
	req->num_lines = num;
	memcpy(req->offsets, offsets, num * sizeof(*offsets));
	/* the consumer label is cut to 31 characters */
	snprintf(req->consumer, sizeof(req->consumer), "%.*s", GPIO_MAX_NAME_SIZE - 1, consumer);
	return req;
}

/*
 * The one way a tenant's request reaches host lines: the host owner's rules
 * (with toggles counted and denials audited), then the backend, then the
 * watchers and the audit log. The kernel's own checks come before.
 */
static int linereq_claim(struct vgc_req *req, const struct gpio_v2_line_config *lc,
			 vgc_backend_edge_fn edge)
{
	struct vgc_chip *chip = req->chip;
	char label[GPIO_MAX_NAME_SIZE + 4];
	char host_consumer[sizeof(chip->tenant) + sizeof(label) + 1];
	uint32_t host_offsets[GPIO_V2_LINES_MAX];
	int ret;

	ret = enforce_request(req, lc);
	if (ret)
		return ret;
	/* the host sees who holds its line, "tenant:consumer", printable only */
	vgc_policy_quote(label, sizeof(label), req->consumer, strlen(req->consumer));
	snprintf(host_consumer, sizeof(host_consumer), "%s:%s", chip->tenant, label);
	for (unsigned int i = 0; i < req->num_lines; i++) {
		host_offsets[i] = chip->lines[req->offsets[i]].ent.host;
		enforce_unpark(chip, req->offsets[i]);
	}
	ret = chip->be->ops->request(chip->be, host_offsets, req->num_lines, lc, host_consumer,
				     edge, req, &req->breq);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < req->num_lines; i++)
		chip->lines[req->offsets[i]].holder = req;
	linereq_refresh_directions(req, lc);
	for (unsigned int i = 0; i < req->num_lines; i++)
		vgc_chip_notify(chip, req->offsets[i], GPIO_V2_LINE_CHANGED_REQUESTED);
	enforce_audit(req, VGC_AUDIT_REQUEST, 0, NULL);
	return 0;
}

/*
 * The kernel claims and configures lines one by one, so when line `bad`
 * fails, the lines before it were requested (and driven as asked) and are
 * released again, and watchers see both. Do the same, through the same
 * rules as any request: lines a rule keeps from the tenant are not touched.
 */
static void linereq_claim_partly(struct vgc_chip *chip, enum vgc_req_kind kind,
				 const uint32_t *offsets, unsigned int bad,
				 const struct gpio_v2_line_config *lc, const char *consumer)
{
	struct vgc_req *tmp;

	if (!bad)
		return;
	tmp = linereq_new(chip, kind, offsets, bad, consumer);
	if (!tmp)
		return;
	if (!linereq_claim(tmp, lc, NULL))
		vgc_linereq_let_go(tmp);
	free(tmp);
}

int vgc_linereq_create(struct vgc_chip *chip, enum vgc_req_kind kind, const uint32_t *offsets,
		       unsigned int num, const struct gpio_v2_line_config *lc,
		       const char *consumer, uint32_t event_buffer_size, struct vgc_req **out)
{
	struct vgc_req *req;
	unsigned int cap, bad;
	int ret;

	ret = vgc_chip_claim_check(chip, offsets, num, &bad);
	if (ret) {
		linereq_claim_partly(chip, kind, offsets, bad, lc, consumer);
		return ret;
	}
	req = linereq_new(chip, kind, offsets, num, consumer);
	if (!req)
		return -ENOMEM;
	if (kind == VGC_REQ_V1_EVENT) {
		ret = vgc_ring_init(&req->events, sizeof(struct gpioevent_data), VGC_V1_EVENT_QUEUE,
				    false);
	} else {
		/* 0 means 16 per line; at most 64 * 16; the kernel's fifo rounds up */
		if (event_buffer_size == 0)
			event_buffer_size = num * 16;
		else if (event_buffer_size > GPIO_V2_LINES_MAX * 16)
			event_buffer_size = GPIO_V2_LINES_MAX * 16;
		cap = roundup_pow_of_two(event_buffer_size);
		ret = linereq_fifo_check(cap, lc, num);
		if (ret)
			goto err_free_req;
		ret = vgc_ring_init(&req->events, sizeof(struct gpio_v2_line_event), cap, true);
	}
	if (ret)
		goto err_free_req;
	/* the kernel's checks are done: now the host owner's rules, then the host */
	ret = linereq_claim(req, lc, linereq_edge);
	if (ret)
		goto err_free_ring;
	*out = req;
	return 0;

err_free_ring:
	vgc_ring_fini(&req->events);
err_free_req:
	free(req);
	return ret;
}

void vgc_linereq_let_go(struct vgc_req *req)
{
	struct vgc_chip *chip = req->chip;

	enforce_release(req);
	for (unsigned int i = 0; i < req->num_lines; i++) {
		struct vgc_vline *vl = &chip->lines[req->offsets[i]];

		vl->holder = NULL;
		/* a reload waited for this line to be free */
		if (vl->reload_pending) {
			enforce_unpark(chip, req->offsets[i]);
			vl->ent = vl->reload_ent;
			vl->mapped = vl->reload_mapped;
			vl->rules = vl->reload_rules;
			vl->reload_pending = false;
		}
	}
	if (!chip->gone)
		for (unsigned int i = 0; i < req->num_lines; i++)
			vgc_chip_notify(chip, req->offsets[i], GPIO_V2_LINE_CHANGED_RELEASED);
	enforce_audit(req, VGC_AUDIT_RELEASE, 0, NULL);
}

void vgc_uapi_req_free(struct vgc_req *req)
{
	struct vgc_chip *chip;

	if (!req)
		return;
	/* once opened, the file owns the request and its release frees it */
	assert(!req->file);
	chip = req->chip;
	if (!chip->gone)
		vgc_linereq_let_go(req);
	vgc_ring_fini(&req->events);
	free(req);
}

int vgc_linereq_get_values(struct vgc_req *req, uint64_t mask, uint64_t *bits)
{
	struct vgc_backend *be = req->chip->be;
	uint64_t lines = req->num_lines == 64 ? ~0ULL : (1ULL << req->num_lines) - 1;

	/* at least one requested line must be asked for */
	if (!(mask & lines))
		return -EINVAL;
	return be->ops->get_values(req->breq, mask & lines, bits);
}

int vgc_linereq_set_values(struct vgc_req *req, uint64_t mask, uint64_t bits)
{
	struct vgc_backend *be = req->chip->be;
	unsigned int num_set = 0;
	int ret;

	for (unsigned int i = 0; i < req->num_lines; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		/* only outputs can be set */
		if (!req->is_out[i])
			return -EPERM;
		num_set++;
	}
	/* at least one requested line must be set */
	if (!num_set)
		return -EINVAL;
	mask &= req->num_lines == 64 ? ~0ULL : (1ULL << req->num_lines) - 1;
	ret = enforce_check_values(req, mask, bits);
	if (!ret)
		ret = be->ops->set_values(req->breq, mask, bits & mask);
	if (!ret)
		enforce_commit_values(req, mask, bits);
	return ret;
}

int vgc_linereq_set_config(struct vgc_req *req, const struct gpio_v2_line_config *lc)
{
	struct vgc_backend *be = req->chip->be;
	int ret = req->kind == VGC_REQ_V2 ? linereq_fifo_check(req->events.cap, lc, req->num_lines)
					  : 0;

	if (!ret)
		ret = enforce_check_config(req, lc);
	if (!ret)
		ret = be->ops->set_config(req->breq, lc);
	if (ret)
		return ret;
	enforce_commit_config(req, lc);
	linereq_refresh_directions(req, lc);
	/* lines not given a direction were left as they are: no event for them */
	for (unsigned int i = 0; i < req->num_lines; i++)
		if (vgc_linecfg_flags(lc, i) & VGC_LINE_DIRECTION_FLAGS)
			vgc_chip_notify(req->chip, req->offsets[i], GPIO_V2_LINE_CHANGED_CONFIG);
	return 0;
}

int vgc_linereq_ioctl(struct vgc_req *req, unsigned int cmd, const void *in, void *out,
		      size_t *out_len)
{
	const struct gpio_v2_line_values *lv = in;
	struct gpio_v2_line_values *ret_lv = out;
	uint64_t bits = 0;
	int ret;

	switch (cmd) {
	case GPIO_V2_LINE_GET_VALUES_IOCTL:
		ret = vgc_linereq_get_values(req, lv->mask, &bits);
		if (ret)
			return ret;
		ret_lv->mask = lv->mask;
		ret_lv->bits = bits;
		*out_len = sizeof(*ret_lv);
		return 0;
	case GPIO_V2_LINE_SET_VALUES_IOCTL:
		*out_len = 0;
		return vgc_linereq_set_values(req, lv->mask, lv->bits);
	case GPIO_V2_LINE_SET_CONFIG_IOCTL:
		*out_len = 0;
		ret = vgc_v2_config_validate(in, req->num_lines);
		return ret ? ret : vgc_linereq_set_config(req, in);
	default:
		return -EINVAL;
	}
}

void vgc_uapi_req_set_i386(struct vgc_req *req)
{
	/* timestamp and id keep their offsets; only the tail padding goes */
	if (req->kind == VGC_REQ_V1_EVENT)
		req->read_size = offsetof(struct gpioevent_data, id) + sizeof(uint32_t);
}

ssize_t vgc_linereq_read(struct vgc_req *req, void *buf, size_t count)
{
	size_t size = req->read_size ? req->read_size : req->events.rec_size, done = 0;
	unsigned char rec[sizeof(struct gpio_v2_line_event)];

	/* a v1 handle has no read method: the VFS answers EINVAL */
	if (req->kind == VGC_REQ_V1_HANDLE)
		return -EINVAL;
	if (req->chip->gone)
		return -ENODEV;
	/* the buffer must hold one whole record */
	if (count < size)
		return -EINVAL;
	while (count >= done + size && vgc_ring_pop(&req->events, rec)) {
		memcpy((char *)buf + done, rec, size);
		done += size;
	}
	return done ? (ssize_t)done : -EAGAIN;
}

unsigned int vgc_linereq_poll(struct vgc_req *req)
{
	/* a v1 handle has no poll method: the VFS default mask */
	if (req->kind == VGC_REQ_V1_HANDLE)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	if (req->chip->gone)
		return POLLHUP | POLLERR;
	return req->events.count ? POLLIN | POLLRDNORM : 0;
}
