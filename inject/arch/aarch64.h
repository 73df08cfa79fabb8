/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aarch64 tasks. Included by ../arch.h only.
 *
 * NT_PRSTATUS is x0-x30, sp, pc, pstate (272 bytes). The syscall number is
 * x8 on entry; the kernel keeps it, and the number a restart would use, in
 * its own syscallno, reached by the NT_ARM_SYSTEM_CALL regset. x0 carries
 * the first argument in and the return value out (the kernel keeps the
 * argument in orig_x0 for restarts; no regset shows it).
 *
 * Our PTRACE_INTERRUPT stop is taken in the signal code, after the kernel
 * has made its restart decision and forgotten the syscall (syscallno -1):
 * at that stop only x8, which the kernel never writes, still says which
 * syscall the task made.
 */
#ifndef VGC_INJECT_ARCH_AARCH64_H
#define VGC_INJECT_ARCH_AARCH64_H

/* arm_set_syscallno(), shared with the compat tasks */
#include "arm.h"

/* The generic syscall table's numbers (fixed ABI). */
enum {
	AARCH64_NR_IOCTL = 29,
	AARCH64_NR_CLOSE = 57,
	AARCH64_NR_OPENAT = 56,
};

/* NT_PRSTATUS: struct user_pt_regs of <asm/ptrace.h>. */
struct aarch64_regs {
	uint64_t x[31];
	uint64_t sp, pc, pstate;
};

_Static_assert(sizeof(struct aarch64_regs) == 272, "aarch64 NT_PRSTATUS is 272 bytes");
_Static_assert(sizeof(struct aarch64_regs) <= INJECT_REGS_MAX,
	       "NT_PRSTATUS does not fit struct inject_regs");

/* svc #0, little-endian */
static const uint8_t aarch64_syscall_insn[] = { 0x01, 0x00, 0x00, 0xd4 };

static inline struct aarch64_regs *aarch64_regs(struct inject_regs *regs)
{
	return (struct aarch64_regs *)regs->buf;
}

static inline const struct aarch64_regs *
aarch64_cregs(const struct inject_regs *regs)
{
	return (const struct aarch64_regs *)regs->buf;
}

static uint64_t aarch64_ip(const struct inject_regs *regs)
{
	return aarch64_cregs(regs)->pc;
}

static bool aarch64_after_syscall(pid_t tid, const struct inject_regs *regs,
				  long nr)
{
	(void)tid;
	return aarch64_cregs(regs)->x[8] == (uint64_t)nr &&
	       aarch64_cregs(regs)->x[0] == 0;
}

static int aarch64_set_syscall(pid_t tid, struct inject_regs *regs,
			       uint64_t insn, long nr, const uint64_t args[4])
{
	struct aarch64_regs *r = aarch64_regs(regs);

	r->pc = insn;
	r->x[8] = (uint64_t)nr;
	r->x[0] = args[0];
	r->x[1] = args[1];
	r->x[2] = args[2];
	r->x[3] = args[3];
	/* at a syscall-exit stop the kernel still holds the old syscall */
	return arm_set_syscallno(tid, -1);
}

static int64_t aarch64_retval(const struct inject_regs *regs)
{
	return (int64_t)aarch64_cregs(regs)->x[0];
}

static void aarch64_set_retval(struct inject_regs *regs, int64_t ret)
{
	aarch64_regs(regs)->x[0] = (uint64_t)ret;
}

static const struct inject_arch inject_arch_aarch64 = {
	.name = "aarch64",
	.regs_size = sizeof(struct aarch64_regs),
	.nr_ioctl = AARCH64_NR_IOCTL,
	.nr_openat = AARCH64_NR_OPENAT,
	.nr_close = AARCH64_NR_CLOSE,
	.syscall_insn = aarch64_syscall_insn,
	.syscall_insn_len = sizeof(aarch64_syscall_insn),
	.ip = aarch64_ip,
	.after_syscall = aarch64_after_syscall,
	.set_syscall = aarch64_set_syscall,
	.retval = aarch64_retval,
	.set_retval = aarch64_set_retval,
};

#endif
