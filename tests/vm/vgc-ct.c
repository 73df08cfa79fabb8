// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-ct PIDFILE CMD...: a minimal unprivileged container for the VM tests.
 * New user (root inside = host uid 100000, as LXD maps it), pid and mount
 * namespaces; a private /dev holding bind mounts of a few host nodes, as LXD
 * gives a container; its own /proc. Writes the host pid of the container's
 * init to PIDFILE, then waits for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CT_ROOT_UID 100000

static int sync_pipe[2];
static char **ct_argv;

static void die(const char *what)
{
	fprintf(stderr, "vgc-ct: %s: %s\n", what, strerror(errno));
	_exit(125);
}


static int ct_init(void *arg)
{
	char c;

	(void)arg;
	/* wait until the parent has written our id maps */
	close(sync_pipe[1]);
	if (read(sync_pipe[0], &c, 1) != 1)
		die("sync");
	if (setgid(0) || setuid(0))
		die("setuid");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("make / private");
	/* build the private /dev aside (only /tmp is writable to us), then move it */
	char dev[] = "/tmp/vgc-ct-dev.XXXXXX";

	if (!mkdtemp(dev))
		die("mkdtemp");
	if (mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=0755"))
		die("tmpfs /dev");
	for (const char *const *n = (const char *const[]){ "null", "zero", "full", "urandom",
							   "random", "tty", NULL };
	     *n; n++) {
		char src[64], dst[64];
		int fd;

		snprintf(src, sizeof(src), "/dev/%s", *n);
		snprintf(dst, sizeof(dst), "%s/%s", dev, *n);
		fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		if (mount(src, dst, NULL, MS_BIND, NULL))
			die(dst);
	}
	if (mount(dev, "/dev", NULL, MS_MOVE, NULL))
		die("move /dev");
	rmdir(dev);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		die("mount /proc");
	execvp(ct_argv[0], ct_argv);
	die(ct_argv[0]);
	return 125;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

int main(int argc, char **argv)
{
	static char stack[256 * 1024];
	char path[64], map[64];
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: vgc-ct PIDFILE CMD [ARGS]\n");
		return 2;
	}
	ct_argv = argv + 2;
	if (pipe(sync_pipe))
		die("pipe");
	pid = clone(ct_init, stack + sizeof(stack),
		    CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | SIGCHLD, NULL);
	if (pid < 0)
		die("clone");
	close(sync_pipe[0]);
	snprintf(map, sizeof(map), "0 %d 65536\n", CT_ROOT_UID);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	write_file(path, map);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	write_file(path, map);
	if (write(sync_pipe[1], "x", 1) != 1)
		die("sync");
	close(sync_pipe[1]);
	f = fopen(argv[1], "w");
	if (!f)
		die(argv[1]);
	fprintf(f, "%d\n", (int)pid);
	fclose(f);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
