/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 tasks. Included by ../arch.h only.
 *
 * A 32-bit task under this kernel reports a 68-byte NT_PRSTATUS and is
 * described by i386.h.
 */
#ifndef VGC_INJECT_ARCH_X86_64_H
#define VGC_INJECT_ARCH_X86_64_H

#include <sys/syscall.h>
#include <sys/user.h>

static const uint8_t x86_64_syscall_insn[] = { 0x0f, 0x05 };

static inline struct user_regs_struct *x86_64_regs(struct inject_regs *regs)
{
	return (struct user_regs_struct *)regs->buf;
}

static inline const struct user_regs_struct *
x86_64_cregs(const struct inject_regs *regs)
{
	return (const struct user_regs_struct *)regs->buf;
}

static uint64_t x86_64_ip(const struct inject_regs *regs)
{
	return x86_64_cregs(regs)->rip;
}

static bool x86_64_after_syscall(pid_t tid, const struct inject_regs *regs,
				 long nr)
{
	(void)tid;
	return x86_64_cregs(regs)->orig_rax == (unsigned long long)nr &&
	       x86_64_cregs(regs)->rax == 0;
}

static int x86_64_set_syscall(pid_t tid, struct inject_regs *regs,
			      uint64_t insn, long nr, const uint64_t args[4])
{
	struct user_regs_struct *r = x86_64_regs(regs);

	(void)tid;
	r->rip = insn;
	r->rax = nr;
	/*
	 * orig_rax -1: the kernel's return path must not take this for an
	 * interrupted syscall and rewrite rax/rip to restart it.
	 */
	r->orig_rax = -1ULL;
	r->rdi = args[0];
	r->rsi = args[1];
	r->rdx = args[2];
	r->r10 = args[3];
	return 0;
}

static int64_t x86_64_retval(const struct inject_regs *regs)
{
	return (int64_t)x86_64_cregs(regs)->rax;
}

static void x86_64_set_retval(struct inject_regs *regs, int64_t ret)
{
	x86_64_regs(regs)->rax = (uint64_t)ret;
}

static const struct inject_arch inject_arch_x86_64 = {
	.name = "x86_64",
	.regs_size = sizeof(struct user_regs_struct),
	.nr_ioctl = SYS_ioctl,
	.nr_openat = SYS_openat,
	.nr_close = SYS_close,
	.syscall_insn = x86_64_syscall_insn,
	.syscall_insn_len = sizeof(x86_64_syscall_insn),
	.ip = x86_64_ip,
	.after_syscall = x86_64_after_syscall,
	.set_syscall = x86_64_set_syscall,
	.retval = x86_64_retval,
	.set_retval = x86_64_set_retval,
};

_Static_assert(sizeof(struct user_regs_struct) <= INJECT_REGS_MAX,
	       "NT_PRSTATUS does not fit struct inject_regs");

#endif
