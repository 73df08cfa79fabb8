// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The notice to systemd (cuse/notify.c): the datagram a Type=notify unit
 * waits for, to a socket path or an abstract name, and nothing when
 * systemd did not start us.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../cuse/daemon.h"
#include "suites.h"

/* A datagram socket bound at name (a path, or "@..." for an abstract name). */
static int notify_listen(const char *name, socklen_t *len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memcpy(sa.sun_path, name, strlen(name));
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, *len), 0);
	return fd;
}

static void notify_expect(int fd, const char *want)
{
	char buf[64];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	ck_assert_int_eq(n, (ssize_t)strlen(want));
	buf[n] = '\0';
	ck_assert_str_eq(buf, want);
}

START_TEST(notify_to_path)
{
	char path[64];
	socklen_t len;
	int fd;

	snprintf(path, sizeof(path), "/tmp/vgc-notify-%d", (int)getpid());
	unlink(path);
	fd = notify_listen(path, &len);
	setenv("NOTIFY_SOCKET", path, 1);
	ck_assert_int_eq(vgc_notify("READY=1"), 0);
	notify_expect(fd, "READY=1");
	unsetenv("NOTIFY_SOCKET");
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(notify_to_abstract)
{
	char name[64];
	socklen_t len;
	int fd;

	snprintf(name, sizeof(name), "@vgc-notify-%d", (int)getpid());
	fd = notify_listen(name, &len);
	setenv("NOTIFY_SOCKET", name, 1);
	ck_assert_int_eq(vgc_notify("STOPPING=1"), 0);
	notify_expect(fd, "STOPPING=1");
	unsetenv("NOTIFY_SOCKET");
	close(fd);
}
END_TEST

START_TEST(notify_not_asked)
{
	unsetenv("NOTIFY_SOCKET");
	ck_assert_int_eq(vgc_notify("READY=1"), 0);
	/* neither a path nor an abstract name */
	setenv("NOTIFY_SOCKET", "vsock:2:1", 1);
	ck_assert_int_eq(vgc_notify("READY=1"), -EINVAL);
	/* nobody listening there */
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	ck_assert_int_eq(vgc_notify("READY=1"), -ENOENT);
	unsetenv("NOTIFY_SOCKET");
}
END_TEST

Suite *vgc_test_notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("sd_notify");

	tcase_add_test(tc, notify_not_asked);
	tcase_add_test(tc, notify_to_path);
	tcase_add_test(tc, notify_to_abstract);
	suite_add_tcase(s, tc);
	return s;
}
