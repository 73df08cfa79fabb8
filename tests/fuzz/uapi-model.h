/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-uapi's own record of what it holds (chips, open files, line
 * requests), from which it knows what every answer of the core must be:
 * which host lines are in use and with which label, what a tenant's line
 * info may show, what a record read from a file may contain. A broken rule
 * aborts, which libFuzzer reports as a crash with the input that did it.
 */
#ifndef VGC_FUZZ_UAPI_MODEL_H
#define VGC_FUZZ_UAPI_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/gpio.h>

#include "../../uapi/uapi.h"
#include "check.h"
#include "uapi-ops.h"

#define FZ_HOST_LINES 96
#define FZ_NUM_CHIPS 2		/* two tenants on one backend */
#define FZ_HISTORY 32		/* consumer labels remembered per chip */

#define FZ_CHECK(cond, ...) FUZZ_CHECK("fuzz-uapi", cond, __VA_ARGS__)

struct fz_chip {
	const char *tenant;
	struct vgc_map *map;
	struct vgc_chip *chip;
	unsigned int num_lines;
	/* every consumer this tenant asked for, even in a refused request */
	char history[FZ_HISTORY][GPIO_MAX_NAME_SIZE];
	unsigned int num_history;
	bool history_full;
};

struct fz_slot {
	struct vgc_file *f;	/* NULL: free */
	unsigned int client;
	unsigned int chip;
	int req;		/* index in fz.reqs, or -1 for a chip fd */
	int watch_abi;		/* chip fd: ABI of its first watch, 0 before */
	unsigned int ready;
};

struct fz_req {
	bool live;
	unsigned int chip;
	unsigned int cmd;	/* the ioctl that made it: its ABI and kind */
	struct vgc_req *vreq;	/* while pending */
	int slot;		/* its file, -1 while pending */
	unsigned int num;
	uint32_t virt[GPIO_V2_LINES_MAX];
	char consumer[GPIO_MAX_NAME_SIZE];	/* as the tenant sees it */
};

struct fz_state {
	struct vgc_backend *be;
	struct fz_chip chips[FZ_NUM_CHIPS];
	struct fz_slot slots[FZ_MAX_FILES];
	struct fz_req reqs[FZ_MAX_REQS];
	bool trace;
};

extern struct fz_state fz;

#define fz_trace(...)                                                              \
	do {                                                                       \
		if (fz.trace)                                                      \
			fprintf(stderr, __VA_ARGS__);                              \
	} while (0)

/* fuzz-uapi.c: the open files and the requests not yet opened, by input byte. */
struct fz_slot *fz_slot_at(uint8_t b);
struct fz_req *fz_pending_at(uint8_t b);
/* Gives a pending request its file in the first free slot (client's pid). */
void fz_req_open(struct fz_req *r, unsigned int client);
void fz_req_free(struct fz_req *r);

/* uapi-ioctl.c: one IOCTL operation, decoded, performed and checked. */
void fz_op_ioctl(struct fz_input *in);

/* uapi-model.c */
/* A consumer label cut as the core cuts it: at most 31 bytes, up to a NUL. */
void fz_model_cut(char dst[GPIO_MAX_NAME_SIZE], const char *src);
void fz_model_remember(unsigned int chip, const char *consumer);

/* Every host line is in use exactly when a request of ours holds it, and says whose. */
void fz_model_check_host(void);
/* Line info the tenant of chip got for virtual line virt. */
void fz_model_check_info(unsigned int chip, uint32_t virt, const struct gpio_v2_line_info *info);
void fz_model_check_info_v1(unsigned int chip, uint32_t virt, const struct gpioline_info *info);
/* Records a read returned, n bytes of them, on slot s. */
void fz_model_check_records(const struct fz_slot *s, const void *buf, size_t n);

#endif
