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
#include "attach.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
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
#include <unistd.h>

#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

#define ATTACH_BUS "/sys/bus/gpio"
#define ATTACH_BUS_DEVICES "/sys/bus/gpio/devices"
#define ATTACH_DEVICES_PARENT "/sys/devices/virtual"
#define ATTACH_MAX_ENTRIES 128
#define ATTACH_TARGET_MAX 512
/* Stale views stacked by older versions or crashes: peel at most this many. */
#define ATTACH_MAX_UNMOUNTS 16
#define ATTACH_TMPFS_OPTS "mode=0755,size=64k"
#define ATTACH_VIEW_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

enum attach_step {
	ATTACH_OK,
	ATTACH_OPEN_NS,
	ATTACH_OPEN_ROOT,
	ATTACH_OPEN_TREE,
	ATTACH_SETNS,
	ATTACH_CHROOT,
	ATTACH_PROPAGATION,
	ATTACH_NO_GPIO_BUS,
	ATTACH_SYSFS_LINK,
	ATTACH_SYSFS_NAME,
	ATTACH_NODE_BUSY,
	ATTACH_NODE_UMOUNT,
	ATTACH_NODE_CREATE,
	ATTACH_NODE_MOUNT,
	ATTACH_DEVDIR_UMOUNT,
	ATTACH_DEVDIR_MOUNT,
	ATTACH_DEVDIR_FILL,
	ATTACH_DEVDIR_SEAL,
	ATTACH_BUS_LIST,
	ATTACH_BUS_UMOUNT,
	ATTACH_BUS_MOUNT,
	ATTACH_BUS_FILL,
	ATTACH_BUS_SEAL,
};

struct attach_result {
	int step;
	int err;
	char detail[200];
};

struct attach_entry {
	char name[NAME_MAX + 1];
	char target[ATTACH_TARGET_MAX];
};

/* Mount points in the container whose propagation is shared: made slaves. */
#define ATTACH_MAX_SLAVES 3

struct attach_job {
	const struct vgc_attach *a;
	pid_t pid;
	const char *base;		/* basename of the tenant's node */
	char ns_path[64];
	char root_path[64];
	char sysfs_link[64];		/* /sys/dev/char/MAJ:MIN */
	char dev_text[32];		/* MAJ:MIN\n */
	char uevent_text[NAME_MAX + 64];
	char slave[ATTACH_MAX_SLAVES][PATH_MAX];
	unsigned int num_slaves;
	uid_t root_uid;			/* the container's root as the host sees it */
	gid_t root_gid;
	/* The child's scratch space, allocated before fork. */
	char devdir[PATH_MAX];		/* the device's sysfs directory */
	char link[PATH_MAX];
	char dents[8192];
	struct attach_entry entries[ATTACH_MAX_ENTRIES];
	unsigned int num_entries;
	struct attach_result res;
};

static void attach_copy(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	/* a plain loop: sources are arrays of many sizes, all NUL-terminated */
	while (n < size - 1 && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

/* Records the failed step; errno is read before anything can change it. */
static int attach_fail(struct attach_job *j, int step, int err, const char *detail)
{
	j->res.step = step;
	j->res.err = err;
	if (detail)
		attach_copy(j->res.detail, sizeof(j->res.detail), detail);
	return -1;
}

/* Appends "/comp" to out, or drops the last component for "..". */
static int attach_path_push(char *out, size_t size, const char *comp, size_t len)
{
	size_t cur = strlen(out);

	if (len == 0 || (len == 1 && comp[0] == '.'))
		return 0;
	if (len == 2 && comp[0] == '.' && comp[1] == '.') {
		char *slash = strrchr(out, '/');

		if (slash)
			*slash = '\0';
		return 0;
	}
	if (cur + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	out[cur] = '/';
	memcpy(out + cur + 1, comp, len);
	out[cur + 1 + len] = '\0';
	return 0;
}

static int attach_path_walk(char *out, size_t size, const char *path)
{
	while (*path) {
		const char *end = strchrnul(path, '/');
		int ret = attach_path_push(out, size, path, (size_t)(end - path));

		if (ret)
			return ret;
		path = *end ? end + 1 : end;
	}
	return 0;
}

/*
 * The device's sysfs directory as the container sees it: /sys/dev/char/M:m
 * resolved by hand, because realpath() may allocate and /proc/self is not
 * ours in a container with its own /proc.
 */
static int attach_find_devdir(struct attach_job *j)
{
	ssize_t n = readlink(j->sysfs_link, j->link, sizeof(j->link) - 1);
	const char *name;

	if (n < 0)
		return attach_fail(j, ATTACH_SYSFS_LINK, errno, j->sysfs_link);
	j->link[n] = '\0';
	j->devdir[0] = '\0';
	if (j->link[0] != '/' && attach_path_walk(j->devdir, sizeof(j->devdir), "/sys/dev/char"))
		return attach_fail(j, ATTACH_SYSFS_LINK, ENAMETOOLONG, j->sysfs_link);
	if (attach_path_walk(j->devdir, sizeof(j->devdir), j->link) || !j->devdir[0])
		return attach_fail(j, ATTACH_SYSFS_LINK, ENAMETOOLONG, j->sysfs_link);
	/* A wrong rdev would put our view over some other device's directory. */
	name = strrchr(j->devdir, '/') + 1;
	if (j->a->devname && strcmp(name, j->a->devname) != 0)
		return attach_fail(j, ATTACH_SYSFS_NAME, ENXIO, j->devdir);
	return 0;
}

static bool attach_is_tmpfs(const char *path, bool need_rdonly)
{
	struct statfs sfs;

	if (statfs(path, &sfs) < 0 || sfs.f_type != TMPFS_MAGIC)
		return false;
	return !need_rdonly || (sfs.f_flags & ST_RDONLY);
}

/* Peels tmpfs views off path: ours from an earlier apply, never sysfs itself. */
static int attach_peel(struct attach_job *j, const char *path, bool need_rdonly, int step)
{
	int i;

	for (i = 0; attach_is_tmpfs(path, need_rdonly); i++) {
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, step, ELOOP, path);
		if (umount2(path, MNT_DETACH) < 0)
			return attach_fail(j, step, errno, path);
	}
	return 0;
}

/*
 * The node: an earlier bind of our device is unmounted first so views do not
 * pile up; a different device at that path is never hidden.
 */
static int attach_node(struct attach_job *j, int tree_fd)
{
	const char *node = j->a->node;
	bool exists = true;
	struct stat st;
	int i, fd;

	for (i = 0;; i++) {
		if (lstat(node, &st) < 0) {
			if (errno != ENOENT)
				return attach_fail(j, ATTACH_NODE_CREATE, errno, node);
			exists = false;
			break;
		}
		if (S_ISCHR(st.st_mode) && st.st_rdev != j->a->rdev)
			return attach_fail(j, ATTACH_NODE_BUSY, EEXIST, node);
		if (!S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))
			return attach_fail(j, ATTACH_NODE_BUSY, S_ISDIR(st.st_mode) ? EISDIR : EEXIST, node);
		if (!S_ISCHR(st.st_mode))
			break;
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, ATTACH_NODE_UMOUNT, ELOOP, node);
		/* EINVAL: not a mount point, or locked by the runtime; bind over it. */
		if (umount2(node, MNT_DETACH) < 0) {
			if (errno != EINVAL)
				return attach_fail(j, ATTACH_NODE_UMOUNT, errno, node);
			break;
		}
	}
	if (!exists) {
		/*
		 * A /dev the container mounted itself belongs to its user
		 * namespace, where host root has no uid: create as its root.
		 */
		setfsuid(j->root_uid);
		setfsgid(j->root_gid);
		fd = open(node, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			attach_fail(j, ATTACH_NODE_CREATE, errno, node);
		setfsuid(0);
		setfsgid(0);
		if (fd < 0)
			return -1;
		close(fd);
	}
	if (syscall(__NR_move_mount, tree_fd, "", AT_FDCWD, node, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return attach_fail(j, ATTACH_NODE_MOUNT, errno, node);
	if (mount(NULL, node, NULL, MS_PRIVATE, NULL) < 0)
		return attach_fail(j, ATTACH_NODE_MOUNT, errno, node);
	return 0;
}

static int attach_put_file(int dir_fd, const char *name, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = openat(dir_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0444);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	close(fd);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* A private tmpfs at path, open as a directory to fill; -1 with errno. */
static int attach_tmpfs_open(const char *path)
{
	if (mount("vgpiochip", path, "tmpfs", ATTACH_VIEW_FLAGS, ATTACH_TMPFS_OPTS) < 0)
		return -1;
	if (mount(NULL, path, NULL, MS_PRIVATE, NULL) < 0)
		return -1;
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Read-only once filled; read-only is also how a later apply knows it is ours. */
static int attach_tmpfs_seal(const char *path)
{
	return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | ATTACH_VIEW_FLAGS, NULL);
}

/* The device's own directory: what makes libgpiod 2.x see a gpio device. */
static int attach_devdir(struct attach_job *j)
{
	int dir_fd;

	/* After a daemon restart the old tmpfs went with the old directory. */
	if (attach_peel(j, j->devdir, false, ATTACH_DEVDIR_UMOUNT))
		return -1;
	dir_fd = attach_tmpfs_open(j->devdir);
	if (dir_fd < 0)
		return attach_fail(j, ATTACH_DEVDIR_MOUNT, errno, j->devdir);
	if (symlinkat(ATTACH_BUS, dir_fd, "subsystem") < 0 ||
	    attach_put_file(dir_fd, "dev", j->dev_text) < 0 ||
	    attach_put_file(dir_fd, "uevent", j->uevent_text) < 0) {
		attach_fail(j, ATTACH_DEVDIR_FILL, errno, j->devdir);
		close(dir_fd);
		return -1;
	}
	close(dir_fd);
	if (attach_tmpfs_seal(j->devdir) < 0)
		return attach_fail(j, ATTACH_DEVDIR_SEAL, errno, j->devdir);
	return 0;
}

static bool attach_listed(const struct attach_job *j, const char *name)
{
	unsigned int i;

	if (strcmp(name, j->base) == 0)
		return true;
	for (i = 0; i < j->num_entries; i++)
		if (strcmp(j->entries[i].name, name) == 0)
			return true;
	return false;
}

/* Whether a link in dir_fd leads to a directory covered by a tmpfs view. */
static bool attach_leads_to_view(int dir_fd, const char *name)
{
	struct statfs sfs;
	int fd = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool view;

	if (fd < 0)
		return false;
	view = fstatfs(fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC;
	close(fd);
	return view;
}

/*
 * Remembers the links in /sys/bus/gpio/devices. From one of our earlier
 * views only the links to other live views are kept (another vgpiochip in the
 * same container); real chips are read again from sysfs underneath, so chips
 * that came or went since are right.
 */
static int attach_list(struct attach_job *j, bool views_only)
{
	int dir_fd = open(ATTACH_BUS_DEVICES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ssize_t n, off;

	if (dir_fd < 0)
		return attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
	while ((n = getdents64(dir_fd, j->dents, sizeof(j->dents))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(j->dents + off);
			struct attach_entry *e = &j->entries[j->num_entries];
			ssize_t len;

			off += de->d_reclen;
			if (de->d_type != DT_LNK || attach_listed(j, de->d_name))
				continue;
			if (views_only && !attach_leads_to_view(dir_fd, de->d_name))
				continue;
			if (j->num_entries == ATTACH_MAX_ENTRIES) {
				close(dir_fd);
				return attach_fail(j, ATTACH_BUS_LIST, E2BIG, ATTACH_BUS_DEVICES);
			}
			len = readlinkat(dir_fd, de->d_name, e->target, sizeof(e->target) - 1);
			if (len < 0 || len == (ssize_t)sizeof(e->target) - 1) {
				attach_fail(j, ATTACH_BUS_LIST, len < 0 ? errno : ENAMETOOLONG, de->d_name);
				close(dir_fd);
				return -1;
			}
			e->target[len] = '\0';
			attach_copy(e->name, sizeof(e->name), de->d_name);
			j->num_entries++;
		}
	}
	if (n < 0)
		attach_fail(j, ATTACH_BUS_LIST, errno, ATTACH_BUS_DEVICES);
	close(dir_fd);
	return n < 0 ? -1 : 0;
}

/* The bus listing: libgpiod 1.6 reads <node basename>/dev through it. */
static int attach_bus(struct attach_job *j)
{
	unsigned int i;
	int dir_fd;

	j->num_entries = 0;
	for (i = 0; attach_is_tmpfs(ATTACH_BUS_DEVICES, true); i++) {
		if (i == ATTACH_MAX_UNMOUNTS)
			return attach_fail(j, ATTACH_BUS_UMOUNT, ELOOP, ATTACH_BUS_DEVICES);
		if (attach_list(j, true))
			return -1;
		if (umount2(ATTACH_BUS_DEVICES, MNT_DETACH) < 0)
			return attach_fail(j, ATTACH_BUS_UMOUNT, errno, ATTACH_BUS_DEVICES);
	}
	if (attach_list(j, false))
		return -1;

	dir_fd = attach_tmpfs_open(ATTACH_BUS_DEVICES);
	if (dir_fd < 0)
		return attach_fail(j, ATTACH_BUS_MOUNT, errno, ATTACH_BUS_DEVICES);
	for (i = 0; i < j->num_entries; i++) {
		if (symlinkat(j->entries[i].target, dir_fd, j->entries[i].name) < 0) {
			attach_fail(j, ATTACH_BUS_FILL, errno, j->entries[i].name);
			close(dir_fd);
			return -1;
		}
	}
	if (symlinkat(j->devdir, dir_fd, j->base) < 0) {
		attach_fail(j, ATTACH_BUS_FILL, errno, j->base);
		close(dir_fd);
		return -1;
	}
	close(dir_fd);
	if (attach_tmpfs_seal(ATTACH_BUS_DEVICES) < 0)
		return attach_fail(j, ATTACH_BUS_SEAL, errno, ATTACH_BUS_DEVICES);
	return 0;
}

/* Runs in the forked child; the result goes to j->res. */
static void attach_child(struct attach_job *j)
{
	struct stat st;
	unsigned int i;
	int ns_fd, root_fd, tree_fd;

	ns_fd = open(j->ns_path, O_RDONLY | O_CLOEXEC);
	if (ns_fd < 0) {
		attach_fail(j, ATTACH_OPEN_NS, errno, j->ns_path);
		return;
	}
	root_fd = open(j->root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0) {
		attach_fail(j, ATTACH_OPEN_ROOT, errno, j->root_path);
		return;
	}
	tree_fd = (int)syscall(__NR_open_tree, AT_FDCWD, j->a->host_node,
			       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree_fd < 0) {
		attach_fail(j, ATTACH_OPEN_TREE, errno, j->a->host_node);
		return;
	}
	if (setns(ns_fd, CLONE_NEWNS) < 0) {
		attach_fail(j, ATTACH_SETNS, errno, j->ns_path);
		return;
	}
	/* The container's root may be a chroot inside its namespace. */
	if (fchdir(root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		attach_fail(j, ATTACH_CHROOT, errno, j->root_path);
		return;
	}
	umask(0);
	for (i = 0; i < j->num_slaves; i++) {
		if (mount(NULL, j->slave[i], NULL, MS_SLAVE, NULL) < 0) {
			attach_fail(j, ATTACH_PROPAGATION, errno, j->slave[i]);
			return;
		}
	}
	/* Everything that can be checked is checked before the first mount. */
	if (stat(ATTACH_BUS_DEVICES, &st) < 0) {
		attach_fail(j, ATTACH_NO_GPIO_BUS, errno, ATTACH_BUS_DEVICES);
		return;
	}
	if (attach_find_devdir(j) || attach_node(j, tree_fd) || attach_devdir(j) || attach_bus(j))
		return;
	j->res.step = ATTACH_OK;
}

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
				attach_copy(best[i], sizeof(best[i]), mp);
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
			attach_copy(j->slave[j->num_slaves++], PATH_MAX, best[i]);
	}
	return 0;
}

/* The host id that id 0 of pid's user namespace maps to; 0 if unmapped. */
unsigned int vgc_attach_root_id(pid_t pid, const char *map)
{
	unsigned long inside, outside, count;
	unsigned int id = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, map);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
		if (inside == 0 && count > 0) {
			id = (unsigned int)outside;
			break;
		}
	}
	fclose(f);
	return id;
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
	case ATTACH_SETNS:
		snprintf(buf, size, "cannot enter the mount namespace of pid %d: run as root "
			 "(CAP_SYS_ADMIN) in the initial user namespace", (int)j->pid);
		break;
	case ATTACH_CHROOT:
		snprintf(buf, size, "cannot change to the root directory of pid %d", (int)j->pid);
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

static int attach_job_init(struct attach_job *j, pid_t pid, const struct vgc_attach *a)
{
	unsigned int maj = major(a->rdev), min = minor(a->rdev);
	const char *slash = strrchr(a->node, '/');
	char node_dir[PATH_MAX];

	j->a = a;
	j->pid = pid;
	j->base = slash + 1;
	snprintf(j->ns_path, sizeof(j->ns_path), "/proc/%d/ns/mnt", (int)pid);
	snprintf(j->root_path, sizeof(j->root_path), "/proc/%d/root", (int)pid);
	snprintf(j->sysfs_link, sizeof(j->sysfs_link), "/sys/dev/char/%u:%u", maj, min);
	snprintf(j->dev_text, sizeof(j->dev_text), "%u:%u\n", maj, min);
	snprintf(j->uevent_text, sizeof(j->uevent_text), "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n",
		 maj, min, j->base);
	attach_copy(node_dir, sizeof(node_dir), a->node);
	node_dir[slash == a->node ? 1 : slash - a->node] = '\0';
	j->root_uid = vgc_attach_root_id(pid, "uid_map");
	j->root_gid = vgc_attach_root_id(pid, "gid_map");
	return attach_find_shared(j, node_dir);
}

/* Runs the child and collects its result; -errno, or 0 with j->res filled. */
static int attach_run(struct attach_job *j)
{
	sigset_t all, old;
	size_t got = 0;
	int fds[2], status, ret = 0;
	pid_t child;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	/* The caller's signal handlers must not run in the child. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child == 0) {
		close(fds[0]);
		attach_child(j);
		if (write(fds[1], &j->res, sizeof(j->res)) < 0)
			_exit(2);
		_exit(0);
	}
	if (child < 0)
		ret = -errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	while (child > 0 && got < sizeof(j->res)) {
		ssize_t n = read(fds[0], (char *)&j->res + got, sizeof(j->res) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	if (child < 0)
		return ret;
	/* ECHILD: a SIGCHLD handler of the caller reaped it; the pipe said enough. */
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
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
	ret = attach_job_init(j, pid, a);
	if (ret) {
		if (err)
			snprintf(err, errlen, "attach %s: pid %d has no mount namespace we can "
				 "enter: is it running? (%s)", a->node, (int)pid, strerror(-ret));
		goto out_free_job;
	}
	ret = attach_run(j);
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
