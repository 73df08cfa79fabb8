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
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *chip_path;
static atomic_long ops, unexpected;

enum op {
	OP_OPEN, OP_CHIPINFO, OP_LINEINFO, OP_WATCH, OP_UNWATCH, OP_GET_LINE,
	OP_LINEHANDLE, OP_LINEEVENT, OP_CHIP_GARBAGE, OP_LINE_GET, OP_LINE_SET,
	OP_LINE_CONFIG, OP_LINE_GARBAGE, OP_READ_TINY, OP_READ, OP_POLL, OP_CLOSE,
	OP_NUM
};

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
static bool judge(enum op op, long rc, unsigned long detail)
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

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int open_chip(void)
{
	int fd = open(chip_path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "vgc-chaos: open %s: %s\n", chip_path, strerror(errno));
		exit(2);
	}
	return fd;
}

static unsigned int chip_lines(int chip)
{
	struct gpiochip_info ci;

	if (ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &ci)) {
		fprintf(stderr, "vgc-chaos: chip info: %s\n", strerror(errno));
		exit(2);
	}
	return ci.lines;
}

/* Requests n lines from first; output lines drive 1. The fd, or -errno. */
static int request(int chip, unsigned int first, unsigned int n, uint64_t flags)
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

/* ---- kill: SIGKILL at every step of a line request ---- */

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

static int cmd_kill(int iterations)
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

/* ---- chaos: random valid and invalid operations ---- */

static void *bad_pointer(unsigned int pick)
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

static void fill_random(void *buf, size_t len, unsigned int *seed)
{
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = (uint8_t)rand_r(seed);
}

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

static int cmd_chaos(int seconds)
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

/* ---- escape: everything a tenant can throw at the chip ---- */

static int cmd_escape(void)
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

/* ---- hold: blocked in reads and polls when the daemon dies ---- */

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

static int cmd_hold(void)
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
