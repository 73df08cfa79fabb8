// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GPIO sysfs semantics (drivers/gpio/gpiolib-sysfs.c) over the uapi
 * layer. Each exported line is one v2 line request with consumer "sysfs",
 * made and reconfigured through vgc_uapi_ioctl() like a chardev client's:
 * every rule, rate, watcher, audit record and busy answer comes from there.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs.h"

#define SYSFS_CONSUMER "sysfs"

enum sysfs_edge { EDGE_NONE, EDGE_FALLING, EDGE_RISING, EDGE_BOTH };

/* in the kernel's order: the index is the trigger bitmask */
static const char *const sysfs_edge_names[] = { "none", "falling", "rising", "both" };

struct sysfs_line {
	struct vgc_file *f;	/* the line request; NULL: not exported */
	bool out;
	bool active_low;
	enum sysfs_edge edge;
	uint64_t events;
};

struct vgc_sysfs {
	struct vgc_chip *chip;
	unsigned int base;
	unsigned int num_lines;
	char label[GPIO_MAX_NAME_SIZE];
	struct sysfs_line *lines;
};

struct vgc_sysfs *vgc_sysfs_new(struct vgc_chip *chip, unsigned int base, const char *label)
{
	struct vgc_sysfs *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->chip = chip;
	s->base = base;
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->num_lines = vgc_chip_num_lines(chip);
	s->lines = calloc(s->num_lines ? s->num_lines : 1, sizeof(*s->lines));
	if (!s->lines) {
		free(s);
		return NULL;
	}
	return s;
}

static void sysfs_line_drop(struct sysfs_line *l)
{
	/* the request's release: release state, watchers, audit */
	if (l->f)
		vgc_uapi_release(l->f);
	memset(l, 0, sizeof(*l));
}

void vgc_sysfs_free(struct vgc_sysfs *s)
{
	if (!s)
		return;
	for (unsigned int i = 0; i < s->num_lines; i++)
		sysfs_line_drop(&s->lines[i]);
	free(s->lines);
	free(s);
}

unsigned int vgc_sysfs_base(const struct vgc_sysfs *s)
{
	return s->base;
}

unsigned int vgc_sysfs_num_lines(const struct vgc_sysfs *s)
{
	return s->num_lines;
}

int vgc_sysfs_strtol(const char *buf, size_t len, long *out)
{
	unsigned long long v = 0, limit;
	unsigned int base = 10, digits = 0;
	bool neg = false;
	size_t i = 0;

	/* one trailing newline is allowed, nothing else around the number */
	if (len && buf[len - 1] == '\n')
		len--;
	if (i < len && (buf[i] == '+' || buf[i] == '-'))
		neg = buf[i++] == '-';
	if (i + 1 < len && buf[i] == '0' && (buf[i + 1] == 'x' || buf[i + 1] == 'X')) {
		base = 16;
		i += 2;
	} else if (i < len && buf[i] == '0') {
		base = 8;
	}
	limit = neg ? (unsigned long long)__LONG_MAX__ + 1 : (unsigned long long)__LONG_MAX__;
	for (; i < len; i++, digits++) {
		char c = buf[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (limit - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	*out = neg ? (long)(0 - v) : (long)v;
	return 0;
}

bool vgc_sysfs_streq(const char *buf, size_t len, const char *word)
{
	size_t wlen = strlen(word);

	if (len && buf[len - 1] == '\n')
		len--;
	return len == wlen && !memcmp(buf, word, len);
}

/* The line a written number names: its virtual offset, or -EINVAL. */
static int sysfs_parse_gpio(struct vgc_sysfs *s, const char *buf, size_t len, uint32_t *virt)
{
	long n;
	int ret = vgc_sysfs_strtol(buf, len, &n);

	if (ret)
		return ret;
	/* a number no chip has: gpio_to_desc() finds nothing */
	if (n < (long)s->base || n - (long)s->base >= (long)s->num_lines)
		return -EINVAL;
	*virt = (uint32_t)(n - (long)s->base);
	return 0;
}

/* The v2 flags the line's sysfs state stands for. */
static uint64_t sysfs_flags(const struct sysfs_line *l)
{
	uint64_t flags = l->out ? GPIO_V2_LINE_FLAG_OUTPUT : GPIO_V2_LINE_FLAG_INPUT;

	if (l->active_low)
		flags |= GPIO_V2_LINE_FLAG_ACTIVE_LOW;
	/* edges are relative to the logical value with active low, as in sysfs */
	if (!l->out && (l->edge & EDGE_RISING))
		flags |= GPIO_V2_LINE_FLAG_EDGE_RISING;
	if (!l->out && (l->edge & EDGE_FALLING))
		flags |= GPIO_V2_LINE_FLAG_EDGE_FALLING;
	return flags;
}

/* One ioctl on the line request as a client makes it (out may be NULL). */
static int sysfs_ioctl(struct sysfs_line *l, pid_t pid, unsigned int cmd, const void *in,
		       void *out)
{
	union {
		struct gpio_v2_line_config lc;
		struct gpio_v2_line_values lv;
	} scratch;
	size_t out_len = sizeof(scratch);
	struct vgc_req *req;

	return vgc_uapi_ioctl(l->f, pid, cmd, in, vgc_uapi_ioctl_size(cmd), out ? out : &scratch,
			      &out_len, &req);
}

/* Reconfigures the request; value (logical) is what an output is driven to. */
static int sysfs_config(struct sysfs_line *l, pid_t pid, uint64_t flags, int value)
{
	struct gpio_v2_line_config lc;

	memset(&lc, 0, sizeof(lc));
	lc.flags = flags;
	if (flags & GPIO_V2_LINE_FLAG_OUTPUT) {
		lc.num_attrs = 1;
		lc.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		lc.attrs[0].attr.values = (uint64_t)!!value;
		lc.attrs[0].mask = 1;
	}
	return sysfs_ioctl(l, pid, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc, NULL);
}

static int sysfs_get(struct sysfs_line *l, pid_t pid, int *value)
{
	struct gpio_v2_line_values lv = { .mask = 1 }, got;
	int ret = sysfs_ioctl(l, pid, GPIO_V2_LINE_GET_VALUES_IOCTL, &lv, &got);

	if (!ret)
		*value = (int)(got.bits & 1);
	return ret;
}

ssize_t vgc_sysfs_export(struct vgc_sysfs *s, pid_t pid, const char *buf, size_t len)
{
	struct gpio_v2_line_request lr, out;
	struct gpio_v2_line_info info;
	struct vgc_line_status st;
	struct sysfs_line *l;
	struct vgc_file *cf;
	struct vgc_req *req = NULL;
	size_t out_len = sizeof(info);
	uint32_t virt;
	int ret;

	ret = sysfs_parse_gpio(s, buf, len, &virt);
	if (ret)
		return ret;
	l = &s->lines[virt];
	/* already exported: requested by "sysfs" */
	if (l->f)
		return -EBUSY;
	/* a hole is a masked line to sysfs: gpiochip_line_is_valid() says no */
	if (vgc_chip_line_status(s->chip, virt, &st) || !st.mapped)
		return -EINVAL;
	cf = vgc_uapi_open(s->chip, pid);
	if (!cf)
		return vgc_chip_is_gone(s->chip) ? -ENODEV : -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.offset = virt;
	ret = vgc_uapi_ioctl(cf, pid, GPIO_V2_GET_LINEINFO_IOCTL, &info, sizeof(info), &info,
			     &out_len, &req);
	if (ret)
		goto out_close;
	/*
	 * Like gpiod_request(), the line keeps its direction: an input is asked
	 * for as an input (which an input-only rule allows), anything else as is.
	 */
	memset(&lr, 0, sizeof(lr));
	lr.offsets[0] = virt;
	lr.num_lines = 1;
	if (!(info.flags & GPIO_V2_LINE_FLAG_OUTPUT))
		lr.config.flags = GPIO_V2_LINE_FLAG_INPUT;
	snprintf(lr.consumer, sizeof(lr.consumer), "%s", SYSFS_CONSUMER);
	out_len = sizeof(out);
	ret = vgc_uapi_ioctl(cf, pid, GPIO_V2_GET_LINE_IOCTL, &lr, sizeof(lr), &out, &out_len,
			     &req);
	if (ret)
		goto out_close;
	l->f = vgc_uapi_open_req(req, pid);
	if (!l->f) {
		ret = -ENOMEM;
		goto out_free_req;
	}
	l->out = info.flags & GPIO_V2_LINE_FLAG_OUTPUT;
	l->active_low = false;
	l->edge = EDGE_NONE;
	vgc_uapi_release(cf);
	return (ssize_t)len;

out_free_req:
	vgc_uapi_req_free(req);
out_close:
	vgc_uapi_release(cf);
	return ret;
}

ssize_t vgc_sysfs_unexport(struct vgc_sysfs *s, pid_t pid, const char *buf, size_t len,
			   uint32_t *virt_out)
{
	uint32_t virt;
	int ret;

	(void)pid;
	ret = sysfs_parse_gpio(s, buf, len, &virt);
	if (ret)
		return ret;
	/* a line sysfs did not export */
	if (!s->lines[virt].f)
		return -EINVAL;
	sysfs_line_drop(&s->lines[virt]);
	*virt_out = virt;
	return (ssize_t)len;
}

bool vgc_sysfs_exported(const struct vgc_sysfs *s, uint32_t virt)
{
	return virt < s->num_lines && s->lines[virt].f;
}

ssize_t vgc_sysfs_show(struct vgc_sysfs *s, uint32_t virt, enum vgc_sysfs_attr attr,
		       char *buf, size_t size)
{
	struct sysfs_line *l;
	int value, ret;

	if (!vgc_sysfs_exported(s, virt))
		return -ENODEV;
	l = &s->lines[virt];
	switch (attr) {
	case VGC_SYSFS_DIRECTION:
		return snprintf(buf, size, "%s\n", l->out ? "out" : "in");
	case VGC_SYSFS_VALUE:
		ret = sysfs_get(l, 0, &value);
		return ret ? ret : snprintf(buf, size, "%d\n", value);
	case VGC_SYSFS_EDGE:
		return snprintf(buf, size, "%s\n", sysfs_edge_names[l->edge]);
	case VGC_SYSFS_ACTIVE_LOW:
		return snprintf(buf, size, "%d\n", l->active_low);
	default:
		return -EINVAL;
	}
}

/* "high" and "low" are physical levels, "out" is low, "in" an input. */
static int sysfs_store_direction(struct sysfs_line *l, pid_t pid, const char *buf, size_t len)
{
	struct sysfs_line want = *l;
	int level = 0, ret;

	if (vgc_sysfs_streq(buf, len, "high")) {
		want.out = true;
		level = 1;
	} else if (vgc_sysfs_streq(buf, len, "out") || vgc_sysfs_streq(buf, len, "low")) {
		want.out = true;
	} else if (vgc_sysfs_streq(buf, len, "in")) {
		want.out = false;
	} else {
		return -EINVAL;
	}
	ret = sysfs_config(l, pid, sysfs_flags(&want), level ^ l->active_low);
	if (!ret)
		l->out = want.out;
	return ret;
}

static int sysfs_store_value(struct sysfs_line *l, pid_t pid, const char *buf, size_t len)
{
	struct gpio_v2_line_values lv = { .mask = 1 };
	long v;
	int ret = vgc_sysfs_strtol(buf, len, &v);

	/* the direction is checked first: an input refuses any text with EPERM */
	if (!l->out)
		return -EPERM;
	if (ret)
		return ret;
	/* gpiod_set_value() takes an int: any non-zero int is high */
	lv.bits = (int)v != 0;
	return sysfs_ioctl(l, pid, GPIO_V2_LINE_SET_VALUES_IOCTL, &lv, NULL);
}

static int sysfs_store_edge(struct sysfs_line *l, pid_t pid, const char *buf, size_t len)
{
	struct sysfs_line want = *l;
	int ret = -EINVAL;

	for (unsigned int i = 0; i < 4; i++)
		if (vgc_sysfs_streq(buf, len, sysfs_edge_names[i]))
			want.edge = (enum sysfs_edge)i, ret = 0;
	if (ret)
		return ret;
	if (want.edge == l->edge)
		return 0;
	/* gpiochip_lock_as_irq() refuses an output */
	if (want.edge != EDGE_NONE && l->out)
		return -EIO;
	ret = sysfs_config(l, pid, sysfs_flags(&want), 0);
	if (!ret)
		l->edge = want.edge;
	return ret;
}

static int sysfs_store_active_low(struct sysfs_line *l, pid_t pid, const char *buf, size_t len)
{
	struct sysfs_line want = *l;
	int value = 0, ret;
	long v;

	ret = vgc_sysfs_strtol(buf, len, &v);
	if (ret)
		return ret;
	want.active_low = v != 0;
	if (want.active_low == l->active_low)
		return 0;
	/* an output keeps its physical level: the logical value flips */
	if (l->out) {
		ret = sysfs_get(l, pid, &value);
		if (ret)
			return ret;
		value = !value;
	}
	ret = sysfs_config(l, pid, sysfs_flags(&want), value);
	if (!ret)
		l->active_low = want.active_low;
	return ret;
}

ssize_t vgc_sysfs_store(struct vgc_sysfs *s, pid_t pid, uint32_t virt,
			enum vgc_sysfs_attr attr, const char *buf, size_t len)
{
	struct sysfs_line *l;
	int ret;

	if (!vgc_sysfs_exported(s, virt))
		return -ENODEV;
	l = &s->lines[virt];
	switch (attr) {
	case VGC_SYSFS_DIRECTION:
		ret = sysfs_store_direction(l, pid, buf, len);
		break;
	case VGC_SYSFS_VALUE:
		ret = sysfs_store_value(l, pid, buf, len);
		break;
	case VGC_SYSFS_EDGE:
		ret = sysfs_store_edge(l, pid, buf, len);
		break;
	case VGC_SYSFS_ACTIVE_LOW:
		ret = sysfs_store_active_low(l, pid, buf, len);
		break;
	default:
		ret = -EINVAL;
	}
	return ret ? ret : (ssize_t)len;
}

unsigned int vgc_sysfs_drain(struct vgc_sysfs *s)
{
	struct gpio_v2_line_event ev[16];
	unsigned int changed = 0;
	bool gone = vgc_chip_is_gone(s->chip);

	for (unsigned int i = 0; i < s->num_lines; i++) {
		struct sysfs_line *l = &s->lines[i];
		bool got = false;

		if (!l->f)
			continue;
		/* the chip went: its lines are in their release states already */
		if (gone) {
			sysfs_line_drop(l);
			changed++;
			continue;
		}
		/* the kernel's irq handler only notifies: the events themselves are not kept */
		while (vgc_uapi_read(l->f, ev, sizeof(ev)) > 0)
			got = true;
		if (got) {
			l->events++;
			changed++;
		}
	}
	return changed;
}

uint64_t vgc_sysfs_events(const struct vgc_sysfs *s, uint32_t virt)
{
	return virt < s->num_lines ? s->lines[virt].events : 0;
}

ssize_t vgc_sysfs_chip_show(struct vgc_sysfs *s, const char *name, char *buf, size_t size)
{
	if (!strcmp(name, "base"))
		return snprintf(buf, size, "%u\n", s->base);
	if (!strcmp(name, "label"))
		return snprintf(buf, size, "%s\n", s->label);
	if (!strcmp(name, "ngpio"))
		return snprintf(buf, size, "%u\n", s->num_lines);
	return -ENOENT;
}
