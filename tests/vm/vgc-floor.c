// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-floor DEVNAME: the cheapest CUSE character device there is. Every ioctl
 * succeeds at once with zeroed output; opens and releases do nothing. The
 * benchmark runs the same value ioctls on it to measure the floor of any CUSE
 * design, against which vgpiochip's own cost is judged.
 */
#define FUSE_USE_VERSION 31
#include <cuse_lowlevel.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void floor_open(fuse_req_t req, struct fuse_file_info *fi)
{
	fi->nonseekable = 1;
	fuse_reply_open(req, fi);
}

static void floor_ioctl(fuse_req_t req, int cmd, void *arg, struct fuse_file_info *fi,
			unsigned int flags, const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
	char out[1024];

	(void)cmd;
	(void)arg;
	(void)fi;
	(void)flags;
	(void)in_buf;
	(void)in_bufsz;
	memset(out, 0, sizeof(out));
	fuse_reply_ioctl(req, 0, out_bufsz ? out : NULL,
			 out_bufsz < sizeof(out) ? out_bufsz : sizeof(out));
}

static const struct cuse_lowlevel_ops floor_ops = {
	.open = floor_open,
	.ioctl = floor_ioctl,
};

int main(int argc, char **argv)
{
	char devinfo[128], mnt[32];
	const char *dev_info_argv[] = { devinfo };
	char *fargv[] = { argv[0], NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, fargv);
	struct cuse_info ci = { .dev_info_argc = 1, .dev_info_argv = dev_info_argv };
	struct fuse_buf buf = { 0 };
	struct fuse_session *se;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: vgc-floor DEVNAME\n");
		return 2;
	}
	snprintf(devinfo, sizeof(devinfo), "DEVNAME=%s", argv[1]);
	fd = open("/dev/cuse", O_RDWR | O_CLOEXEC);
	se = fd < 0 ? NULL : cuse_lowlevel_new(&args, &ci, &floor_ops, NULL);
	snprintf(mnt, sizeof(mnt), "/dev/fd/%d", fd);
	if (!se || fuse_session_mount(se, mnt)) {
		perror("vgc-floor: /dev/cuse");
		return 1;
	}
	/* the same single-threaded receive/process loop vgpiochip runs */
	while (fuse_session_receive_buf(se, &buf) > 0)
		fuse_session_process_buf(se, &buf);
	return 0;
}
