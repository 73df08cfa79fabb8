// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The benchmark client, run in the VM by tests/bench/bench.sh. Raw uAPI, so
 * the same code measures the kernel's chardev, vgpiochip and the CUSE floor.
 *   vgc-bench values CHIP N          SET/GET_VALUES on a requested output line 0
 *   vgc-bench floor DEV N            the same ioctls answered by vgc-floor
 *   vgc-bench request CHIP N         line request + close, and the request ioctl alone
 *   vgc-bench latency CHIP LINE PULL N    sysfs pull -> event read, per edge
 *   vgc-bench sustained LABEL CHIP LINE PULL MS  the highest paced edge rate read
 *                                    with no loss (to within 5%), MS ms per try
 *   vgc-bench paced LABEL CHIP LINE PULL RATE MS  one run at RATE/s: events read, lost
 *   vgc-bench touch LABEL CHIP       chip info, request line 0, read it: the device serves
 *   vgc-bench flood CHIP LINE PULL MS     pulls as fast as possible for MS ms:
 *                                         events delivered per second, and lost
 * Output: "BENCH <name> median_us=<x> p99_us=<y>" or "BENCH <name> <key>=<v>..."
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/gpio.h>

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

static void report(const char *name, uint64_t *ns, int n)
{
	qsort(ns, (size_t)n, sizeof(*ns), cmp_u64);
	printf("BENCH %s median_us=%.1f p99_us=%.1f n=%d\n", name, ns[n / 2] / 1e3,
	       ns[(n * 99) / 100] / 1e3, n);
}

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "vgc-bench: open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

static int request(int chip, unsigned int line, uint64_t flags)
{
	struct gpio_v2_line_request req;

	memset(&req, 0, sizeof(req));
	req.offsets[0] = line;
	req.num_lines = 1;
	req.config.flags = flags;
	snprintf(req.consumer, sizeof(req.consumer), "vgc-bench");
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req)) {
		fprintf(stderr, "vgc-bench: request line %u: %s\n", line, strerror(errno));
		exit(1);
	}
	return req.fd;
}

/* SET then GET, n times each, on fd (a request fd, or the floor device). */
static int values(const char *label, int fd, int n)
{
	uint64_t *set = calloc((size_t)n, 8), *get = calloc((size_t)n, 8);
	char name[64];

	for (int i = 0; i < n; i++) {
		struct gpio_v2_line_values v = { .mask = 1, .bits = (uint64_t)(i & 1) };
		uint64_t t0 = now_ns();

		if (ioctl(fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &v))
			return perror("vgc-bench: SET_VALUES"), 1;
		set[i] = now_ns() - t0;
		t0 = now_ns();
		if (ioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v))
			return perror("vgc-bench: GET_VALUES"), 1;
		get[i] = now_ns() - t0;
	}
	snprintf(name, sizeof(name), "%s.set_values", label);
	report(name, set, n);
	snprintf(name, sizeof(name), "%s.get_values", label);
	report(name, get, n);
	free(set);
	free(get);
	return 0;
}

static void pull(int fd, int level)
{
	const char *v = level ? "pull-up" : "pull-down";

	if (pwrite(fd, v, strlen(v), 0) < 0) {
		perror("vgc-bench: pull");
		exit(1);
	}
}

static int latency(const char *label, int chip, unsigned int line, const char *pull_path, int n)
{
	int pfd = open(pull_path, O_WRONLY | O_CLOEXEC);
	int fd = request(chip, line, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
					     GPIO_V2_LINE_FLAG_EDGE_FALLING);
	uint64_t *ns = calloc((size_t)n, 8);
	char name[64];

	if (pfd < 0)
		return perror("vgc-bench: pull file"), 1;
	pull(pfd, 0);
	for (int i = 0; i < n; i++) {
		struct gpio_v2_line_event ev;
		uint64_t t0 = now_ns();

		pull(pfd, !(i & 1));
		if (read(fd, &ev, sizeof(ev)) != (ssize_t)sizeof(ev))
			return perror("vgc-bench: read event"), 1;
		ns[i] = now_ns() - t0;
	}
	snprintf(name, sizeof(name), "%s.edge_latency", label);
	report(name, ns, n);
	close(fd);
	return 0;
}

struct flood {
	int pfd;
	uint64_t until;
	uint64_t period_ns;	/* 0: as fast as possible */
	unsigned long pulls;
};

static void *flood_pull(void *arg)
{
	struct flood *f = arg;
	uint64_t next = now_ns();

	while (now_ns() < f->until) {
		pull(f->pfd, !(f->pulls & 1));
		f->pulls++;
		/*
		 * paced: the next pull at a fixed time, however long this one
		 * took; waited for by yielding, as the VM kernel's timers tick
		 * at 4 ms: on one CPU a woken reader (and daemon) runs at once,
		 * as it would beside an interrupt, not after a spinner's slice
		 */
		next += f->period_ns;
		while (f->period_ns && now_ns() < next)
			sched_yield();
	}
	return NULL;
}

/* Pulls for ms ms (every period_ns, or flat out) and reads; *got and *lost by seqno. */
static int flood_run(int chip, unsigned int line, const char *pull_path, int ms,
		     uint64_t period_ns, unsigned long *got_out, unsigned long *lost_out,
		     unsigned long *pulls)
{
	struct flood f = { .pfd = open(pull_path, O_WRONLY | O_CLOEXEC), .period_ns = period_ns };
	int fd = request(chip, line, GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING |
					     GPIO_V2_LINE_FLAG_EDGE_FALLING);
	unsigned long got = 0, lost = 0;
	uint32_t last = 0;
	pthread_t th;

	if (f.pfd < 0)
		return perror("vgc-bench: pull file"), -1;
	pull(f.pfd, 0);
	f.until = now_ns() + (uint64_t)ms * 1000000ULL;
	pthread_create(&th, NULL, flood_pull, &f);
	for (;;) {
		struct gpio_v2_line_event ev[64];
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0 && now_ns() > f.until)
			break;
		n = read(fd, ev, sizeof(ev));
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(ev[0]); i++) {
			lost += ev[i].seqno - last - 1;
			last = ev[i].seqno;
			got++;
		}
	}
	pthread_join(th, NULL);
	close(fd);
	close(f.pfd);
	*got_out = got;
	*lost_out = lost;
	*pulls = f.pulls;
	return 0;
}

static int flood(const char *label, int chip, unsigned int line, const char *pull_path, int ms)
{
	unsigned long got, lost, pulls;

	if (flood_run(chip, line, pull_path, ms, 0, &got, &lost, &pulls))
		return 1;
	printf("BENCH %s.flood events_per_s=%.0f lost=%lu pulls=%lu\n", label,
	       got / (ms / 1000.0), lost, pulls);
	return 0;
}

/* Paced runs at rate/s; 1 when every event reached the reader, 0 if not, -1 on error. */
static int paced_ok(const char *label, int chip, unsigned int line, const char *pull_path,
		    int ms, unsigned int rate)
{
	unsigned long got, lost, pulls;

	/* a pacer that fell behind (a stalled VM) gets two more tries */
	for (int try = 0; try < 3; try++) {
		if (flood_run(chip, line, pull_path, ms, 1000000000ULL / rate, &got, &lost,
			      &pulls))
			return -1;
		printf("# %s: %u/s paced: %lu pulls, %lu events read, %lu lost\n", label, rate,
		       pulls, got, lost);
		/*
		 * A seqno gap is a loss. (gpio-sim may fold two quick pulls
		 * into no edge at all: fewer events than pulls is not one.)
		 */
		if (lost)
			return 0;
		if (pulls >= (unsigned long)rate * (unsigned long)ms / 1000 * 9 / 10)
			return 1;
	}
	/* the pacer cannot keep this rate: not shown lossless */
	return 0;
}

/*
 * The highest paced edge rate at which every event of an ms-long run
 * reaches the reader: doubling from 250/s to the first lossy rate (or
 * halving down to 31/s to a lossless one), then bisecting between the two
 * to within 5%.
 */
static int sustained(const char *label, int chip, unsigned int line, const char *pull_path,
		     int ms)
{
	unsigned int lo = 0, hi = 0;
	int ok;

	for (unsigned int rate = 250; rate <= 256000; rate *= 2) {
		ok = paced_ok(label, chip, line, pull_path, ms, rate);
		if (ok < 0)
			return 1;
		if (!ok) {
			hi = rate;
			break;
		}
		lo = rate;
	}
	while (hi && !lo && hi > 31) {
		ok = paced_ok(label, chip, line, pull_path, ms, hi / 2);
		if (ok < 0)
			return 1;
		if (ok)
			lo = hi / 2;
		else
			hi /= 2;
	}
	while (hi && lo && (uint64_t)hi * 100 > (uint64_t)lo * 105) {
		unsigned int mid = lo + (hi - lo) / 2;

		ok = paced_ok(label, chip, line, pull_path, ms, mid);
		if (ok < 0)
			return 1;
		if (ok)
			lo = mid;
		else
			hi = mid;
	}
	printf("BENCH %s.sustained events_per_s=%u first_lossy=%u\n", label, lo, hi);
	return 0;
}

/* One paced run: what a reading tenant got and lost (seqno gaps). */
static int paced(const char *label, int chip, unsigned int line, const char *pull_path,
		 unsigned int rate, int ms)
{
	unsigned long got, lost, pulls;

	if (!rate || flood_run(chip, line, pull_path, ms, 1000000000ULL / rate, &got, &lost,
			       &pulls))
		return 1;
	printf("BENCH %s.paced rate=%u pulls=%lu events=%lu lost=%lu\n", label, rate, pulls, got,
	       lost);
	return 0;
}

/* A tenant serves: chip info, a line request, its value, and the close. */
static int touch(const char *label, const char *path)
{
	int chip = open_dev(path), fd;
	struct gpiochip_info ci;
	struct gpio_v2_line_values v = { .mask = 1 };

	if (ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &ci))
		return perror("vgc-bench: CHIPINFO"), 1;
	fd = request(chip, 0, GPIO_V2_LINE_FLAG_INPUT);
	if (ioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v))
		return perror("vgc-bench: GET_VALUES"), 1;
	close(fd);
	close(chip);
	printf("%s %s lines=%u\n", label, ci.label, ci.lines);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "values")) {
		int chip = open_dev(argv[3]);

		return values(argv[2], request(chip, 0, GPIO_V2_LINE_FLAG_OUTPUT), atoi(argv[4]));
	}
	if (argc == 5 && !strcmp(argv[1], "floor"))
		return values(argv[2], open_dev(argv[3]), atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "request")) {
		int chip = open_dev(argv[3]), n = atoi(argv[4]);
		uint64_t *ns = calloc((size_t)n, 8), *req_ns = calloc((size_t)n, 8);
		char name[64];

		/* the ioctl alone (what a line request costs) and with the close */
		for (int i = 0; i < n; i++) {
			uint64_t t0 = now_ns(), t1;
			int fd = request(chip, 1, GPIO_V2_LINE_FLAG_INPUT);

			t1 = now_ns();
			close(fd);
			ns[i] = now_ns() - t0;
			req_ns[i] = t1 - t0;
		}
		snprintf(name, sizeof(name), "%s.request", argv[2]);
		report(name, ns, n);
		snprintf(name, sizeof(name), "%s.request_ioctl", argv[2]);
		report(name, req_ns, n);
		return 0;
	}
	if (argc == 8 && !strcmp(argv[1], "paced"))
		return paced(argv[2], open_dev(argv[3]), (unsigned int)atoi(argv[4]), argv[5],
			     (unsigned int)atoi(argv[6]), atoi(argv[7]));
	if (argc == 4 && !strcmp(argv[1], "touch"))
		return touch(argv[2], argv[3]);
	if (argc == 7 && !strcmp(argv[1], "latency"))
		return latency(argv[2], open_dev(argv[3]), (unsigned int)atoi(argv[4]), argv[5],
			       atoi(argv[6]));
	if (argc == 7 && !strcmp(argv[1], "sustained"))
		return sustained(argv[2], open_dev(argv[3]), (unsigned int)atoi(argv[4]), argv[5],
				 atoi(argv[6]));
	if (argc == 7 && !strcmp(argv[1], "flood"))
		return flood(argv[2], open_dev(argv[3]), (unsigned int)atoi(argv[4]), argv[5],
			     atoi(argv[6]));
	fprintf(stderr, "usage: see the comment at the top of tests/vm/vgc-bench.c\n");
	return 2;
}
