// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-chaos chaos: 8 processes of 8 threads, each a client doing random valid
 * and invalid operations on its chip fd and its line fds until the deadline.
 */
#include <errno.h>
#include <linux/gpio.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chaos.h"

/* One random ioctl number of type 0xB4, any direction and size. */
static unsigned long garbage_cmd(unsigned int *seed)
{
	static const unsigned int sizes[] = { 0, 1, 4, 8, 48, 64, 260, 592, 1024, 4096 };

	return _IOC(rand_r(seed) % 4, 0xB4, rand_r(seed) % 0x20,
		    sizes[rand_r(seed) % (sizeof(sizes) / sizeof(sizes[0]))]);
}

#define CHAOS_FDS 8

struct chaos_client {
	unsigned int seed;
	int64_t end;
	unsigned int nlines;
};

static void chaos_line_op(int fd, unsigned int *seed, uint8_t *buf)
{
	struct gpio_v2_line_values v = { .mask = rand_r(seed) & 3, .bits = rand_r(seed) };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	bool bad = rand_r(seed) % 4 == 0;
	void *p = bad ? bad_pointer(rand_r(seed)) : buf;
	unsigned long cmd;
	long rc;

	switch (rand_r(seed) % 7) {
	case 0:
		rc = ioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, bad ? p : (void *)&v);
		judge(OP_LINE_GET, rc, 0);
		break;
	case 1:
		rc = ioctl(fd, GPIO_V2_LINE_SET_VALUES_IOCTL, bad ? p : (void *)&v);
		judge(OP_LINE_SET, rc, 0);
		break;
	case 2:
		fill_random(buf, sizeof(struct gpio_v2_line_config), seed);
		rc = ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, p);
		judge(OP_LINE_CONFIG, rc, 0);
		break;
	case 3:
		cmd = garbage_cmd(seed);
		fill_random(buf, 4096, seed);
		rc = ioctl(fd, cmd, p);
		judge(OP_LINE_GARBAGE, rc, cmd);
		break;
	case 4:
		rc = read(fd, p, 1 + rand_r(seed) % (sizeof(struct gpio_v2_line_event) - 1));
		judge(OP_READ_TINY, rc, 0);
		break;
	case 5:
		/* a full read only when something is there: the fd blocks */
		rc = poll(&pfd, 1, 0);
		if (rc == 1 && pfd.revents == POLLIN) {
			rc = read(fd, p, sizeof(struct gpio_v2_line_event));
			judge(OP_READ, rc, 0);
		}
		break;
	default:
		rc = poll(&pfd, 1, rand_r(seed) % 3);
		errno = EPROTO;
		judge(OP_POLL, rc < 0 || (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) ? -1 : 0,
		      pfd.revents);
		break;
	}
}

static void chaos_chip_op(int *fds, unsigned int n, int chip, unsigned int *seed, uint8_t *buf,
			  unsigned int nlines)
{
	unsigned int off = rand_r(seed) % (nlines + 2), slot = rand_r(seed) % n;
	bool bad = rand_r(seed) % 4 == 0;
	void *p = bad ? bad_pointer(rand_r(seed)) : buf;
	unsigned long cmd;
	long rc;

	memset(buf, 0, 1024);
	switch (rand_r(seed) % 8) {
	case 0:
		rc = ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, p);
		judge(OP_CHIPINFO, rc, 0);
		break;
	case 1:
		((struct gpio_v2_line_info *)buf)->offset = off;
		rc = ioctl(chip, GPIO_V2_GET_LINEINFO_IOCTL, p);
		judge(OP_LINEINFO, rc, off);
		break;
	case 2:
		((struct gpio_v2_line_info *)buf)->offset = off;
		rc = ioctl(chip, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, p);
		judge(OP_WATCH, rc, off);
		break;
	case 3:
		*(uint32_t *)buf = off;
		rc = ioctl(chip, GPIO_GET_LINEINFO_UNWATCH_IOCTL, p);
		judge(OP_UNWATCH, rc, off);
		break;
	case 4:
		if (fds[slot] >= 0) {
			judge(OP_CLOSE, close(fds[slot]), 0);
			fds[slot] = -1;
		}
		rc = bad ? ioctl(chip, GPIO_V2_GET_LINE_IOCTL, p)
			 : request(chip, off % nlines, 1,
				   rand_r(seed) % 2 ? GPIO_V2_LINE_FLAG_OUTPUT
						    : GPIO_V2_LINE_FLAG_INPUT |
							      GPIO_V2_LINE_FLAG_EDGE_RISING);
		if (!bad && rc < 0) {
			errno = (int)-rc;
			rc = -1;
		}
		if (judge(OP_GET_LINE, rc, off) && !bad)
			fds[slot] = (int)rc;
		break;
	case 5: {
		struct gpiohandle_request *h = (struct gpiohandle_request *)buf;

		h->lineoffsets[0] = off;
		h->lines = 1;
		h->flags = GPIOHANDLE_REQUEST_INPUT;
		snprintf(h->consumer_label, sizeof(h->consumer_label), "vgc-chaos");
		rc = ioctl(chip, GPIO_GET_LINEHANDLE_IOCTL, p);
		if (judge(OP_LINEHANDLE, rc, off) && rc == 0 && !bad)
			close(h->fd);
		break;
	}
	case 6: {
		struct gpioevent_request *e = (struct gpioevent_request *)buf;

		e->lineoffset = off;
		e->handleflags = GPIOHANDLE_REQUEST_INPUT;
		e->eventflags = GPIOEVENT_REQUEST_BOTH_EDGES;
		rc = ioctl(chip, GPIO_GET_LINEEVENT_IOCTL, p);
		if (judge(OP_LINEEVENT, rc, off) && rc == 0 && !bad)
			close(e->fd);
		break;
	}
	default:
		cmd = garbage_cmd(seed);
		fill_random(buf, 4096, seed);
		rc = ioctl(chip, cmd, p);
		judge(OP_CHIP_GARBAGE, rc, cmd);
		/* a garbage request that happened to be valid made an fd: let it go */
		if (rc == 0 && !bad && _IOC_NR(cmd) == _IOC_NR(GPIO_V2_GET_LINE_IOCTL))
			close(((struct gpio_v2_line_request *)buf)->fd);
		break;
	}
}

static void *chaos_run(void *arg)
{
	struct chaos_client *c = arg;
	int fds[CHAOS_FDS], chip = open_chip();
	uint8_t *buf = malloc(16384);

	for (unsigned int i = 0; i < CHAOS_FDS; i++)
		fds[i] = -1;
	while (now_ms() < c->end) {
		unsigned int slot = rand_r(&c->seed) % CHAOS_FDS;

		if (rand_r(&c->seed) % 2 && fds[slot] >= 0) {
			chaos_line_op(fds[slot], &c->seed, buf);
		} else if (rand_r(&c->seed) % 64 == 0) {
			/* a chip fd comes and goes too, with its watches */
			judge(OP_CLOSE, close(chip), 0);
			chip = open_chip();
			judge(OP_OPEN, chip, 0);
		} else {
			chaos_chip_op(fds, CHAOS_FDS, chip, &c->seed, buf, c->nlines);
		}
	}
	for (unsigned int i = 0; i < CHAOS_FDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	close(chip);
	free(buf);
	return NULL;
}

/* One of the 8 processes: 8 client threads; reports its counts through out. */
static void chaos_process(int out, int64_t end, unsigned int nlines, unsigned int seed)
{
	struct chaos_client c[8];
	pthread_t t[8];
	long counts[2];

	for (int i = 0; i < 8; i++) {
		c[i] = (struct chaos_client){ .seed = seed * 8 + i, .end = end, .nlines = nlines };
		pthread_create(&t[i], NULL, chaos_run, &c[i]);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	counts[0] = atomic_load(&ops);
	counts[1] = atomic_load(&unexpected);
	if (write(out, counts, sizeof(counts)) != sizeof(counts))
		_exit(3);
	_exit(0);
}

int cmd_chaos(int seconds)
{
	int chip = open_chip(), out[2], bad = 0;
	unsigned int nlines = chip_lines(chip);
	int64_t end = now_ms() + seconds * 1000LL;
	long total[2] = { 0, 0 }, counts[2];
	pid_t pids[8];

	close(chip);
	if (pipe(out))
		return 1;
	for (int i = 0; i < 8; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			chaos_process(out[1], end, nlines, (unsigned int)getpid());
	}
	close(out[1]);
	for (int i = 0; i < 8; i++) {
		int status;

		if (read(out[0], counts, sizeof(counts)) == sizeof(counts)) {
			total[0] += counts[0];
			total[1] += counts[1];
		}
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "vgc-chaos: chaos: client process %d ended badly (0x%x)\n",
				(int)pids[i], status);
			bad++;
		}
	}
	printf("chaos: %ld operations by 64 clients in %d s, %ld answers no kernel gives\n",
	       total[0], seconds, total[1]);
	return bad || total[1] || !total[0];
}
