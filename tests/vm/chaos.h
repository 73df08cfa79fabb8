/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the pieces of vgc-chaos (see vgc-chaos.c): the operations whose
 * answers are judged, the helpers every command uses, and the commands.
 */
#ifndef VGC_CHAOS_H
#define VGC_CHAOS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum op {
	OP_OPEN, OP_CHIPINFO, OP_LINEINFO, OP_WATCH, OP_UNWATCH, OP_GET_LINE,
	OP_LINEHANDLE, OP_LINEEVENT, OP_CHIP_GARBAGE, OP_LINE_GET, OP_LINE_SET,
	OP_LINE_CONFIG, OP_LINE_GARBAGE, OP_READ_TINY, OP_READ, OP_POLL, OP_CLOSE,
	OP_NUM
};

/* vgc-chaos.c: the chip named on the command line, and the counts of answers */
extern const char *chip_path;
extern atomic_long ops, unexpected;

bool judge(enum op op, long rc, unsigned long detail);
int64_t now_ms(void);
int open_chip(void);
unsigned int chip_lines(int chip);
int request(int chip, unsigned int first, unsigned int n, uint64_t flags);
void *bad_pointer(unsigned int pick);
void fill_random(void *buf, size_t len, unsigned int *seed);

int cmd_kill(int iterations);		/* chaos-kill.c */
int cmd_chaos(int seconds);		/* chaos-random.c */
int cmd_escape(void);			/* chaos-escape.c */
int cmd_hold(void);			/* chaos-hold.c */

#endif
