// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Request validation, one `if` per rule, in the order of the kernel's
 * gpiolib-cdev.c so that a request breaking several rules gets the same
 * errno as from a real chip. This chip behaves as a kernel built without
 * CONFIG_HTE: the HTE clock flag is refused right after unknown flags.
 */
#include <errno.h>

#include "../abi/linecfg.h"
#include "internal.h"

/* The ABI is fixed; a header or compiler that disagrees must not build. */
_Static_assert(sizeof(struct gpiochip_info) == 68, "gpiochip_info");
_Static_assert(sizeof(struct gpio_v2_line_info) == 256, "gpio_v2_line_info");
_Static_assert(sizeof(struct gpio_v2_line_info_changed) == 288, "gpio_v2_line_info_changed");
_Static_assert(sizeof(struct gpio_v2_line_request) == 592, "gpio_v2_line_request");
_Static_assert(sizeof(struct gpio_v2_line_config) == 272, "gpio_v2_line_config");
_Static_assert(sizeof(struct gpio_v2_line_values) == 16, "gpio_v2_line_values");
_Static_assert(sizeof(struct gpio_v2_line_event) == 48, "gpio_v2_line_event");
_Static_assert(sizeof(struct gpioline_info) == 72, "gpioline_info");
_Static_assert(sizeof(struct gpioline_info_changed) == 104, "gpioline_info_changed");
_Static_assert(sizeof(struct gpiohandle_request) == 364, "gpiohandle_request");
_Static_assert(sizeof(struct gpiohandle_config) == 84, "gpiohandle_config");
_Static_assert(sizeof(struct gpiohandle_data) == 64, "gpiohandle_data");
_Static_assert(sizeof(struct gpioevent_request) == 48, "gpioevent_request");
_Static_assert(sizeof(struct gpioevent_data) == 16, "gpioevent_data");

#define VGC_V1_HANDLE_VALID_FLAGS                                                  \
	(GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT |                    \
	 GPIOHANDLE_REQUEST_ACTIVE_LOW | GPIOHANDLE_REQUEST_OPEN_DRAIN |           \
	 GPIOHANDLE_REQUEST_OPEN_SOURCE | GPIOHANDLE_REQUEST_BIAS_PULL_UP |        \
	 GPIOHANDLE_REQUEST_BIAS_PULL_DOWN | GPIOHANDLE_REQUEST_BIAS_DISABLE)
#define VGC_V1_BIAS_FLAGS                                                          \
	(GPIOHANDLE_REQUEST_BIAS_PULL_UP | GPIOHANDLE_REQUEST_BIAS_PULL_DOWN |     \
	 GPIOHANDLE_REQUEST_BIAS_DISABLE)

bool vgc_mem_is_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static bool has(uint64_t flags, uint64_t bit)
{
	return (flags & bit) != 0;
}

static int flags_validate(uint64_t flags)
{
	/* unknown flag */
	if (flags & ~(uint64_t)VGC_LINE_VALID_FLAGS)
		return -EINVAL;
	/* no hardware timestamp engine behind this chip */
	if (has(flags, GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE))
		return -EOPNOTSUPP;
	/* input and output contradict */
	if (has(flags, GPIO_V2_LINE_FLAG_INPUT) && has(flags, GPIO_V2_LINE_FLAG_OUTPUT))
		return -EINVAL;
	/* edge detection requires explicit input */
	if (has(flags, VGC_LINE_EDGE_FLAGS) && !has(flags, GPIO_V2_LINE_FLAG_INPUT))
		return -EINVAL;
	/* open drain and open source at once would short the line */
	if (has(flags, GPIO_V2_LINE_FLAG_OPEN_DRAIN) && has(flags, GPIO_V2_LINE_FLAG_OPEN_SOURCE))
		return -EINVAL;
	/* drive requires explicit output */
	if (has(flags, VGC_LINE_DRIVE_FLAGS) && !has(flags, GPIO_V2_LINE_FLAG_OUTPUT))
		return -EINVAL;
	/* bias requires an explicit direction */
	if (has(flags, VGC_LINE_BIAS_FLAGS) && !has(flags, VGC_LINE_DIRECTION_FLAGS))
		return -EINVAL;
	/* only one bias */
	if ((has(flags, GPIO_V2_LINE_FLAG_BIAS_DISABLED) &&
	     has(flags, GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN | GPIO_V2_LINE_FLAG_BIAS_PULL_UP)) ||
	    (has(flags, GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN) &&
	     has(flags, GPIO_V2_LINE_FLAG_BIAS_PULL_UP)))
		return -EINVAL;
	return 0;
}

int vgc_v2_config_validate(const struct gpio_v2_line_config *lc, unsigned int num_lines)
{
	/* at most ten attributes */
	if (lc->num_attrs > GPIO_V2_LINE_NUM_ATTRS_MAX)
		return -EINVAL;
	/* config padding must be zero */
	if (!vgc_mem_is_zero(lc->padding, sizeof(lc->padding)))
		return -EINVAL;
	/* attribute padding must be zero */
	for (unsigned int i = 0; i < lc->num_attrs; i++)
		if (lc->attrs[i].attr.padding)
			return -EINVAL;
	/* attributes past num_attrs must be zero */
	if (!vgc_mem_is_zero(&lc->attrs[lc->num_attrs],
			     (GPIO_V2_LINE_NUM_ATTRS_MAX - lc->num_attrs) * sizeof(lc->attrs[0])))
		return -EINVAL;
	for (unsigned int i = 0; i < num_lines; i++) {
		uint64_t flags = vgc_linecfg_flags(lc, i);
		bool debounced;
		int ret = flags_validate(flags);

		if (ret)
			return ret;
		/* debounce requires explicit input */
		vgc_linecfg_debounce(lc, i, &debounced);
		if (debounced && !has(flags, GPIO_V2_LINE_FLAG_INPUT))
			return -EINVAL;
	}
	return 0;
}

int vgc_v1_handle_flags_validate(uint32_t flags)
{
	/* unknown flag */
	if (flags & ~(uint32_t)VGC_V1_HANDLE_VALID_FLAGS)
		return -EINVAL;
	/* input and output contradict */
	if ((flags & GPIOHANDLE_REQUEST_INPUT) && (flags & GPIOHANDLE_REQUEST_OUTPUT))
		return -EINVAL;
	/* open drain and open source at once */
	if ((flags & GPIOHANDLE_REQUEST_OPEN_DRAIN) && (flags & GPIOHANDLE_REQUEST_OPEN_SOURCE))
		return -EINVAL;
	/* drive requires output */
	if (!(flags & GPIOHANDLE_REQUEST_OUTPUT) &&
	    (flags & (GPIOHANDLE_REQUEST_OPEN_DRAIN | GPIOHANDLE_REQUEST_OPEN_SOURCE)))
		return -EINVAL;
	/* bias requires a direction */
	if (!(flags & (GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_OUTPUT)) &&
	    (flags & VGC_V1_BIAS_FLAGS))
		return -EINVAL;
	/* only one bias */
	if (((flags & GPIOHANDLE_REQUEST_BIAS_DISABLE) &&
	     (flags & (GPIOHANDLE_REQUEST_BIAS_PULL_DOWN | GPIOHANDLE_REQUEST_BIAS_PULL_UP))) ||
	    ((flags & GPIOHANDLE_REQUEST_BIAS_PULL_DOWN) &&
	     (flags & GPIOHANDLE_REQUEST_BIAS_PULL_UP)))
		return -EINVAL;
	return 0;
}

uint64_t vgc_v1_flags_to_v2(uint32_t flags)
{
	static const struct {
		uint32_t v1;
		uint64_t v2;
	} conv[] = {
		{ GPIOHANDLE_REQUEST_INPUT, GPIO_V2_LINE_FLAG_INPUT },
		{ GPIOHANDLE_REQUEST_OUTPUT, GPIO_V2_LINE_FLAG_OUTPUT },
		{ GPIOHANDLE_REQUEST_ACTIVE_LOW, GPIO_V2_LINE_FLAG_ACTIVE_LOW },
		{ GPIOHANDLE_REQUEST_OPEN_DRAIN, GPIO_V2_LINE_FLAG_OPEN_DRAIN },
		{ GPIOHANDLE_REQUEST_OPEN_SOURCE, GPIO_V2_LINE_FLAG_OPEN_SOURCE },
		{ GPIOHANDLE_REQUEST_BIAS_PULL_UP, GPIO_V2_LINE_FLAG_BIAS_PULL_UP },
		{ GPIOHANDLE_REQUEST_BIAS_PULL_DOWN, GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN },
		{ GPIOHANDLE_REQUEST_BIAS_DISABLE, GPIO_V2_LINE_FLAG_BIAS_DISABLED },
	};
	uint64_t v2 = 0;

	for (size_t i = 0; i < sizeof(conv) / sizeof(conv[0]); i++)
		if (flags & conv[i].v1)
			v2 |= conv[i].v2;
	return v2;
}
