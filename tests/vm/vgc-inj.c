// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Clients that go at the injection from the caller's side, for the VM
 * scenarios:
 *   vgc-inj rebind CHIP LINE N   N line requests that fail after the daemon
 *                                took them (the caller is traced already, so
 *                                the seize fails: EPERM), each followed at once
 *                                by an open of the chip from the same thread:
 *                                that open must be a chip (GPIO_GET_CHIPINFO
 *                                works), never the failed request's line fd;
 *                                LINE is free afterwards
 *   vgc-inj queue CHIP HOLD VALUE LINE  holds HOLD as an output at VALUE, says "held";
 *                                then, once a byte comes on stdin, in a mount
 *                                namespace of its own where
 *                                /dev/gpiochip0 keeps trading places with a
 *                                FIFO, requests LINE over and over: an injected
 *                                open that meets the FIFO waits there, and the
 *                                injector's queue stays long. Ends when a
 *                                request fails with ENODEV (the daemon stops)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *chip_path;

/* A v2 request of one line as an output at value: its fd, or -errno. */
static int request_out(int chip, unsigned int line, int value, const char *consumer)
{
	struct gpio_v2_line_request req;

	memset(&req, 0, sizeof(req));
	req.offsets[0] = line;
	req.num_lines = 1;
	req.config.flags = GPIO_V2_LINE_FLAG_OUTPUT;
	req.config.num_attrs = 1;
	req.config.attrs[0].mask = 1;
	req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	req.config.attrs[0].attr.values = value ? 1 : 0;
	snprintf(req.consumer, sizeof(req.consumer), "%s", consumer);
	if (ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0)
		return -errno;
	return req.fd;
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

static int rebind(unsigned int line, int n)
{
	int chip = open_chip(), ready[2], bad = 0, i, fd;
	struct gpiochip_info ci;
	pid_t tracer;
	char c;

	/* Yama scope 1 lets only a declared tracer at a non-descendant */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	if (pipe(ready))
		return 2;
	tracer = fork();
	if (tracer == 0) {
		close(ready[0]);
		if (ptrace(PTRACE_SEIZE, getppid(), 0, 0))
			_exit(1);
		if (write(ready[1], "s", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "the tracer could not seize\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		int ret = request_out(chip, line, 0, "rebind");

		if (ret != -EPERM) {
			fprintf(stderr, "try %d: the request got %s, not EPERM\n", i,
				ret < 0 ? strerror(-ret) : "a fd");
			bad++;
			if (ret >= 0)
				close(ret);
		}
		fd = open(chip_path, O_RDWR | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &ci) < 0) {
			fprintf(stderr, "try %d: the open after the failed request is no chip: %s\n",
				i, strerror(errno));
			bad++;
		}
		if (fd >= 0)
			close(fd);
	}
	kill(tracer, SIGKILL);
	waitpid(tracer, NULL, 0);
	fd = request_out(chip, line, 0, "rebind");
	if (fd < 0) {
		fprintf(stderr, "line %u is not free after the failed requests: %s\n", line,
			strerror(-fd));
		bad++;
	} else {
		close(fd);
	}
	printf("rebind: %d tries, %d wrong\n", n, bad);
	return bad ? 1 : 0;
}

static volatile int swap_stop;

/* Trades /dev/gpiochip0 (the device) and /dev/fifo, again and again. */
static void *queue_swap(void *arg)
{
	(void)arg;
	while (!swap_stop) {
		if (renameat2(AT_FDCWD, "/dev/gpiochip0", AT_FDCWD, "/dev/fifo", RENAME_EXCHANGE))
			break;
		usleep(200);
	}
	return NULL;
}

static int queue(unsigned int hold, int value, unsigned int line)
{
	int chip = open_chip(), held, fd, n = 0;
	pthread_t swapper;
	char go;
	struct stat st;

	held = request_out(chip, hold, value, "queue-hold");
	if (held < 0) {
		printf("hold: %s\n", strerror(-held));
		return 1;
	}
	printf("held\n");
	fflush(stdout);
	/* all hold before any queues: a byte on stdin says go */
	if (read(0, &go, 1) != 1) {
		printf("no go\n");
		return 1;
	}
	/* a /dev of our own (before any thread: unshare wants us alone) */
	if (fstat(chip, &st) || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/dev", "tmpfs", 0, "mode=0755") ||
	    mknod("/dev/gpiochip0", S_IFCHR | 0600, st.st_rdev) || mkfifo("/dev/fifo", 0600) ||
	    pthread_create(&swapper, NULL, queue_swap, NULL)) {
		printf("set-up: %s\n", strerror(errno));
		return 1;
	}
	for (;;) {
		fd = request_out(chip, line, 0, "queue");
		if (fd >= 0) {
			close(fd);
			n++;
			continue;
		}
		/* EPERM: the injected open met the FIFO at once; ENODEV: the daemon stops */
		if (fd != -EPERM && fd != -EBUSY)
			break;
	}
	swap_stop = 1;
	pthread_join(swapper, NULL);
	printf("queue: %d requests, then %s\n", n, strerror(-fd));
	close(held);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "rebind")) {
		chip_path = argv[2];
		return rebind((unsigned int)atoi(argv[3]), atoi(argv[4]));
	}
	if (argc >= 6 && !strcmp(argv[1], "queue")) {
		chip_path = argv[2];
		return queue((unsigned int)atoi(argv[3]), atoi(argv[4]), (unsigned int)atoi(argv[5]));
	}
	fprintf(stderr, "usage: vgc-inj rebind CHIP LINE N | queue CHIP HOLD VALUE LINE\n");
	return 2;
}
