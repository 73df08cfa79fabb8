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

struct vgc_chip;
struct vgc_file;
/* A line request created by an ioctl, waiting for its file to be opened. */
struct vgc_req;

/* File f has data to read (or changed its poll state). */
typedef void (*vgc_uapi_ready_fn)(struct vgc_file *f, void *file_ctx, void *data);

struct vgc_chip_config {
	const char *tenant;	/* prefixes host consumer labels: "tenant:consumer" */
	const char *name;	/* chip name the tenant sees, e.g. "gpiochip0" */
	const char *label;	/* chip label the tenant sees */
	unsigned int num_lines; /* virtual lines; 0: highest mapped offset + 1 */
	const struct vgc_map *map;
	vgc_uapi_ready_fn ready;
	void *ready_data;
};

/* NULL and errno on bad configuration (EINVAL: map outside the backend). */
struct vgc_chip *vgc_chip_new(const struct vgc_chip_config *cfg, struct vgc_backend *be);
/* Frees the chip; every file must have been released first. */
void vgc_chip_free(struct vgc_chip *chip);
unsigned int vgc_chip_num_lines(const struct vgc_chip *chip);
struct vgc_backend *vgc_chip_backend(const struct vgc_chip *chip);

/* A new open of the chip device by process pid; NULL on ENOMEM. */
struct vgc_file *vgc_uapi_open(struct vgc_chip *chip, pid_t pid);
/* The close of any file: a chip fd drops its watches, a request frees its lines. */
void vgc_uapi_release(struct vgc_file *f);
void vgc_uapi_set_ctx(struct vgc_file *f, void *ctx);

/*
 * One ioctl. in/in_len is what the client passed (the whole argument struct
 * for cmd), out/out_len what is copied back on success (*out_len set to 0
 * when nothing is). A line-request ioctl on a chip fd that succeeds returns
 * the new request in *req with the request struct in out, its fd field -1:
 * the front end gives the client a file for it with vgc_uapi_open_req(), or
 * drops it with vgc_uapi_req_free().
 */
int vgc_uapi_ioctl(struct vgc_file *f, unsigned int cmd, const void *in, size_t in_len,
		   void *out, size_t *out_len, struct vgc_req **req);
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
void vgc_uapi_req_free(struct vgc_req *req);

#endif
