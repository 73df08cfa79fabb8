// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A hostile tenant for the isolation scenario, on the raw uAPI:
 *   vgc-probe CHIP [--full | --no-fuzz]
 * 1. requests every offset 0..N+5 of CHIP as an output driven high (v2, then
 *    a v1 handle): offsets past the chip must be refused with EINVAL;
 * 2. holds every offset it could get as one output request;
 * 3. sends every ioctl number of the GPIO family (type 0xB4) in its _IO,
 *    _IOR, _IOW and _IOWR forms with garbage, to the chip fd and to the
 *    request fd. The daemon tells commands apart by the whole number, so
 *    sizes near the real structures' (and 0..16, 600) for numbers below 32,
 *    where the real commands live, and a few sizes above; --full sends
 *    every size 0..600 for every number (some 75,000 ioctls per fd, minutes
 *    under TCG). Then the same with a NULL argument. Any line request that
 *    garbage happens to make is closed again;
 * 4. checks the chip still answers: chip info, every line's info, a fresh
 *    request of a mapped line.
 * The scenario then checks on the host that no unmapped line moved.
 * Prints counts; exits 0 when every check held.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/gpio.h>

/* the ioctl type of every GPIO chardev command */
#define PROBE_GPIO_TYPE 0xB4
#define PROBE_SMALL_NR 32
#define PROBE_MAX_SIZE 600
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static unsigned int probe_failures;
static uint64_t probe_rng = 0x9e3779b97f4a7c15ULL;

static void probe_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void probe_fail(const char *fmt, ...)
{
	va_list ap;

	probe_failures++;
	fputs("vgc-probe: FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static uint64_t probe_random(void)
{
	probe_rng ^= probe_rng << 13;
	probe_rng ^= probe_rng >> 7;
	probe_rng ^= probe_rng << 17;
	return probe_rng;
}

static void probe_garbage(unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t r = probe_random();

		memcpy(buf + i, &r, len - i < 8 ? len - i : 8);
	}
}

static int probe_request_v2(int chip, uint32_t offset, int *fd)
{
	struct gpio_v2_line_request lr;

	memset(&lr, 0, sizeof(lr));
	lr.offsets[0] = offset;
	lr.num_lines = 1;
	lr.config.flags = GPIO_V2_LINE_FLAG_OUTPUT;
	lr.config.num_attrs = 1;
	lr.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	lr.config.attrs[0].attr.values = 1;
	lr.config.attrs[0].mask = 1;
	snprintf(lr.consumer, sizeof(lr.consumer), "vgc-probe");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &lr))
		return -errno;
	*fd = lr.fd;
	return 0;
}

static int probe_request_v1(int chip, uint32_t offset)
{
	struct gpiohandle_request hr;

	memset(&hr, 0, sizeof(hr));
	hr.lineoffsets[0] = offset;
	hr.lines = 1;
	hr.flags = GPIOHANDLE_REQUEST_OUTPUT;
	hr.default_values[0] = 1;
	snprintf(hr.consumer_label, sizeof(hr.consumer_label), "vgc-probe");
	if (ioctl(chip, GPIO_GET_LINEHANDLE_IOCTL, &hr))
		return -errno;
	close(hr.fd);
	return 0;
}

/* Step 1: every offset, one by one. Returns how many could be had; fills got[]. */
static unsigned int probe_every_offset(int chip, unsigned int lines, uint32_t *got)
{
	unsigned int ok = 0, busy = 0;

	for (uint32_t off = 0; off < lines + 6; off++) {
		int fd = -1, ret = probe_request_v2(chip, off, &fd), ret1;

		if (ret == 0)
			close(fd);
		/* the kernel frees the line before close() returns */
		ret1 = probe_request_v1(chip, off);
		if (off >= lines) {
			/* past the chip: the kernel's answer is EINVAL, for both ABIs */
			if (ret != -EINVAL || ret1 != -EINVAL)
				probe_fail("offset %u of %u lines: v2 %d v1 %d, want EINVAL", off,
					   lines, ret, ret1);
			continue;
		}
		if (ret == 0) {
			if (ok < GPIO_V2_LINES_MAX)
				got[ok] = off;
			ok++;
		} else if (ret == -EBUSY) {
			busy++;
		} else {
			probe_fail("offset %u: v2 request %s", off, strerror(-ret));
		}
		if ((ret == 0) != (ret1 == 0))
			probe_fail("offset %u: v2 says %d but v1 says %d", off, ret, ret1);
	}
	printf("vgc-probe: %u lines: %u could be requested, %u busy, offsets %u-%u refused\n",
	       lines, ok, busy, lines, lines + 5);
	return ok < GPIO_V2_LINES_MAX ? ok : GPIO_V2_LINES_MAX;
}

/* Step 2: one output request holding every line we could have. */
static int probe_hold(int chip, const uint32_t *offsets, unsigned int num)
{
	struct gpio_v2_line_request lr;

	memset(&lr, 0, sizeof(lr));
	memcpy(lr.offsets, offsets, num * sizeof(*offsets));
	lr.num_lines = num;
	lr.config.flags = GPIO_V2_LINE_FLAG_OUTPUT;
	snprintf(lr.consumer, sizeof(lr.consumer), "vgc-probe");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &lr)) {
		probe_fail("holding %u lines: %s", num, strerror(errno));
		return -1;
	}
	return lr.fd;
}

/* A request made by garbage hands us an fd: take it back so nothing stays held. */
static void probe_close_made(unsigned long cmd, const unsigned char *buf, int keep1, int keep2)
{
	size_t at;
	int fd;

	if (cmd == GPIO_V2_GET_LINE_IOCTL)
		at = offsetof(struct gpio_v2_line_request, fd);
	else if (cmd == GPIO_GET_LINEHANDLE_IOCTL)
		at = offsetof(struct gpiohandle_request, fd);
	else if (cmd == GPIO_GET_LINEEVENT_IOCTL)
		at = offsetof(struct gpioevent_request, fd);
	else
		return;
	memcpy(&fd, buf + at, sizeof(fd));
	if (fd > 2 && fd != keep1 && fd != keep2)
		close(fd);
}

struct probe_count {
	unsigned long calls, ok;
};

static void probe_one(int fd, unsigned long cmd, void *arg, struct probe_count *c, int keep)
{
	c->calls++;
	if (ioctl(fd, cmd, arg) == 0) {
		c->ok++;
		if (arg)
			probe_close_made(cmd, arg, fd, keep);
	}
}

/* Sizes around every GPIO uAPI structure's, and the small ones. */
static const unsigned int probe_near[] = {
	0,   1,	  2,   3,   4,	 5,   6,   7,	8,   9,	  10,  11,  12,	 13,  14,
	15,  16,  17,  31,  32,	 33,  47,  48,	49,  63,  64,  65,  67,	 68,  69,
	71,  72,  73,  83,  84,	 85,  127, 128, 255, 256, 257, 271, 272, 273, 363,
	364, 365, 511, 512, 591, 592, 593, 600,
};
static const unsigned int probe_spread[] = { 0, 1, 4, 16, 64, 256, 592, 600 };

/* Step 3: the whole 0xB4 family with garbage, then with a NULL argument. */
static void probe_fuzz(const char *what, int fd, int keep, bool full)
{
	static unsigned char buf[4096];
	struct probe_count c = { 0 };
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int nr = 0; nr < 256; nr++) {
		const unsigned int *sizes = nr < PROBE_SMALL_NR ? probe_near : probe_spread;
		unsigned int nsizes = nr < PROBE_SMALL_NR ? ARRAY_SIZE(probe_near) :
							    ARRAY_SIZE(probe_spread);

		if (full)
			nsizes = PROBE_MAX_SIZE + 1;
		probe_garbage(buf, sizeof(buf));
		probe_one(fd, _IO(PROBE_GPIO_TYPE, nr), buf, &c, keep);
		for (unsigned int s = 0; s < nsizes; s++) {
			unsigned int size = full ? s : sizes[s];

			probe_garbage(buf, PROBE_MAX_SIZE);
			probe_one(fd, _IOC(_IOC_READ | _IOC_WRITE, PROBE_GPIO_TYPE, nr, size), buf,
				  &c, keep);
			probe_garbage(buf, PROBE_MAX_SIZE);
			probe_one(fd, _IOC(_IOC_READ, PROBE_GPIO_TYPE, nr, size), buf, &c, keep);
			probe_garbage(buf, PROBE_MAX_SIZE);
			probe_one(fd, _IOC(_IOC_WRITE, PROBE_GPIO_TYPE, nr, size), buf, &c, keep);
		}
		for (unsigned int s = 0; s < ARRAY_SIZE(probe_spread); s++) {
			unsigned int size = probe_spread[s];

			probe_one(fd, _IOC(_IOC_READ | _IOC_WRITE, PROBE_GPIO_TYPE, nr, size), NULL,
				  &c, keep);
			probe_one(fd, _IOC(_IOC_READ, PROBE_GPIO_TYPE, nr, size), NULL, &c, keep);
			probe_one(fd, _IOC(_IOC_WRITE, PROBE_GPIO_TYPE, nr, size), NULL, &c, keep);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("vgc-probe: %s: %lu ioctls (%lu succeeded) in %.1f s\n", what, c.calls, c.ok,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

/* Step 4: the chip still serves. */
static void probe_still_serves(int chip, unsigned int lines, const uint32_t *got,
			       unsigned int num_got)
{
	struct gpiochip_info ci;
	int fd = -1, ret;

	if (ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &ci) || ci.lines != lines)
		probe_fail("chip info after the garbage: %s", strerror(errno));
	for (uint32_t off = 0; off < lines; off++) {
		struct gpio_v2_line_info li;

		memset(&li, 0, sizeof(li));
		li.offset = off;
		if (ioctl(chip, GPIO_V2_GET_LINEINFO_IOCTL, &li))
			probe_fail("line info %u after the garbage: %s", off, strerror(errno));
	}
	if (!num_got)
		return;
	ret = probe_request_v2(chip, got[0], &fd);
	if (ret)
		probe_fail("requesting offset %u after the garbage: %s", got[0], strerror(-ret));
	else
		close(fd);
}

int main(int argc, char **argv)
{
	uint32_t got[GPIO_V2_LINES_MAX];
	struct gpiochip_info ci;
	unsigned int num_got;
	bool full = argc == 3 && !strcmp(argv[2], "--full");
	bool fuzz = !(argc == 3 && !strcmp(argv[2], "--no-fuzz"));
	int chip, req;

	if (argc < 2 || argc > 3 || (argc == 3 && fuzz && !full)) {
		fprintf(stderr, "usage: vgc-probe /dev/gpiochipN [--full | --no-fuzz]\n");
		return 2;
	}
	chip = open(argv[1], O_RDWR | O_CLOEXEC);
	if (chip < 0 || ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &ci)) {
		fprintf(stderr, "vgc-probe: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	num_got = probe_every_offset(chip, ci.lines, got);
	req = num_got ? probe_hold(chip, got, num_got) : -1;
	if (fuzz)
		probe_fuzz("chip fd", chip, req, full);
	if (fuzz && req >= 0)
		probe_fuzz("request fd", req, chip, full);
	if (req >= 0)
		close(req);
	probe_still_serves(chip, ci.lines, got, num_got);
	close(chip);
	printf("vgc-probe: %u failures\n", probe_failures);
	return probe_failures ? 1 : 0;
}
