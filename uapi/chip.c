// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chip: virtual lines over backend lines, chip fds with their line-info
 * watches, and the dispatch of every entry point to the right object.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../abi/linecfg.h"
#include "internal.h"

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, GPIO_MAX_NAME_SIZE, "%s", src ? src : "");
}

struct vgc_chip *vgc_chip_new(const struct vgc_chip_config *cfg, struct vgc_backend *be)
{
	unsigned int span = vgc_policy_map_span(cfg->map);
	unsigned int host_lines = be->ops->num_lines(be);
	struct vgc_chip *chip;

	if (cfg->num_lines && cfg->num_lines < span)
		goto err_inval;
	for (unsigned int i = 0; i < cfg->map->num; i++)
		if (cfg->map->entries[i].host >= host_lines)
			goto err_inval;
	chip = calloc(1, sizeof(*chip));
	if (!chip)
		return NULL;
	chip->num_lines = cfg->num_lines ? cfg->num_lines : span;
	if (!chip->num_lines)
		goto err_free_chip;
	chip->lines = calloc(chip->num_lines, sizeof(*chip->lines));
	if (!chip->lines)
		goto err_free_chip;
	for (unsigned int i = 0; i < chip->num_lines; i++) {
		chip->lines[i].rules = vgc_rules_default;
		chip->lines[i].level = -1;
	}
	for (unsigned int i = 0; i < cfg->map->num; i++) {
		struct vgc_vline *vl = &chip->lines[cfg->map->entries[i].virt];

		vl->ent = cfg->map->entries[i];
		vl->mapped = true;
		if (cfg->rules)
			vl->rules = cfg->rules[i];
	}
	chip->be = be;
	snprintf(chip->tenant, sizeof(chip->tenant), "%s", cfg->tenant ? cfg->tenant : "");
	copy_name(chip->name, cfg->name ? cfg->name : "gpiochip0");
	copy_name(chip->label, cfg->label ? cfg->label : "vgpiochip");
	chip->ready = cfg->ready;
	chip->ready_data = cfg->ready_data;
	chip->audit = cfg->audit;
	chip->audit_data = cfg->audit_data;
	chip->now_ns = cfg->now_ns;
	return chip;

err_free_chip:
	free(chip->lines);
	free(chip);
err_inval:
	errno = EINVAL;
	return NULL;
}

void vgc_chip_free(struct vgc_chip *chip)
{
	if (!chip)
		return;
	for (unsigned int i = 0; i < chip->num_lines; i++)
		enforce_unpark(chip, i);
	free(chip->lines);
	free(chip);
}

unsigned int vgc_chip_num_lines(const struct vgc_chip *chip)
{
	return chip->num_lines;
}

struct vgc_backend *vgc_chip_backend(const struct vgc_chip *chip)
{
	return chip->be;
}

void vgc_chip_ready(struct vgc_file *f)
{
	if (f && f->chip->ready)
		f->chip->ready(f, f->ctx, f->chip->ready_data);
}

int vgc_chip_line_info(struct vgc_chip *chip, uint32_t virt, struct gpio_v2_line_info *info)
{
	const struct vgc_vline *vl = &chip->lines[virt];
	struct gpio_v2_line_info host;
	int ret;

	memset(info, 0, sizeof(*info));
	info->offset = virt;
	if (!vl->mapped) {
		/* a hole exists but can never be had */
		info->flags = GPIO_V2_LINE_FLAG_USED | GPIO_V2_LINE_FLAG_INPUT;
		copy_name(info->consumer, VGC_HOLE_CONSUMER);
		return 0;
	}
	ret = chip->be->ops->line_info(chip->be, vl->ent.host, &host);
	if (ret)
		return ret;
	/* names come from the map only: a host name could say which host line it is */
	copy_name(info->name, vl->ent.name);
	if (vl->parked) {
		/* held by us in its release state, free for the tenant */
		info->flags = host.flags & VGC_LINE_DIRECTION_FLAGS;
	} else if (vl->holder) {
		info->flags = host.flags;
		info->num_attrs = host.num_attrs;
		memcpy(info->attrs, host.attrs, sizeof(info->attrs));
		copy_name(info->consumer, vl->holder->consumer[0] ? vl->holder->consumer : "?");
		/* a v1 event request never marks the line's edge flags in the kernel */
		if (vl->holder->kind == VGC_REQ_V1_EVENT)
			info->flags &= ~(uint64_t)VGC_LINE_EDGE_FLAGS;
	} else if (host.flags & GPIO_V2_LINE_FLAG_USED) {
		/* held by someone else on the host: say so, and nothing more */
		info->flags = GPIO_V2_LINE_FLAG_USED |
			      (host.flags & (GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_OUTPUT));
		copy_name(info->consumer, VGC_HOLE_CONSUMER);
	} else {
		/* a free line shows what the kernel keeps of a freed one, nothing of its last holder */
		info->flags = host.flags & (VGC_LINE_DIRECTION_FLAGS | VGC_LINE_CLOCK_FLAGS);
	}
	if (!(info->flags & (GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_OUTPUT)))
		info->flags |= GPIO_V2_LINE_FLAG_INPUT;
	return 0;
}

static bool watched(const struct vgc_file *f, uint32_t virt)
{
	return f->watched[virt / 64] & (1ULL << (virt % 64));
}

void vgc_chip_notify(struct vgc_chip *chip, uint32_t virt, uint32_t event_type)
{
	struct gpio_v2_line_info_changed chg;
	struct timespec ts;

	memset(&chg, 0, sizeof(chg));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	chg.timestamp_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	chg.event_type = event_type;
	if (vgc_chip_line_info(chip, virt, &chg.info))
		return;
	for (struct vgc_file *f = chip->chip_files; f; f = f->next) {
		if (!watched(f, virt))
			continue;
		/* a full queue drops the new record, as the kernel does */
		if (vgc_ring_push(&f->changed, &chg))
			vgc_chip_ready(f);
	}
}

int vgc_chip_claim_check(struct vgc_chip *chip, const uint32_t *offsets, unsigned int num,
			 unsigned int *bad)
{
	for (unsigned int i = 0; i < num; i++) {
		*bad = i;
		/* offset must name a line of the chip */
		if (offsets[i] >= chip->num_lines)
			return -EINVAL;
		/* a hole or a line already requested is busy */
		if (!chip->lines[offsets[i]].mapped || chip->lines[offsets[i]].holder)
			return -EBUSY;
		/* the same line twice in one request is busy too */
		for (unsigned int j = 0; j < i; j++)
			if (offsets[j] == offsets[i])
				return -EBUSY;
	}
	return 0;
}

static void file_link(struct vgc_file **head, struct vgc_file *f)
{
	f->prev = NULL;
	f->next = *head;
	if (f->next)
		f->next->prev = f;
	*head = f;
}

static void file_unlink(struct vgc_file **head, struct vgc_file *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		*head = f->next;
	if (f->next)
		f->next->prev = f->prev;
}

struct vgc_file *vgc_uapi_open(struct vgc_chip *chip, pid_t pid)
{
	struct vgc_file *f;

	/* the device of a removed chip cannot be opened */
	if (chip->gone) {
		errno = ENODEV;
		return NULL;
	}
	/* the daemon's memory is the host's: a tenant cannot open without bound */
	if (chip->num_chip_files >= VGC_MAX_CHIP_FILES) {
		errno = ENFILE;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->watched = calloc((chip->num_lines + 63) / 64, sizeof(uint64_t));
	if (!f->watched) {
		free(f);
		errno = ENOMEM;
		return NULL;
	}
	f->chip = chip;
	f->kind = VGC_FILE_CHIP;
	f->pid = pid;
	file_link(&chip->chip_files, f);
	chip->num_chip_files++;
	return f;
}

struct vgc_file *vgc_uapi_open_req(struct vgc_req *req, pid_t pid)
{
	struct vgc_file *f;

	if (req->file) {
		errno = EBUSY;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->chip = req->chip;
	f->kind = VGC_FILE_REQ;
	f->pid = pid;
	f->req = req;
	req->file = f;
	file_link(&req->chip->req_files, f);
	return f;
}

void vgc_uapi_set_ctx(struct vgc_file *f, void *ctx)
{
	f->ctx = ctx;
}

void vgc_uapi_release(struct vgc_file *f)
{
	if (!f)
		return;
	if (f->kind == VGC_FILE_REQ) {
		file_unlink(&f->chip->req_files, f);
		f->req->file = NULL;
		vgc_uapi_req_free(f->req);
	} else {
		file_unlink(&f->chip->chip_files, f);
		f->chip->num_chip_files--;
		vgc_ring_fini(&f->changed);
		free(f->watched);
	}
	free(f);
}

static int chip_info(struct vgc_chip *chip, struct gpiochip_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	copy_name(ci->name, chip->name);
	copy_name(ci->label, chip->label);
	ci->lines = chip->num_lines;
	return 0;
}

/* Watch rules shared by v1 and v2: one ABI per fd, one watch per line. */
static int chip_watch(struct vgc_file *f, uint32_t virt, int abi)
{
	/* v1 and v2 watches do not mix on one fd */
	if (f->watch_abi && f->watch_abi != abi)
		return -EPERM;
	f->watch_abi = abi;
	/* a line is watched once */
	if (watched(f, virt))
		return -EBUSY;
	/* the queue of changes is made at the first watch: most fds never watch */
	if (!f->changed.buf && vgc_ring_init(&f->changed, sizeof(struct gpio_v2_line_info_changed),
					     VGC_CHANGED_QUEUE, false))
		return -ENOMEM;
	f->watched[virt / 64] |= 1ULL << (virt % 64);
	return 0;
}

static int chip_lineinfo(struct vgc_file *f, const struct gpio_v2_line_info *in,
			 struct gpio_v2_line_info *out, bool watch)
{
	int ret;

	/* padding must be zero */
	if (!vgc_mem_is_zero(in->padding, sizeof(in->padding)))
		return -EINVAL;
	/* offset must name a line */
	if (in->offset >= f->chip->num_lines)
		return -EINVAL;
	if (watch) {
		ret = chip_watch(f, in->offset, 2);
		if (ret)
			return ret;
	}
	return vgc_chip_line_info(f->chip, in->offset, out);
}

static int chip_lineinfo_v1(struct vgc_file *f, const struct gpioline_info *in,
			    struct gpioline_info *out, bool watch)
{
	int ret;

	/* offset must name a line */
	if (in->line_offset >= f->chip->num_lines)
		return -EINVAL;
	if (watch) {
		ret = chip_watch(f, in->line_offset, 1);
		if (ret)
			return ret;
	}
	return vgc_v1_lineinfo(f->chip, in, out);
}

static int chip_unwatch(struct vgc_file *f, uint32_t virt)
{
	/* offset must name a line */
	if (virt >= f->chip->num_lines)
		return -EINVAL;
	/* only a watched line can be unwatched */
	if (!watched(f, virt))
		return -EBUSY;
	f->watched[virt / 64] &= ~(1ULL << (virt % 64));
	return 0;
}

static int chip_linereq(struct vgc_chip *chip, const struct gpio_v2_line_request *ulr,
			struct gpio_v2_line_request *out, struct vgc_req **req)
{
	int ret;

	/* one to 64 lines */
	if (ulr->num_lines == 0 || ulr->num_lines > GPIO_V2_LINES_MAX)
		return -EINVAL;
	/* request padding must be zero */
	if (!vgc_mem_is_zero(ulr->padding, sizeof(ulr->padding)))
		return -EINVAL;
	ret = vgc_v2_config_validate(&ulr->config, ulr->num_lines);
	if (ret)
		return ret;
	ret = vgc_linereq_create(chip, VGC_REQ_V2, ulr->offsets, ulr->num_lines, &ulr->config,
				 ulr->consumer, ulr->event_buffer_size, req);
	if (ret)
		return ret;
	*out = *ulr;
	out->fd = -1;
	return 0;
}

static int chip_ioctl(struct vgc_file *f, unsigned int cmd, const void *in, void *out,
		      struct vgc_req **req)
{
	struct vgc_chip *chip = f->chip;

	switch (cmd) {
	case GPIO_GET_CHIPINFO_IOCTL:
		return chip_info(chip, out);
	case GPIO_GET_LINEINFO_IOCTL:
		return chip_lineinfo_v1(f, in, out, false);
	case GPIO_GET_LINEINFO_WATCH_IOCTL:
		return chip_lineinfo_v1(f, in, out, true);
	case GPIO_GET_LINEHANDLE_IOCTL:
		return vgc_v1_handle_create(chip, in, out, req);
	case GPIO_GET_LINEEVENT_IOCTL:
		return vgc_v1_event_create(chip, in, out, req);
	case GPIO_V2_GET_LINEINFO_IOCTL:
		return chip_lineinfo(f, in, out, false);
	case GPIO_V2_GET_LINEINFO_WATCH_IOCTL:
		return chip_lineinfo(f, in, out, true);
	case GPIO_V2_GET_LINE_IOCTL:
		return chip_linereq(chip, in, out, req);
	case GPIO_GET_LINEINFO_UNWATCH_IOCTL:
		return chip_unwatch(f, *(const uint32_t *)in);
	default:
		return -EINVAL;
	}
}

size_t vgc_uapi_ioctl_size(unsigned int cmd)
{
	switch (cmd) {
	case GPIO_GET_CHIPINFO_IOCTL:
	case GPIO_GET_LINEINFO_IOCTL:
	case GPIO_GET_LINEINFO_WATCH_IOCTL:
	case GPIO_GET_LINEHANDLE_IOCTL:
	case GPIO_GET_LINEEVENT_IOCTL:
	case GPIO_V2_GET_LINEINFO_IOCTL:
	case GPIO_V2_GET_LINEINFO_WATCH_IOCTL:
	case GPIO_V2_GET_LINE_IOCTL:
	case GPIO_GET_LINEINFO_UNWATCH_IOCTL:
	case GPIO_V2_LINE_SET_CONFIG_IOCTL:
	case GPIO_V2_LINE_GET_VALUES_IOCTL:
	case GPIO_V2_LINE_SET_VALUES_IOCTL:
	case GPIOHANDLE_GET_LINE_VALUES_IOCTL:
	case GPIOHANDLE_SET_LINE_VALUES_IOCTL:
	case GPIOHANDLE_SET_CONFIG_IOCTL:
		return _IOC_SIZE(cmd);
	default:
		return 0;
	}
}

size_t vgc_uapi_fd_offset(unsigned int cmd)
{
	switch (cmd) {
	case GPIO_V2_GET_LINE_IOCTL:
		return offsetof(struct gpio_v2_line_request, fd);
	case GPIO_GET_LINEHANDLE_IOCTL:
		return offsetof(struct gpiohandle_request, fd);
	case GPIO_GET_LINEEVENT_IOCTL:
		return offsetof(struct gpioevent_request, fd);
	default:
		return (size_t)-1;
	}
}

int vgc_uapi_ioctl(struct vgc_file *f, pid_t caller, unsigned int cmd, const void *in,
		   size_t in_len, void *out, size_t *out_len, struct vgc_req **req)
{
	size_t size = vgc_uapi_ioctl_size(cmd);
	int ret;

	*req = NULL;
	/* a removed chip answers nothing else, whatever the command */
	if (f->chip->gone) {
		*out_len = 0;
		return -ENODEV;
	}
	f->chip->caller = caller;
	/* an unknown command is EINVAL, not ENOTTY, as the kernel answers */
	if (!size) {
		*out_len = 0;
		return -EINVAL;
	}
	/* the client's buffer could not be read in full */
	if (in_len < size || *out_len < size) {
		*out_len = 0;
		return -EFAULT;
	}
	if (f->kind == VGC_FILE_CHIP)
		ret = chip_ioctl(f, cmd, in, out, req);
	else if (f->req->kind == VGC_REQ_V2)
		ret = vgc_linereq_ioctl(f->req, cmd, in, out, out_len);
	else
		ret = vgc_v1_req_ioctl(f->req, cmd, in, out, out_len);
	if (ret) {
		*out_len = 0;
		return ret;
	}
	/* only commands that write back return data; the rest copy nothing */
	if (f->kind == VGC_FILE_CHIP)
		*out_len = cmd == GPIO_GET_LINEINFO_UNWATCH_IOCTL ? 0 : size;
	return 0;
}

static ssize_t chip_read(struct vgc_file *f, void *buf, size_t count)
{
	size_t done = 0, size;

	do {
		struct gpio_v2_line_info_changed chg;

		if (!f->changed.count)
			return done ? (ssize_t)done : -EAGAIN;
		/* the record size follows the ABI of the watches */
		size = f->watch_abi == 2 ? sizeof(chg) : sizeof(struct gpioline_info_changed);
		if (count < size)
			return -EINVAL;
		vgc_ring_pop(&f->changed, &chg);
		if (size == sizeof(chg))
			memcpy((char *)buf + done, &chg, size);
		else
			vgc_v1_changed_from_v2(&chg, (void *)((char *)buf + done));
		done += size;
		/* the kernel keeps reading only while a v2-sized record still fits */
	} while (count >= done + sizeof(struct gpio_v2_line_info_changed));
	return done;
}

ssize_t vgc_uapi_read(struct vgc_file *f, void *buf, size_t count)
{
	if (f->kind == VGC_FILE_CHIP)
		return f->chip->gone ? -ENODEV : chip_read(f, buf, count);
	return vgc_linereq_read(f->req, buf, count);
}

unsigned int vgc_uapi_poll(struct vgc_file *f)
{
	if (f->kind == VGC_FILE_CHIP && f->chip->gone)
		return POLLHUP | POLLERR;
	if (f->kind == VGC_FILE_CHIP)
		return f->changed.count ? POLLIN | POLLRDNORM : 0;
	return vgc_linereq_poll(f->req);
}
