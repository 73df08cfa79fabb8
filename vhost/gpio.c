// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-gpio requests turned into the chip's own line requests. The guest
 * names no consumer, bias or debounce: the consumer is "vm" (the host sees
 * "tenant:vm"), bias and drive are the first the line's rules allow and
 * debounce is the rules' minimum, so a request is never refused for what
 * the guest could not have said.
 */
#include <endian.h>
#include <errno.h>
#include <linux/virtio_gpio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpio.h"

/* The largest ioctl argument passed here, struct gpio_v2_line_request. */
#define VGPIO_IOCTL_MAX 1024

static int vgpio_ioctl(struct vgpio *g, struct vgc_file *f, unsigned int cmd, void *arg,
		       struct vgc_req **req)
{
	uint8_t out[VGPIO_IOCTL_MAX];
	size_t n = vgc_uapi_ioctl_size(cmd), out_len = sizeof(out);
	struct vgc_req *r = NULL;
	int ret;

	if (!n || n > sizeof(out))
		return -EINVAL;
	ret = vgc_uapi_ioctl(f, g->pid, cmd, arg, n, out, &out_len, &r);
	if (ret)
		return ret;
	if (out_len && out_len <= n)
		memcpy(arg, out, out_len);
	if (req)
		*req = r;
	else if (r)
		vgc_uapi_req_free(r);
	return 0;
}

static uint64_t vgpio_edges(uint8_t type)
{
	switch (type) {
	case VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING:
		return GPIO_V2_LINE_FLAG_EDGE_RISING;
	case VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING:
		return GPIO_V2_LINE_FLAG_EDGE_FALLING;
	case VIRTIO_GPIO_IRQ_TYPE_NONE:
		return 0;
	}
	/* levels are edges both ways plus a look at the line after each */
	return GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING;
}

/* The line config for virt as the guest wants it, filled in from its rules. */
static void vgpio_config(struct vgpio *g, unsigned int virt, bool out, uint8_t irq_type,
			 struct gpio_v2_line_config *lc)
{
	struct vgc_line_status st;
	const struct vgc_rules *r = &vgc_rules_default;
	uint64_t f = out ? GPIO_V2_LINE_FLAG_OUTPUT : GPIO_V2_LINE_FLAG_INPUT;

	if (!vgc_chip_line_status(g->chip, virt, &st))
		r = &st.rules;
	memset(lc, 0, sizeof(*lc));
	if (!(r->bias & VGC_RULE_BIAS_AS_IS))
		f |= (r->bias & VGC_RULE_BIAS_PULL_UP)	 ? GPIO_V2_LINE_FLAG_BIAS_PULL_UP :
		     (r->bias & VGC_RULE_BIAS_PULL_DOWN) ? GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN :
							   GPIO_V2_LINE_FLAG_BIAS_DISABLED;
	if (out && !(r->drive & VGC_RULE_DRIVE_PUSH_PULL))
		f |= (r->drive & VGC_RULE_DRIVE_OPEN_DRAIN) ? GPIO_V2_LINE_FLAG_OPEN_DRAIN :
							      GPIO_V2_LINE_FLAG_OPEN_SOURCE;
	if (!out)
		f |= vgpio_edges(irq_type);
	lc->flags = f;
	if (out) {
		lc->attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		lc->attrs[0].attr.values = g->lines[virt].value & 1;
		lc->attrs[0].mask = 1;
		lc->num_attrs = 1;
	} else if (r->debounce_min_us) {
		lc->attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
		lc->attrs[0].attr.debounce_period_us = r->debounce_min_us;
		lc->attrs[0].mask = 1;
		lc->num_attrs = 1;
	}
}

/* Requests virt, or reconfigures our request for it, as input or output. */
static int vgpio_claim(struct vgpio *g, unsigned int virt, bool out, uint8_t irq_type)
{
	struct vgpio_line *l = &g->lines[virt];
	struct gpio_v2_line_request lr;
	struct vgc_req *req = NULL;
	struct vgc_file *f;
	int ret;

	if (l->req) {
		struct gpio_v2_line_config lc;

		vgpio_config(g, virt, out, irq_type, &lc);
		ret = vgpio_ioctl(g, l->req, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc, NULL);
		if (!ret)
			l->dir = out ? VIRTIO_GPIO_DIRECTION_OUT : VIRTIO_GPIO_DIRECTION_IN;
		return ret;
	}
	memset(&lr, 0, sizeof(lr));
	lr.offsets[0] = virt;
	lr.num_lines = 1;
	snprintf(lr.consumer, sizeof(lr.consumer), "%s", VGPIO_CONSUMER);
	vgpio_config(g, virt, out, irq_type, &lr.config);
	ret = vgpio_ioctl(g, g->chipf, GPIO_V2_GET_LINE_IOCTL, &lr, &req);
	if (ret)
		return ret;
	f = vgc_uapi_open_req(req, g->pid);
	if (!f) {
		vgc_uapi_req_free(req);
		return -ENOMEM;
	}
	vgc_uapi_set_ctx(f, l);
	l->req = f;
	l->dir = out ? VIRTIO_GPIO_DIRECTION_OUT : VIRTIO_GPIO_DIRECTION_IN;
	return 0;
}

/* Hands an interrupt buffer back with status; true if it went. */
static bool vgpio_answer(struct vgpio *g, struct vgpio_line *l, uint8_t status)
{
	uint8_t *p;

	if (!l->ev_pending)
		return false;
	l->ev_pending = false;
	/* the memory table may have changed since: find the byte again */
	p = vhu_mem_gpa(g->mem, l->ev.wr[0].gpa, 1);
	if (!p || !g->evq)
		return false;
	*p = status;
	vhu_vq_push(g->evq, l->ev_head, 1);
	return true;
}

static void vgpio_release(struct vgpio *g, struct vgpio_line *l)
{
	if (l->req)
		vgc_uapi_release(l->req);
	l->req = NULL;
	l->dir = VIRTIO_GPIO_DIRECTION_NONE;
	l->dirty = false;
	(void)g;
}

static int vgpio_value(struct vgpio *g, struct vgpio_line *l, uint8_t *v)
{
	struct gpio_v2_line_values lv = { .mask = 1 };
	int ret;

	if (!l->req)
		return -EINVAL;
	ret = vgpio_ioctl(g, l->req, GPIO_V2_LINE_GET_VALUES_IOCTL, &lv, NULL);
	*v = lv.bits & 1;
	return ret;
}

/* A level interrupt whose level holds fires as soon as it has a buffer. */
static bool vgpio_level(struct vgpio *g, struct vgpio_line *l)
{
	uint8_t v;

	if (!l->ev_pending || (l->irq_type != VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH &&
			       l->irq_type != VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW))
		return false;
	if (vgpio_value(g, l, &v))
		return false;
	if (v != (l->irq_type == VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH))
		return false;
	return vgpio_answer(g, l, VIRTIO_GPIO_IRQ_STATUS_VALID);
}

static int vgpio_set_irq(struct vgpio *g, unsigned int virt, uint32_t type)
{
	struct vgpio_line *l = &g->lines[virt];
	int ret;

	if (!g->irq)
		return -EINVAL;
	if (type != VIRTIO_GPIO_IRQ_TYPE_NONE && type != VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING &&
	    type != VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING && type != VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH &&
	    type != VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH && type != VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW)
		return -EINVAL;
	/* interrupts are on inputs only */
	if (l->req && l->dir == VIRTIO_GPIO_DIRECTION_OUT)
		return type == VIRTIO_GPIO_IRQ_TYPE_NONE ? 0 : -EINVAL;
	if (l->req || type != VIRTIO_GPIO_IRQ_TYPE_NONE) {
		ret = vgpio_claim(g, virt, false, (uint8_t)type);
		if (ret)
			return ret;
	}
	l->irq_type = (uint8_t)type;
	/* the spec: a disabled interrupt hands its buffer back unused */
	if (type == VIRTIO_GPIO_IRQ_TYPE_NONE && vgpio_answer(g, l, VIRTIO_GPIO_IRQ_STATUS_INVALID))
		vhu_vq_notify(g->evq);
	return 0;
}

static int vgpio_set_direction(struct vgpio *g, unsigned int virt, uint32_t dir)
{
	struct vgpio_line *l = &g->lines[virt];

	switch (dir) {
	case VIRTIO_GPIO_DIRECTION_NONE:
		/* the guest let go: the line goes to its release state */
		vgpio_release(g, l);
		return 0;
	case VIRTIO_GPIO_DIRECTION_IN:
		return vgpio_claim(g, virt, false, l->irq_type);
	case VIRTIO_GPIO_DIRECTION_OUT:
		return vgpio_claim(g, virt, true, VIRTIO_GPIO_IRQ_TYPE_NONE);
	}
	return -EINVAL;
}

static int vgpio_get_direction(struct vgpio *g, unsigned int virt, uint8_t *dir)
{
	struct gpio_v2_line_info info = { .offset = virt };
	int ret;

	if (g->lines[virt].req) {
		*dir = g->lines[virt].dir;
		return 0;
	}
	/* not ours: the direction the host line has (holes have none) */
	ret = vgpio_ioctl(g, g->chipf, GPIO_V2_GET_LINEINFO_IOCTL, &info, NULL);
	if (ret)
		return ret;
	*dir = (info.flags & GPIO_V2_LINE_FLAG_OUTPUT) ? VIRTIO_GPIO_DIRECTION_OUT :
	       (info.flags & GPIO_V2_LINE_FLAG_INPUT)  ? VIRTIO_GPIO_DIRECTION_IN :
							 VIRTIO_GPIO_DIRECTION_NONE;
	return 0;
}

static int vgpio_set_value(struct vgpio *g, unsigned int virt, uint32_t value)
{
	struct vgpio_line *l = &g->lines[virt];
	struct gpio_v2_line_values lv = { .mask = 1, .bits = value & 1 };

	if (value > 1)
		return -EINVAL;
	/* Linux sets the value before it makes a line an output: remember it */
	l->value = (uint8_t)value;
	/*
	 * After a back-end restart the guest still holds the outputs it had,
	 * and only sets their values: take such a line again, as an output.
	 * (A new output's SET_VALUE also takes it; its SET_DIRECTION follows.)
	 */
	if (!l->req && g->resumed)
		return vgpio_claim(g, virt, true, VIRTIO_GPIO_IRQ_TYPE_NONE);
	if (!l->req || l->dir != VIRTIO_GPIO_DIRECTION_OUT)
		return 0;
	/* toggle rate and read-only rules answer here */
	return vgpio_ioctl(g, l->req, GPIO_V2_LINE_SET_VALUES_IOCTL, &lv, NULL);
}

static int vgpio_dispatch(struct vgpio *g, uint16_t type, uint16_t gpio, uint32_t value,
			  uint8_t *out)
{
	if (gpio >= g->ngpio)
		return -EINVAL;
	switch (type) {
	case VIRTIO_GPIO_MSG_GET_DIRECTION:
		return vgpio_get_direction(g, gpio, out);
	case VIRTIO_GPIO_MSG_SET_DIRECTION:
		return vgpio_set_direction(g, gpio, value);
	case VIRTIO_GPIO_MSG_GET_VALUE:
		return vgpio_value(g, &g->lines[gpio], out);
	case VIRTIO_GPIO_MSG_SET_VALUE:
		return vgpio_set_value(g, gpio, value);
	case VIRTIO_GPIO_MSG_IRQ_TYPE:
		return vgpio_set_irq(g, gpio, value);
	}
	return -EINVAL;
}

uint32_t vgc_vgpio_request(struct vgpio *g, const struct vhu_chain *c)
{
	struct virtio_gpio_request rq;
	uint8_t res[2] = { VIRTIO_GPIO_STATUS_ERR, 0 };
	uint16_t type;

	if (vhu_chain_read(c, &rq, sizeof(rq)) != sizeof(rq) || !c->wr_len)
		return (uint32_t)vhu_chain_write(c, res, 1);
	type = le16toh(rq.type);
	if (type == VIRTIO_GPIO_MSG_GET_NAMES) {
		/* the block is the size the config said, or nothing */
		if (!g->names_size || c->wr_len != 1 + g->names_size)
			return (uint32_t)vhu_chain_write(c, res, 1);
		res[0] = VIRTIO_GPIO_STATUS_OK;
		vhu_chain_write(c, res, 1);
		for (unsigned int i = 0, done = 0; i < c->nw; i++) {
			/* past the status byte in the first segment */
			uint32_t skip = i ? 0 : 1, n = c->wr[i].len - skip;

			memcpy(c->wr[i].p + skip, g->names + done, n);
			done += n;
		}
		return 1 + g->names_size;
	}
	if (!vgpio_dispatch(g, type, le16toh(rq.gpio), le32toh(rq.value), &res[1]))
		res[0] = VIRTIO_GPIO_STATUS_OK;
	return (uint32_t)vhu_chain_write(c, res, sizeof(res));
}

void vgc_vgpio_event_buffer(struct vgpio *g, const struct vhu_chain *c)
{
	uint16_t gpio;
	struct vgpio_line *l;

	if (!c->wr_len)
		goto invalid;
	if (vhu_chain_read(c, &gpio, sizeof(gpio)) != sizeof(gpio) || !g->irq)
		goto invalid;
	gpio = le16toh(gpio);
	if (gpio >= g->ngpio)
		goto invalid;
	l = &g->lines[gpio];
	/* one buffer per line at a time, and only for an interrupt that is on */
	if (l->ev_pending || l->irq_type == VIRTIO_GPIO_IRQ_TYPE_NONE)
		goto invalid;
	l->ev = *c;
	l->ev_head = c->head;
	l->ev_pending = true;
	if (vgpio_level(g, l))
		vhu_vq_notify(g->evq);
	return;
invalid:
	if (g->evq) {
		uint8_t st = VIRTIO_GPIO_IRQ_STATUS_INVALID;

		vhu_vq_push(g->evq, c->head, (uint32_t)vhu_chain_write(c, &st, 1));
		vhu_vq_notify(g->evq);
	}
}

void vgc_vgpio_ready(struct vgc_file *f, void *file_ctx, void *data)
{
	struct vgpio_line *l = file_ctx;

	(void)f;
	(void)data;
	if (l)
		l->dirty = true;
}

static bool vgpio_edge_matches(uint8_t type, uint32_t id)
{
	if (type == VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH)
		return true;
	if (type == VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING)
		return id == GPIO_V2_LINE_EVENT_RISING_EDGE;
	if (type == VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING)
		return id == GPIO_V2_LINE_EVENT_FALLING_EDGE;
	return false;
}

bool vgc_vgpio_flush(struct vgpio *g)
{
	bool sent = false;

	for (unsigned int i = 0; i < g->ngpio; i++) {
		struct vgpio_line *l = &g->lines[i];
		struct gpio_v2_line_event ev;

		if (!l->dirty || !l->req)
			continue;
		l->dirty = false;
		while (vgc_uapi_read(l->req, &ev, sizeof(ev)) == (ssize_t)sizeof(ev))
			if (vgpio_edge_matches(l->irq_type, ev.id))
				sent |= vgpio_answer(g, l, VIRTIO_GPIO_IRQ_STATUS_VALID);
		sent |= vgpio_level(g, l);
	}
	if (sent)
		vhu_vq_notify(g->evq);
	return sent;
}

int vgc_vgpio_config(struct vgpio *g, uint32_t offset, uint8_t *buf, uint32_t size)
{
	struct virtio_gpio_config cfg = {
		.ngpio = htole16((uint16_t)g->ngpio),
		.gpio_names_size = htole32(g->names_size),
	};

	if (offset > sizeof(cfg) || size > sizeof(cfg) - offset)
		return -EINVAL;
	memcpy(buf, (uint8_t *)&cfg + offset, size);
	return 0;
}

/* The names the chip shows its tenants, holes empty, NUL after each. */
static int vgpio_names(struct vgpio *g)
{
	size_t size = 0;

	g->names = malloc((size_t)g->ngpio * GPIO_MAX_NAME_SIZE);
	if (!g->names)
		return -ENOMEM;
	for (unsigned int i = 0; i < g->ngpio; i++) {
		struct gpio_v2_line_info info = { .offset = i };

		if (vgpio_ioctl(g, g->chipf, GPIO_V2_GET_LINEINFO_IOCTL, &info, NULL))
			info.name[0] = '\0';
		info.name[sizeof(info.name) - 1] = '\0';
		memcpy(g->names + size, info.name, strlen(info.name) + 1);
		size += strlen(info.name) + 1;
	}
	g->names_size = (uint32_t)size;
	return 0;
}

void vgc_vgpio_reset(struct vgpio *g)
{
	/* the guest's driver starts afresh: it holds nothing */
	g->resumed = false;
	for (unsigned int i = 0; i < g->ngpio; i++) {
		vgpio_release(g, &g->lines[i]);
		/* the rings are going: the buffers are the front end's again */
		g->lines[i].ev_pending = false;
		g->lines[i].irq_type = VIRTIO_GPIO_IRQ_TYPE_NONE;
		g->lines[i].value = 0;
	}
}

struct vgpio *vgc_vgpio_new(struct vgc_chip *chip, pid_t pid)
{
	struct vgpio *g = calloc(1, sizeof(*g));
	unsigned int n = vgc_chip_num_lines(chip);

	if (!g)
		return NULL;
	g->chip = chip;
	g->pid = pid;
	/* the config space counts lines in 16 bits */
	g->ngpio = n > 0xffff ? 0xffff : n;
	g->lines = calloc(g->ngpio ? g->ngpio : 1, sizeof(*g->lines));
	g->chipf = vgc_uapi_open(chip, pid);
	if (!g->lines || !g->chipf || vgpio_names(g)) {
		vgc_vgpio_free(g);
		errno = ENOMEM;
		return NULL;
	}
	return g;
}

void vgc_vgpio_free(struct vgpio *g)
{
	if (!g)
		return;
	if (g->lines)
		vgc_vgpio_reset(g);
	if (g->chipf)
		vgc_uapi_release(g->chipf);
	free(g->lines);
	free(g->names);
	free(g);
}
