// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/class/gpio as a FUSE filesystem (libfuse3 lowlevel), served from the
 * daemon's own event loop. Files are direct_io so that every read and write
 * reaches us as the kernel's show/store would; attributes are never cached,
 * so an unexported gpioN is gone at once.
 *
 * poll() on value follows kernfs: always readable and writable, and
 * POLLPRI|POLLERR once an edge came after the reader's last read from
 * offset 0 (or its open).
 */
#define FUSE_USE_VERSION 35

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs.h"

/* Inodes: fixed ones, then eight per line (its directory and attributes). */
enum {
	INO_ROOT = FUSE_ROOT_ID,
	INO_EXPORT,
	INO_UNEXPORT,
	INO_CHIP,
	INO_CHIP_BASE,
	INO_CHIP_LABEL,
	INO_CHIP_NGPIO,
	INO_LINE0 = 16,
};
#define LINE_INOS 8

static const char *const fs_attr_names[VGC_SYSFS_NUM_ATTRS] = {
	[VGC_SYSFS_DIRECTION] = "direction",
	[VGC_SYSFS_VALUE] = "value",
	[VGC_SYSFS_EDGE] = "edge",
	[VGC_SYSFS_ACTIVE_LOW] = "active_low",
};
static const char *const fs_chip_names[] = { "base", "label", "ngpio" };

/* One open file: what its reader has seen of value, and its pending poll. */
struct fs_fh {
	fuse_ino_t ino;
	uint64_t seen;
	struct fuse_pollhandle *ph;
	struct fs_fh *next, *prev;
};

struct vgc_sysfs_fs {
	struct fuse_session *se;
	struct vgc_sysfs *s;
	uid_t uid;
	gid_t gid;
	struct fs_fh *fhs;
	struct fuse_buf buf;
	char path[256];		/* where it is mounted on the host, for attach to clone */
	bool mounted;
};

static bool fs_is_line(fuse_ino_t ino, uint32_t *virt, int *attr)
{
	if (ino < INO_LINE0)
		return false;
	*virt = (uint32_t)((ino - INO_LINE0) / LINE_INOS);
	*attr = (int)((ino - INO_LINE0) % LINE_INOS) - 1;	/* -1: the directory */
	return true;
}

static fuse_ino_t fs_line_ino(uint32_t virt, int attr)
{
	return INO_LINE0 + (fuse_ino_t)virt * LINE_INOS + (fuse_ino_t)(attr + 1);
}

/* 0 and *st filled, or -ENOENT for an inode that does not exist (now). */
static int fs_stat(struct vgc_sysfs_fs *fs, fuse_ino_t ino, struct stat *st)
{
	uint32_t virt;
	int attr;

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = fs->uid;
	st->st_gid = fs->gid;
	st->st_nlink = 1;
	/* sysfs attributes claim a page */
	st->st_size = VGC_SYSFS_PAGE;
	if (ino == INO_ROOT || ino == INO_CHIP) {
		st->st_mode = S_IFDIR | 0755;
		st->st_size = 0;
		st->st_nlink = 2;
	} else if (ino == INO_EXPORT || ino == INO_UNEXPORT) {
		st->st_mode = S_IFREG | 0200;
	} else if (ino >= INO_CHIP_BASE && ino <= INO_CHIP_NGPIO) {
		st->st_mode = S_IFREG | 0444;
	} else if (fs_is_line(ino, &virt, &attr) && attr < VGC_SYSFS_NUM_ATTRS &&
		   vgc_sysfs_exported(fs->s, virt)) {
		st->st_mode = attr < 0 ? S_IFDIR | 0755 : S_IFREG | 0644;
		if (attr < 0) {
			st->st_size = 0;
			st->st_nlink = 2;
		}
	} else {
		return -ENOENT;
	}
	return 0;
}

static int fs_reply_entry(fuse_req_t req, struct vgc_sysfs_fs *fs, fuse_ino_t ino)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	if (fs_stat(fs, ino, &e.attr))
		return fuse_reply_err(req, ENOENT);
	e.ino = ino;
	/* timeouts 0: exports come and go */
	return fuse_reply_entry(req, &e);
}

/* A name in directory parent: its inode, or 0. */
static fuse_ino_t fs_find(struct vgc_sysfs_fs *fs, fuse_ino_t parent, const char *name)
{
	unsigned int base = vgc_sysfs_base(fs->s);
	char want[32];
	uint32_t virt;
	int attr;

	if (parent == INO_ROOT) {
		unsigned long n;
		char *end;

		if (!strcmp(name, "export"))
			return INO_EXPORT;
		if (!strcmp(name, "unexport"))
			return INO_UNEXPORT;
		snprintf(want, sizeof(want), "gpiochip%u", base);
		if (!strcmp(name, want))
			return INO_CHIP;
		if (strncmp(name, "gpio", 4) || name[4] < '0' || name[4] > '9')
			return 0;
		n = strtoul(name + 4, &end, 10);
		if (*end || n < base || n - base > UINT32_MAX)
			return 0;
		snprintf(want, sizeof(want), "gpio%lu", n);
		/* one spelling only: gpio017 is not gpio17 */
		if (strcmp(name, want) || !vgc_sysfs_exported(fs->s, (uint32_t)(n - base)))
			return 0;
		return fs_line_ino((uint32_t)(n - base), -1);
	}
	if (parent == INO_CHIP) {
		for (unsigned int i = 0; i < 3; i++)
			if (!strcmp(name, fs_chip_names[i]))
				return INO_CHIP_BASE + i;
		return 0;
	}
	if (fs_is_line(parent, &virt, &attr) && attr < 0 && vgc_sysfs_exported(fs->s, virt))
		for (int i = 0; i < VGC_SYSFS_NUM_ATTRS; i++)
			if (!strcmp(name, fs_attr_names[i]))
				return fs_line_ino(virt, i);
	return 0;
}

static void fs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	fuse_ino_t ino = fs_find(fs, parent, name);

	if (!ino)
		fuse_reply_err(req, ENOENT);
	else
		fs_reply_entry(req, fs, ino);
}

static void fs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	struct stat st;

	(void)fi;
	if (fs_stat(fs, ino, &st))
		fuse_reply_err(req, ENOENT);
	else
		fuse_reply_attr(req, &st, 0);
}

/* O_TRUNC from a shell's '>' arrives as a size change: sysfs ignores it, so do we. */
static void fs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	(void)attr;
	if (to_set & ~(FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
		       FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	fs_getattr(req, ino, fi);
}

static void fs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	unsigned int base = vgc_sysfs_base(fs->s);
	char *buf = calloc(1, size ? size : 1), name[32];
	size_t used = 0;
	off_t i = 0;
	struct stat st;
	uint32_t virt;
	int attr;

	(void)fi;
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* entry i of the listing; the offset handed back is i + 1 */
#define FS_ADD(n, inode)                                                                   \
	do {                                                                               \
		if (i++ >= off) {                                                          \
			size_t len;                                                        \
			memset(&st, 0, sizeof(st));                                        \
			st.st_ino = (inode);                                               \
			fs_stat(fs, (inode), &st);                                         \
			len = fuse_add_direntry(req, buf + used, size - used, (n), &st, i); \
			if (len > size - used)                                             \
				goto out;                                                  \
			used += len;                                                       \
		}                                                                          \
	} while (0)
	if (ino == INO_ROOT) {
		FS_ADD(".", INO_ROOT);
		FS_ADD("..", INO_ROOT);
		FS_ADD("export", INO_EXPORT);
		snprintf(name, sizeof(name), "gpiochip%u", base);
		FS_ADD(name, INO_CHIP);
		for (uint32_t v = 0; v < vgc_sysfs_num_lines(fs->s); v++) {
			if (!vgc_sysfs_exported(fs->s, v))
				continue;
			snprintf(name, sizeof(name), "gpio%u", base + v);
			FS_ADD(name, fs_line_ino(v, -1));
		}
		FS_ADD("unexport", INO_UNEXPORT);
	} else if (ino == INO_CHIP) {
		FS_ADD(".", INO_CHIP);
		FS_ADD("..", INO_ROOT);
		for (unsigned int k = 0; k < 3; k++)
			FS_ADD(fs_chip_names[k], INO_CHIP_BASE + k);
	} else if (fs_is_line(ino, &virt, &attr) && attr < 0 && vgc_sysfs_exported(fs->s, virt)) {
		FS_ADD(".", ino);
		FS_ADD("..", INO_ROOT);
		for (int k = 0; k < VGC_SYSFS_NUM_ATTRS; k++)
			FS_ADD(fs_attr_names[k], fs_line_ino(virt, k));
	} else {
		free(buf);
		fuse_reply_err(req, ENOTDIR);
		return;
	}
#undef FS_ADD
out:
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void fs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	struct fs_fh *fh;
	struct stat st;
	uint32_t virt;
	int attr;

	if (fs_stat(fs, ino, &st)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	/* kernfs refuses to open a store-only file for reading and the other way round, root too */
	if (((fi->flags & O_ACCMODE) != O_WRONLY && !(st.st_mode & 0400)) ||
	    ((fi->flags & O_ACCMODE) != O_RDONLY && !(st.st_mode & 0200))) {
		fuse_reply_err(req, EACCES);
		return;
	}
	fh = calloc(1, sizeof(*fh));
	if (!fh) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fh->ino = ino;
	/* an open sees no edge from before it, as kernfs */
	if (fs_is_line(ino, &virt, &attr))
		fh->seen = vgc_sysfs_events(fs->s, virt);
	fh->next = fs->fhs;
	if (fs->fhs)
		fs->fhs->prev = fh;
	fs->fhs = fh;
	fi->fh = (uint64_t)(uintptr_t)fh;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	if (fuse_reply_open(req, fi) == -ENOENT) {
		/* the opener was interrupted: no release will come */
		fs->fhs = fh->next;
		if (fh->next)
			fh->next->prev = NULL;
		free(fh);
	}
}

static void fs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	struct fs_fh *fh = (struct fs_fh *)(uintptr_t)fi->fh;

	(void)ino;
	if (fh->prev)
		fh->prev->next = fh->next;
	else
		fs->fhs = fh->next;
	if (fh->next)
		fh->next->prev = fh->prev;
	if (fh->ph)
		fuse_pollhandle_destroy(fh->ph);
	free(fh);
	fuse_reply_err(req, 0);
}

static void fs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	struct fs_fh *fh = (struct fs_fh *)(uintptr_t)fi->fh;
	char text[VGC_SYSFS_PAGE];
	uint64_t events = 0;
	ssize_t n = -EIO;
	uint32_t virt;
	int attr;

	if (ino == INO_EXPORT || ino == INO_UNEXPORT) {
		n = -EIO;	/* write-only attributes have no show */
	} else if (ino >= INO_CHIP_BASE && ino <= INO_CHIP_NGPIO) {
		n = vgc_sysfs_chip_show(fs->s, fs_chip_names[ino - INO_CHIP_BASE], text,
					sizeof(text));
	} else if (fs_is_line(ino, &virt, &attr) && attr >= 0) {
		events = vgc_sysfs_events(fs->s, virt);
		n = vgc_sysfs_show(fs->s, virt, (enum vgc_sysfs_attr)attr, text, sizeof(text));
	}
	if (n < 0) {
		fuse_reply_err(req, (int)-n);
		return;
	}
	/* kernfs shows the attribute again only for a read from the start: that one acks */
	if (off == 0)
		fh->seen = events;
	if (off >= n)
		n = 0, off = 0;
	fuse_reply_buf(req, text + off, (size_t)(n - off) < size ? (size_t)(n - off) : size);
}

/* Pollers of line virt look again: an edge came, or the line went (as kernfs drains). */
static void fs_wake(struct vgc_sysfs_fs *fs, uint32_t virt, bool gone)
{
	for (struct fs_fh *fh = fs->fhs; fh; fh = fh->next) {
		uint32_t v;
		int attr;

		if (!fh->ph || !fs_is_line(fh->ino, &v, &attr) || v != virt ||
		    (!gone && fh->seen == vgc_sysfs_events(fs->s, virt)))
			continue;
		fuse_lowlevel_notify_poll(fh->ph);
		fuse_pollhandle_destroy(fh->ph);
		fh->ph = NULL;
	}
}

static void fs_write(fuse_req_t req, fuse_ino_t ino, const char *data, size_t size,
		     off_t off, struct fuse_file_info *fi)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	pid_t pid = fuse_req_ctx(req)->pid;
	char text[VGC_SYSFS_PAGE + 1];
	ssize_t n = -EIO;
	uint32_t virt;
	int attr;

	(void)off;
	(void)fi;
	/* hostile input is bounded: a store sees at most a page, as in kernfs */
	if (size > VGC_SYSFS_PAGE)
		size = VGC_SYSFS_PAGE;
	if (!size) {
		fuse_reply_write(req, 0);
		return;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	if (ino == INO_EXPORT)
		n = vgc_sysfs_export(fs->s, pid, text, size);
	else if (ino == INO_UNEXPORT)
		n = vgc_sysfs_unexport(fs->s, pid, text, size, &virt);
	else if (fs_is_line(ino, &virt, &attr) && attr >= 0)
		n = vgc_sysfs_store(fs->s, pid, virt, (enum vgc_sysfs_attr)attr, text, size);
	if (n < 0) {
		fuse_reply_err(req, (int)-n);
		return;
	}
	fuse_reply_write(req, (size_t)n);
	if (ino == INO_UNEXPORT)
		fs_wake(fs, virt, true);
}

static void fs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct vgc_sysfs_fs *fs = fuse_req_userdata(req);
	struct fs_fh *fh = (struct fs_fh *)(uintptr_t)fi->fh;
	unsigned int revents = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
	uint32_t virt;
	int attr;

	/* an edge not read yet, or an attribute whose line went */
	if (fs_is_line(ino, &virt, &attr) && (fh->seen != vgc_sysfs_events(fs->s, virt) ||
					      !vgc_sysfs_exported(fs->s, virt)))
		revents |= POLLERR | POLLPRI;
	if (ph) {
		if (fh->ph)
			fuse_pollhandle_destroy(fh->ph);
		fh->ph = ph;
	}
	fuse_reply_poll(req, revents);
}

static const struct fuse_lowlevel_ops fs_ops = {
	.lookup = fs_lookup,
	.getattr = fs_getattr,
	.setattr = fs_setattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.release = fs_release,
	.read = fs_read,
	.write = fs_write,
	.poll = fs_poll,
};

void vgc_sysfs_fs_flush(struct vgc_sysfs_fs *fs)
{
	if (!fs || !vgc_sysfs_drain(fs->s))
		return;
	for (uint32_t v = 0; v < vgc_sysfs_num_lines(fs->s); v++)
		fs_wake(fs, v, !vgc_sysfs_exported(fs->s, v));
}

int vgc_sysfs_fs_fd(const struct vgc_sysfs_fs *fs)
{
	return fs ? fuse_session_fd(fs->se) : -1;
}

int vgc_sysfs_fs_turn(struct vgc_sysfs_fs *fs)
{
	int n = fuse_session_receive_buf(fs->se, &fs->buf);

	if (n == -EINTR || n == -EAGAIN)
		return 0;
	if (n <= 0)
		return n ? n : -ENODEV;
	fuse_session_process_buf(fs->se, &fs->buf);
	return 0;
}

const char *vgc_sysfs_fs_path(const struct vgc_sysfs_fs *fs)
{
	return fs ? fs->path : NULL;
}

void vgc_sysfs_fs_set_owner(struct vgc_sysfs_fs *fs, uid_t uid, gid_t gid)
{
	fs->uid = uid;
	fs->gid = gid;
}

void vgc_sysfs_fs_close(struct vgc_sysfs_fs *fs)
{
	if (!fs)
		return;
	/* the exported lines go to their release states first */
	vgc_sysfs_free(fs->s);
	if (fs->mounted) {
		umount2(fs->path, MNT_DETACH);
		rmdir(fs->path);
	}
	if (fs->se)
		fuse_session_destroy(fs->se);
	free(fs->buf.mem);
	free(fs);
}

struct vgc_sysfs_fs *vgc_sysfs_fs_open(struct vgc_chip *chip, const struct vgc_sysfs_fs_config *cfg,
				       char *err, size_t errlen)
{
	char *argv[] = { "vgpiochip", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	struct vgc_sysfs_fs *fs = calloc(1, sizeof(*fs));
	char mnt[32];
	int dev_fd = -1, ret;

	if (!fs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(fs->path, sizeof(fs->path), "%s", cfg->path);
	fs->s = vgc_sysfs_new(chip, cfg->base, cfg->label);
	if (!fs->s) {
		snprintf(err, errlen, "out of memory");
		goto err_free;
	}
	fs->se = fuse_session_new(&args, &fs_ops, sizeof(fs_ops), fs);
	if (!fs->se) {
		snprintf(err, errlen, "cannot set up the FUSE session");
		goto err_free;
	}
	ret = vgc_sysfs_mount(cfg->path, &dev_fd, err, errlen);
	if (ret)
		goto err_free;
	fs->mounted = true;
	/* libfuse takes an fd already mounted as /dev/fd/N */
	snprintf(mnt, sizeof(mnt), "/dev/fd/%d", dev_fd);
	if (fuse_session_mount(fs->se, mnt)) {
		close(dev_fd);
		snprintf(err, errlen, "cannot attach the FUSE session to /dev/fuse");
		goto err_free;
	}
	return fs;

err_free:
	vgc_sysfs_fs_close(fs);
	return NULL;
}
