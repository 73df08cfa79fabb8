// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-chaos kill: children request lines in a loop and are SIGKILLed at each
 * step of a request; afterwards no line may still be used.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chaos.h"

/* Lines of the chip someone holds, as its line info says. */
static int lines_used(int chip, unsigned int n)
{
	int used = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct gpio_v2_line_info info = { .offset = i };

		if (ioctl(chip, GPIO_V2_GET_LINEINFO_IOCTL, &info))
			return -1;
		used += !!(info.flags & GPIO_V2_LINE_FLAG_USED);
	}
	return used;
}

static void kill_child(int tick, unsigned int nlines)
{
	int chip = open_chip();

	for (unsigned int i = 0;; i++) {
		int fd;

		if (write(tick, "r", 1) != 1)
			_exit(1);
		fd = request(chip, i % (nlines - 1), 2, GPIO_V2_LINE_FLAG_OUTPUT);
		if (write(tick, fd >= 0 ? "d" : "e", 1) != 1)
			_exit(1);
		if (fd >= 0)
			close(fd);
	}
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Waits for one byte from the child; the byte, or 0 after timeout_ms. */
static char next_tick(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&pfd, 1, timeout_ms) != 1 || read(fd, &c, 1) != 1)
		return 0;
	return c;
}

int cmd_kill(int iterations)
{
	enum { K_BEFORE, K_STOPPED, K_RANDOM, K_AFTER, K_NUM };
	static const char *const names[K_NUM] = { "at once", "in the injection stop",
						  "after a random delay", "just after the reply" };
	unsigned int count[K_NUM] = { 0 }, hit_stop = 0, nlines, used = 0;
	int chip = open_chip(), bad = 0, i, fd;
	int64_t t0, deadline, typical;

	nlines = chip_lines(chip);
	/* the typical request time, to aim the random delays */
	t0 = now_ms();
	for (i = 0; i < 10; i++) {
		fd = request(chip, 0, 2, GPIO_V2_LINE_FLAG_OUTPUT);
		if (fd < 0) {
			fprintf(stderr, "vgc-chaos: kill: a plain request fails: %s\n",
				strerror(-fd));
			return 1;
		}
		close(fd);
	}
	typical = (now_ms() - t0) / 10 + 1;
	srandom((unsigned int)getpid());

	for (i = 0; i < iterations; i++) {
		int tick[2], status, mode = i % K_NUM;
		pid_t pid;
		char c;

		if (pipe2(tick, O_CLOEXEC))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(tick[0]);
			kill_child(tick[1], nlines);
		}
		close(tick[1]);
		/* 'r': the child is about to request; a few rounds in, some kills land on a warm client */
		c = next_tick(tick[0], 10000);
		for (int k = random() % 3; c && k > 0; k--)
			while ((c = next_tick(tick[0], 10000)) && c != 'r')
				;
		switch (mode) {
		case K_BEFORE:
			break;
		case K_STOPPED:
			deadline = now_ms() + 10 * typical + 100;
			while (now_ms() < deadline && proc_state(pid) != 't')
				;
			hit_stop += proc_state(pid) == 't';
			break;
		case K_RANDOM: {
			struct timespec ts = { 0, (random() % (2 * typical * 1000 + 1)) * 1000 };

			nanosleep(&ts, NULL);
			break;
		}
		case K_AFTER:
			while ((c = next_tick(tick[0], 10000)) == 'r')
				;
			break;
		}
		kill(pid, SIGKILL);
		count[mode]++;
		close(tick[0]);
		if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status)) {
			fprintf(stderr, "vgc-chaos: kill: child %d did not die of SIGKILL\n",
				(int)pid);
			bad++;
		}
	}
	/* releases reach the daemon after the kernel closed the files */
	deadline = now_ms() + 10000;
	while (now_ms() < deadline && (used = lines_used(chip, nlines)) != 0)
		;
	printf("kill: %d iterations, typical request %lld ms\n", iterations, (long long)typical);
	for (i = 0; i < K_NUM; i++)
		printf("kill:   %u killed %s\n", count[i], names[i]);
	printf("kill: %u kills found the client stopped for injection\n", hit_stop);
	printf("kill: %u lines still used afterwards\n", used);
	fd = request(chip, 0, 2, GPIO_V2_LINE_FLAG_OUTPUT);
	printf("kill: a request afterwards: %s\n", fd >= 0 ? "ok" : strerror(-fd));
	return bad || used || fd < 0;
}
