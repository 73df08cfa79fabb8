// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Edge latency through vgpiochip --vhost-user, for `make bench`: the edge
 * starts on the host (a simulated line pulled through the daemon's control
 * socket) and ends in the guest's read(), two clocks that cannot be
 * compared. So the host times a round trip on its own clock: it pulls the
 * line, the guest reads the edge and answers with a byte on the VM's
 * second serial port (a pair of pipes on the host). That is an upper bound
 * of the edge's latency: the answer's way back (the guest's UART, QEMU, the
 * pipe) is in it. (Half a serial echo is no estimate of that way back: the
 * other direction, into the guest's tty, waits for its flip-buffer work and
 * takes milliseconds under TCG.)
 *
 *   vgc-vhost-bench guest CHIP LINE TTY N            (in the guest)
 *   vgc-vhost-bench host LABEL RUN_DIR TENANT HOSTLINE FROM_GUEST N
 * Output (host): "BENCH LABEL.edge_rtt median_us=... p99_us=... n=N".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MSG_READY 'R'
#define MSG_EDGE 'a'

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *label, const char *what, uint64_t *ns, int n)
{
	qsort(ns, (size_t)n, sizeof(*ns), cmp_u64);
	printf("BENCH %s.%s median_us=%.1f p99_us=%.1f n=%d\n", label, what, ns[n / 2] / 1e3,
	       ns[(n * 99) / 100] / 1e3, n);
}

static int die(const char *what)
{
	fprintf(stderr, "vgc-vhost-bench: %s: %s\n", what, strerror(errno));
	return 1;
}

static int put(int fd, char c)
{
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

/* The next byte from fd, or -1 after 10 s without one. */
static int get(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&p, 1, 10000) != 1 || read(fd, &c, 1) != 1)
		return -1;
	return (unsigned char)c;
}

/* Guest: answers every edge of LINE with a byte. */
static int guest(const char *chip_path, unsigned int line, const char *tty, int n)
{
	struct gpio_v2_line_request req = { .num_lines = 1 };
	struct termios t;
	int chip = open(chip_path, O_RDWR | O_CLOEXEC), fd = open(tty, O_RDWR | O_NOCTTY);

	if (chip < 0 || fd < 0)
		return die("open");
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	req.offsets[0] = line;
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
			   GPIO_V2_LINE_FLAG_EDGE_FALLING;
	snprintf(req.consumer, sizeof(req.consumer), "vgc-vhost-bench");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req))
		return die("line request");
	if (put(fd, MSG_READY))
		return die("ready");
	for (int edges = 0; edges < n; edges++) {
		struct pollfd p = { .fd = req.fd, .events = POLLIN };
		struct gpio_v2_line_event ev;

		if (poll(&p, 1, 30000) <= 0 || read(req.fd, &ev, sizeof(ev)) != sizeof(ev))
			return die("no edge from the host for 30 s");
		if (put(fd, MSG_EDGE))
			return die("edge answer");
	}
	return 0;
}

/* Host: `vgpiochip sim TENANT set LINE V` without a process: the control socket's one-line request. */
static int sim_set(const char *run_dir, const char *tenant, unsigned int line, int v)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char msg[64], ans[256];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ssize_t got;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", run_dir, tenant);
	snprintf(msg, sizeof(msg), "sim set %u %d\n", line, v);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, msg, strlen(msg)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	got = read(fd, ans, sizeof(ans) - 1);
	close(fd);
	return got > 2 && !strncmp(ans, "ok", 2) ? 0 : -1;
}

static int host(const char *label, const char *run_dir, const char *tenant, unsigned int line,
		const char *from_guest, int n)
{
	/* the open waits for QEMU to open its end of the pipe */
	int in = open(from_guest, O_RDONLY | O_CLOEXEC);
	uint64_t *edge = calloc((size_t)n, 8);

	if (in < 0 || !edge)
		return die("the serial pipes");
	/* the guest boots first: wait for it as long as a boot may take */
	for (char c = 0; c != MSG_READY;) {
		struct pollfd p = { .fd = in, .events = POLLIN };

		if (poll(&p, 1, 600000) != 1 || read(in, &c, 1) != 1)
			return die("no guest");
	}
	if (sim_set(run_dir, tenant, line, 0))
		return die("sim set");
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (sim_set(run_dir, tenant, line, !(i & 1)) || get(in) != MSG_EDGE)
			return die("edge");
		edge[i] = now_ns() - t0;
	}
	report(label, "edge_rtt", edge, n);
	close(in);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "guest"))
		return guest(argv[2], (unsigned int)atoi(argv[3]), argv[4], atoi(argv[5]));
	if (argc == 8 && !strcmp(argv[1], "host"))
		return host(argv[2], argv[3], argv[4], (unsigned int)atoi(argv[5]), argv[6],
			    atoi(argv[7]));
	fprintf(stderr, "usage: see the comment at the top of tests/vm/vgc-vhost-bench.c\n");
	return 2;
}
