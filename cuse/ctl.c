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
#include "attach_state.h"
#include "report.h"
#include "settings.h"
#include "daemon.h"
#include "hostlock.h"
#include "../sysfs/fs.h"

static int ctl_addr(struct sockaddr_un *sa, const char *run_dir, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s.sock", run_dir, name) >=
	    (int)sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Beside d->attached[i] (pid and node): the identity of the process that was
 * attached. And the daemon's own user namespace, for the check on open.
 */
static struct vgc_attach_id ctl_ids[VGC_MAX_ATTACH];
static const struct vgc_daemon *ctl_daemon;
static unsigned long long ctl_host_user_dev, ctl_host_user_ino;

int vgc_ctl_listen(struct vgc_daemon *d)
{
	char err[PATH_MAX + 256];
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, ret;

	ctl_daemon = d;
	if (stat("/proc/self/ns/user", &st) == 0) {
		ctl_host_user_dev = (unsigned long long)st.st_dev;
		ctl_host_user_ino = (unsigned long long)st.st_ino;
	}
	/* nothing goes into a run directory others could change */
	ret = vgc_hostlock_check_dir(d->opt.run_dir, err, sizeof(err));
	if (ret) {
		vgc_log(d, "%s", err);
		return ret;
	}
	ret = ctl_addr(&sa, d->opt.run_dir, d->cfg->tenant);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* a socket left by a daemon that died: ours to replace, as we hold NAME.lock */
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
	/* only now: the exit path unlinks ctl_path, and this socket is ours */
	snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", sa.sun_path);
	return 0;
}

static void ctl_sim(struct vgc_daemon *d, const char *args, char *ans, size_t len)
{
	char verb[8];
	unsigned int line;
	int value, n, ret;

	if (!d->cfg->sim_lines) {
		snprintf(ans, len, "error: %s has no simulated lines (started without --sim)",
			 d->cfg->tenant);
		return;
	}
	n = sscanf(args, "%7s %u %d", verb, &line, &value);
	if (n == 2 && !strcmp(verb, "get")) {
		ret = vgc_sim_level(d->be, line);
		if (ret < 0)
			snprintf(ans, len, "error: no simulated line %u (there are %u)", line,
				 d->cfg->sim_lines);
		else
			snprintf(ans, len, "ok %d", ret);
	} else if (n == 3 && !strcmp(verb, "set") && (value == 0 || value == 1)) {
		ret = vgc_sim_pull(d->be, line, value);
		if (ret < 0)
			snprintf(ans, len, "error: no simulated line %u (there are %u)", line,
				 d->cfg->sim_lines);
		else
			snprintf(ans, len, "ok");
	} else {
		snprintf(ans, len, "error: expected 'get LINE' or 'set LINE 0|1'");
	}
}

/*
 * The container's root may be an unprivileged host uid, which cannot open
 * our 0600 root-owned node: each attachment gets its own node, owned by the
 * container's root and bind-mounted into the container. The nodes live in
 * RUN_DIR/nodes (0700): no host process with that uid can reach them.
 */
static int ctl_attach_node(struct vgc_daemon *d, pid_t pid, char *path, size_t len,
			   char *err, size_t errlen)
{
	unsigned int uid, gid;
	int ret;

	ret = vgc_attach_root_id(pid, "uid_map", &uid);
	if (!ret)
		ret = vgc_attach_root_id(pid, "gid_map", &gid);
	if (ret == -ENOENT) {
		snprintf(err, errlen, "uid or gid 0 of pid %d's user namespace is not mapped, so "
			 "its root has no host id to own the node; map the container's root",
			 (int)pid);
		return ret;
	}
	if (ret) {
		snprintf(err, errlen, "cannot read the id maps of pid %d: %s", (int)pid,
			 strerror(-ret));
		return ret;
	}
	snprintf(path, len, "%s/nodes", d->opt.run_dir);
	ret = vgc_hostlock_mkdir(path, err, errlen);
	if (ret)
		return ret;
	snprintf(path, len, "%s/nodes/%s.%d.node", d->opt.run_dir, d->cfg->tenant, (int)pid);
	unlink(path);
	if (mknod(path, S_IFCHR | 0600, d->rdev) || chown(path, uid, gid)) {
		ret = -errno;
		snprintf(err, errlen, "cannot make the device node %.512s: %s", path, strerror(errno));
		return ret;
	}
	return 0;
}

/* Writes NAME.attach anew, 0600 whatever the umask. */
static int ctl_state_save(struct vgc_daemon *d)
{
	char line[PATH_MAX + 160];
	int fd, ret = 0;

	fd = open(d->state_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600))
		ret = -errno;
	for (unsigned int i = 0; !ret && i < d->num_attached; i++) {
		size_t len;

		ret = vgc_attach_state_format(&ctl_ids[i], d->attached[i].node, line, sizeof(line));
		if (!ret && d->attached[i].sysfs)
			ret = vgc_attach_state_put_sysfs(line, sizeof(line));
		len = strlen(line);
		if (!ret && write(fd, line, len) != (ssize_t)len)
			ret = errno ? -errno : -EIO;
	}
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* Whether attachment i is still its process (it may have gone, its pid reused). */
static bool ctl_attachment_live(unsigned int i)
{
	struct vgc_attach_id now;

	return !vgc_attach_id_read(ctl_ids[i].pid, &now) && vgc_attach_id_same(&now, &ctl_ids[i]);
}

/*
 * The slot for id at node: its own, else a free one. When the table is full,
 * attachments whose process is gone are dropped first, but only while no line
 * request is pending: those hold pointers to the nodes' strings.
 */
static int ctl_attach_slot(struct vgc_daemon *d, const struct vgc_attach_id *id,
			   const char *node)
{
	unsigned int i, kept = 0;

	for (i = 0; i < d->num_attached; i++)
		if (vgc_attach_id_same(&ctl_ids[i], id) && !strcmp(d->attached[i].node, node))
			return (int)i;
	if (d->num_attached < VGC_MAX_ATTACH)
		return (int)d->num_attached;
	if (d->pending)
		return -EBUSY;
	for (i = 0; i < d->num_attached; i++) {
		if (!ctl_attachment_live(i)) {
			vgc_log(d, "pid %d at %s is gone: forgetting that attachment",
				(int)ctl_ids[i].pid, d->attached[i].node);
			continue;
		}
		if (kept != i) {
			d->attached[kept] = d->attached[i];
			ctl_ids[kept] = ctl_ids[i];
		}
		kept++;
	}
	d->num_attached = kept;
	return kept < VGC_MAX_ATTACH ? (int)kept : -ENOSPC;
}

/*
 * attach --sysfs: the daemon must serve it (--sysfs), and its files become
 * the container's root's, who may then write them as on a real sysfs.
 */
static int ctl_sysfs_prepare(struct vgc_daemon *d, pid_t pid, char *err, size_t len)
{
	unsigned int uid, gid;
	int ret;

	if (!d->sysfs) {
		snprintf(err, len, "this daemon serves no /sys/class/gpio: start it with --sysfs");
		return -ENOTSUP;
	}
	ret = vgc_attach_root_id(pid, "uid_map", &uid);
	if (!ret)
		ret = vgc_attach_root_id(pid, "gid_map", &gid);
	if (ret) {
		snprintf(err, len, "cannot read the id maps of pid %d: %s", (int)pid,
			 ret == -ENOENT ? "its root is not mapped" : strerror(-ret));
		return ret;
	}
	vgc_sysfs_fs_set_owner(d->sysfs, uid, gid);
	return 0;
}

/*
 * Attaches pid at node. expect: the process as recorded (restore), or NULL
 * for the process that has the pid now (a new attach); either way the child
 * checks that it is that one process before it does anything.
 */
static void ctl_attach_id(struct vgc_daemon *d, pid_t pid, const char *node, bool sysfs,
			  const struct vgc_attach_id *expect, char *ans, size_t len)
{
	char err[1024], host_node[PATH_MAX / 2];
	struct vgc_attach_id id;
	struct vgc_attach a;
	int slot, ret;

	if (expect) {
		id = *expect;
	} else {
		ret = vgc_attach_id_read(pid, &id);
		if (ret) {
			snprintf(ans, len, "error: attach %s: cannot read pid %d in /proc: %s%s", node,
				 (int)pid, strerror(-ret), ret == -ESRCH ? " (is it running?)" : "");
			return;
		}
	}
	slot = ctl_attach_slot(d, &id, node);
	if (slot < 0) {
		if (slot == -EBUSY)
			snprintf(ans, len, "error: attach %s to pid %d: all %d attachment slots "
				 "are taken and a line request is in flight; try again", node,
				 (int)pid, VGC_MAX_ATTACH);
		else
			snprintf(ans, len, "error: attach %s to pid %d: this daemon already has "
				 "%d live attachments, the most it keeps; nothing was attached",
				 node, (int)pid, VGC_MAX_ATTACH);
		vgc_log(d, "%s", ans + 7);
		return;
	}
	/* once given /sys/class/gpio, kept on a later attach of the same process */
	if ((unsigned int)slot < d->num_attached && d->attached[slot].sysfs)
		sysfs = true;
	ret = ctl_attach_node(d, pid, host_node, sizeof(host_node), err, sizeof(err));
	if (ret) {
		snprintf(ans, len, "error: attach %s: %s", node, err);
		return;
	}
	a.host_node = host_node;
	a.node = node;
	a.devname = d->devname;
	a.rdev = d->rdev;
	a.expect = &id;
	a.sysfs_tree = NULL;
	if (sysfs) {
		ret = ctl_sysfs_prepare(d, pid, err, sizeof(err));
		if (ret) {
			snprintf(ans, len, "error: attach %s --sysfs: %s", node, err);
			return;
		}
		a.sysfs_tree = vgc_sysfs_fs_path(d->sysfs);
	}
	ret = vgc_attach_apply(pid, &a, err, sizeof(err));
	if (ret) {
		snprintf(ans, len, "error: %s", err);
		if (ret == -ETIMEDOUT)
			vgc_log(d, "%s", err);
		return;
	}
	if ((unsigned int)slot == d->num_attached) {
		d->attached[slot].pid = pid;
		snprintf(d->attached[slot].node, PATH_MAX, "%s", node);
		d->attached[slot].sysfs = false;
		d->num_attached++;
	}
	d->attached[slot].sysfs = sysfs;
	ctl_ids[slot] = id;
	vgc_log(d, "attached pid %d: %s is %s there", (int)pid, node, d->chip_name);
	ret = ctl_state_save(d);
	if (ret) {
		vgc_log(d, "cannot write %s: %s: pid %d will not be re-attached after a restart",
			d->state_path, strerror(-ret), (int)pid);
		snprintf(ans, len, "ok %s (but %s could not be written: %s; it will not be "
			 "re-attached after a restart)", node, d->state_path, strerror(-ret));
		return;
	}
	snprintf(ans, len, "ok %s", node);
}

static void ctl_attach(struct vgc_daemon *d, const char *args, char *ans, size_t len)
{
	char node[PATH_MAX / 4], extra[8] = "";
	int pid, n;

	n = sscanf(args, "%d %1023s %7s", &pid, node, extra);
	if (n < 2 || pid <= 0 || node[0] != '/' || (n == 3 && strcmp(extra, "sysfs"))) {
		snprintf(ans, len, "error: expected 'attach PID /dev/NODE [sysfs]'");
		return;
	}
	ctl_attach_id(d, pid, node, n == 3, NULL, ans, len);
}

bool vgc_attach_userns_known(unsigned long long dev, unsigned long long ino)
{
	const struct vgc_daemon *d = ctl_daemon;

	if (dev == ctl_host_user_dev && ino == ctl_host_user_ino)
		return true;
	for (unsigned int i = 0; d && i < d->num_attached; i++)
		if (ctl_ids[i].user_dev == dev && ctl_ids[i].user_ino == ino)
			return true;
	return false;
}

void vgc_ctl_reload(struct vgc_daemon *d, char *ans, size_t len)
{
	char msg[VGC_CONFIG_ERR_MAX + 128];

	if (vgc_settings_reload(d, msg, sizeof(msg))) {
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
	vgc_report_status(d, ans + 3, len - 3);
}

/* "ok", then the document: as long as it is, so straight from json-c's text. */
static void ctl_status_json(struct vgc_daemon *d, int fd)
{
	char *json = vgc_report_status_json(d);

	if (!json) {
		ctl_answer(d, fd, "error: out of memory\n");
		return;
	}
	ctl_answer(d, fd, "ok\n");
	ctl_answer(d, fd, json);
	free(json);
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
		else if (!strcmp(req, "status json")) {
			ctl_status_json(d, fd);
			close(fd);
			continue;
		}
		else if (!strcmp(req, "reload"))
			vgc_ctl_reload(d, ans, sizeof(ans));
		else if (!strcmp(req, "info"))
			/* fixed: --dev; dynamic: CUSE chose the number, which a restart changes */
			snprintf(ans, sizeof(ans), "ok %.512s %u:%u %s %.512s %s", d->host_node,
				 major(d->rdev), minor(d->rdev), d->chip_name, d->node,
				 d->cfg->has_dev ? "fixed" : "dynamic");
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
	size_t got = 0, cap = 65536;
	char *ans = malloc(cap);
	struct sockaddr_un sa;
	ssize_t n;
	int fd;

	if (!ans) {
		fprintf(stderr, "vgpiochip: out of memory\n");
		return 1;
	}

	if (ctl_addr(&sa, run_dir, name)) {
		fprintf(stderr, "vgpiochip: tenant name '%s' is too long\n", name);
		free(ans);
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
		free(ans);
		return 2;
	}
	char msg[PATH_MAX + 64];

	/* one write: the daemon answers after one read and closes */
	snprintf(msg, sizeof(msg), "%s\n", line);
	if (send(fd, msg, strlen(msg), MSG_NOSIGNAL) < 0) {
		fprintf(stderr, "vgpiochip: cannot send to %s: %s\n", sa.sun_path, strerror(errno));
		close(fd);
		free(ans);
		return 2;
	}
	/* the answer grows as it comes: status --json has no fixed size */
	for (;;) {
		if (cap - got < 4096) {
			char *more = realloc(ans, cap * 2);

			if (!more) {
				fprintf(stderr, "vgpiochip: out of memory\n");
				free(ans);
				close(fd);
				return 1;
			}
			ans = more;
			cap *= 2;
		}
		n = read(fd, ans + got, cap - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	ans[got] = '\0';
	if (!strncmp(ans, "ok", 2)) {
		const char *rest = ans[2] == ' ' ? ans + 3 : ans + 2;

		fputs(rest, stdout);
		free(ans);
		return 0;
	}
	fprintf(stderr, "vgpiochip %s: %s", name, got ? ans : "no answer from the daemon\n");
	free(ans);
	return 1;
}

/*
 * Attached namespaces survive a daemon restart: kept in NAME.attach with the
 * identity of each process. One is re-attached only if its pid is still
 * that process (start time, mount namespace); the file is then written anew
 * with only those, so gone ones are pruned.
 */
void vgc_attach_restore(struct vgc_daemon *d)
{
	struct {
		struct vgc_attach_id id;
		char node[PATH_MAX];
		bool sysfs;
	} *saved = calloc(VGC_MAX_ATTACH, sizeof(*saved));
	unsigned int n = 0, lineno = 0;
	char ans[2048], *line = NULL;
	size_t cap = 0;
	int ret;
	FILE *f;

	if (!saved) {
		vgc_log(d, "cannot restore attachments: out of memory");
		return;
	}
	f = fopen(d->state_path, "re");
	if (!f && errno != ENOENT)
		vgc_log(d, "cannot read %s: %s: no attachment is restored", d->state_path,
			strerror(errno));
	/* read it all first: re-attaching rewrites the file */
	while (f && getline(&line, &cap, f) > 0) {
		lineno++;
		if (n == VGC_MAX_ATTACH) {
			vgc_log(d, "%s: more than %d attachments; line %u and later are dropped",
				d->state_path, VGC_MAX_ATTACH, lineno);
			break;
		}
		saved[n].sysfs = vgc_attach_state_take_sysfs(line);
		if (vgc_attach_state_parse(line, &saved[n].id, saved[n].node,
					   sizeof(saved[n].node))) {
			line[strcspn(line, "\n")] = '\0';
			vgc_log(d, "%s line %u: '%.64s' names no process by start time and "
				"namespace (older format?): dropped; attach it again", d->state_path,
				lineno, line);
			continue;
		}
		n++;
	}
	free(line);
	if (f)
		fclose(f);
	for (unsigned int i = 0; i < n; i++) {
		struct vgc_attach_id now;

		ret = vgc_attach_id_read(saved[i].id.pid, &now);
		if (ret || !vgc_attach_id_same(&now, &saved[i].id)) {
			vgc_log(d, "not re-attaching pid %d at %s: %s", (int)saved[i].id.pid,
				saved[i].node, ret ? "the process is gone"
						   : "the pid is now another process (start time or "
						     "mount namespace differ)");
			continue;
		}
		ctl_attach_id(d, saved[i].id.pid, saved[i].node, saved[i].sysfs, &saved[i].id, ans,
			      sizeof(ans));
		if (strncmp(ans, "ok", 2))
			vgc_log(d, "could not re-attach pid %d at %s: %s", (int)saved[i].id.pid,
				saved[i].node, ans);
	}
	ret = ctl_state_save(d);
	if (ret)
		vgc_log(d, "cannot write %s: %s", d->state_path, strerror(-ret));
	free(saved);
}
