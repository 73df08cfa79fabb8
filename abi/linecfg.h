/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-line accessors for struct gpio_v2_line_config: which attribute
 * applies to the line at index idx of a request. As in the kernel, the
 * attribute with the lowest index wins, and flags default to config.flags.
 */
#ifndef VGC_LINECFG_H
#define VGC_LINECFG_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/gpio.h>

#define VGC_LINE_BIAS_FLAGS                                                        \
	(GPIO_V2_LINE_FLAG_BIAS_PULL_UP | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN |        \
	 GPIO_V2_LINE_FLAG_BIAS_DISABLED)
#define VGC_LINE_DIRECTION_FLAGS (GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_OUTPUT)
#define VGC_LINE_DRIVE_FLAGS                                                       \
	(GPIO_V2_LINE_FLAG_OPEN_DRAIN | GPIO_V2_LINE_FLAG_OPEN_SOURCE)
#define VGC_LINE_EDGE_FLAGS                                                        \
	(GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
#define VGC_LINE_CLOCK_FLAGS                                                       \
	(GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME | GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE)
#define VGC_LINE_VALID_FLAGS                                                       \
	(GPIO_V2_LINE_FLAG_ACTIVE_LOW | VGC_LINE_DIRECTION_FLAGS |                  \
	 VGC_LINE_DRIVE_FLAGS | VGC_LINE_EDGE_FLAGS | VGC_LINE_BIAS_FLAGS |          \
	 VGC_LINE_CLOCK_FLAGS)

uint64_t vgc_linecfg_flags(const struct gpio_v2_line_config *lc, unsigned int idx);
int vgc_linecfg_output_value(const struct gpio_v2_line_config *lc, unsigned int idx);
/* Debounce period in microseconds; *set tells whether an attribute applies. */
uint32_t vgc_linecfg_debounce(const struct gpio_v2_line_config *lc, unsigned int idx,
			      bool *set);

#endif
