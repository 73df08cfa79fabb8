/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The byte encoding of a fuzz-uapi input, shared by the harness (which
 * decodes it) and mkseeds (which writes seeds in it). An input is one setup
 * byte, then operations until the bytes run out; a read past the end gives
 * zeros, so every byte string is a valid input. Integers are little-endian.
 *
 *   setup       u8: which chips and maps (FZ_SETUP_*, modulo FZ_NUM_SETUPS)
 *   op          u8 (modulo FZ_NUM_OPS), then its operands:
 *   OPEN        client u8                 a new chip fd in the first free slot
 *   IOCTL       slot u8, cmd, lens u8, dispo u8, arg
 *   OPEN_REQ    req u8, client u8         give a pending request its file
 *   REQ_FREE    req u8                    drop a pending request unopened
 *   READ        slot u8, count u16
 *   POLL        slot u8
 *   RELEASE     slot u8
 *   PULL        host u8, level u8         (level - 1: -1 floats, 0, 1; others invalid)
 *   DISPATCH                              run due debounce timers, never waiting
 *   TOGGLE      host u8, n u8             n pulls alternating 1, 0, 1...
 *
 *   cmd         u8 below 0x80: fz_cmds[u8 % FZ_NUM_CMDS]; from FZ_CMD_RAW: a
 *               raw u32; between: a 0xB4 command from dir u8, nr u8, size u16
 *   lens        bits 0-1 in, 2-3 out: 0 the command's size, 1 short by
 *               u8 % size + 1, 2 long by u8, 3 none (a NULL buffer)
 *   dispo       what a new request becomes (FZ_DISPO_*, modulo FZ_NUM_DISPO)
 *   arg         mode u8: bits 0-1 FZ_ARG_*, bits 2-4 the number of patches;
 *               FZ_ARG_RAW is followed by the whole struct, FZ_ARG_TEMPLATE by
 *               the template's own operands (see fuzz-uapi.c); then each
 *               patch: offset u16 (modulo the size), len u8 (& 31, + 1), bytes
 */
#ifndef VGC_FUZZ_UAPI_OPS_H
#define VGC_FUZZ_UAPI_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/gpio.h>

#define FZ_MAX_CLIENTS 4	/* clients 0-2 are tenant A's, client 3 is tenant B's */
#define FZ_MAX_FILES 16
#define FZ_MAX_REQS (FZ_MAX_FILES + 8)
#define FZ_MAX_OPS 256

enum fz_setup {
	FZ_SETUP_SMALL,		/* the unit-test chip: 8 lines, a hole at 6 */
	FZ_SETUP_WIDE,		/* the same map, 70 virtual lines: holes past 7 */
	FZ_SETUP_64,		/* 64 lines 0-63 on host 0-63 */
	FZ_SETUP_SPARSE,	/* lines 63, 64 and 1023 of 1024 */
	FZ_NUM_SETUPS
};

enum fz_op {
	FZ_OP_OPEN,
	FZ_OP_IOCTL,
	FZ_OP_OPEN_REQ,
	FZ_OP_REQ_FREE,
	FZ_OP_READ,
	FZ_OP_POLL,
	FZ_OP_RELEASE,
	FZ_OP_PULL,
	FZ_OP_DISPATCH,
	FZ_OP_TOGGLE,
	FZ_NUM_OPS
};

enum fz_dispo { FZ_DISPO_OPEN, FZ_DISPO_PENDING, FZ_DISPO_FREE, FZ_NUM_DISPO };

enum fz_arg { FZ_ARG_ZERO, FZ_ARG_RAW, FZ_ARG_TEMPLATE, FZ_ARG_ONES };

#define FZ_LEN_EXACT 0
#define FZ_LEN_SHORT 1
#define FZ_LEN_LONG 2
#define FZ_LEN_NONE 3

/* Every command of the GPIO chardev ABI, v2 and v1. */
static const unsigned int fz_cmds[] = {
	GPIO_GET_CHIPINFO_IOCTL,
	GPIO_GET_LINEINFO_UNWATCH_IOCTL,
	GPIO_V2_GET_LINEINFO_IOCTL,
	GPIO_V2_GET_LINEINFO_WATCH_IOCTL,
	GPIO_V2_GET_LINE_IOCTL,
	GPIO_V2_LINE_SET_CONFIG_IOCTL,
	GPIO_V2_LINE_GET_VALUES_IOCTL,
	GPIO_V2_LINE_SET_VALUES_IOCTL,
	GPIO_GET_LINEINFO_IOCTL,
	GPIO_GET_LINEHANDLE_IOCTL,
	GPIO_GET_LINEEVENT_IOCTL,
	GPIOHANDLE_GET_LINE_VALUES_IOCTL,
	GPIOHANDLE_SET_LINE_VALUES_IOCTL,
	GPIOHANDLE_SET_CONFIG_IOCTL,
	GPIO_GET_LINEINFO_WATCH_IOCTL,
};
#define FZ_NUM_CMDS (sizeof(fz_cmds) / sizeof(fz_cmds[0]))
#define FZ_CMD_RAW 0xf0

/* Index of cmd in fz_cmds, for the seed writer. */
static inline unsigned int fz_cmd_index(unsigned int cmd)
{
	for (unsigned int i = 0; i < FZ_NUM_CMDS; i++)
		if (fz_cmds[i] == cmd)
			return i;
	return FZ_NUM_CMDS;
}

/* The input being decoded; reads past its end give zeros. */
struct fz_input {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t in_u8(struct fz_input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint64_t in_uint(struct fz_input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)in_u8(in) << (8 * i);
	return v;
}

static inline void in_bytes(struct fz_input *in, void *dst, size_t len)
{
	size_t n = len < in->n ? len : in->n;

	memcpy(dst, in->p, n);
	memset((char *)dst + n, 0, len - n);
	in->p += n;
	in->n -= n;
}

#endif
