// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Readiness and reload notices to systemd (Type=notify). The protocol is one
 * datagram to the socket $NOTIFY_SOCKET names (sd_notify(3)); it is written
 * out here because linking libsystemd for it brought gcrypt, gpg-error,
 * lzma, zstd, lz4 and cap along: about 1 MiB of resident memory in every
 * tenant's daemon.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"

int vgc_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen;
	size_t len;
	int fd, ret = 0;

	/* not started by systemd: nobody to tell */
	if (!path || !path[0])
		return 0;
	len = strlen(path);
	/* a path, or an abstract name written with a leading '@' */
	if ((path[0] != '/' && path[0] != '@') || len >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/'));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) < 0)
		ret = -errno;
	close(fd);
	return ret;
}
