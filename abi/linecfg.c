// SPDX-License-Identifier: GPL-2.0-or-later
#include <stddef.h>

#include "linecfg.h"

static const struct gpio_v2_line_config_attribute *
linecfg_attr(const struct gpio_v2_line_config *lc, unsigned int idx, uint32_t id)
{
	uint64_t mask = 1ULL << idx;
	unsigned int n = lc->num_attrs;

	if (n > GPIO_V2_LINE_NUM_ATTRS_MAX)
		n = GPIO_V2_LINE_NUM_ATTRS_MAX;
	for (unsigned int i = 0; i < n; i++)
		if (lc->attrs[i].attr.id == id && (lc->attrs[i].mask & mask))
			return &lc->attrs[i];
	return NULL;
}

uint64_t vgc_linecfg_flags(const struct gpio_v2_line_config *lc, unsigned int idx)
{
	const struct gpio_v2_line_config_attribute *a =
		linecfg_attr(lc, idx, GPIO_V2_LINE_ATTR_ID_FLAGS);

	return a ? a->attr.flags : lc->flags;
}

int vgc_linecfg_output_value(const struct gpio_v2_line_config *lc, unsigned int idx)
{
	const struct gpio_v2_line_config_attribute *a =
		linecfg_attr(lc, idx, GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES);

	return a ? !!(a->attr.values & (1ULL << idx)) : 0;
}

uint32_t vgc_linecfg_debounce(const struct gpio_v2_line_config *lc, unsigned int idx,
			      bool *set)
{
	const struct gpio_v2_line_config_attribute *a =
		linecfg_attr(lc, idx, GPIO_V2_LINE_ATTR_ID_DEBOUNCE);

	*set = a != NULL;
	return a ? a->attr.debounce_period_us : 0;
}
