// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hostile clients for tests/vm/scenario-harden.sh:
 *   vgc-chaos kill CHIP N        N children request lines; each is SIGKILLed at
 *                                a chosen step: before the reply, while stopped
 *                                for injection, after a random delay, just after
 *   vgc-chaos chaos CHIP SECS    64 clients (8 processes x 8 threads) doing random
 *                                valid and invalid operations for SECS seconds
 *   vgc-chaos escape CHIP        every offset, every 0xB4 ioctl number with garbage
 *                                and bad pointers, on the chip and on a line fd
 *   vgc-chaos hold CHIP          holds lines 0 and 1 with edges and blocks in reads
 *                                and polls; says how each returns once the daemon dies
 * Every answer must be one the kernel gives for that operation (ok_errs
 * below); prints counts and exits 0 when nothing was out of place.
 *
 * Each command is in its own file (chaos-kill.c, chaos-random.c, chaos-escape.c,
 * chaos-hold.c); this one judges the answers and holds what they all use.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "chaos.h"

const char *chip_path;
atomic_long ops, unexpected;

/*
 * What gpiolib-cdev.c can answer for each operation (0 always allowed).
 * EFAULT: a bad pointer; CUSE copies the whole _IOC_SIZE in before the
 * daemon sees the call, so for a garbage number it is the kernel's own.
 */
static const struct {
	const char *name;
	int errs[6];
} ok_errs[OP_NUM] = {
	[OP_OPEN] = { "open", { 0 } },
	[OP_CHIPINFO] = { "chipinfo", { EFAULT } },
	[OP_LINEINFO] = { "lineinfo", { EINVAL, EFAULT } },
	[OP_WATCH] = { "watch", { EINVAL, EFAULT, EBUSY } },
	[OP_UNWATCH] = { "unwatch", { EINVAL, EFAULT, EBUSY } },
	[OP_GET_LINE] = { "get-line", { EINVAL, EFAULT, EBUSY, ENOMEM } },
	[OP_LINEHANDLE] = { "linehandle", { EINVAL, EFAULT, EBUSY, ENOMEM } },
	[OP_LINEEVENT] = { "lineevent", { EINVAL, EFAULT, EBUSY, ENOMEM } },
	[OP_CHIP_GARBAGE] = { "chip-ioctl", { EINVAL, EFAULT, EBUSY, ENOMEM } },
	[OP_LINE_GET] = { "line-get", { EINVAL, EFAULT } },
	[OP_LINE_SET] = { "line-set", { EINVAL, EFAULT, EPERM } },
	[OP_LINE_CONFIG] = { "line-config", { EINVAL, EFAULT } },
	[OP_LINE_GARBAGE] = { "line-ioctl", { EINVAL, EFAULT, EPERM, EBUSY } },
	[OP_READ_TINY] = { "read-tiny", { EINVAL, EFAULT } },
	[OP_READ] = { "read", { EAGAIN, EFAULT } },
	[OP_POLL] = { "poll", { 0 } },
	[OP_CLOSE] = { "close", { 0 } },
};

/* Counts one answer; rc < 0 means errno holds the error. */
bool judge(enum op op, long rc, unsigned long detail)
{
	int err = errno;

	atomic_fetch_add(&ops, 1);
	if (rc >= 0)
		return true;
	for (unsigned int i = 0; i < 6 && ok_errs[op].errs[i]; i++)
		if (ok_errs[op].errs[i] == err)
			return true;
	if (atomic_fetch_add(&unexpected, 1) < 20)
		fprintf(stderr, "vgc-chaos: %s (0x%lx): unexpected %s\n", ok_errs[op].name,
			detail, strerror(err));
	return false;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int open_chip(void)
{
	int fd = open(chip_path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "vgc-chaos: open %s: %s\n", chip_path, strerror(errno));
		exit(2);
	}
	return fd;
}

unsigned int chip_lines(int chip)
{
	struct gpiochip_info ci;

	if (ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &ci)) {
		fprintf(stderr, "vgc-chaos: chip info: %s\n", strerror(errno));
		exit(2);
	}
	return ci.lines;
}

/* Requests n lines from first; output lines drive 1. The fd, or -errno. */
int request(int chip, unsigned int first, unsigned int n, uint64_t flags)
{
	struct gpio_v2_line_request req;

	memset(&req, 0, sizeof(req));
	for (unsigned int i = 0; i < n; i++)
		req.offsets[i] = first + i;
	req.num_lines = n;
	req.config.flags = flags;
	if (flags & GPIO_V2_LINE_FLAG_OUTPUT) {
		req.config.num_attrs = 1;
		req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		req.config.attrs[0].attr.values = ~0ULL;
		req.config.attrs[0].mask = (1ULL << n) - 1;
	}
	snprintf(req.consumer, sizeof(req.consumer), "vgc-chaos");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req))
		return -errno;
	return req.fd;
}

void *bad_pointer(unsigned int pick)
{
	static void *unmapped;

	if (!unmapped) {
		unmapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		munmap(unmapped, 4096);
	}
	switch (pick % 3) {
	case 0:
		return NULL;
	case 1:
		return unmapped;
	default:
		return (void *)0xffffffff81000000UL;	/* the kernel's half */
	}
}

void fill_random(void *buf, size_t len, unsigned int *seed)
{
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = (uint8_t)rand_r(seed);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		goto usage;
	chip_path = argv[2];
	if (!strcmp(argv[1], "kill") && argc == 4)
		return cmd_kill(atoi(argv[3]));
	if (!strcmp(argv[1], "chaos") && argc == 4)
		return cmd_chaos(atoi(argv[3]));
	if (!strcmp(argv[1], "escape"))
		return cmd_escape();
	if (!strcmp(argv[1], "hold"))
		return cmd_hold();
usage:
	fprintf(stderr, "usage: vgc-chaos kill CHIP N | chaos CHIP SECS | escape CHIP | "
			"hold CHIP\n");
	return 2;
}
