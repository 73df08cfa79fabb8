// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's log: one write per line on stderr (the journal under
 * systemd), each line "vgpiochip TENANT: ...".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

/*
 * While the main loop serves a turn its lines wait here and go out in one
 * write after it: a line request's audit line is then written while the
 * injector works, not before it starts. Other threads write at once.
 */
static __thread bool log_held;
static char log_buf[16384];
static size_t log_len;

static void log_write(const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(STDERR_FILENO, buf + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
}

void vgc_log_flush(void)
{
	log_write(log_buf, log_len);
	log_len = 0;
}

void vgc_log_hold(bool hold)
{
	vgc_log_flush();
	log_held = hold;
}

/* What snprintf wrote into room bytes, cut as it cut it. */
static size_t log_written(int n, size_t room)
{
	return n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
}

/* One write per line, whole lines for the journal; longer lines are cut. */
void vgc_log(const struct vgc_daemon *d, const char *fmt, ...)
{
	char line[4096];
	/* one byte kept back for the newline */
	const size_t room = sizeof(line) - 1;
	size_t len;
	va_list ap;

	len = log_written(snprintf(line, room, "vgpiochip %s: ", d->cfg->tenant), room);
	va_start(ap, fmt);
	len += log_written(vsnprintf(line + len, room - len, fmt, ap), room - len);
	va_end(ap);
	line[len++] = '\n';
	if (!log_held) {
		log_write(line, len);
		return;
	}
	if (log_len + len > sizeof(log_buf))
		vgc_log_flush();
	memcpy(log_buf + log_len, line, len);
	log_len += len;
}
