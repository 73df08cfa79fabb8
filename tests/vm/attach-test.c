// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * attach-test PID HOST_NODE NODE [DEVNAME]: calls vgc_attach_apply() the way
 * the daemon does, from a process that has a second thread (setns() into a
 * mount namespace refuses multi-threaded callers, so this proves the fork).
 * MAJ:MIN comes from HOST_NODE. Prints the error and exits 1 on failure.
 *
 * attach-test swap DIR A B: the attacker's side of the race tests, run as
 * the container's root: exchanges DIR/A and DIR/B (a directory and a
 * symlink) atomically, as fast as it can, until killed.
 *
 * attach-test stall PID HOST_NODE NODE [DEVNAME]: attaches as above while a
 * second thread catches the helper child attach forks and stops it
 * (SIGSTOP), as a helper stuck in the container's files would be. Prints
 * whether the stopped helper held a descriptor the caller had open
 * ("inherited: yes|no"), the attach's answer, and whether the helper is
 * gone afterwards ("helper gone: yes|no"). Tries until a helper is caught.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cuse/attach.h"

static int idle_pipe[2];

static void *idle_thread(void *arg)
{
	char c;

	(void)arg;
	while (read(idle_pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int swap_loop(const char *dir, const char *a, const char *b)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		perror("attach-test swap: open");
		return 2;
	}
	for (;;) {
		if (renameat2(fd, a, fd, b, RENAME_EXCHANGE) < 0) {
			perror("attach-test swap: renameat2");
			return 2;
		}
	}
}

/* the stall test's catch: the helper's pid and what it held when stopped */
static volatile int stall_done;
static pid_t stall_pid;
static int stall_inherited = -1;
static const char stall_marker[] = "/dev/zero";

/* A child of this process (the helper attach forked), or 0. */
static pid_t stall_find_child(void)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (dir && !found && (de = readdir(dir))) {
		char path[64], text[512], *p;
		int fd, ppid;
		ssize_t n;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/stat", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			continue;
		text[n] = '\0';
		p = strrchr(text, ')');
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == getpid())
			found = (pid_t)atoi(de->d_name);
	}
	if (dir)
		closedir(dir);
	return found;
}

/* Whether pid holds an fd on the marker the caller has open. */
static int stall_holds_marker(pid_t pid)
{
	char path[64], link[256];
	struct dirent *de;
	int held = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		char fd_path[128];
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fd_path, sizeof(fd_path), "%s/%.16s", path, de->d_name);
		n = readlink(fd_path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			held |= !strcmp(link, stall_marker);
		}
	}
	closedir(dir);
	return held;
}

/* pid's mount namespace, "mnt:[N]"; empty once it is gone */
static void stall_mntns(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	n = readlink(path, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static void *stall_thread(void *arg)
{
	char self[64], now[64];
	pid_t pid = 0;

	(void)arg;
	stall_mntns(getpid(), self, sizeof(self));
	while (!stall_done && !pid)
		pid = stall_find_child();
	/* caught once inside the container: past its start-up, into its real work */
	while (!stall_done && pid) {
		stall_mntns(pid, now, sizeof(now));
		if (!now[0])
			return NULL;
		if (strcmp(now, self) == 0)
			continue;
		if (kill(pid, SIGSTOP) < 0)
			return NULL;
		break;
	}
	if (stall_done || !pid)
		return NULL;
	/* stopped once its state says so; then its fds are what it kept */
	for (int i = 0; i < 1000; i++) {
		char path[64], text[512], *p;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return NULL;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0)
			return NULL;
		text[n] = '\0';
		p = strrchr(text, ')');
		if (p && p[1] == ' ' && p[2] == 'T')
			break;
		usleep(1000);
	}
	stall_inherited = stall_holds_marker(pid);
	stall_pid = pid;
	return NULL;
}

static int stall_main(const struct vgc_attach *a, pid_t pid)
{
	int marker = open(stall_marker, O_RDONLY);	/* no O_CLOEXEC: as a daemon fd */
	char err[1024];

	if (marker < 0) {
		perror("attach-test stall: marker");
		return 2;
	}
	for (int tries = 0; tries < 200; tries++) {
		pthread_t thread;
		int ret;

		stall_done = 0;
		stall_pid = 0;
		if (pthread_create(&thread, NULL, stall_thread, NULL)) {
			perror("attach-test stall: thread");
			return 2;
		}
		ret = vgc_attach_apply(pid, a, err, sizeof(err));
		stall_done = 1;
		pthread_join(thread, NULL);
		if (!stall_pid)
			continue;	/* the helper was done before it was caught */
		printf("attach-test: stopped the helper (pid %d) after %d tries\n", (int)stall_pid,
		       tries + 1);
		printf("inherited: %s\n", stall_inherited > 0 ? "yes" : stall_inherited ? "?" : "no");
		printf("answer: rc %d: %s\n", ret, ret ? err : "ok");
		printf("helper gone: %s\n",
		       kill(stall_pid, 0) < 0 && errno == ESRCH ? "yes" : "no");
		return 0;
	}
	printf("attach-test: never caught the helper\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct vgc_attach a = { 0 };
	char err[1024];
	pthread_t thread;
	struct stat st;
	int ret;

	if (argc == 5 && !strcmp(argv[1], "swap"))
		return swap_loop(argv[2], argv[3], argv[4]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "stall")) {
		if (stat(argv[3], &st) < 0 || !S_ISCHR(st.st_mode)) {
			fprintf(stderr, "attach-test: %s is not a character device\n", argv[3]);
			return 2;
		}
		a.host_node = argv[3];
		a.node = argv[4];
		a.devname = argc == 6 ? argv[5] : NULL;
		a.rdev = st.st_rdev;
		return stall_main(&a, (pid_t)atoi(argv[2]));
	}
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: attach-test PID HOST_NODE NODE [DEVNAME]\n");
		return 2;
	}
	if (stat(argv[2], &st) < 0 || !S_ISCHR(st.st_mode)) {
		fprintf(stderr, "attach-test: %s is not a character device\n", argv[2]);
		return 2;
	}
	a.host_node = argv[2];
	a.node = argv[3];
	a.devname = argc == 5 ? argv[4] : NULL;
	a.rdev = st.st_rdev;
	if (pipe(idle_pipe) || pthread_create(&thread, NULL, idle_thread, NULL)) {
		perror("attach-test: thread");
		return 2;
	}
	ret = vgc_attach_apply((pid_t)atoi(argv[1]), &a, err, sizeof(err));
	close(idle_pipe[1]);
	pthread_join(thread, NULL);
	if (ret) {
		printf("attach-test: rc %d: %s\n", ret, err);
		return 1;
	}
	printf("attach-test: attached %s as %s in pid %s\n", a.host_node, a.node, argv[1]);
	return 0;
}
