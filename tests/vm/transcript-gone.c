// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript's last steps (--gone-cmd): the chip is removed under open
 * chip, request and v1 event fds, and under a reader blocked in read().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

/*
 * A child blocked in read(fd) (a blocking fd) before the chip goes: writes
 * what read() ended with (an errno, 0 for data) to the pipe it returns. Dies
 * by SIGALRM if nothing ever wakes it.
 */
static int blocked_reader(int fd, pid_t *pid)
{
	int p[2];

	if (pipe(p) < 0)
		die("pipe");
	fflush(stdout);
	*pid = fork();
	if (*pid < 0)
		die("fork");
	if (*pid == 0) {
		char buf[EV_SIZE];
		int err;

		close(p[0]);
		signal(SIGALRM, SIG_DFL);
		alarm(2 * WAIT_MS / 1000);
		err = read(fd, buf, sizeof(buf)) < 0 ? errno : 0;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static void blocked_reader_step(const char *step, int rfd, pid_t pid)
{
	int err = 0;

	if (!(wait_fd(rfd, WAIT_MS) & POLLIN) || read(rfd, &err, sizeof(err)) != sizeof(err))
		out(step, "still blocked");
	else
		out(step, "%s", err ? errname(-err) : "data");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(rfd);
}

/* The chip goes away under open fds: ENODEV, and poll says HUP|ERR. */
void gone_steps(const char *path, const char *cmd)
{
	struct gpiochip_info ci;
	struct gpio_v2_line_values v = { .mask = 1 };
	struct gpio_v2_line_info li;
	struct gpioevent_request e;
	char buf[512];
	int w, fd, blocked, rfd;
	pid_t pid;

	w = open(path, O_RDWR | O_CLOEXEC);
	if (w < 0)
		die(path);
	memset(&li, 0, sizeof(li));
	li.offset = L_EDGE;
	xioctl(w, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &li);
	fd = rq_open("gone", IN | BOTH, L_EDGE);
	memset(&e, 0, sizeof(e));
	e.lineoffset = L_V1;
	e.handleflags = GPIOHANDLE_REQUEST_INPUT;
	e.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES;
	if (xioctl(tr_chip, GPIO_GET_LINEEVENT_IOCTL, &e))
		die("v1 event request");
	/* its own request: O_NONBLOCK below is per open file, and this one must block */
	blocked = rq_open("gone-blocked", IN | BOTH, L_EDGE2);
	rfd = blocked_reader(blocked, &pid);
	/* the kernel says ENODEV before it looks at O_NONBLOCK; a chip that would block must not hang us */
	fcntl(w, F_SETFL, O_NONBLOCK);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	fcntl(e.fd, F_SETFL, O_NONBLOCK);
	run(cmd);
	out("gone.chip.poll", "%s", revents_str(wait_fd(w, WAIT_MS)));
	out("gone.request.poll", "%s", revents_str(wait_fd(fd, WAIT_MS)));
	out("gone.v1_event.poll", "%s", revents_str(wait_fd(e.fd, WAIT_MS)));
	out("gone.chipinfo", "%s", errname(xioctl(tr_chip, GPIO_GET_CHIPINFO_IOCTL, &ci)));
	out("gone.lineinfo", "%s", errname(xioctl(tr_chip, GPIO_V2_GET_LINEINFO_IOCTL, &li)));
	out("gone.chip.read", "%s", read(w, buf, 288) < 0 ? errname(-errno) : "data");
	out("gone.request.get", "%s", errname(xioctl(fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v)));
	out("gone.request.read", "%s", read(fd, buf, EV_SIZE) < 0 ? errname(-errno) : "data");
	out("gone.v1_event.read", "%s", read(e.fd, buf, 16) < 0 ? errname(-errno) : "data");
	blocked_reader_step("gone.request.blocked_read", rfd, pid);
	rfd = blocked_reader(blocked, &pid);
	blocked_reader_step("gone.request.read_blocking", rfd, pid);
	close(blocked);
	close(e.fd);
	close(fd);
	close(w);
}
