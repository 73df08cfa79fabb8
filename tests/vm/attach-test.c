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
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

int main(int argc, char **argv)
{
	struct vgc_attach a = { 0 };
	char err[1024];
	pthread_t thread;
	struct stat st;
	int ret;

	if (argc == 5 && !strcmp(argv[1], "swap"))
		return swap_loop(argv[2], argv[3], argv[4]);
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
