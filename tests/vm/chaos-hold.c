// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-chaos hold: clients blocked in reads and polls on a line fd and a
 * watching chip fd when the daemon dies; says how each call returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "chaos.h"

struct hold_wait {
	const char *name;
	int fd;
	bool poll;
	long rc;
	int err;
	short revents;
	atomic_bool back;
};

static void *hold_run(void *arg)
{
	struct hold_wait *w = arg;
	uint8_t buf[sizeof(struct gpio_v2_line_info_changed)];

	if (w->poll) {
		struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

		w->rc = poll(&pfd, 1, -1);
		w->revents = pfd.revents;
	} else {
		w->rc = read(w->fd, buf, sizeof(buf));
	}
	w->err = errno;
	atomic_store(&w->back, true);
	return NULL;
}

int cmd_hold(void)
{
	int chip = open_chip(), watch = open_chip(), line, bad = 0;
	struct gpio_v2_line_info info = { .offset = 0 };
	struct hold_wait w[4] = {
		{ .name = "line read" }, { .name = "line poll", .poll = true },
		{ .name = "chip watch read" }, { .name = "chip watch poll", .poll = true },
	};
	pthread_t t[4];

	line = request(chip, 0, 2, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
				       GPIO_V2_LINE_FLAG_EDGE_FALLING);
	if (line < 0 || ioctl(watch, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &info)) {
		fprintf(stderr, "vgc-chaos: hold: cannot request lines 0-1 or watch: %s\n",
			strerror(line < 0 ? -line : errno));
		return 1;
	}
	w[0].fd = w[1].fd = line;
	w[2].fd = w[3].fd = watch;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hold_run, &w[i]);
	printf("hold: ready, pid %d\n", (int)getpid());
	fflush(stdout);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		printf("hold: %s returned %ld", w[i].name, w[i].rc);
		if (w[i].rc < 0)
			printf(" errno %s", strerror(w[i].err));
		if (w[i].poll)
			printf(" revents%s%s%s%s", w[i].revents & POLLIN ? " POLLIN" : "",
			       w[i].revents & POLLERR ? " POLLERR" : "",
			       w[i].revents & POLLHUP ? " POLLHUP" : "",
			       w[i].revents & POLLNVAL ? " POLLNVAL" : "");
		printf("\n");
		/* woken by the daemon's death: an error, never data */
		bad += w[i].poll ? !(w[i].revents & (POLLERR | POLLHUP)) : w[i].rc >= 0;
	}
	errno = 0;
	printf("hold: a new ioctl on the chip: %s\n",
	       ioctl(chip, GPIO_V2_GET_LINEINFO_IOCTL, &info) ? strerror(errno) : "ok");
	printf("hold: a new open: %s\n", open(chip_path, O_RDWR) < 0 ? strerror(errno) : "ok");
	return bad;
}
