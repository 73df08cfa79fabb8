// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-uapi's IOCTL operation: a command (one of the ABI's, a random 0xB4
 * one, or any number), argument bytes (raw, or a template that is close to
 * valid and then patched), buffers of the right or the wrong length, and the
 * checks of the answer: the kernel's errno, nothing copied back on error,
 * and on success exactly what the command returns.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "uapi-model.h"

#define IOCTL_ARG_MAX 1024	/* a random command's buffer is cut to this */
#define IOCTL_MAX_PENDING 8

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define AL GPIO_V2_LINE_FLAG_ACTIVE_LOW
#define BOTH (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)

/* Flag sets a template picks from: mostly valid, a few of each kind of wrong. */
static const uint64_t ioctl_v2_flags[16] = {
	IN, OUT, IN | GPIO_V2_LINE_FLAG_EDGE_RISING, IN | GPIO_V2_LINE_FLAG_EDGE_FALLING,
	IN | BOTH, IN | BOTH | GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME, IN | AL | BOTH,
	IN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP, IN | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN | BOTH,
	IN | GPIO_V2_LINE_FLAG_BIAS_DISABLED, OUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN,
	OUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE | AL, OUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP, 0,
	IN | GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE, IN | OUT,
};
static const uint32_t ioctl_v1_flags[8] = {
	GPIOHANDLE_REQUEST_INPUT, GPIOHANDLE_REQUEST_OUTPUT,
	GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_ACTIVE_LOW,
	GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_OPEN_DRAIN,
	GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_OPEN_SOURCE,
	GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_BIAS_PULL_UP,
	GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_BIAS_DISABLE, 0,
};
static const uint32_t ioctl_debounce_us[4] = { 0, 1, 50, 5000 };

static unsigned int ioctl_decode_cmd(struct fz_input *in)
{
	uint8_t b = in_u8(in);
	unsigned int dir, nr, size;

	/* the ABI's commands get more of the byte's values than the rest */
	if (b < 0x80)
		return fz_cmds[b % FZ_NUM_CMDS];
	if (b >= FZ_CMD_RAW)
		return (unsigned int)in_uint(in, 4);
	dir = in_u8(in) & 3;
	nr = in_u8(in);
	size = in_uint(in, 2) & _IOC_SIZEMASK;
	return _IOC(dir, 0xB4, nr, size);
}

/* A virtual offset: small ones, or counted down from the chip's last line. */
static uint32_t ioctl_offset(struct fz_input *in, unsigned int chip)
{
	uint8_t b = in_u8(in);

	return b & 0x80 ? fz.chips[chip].num_lines - 1 - (b & 0x7f) : b;
}

static unsigned int ioctl_num_lines(struct fz_input *in)
{
	uint8_t b = in_u8(in);

	return b & 0x40 ? b % 64 + 1 : b % 4 + 1;
}

static void ioctl_consumer(struct fz_input *in, char *consumer)
{
	/* short labels, and now and then one that fills all 32 bytes */
	uint8_t b = in_u8(in);

	if (b == 0xff)
		memset(consumer, 'x', GPIO_MAX_NAME_SIZE);
	else
		snprintf(consumer, GPIO_MAX_NAME_SIZE, "fz%u", b % 8);
}

static uint64_t ioctl_bits(struct fz_input *in)
{
	return in_uint(in, 8);
}

static void ioctl_template_config(struct fz_input *in, struct gpio_v2_line_config *lc,
				  uint32_t *event_buffer_size)
{
	uint8_t opts;
	unsigned int n = 0;

	lc->flags = ioctl_v2_flags[in_u8(in) % 16];
	opts = in_u8(in);
	if (opts & 1) {
		lc->attrs[n].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
		lc->attrs[n].attr.debounce_period_us = ioctl_debounce_us[in_u8(in) % 4];
		lc->attrs[n++].mask = ioctl_bits(in);
	}
	if (opts & 2) {
		lc->attrs[n].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		lc->attrs[n].attr.values = ioctl_bits(in);
		lc->attrs[n++].mask = ioctl_bits(in);
	}
	if (opts & 4) {
		lc->attrs[n].attr.id = GPIO_V2_LINE_ATTR_ID_FLAGS;
		lc->attrs[n].attr.flags = ioctl_v2_flags[in_u8(in) % 16];
		lc->attrs[n++].mask = 1ULL << (in_u8(in) % 64);
	}
	lc->num_attrs = n;
	if ((opts & 8) && event_buffer_size)
		*event_buffer_size = in_u8(in);
}

static void ioctl_template_v1_values(struct fz_input *in, uint8_t *values)
{
	uint64_t bits = ioctl_bits(in);

	for (unsigned int i = 0; i < GPIOHANDLES_MAX; i++)
		values[i] = (bits >> i) & 1;
}

/* Close to a valid argument for cmd, so the checks past validation get reached. */
static void ioctl_template(struct fz_input *in, unsigned int cmd, unsigned int chip, void *arg)
{
	struct gpio_v2_line_request *lr = arg;
	struct gpiohandle_request *hr = arg;
	struct gpioevent_request *er = arg;
	struct gpio_v2_line_values *lv = arg;
	struct gpiohandle_config *hc = arg;

	switch (cmd) {
	case GPIO_V2_GET_LINE_IOCTL:
		lr->num_lines = ioctl_num_lines(in);
		for (unsigned int i = 0; i < lr->num_lines; i++)
			lr->offsets[i] = ioctl_offset(in, chip);
		ioctl_template_config(in, &lr->config, &lr->event_buffer_size);
		ioctl_consumer(in, lr->consumer);
		break;
	case GPIO_V2_LINE_SET_CONFIG_IOCTL:
		ioctl_template_config(in, arg, NULL);
		break;
	case GPIO_V2_LINE_GET_VALUES_IOCTL:
	case GPIO_V2_LINE_SET_VALUES_IOCTL:
		lv->mask = ioctl_bits(in);
		lv->bits = ioctl_bits(in);
		break;
	case GPIO_V2_GET_LINEINFO_IOCTL:
	case GPIO_V2_GET_LINEINFO_WATCH_IOCTL:
		((struct gpio_v2_line_info *)arg)->offset = ioctl_offset(in, chip);
		break;
	case GPIO_GET_LINEINFO_IOCTL:
	case GPIO_GET_LINEINFO_WATCH_IOCTL:
		((struct gpioline_info *)arg)->line_offset = ioctl_offset(in, chip);
		break;
	case GPIO_GET_LINEINFO_UNWATCH_IOCTL:
		*(uint32_t *)arg = ioctl_offset(in, chip);
		break;
	case GPIO_GET_LINEHANDLE_IOCTL:
		hr->lines = ioctl_num_lines(in);
		for (unsigned int i = 0; i < hr->lines; i++)
			hr->lineoffsets[i] = ioctl_offset(in, chip);
		hr->flags = ioctl_v1_flags[in_u8(in) % 8];
		ioctl_template_v1_values(in, hr->default_values);
		ioctl_consumer(in, hr->consumer_label);
		break;
	case GPIO_GET_LINEEVENT_IOCTL:
		er->lineoffset = ioctl_offset(in, chip);
		er->handleflags = ioctl_v1_flags[in_u8(in) % 8];
		er->eventflags = in_u8(in) % 4;
		ioctl_consumer(in, er->consumer_label);
		break;
	case GPIOHANDLE_SET_LINE_VALUES_IOCTL:
		ioctl_template_v1_values(in, ((struct gpiohandle_data *)arg)->values);
		break;
	case GPIOHANDLE_SET_CONFIG_IOCTL:
		hc->flags = ioctl_v1_flags[in_u8(in) % 8];
		ioctl_template_v1_values(in, hc->default_values);
		break;
	default:
		break;
	}
}

static void ioctl_decode_arg(struct fz_input *in, unsigned int cmd, unsigned int chip,
			     unsigned char *arg, size_t size)
{
	uint8_t mode = in_u8(in);
	unsigned int patches = (mode >> 2) & 7;

	memset(arg, (mode & 3) == FZ_ARG_ONES ? 0xff : 0, size);
	if ((mode & 3) == FZ_ARG_RAW)
		in_bytes(in, arg, size);
	else if ((mode & 3) == FZ_ARG_TEMPLATE && size == vgc_uapi_ioctl_size(cmd) && size)
		ioctl_template(in, cmd, chip, arg);
	for (unsigned int i = 0; i < patches && size; i++) {
		size_t off = in_uint(in, 2) % size;
		size_t len = (in_u8(in) & 31) + 1;

		in_bytes(in, arg + off, len < size - off ? len : size - off);
	}
}

/* A buffer length from its mode: right, short, long, or none at all. */
static size_t ioctl_len(struct fz_input *in, unsigned int mode, size_t size)
{
	switch (mode) {
	case FZ_LEN_SHORT:
		return size ? size - 1 - in_u8(in) % size : 0;
	case FZ_LEN_LONG:
		return size + in_u8(in);
	case FZ_LEN_NONE:
		return 0;
	default:
		return size;
	}
}

static bool ioctl_is_linereq(unsigned int cmd)
{
	return cmd == GPIO_V2_GET_LINE_IOCTL || cmd == GPIO_GET_LINEHANDLE_IOCTL ||
	       cmd == GPIO_GET_LINEEVENT_IOCTL;
}

/* Whether cmd may succeed on the file in slot s at all. */
static bool ioctl_fits_file(const struct fz_slot *s, unsigned int cmd)
{
	unsigned int kind = s->req < 0 ? 0 : fz.reqs[s->req].cmd;

	switch (cmd) {
	case GPIO_GET_CHIPINFO_IOCTL:
	case GPIO_GET_LINEINFO_UNWATCH_IOCTL:
	case GPIO_V2_GET_LINEINFO_IOCTL:
	case GPIO_V2_GET_LINEINFO_WATCH_IOCTL:
	case GPIO_V2_GET_LINE_IOCTL:
	case GPIO_GET_LINEINFO_IOCTL:
	case GPIO_GET_LINEHANDLE_IOCTL:
	case GPIO_GET_LINEEVENT_IOCTL:
	case GPIO_GET_LINEINFO_WATCH_IOCTL:
		return !kind;
	case GPIO_V2_LINE_SET_CONFIG_IOCTL:
	case GPIO_V2_LINE_GET_VALUES_IOCTL:
	case GPIO_V2_LINE_SET_VALUES_IOCTL:
		return kind == GPIO_V2_GET_LINE_IOCTL;
	case GPIOHANDLE_GET_LINE_VALUES_IOCTL:
		return kind == GPIO_GET_LINEHANDLE_IOCTL || kind == GPIO_GET_LINEEVENT_IOCTL;
	case GPIOHANDLE_SET_LINE_VALUES_IOCTL:
	case GPIOHANDLE_SET_CONFIG_IOCTL:
		return kind == GPIO_GET_LINEHANDLE_IOCTL;
	default:
		return false;
	}
}

static unsigned int ioctl_num_pending(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < FZ_MAX_REQS; i++)
		n += fz.reqs[i].live && fz.reqs[i].slot < 0;
	return n;
}

/* Keep a request the core just created, as the front end would. */
static void ioctl_new_req(struct fz_slot *s, unsigned int cmd, const void *arg,
			  struct vgc_req *vreq, uint8_t dispo)
{
	const struct gpio_v2_line_request *lr = arg;
	const struct gpiohandle_request *hr = arg;
	const struct gpioevent_request *er = arg;
	bool room = ioctl_num_pending() < IOCTL_MAX_PENDING;
	struct fz_req *r = NULL;

	for (unsigned int i = 0; i < FZ_MAX_REQS && !r; i++)
		if (!fz.reqs[i].live)
			r = &fz.reqs[i];
	FZ_CHECK(r, "more live requests than files and pending slots");
	memset(r, 0, sizeof(*r));
	r->live = true;
	r->chip = s->chip;
	r->cmd = cmd;
	r->vreq = vreq;
	r->slot = -1;
	if (cmd == GPIO_V2_GET_LINE_IOCTL) {
		r->num = lr->num_lines;
		memcpy(r->virt, lr->offsets, r->num * sizeof(r->virt[0]));
		fz_model_cut(r->consumer, lr->consumer);
	} else if (cmd == GPIO_GET_LINEHANDLE_IOCTL) {
		r->num = hr->lines;
		memcpy(r->virt, hr->lineoffsets, r->num * sizeof(r->virt[0]));
		fz_model_cut(r->consumer, hr->consumer_label);
	} else {
		r->num = 1;
		r->virt[0] = er->lineoffset;
		fz_model_cut(r->consumer, er->consumer_label);
	}
	fz_trace("  new request %d of %u lines, '%s'\n", (int)(r - fz.reqs), r->num, r->consumer);
	/* no room to keep it waiting: dropped, as when an injection fails */
	if (dispo % FZ_NUM_DISPO == FZ_DISPO_FREE || !room)
		fz_req_free(r);
	else if (dispo % FZ_NUM_DISPO == FZ_DISPO_OPEN)
		fz_req_open(r, s->client);
}

static void ioctl_remember_consumer(const struct fz_slot *s, unsigned int cmd, const void *arg)
{
	if (cmd == GPIO_V2_GET_LINE_IOCTL)
		fz_model_remember(s->chip, ((const struct gpio_v2_line_request *)arg)->consumer);
	else if (cmd == GPIO_GET_LINEHANDLE_IOCTL)
		fz_model_remember(s->chip, ((const struct gpiohandle_request *)arg)->consumer_label);
	else if (cmd == GPIO_GET_LINEEVENT_IOCTL)
		fz_model_remember(s->chip, ((const struct gpioevent_request *)arg)->consumer_label);
}

static bool ioctl_is_kernel_errno(int ret)
{
	return ret == -EINVAL || ret == -EBUSY || ret == -EPERM || ret == -EFAULT ||
	       ret == -EOPNOTSUPP;
}

static void ioctl_watched(struct fz_slot *s, int abi)
{
	FZ_CHECK(!s->watch_abi || s->watch_abi == abi, "a v%d watch on a v%d fd succeeded", abi,
		 s->watch_abi);
	s->watch_abi = abi;
}

/* What a successful command returned. */
static void ioctl_check_out(struct fz_slot *s, unsigned int cmd, const unsigned char *arg,
			    const unsigned char *out, size_t out_len)
{
	size_t size = vgc_uapi_ioctl_size(cmd);
	const struct fz_chip *c = &fz.chips[s->chip];

	switch (cmd) {
	case GPIO_GET_CHIPINFO_IOCTL: {
		const struct gpiochip_info *ci = (const void *)out;

		FZ_CHECK(out_len == size && !strcmp(ci->name, "gpiochip0") &&
				 !strcmp(ci->label, "vgpiochip-fuzz") && ci->lines == c->num_lines,
			 "chip info");
		break;
	}
	case GPIO_V2_GET_LINEINFO_WATCH_IOCTL:
		ioctl_watched(s, 2);
		/* fall through */
	case GPIO_V2_GET_LINEINFO_IOCTL:
		FZ_CHECK(out_len == size, "line info out_len %zu", out_len);
		fz_model_check_info(s->chip, ((const struct gpio_v2_line_info *)arg)->offset,
				    (const void *)out);
		break;
	case GPIO_GET_LINEINFO_WATCH_IOCTL:
		ioctl_watched(s, 1);
		/* fall through */
	case GPIO_GET_LINEINFO_IOCTL:
		FZ_CHECK(out_len == size, "v1 line info out_len %zu", out_len);
		fz_model_check_info_v1(s->chip, ((const struct gpioline_info *)arg)->line_offset,
				       (const void *)out);
		break;
	case GPIO_V2_LINE_GET_VALUES_IOCTL: {
		const struct gpio_v2_line_values *in = (const void *)arg, *lv = (const void *)out;
		unsigned int num = fz.reqs[s->req].num;
		uint64_t lines = num == 64 ? ~0ULL : (1ULL << num) - 1;

		FZ_CHECK(out_len == size && lv->mask == in->mask && !(lv->bits & ~(in->mask & lines)),
			 "get values: mask 0x%llx bits 0x%llx", (unsigned long long)lv->mask,
			 (unsigned long long)lv->bits);
		break;
	}
	case GPIOHANDLE_GET_LINE_VALUES_IOCTL: {
		const struct gpiohandle_data *hd = (const void *)out;

		FZ_CHECK(out_len == size, "v1 get values out_len %zu", out_len);
		for (unsigned int i = 0; i < GPIOHANDLES_MAX; i++)
			FZ_CHECK(hd->values[i] <= (i < fz.reqs[s->req].num),
				 "v1 value %u is %u", i, hd->values[i]);
		break;
	}
	case GPIO_V2_GET_LINE_IOCTL:
	case GPIO_GET_LINEHANDLE_IOCTL:
	case GPIO_GET_LINEEVENT_IOCTL: {
		_Alignas(16) unsigned char want[sizeof(struct gpio_v2_line_request)];
		int32_t no_fd = -1;

		/* the request as passed, its fd still to be filled in */
		memcpy(want, arg, size);
		memcpy(want + vgc_uapi_fd_offset(cmd), &no_fd, sizeof(no_fd));
		FZ_CHECK(out_len == size && !memcmp(want, out, size), "request struct returned");
		break;
	}
	default:
		FZ_CHECK(out_len == 0, "cmd 0x%x copied back %zu bytes", cmd, out_len);
		break;
	}
}

void fz_op_ioctl(struct fz_input *in)
{
	struct fz_slot *s = fz_slot_at(in_u8(in));
	unsigned int cmd = ioctl_decode_cmd(in);
	uint8_t lens = in_u8(in), dispo = in_u8(in);
	size_t size = vgc_uapi_ioctl_size(cmd);
	size_t arg_size = size ? size : _IOC_SIZE(cmd) < IOCTL_ARG_MAX ? _IOC_SIZE(cmd) : IOCTL_ARG_MAX;
	size_t in_len = ioctl_len(in, lens & 3, arg_size);
	size_t out_cap = ioctl_len(in, (lens >> 2) & 3, size ? size : IOCTL_ARG_MAX);
	size_t out_len = out_cap;
	_Alignas(16) unsigned char arg[IOCTL_ARG_MAX];
	unsigned char *inbuf, *outbuf;
	struct vgc_req *vreq = (void *)1;
	int ret;

	ioctl_decode_arg(in, cmd, s ? s->chip : 0, arg, arg_size);
	fz_trace("ioctl slot %ld cmd 0x%08x in %zu out %zu dispo %u\n",
		 s ? (long)(s - fz.slots) : -1L, cmd, in_len, out_cap, dispo % FZ_NUM_DISPO);
	if (!s)
		return;
	/* buffers of exactly the lengths given, so any access past them is caught */
	inbuf = in_len ? calloc(1, in_len) : NULL;
	outbuf = out_cap ? malloc(out_cap) : NULL;
	FZ_CHECK((!in_len || inbuf) && (!out_cap || outbuf), "malloc");
	if (in_len)
		memcpy(inbuf, arg, in_len < arg_size ? in_len : arg_size);
	if (out_cap)
		memset(outbuf, 0xa5, out_cap);
	if (s->req < 0)
		ioctl_remember_consumer(s, cmd, arg);

	ret = vgc_uapi_ioctl(s->f, 1000 + s->client, cmd, inbuf, in_len, outbuf, &out_len, &vreq);
	fz_trace("  -> %d (%s), out_len %zu%s\n", ret, ret ? strerror(-ret) : "ok", out_len,
		 vreq ? ", new request" : "");

	FZ_CHECK(ret <= 0 && (!ret || ioctl_is_kernel_errno(ret)),
		 "cmd 0x%x answered %d, not an errno of the kernel's chardev", cmd, ret);
	if (!size)
		FZ_CHECK(ret == -EINVAL, "unknown cmd 0x%x answered %d", cmd, ret);
	else if (in_len < size || out_cap < size)
		FZ_CHECK(ret == -EFAULT, "cmd 0x%x with in %zu out %zu of %zu answered %d", cmd,
			 in_len, out_cap, size, ret);
	if (ret) {
		FZ_CHECK(!out_len && !vreq, "cmd 0x%x failed but returned data or a request", cmd);
	} else {
		FZ_CHECK(ioctl_fits_file(s, cmd), "cmd 0x%x succeeded on the wrong kind of file", cmd);
		FZ_CHECK(out_len <= out_cap, "out_len grew to %zu of %zu", out_len, out_cap);
		FZ_CHECK(!vreq == !ioctl_is_linereq(cmd), "cmd 0x%x: new request %p", cmd,
			 (void *)vreq);
		ioctl_check_out(s, cmd, arg, outbuf, out_len);
		if (vreq)
			ioctl_new_req(s, cmd, arg, vreq, dispo);
	}
	free(inbuf);
	free(outbuf);
}
