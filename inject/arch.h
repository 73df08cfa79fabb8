/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the portable injector needs to know about one task ABI. Each
 * architecture header fills one table per ABI its tasks can run under and
 * lists them in inject_arches[]; the core picks the entry whose regs_size
 * equals the size PTRACE_GETREGSET(NT_PRSTATUS) returned for the stopped
 * task. That size, not the daemon's own build, tells a 32-bit task under a
 * 64-bit kernel apart.
 */
#ifndef VGC_INJECT_ARCH_H
#define VGC_INJECT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Large enough for NT_PRSTATUS of every architecture we may support. */
#define INJECT_REGS_MAX 512

struct inject_regs {
	uint64_t buf[INJECT_REGS_MAX / sizeof(uint64_t)];
	size_t size;		/* bytes GETREGSET filled in */
};

struct inject_arch {
	const char *name;
	size_t regs_size;
	/*
	 * Optional: whether a task with this register set size is in this
	 * ABI's state (arm: ARM or Thumb, told by cpsr). NULL: always.
	 */
	bool (*matches)(const struct inject_regs *regs);
	long nr_ioctl;
	long nr_openat;
	long nr_close;
	const uint8_t *syscall_insn;
	size_t syscall_insn_len;

	/*
	 * The hooks take the tid so an ABI whose syscall number lives outside
	 * NT_PRSTATUS (aarch64: NT_ARM_SYSTEM_CALL) can reach it; they return
	 * 0 or -errno.
	 */
	uint64_t (*ip)(const struct inject_regs *regs);
	/* True if stopped right after syscall nr returned 0. */
	bool (*after_syscall)(pid_t tid, const struct inject_regs *regs,
			      long nr);
	/*
	 * Makes the task execute syscall nr with args at the syscall
	 * instruction at insn when resumed, with no syscall restart in the
	 * way.
	 */
	int (*set_syscall)(pid_t tid, struct inject_regs *regs, uint64_t insn,
			   long nr, const uint64_t args[4]);
	int64_t (*retval)(const struct inject_regs *regs);
	void (*set_retval)(struct inject_regs *regs, int64_t ret);
};

/*
 * The ABIs a task under this build's kernel can have: the native one, and
 * the 32-bit compat one where the kernel runs such tasks.
 */
#if defined(__x86_64__)
#include "arch/x86_64.h"
#include "arch/i386.h"
static const struct inject_arch *const inject_arches[] = {
	&inject_arch_x86_64,
	&inject_arch_i386,
};
#elif defined(__i386__)
#include "arch/i386.h"
static const struct inject_arch *const inject_arches[] = {
	&inject_arch_i386,
};
#elif defined(__aarch64__)
#include "arch/aarch64.h"
#include "arch/arm.h"
static const struct inject_arch *const inject_arches[] = {
	&inject_arch_aarch64,
	&inject_arch_arm,
	&inject_arch_thumb,
};
#elif defined(__arm__)
#include "arch/arm.h"
static const struct inject_arch *const inject_arches[] = {
	&inject_arch_arm,
	&inject_arch_thumb,
};
#else
#error "inject: no register layout for this architecture yet; add inject/arch/<arch>.h"
#endif

#endif
