/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vgpiochip daemon: one process, one tenant, one CUSE device. */
#ifndef VGC_DAEMON_H
#define VGC_DAEMON_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../backend/backend.h"
#include "../inject/inject.h"
#include "../policy/config.h"
#include "../policy/map.h"
#include "../uapi/uapi.h"

#define VGC_RUN_DIR "/run/vgpiochip"
#define VGC_MAX_ATTACH 16
/* After SIGTERM, how long tenants get to see ENODEV and close their files. */
#define VGC_LINGER_MS 5000

/* Where tenants see the chip unless --node or node = says otherwise. */
#define VGC_DEFAULT_NODE "/dev/gpiochip0"

/*
 * What only the command line says. The tenant's settings (name, chip, lines,
 * names, device number, node) are the config's, with the flags put over the
 * file: d->cfg, the one place they live.
 */
struct vgc_options {
	const char *config;	/* --config FILE, re-read on reload; NULL: flags only */
	const char *run_dir;
	bool debug;
	bool sysfs;		/* --sysfs: serve /sys/class/gpio too (sysfs/) */
	unsigned int sysfs_base;
};

struct fe_file;
struct fe_pending;
struct vgc_sysfs_fs;

struct vgc_daemon {
	struct vgc_options opt;
	char chip_name[GPIO_MAX_NAME_SIZE];
	char label[GPIO_MAX_NAME_SIZE];
	char devname[128];
	char host_node[PATH_MAX];
	char node[PATH_MAX];	/* --node, a copy: a reload frees the config's strings */
	char ctl_path[PATH_MAX];
	char state_path[PATH_MAX];
	dev_t rdev;
	struct vgc_config *cfg;	/* as loaded: file and flags */
	struct vgc_config_flags flags;	/* kept: they win over the file on reload too */
	struct vgc_map *map;
	struct vgc_rules *rules;	/* rules[i] for map->entries[i] */
	struct vgc_backend *be;
	struct vgc_chip *chip;
	struct fuse_session *se;
	struct vgc_sysfs_fs *sysfs;	/* --sysfs: /sys/class/gpio, NULL without */
	struct vgc_injector *inj;
	int inj_pipe[2];	/* injector -> main loop: a wake-up when done grew */
	pthread_mutex_t done_lock;
	struct fe_pending *done;	/* finished jobs, newest first (done_lock) */
	int sig_fd;
	int ctl_fd;
	int lock_fd;		/* RUN_DIR/NAME.lock, flock()ed: one daemon per tenant */
	bool ready;
	bool stop;
	struct fe_file *dirty;	/* files whose readers or pollers need a look */
	struct fe_pending *pending; /* line requests waiting for their injected open */
	struct {
		pid_t pid;
		char node[PATH_MAX];
		bool sysfs;	/* attach --sysfs: /sys/class/gpio too */
	} attached[VGC_MAX_ATTACH];
	unsigned int num_attached;
	uint64_t injections, injection_failures;
	struct {
		uint32_t line;
		pid_t pid;
		char rule[32];
		uint64_t ns;
		uint64_t repeats;
	} last_denial;		/* the audit log folds repeats of it */
	bool stopping;		/* SIGTERM: the chip is gone, waiting for files to close */
	int64_t stop_deadline_ms;	/* CLOCK_MONOTONIC */
};

/* log.c. Messages say who speaks: "vgpiochip vpi1: ...". */
void vgc_log(const struct vgc_daemon *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes the lines the main loop holds back (also from a signal handler that ends the process). */
void vgc_log_flush(void);
/* SIGTERM, SIGINT and SIGHUP blocked in every thread and read from d->sig_fd; SIGPIPE ignored */
int vgc_daemon_signals(struct vgc_daemon *d);
/* From the main loop: hold its lines back until its turn is over (true), or not. */
void vgc_log_hold(bool hold);

/* frontend.c */
extern const struct cuse_lowlevel_ops vgc_frontend_ops;
void vgc_frontend_ready(struct vgc_file *f, void *file_ctx, void *data);
void vgc_frontend_flush(struct vgc_daemon *d);
void vgc_frontend_injected(struct vgc_daemon *d);

/* ctl.c */
/*
 * Takes RUN_DIR/NAME.lock for the daemon's lifetime: 0, or -EBUSY (another
 * daemon serves NAME) or -errno, said in the log.
 */
int vgc_ctl_lock(struct vgc_daemon *d);
int vgc_ctl_listen(struct vgc_daemon *d);
void vgc_ctl_accept(struct vgc_daemon *d);
int vgc_ctl_request(const char *run_dir, const char *name, const char *line);
/* A reload (control socket or SIGHUP): logged; ans gets "ok ..." or "error: ...". */
void vgc_ctl_reload(struct vgc_daemon *d, char *ans, size_t len);
void vgc_attach_restore(struct vgc_daemon *d);

/* notify.c: one notice to systemd ("READY=1"...) if it started us; 0 or -errno. */
int vgc_notify(const char *state);

/* daemon.c */
int vgc_daemon_run(struct vgc_options *opt, struct vgc_config *cfg,
		   const struct vgc_config_flags *flags);
/*
 * (Re)claims d->map's host lines in the registry, dropping the previous
 * claim first. 0, or -errno with the message in err (logged if err is NULL).
 */
int vgc_daemon_claim_host_lines(struct vgc_daemon *d, char *err, size_t errlen);

#endif
