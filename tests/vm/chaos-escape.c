// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-chaos escape: everything a tenant can throw at its chip and a line fd:
 * every offset, every 0xB4 ioctl number in each direction and size, with
 * garbage and with bad pointers.
 */
#include <errno.h>
#include <linux/gpio.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "chaos.h"

int cmd_escape(void)
{
	static const unsigned int sizes[] = { 0, 4, 48, 64, 260, 592, 1024, 4096, 16383 };
	int chip = open_chip(), line = -1, granted = 0, slow = 0;
	unsigned int nlines = chip_lines(chip), seed = 1;
	uint8_t *buf = malloc(16384);
	int64_t worst = 0;

	/* every offset, and some past the end, as output driving 1 and as v1 handles */
	for (unsigned int off = 0; off < nlines + 8; off++) {
		int fd = request(chip, off, 1, GPIO_V2_LINE_FLAG_OUTPUT);
		struct gpiohandle_request h = { .lineoffsets = { off }, .lines = 1,
						.flags = GPIOHANDLE_REQUEST_OUTPUT,
						.default_values = { 1 } };

		errno = -fd;
		judge(OP_GET_LINE, fd < 0 ? -1 : 0, off);
		if (fd >= 0) {
			struct gpio_v2_line_values v = { .mask = 1, .bits = 0 };

			granted++;
			judge(OP_LINE_SET, ioctl(fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &v), off);
			close(fd);
		}
		long rc = ioctl(chip, GPIO_GET_LINEHANDLE_IOCTL, &h);

		if (judge(OP_LINEHANDLE, rc, off) && rc == 0)
			close(h.fd);
	}
	line = request(chip, 0, 1, GPIO_V2_LINE_FLAG_OUTPUT);
	/* every number of type 0xB4, each direction and size, each kind of pointer */
	for (unsigned int nr = 0; nr < 0x100; nr++) {
		for (unsigned int dir = 0; dir < 4; dir++) {
			for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				unsigned long cmd = _IOC(dir, 0xB4, nr, sizes[s]);

				for (unsigned int p = 0; p < 4; p++) {
					void *ptr = p == 3 ? buf : bad_pointer(p);
					int64_t t0 = now_ms(), took;
					long rc;

					fill_random(buf, 16384, &seed);
					rc = ioctl(chip, cmd, ptr);
					judge(OP_CHIP_GARBAGE, rc, cmd);
					if (rc == 0 && p == 3 && nr == _IOC_NR(GPIO_V2_GET_LINE_IOCTL))
						close(((struct gpio_v2_line_request *)buf)->fd);
					if (line >= 0)
						judge(OP_LINE_GARBAGE, ioctl(line, cmd, ptr), cmd);
					took = now_ms() - t0;
					worst = took > worst ? took : worst;
					slow += took > 2000;
				}
			}
		}
	}
	if (line >= 0)
		close(line);
	printf("escape: %d of %u offsets granted, %ld operations, worst answer %lld ms, "
	       "%d slower than 2 s, %ld answers no kernel gives\n",
	       granted, nlines + 8, atomic_load(&ops), (long long)worst, slow,
	       atomic_load(&unexpected));
	free(buf);
	return slow || atomic_load(&unexpected) || line < 0;
}
