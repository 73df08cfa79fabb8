/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A broken rule in a fuzz harness: say which and where, then abort, which
 * libFuzzer reports as a crash with the input that did it (run.sh greps
 * "broken rule").
 */
#ifndef VGC_FUZZ_CHECK_H
#define VGC_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(harness, cond, ...)                                             \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s: broken rule at %s:%d: ", harness,    \
				__FILE__, __LINE__);                               \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                                  \
	} while (0)

#endif
