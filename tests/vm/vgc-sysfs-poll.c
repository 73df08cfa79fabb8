// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-sysfs-poll FILE TIMEOUT_MS: waits for an edge on a GPIO sysfs value
 * file the way the sysfs documentation says to: read it (which acks), then
 * a blocking poll() for POLLPRI|POLLERR, then seek to 0 and read again.
 * Prints "armed" once it is about to poll, then the events poll returned
 * and the value read after; exits 0 on an edge, 1 on timeout or error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_value(int fd, char *buf, size_t size)
{
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	struct pollfd pfd = { .events = POLLPRI | POLLERR };
	char buf[64];
	int n;

	if (argc != 3) {
		fprintf(stderr, "usage: vgc-sysfs-poll FILE TIMEOUT_MS\n");
		return 2;
	}
	pfd.fd = open(argv[1], O_RDONLY);
	if (pfd.fd < 0 || read_value(pfd.fd, buf, sizeof(buf))) {
		printf("error: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("armed value=%s\n", buf);
	fflush(stdout);
	n = poll(&pfd, 1, atoi(argv[2]));
	if (n <= 0) {
		printf("%s\n", n ? strerror(errno) : "timeout");
		return 1;
	}
	if (read_value(pfd.fd, buf, sizeof(buf))) {
		printf("error: re-read: %s\n", strerror(errno));
		return 1;
	}
	printf("edge:%s%s value=%s\n", pfd.revents & POLLPRI ? " POLLPRI" : "",
	       pfd.revents & POLLERR ? " POLLERR" : "", buf);
	return pfd.revents & POLLPRI ? 0 : 1;
}
