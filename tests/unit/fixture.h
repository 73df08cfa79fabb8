/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fresh virtual chip per test, driven only through the uapi entry points,
 * the way a client reaches them through the device: small integer "fds"
 * stand for the files a front end would hand out, and fx_ioctl() passes the
 * argument in and copies the answer back, as the kernel does.
 *
 * The chip: a sim backend of 32 host lines under FX_MAP (virtual line 6 is
 * a hole), named "gpiochip0", labelled "vgpiochip-test", tenant "t1".
 */
#ifndef VGC_TEST_FIXTURE_H
#define VGC_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/gpio.h>

#include "../../uapi/uapi.h"

#define FX_HOST_LINES 32
#define FX_MAP "0:10,1:11,2:12,3:13,4:17=LED,5:27=BTN,7:20"
#define FX_NUM_LINES 8
#define FX_HOLE 6
#define FX_NAME "gpiochip0"
#define FX_LABEL "vgpiochip-test"
#define FX_TENANT "t1"
#define FX_MAX_FILES 64
#define FX_TIMEOUT_MS 2000

/* Host offset of each virtual line; -1 for the hole. */
extern const int fx_host[FX_NUM_LINES];

#define FX_MAX_AUDIT 16

struct fx_audit {
	enum vgc_audit_event event;
	int result;
	char rule[32];
	unsigned int num_lines;
	uint32_t offset, host;		/* of the first line */
	pid_t pid;
};

struct fx_state {
	struct vgc_backend *be;
	struct vgc_map *map;
	struct vgc_chip *chip;
	uint64_t clock_ns;		/* the rate rules' clock while non-zero */
	pid_t caller;			/* who makes the ioctls; 0: who opened the fd */
	unsigned int num_audit;		/* every record; the first FX_MAX_AUDIT kept */
	struct fx_audit audit[FX_MAX_AUDIT];
};
extern struct fx_state fx;

/* Checked fixture: a new backend, map and chip; every file closed after. */
void fx_setup(void);
void fx_teardown(void);

/* Open the chip device; returns an fd (>= 0). */
int fx_open(void);
/* Same, as another process. */
int fx_open_as(pid_t pid);
void fx_close(int fd);
struct vgc_file *fx_file(int fd);
/* How often the core said fd became readable. */
unsigned int fx_ready(int fd);

/*
 * One ioctl: arg is read for the command's size and, on success, what the
 * core returns is copied back. A new request is opened and its fd stored in
 * the struct's fd field. Returns the core's return value unchanged.
 */
int fx_ioctl(int fd, unsigned int cmd, void *arg);
/* Same, but a new request is handed back unopened in *req. */
int fx_ioctl_raw(int fd, unsigned int cmd, void *arg, struct vgc_req **req);
ssize_t fx_read(int fd, void *buf, size_t count);
unsigned int fx_poll(int fd);

/* A v2 request of lines with one flag set for all; the request fd or -errno. */
int fx_request(int chipfd, const uint32_t *offsets, unsigned int num, uint64_t flags,
	       const char *consumer);
/* The same with a prepared request; lr->fd is set on success. */
int fx_request_lr(int chipfd, struct gpio_v2_line_request *lr);
int fx_info(int chipfd, uint32_t offset, struct gpio_v2_line_info *info);
/* Bits of GET_VALUES for mask, or -errno. */
int64_t fx_get(int reqfd, uint64_t mask);
int fx_set(int reqfd, uint64_t mask, uint64_t bits);

/* Every line of FX_MAP allowed everything, except virtual line virt, which gets r. */
void fx_rules_install(uint32_t virt, const struct vgc_rules *r);
/* What `vgpiochip status` would show of virtual line virt. */
struct vgc_line_status fx_line_status(uint32_t virt);

/* Drive host line host from outside, then let the backend run what is due now. */
void fx_pull(uint32_t host, int level);
int fx_level(uint32_t host);
/* Run backend work that is due now (debounce timers), without waiting. */
void fx_settle(void);
/*
 * Wait until cond(arg) holds, polling the backend's fd and dispatching,
 * for at most timeout_ms. Returns whether it holds.
 */
bool fx_wait(bool (*cond)(void *arg), void *arg, int timeout_ms);
/* Wait until fd polls readable. */
bool fx_wait_readable(int fd, int timeout_ms);

uint64_t fx_now_ns(clockid_t clk);

/* Toggle the level on the host pin of virtual line virt n times. */
void fx_toggle(uint32_t virt, unsigned int n);
/* Read whole records (a buffer of max records); the count, or -errno. */
int fx_read_events(int reqfd, struct gpio_v2_line_event *ev, unsigned int max);
int fx_read_changed(int chipfd, struct gpio_v2_line_info_changed *chg, unsigned int max);

#endif
