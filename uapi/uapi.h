/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The semantics of a gpiochip character device (GPIO uAPI v2, and v1 for
 * libgpiod 1.6 clients), behind a transport-independent interface. Nothing
 * here knows about FUSE: a front end opens files, forwards ioctl/read/poll,
 * and is told through vgc_uapi_ready_fn when a file has become readable.
 *
 * Every entry point returns 0 (or a byte count) or a negative errno that
 * the front end hands back to the client unchanged. All calls are made from
 * one thread.
 */
#ifndef VGC_UAPI_H
#define VGC_UAPI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/gpio.h>

#include "../backend/backend.h"
#include "../policy/map.h"
#include "../policy/rules.h"

struct vgc_chip;
struct vgc_file;
/* A line request created by an ioctl, waiting for its file to be opened. */
struct vgc_req;

/* File f has data to read (or changed its poll state). */
typedef void (*vgc_uapi_ready_fn)(struct vgc_file *f, void *file_ctx, void *data);

/* What the host owner's audit log hears about: one record per happening. */
enum vgc_audit_event {
	VGC_AUDIT_REQUEST,	/* lines requested (result 0) */
	VGC_AUDIT_RELEASE,
	VGC_AUDIT_RECONFIG,	/* SET_CONFIG that went through */
	VGC_AUDIT_DENIED,	/* a rule said no: result -EPERM or -EAGAIN, why says which */
};

struct vgc_audit {
	enum vgc_audit_event event;
	pid_t pid;			/* the client */
	const char *consumer;
	unsigned int num_lines;
	const uint32_t *offsets;	/* virtual */
	const uint32_t *hosts;
	const uint64_t *flags;		/* per line, v2 flags asked for (NULL for a release) */
	int result;
	const struct vgc_denial *why;	/* DENIED only */
};

typedef void (*vgc_uapi_audit_fn)(const struct vgc_audit *a, void *data);

/* Per virtual line, since the daemon started: what `vgpiochip status` shows. */
struct vgc_line_counters {
	uint64_t requests;
	uint64_t denials;		/* rule denials (EPERM) */
	uint64_t toggles_refused;	/* beyond max-toggle-hz (EAGAIN) */
	uint64_t events;		/* edge events queued for the tenant */
	uint64_t events_dropped;	/* beyond max-event-hz, or a full queue */
};

struct vgc_chip_counters {
	uint64_t requests, releases, reconfigs, denials;
};

struct vgc_chip_config {
	const char *tenant;	/* prefixes host consumer labels: "tenant:consumer" */
	const char *name;	/* chip name the tenant sees, e.g. "gpiochip0" */
	const char *label;	/* chip label the tenant sees */
	unsigned int num_lines; /* virtual lines; 0: highest mapped offset + 1 */
	const struct vgc_map *map;
	/* rules[i] for map->entries[i]; NULL: everything allowed */
	const struct vgc_rules *rules;
	vgc_uapi_ready_fn ready;
	void *ready_data;
	vgc_uapi_audit_fn audit;	/* may be NULL */
	void *audit_data;
	/* CLOCK_MONOTONIC in ns for the rate rules; NULL: the real one (tests step it) */
	uint64_t (*now_ns)(void);
};

/* NULL and errno on bad configuration (EINVAL: map outside the backend). */
struct vgc_chip *vgc_chip_new(const struct vgc_chip_config *cfg, struct vgc_backend *be);
/* Frees the chip; every file must have been released first. */
void vgc_chip_free(struct vgc_chip *chip);
unsigned int vgc_chip_num_lines(const struct vgc_chip *chip);
struct vgc_backend *vgc_chip_backend(const struct vgc_chip *chip);

/*
 * A reload: a new map, rules and line count (0: the map's span; the count
 * never drops below a line still held). Lines nobody holds change at once;
 * a held line keeps what it had until its holder lets go, then takes the new
 * entry (or becomes a hole). 0, or -EINVAL (a host line beyond the
 * backend: nothing changed), -ENOMEM.
 */
int vgc_chip_update(struct vgc_chip *chip, const struct vgc_map *map,
		    const struct vgc_rules *rules, unsigned int num_lines);

/*
 * The chip is gone (the host chip was removed, or the daemon is shutting
 * down), as a kernel chardev whose chip was unregistered: every held line
 * goes to its release state and is let go, every file answers -ENODEV to
 * ioctls and reads and POLLHUP|POLLERR to polls, and readers are woken.
 * New opens fail with ENODEV. Cannot be undone.
 */
void vgc_chip_gone(struct vgc_chip *chip);
bool vgc_chip_is_gone(const struct vgc_chip *chip);
/* Open chip and request files. */
unsigned int vgc_chip_num_files(const struct vgc_chip *chip);

/* One virtual line as `vgpiochip status` shows it. */
struct vgc_line_status {
	bool mapped;
	uint32_t host;
	char name[GPIO_MAX_NAME_SIZE];
	bool held;
	pid_t pid;			/* holder */
	char consumer[GPIO_MAX_NAME_SIZE];
	uint64_t flags;			/* v2 flags it is held with */
	int value;			/* logical value while held; -1 unknown */
	bool parked;			/* held by us in its release state */
	int level;			/* physical level we last drove; -1 unknown */
	bool reload_pending;		/* a reload waits for the holder to let go */
	struct vgc_rules rules;		/* for the next request */
	struct vgc_line_counters cnt;
};

/* -EINVAL for virt beyond the chip. */
int vgc_chip_line_status(struct vgc_chip *chip, uint32_t virt, struct vgc_line_status *st);
const struct vgc_chip_counters *vgc_chip_counters(const struct vgc_chip *chip);

/* A new open of the chip device by process pid; NULL on ENOMEM. */
struct vgc_file *vgc_uapi_open(struct vgc_chip *chip, pid_t pid);
/* The close of any file: a chip fd drops its watches, a request frees its lines. */
void vgc_uapi_release(struct vgc_file *f);
void vgc_uapi_set_ctx(struct vgc_file *f, void *ctx);

/*
 * One ioctl by process caller (what audit records name: the process that
 * made the call, not the one that opened f). in/in_len is what the client passed (the whole argument struct
 * for cmd), out/out_len what is copied back on success (*out_len set to 0
 * when nothing is). A line-request ioctl on a chip fd that succeeds returns
 * the new request in *req with the request struct in out, its fd field -1:
 * the front end gives the client a file for it with vgc_uapi_open_req(), or
 * drops it with vgc_uapi_req_free().
 */
int vgc_uapi_ioctl(struct vgc_file *f, pid_t caller, unsigned int cmd, const void *in,
		   size_t in_len, void *out, size_t *out_len, struct vgc_req **req);
/* Size of the argument struct of cmd (what to fetch and return); 0 if unknown. */
size_t vgc_uapi_ioctl_size(unsigned int cmd);
/* Where the new fd goes in the returned struct of a line-request ioctl. */
size_t vgc_uapi_fd_offset(unsigned int cmd);

/*
 * Read whole records. Never blocks: -EAGAIN means "nothing queued"; a front
 * end serving a blocking read waits for the ready callback and tries again.
 */
ssize_t vgc_uapi_read(struct vgc_file *f, void *buf, size_t count);
/* POLLIN|POLLRDNORM while records are queued (a v1 handle: the VFS default). */
unsigned int vgc_uapi_poll(struct vgc_file *f);

struct vgc_file *vgc_uapi_open_req(struct vgc_req *req, pid_t pid);
/*
 * The requester is an i386 task under an x86_64 kernel: its struct
 * gpioevent_data is 12 bytes (u64 aligned to 4), and the kernel trims v1
 * event records to that for it. No effect on other requests.
 */
void vgc_uapi_req_set_i386(struct vgc_req *req);
void vgc_uapi_req_free(struct vgc_req *req);

#endif
