/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attach: our node and a sysfs view in a container's mount namespace.
 *
 * setns(CLONE_NEWNS) refuses a multi-threaded caller and the daemon has
 * threads, so the namespace work runs in a forked child. Everything the child
 * needs (strings, scratch space for directory listings) is prepared before
 * fork; the child only makes syscalls and does small string work on memory it
 * already has, then sends back one fixed-size result through a pipe.
 *
 * The child joins only the mount namespace, never the user namespace: the
 * daemon is root in the initial user namespace and keeps host privileges for
 * the mounts, also in a container that has a user namespace of its own.
 *
 * A device node made inside a user namespace cannot be opened, so the node is
 * a bind mount of the host node, cloned with open_tree() before entering.
 */
#include "attach_job.h"
#include "attach_state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the caller's side ---- */

static void attach_unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static bool attach_covers(const char *mp, const char *path)
{
	size_t len = strlen(mp);

	if (strcmp(mp, "/") == 0)
		return true;
	return strncmp(mp, path, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/*
 * A mount made under a shared mount propagates to its peers, which may be the
 * host's. The mounts our views go under are turned into slaves: the
 * container still receives the host's mounts but no longer sends its own.
 * /proc/PID/mountinfo shows paths as PID sees them, the same paths the child
 * uses after entering.
 */
static int attach_find_shared(struct attach_job *j, const char *node_dir)
{
	const char *paths[ATTACH_MAX_SLAVES] = { node_dir, ATTACH_BUS, ATTACH_DEVICES_PARENT };
	char best[ATTACH_MAX_SLAVES][PATH_MAX] = { { 0 } };
	bool shared[ATTACH_MAX_SLAVES] = { false };
	char path[64], *line = NULL;
	size_t cap = 0;
	unsigned int i, k;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)j->pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL, *field, *mp = NULL;
		bool is_shared = false;

		for (field = strtok_r(line, " \n", &save), k = 0; field;
		     field = strtok_r(NULL, " \n", &save), k++) {
			if (k == 4)
				mp = field;
			if (k >= 6 && strcmp(field, "-") == 0)
				break;
			if (k >= 6 && strncmp(field, "shared:", 7) == 0)
				is_shared = true;
		}
		if (!mp)
			continue;
		attach_unescape(mp);
		/* Later lines are mounted on top of earlier ones at the same point. */
		for (i = 0; i < ATTACH_MAX_SLAVES; i++) {
			if (attach_covers(mp, paths[i]) && strlen(mp) >= strlen(best[i])) {
				vgc_attach_copy(best[i], sizeof(best[i]), mp);
				shared[i] = is_shared;
			}
		}
	}
	free(line);
	fclose(f);
	for (i = 0; i < ATTACH_MAX_SLAVES; i++) {
		bool dup = false;

		for (k = 0; k < j->num_slaves; k++)
			dup |= strcmp(j->slave[k], best[i]) == 0;
		if (shared[i] && !dup)
			vgc_attach_copy(j->slave[j->num_slaves++], PATH_MAX, best[i]);
	}
	return 0;
}

int vgc_attach_root_id(pid_t pid, const char *map, unsigned int *id)
{
	unsigned long inside, outside, count;
	char path[64];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, map);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
		if (inside == 0 && count > 0) {
			*id = (unsigned int)outside;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static int attach_ns_id(pid_t pid, const char *ns, unsigned long long *dev,
			unsigned long long *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if (stat(path, &st) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	*dev = (unsigned long long)st.st_dev;
	*ino = (unsigned long long)st.st_ino;
	return 0;
}

int vgc_attach_id_read(pid_t pid, struct vgc_attach_id *id)
{
	char path[64], text[1024];
	ssize_t n;
	int fd, ret;

	memset(id, 0, sizeof(*id));
	id->pid = pid;
	ret = attach_ns_id(pid, "mnt", &id->mnt_dev, &id->mnt_ino);
	if (!ret)
		ret = attach_ns_id(pid, "user", &id->user_dev, &id->user_ino);
	if (ret)
		return ret;
	/* last: a start time read after the namespaces proves they were this process's */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, text, sizeof(text) - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	text[n] = '\0';
	return vgc_attach_stat_start(text, &id->start) ? -EIO : 0;
}

static const char *attach_hint(const struct attach_job *j, char *buf, size_t size)
{
	const struct attach_result *r = &j->res;
	unsigned int maj = major(j->a->rdev), min = minor(j->a->rdev);

	switch (r->step) {
	case ATTACH_OPEN_NS:
	case ATTACH_OPEN_ROOT:
		snprintf(buf, size, "pid %d has no mount namespace we can enter: is it running?",
			 (int)j->pid);
		break;
	case ATTACH_OPEN_TREE:
		if (r->err == ENOSYS)
			snprintf(buf, size, "cannot clone %s: open_tree() needs Linux 5.2 or later",
				 r->detail);
		else
			snprintf(buf, size, "cannot clone the host node %s: is the device up?",
				 r->detail);
		break;
	case ATTACH_IDENTITY:
		snprintf(buf, size, "pid %d is no longer the process that was attached (its %s "
			 "changed): the pid was reused; nothing was done", (int)j->pid, r->detail);
		break;
	case ATTACH_NOT_SYSFS:
		snprintf(buf, size, "%s in pid %d is not the kernel's sysfs reached without "
			 "crossing a mount or a symlink; refusing to put a view there", r->detail,
			 (int)j->pid);
		break;
	case ATTACH_VIEW_MAKE:
		snprintf(buf, size, "cannot make the sysfs view for %s: fsopen()/fsmount() need "
			 "Linux 5.2, openat2() 5.6, mount_setattr() 5.12", r->detail);
		break;
	case ATTACH_SETNS:
		snprintf(buf, size, "cannot enter the mount namespace of pid %d: run as root "
			 "(CAP_SYS_ADMIN) in the initial user namespace", (int)j->pid);
		break;
	case ATTACH_CHROOT:
		snprintf(buf, size, "cannot reach the root directory of pid %d", (int)j->pid);
		break;
	case ATTACH_PROPAGATION:
		snprintf(buf, size, "cannot make %s a slave mount in pid %d, so our mounts would "
			 "reach the host: start the container with private mount propagation",
			 r->detail, (int)j->pid);
		break;
	case ATTACH_NO_GPIO_BUS:
		snprintf(buf, size, "%s is missing in pid %d: the host kernel needs CONFIG_GPIOLIB "
			 "and the container needs /sys mounted", r->detail, (int)j->pid);
		break;
	case ATTACH_SYSFS_LINK:
		snprintf(buf, size, "cannot resolve %s in pid %d: is /sys mounted in the container "
			 "and is device %u:%u registered?", r->detail, (int)j->pid, maj, min);
		break;
	case ATTACH_SYSFS_NAME:
		snprintf(buf, size, "sysfs says %u:%u is %s, not %s: the device number is wrong",
			 maj, min, r->detail, j->a->devname);
		break;
	case ATTACH_NODE_BUSY:
		snprintf(buf, size, "%s in pid %d is something else than device %u:%u: remove it "
			 "or pick another node name", r->detail, (int)j->pid, maj, min);
		break;
	case ATTACH_NODE_UMOUNT:
		snprintf(buf, size, "cannot unmount the earlier node %s in pid %d", r->detail,
			 (int)j->pid);
		break;
	case ATTACH_NODE_CREATE:
		snprintf(buf, size, "cannot create the mount point %s in pid %d: does its "
			 "directory exist and is it writable?", r->detail, (int)j->pid);
		break;
	case ATTACH_NODE_MOUNT:
		snprintf(buf, size, "cannot bind %s onto %s in pid %d", j->a->host_node, r->detail,
			 (int)j->pid);
		break;
	case ATTACH_SYSFS_TREE:
		snprintf(buf, size, "cannot clone our /sys/class/gpio at %s: is the daemon's sysfs "
			 "view mounted?", r->detail);
		break;
	case ATTACH_SYSFS_CLASS:
		snprintf(buf, size, "%s is missing in pid %d: the kernel has no CONFIG_GPIO_SYSFS, "
			 "so there is no directory to put the view on", r->detail, (int)j->pid);
		break;
	case ATTACH_SYSFS_UMOUNT:
		snprintf(buf, size, "cannot unmount what covers %s in pid %d", r->detail,
			 (int)j->pid);
		break;
	case ATTACH_SYSFS_MOUNT:
		snprintf(buf, size, "cannot put our GPIO sysfs view on %s in pid %d", r->detail,
			 (int)j->pid);
		break;
	case ATTACH_BUS_LIST:
		snprintf(buf, size, "cannot read the chips listed in %s (%s) in pid %d",
			 ATTACH_BUS_DEVICES, r->detail, (int)j->pid);
		break;
	default:
		snprintf(buf, size, "cannot put the sysfs view on %s in pid %d", r->detail,
			 (int)j->pid);
		break;
	}
	return buf;
}

static int attach_job_init(struct attach_job *j, pid_t pid, const struct vgc_attach *a,
			   char *err, size_t errlen)
{
	unsigned int maj = major(a->rdev), min = minor(a->rdev), uid, gid;
	const char *slash = strrchr(a->node, '/');
	char node_dir[PATH_MAX];
	int ret;

	j->a = a;
	j->pid = pid;
	j->expect = a->expect;
	j->base = slash + 1;
	snprintf(j->ns_path, sizeof(j->ns_path), "/proc/%d/ns/mnt", (int)pid);
	snprintf(j->root_path, sizeof(j->root_path), "/proc/%d/root", (int)pid);
	snprintf(j->stat_path, sizeof(j->stat_path), "/proc/%d/stat", (int)pid);
	snprintf(j->sysfs_link, sizeof(j->sysfs_link), "/sys/dev/char/%u:%u", maj, min);
	snprintf(j->dev_text, sizeof(j->dev_text), "%u:%u\n", maj, min);
	snprintf(j->uevent_text, sizeof(j->uevent_text), "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n",
		 maj, min, j->base);
	vgc_attach_copy(node_dir, sizeof(node_dir), a->node);
	node_dir[slash == a->node ? 1 : slash - a->node] = '\0';
	/* relative to the container's root, where the child walks it from */
	vgc_attach_copy(j->node_dir, sizeof(j->node_dir), node_dir[1] ? node_dir + 1 : ".");
	ret = vgc_attach_root_id(pid, "uid_map", &uid);
	if (!ret)
		ret = vgc_attach_root_id(pid, "gid_map", &gid);
	if (ret == -ENOENT) {
		/* nothing may be created there as host root: refuse */
		snprintf(err, errlen, "attach %s: uid or gid 0 of pid %d's user namespace is not "
			 "mapped, so its root has no host id to create the node as; map the "
			 "container's root (as LXD and podman do)", a->node, (int)pid);
		return ret;
	}
	if (!ret)
		ret = attach_find_shared(j, node_dir);
	if (ret) {
		snprintf(err, errlen, "attach %s: pid %d has no mount namespace we can enter: is "
			 "it running? (%s)", a->node, (int)pid, strerror(-ret));
		return ret;
	}
	j->root_uid = uid;
	j->root_gid = gid;
	return 0;
}

/*
 * Helpers that did not go at SIGKILL (a wait the kill cannot break) are
 * reaped later, without blocking.
 */
#define ATTACH_MAX_STRAYS 8
static pid_t attach_strays[ATTACH_MAX_STRAYS];

static void attach_reap_strays(void)
{
	for (unsigned int i = 0; i < ATTACH_MAX_STRAYS; i++)
		if (attach_strays[i] > 0 && waitpid(attach_strays[i], NULL, WNOHANG) != 0)
			attach_strays[i] = 0;
}

static int64_t attach_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Reaps the helper if it exits within ms (pidfd: the kernel says when), or
 * SIGKILLs it first with kill; true when reaped. One that is still there is
 * left to attach_reap_strays.
 */
static bool attach_reap(pid_t child, int ms, bool kill_first)
{
	int pidfd = (int)syscall(__NR_pidfd_open, child, 0);
	int64_t end;

	if (kill_first)
		kill(child, SIGKILL);
	if (pidfd >= 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

		while (poll(&pfd, 1, ms) < 0 && errno == EINTR)
			;
		close(pidfd);
	}
	for (end = attach_now_ms() + ms;;) {
		struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };
		pid_t r = waitpid(child, NULL, WNOHANG);

		/* ECHILD: a SIGCHLD handler of the caller reaped it */
		if (r == child || (r < 0 && errno == ECHILD))
			return true;
		if (attach_now_ms() >= end)
			break;
		/* only without pidfd_open (Linux < 5.3): the kernel cannot tell us */
		nanosleep(&pause, NULL);
	}
	if (!kill_first)
		return attach_reap(child, ATTACH_REAP_MS, true);
	for (unsigned int i = 0; i < ATTACH_MAX_STRAYS; i++) {
		if (attach_strays[i] <= 0) {
			attach_strays[i] = child;
			break;
		}
	}
	return false;
}

/* The child keeps only stdio and the result pipe, as fd 3. */
static void attach_child_fds(int result_fd)
{
	if (result_fd != 3 && dup2(result_fd, 3) < 0)
		_exit(3);
	if (syscall(__NR_close_range, 4, ~0U, 0) < 0) {
		long max = sysconf(_SC_OPEN_MAX);

		/* Linux < 5.9 */
		for (long fd = 4; fd < (max > 0 ? max : 65536); fd++)
			close((int)fd);
	}
}

/*
 * Runs the child and collects its result within ATTACH_TIMEOUT_MS;
 * -ETIMEDOUT when it had to be killed, -errno, or 0 with j->res filled.
 */
static int attach_run(struct attach_job *j)
{
	int64_t deadline = attach_now_ms() + ATTACH_TIMEOUT_MS, left;
	sigset_t all, old;
	size_t got = 0;
	int fds[2], ret = 0;
	pid_t child;

	attach_reap_strays();
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	/* The caller's signal handlers must not run in the child. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child == 0) {
		attach_child_fds(fds[1]);
		vgc_attach_child(j);
		if (write(3, &j->res, sizeof(j->res)) < 0)
			_exit(2);
		_exit(0);
	}
	if (child < 0)
		ret = -errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	while (child > 0 && got < sizeof(j->res)) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		ssize_t n;
		int p;

		left = deadline - attach_now_ms();
		if (left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		p = poll(&pfd, 1, (int)left);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0) {
			ret = -errno;
			break;
		}
		if (p == 0)
			continue;
		n = read(fds[0], (char *)&j->res + got, sizeof(j->res) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	if (child < 0)
		return ret;
	if (ret) {
		if (!attach_reap(child, ATTACH_REAP_MS, true))
			ret = -EDEADLK;
		return ret;
	}
	/* done, or about to be: what is left of the deadline, then it is killed */
	left = deadline - attach_now_ms();
	attach_reap(child, left > 0 ? (int)left : 0, false);
	return got == sizeof(j->res) ? 0 : -ECHILD;
}

int vgc_attach_apply(pid_t pid, const struct vgc_attach *a, char *err, size_t errlen)
{
	struct attach_job *j;
	char hint[PATH_MAX + 256];
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (pid <= 0 || !a || !a->host_node || !a->node || a->node[0] != '/' ||
	    a->host_node[0] != '/' || !strrchr(a->node, '/')[1] || strlen(a->node) >= PATH_MAX) {
		if (err)
			snprintf(err, errlen, "attach: need a pid and absolute host and node paths");
		return -EINVAL;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		if (err)
			snprintf(err, errlen, "attach: out of memory");
		return -ENOMEM;
	}
	ret = attach_job_init(j, pid, a, err ? err : hint, err ? errlen : sizeof(hint));
	if (ret)
		goto out_free_job;
	ret = attach_run(j);
	if (ret == -ETIMEDOUT || ret == -EDEADLK) {
		if (err)
			snprintf(err, errlen, "attach %s to pid %d: the helper process took more "
				 "than %d s (blocked in the container's files?) and was killed%s",
				 a->node, (int)pid, ATTACH_TIMEOUT_MS / 1000,
				 ret == -EDEADLK ? ", but has not exited yet" : "");
		ret = -ETIMEDOUT;
		goto out_free_job;
	}
	if (ret) {
		if (err)
			snprintf(err, errlen, "attach %s to pid %d: the helper process failed (%s)",
				 a->node, (int)pid, strerror(-ret));
		goto out_free_job;
	}
	if (j->res.step != ATTACH_OK) {
		ret = -(j->res.err ? j->res.err : EIO);
		if (err)
			snprintf(err, errlen, "attach %s: %s (%s)", a->node,
				 attach_hint(j, hint, sizeof(hint)), strerror(-ret));
	}
out_free_job:
	free(j);
	return ret;
}
