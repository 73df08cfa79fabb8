/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State shared by the uapi files; nothing outside uapi/ sees it. */
#ifndef VGC_UAPI_INTERNAL_H
#define VGC_UAPI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../policy/rules.h"
#include "uapi.h"

#define VGC_CHANGED_QUEUE 32	/* info-changed records per chip fd, as the kernel */
#define VGC_V1_EVENT_QUEUE 16	/* v1 edge events per request, as the kernel */
#define VGC_HOLE_CONSUMER "unavailable"
/* Open chip fds per chip (each up to ~9.5 KB once it watches): ENFILE beyond. */
#define VGC_MAX_CHIP_FILES 1024

struct vgc_vline {
	bool mapped;				/* false: a hole, never requestable */
	struct vgc_map_entry ent;		/* host line and name, when mapped */
	struct vgc_rules rules;			/* for the next request */
	struct vgc_req *holder;			/* our request holding it, or NULL */
	/* a reload that waits for the holder to let go */
	bool reload_pending;
	bool reload_mapped;
	struct vgc_map_entry reload_ent;
	struct vgc_rules reload_rules;
	/* the host line, held by us in its release state (low or high) */
	struct vgc_breq *parked;
	int level;				/* physical output level we last set; -1: unknown */
	/* with the line, not the request: requesting again cannot reset them */
	struct vgc_rate toggles, events;
	struct vgc_line_counters cnt;
};

struct vgc_chip {
	struct vgc_backend *be;
	char tenant[64];
	char name[GPIO_MAX_NAME_SIZE];
	char label[GPIO_MAX_NAME_SIZE];
	unsigned int num_lines;
	struct vgc_vline *lines;
	struct vgc_file *chip_files;	/* open chip fds, for watch events */
	unsigned int num_chip_files;
	struct vgc_file *req_files;	/* open request fds, for the gone state */
	vgc_uapi_ready_fn ready;
	void *ready_data;
	vgc_uapi_audit_fn audit;
	void *audit_data;
	uint64_t (*now_ns)(void);
	pid_t caller;			/* the process making the ioctl being served */
	bool gone;
	struct vgc_chip_counters cnt;
};

/* A ring of fixed-size records with the kernel's two overflow policies. */
struct vgc_ring {
	unsigned char *buf;
	size_t rec_size;
	unsigned int cap, head, count;
	bool drop_oldest;	/* v2 edges: oldest goes; others: the new one is dropped */
};

enum vgc_req_kind { VGC_REQ_V2, VGC_REQ_V1_HANDLE, VGC_REQ_V1_EVENT };

struct vgc_req {
	struct vgc_chip *chip;
	enum vgc_req_kind kind;
	struct vgc_file *file;	/* once opened */
	struct vgc_breq *breq;		/* NULL once the chip is gone */
	pid_t pid;
	unsigned int num_lines;
	uint32_t offsets[GPIO_V2_LINES_MAX];	/* virtual */
	bool is_out[GPIO_V2_LINES_MAX];
	uint64_t flags[GPIO_V2_LINES_MAX];	/* as requested or last reconfigured */
	struct vgc_rules rules[GPIO_V2_LINES_MAX];	/* as they were when requested */
	char consumer[GPIO_MAX_NAME_SIZE];
	uint32_t seqno;
	uint32_t line_seqno[GPIO_V2_LINES_MAX];
	struct vgc_ring events;
	size_t read_size;	/* bytes per record the reader gets (<= rec_size) */
};

enum vgc_file_kind { VGC_FILE_CHIP, VGC_FILE_REQ };

struct vgc_file {
	struct vgc_chip *chip;
	enum vgc_file_kind kind;
	pid_t pid;
	void *ctx;
	/* chip fds */
	struct vgc_file *next, *prev;	/* on chip_files or req_files */
	uint64_t *watched;
	int watch_abi;		/* 0 until the first watch, then 1 or 2 */
	struct vgc_ring changed;
	/* request fds */
	struct vgc_req *req;
};

/* enforce.c: the host owner's rules after the kernel's checks: check_*, then commit_* */
int enforce_request(struct vgc_req *req, const struct gpio_v2_line_config *lc);
int enforce_check_config(struct vgc_req *req, const struct gpio_v2_line_config *lc);
int enforce_check_values(struct vgc_req *req, uint64_t mask, uint64_t bits);
void enforce_commit_values(struct vgc_req *req, uint64_t mask, uint64_t bits);
void enforce_commit_config(struct vgc_req *req, const struct gpio_v2_line_config *lc);
bool enforce_event(struct vgc_req *req, unsigned int idx);
/* Release: the lines go to their release states; the backend request is gone after. */
void enforce_release(struct vgc_req *req);
void enforce_unpark(struct vgc_chip *chip, uint32_t virt);
void enforce_audit(struct vgc_req *req, enum vgc_audit_event event, int result,
		   const struct vgc_denial *why);
uint64_t enforce_now(const struct vgc_chip *chip);

/* ring.c */
int vgc_ring_init(struct vgc_ring *r, size_t rec_size, unsigned int cap, bool drop_oldest);
void vgc_ring_fini(struct vgc_ring *r);
/* Returns false when a record was dropped. */
bool vgc_ring_push(struct vgc_ring *r, const void *rec);
bool vgc_ring_pop(struct vgc_ring *r, void *rec);

/* validate.c */
bool vgc_mem_is_zero(const void *p, size_t len);
int vgc_v2_config_validate(const struct gpio_v2_line_config *lc, unsigned int num_lines);
int vgc_v1_handle_flags_validate(uint32_t flags);
uint64_t vgc_v1_flags_to_v2(uint32_t flags);

/* chip.c */
void vgc_chip_notify(struct vgc_chip *chip, uint32_t virt, uint32_t event_type);
void vgc_chip_ready(struct vgc_file *f);
int vgc_chip_line_info(struct vgc_chip *chip, uint32_t virt, struct gpio_v2_line_info *info);
/* Per-line checks of a request in the kernel's order: EINVAL, then EBUSY; *bad is the line. */
int vgc_chip_claim_check(struct vgc_chip *chip, const uint32_t *offsets, unsigned int num,
			 unsigned int *bad);

/* linereq.c */
int vgc_linereq_create(struct vgc_chip *chip, enum vgc_req_kind kind, const uint32_t *offsets,
		       unsigned int num, const struct gpio_v2_line_config *lc,
		       const char *consumer, uint32_t event_buffer_size, struct vgc_req **out);
int vgc_linereq_ioctl(struct vgc_req *req, unsigned int cmd, const void *in, void *out,
		      size_t *out_len);
ssize_t vgc_linereq_read(struct vgc_req *req, void *buf, size_t count);
unsigned int vgc_linereq_poll(struct vgc_req *req);
int vgc_linereq_get_values(struct vgc_req *req, uint64_t mask, uint64_t *bits);
int vgc_linereq_set_values(struct vgc_req *req, uint64_t mask, uint64_t bits);
int vgc_linereq_set_config(struct vgc_req *req, const struct gpio_v2_line_config *lc);
/* The request lets go of its lines: release states, reloads waiting, watchers, audit. */
void vgc_linereq_let_go(struct vgc_req *req);

/* v1.c */
void vgc_v1_info_from_v2(const struct gpio_v2_line_info *v2, struct gpioline_info *v1);
void vgc_v1_changed_from_v2(const struct gpio_v2_line_info_changed *v2,
			    struct gpioline_info_changed *v1);
int vgc_v1_lineinfo(struct vgc_chip *chip, const struct gpioline_info *in,
		    struct gpioline_info *out);
/* Like chip_linereq(): *out is the request struct to return, its fd -1. */
int vgc_v1_handle_create(struct vgc_chip *chip, const struct gpiohandle_request *hr,
			 struct gpiohandle_request *out, struct vgc_req **req);
int vgc_v1_event_create(struct vgc_chip *chip, const struct gpioevent_request *er,
			struct gpioevent_request *out, struct vgc_req **req);
int vgc_v1_req_ioctl(struct vgc_req *req, unsigned int cmd, const void *in, void *out,
		     size_t *out_len);

#endif
