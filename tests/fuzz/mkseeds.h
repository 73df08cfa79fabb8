/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Between mkseeds.c (the encoding and the single-client seeds) and mkseeds-multi.c. */
#ifndef VGC_MKSEEDS_H
#define VGC_MKSEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "uapi-ops.h"
#include "../uapi-flags.h"

#define SEED_MAX 16384

/* Host lines of tenant A's virtual lines in FZ_SETUP_SMALL ("0:10,1:11,2:12,..."). */
#define HOST_OF_0 10
#define HOST_OF_1 11

struct seed {
	unsigned char buf[SEED_MAX];
	size_t len;
};

/* the encoding of uapi-ops.h, and requests to encode */
void put8(struct seed *s, unsigned int v);
void put_bytes(struct seed *s, const void *p, size_t n);
void put_uint(struct seed *s, uint64_t v, unsigned int bytes);
void seed_start(struct seed *s, enum fz_setup setup);
void seed_write(const struct seed *s, const char *name);
void op_open(struct seed *s, unsigned int client);
void op_ioctl(struct seed *s, unsigned int slot, unsigned int cmd, enum fz_dispo dispo,
	      const void *arg);
void op_ioctl_lens(struct seed *s, unsigned int slot, unsigned int cmd, unsigned int in_mode,
		   unsigned int out_mode);
void op_ioctl_raw_cmd(struct seed *s, unsigned int slot, uint32_t cmd);
void op_slot(struct seed *s, enum fz_op op, unsigned int slot);
void op_read(struct seed *s, unsigned int slot, unsigned int count);
void op_pull(struct seed *s, unsigned int host, int level);
void op_toggle(struct seed *s, unsigned int host, unsigned int n);
struct gpio_v2_line_request v2_req(unsigned int num, const uint32_t *offsets, uint64_t flags);
struct gpio_v2_line_request v2_one(uint32_t offset, uint64_t flags);
struct gpiohandle_request v1_handle(unsigned int lines, const uint32_t *offsets, uint32_t flags);
struct gpioevent_request v1_event(uint32_t offset, uint32_t hflags, uint32_t eflags);

/* seeds with watches, several clients or tenants, other setups */
void seed_watch(int abi);
void seed_partial_claim(void);
void seed_tenants(void);
void seed_pending(void);
void seed_setups(void);

#endif
