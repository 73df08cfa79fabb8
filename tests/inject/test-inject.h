/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the injector test's driver, FUSE server and clients. */
#ifndef VGC_TEST_INJECT_H
#define VGC_TEST_INJECT_H

#define FUSE_USE_VERSION 35

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Shaped like struct gpioevent_request: 48 bytes, fd last. */
struct test_req {
	uint32_t cookie;
	uint32_t answer;	/* the server's proof that it replied */
	char label[32];
	int32_t pad;
	int32_t fd;
};
_Static_assert(sizeof(struct test_req) == 48, "test_req is 48 bytes");

#define TEST_IOC_INJECT     _IOWR('V', 0x40, struct test_req)
#define TEST_IOC_PLAIN      _IOWR('V', 0x41, struct test_req)
#define TEST_IOC_WRONG_NODE _IOWR('V', 0x42, struct test_req)
#define TEST_IOC_OPEN_FAILS _IOWR('V', 0x43, struct test_req)
#define TEST_IOC_LONG_PATH  _IOWR('V', 0x44, struct test_req)
/* claims a struct twice a page long: the fd goes past the caller's page */
#define TEST_IOC_FD_BEYOND  _IOWR('V', 0x45, struct test_req)
#define TEST_FD_BEYOND      (sizeof(struct test_req) + 64)
/* the reply comes TEST_LATE_MS late: the caller cannot stop in time */
#define TEST_IOC_LATE_REPLY _IOWR('V', 0x46, struct test_req)
#define TEST_LATE_MS        3500
/* answered with result 7: the caller stops at an ioctl that did not succeed */
#define TEST_IOC_BAD_RESULT _IOWR('V', 0x47, struct test_req)
#define TEST_BAD_RESULT     7
/* the first path goes through a FUSE directory whose lookups never end */
#define TEST_IOC_STALL_PATH _IOWR('V', 0x48, struct test_req)
#define TEST_ANSWER(c)      ((c) ^ 0xa5a5a5a5u)
#define TEST_FILE_INO       2

/* One finished job, as the server reports it to the driver. */
struct done_rec {
	int32_t tid;
	int32_t fd;
	int32_t err;
	char step[36];
};

/* The mount point and the file on it, set up by the driver. */
extern char test_mnt[64];
extern char test_path[96];

/* server.c: mounts test_mnt and serves until ctl_fd reads EOF (a byte: see server_main) */
int server_main(int ctl_fd, int log_fd);

/* client.c: one client each, returning the number of failures */
extern int client_count_fd;
int64_t now_ms(void);
int client_one(void);
int client_in_a_row(void);
int client_threads(void);
int client_alarm_storm(void);
int client_rt_flood(void);
int client_stop_storm(void);
int client_traced(void);
int client_errors(void);
int client_watchdog(void);
int client_bad_stop(void);
int client_until_killed(int tick);
int client_stall(void);

#endif

