/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 32-bit arm (EABI) tasks: compat tasks under an arm64 kernel, or native
 * under a 32-bit kernel. Included by ../arch.h and aarch64.h only.
 *
 * NT_PRSTATUS is 18 words: r0-r15 (r15 is pc), cpsr, orig_r0. The syscall
 * number is in r7 and stays there. A task in ARM state enters the kernel by
 * the 4-byte `svc #0`, one in Thumb state (Debian's armhf glibc is built
 * for Thumb-2) by the 2-byte one; the T bit of cpsr tells which, and the
 * kernel's own restart rewinds pc by 2 or 4 accordingly. So there are two
 * tables with the same register set, picked by cpsr.
 */
#ifndef VGC_INJECT_ARCH_ARM_H
#define VGC_INJECT_ARCH_ARM_H

#include <elf.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

/* The arm EABI syscall numbers (fixed ABI). */
enum {
	ARM_NR_CLOSE = 6,
	ARM_NR_IOCTL = 54,
	ARM_NR_OPENAT = 322,
};

#define ARM_CPSR_T (1U << 5)

struct arm_regs {
	uint32_t r[16];
	uint32_t cpsr, orig_r0;
};

_Static_assert(sizeof(struct arm_regs) == 72, "arm NT_PRSTATUS is 72 bytes");
_Static_assert(sizeof(struct arm_regs) <= INJECT_REGS_MAX,
	       "NT_PRSTATUS does not fit struct inject_regs");

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif

/*
 * Sets the syscall the kernel thinks the stopped task is in; -1 means
 * none, so nothing is restarted on the way out. An arm64 tracer does it
 * with the NT_ARM_SYSTEM_CALL regset, native or compat tracee. A 32-bit
 * tracer never sees that regset, not even under an arm64 kernel (its view
 * of the tracee is the 32-bit one), and uses PTRACE_SET_SYSCALL: the arm64
 * kernel's compat ptrace sets the same field with it. A 32-bit kernel
 * decides restarts before the stops we use, so there it changes nothing.
 */
static inline int arm_set_syscallno(pid_t tid, int nr)
{
#ifdef __arm__
	if (ptrace(PTRACE_SET_SYSCALL, tid, 0, (void *)(intptr_t)nr) < 0)
		return -errno;
	return 0;
#else
	struct iovec iov = { &nr, sizeof(nr) };

	if (ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &iov) < 0)
		return errno == EINVAL ? 0 : -errno;
	return 0;
#endif
}

/* svc #0 in each state, little-endian */
static const uint8_t arm_syscall_insn[] = { 0x00, 0x00, 0x00, 0xef };
static const uint8_t thumb_syscall_insn[] = { 0x00, 0xdf };

static inline struct arm_regs *arm_regs(struct inject_regs *regs)
{
	return (struct arm_regs *)regs->buf;
}

static inline const struct arm_regs *arm_cregs(const struct inject_regs *regs)
{
	return (const struct arm_regs *)regs->buf;
}

static bool arm_is_arm_state(const struct inject_regs *regs)
{
	return !(arm_cregs(regs)->cpsr & ARM_CPSR_T);
}

static bool arm_is_thumb_state(const struct inject_regs *regs)
{
	return arm_cregs(regs)->cpsr & ARM_CPSR_T;
}

static uint64_t arm_ip(const struct inject_regs *regs)
{
	return arm_cregs(regs)->r[15];
}

static bool arm_after_syscall(pid_t tid, const struct inject_regs *regs,
			      long nr)
{
	(void)tid;
	return arm_cregs(regs)->r[7] == (uint32_t)nr &&
	       arm_cregs(regs)->r[0] == 0;
}

static int arm_set_syscall(pid_t tid, struct inject_regs *regs,
			   uint64_t insn, long nr, const uint64_t args[4])
{
	struct arm_regs *r = arm_regs(regs);

	r->r[15] = (uint32_t)insn;
	r->r[7] = (uint32_t)nr;
	r->r[0] = (uint32_t)args[0];
	r->r[1] = (uint32_t)args[1];
	r->r[2] = (uint32_t)args[2];
	r->r[3] = (uint32_t)args[3];
	return arm_set_syscallno(tid, -1);
}

static int64_t arm_retval(const struct inject_regs *regs)
{
	return (int32_t)arm_cregs(regs)->r[0];
}

static void arm_set_retval(struct inject_regs *regs, int64_t ret)
{
	arm_regs(regs)->r[0] = (uint32_t)ret;
}

#define ARM_INJECT_ARCH(state_name, insn, state_test)			\
	{								\
		.name = state_name,					\
		.regs_size = sizeof(struct arm_regs),			\
		.matches = state_test,					\
		.nr_ioctl = ARM_NR_IOCTL,				\
		.nr_openat = ARM_NR_OPENAT,				\
		.nr_close = ARM_NR_CLOSE,				\
		.syscall_insn = insn,					\
		.syscall_insn_len = sizeof(insn),			\
		.ip = arm_ip,						\
		.after_syscall = arm_after_syscall,			\
		.set_syscall = arm_set_syscall,				\
		.retval = arm_retval,					\
		.set_retval = arm_set_retval,				\
	}

static const struct inject_arch inject_arch_arm =
	ARM_INJECT_ARCH("arm", arm_syscall_insn, arm_is_arm_state);
static const struct inject_arch inject_arch_thumb =
	ARM_INJECT_ARCH("arm (Thumb)", thumb_syscall_insn, arm_is_thumb_state);

#endif
