// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The v1 ABI (libgpiod 1.6), done the kernel's way: line info and change
 * records are converted from v2, and handle and event requests become v2
 * line configs served by the same request object.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

void vgc_v1_info_from_v2(const struct gpio_v2_line_info *v2, struct gpioline_info *v1)
{
	static const struct {
		uint64_t v2;
		uint32_t v1;
	} conv[] = {
		{ GPIO_V2_LINE_FLAG_USED, GPIOLINE_FLAG_KERNEL },
		{ GPIO_V2_LINE_FLAG_OUTPUT, GPIOLINE_FLAG_IS_OUT },
		{ GPIO_V2_LINE_FLAG_ACTIVE_LOW, GPIOLINE_FLAG_ACTIVE_LOW },
		{ GPIO_V2_LINE_FLAG_OPEN_DRAIN, GPIOLINE_FLAG_OPEN_DRAIN },
		{ GPIO_V2_LINE_FLAG_OPEN_SOURCE, GPIOLINE_FLAG_OPEN_SOURCE },
		{ GPIO_V2_LINE_FLAG_BIAS_PULL_UP, GPIOLINE_FLAG_BIAS_PULL_UP },
		{ GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN, GPIOLINE_FLAG_BIAS_PULL_DOWN },
		{ GPIO_V2_LINE_FLAG_BIAS_DISABLED, GPIOLINE_FLAG_BIAS_DISABLE },
	};

	memcpy(v1->name, v2->name, sizeof(v1->name));
	memcpy(v1->consumer, v2->consumer, sizeof(v1->consumer));
	v1->line_offset = v2->offset;
	v1->flags = 0;
	for (size_t i = 0; i < sizeof(conv) / sizeof(conv[0]); i++)
		if (v2->flags & conv[i].v2)
			v1->flags |= conv[i].v1;
}

void vgc_v1_changed_from_v2(const struct gpio_v2_line_info_changed *v2,
			    struct gpioline_info_changed *v1)
{
	memset(v1, 0, sizeof(*v1));
	vgc_v1_info_from_v2(&v2->info, &v1->info);
	v1->timestamp = v2->timestamp_ns;
	v1->event_type = v2->event_type;
}

int vgc_v1_lineinfo(struct vgc_chip *chip, const struct gpioline_info *in,
		    struct gpioline_info *out)
{
	struct gpio_v2_line_info v2;
	int ret = vgc_chip_line_info(chip, in->line_offset, &v2);

	if (ret)
		return ret;
	vgc_v1_info_from_v2(&v2, out);
	return 0;
}

/* A v1 handle's flags and default values as a v2 config for num lines. */
static void v1_config(uint32_t flags, const uint8_t *values, unsigned int num,
		      struct gpio_v2_line_config *lc)
{
	memset(lc, 0, sizeof(*lc));
	lc->flags = vgc_v1_flags_to_v2(flags);
	if (!(flags & GPIOHANDLE_REQUEST_OUTPUT))
		return;
	lc->num_attrs = 1;
	lc->attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	for (unsigned int i = 0; i < num; i++) {
		lc->attrs[0].mask |= 1ULL << i;
		if (values[i])
			lc->attrs[0].attr.values |= 1ULL << i;
	}
}

int vgc_v1_handle_create(struct vgc_chip *chip, const struct gpiohandle_request *hr,
			 struct gpiohandle_request *out, struct vgc_req **req)
{
	struct gpio_v2_line_config lc;
	int ret;

	/* one to 64 lines */
	if (hr->lines == 0 || hr->lines > GPIOHANDLES_MAX)
		return -EINVAL;
	ret = vgc_v1_handle_flags_validate(hr->flags);
	if (ret)
		return ret;
	v1_config(hr->flags, hr->default_values, hr->lines, &lc);
	ret = vgc_linereq_create(chip, VGC_REQ_V1_HANDLE, hr->lineoffsets, hr->lines, &lc,
				 hr->consumer_label, 0, req);
	if (ret)
		return ret;
	*out = *hr;
	out->fd = -1;
	return 0;
}

int vgc_v1_event_create(struct vgc_chip *chip, const struct gpioevent_request *er,
			struct gpioevent_request *out, struct vgc_req **req)
{
	const uint32_t bias = GPIOHANDLE_REQUEST_BIAS_PULL_UP | GPIOHANDLE_REQUEST_BIAS_PULL_DOWN |
			      GPIOHANDLE_REQUEST_BIAS_DISABLE;
	const uint32_t valid = GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT |
			       GPIOHANDLE_REQUEST_ACTIVE_LOW | GPIOHANDLE_REQUEST_OPEN_DRAIN |
			       GPIOHANDLE_REQUEST_OPEN_SOURCE | bias;
	struct gpio_v2_line_config lc;
	uint32_t lflags = er->handleflags, eflags = er->eventflags;
	int ret;

	/* offset must name a line; checked before the flags */
	if (er->lineoffset >= chip->num_lines)
		return -EINVAL;
	/* unknown handle or event flags */
	if ((lflags & ~valid) || (eflags & ~(uint32_t)GPIOEVENT_REQUEST_BOTH_EDGES))
		return -EINVAL;
	/* events come from inputs only */
	if (lflags & (GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_OPEN_DRAIN |
		      GPIOHANDLE_REQUEST_OPEN_SOURCE))
		return -EINVAL;
	/* only one bias */
	if (((lflags & GPIOHANDLE_REQUEST_BIAS_DISABLE) &&
	     (lflags & (GPIOHANDLE_REQUEST_BIAS_PULL_DOWN | GPIOHANDLE_REQUEST_BIAS_PULL_UP))) ||
	    ((lflags & GPIOHANDLE_REQUEST_BIAS_PULL_DOWN) &&
	     (lflags & GPIOHANDLE_REQUEST_BIAS_PULL_UP)))
		return -EINVAL;
	memset(&lc, 0, sizeof(lc));
	lc.flags = vgc_v1_flags_to_v2(lflags) | GPIO_V2_LINE_FLAG_INPUT;
	if (eflags & GPIOEVENT_REQUEST_RISING_EDGE)
		lc.flags |= GPIO_V2_LINE_FLAG_EDGE_RISING;
	if (eflags & GPIOEVENT_REQUEST_FALLING_EDGE)
		lc.flags |= GPIO_V2_LINE_FLAG_EDGE_FALLING;
	ret = vgc_linereq_create(chip, VGC_REQ_V1_EVENT, &er->lineoffset, 1, &lc,
				 er->consumer_label, 0, req);
	if (ret)
		return ret;
	*out = *er;
	out->fd = -1;
	return 0;
}

static int v1_get_values(struct vgc_req *req, struct gpiohandle_data *ghd)
{
	uint64_t bits = 0;
	int ret = vgc_linereq_get_values(req, ~0ULL, &bits);

	if (ret)
		return ret;
	memset(ghd, 0, sizeof(*ghd));
	for (unsigned int i = 0; i < req->num_lines; i++)
		ghd->values[i] = (bits >> i) & 1;
	return 0;
}

static int v1_set_config(struct vgc_req *req, const struct gpiohandle_config *gc)
{
	struct gpio_v2_line_config lc;
	int ret = vgc_v1_handle_flags_validate(gc->flags);

	if (ret)
		return ret;
	/* lines must be reconfigured explicitly as input or output */
	if (!(gc->flags & (GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT)))
		return -EINVAL;
	v1_config(gc->flags, gc->default_values, req->num_lines, &lc);
	return vgc_linereq_set_config(req, &lc);
}

int vgc_v1_req_ioctl(struct vgc_req *req, unsigned int cmd, const void *in, void *out,
		     size_t *out_len)
{
	const struct gpiohandle_data *ghd = in;
	uint64_t bits = 0;

	*out_len = 0;
	if (cmd == GPIOHANDLE_GET_LINE_VALUES_IOCTL) {
		*out_len = sizeof(struct gpiohandle_data);
		return v1_get_values(req, out);
	}
	/* an event request only reads its value */
	if (req->kind == VGC_REQ_V1_EVENT)
		return -EINVAL;
	switch (cmd) {
	case GPIOHANDLE_SET_LINE_VALUES_IOCTL:
		/* the lines share their flags: the first says whether they are outputs */
		if (!req->is_out[0])
			return -EPERM;
		for (unsigned int i = 0; i < req->num_lines; i++)
			if (ghd->values[i])
				bits |= 1ULL << i;
		return vgc_linereq_set_values(req, ~0ULL, bits);
	case GPIOHANDLE_SET_CONFIG_IOCTL:
		return v1_set_config(req, in);
	default:
		return -EINVAL;
	}
}
