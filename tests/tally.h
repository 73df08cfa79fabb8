/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The C test programs' side of tests/tally.sh: one "ok - ..." or
 * "not ok - ..." line per check, then "# end of NAME: N passed, N failed",
 * with the counts taken from the checks made, never written by hand.
 */
#ifndef VGC_TESTS_TALLY_H
#define VGC_TESTS_TALLY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned int tally_passed, tally_failed;

__attribute__((format(printf, 2, 3))) static inline bool tally_check(bool ok, const char *fmt,
								     ...)
{
	va_list ap;

	fputs(ok ? "ok - " : "not ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (ok)
		tally_passed++;
	else
		tally_failed++;
	return ok;
}

/* The end line; 0 when every check passed (an exit status), 1 otherwise. */
static inline int tally_end(const char *name)
{
	printf("# end of %s: %u passed, %u failed\n", name, tally_passed, tally_failed);
	fflush(stdout);
	return tally_failed ? 1 : 0;
}

#endif
