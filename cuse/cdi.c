// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `vgpiochip cdi NAME`: the device as container managers take it.
 *
 * A container manager mounts directories it is given; it cannot run our
 * attach. So the sysfs view libgpiod needs is prepared on the host, as two
 * directories a manager bind-mounts read-only:
 *
 *   VIEW/char  over /sys/dev/char: every host link, except that MAJ:MIN is a
 *              directory of ours with subsystem -> /sys/bus/gpio (libgpiod 2.x
 *              checks realpath(/sys/dev/char/MAJ:MIN/subsystem)), dev, uevent.
 *   VIEW/gpio  over /sys/bus/gpio/devices: the host's chips, plus
 *              <node basename> -> /sys/dev/char/MAJ:MIN (libgpiod 1.6 reads
 *              /sys/bus/gpio/devices/<basename>/dev).
 *
 * Both mount points always exist in a container's /sys, unlike the CUSE
 * device's own sysfs directory, which goes away whenever the daemon stops: a
 * mount over that one would be lost on a daemon restart and would keep the
 * container from starting while the daemon is down. With a fixed MAJ:MIN
 * (--dev) the view stays right across daemon restarts.
 *
 * The directories are updated in place, never replaced: running containers
 * have them mounted, and a replaced directory would leave them an empty one.
 */
#include "cdi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <json.h>

#define CDI_SYS_CHAR "/sys/dev/char"
#define CDI_SYS_BUS "/sys/bus/gpio"
#define CDI_SYS_BUS_DEVICES "/sys/bus/gpio/devices"
/* Version 0.5.0 is the first with deviceNodes.hostPath; podman 4.3 reads it. */
#define CDI_VERSION "0.5.0"

struct cdi_info {
	char host_node[PATH_MAX];
	unsigned int major, minor;
	char chip_name[64];
	char node[PATH_MAX];
	const char *base;	/* basename of node */
	char devno[32];		/* "MAJ:MIN" */
	char numbering[16];	/* "fixed" (--dev) or "dynamic"; empty from older daemons */
};

/* ---- the daemon's answer to "info" ---- */

static int cdi_query(const char *run_dir, const char *name, char *ans, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t got = 0;
	ssize_t n;
	int fd;

	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", run_dir, name) >=
	    (int)sizeof(sa.sun_path)) {
		fprintf(stderr, "vgpiochip cdi: tenant name '%s' is too long\n", name);
		return -ENAMETOOLONG;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		fprintf(stderr, "vgpiochip cdi: cannot reach the daemon of '%s' at %s: %s (is "
			"'vgpiochip --name %s ...' running, and are you root?)\n",
			name, sa.sun_path, strerror(err), name);
		if (fd >= 0)
			close(fd);
		return -err;
	}
	if (write(fd, "info\n", 5) != 5) {
		int err = errno;

		close(fd);
		fprintf(stderr, "vgpiochip cdi: cannot ask %s: %s\n", sa.sun_path, strerror(err));
		return -err;
	}
	while (got < len - 1 && (n = read(fd, ans + got, len - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	ans[got] = '\0';
	ans[strcspn(ans, "\n")] = '\0';
	if (strncmp(ans, "ok ", 3) != 0) {
		fprintf(stderr, "vgpiochip cdi: the daemon of '%s' said: %s\n", name,
			got ? ans : "nothing");
		return -EPROTO;
	}
	return 0;
}

static int cdi_info_parse(struct cdi_info *info, const char *ans)
{
	const char *slash;

	info->numbering[0] = '\0';
	if (sscanf(ans, "ok %4095s %u:%u %63s %4095s %15s", info->host_node, &info->major,
		   &info->minor, info->chip_name, info->node, info->numbering) < 5 ||
	    info->node[0] != '/' || !(slash = strrchr(info->node, '/'))[1]) {
		fprintf(stderr, "vgpiochip cdi: cannot read the daemon's answer '%s'\n", ans);
		return -EPROTO;
	}
	info->base = slash + 1;
	snprintf(info->devno, sizeof(info->devno), "%u:%u", info->major, info->minor);
	return 0;
}

/* ---- the view directories ---- */

/* Replaces name in dir_fd with a symlink to target, atomically. */
static int view_link(int dir_fd, const char *name, const char *target)
{
	char cur[PATH_MAX], tmp[NAME_MAX + 16];
	ssize_t n = readlinkat(dir_fd, name, cur, sizeof(cur) - 1);

	if (n >= 0) {
		cur[n] = '\0';
		if (strcmp(cur, target) == 0)
			return 0;
	}
	snprintf(tmp, sizeof(tmp), ".%.*s.tmp", NAME_MAX, name);
	unlinkat(dir_fd, tmp, 0);
	if (symlinkat(target, dir_fd, tmp) < 0)
		return -errno;
	if (renameat(dir_fd, tmp, dir_fd, name) < 0) {
		int err = errno;

		unlinkat(dir_fd, tmp, 0);
		return -err;
	}
	return 0;
}

/* Replaces the file name in dir_fd with one holding text, atomically. */
static int view_file(int dir_fd, const char *name, const char *text)
{
	char tmp[NAME_MAX + 16];
	size_t len = strlen(text);
	ssize_t n;
	int fd, err = 0;

	snprintf(tmp, sizeof(tmp), ".%.*s.tmp", NAME_MAX, name);
	fd = openat(dir_fd, tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0444);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n != (ssize_t)len)
		err = n < 0 ? errno : EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && renameat(dir_fd, tmp, dir_fd, name) < 0)
		err = errno;
	if (err)
		unlinkat(dir_fd, tmp, 0);
	return -err;
}

/* A device directory of ours: only the files view_devdir() writes. */
static void view_remove_devdir(int dir_fd, const char *name)
{
	static const char *const files[] = { "subsystem", "dev", "uevent" };
	int fd = openat(dir_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			unlinkat(fd, files[i], 0);
		close(fd);
	}
	unlinkat(dir_fd, name, AT_REMOVEDIR);
}

static int view_devdir(int char_fd, const struct cdi_info *info)
{
	char text[NAME_MAX + 64];
	struct stat st;
	int fd, ret;

	if (fstatat(char_fd, info->devno, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
		unlinkat(char_fd, info->devno, 0);
	if (mkdirat(char_fd, info->devno, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(char_fd, info->devno, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = view_link(fd, "subsystem", CDI_SYS_BUS);
	if (!ret) {
		snprintf(text, sizeof(text), "%s\n", info->devno);
		ret = view_file(fd, "dev", text);
	}
	if (!ret) {
		snprintf(text, sizeof(text), "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n", info->major,
			 info->minor, info->base);
		ret = view_file(fd, "uevent", text);
	}
	close(fd);
	return ret;
}

/*
 * Makes dst (a directory in view_fd) mirror the links in src, except own,
 * which the caller puts there. Entries the host no longer has are dropped.
 */
static int view_mirror(int view_fd, const char *dst, const char *src, const char *own)
{
	int src_fd, dst_fd, ret = 0;
	struct dirent *de;
	DIR *d;

	if (mkdirat(view_fd, dst, 0755) < 0 && errno != EEXIST)
		return -errno;
	dst_fd = openat(view_fd, dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dst_fd < 0)
		return -errno;
	src_fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = src_fd < 0 ? NULL : fdopendir(src_fd);
	if (!d) {
		ret = -errno;
		if (src_fd >= 0)
			close(src_fd);
		close(dst_fd);
		return ret;
	}
	while (!ret && (de = readdir(d))) {
		char target[PATH_MAX];
		ssize_t n;

		if (de->d_type != DT_LNK || strcmp(de->d_name, own) == 0)
			continue;
		n = readlinkat(src_fd, de->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue;	/* the device went away meanwhile */
		target[n] = '\0';
		/* a stale device directory of ours where the host now has a link */
		if (view_link(dst_fd, de->d_name, target) == -EISDIR) {
			view_remove_devdir(dst_fd, de->d_name);
			ret = view_link(dst_fd, de->d_name, target);
		}
	}
	closedir(d);
	if (ret) {
		close(dst_fd);
		return ret;
	}

	src_fd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
	d = src_fd < 0 ? NULL : fdopendir(dup(dst_fd));
	while (d && (de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.' || strcmp(de->d_name, own) == 0 ||
		    fstatat(src_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		if (de->d_type == DT_DIR)
			view_remove_devdir(dst_fd, de->d_name);
		else
			unlinkat(dst_fd, de->d_name, 0);
	}
	if (d)
		closedir(d);
	if (src_fd >= 0)
		close(src_fd);
	close(dst_fd);
	return 0;
}

static int view_mkdirs(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int view_build(const char *view, const struct cdi_info *info)
{
	char target[64];
	int view_fd, fd, ret;

	ret = view_mkdirs(view);
	if (ret)
		return ret;
	view_fd = open(view, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (view_fd < 0)
		return -errno;
	ret = view_mirror(view_fd, "char", CDI_SYS_CHAR, info->devno);
	if (!ret) {
		fd = openat(view_fd, "char", O_PATH | O_DIRECTORY | O_CLOEXEC);
		ret = fd < 0 ? -errno : view_devdir(fd, info);
		if (fd >= 0)
			close(fd);
	}
	if (!ret)
		ret = view_mirror(view_fd, "gpio", CDI_SYS_BUS_DEVICES, info->base);
	if (!ret) {
		fd = openat(view_fd, "gpio", O_PATH | O_DIRECTORY | O_CLOEXEC);
		snprintf(target, sizeof(target), CDI_SYS_CHAR "/%s", info->devno);
		ret = fd < 0 ? -errno : view_link(fd, info->base, target);
		if (fd >= 0)
			close(fd);
	}
	close(view_fd);
	return ret;
}

/* ---- the spec ---- */

static json_object *spec_mount(const char *view, const char *sub, const char *path)
{
	static const char *const options[] = { "bind", "ro", "nosuid", "nodev", "noexec" };
	json_object *m = json_object_new_object(), *opts = json_object_new_array();
	char host[PATH_MAX + 8];

	snprintf(host, sizeof(host), "%s/%s", view, sub);
	json_object_object_add(m, "hostPath", json_object_new_string(host));
	json_object_object_add(m, "containerPath", json_object_new_string(path));
	for (size_t i = 0; opts && i < sizeof(options) / sizeof(options[0]); i++)
		json_object_array_add(opts, json_object_new_string(options[i]));
	json_object_object_add(m, "options", opts);
	return m;
}

/* The spec document, or NULL when out of memory. */
static json_object *spec_build(const char *name, const char *view, const struct cdi_info *info)
{
	json_object *spec = json_object_new_object(), *devices = json_object_new_array();
	json_object *dev = json_object_new_object(), *edits = json_object_new_object();
	json_object *nodes = json_object_new_array(), *node = json_object_new_object();
	json_object *mounts = json_object_new_array();

	if (!spec || !devices || !dev || !edits || !nodes || !node || !mounts) {
		json_object_put(spec);
		json_object_put(devices);
		json_object_put(dev);
		json_object_put(edits);
		json_object_put(nodes);
		json_object_put(node);
		json_object_put(mounts);
		return NULL;
	}
	json_object_object_add(spec, "cdiVersion", json_object_new_string(CDI_VERSION));
	json_object_object_add(spec, "kind", json_object_new_string(VGC_CDI_KIND));
	json_object_object_add(node, "path", json_object_new_string(info->node));
	json_object_object_add(node, "hostPath", json_object_new_string(info->host_node));
	json_object_object_add(node, "type", json_object_new_string("c"));
	json_object_object_add(node, "major", json_object_new_int64(info->major));
	json_object_object_add(node, "minor", json_object_new_int64(info->minor));
	json_object_object_add(node, "fileMode", json_object_new_int(0660));
	/* rw and no mknod: the tenant opens the chip, it makes no devices */
	json_object_object_add(node, "permissions", json_object_new_string("rw"));
	json_object_array_add(nodes, node);
	json_object_object_add(edits, "deviceNodes", nodes);
	json_object_array_add(mounts, spec_mount(view, "char", CDI_SYS_CHAR));
	json_object_array_add(mounts, spec_mount(view, "gpio", CDI_SYS_BUS_DEVICES));
	json_object_object_add(edits, "mounts", mounts);
	json_object_object_add(dev, "name", json_object_new_string(name));
	json_object_object_add(dev, "containerEdits", edits);
	json_object_array_add(devices, dev);
	json_object_object_add(spec, "devices", devices);
	return spec;
}

/* 0, or -ENOMEM: then nothing is written and spec_save keeps the old spec. */
static int spec_write(FILE *f, const char *name, const char *view, const struct cdi_info *info)
{
	json_object *spec = spec_build(name, view, info);
	const char *text = spec ? json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_SPACED |
								  JSON_C_TO_STRING_NOSLASHESCAPE)
				: NULL;

	if (text) {
		fputs(text, f);
		fputc('\n', f);
	}
	json_object_put(spec);
	return text ? 0 : -ENOMEM;
}

/* Written next to its final name and renamed: runtimes watch the directory. */
static int spec_save(const char *path, const char *name, const char *view,
		     const struct cdi_info *info)
{
	char tmp[PATH_MAX + 8];
	int fd, err = 0;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		goto err_unlink;
	}
	if (spec_write(f, name, view, info))
		err = ENOMEM;
	else if (ferror(f))
		err = EIO;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (!err)
		return 0;
err_unlink:
	unlink(tmp);
	return -err;
}

/* ---- the subcommand ---- */

/* CDI device names: letters, digits, '_', '-', '.', ':'. */
static bool cdi_name_ok(const char *name)
{
	if (!name[0])
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && !strchr("_-.:", *p))
			return false;
	return true;
}

static const char cdi_usage[] =
	"Usage: vgpiochip cdi NAME [--dir DIR] [--view-dir DIR]\n"
	"\n"
	"Writes DIR/vgpiochip-NAME.json, a CDI spec for the running daemon NAME:\n"
	"  podman run --device " VGC_CDI_KIND "=NAME ...\n"
	"and the host directories it mounts over /sys/dev/char and\n"
	"/sys/bus/gpio/devices (VIEW-DIR/NAME/char and VIEW-DIR/NAME/gpio).\n"
	"Run it again after host devices came or went.\n"
	"\n"
	"  --dir DIR        where CDI specs live (default " VGC_CDI_DIR ")\n"
	"  --view-dir DIR   where the sysfs views live (default " VGC_VIEW_DIR ")\n";

int vgc_cdi_command(int argc, char **argv, const char *run_dir)
{
	enum { O_DIR = 256, O_VIEW_DIR };
	static const struct option lopts[] = {
		{ "dir", required_argument, NULL, O_DIR },
		{ "view-dir", required_argument, NULL, O_VIEW_DIR },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = VGC_CDI_DIR, *view_dir = VGC_VIEW_DIR, *name;
	char ans[2 * PATH_MAX + 128], view[PATH_MAX], spec[PATH_MAX];
	struct cdi_info info;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case O_DIR:
			dir = optarg;
			break;
		case O_VIEW_DIR:
			view_dir = optarg;
			break;
		case 'h':
			fputs(cdi_usage, stdout);
			return 0;
		default:
			fputs(cdi_usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs(cdi_usage, stderr);
		return 2;
	}
	name = argv[optind];
	if (!cdi_name_ok(name)) {
		fprintf(stderr, "vgpiochip cdi: '%s' cannot be a CDI device name (letters, digits, "
				"'_', '-', '.', ':')\n", name);
		return 2;
	}
	if (dir[0] != '/' || view_dir[0] != '/') {
		fprintf(stderr, "vgpiochip cdi: --dir and --view-dir must be absolute paths\n");
		return 2;
	}
	if (cdi_query(run_dir, name, ans, sizeof(ans)) || cdi_info_parse(&info, ans))
		return 1;
	/*
	 * The spec puts MAJ:MIN into every container's node and device rules.
	 * Chosen by CUSE, it changes when daemons restart in another order, and
	 * a container would then open another tenant's chip.
	 */
	if (strcmp(info.numbering, "fixed") != 0) {
		fprintf(stderr, "vgpiochip cdi: the daemon of '%s' has the device number %s only "
			"until it restarts (CUSE chose it): a container given it could later open "
			"another tenant's chip. Start it with a fixed number, e.g. 'vgpiochip --name "
			"%s --dev MAJ:MIN ...' or 'dev = MAJ:MIN' in its config (a major no driver "
			"uses, see /proc/devices), then run this again\n", name, info.devno, name);
		return 1;
	}

	if (access(CDI_SYS_BUS_DEVICES, F_OK) < 0) {
		fprintf(stderr, "vgpiochip cdi: %s is missing: containers need the host kernel's "
				"GPIO bus (CONFIG_GPIOLIB) to mount the view over\n",
			CDI_SYS_BUS_DEVICES);
		return 1;
	}
	if (snprintf(view, sizeof(view), "%s/%s", view_dir, name) >= (int)sizeof(view) ||
	    snprintf(spec, sizeof(spec), "%s/vgpiochip-%s.json", dir, name) >= (int)sizeof(spec)) {
		fprintf(stderr, "vgpiochip cdi: path too long\n");
		return 2;
	}
	ret = view_build(view, &info);
	if (ret) {
		fprintf(stderr, "vgpiochip cdi: cannot build the sysfs view in %s: %s\n", view,
			strerror(-ret));
		return 1;
	}
	ret = view_mkdirs(dir);
	if (!ret)
		ret = spec_save(spec, name, view, &info);
	if (ret) {
		fprintf(stderr, "vgpiochip cdi: cannot write %s: %s\n", spec, strerror(-ret));
		return 1;
	}
	printf("spec %s\nview %s\ndevice %s %s %s\n", spec, view, info.host_node, info.devno,
	       info.node);
	return 0;
}
