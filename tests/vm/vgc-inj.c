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
 *                                namespace of its own whose /dev is a FUSE
 *                                filesystem where every lookup takes 3 s,
 *                                requests LINE over and over: each injection
 *                                takes seconds, and the injector's queue stays
 *                                long. Ends when a request fails otherwise
 *                                than EPERM (ENODEV: the daemon stops)
 *   vgc-inj loop CHIP HOLD VALUE LINE  the same in the caller's namespace:
 *                                requests that succeed, back to back
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fuse_lowlevel.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <time.h>
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

/*
 * A FUSE filesystem over /dev whose every lookup takes SLOW_SECS and finds
 * nothing: an open of a node path from here outlasts the injector's
 * watchdog (2 s a wait), and a daemon that looked such paths up itself
 * would wait as long for each.
 */
#define SLOW_SECS 3

static void slow_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct timespec ts = { SLOW_SECS, 0 };

	(void)parent, (void)name;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	fuse_reply_err(req, ENOENT);
}

static void slow_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st = { .st_ino = ino, .st_mode = S_IFDIR | 0755, .st_nlink = 2 };

	(void)fi;
	fuse_reply_attr(req, &st, 60);
}

static const struct fuse_lowlevel_ops slow_ops = {
	.lookup = slow_lookup,
	.getattr = slow_getattr,
};

static void *slow_loop(void *se)
{
	fuse_session_loop(se);
	return NULL;
}

static int slow_dev(void)
{
	char *argv[] = { "vgc-inj", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	struct fuse_session *se = fuse_session_new(&args, &slow_ops, sizeof(slow_ops), NULL);
	pthread_t loop;

	if (!se || fuse_session_mount(se, "/dev"))
		return -1;
	return pthread_create(&loop, NULL, slow_loop, se) ? -1 : 0;
}

static int queue(unsigned int hold, int value, unsigned int line, bool slow)
{
	int chip = open_chip(), held, fd, n = 0;
	char go;

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
	if (slow && (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		     slow_dev())) {
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
		/* EPERM: no path to the device from here; ENODEV: the daemon stops */
		if (fd != -EPERM && fd != -EBUSY)
			break;
	}
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
	if (argc >= 6 && (!strcmp(argv[1], "queue") || !strcmp(argv[1], "loop"))) {
		chip_path = argv[2];
		return queue((unsigned int)atoi(argv[3]), atoi(argv[4]), (unsigned int)atoi(argv[5]),
			     !strcmp(argv[1], "queue"));
	}
	fprintf(stderr, "usage: vgc-inj rebind CHIP LINE N | queue|loop CHIP HOLD VALUE LINE\n");
	return 2;
}
