// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A raw-uAPI client for the VM scenarios that unchanged tools cannot drive:
 *   vgc-client storm CHIP N          N line requests under a 100 us SIGALRM storm
 *   vgc-client threads CHIP T N BASE T threads, each requesting line BASE+t N times
 *   vgc-client bench CHIP N          median time of one line request (with injection)
 *   vgc-client reads CHIP NAME HOST VIRT  blocking, non-blocking and interrupted reads
 *                                    of edge events, driving host line HOST of the
 *                                    simulated tenant NAME with `vgpiochip sim`
 *   vgc-client hold CHIP LINE EDGES  holds LINE as an output at 1 and line EDGES with edge
 *                                    detection, a thread blocked in read() on it; says
 *                                    "held", prints what that read returns when it does, and
 *                                    on SIGUSR1 what a value read, a chip ioctl and a poll
 *                                    of the output request then get (after the daemon stopped)
 * Exits 0 when every request succeeded; prints what failed otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "../tally.h"

static const char *chip_path;
static volatile sig_atomic_t alarms;

static int request_line(int chip, unsigned int offset)
{
	struct gpio_v2_line_request req;
	int fd;

	memset(&req, 0, sizeof(req));
	req.offsets[0] = offset;
	req.num_lines = 1;
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT;
	snprintf(req.consumer, sizeof(req.consumer), "vgc-client");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req))
		return -errno;
	fd = req.fd;
	/* the new fd must be a line request: GET_VALUES works on it */
	struct gpio_v2_line_values v = { .mask = 1 };

	if (fd < 0 || ioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v)) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return fd < 0 ? -EBADF : -err;
	}
	close(fd);
	return 0;
}

static int open_chip(void)
{
	int fd = open(chip_path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", chip_path, strerror(errno));
		exit(2);
	}
	return fd;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static int storm(int n)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	int chip = open_chip(), failed = 0;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < n; i++) {
		int ret = request_line(chip, 0);

		if (ret) {
			fprintf(stderr, "storm: request %d: %s\n", i, strerror(-ret));
			failed++;
		}
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("storm: %d requests, %d failed, %d signals taken\n", n, failed, (int)alarms);
	return failed ? 1 : 0;
}

struct worker {
	pthread_t th;
	int chip, n, failed;
	unsigned int offset;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < w->n; i++) {
		int ret = request_line(w->chip, w->offset);

		if (ret) {
			fprintf(stderr, "thread on line %u, request %d: %s\n", w->offset, i,
				strerror(-ret));
			w->failed++;
		}
	}
	return NULL;
}

static int threads(int t, int n, unsigned int base)
{
	struct worker *w = calloc((size_t)t, sizeof(*w));
	int chip = open_chip(), failed = 0;

	for (int i = 0; i < t; i++) {
		w[i] = (struct worker){ .chip = chip, .n = n, .offset = base + (unsigned int)i };
		pthread_create(&w[i].th, NULL, worker_run, &w[i]);
	}
	for (int i = 0; i < t; i++) {
		pthread_join(w[i].th, NULL);
		failed += w[i].failed;
	}
	printf("threads: %d x %d requests, %d failed\n", t, n, failed);
	free(w);
	return failed ? 1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void report(const char *what, uint64_t *ns, int n)
{
	qsort(ns, (size_t)n, sizeof(*ns), cmp_u64);
	printf("bench: %s: median %.3f ms, p99 %.3f ms over %d\n", what, ns[n / 2] / 1e6,
	       ns[(n * 99) / 100] / 1e6, n);
}

/* Line request (the ioctl with its injection), a plain value ioctl, and close. */
static int bench(int n)
{
	uint64_t *req_ns = calloc((size_t)n, sizeof(uint64_t));
	uint64_t *get_ns = calloc((size_t)n, sizeof(uint64_t));
	uint64_t *close_ns = calloc((size_t)n, sizeof(uint64_t));
	int chip = open_chip();

	for (int i = 0; i < n; i++) {
		struct gpio_v2_line_request req;
		struct gpio_v2_line_values v = { .mask = 1 };
		uint64_t t0, t1, t2, t3;

		memset(&req, 0, sizeof(req));
		req.num_lines = 1;
		req.config.flags = GPIO_V2_LINE_FLAG_INPUT;
		t0 = now_ns();
		if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req)) {
			fprintf(stderr, "bench: request %d: %s\n", i, strerror(errno));
			return 1;
		}
		t1 = now_ns();
		if (ioctl(req.fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v)) {
			fprintf(stderr, "bench: get values %d: %s\n", i, strerror(errno));
			return 1;
		}
		t2 = now_ns();
		close(req.fd);
		t3 = now_ns();
		req_ns[i] = t1 - t0;
		get_ns[i] = t2 - t1;
		close_ns[i] = t3 - t2;
	}
	report("line request with injection", req_ns, n);
	report("GET_VALUES ioctl", get_ns, n);
	report("close of the request fd", close_ns, n);
	free(req_ns);
	free(get_ns);
	free(close_ns);
	return 0;
}

static void expect(int ok, const char *what)
{
	tally_check(ok, "%s", what);
}

static void sim_set(const char *name, const char *host, int level)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "vgpiochip sim %s set %s %d >/dev/null", name, host, level);
	if (system(cmd))
		fprintf(stderr, "reads: '%s' failed\n", cmd);
}

static void on_alarm_noop(int sig)
{
	(void)sig;
}

struct blocked_read {
	int fd;
	volatile pid_t tid;
	ssize_t n;
	struct gpio_v2_line_event ev;
};

static void *blocked_read_run(void *arg)
{
	struct blocked_read *b = arg;

	b->tid = gettid();
	b->n = read(b->fd, &b->ev, sizeof(b->ev));
	return NULL;
}

/* The front end's read paths: O_NONBLOCK, poll, blocking, signals. */
static int reads(const char *name, const char *host, unsigned int virt)
{
	struct sigaction sa = { .sa_handler = on_alarm_noop };	/* no SA_RESTART */
	struct gpio_v2_line_request req;
	struct gpio_v2_line_event ev[4];
	struct blocked_read b;
	struct pollfd pfd;
	pthread_t th;
	int chip = open_chip(), fd;
	ssize_t n;

	sim_set(name, host, 0);
	memset(&req, 0, sizeof(req));
	req.offsets[0] = virt;
	req.num_lines = 1;
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
			   GPIO_V2_LINE_FLAG_EDGE_FALLING;
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req)) {
		perror("reads: request");
		return 1;
	}
	fd = req.fd;
	expect((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY, "request fd is O_RDONLY");
	expect(fcntl(fd, F_GETFD) & FD_CLOEXEC, "request fd is close-on-exec");

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	n = read(fd, ev, sizeof(ev));
	expect(n < 0 && errno == EAGAIN, "O_NONBLOCK read of an empty queue gives EAGAIN");
	n = read(fd, ev, sizeof(ev[0]) - 1);
	expect(n < 0 && errno == EINVAL, "a read smaller than one event gives EINVAL");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	expect(poll(&pfd, 1, 0) == 0, "poll reports nothing while the queue is empty");

	sim_set(name, host, 1);
	expect(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN), "poll wakes with POLLIN on an edge");
	n = read(fd, ev, sizeof(ev));
	expect(n == (ssize_t)sizeof(ev[0]) && ev[0].id == GPIO_V2_LINE_EVENT_RISING_EDGE &&
		       ev[0].offset == virt && ev[0].seqno == 1 && ev[0].line_seqno == 1,
	       "the edge reads as one rising event on the virtual offset, seqno 1");

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	n = read(fd, ev, sizeof(ev));
	expect(n < 0 && errno == EINTR, "a signal interrupts a blocking read with EINTR");

	b = (struct blocked_read){ .fd = fd };
	pthread_create(&th, NULL, blocked_read_run, &b);
	/* the reader is parked in the daemon once its thread sits in read(2) */
	for (int i = 0; i < 500; i++) {
		char path[64], text[64] = "", want[16];
		FILE *f;

		snprintf(want, sizeof(want), "%d ", SYS_read);
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)b.tid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(text, sizeof(text), f))
				text[0] = '\0';
			fclose(f);
		}
		if (b.tid && !strncmp(text, want, strlen(want)))
			break;
		poll(NULL, 0, 10);
	}
	sim_set(name, host, 0);
	pthread_join(th, NULL);
	expect(b.n == (ssize_t)sizeof(b.ev) && b.ev.id == GPIO_V2_LINE_EVENT_FALLING_EDGE &&
		       b.ev.seqno == 2,
	       "a blocked read returns when the next edge arrives");
	close(fd);
	close(chip);
	return tally_end("vgc-client reads");
}

static const char *errno_name(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case ENODEV:
		return "ENODEV";
	case ENOTCONN:
		return "ENOTCONN";
	case ECONNABORTED:
		return "ECONNABORTED";
	default:
		return strerror(err);
	}
}

static void *hold_reader(void *arg)
{
	struct gpio_v2_line_event ev;
	int fd = *(int *)arg;
	ssize_t n = read(fd, &ev, sizeof(ev));

	printf("read: %s\n", n < 0 ? errno_name(errno) : "an event");
	fflush(stdout);
	return NULL;
}

static int hold(unsigned int line, unsigned int edges)
{
	struct gpio_v2_line_request ereq;
	pthread_t reader;
	struct gpio_v2_line_request req;
	struct gpio_v2_line_values lv = { .mask = 1 };
	struct gpiochip_info ci;
	struct pollfd pfd;
	sigset_t set;
	int chip, sig, n;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	chip = open(chip_path, O_RDWR | O_CLOEXEC);
	memset(&req, 0, sizeof(req));
	req.offsets[0] = line;
	req.num_lines = 1;
	req.config.flags = GPIO_V2_LINE_FLAG_OUTPUT;
	req.config.num_attrs = 1;
	req.config.attrs[0].mask = 1;
	req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	req.config.attrs[0].attr.values = 1;
	snprintf(req.consumer, sizeof(req.consumer), "holder");
	if (chip < 0 || ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0) {
		printf("request: %s\n", errno_name(errno));
		return 1;
	}
	memset(&ereq, 0, sizeof(ereq));
	ereq.offsets[0] = edges;
	ereq.num_lines = 1;
	ereq.config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
			    GPIO_V2_LINE_FLAG_EDGE_FALLING;
	snprintf(ereq.consumer, sizeof(ereq.consumer), "reader");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &ereq) < 0) {
		printf("edge request: %s\n", errno_name(errno));
		return 1;
	}
	pthread_create(&reader, NULL, hold_reader, &ereq.fd);
	printf("held\n");
	fflush(stdout);
	sigwait(&set, &sig);
	printf("get: %s\n", errno_name(ioctl(req.fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &lv) < 0
					    ? errno : 0));
	printf("chipinfo: %s\n", errno_name(ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &ci) < 0
						? errno : 0));
	pfd = (struct pollfd){ .fd = req.fd, .events = POLLIN };
	n = poll(&pfd, 1, 2000);
	printf("poll: %d%s%s%s\n", n, pfd.revents & POLLIN ? " IN" : "",
	       pfd.revents & POLLHUP ? " HUP" : "", pfd.revents & POLLERR ? " ERR" : "");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "storm")) {
		chip_path = argv[2];
		return storm(atoi(argv[3]));
	}
	if (argc >= 6 && !strcmp(argv[1], "threads")) {
		chip_path = argv[2];
		return threads(atoi(argv[3]), atoi(argv[4]), (unsigned int)atoi(argv[5]));
	}
	if (argc >= 4 && !strcmp(argv[1], "bench")) {
		chip_path = argv[2];
		return bench(atoi(argv[3]));
	}
	if (argc >= 6 && !strcmp(argv[1], "reads")) {
		chip_path = argv[2];
		return reads(argv[3], argv[4], (unsigned int)atoi(argv[5]));
	}
	if (argc >= 5 && !strcmp(argv[1], "hold")) {
		chip_path = argv[2];
		return hold((unsigned int)atoi(argv[3]), (unsigned int)atoi(argv[4]));
	}
	fprintf(stderr, "usage: vgc-client storm CHIP N | threads CHIP T N BASE | bench CHIP N | "
			"reads CHIP NAME HOST VIRT | hold CHIP LINE EDGES\n");
	return 2;
}
