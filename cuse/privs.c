// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Least privilege after start-up. Capabilities, securebits, the bounding
 * set and no_new_privs are per thread in Linux, so each step runs on the
 * main thread and, through vgc_inject_call(), on the injector thread; the
 * seccomp filter is synchronised to every thread (TSYNC) and inherited by
 * threads and children made later.
 *
 * The daemon stays uid 0: its files in the run directory are root's, so it
 * needs no DAC override for them, and a uid change would break nothing but
 * gain nothing either once capabilities are gone.
 */
#include "privs.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PRIVS_CAP(c) (UINT64_C(1) << (c))

/* Effective on every thread for the daemon's life: ptrace the tenants, their /proc/TID/ns. */
#define PRIVS_KEEP PRIVS_CAP(CAP_SYS_PTRACE)

/*
 * Permitted on the main thread only, effective only while a control request
 * runs: attach makes and chowns a node in the run directory, clones it with
 * open_tree(), and its child enters the container's mount namespace (which
 * wants CAP_SYS_CHROOT too), walks the container's paths from its root,
 * creates the mount point as the container's root (setfsuid) and moves in
 * mounts built detached.
 */
#define PRIVS_ATTACH (PRIVS_KEEP | PRIVS_CAP(CAP_SYS_ADMIN) | PRIVS_CAP(CAP_SYS_CHROOT) | \
		      PRIVS_CAP(CAP_MKNOD) | PRIVS_CAP(CAP_CHOWN) |                         \
		      PRIVS_CAP(CAP_DAC_OVERRIDE) | PRIVS_CAP(CAP_DAC_READ_SEARCH) |        \
		      PRIVS_CAP(CAP_FOWNER) | PRIVS_CAP(CAP_SETUID) | PRIVS_CAP(CAP_SETGID))

/* Set by vgc_privs_drop(); raise and lower do nothing before. */
static bool privs_dropped;

/*
 * The SIGSYS handler's message needs the tenant and syscall names without
 * calling anything that is not async-signal-safe: both are ready before the
 * filter goes on.
 */
#define PRIVS_MAX_NR 512
static char privs_tenant[64];
static char privs_names[PRIVS_MAX_NR][24];

static int privs_capset(uint64_t effective, uint64_t permitted)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {
		{ .effective = (uint32_t)effective, .permitted = (uint32_t)permitted },
		{ .effective = (uint32_t)(effective >> 32),
		  .permitted = (uint32_t)(permitted >> 32) },
	};

	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/*
 * One thread's part: no capability comes back through exec, setuid to 0 or
 * the ambient set, and only keep stays in the bounding set and permitted,
 * with effective the part of it that is always on.
 */
static int privs_drop_thread(uint64_t keep)
{
	int cap;

	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED |
			SECBIT_KEEP_CAPS_LOCKED) < 0)
		return -errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -errno;
	for (cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap) >= 0; cap++)
		if (!(keep & PRIVS_CAP(cap)) && prctl(PR_CAPBSET_DROP, cap) < 0)
			return -errno;
	return privs_capset(PRIVS_KEEP, keep);
}

static int privs_drop_injector(void *arg)
{
	(void)arg;
	return privs_drop_thread(PRIVS_KEEP);
}

static void privs_put(char **p, char *end, const char *s)
{
	while (*s && *p < end)
		*(*p)++ = *s++;
}

static void privs_put_num(char **p, char *end, unsigned long n)
{
	char digits[24];
	int i = 0;

	do
		digits[i++] = (char)('0' + n % 10);
	while ((n /= 10) && i < (int)sizeof(digits));
	while (i && *p < end)
		*(*p)++ = digits[--i];
}

/*
 * A syscall outside the filter is a daemon bug or an exploit attempt: say
 * which one, then exit at once (the lines are released with the process).
 */
static void privs_sigsys(int sig, siginfo_t *si, void *uc)
{
	char msg[256], *p = msg, *end = msg + sizeof(msg) - 1;
	int nr = si->si_syscall;

	(void)sig, (void)uc;
	privs_put(&p, end, "vgpiochip ");
	privs_put(&p, end, privs_tenant);
	privs_put(&p, end, ": seccomp: syscall ");
	if (nr >= 0 && nr < PRIVS_MAX_NR && privs_names[nr][0])
		privs_put(&p, end, privs_names[nr]);
	else
		privs_put(&p, end, "?");
	privs_put(&p, end, " (");
	privs_put_num(&p, end, (unsigned long)(unsigned int)nr);
	privs_put(&p, end, ") is not in the daemon's filter; this is a bug, please report it "
			   "with the command line; the daemon stops\n");
	*p++ = '\0';
	vgc_log_flush();
	if (write(STDERR_FILENO, msg, (size_t)(p - msg - 1)) < 0)
		p = msg;
	_exit(70);
}

/*
 * What the daemon calls once start-up is over: the union of strace -f of
 * the daemons through the VM suites (scenario-cuse, -host, -attach,
 * -harden), plus what the paths those runs do not reach need: a fresh
 * injector thread after a watchdog (clone, rseq, timer_create, gettid), a
 * reload (the host-line locks: mkdir, flock, ftruncate, pwrite64), stop,
 * abort(), sd_notify. Grouped by who needs them; in each group, after the
 * names of the 64-bit ABIs, what 32-bit glibc calls instead (run on armhf):
 * the 64-bit time and file-offset variants it tries first, the 32-bit-id
 * and 64-bit-stat ones, mmap2, and sigreturn for handlers without
 * SA_SIGINFO. A name the architecture lacks resolves to nothing.
 */
static const char *const privs_allowed[] = {
	/* memory, threads, time, signals: glibc and libfuse */
	"brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "futex", "set_robust_list",
	"rseq", "exit", "exit_group", "gettid", "getpid", "tgkill", "rt_sigprocmask",
	"rt_sigreturn", "restart_syscall", "clock_gettime", "gettimeofday", "time",
	"mmap2", "futex_time64", "clock_gettime64", "sigreturn",
	/* json-c's hash seed, on the first status --json where the CPU has no RDRAND */
	"getrandom",
	/* files and fds: /dev/cuse, the host chip, the run directory, config, logs */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "close", "lseek", "openat",
	"openat2", "fstat", "newfstatat", "fstatfs", "statfs", "fcntl", "pipe2", "ioctl",
	"flock", "ftruncate", "mkdir", "mkdirat", "unlink", "unlinkat", "readlink", "readlinkat",
	"getdents64", "umask",
	"_llseek", "statx", "fstat64", "fstatat64", "fstatfs64", "statfs64", "fcntl64",
	"ftruncate64",
	/* the event loop and the backends' timers */
	"poll", "ppoll", "epoll_ctl", "epoll_wait", "epoll_pwait", "timerfd_create",
	"timerfd_settime", "timerfd_gettime",
	"ppoll_time64", "timerfd_settime64", "timerfd_gettime64",
	/*
	 * control socket, sd_notify (which compares real and effective ids
	 * first), the vhost-user socket (messages with fds: recvmsg)
	 */
	"accept4", "sendmsg", "sendto", "recvmsg", "setsockopt", "getsockopt", "getuid", "geteuid",
	"getgid", "getegid",
	"send", "getuid32", "geteuid32", "getgid32", "getegid32",
	/* the injector */
	"ptrace", "wait4", "waitid",
	"timer_create", "timer_settime", "timer_delete",
	"timer_settime64",
	/* the sanitizer runtimes of a make SAN=1 build, on each new thread */
	"sched_getaffinity", "sigaltstack", "sched_yield",
	/* attach: node, chown, the child in the container */
	"mknodat", "chown", "fchownat", "chdir", "fchdir", "chroot", "setns", "mount",
	"umount2", "open_tree", "move_mount", "symlinkat", "setfsuid", "setfsgid", "capget",
	"capset",
	"chown32", "setfsuid32", "setfsgid32",
	/* --sysfs: its host mount point goes at stop */
	"rmdir",
	/*
	 * attach: views made detached, walks that follow no symlink, the child's
	 * fds closed, its time bound (kill, pidfd); the state and lock files'
	 * modes whatever the umask (also on reload)
	 */
	"fsopen", "fsconfig", "fsmount", "mount_setattr", "close_range", "dup2", "dup3",
	"pidfd_open", "kill", "nanosleep", "clock_nanosleep", "fchmod", "chmod", "fchmodat",
	"clock_nanosleep_time64",
};

/* Thread flags libc uses; any namespace or other flag falls to the default action. */
#define PRIVS_CLONE_OK                                                                        \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |   \
	 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | \
	 SIGCHLD)

static int privs_filter(struct vgc_daemon *d)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	unsigned int i;
	int ret = -ENOMEM;

	if (!ctx)
		return ret;
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (i = 0; !ret && i < sizeof(privs_allowed) / sizeof(privs_allowed[0]); i++) {
		int nr = seccomp_syscall_resolve_name(privs_allowed[i]);

		/* a name this architecture lacks (open on arm64) is simply not there */
		if (nr != __NR_SCMP_ERROR && nr >= 0)
			ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	/*
	 * Threads and fork, never new namespaces. A filter cannot read
	 * clone3's flags (they are in memory): ENOSYS sends glibc to clone.
	 */
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				       SCMP_A0(SCMP_CMP_MASKED_EQ, ~(uint64_t)PRIVS_CLONE_OK, 0));
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* local sockets only */
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				       SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
	/* prctl only to read: everything it could change is locked above */
	for (i = 0; !ret && i < 4; i++) {
		static const int reads[] = { PR_CAPBSET_READ, PR_GET_NAME, PR_GET_SECUREBITS,
					     PR_GET_NO_NEW_PRIVS };

		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
				       SCMP_A0(SCMP_CMP_EQ, (uint64_t)reads[i]));
	}
	if (!ret)
		ret = seccomp_load(ctx);
	if (ret)
		vgc_log(d, "cannot install the seccomp filter: %s%s", strerror(-ret),
			ret == -EINVAL ? " (does the kernel have CONFIG_SECCOMP_FILTER?)" : "");
	seccomp_release(ctx);
	return ret;
}

static void privs_prepare_report(const struct vgc_daemon *d)
{
	struct sigaction sa = { .sa_sigaction = privs_sigsys, .sa_flags = SA_SIGINFO };

	snprintf(privs_tenant, sizeof(privs_tenant), "%s", d->cfg->tenant);
	for (int nr = 0; nr < PRIVS_MAX_NR; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (name)
			snprintf(privs_names[nr], sizeof(privs_names[nr]), "%s", name);
		free(name);
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
}

int vgc_privs_drop(struct vgc_daemon *d)
{
	int ret;

	ret = vgc_inject_call(d->inj, privs_drop_injector, NULL);
	if (ret) {
		vgc_log(d, "cannot drop the injector thread's capabilities: %s", strerror(-ret));
		return ret;
	}
	ret = privs_drop_thread(PRIVS_ATTACH);
	if (ret) {
		vgc_log(d, "cannot drop capabilities: %s (is the daemon running as root?)",
			strerror(-ret));
		return ret;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		ret = -errno;
		vgc_log(d, "cannot set no_new_privs: %s", strerror(errno));
		return ret;
	}
	privs_prepare_report(d);
	ret = privs_filter(d);
	if (ret)
		return ret;
	privs_dropped = true;
	if (d->opt.debug)
		vgc_log(d, "privileges dropped: CAP_SYS_PTRACE effective, attach capabilities "
			   "permitted, seccomp filter on");
	return 0;
}

int vgc_privs_raise(const struct vgc_daemon *d)
{
	int ret;

	if (!privs_dropped)
		return 0;
	ret = privs_capset(PRIVS_ATTACH, PRIVS_ATTACH);
	if (ret)
		vgc_log(d, "cannot raise the attach capabilities: %s", strerror(-ret));
	return ret;
}

void vgc_privs_lower(const struct vgc_daemon *d)
{
	int ret;

	if (!privs_dropped)
		return;
	ret = privs_capset(PRIVS_KEEP, PRIVS_ATTACH);
	if (ret) {
		/* never go on serving with more than we meant to keep */
		vgc_log(d, "cannot lower the attach capabilities: %s; stopping", strerror(-ret));
		vgc_log_flush();
		_exit(70);
	}
}

/* root's, and not writable by group or others */
static int privs_check_path(const struct vgc_daemon *d, const char *what, const char *path,
			    bool follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		vgc_log(d, "cannot check the control socket's %s %s: %s", what, path,
			strerror(errno));
		return -errno;
	}
	if (st.st_uid != 0) {
		vgc_log(d, "the control socket's %s %s is owned by uid %u, not root: anyone with "
			   "that uid could replace the socket; run 'chown root:root %s' or pick "
			   "another --run-dir", what, path, (unsigned int)st.st_uid, path);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		vgc_log(d, "the control socket's %s %s is writable by %s (mode %04o): others "
			   "could replace or use the socket; run 'chmod go-w %s' or pick another "
			   "--run-dir", what, path,
			(st.st_mode & S_IWGRP) && (st.st_mode & S_IWOTH) ? "group and others"
			: (st.st_mode & S_IWGRP)			     ? "its group"
									     : "others",
			(unsigned int)(st.st_mode & 07777), path);
		return -EPERM;
	}
	return 0;
}

int vgc_privs_check_ctl(const struct vgc_daemon *d)
{
	int ret = privs_check_path(d, "directory", d->opt.run_dir, true);

	return ret ? ret : privs_check_path(d, "socket", d->ctl_path, false);
}
