// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's control socket, /run/vgpiochip/NAME.sock (root only): one
 * request line in, one answer out ("ok ..." or "error: ..."; status answers
 * several lines). Used by `vgpiochip sim`, `attach`, `status` and `reload`.
 */

#define CTL_ANSWER_MAX (256 * 1024)
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <signal.h>
#include <unistd.h>

#include "attach.h"
#include "conf.h"
#include "daemon.h"

static int ctl_addr(struct sockaddr_un *sa, const char *run_dir, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s.sock", run_dir, name) >=
	    (int)sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int vgc_ctl_listen(struct vgc_daemon *d)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd, ret;

	if (mkdir(d->opt.run_dir, 0755) && errno != EEXIST)
		return -errno;
	ret = ctl_addr(&sa, d->opt.run_dir, d->opt.name);
	if (ret)
		return ret;
	snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(sa.sun_path);
	/* root only from the first moment: no window where others could connect */
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret || listen(fd, 8)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	d->ctl_fd = fd;
	return 0;
}

static void ctl_sim(struct vgc_daemon *d, const char *args, char *ans, size_t len)
{
	char verb[8];
	unsigned int line;
	int value, n, ret;

	if (!d->opt.sim_lines) {
		snprintf(ans, len, "error: %s has no simulated lines (started without --sim)",
			 d->opt.name);
		return;
	}
	n = sscanf(args, "%7s %u %d", verb, &line, &value);
	if (n == 2 && !strcmp(verb, "get")) {
		ret = vgc_sim_level(d->be, line);
		if (ret < 0)
			snprintf(ans, len, "error: no simulated line %u (there are %u)", line,
				 d->opt.sim_lines);
		else
			snprintf(ans, len, "ok %d", ret);
	} else if (n == 3 && !strcmp(verb, "set") && (value == 0 || value == 1)) {
		ret = vgc_sim_pull(d->be, line, value);
		if (ret < 0)
			snprintf(ans, len, "error: no simulated line %u (there are %u)", line,
				 d->opt.sim_lines);
		else
			snprintf(ans, len, "ok");
	} else {
		snprintf(ans, len, "error: expected 'get LINE' or 'set LINE 0|1'");
	}
}

/*
 * The container's root may be an unprivileged host uid, which cannot open
 * our 0600 root-owned node: each attachment gets its own node, owned by the
 * container's root and bind-mounted into the container.
 */
static int ctl_attach_node(struct vgc_daemon *d, pid_t pid, char *path, size_t len)
{
	snprintf(path, len, "%s/%s.%d.node", d->opt.run_dir, d->opt.name, (int)pid);
	unlink(path);
	if (mknod(path, S_IFCHR | 0600, d->rdev) ||
	    chown(path, vgc_attach_root_id(pid, "uid_map"), vgc_attach_root_id(pid, "gid_map")))
		return -errno;
	return 0;
}

static void ctl_attach(struct vgc_daemon *d, const char *args, char *ans, size_t len)
{
	char node[PATH_MAX / 4], err[512], host_node[PATH_MAX / 2];
	struct vgc_attach a;
	int pid, ret;

	if (sscanf(args, "%d %1023s", &pid, node) != 2 || pid <= 0 || node[0] != '/') {
		snprintf(ans, len, "error: expected 'attach PID /dev/NODE'");
		return;
	}
	ret = ctl_attach_node(d, pid, host_node, sizeof(host_node));
	if (ret) {
		snprintf(ans, len, "error: cannot make a device node in %s: %s", d->opt.run_dir,
			 strerror(-ret));
		return;
	}
	a.host_node = host_node;
	a.node = node;
	a.devname = d->devname;
	a.rdev = d->rdev;
	ret = vgc_attach_apply(pid, &a, err, sizeof(err));
	if (ret) {
		snprintf(ans, len, "error: %s", err);
		return;
	}
	vgc_attach_remember(d, pid, node);
	vgc_log(d, "attached pid %d: %s is %s there", pid, node, d->chip_name);
	snprintf(ans, len, "ok %s", node);
}

void vgc_ctl_reload(struct vgc_daemon *d, char *ans, size_t len)
{
	char msg[VGC_CONFIG_ERR_MAX + 128];

	if (vgc_conf_reload(d, msg, sizeof(msg))) {
		vgc_log(d, "reload refused, nothing changed: %s", msg);
		snprintf(ans, len, "error: nothing changed: %s", msg);
		return;
	}
	vgc_log(d, "%s", msg);
	snprintf(ans, len, "ok %s", msg);
}

/* The answer may be long (status): written in full, for at most a second. */
static void ctl_answer(struct vgc_daemon *d, int fd, const char *ans)
{
	struct timeval tv = { .tv_sec = 1 };
	size_t len = strlen(ans), done = 0;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (done < len) {
		ssize_t n = send(fd, ans + done, len - done, MSG_NOSIGNAL);

		if (n <= 0) {
			vgc_log(d, "control socket: cannot answer: %s", strerror(errno));
			return;
		}
		done += (size_t)n;
	}
}

static void ctl_status(struct vgc_daemon *d, char *ans, size_t len)
{
	/* "ok" on a line of its own, then the report */
	snprintf(ans, len, "ok\n");
	vgc_conf_status(d, ans + 3, len - 3);
}

void vgc_ctl_accept(struct vgc_daemon *d)
{
	static char ans[CTL_ANSWER_MAX];
	char req[PATH_MAX + 64];
	ssize_t n;
	int fd;

	while ((fd = accept4(d->ctl_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		/* requests are one short line; a client that sends nothing gets nothing */
		struct timeval tv = { .tv_sec = 1 };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		n = read(fd, req, sizeof(req) - 1);
		if (n <= 0) {
			close(fd);
			continue;
		}
		req[n] = '\0';
		req[strcspn(req, "\n")] = '\0';
		if (!strncmp(req, "sim ", 4))
			ctl_sim(d, req + 4, ans, sizeof(ans));
		else if (!strncmp(req, "attach ", 7))
			ctl_attach(d, req + 7, ans, sizeof(ans));
		else if (!strcmp(req, "status"))
			ctl_status(d, ans, sizeof(ans));
		else if (!strcmp(req, "reload"))
			vgc_ctl_reload(d, ans, sizeof(ans));
		else if (!strcmp(req, "info"))
			snprintf(ans, sizeof(ans), "ok %.512s %u:%u %s %.512s", d->host_node,
				 major(d->rdev), minor(d->rdev), d->chip_name, d->opt.node);
		else
			snprintf(ans, sizeof(ans), "error: unknown request '%.64s'", req);
		if (!strchr(ans, '\n') || ans[strlen(ans) - 1] != '\n')
			strcat(ans, "\n");
		ctl_answer(d, fd, ans);
		close(fd);
	}
}

int vgc_ctl_request(const char *run_dir, const char *name, const char *line)
{
	static char ans[CTL_ANSWER_MAX];
	struct sockaddr_un sa;
	ssize_t n;
	size_t got = 0;
	int fd;

	if (ctl_addr(&sa, run_dir, name)) {
		fprintf(stderr, "vgpiochip: tenant name '%s' is too long\n", name);
		return 2;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr,
			"vgpiochip: cannot reach the daemon of '%s' at %s: %s (is 'vgpiochip "
			"--name %s ...' running, and are you root?)\n",
			name, sa.sun_path, strerror(errno), name);
		if (fd >= 0)
			close(fd);
		return 2;
	}
	char msg[PATH_MAX + 64];

	/* one write: the daemon answers after one read and closes */
	snprintf(msg, sizeof(msg), "%s\n", line);
	if (send(fd, msg, strlen(msg), MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "vgpiochip: cannot send to %s: %s\n", sa.sun_path, strerror(errno));
		close(fd);
		return 2;
	}
	while (got < sizeof(ans) - 1 && (n = read(fd, ans + got, sizeof(ans) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	ans[got] = '\0';
	if (!strncmp(ans, "ok", 2)) {
		const char *rest = ans[2] == ' ' ? ans + 3 : ans + 2;

		fputs(rest, stdout);
		return 0;
	}
	fprintf(stderr, "vgpiochip %s: %s", name, got ? ans : "no answer from the daemon\n");
	return 1;
}

/* Attached namespaces survive a daemon restart: kept in NAME.attach. */
int vgc_attach_remember(struct vgc_daemon *d, pid_t pid, const char *node)
{
	FILE *f;

	for (unsigned int i = 0; i < d->num_attached; i++)
		if (d->attached[i].pid == pid && !strcmp(d->attached[i].node, node))
			return 0;
	if (d->num_attached == VGC_MAX_ATTACH)
		return -ENOSPC;
	d->attached[d->num_attached].pid = pid;
	snprintf(d->attached[d->num_attached].node, PATH_MAX, "%s", node);
	d->num_attached++;
	f = fopen(d->state_path, "we");
	if (!f)
		return -errno;
	for (unsigned int i = 0; i < d->num_attached; i++)
		fprintf(f, "%d %s\n", (int)d->attached[i].pid, d->attached[i].node);
	return fclose(f) ? -errno : 0;
}

void vgc_attach_restore(struct vgc_daemon *d)
{
	struct {
		int pid;
		char node[PATH_MAX];
	} *saved = calloc(VGC_MAX_ATTACH, sizeof(*saved));
	unsigned int n = 0;
	char ans[2048];
	FILE *f = fopen(d->state_path, "re");

	if (!f || !saved)
		goto out;
	/* read it all first: re-attaching rewrites the file */
	while (n < VGC_MAX_ATTACH && fscanf(f, "%d %4095s", &saved[n].pid, saved[n].node) == 2)
		n++;
	fclose(f);
	f = NULL;
	for (unsigned int i = 0; i < n; i++) {
		char args[PATH_MAX + 32];

		/* a namespace whose process is gone has nobody left to serve */
		if (kill(saved[i].pid, 0) && errno == ESRCH)
			continue;
		snprintf(args, sizeof(args), "%d %s", saved[i].pid, saved[i].node);
		ctl_attach(d, args, ans, sizeof(ans));
		if (strncmp(ans, "ok", 2))
			vgc_log(d, "could not re-attach pid %d at %s: %s", saved[i].pid,
				saved[i].node, ans);
	}
out:
	if (f)
		fclose(f);
	free(saved);
}
