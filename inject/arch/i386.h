/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * i386 tasks: native under an i386 kernel, or 32-bit compat tasks under an
 * x86_64 kernel. Included by ../arch.h only.
 *
 * Under an x86_64 kernel a 32-bit task's NT_PRSTATUS is 17 32-bit words
 * whatever the tracer's build, so the layout is spelled out here rather
 * than taken from <sys/user.h> (which describes the tracer's own ABI).
 *
 * Such a task enters the kernel by `int $0x80` (cd 80) or, through the
 * vDSO's __kernel_vsyscall, by sysenter or syscall. The kernel makes the
 * fast entries look like the slow one: before running the syscall it points
 * ip at the vDSO's landing pad, which follows an `int $0x80`. So at any
 * syscall stop the two bytes before ip are cd 80, and rewinding ip by two
 * re-enters the kernel there with the arguments in registers (ebx, ecx,
 * edx, esi, edi, ebp), exactly as the kernel's own syscall restart does.
 */
#ifndef VGC_INJECT_ARCH_I386_H
#define VGC_INJECT_ARCH_I386_H

/* The i386 syscall numbers, from the i386 syscall table (fixed ABI). */
enum {
	I386_NR_CLOSE = 6,
	I386_NR_IOCTL = 54,
	I386_NR_OPENAT = 295,
};

/* NT_PRSTATUS of an i386 task: struct user_regs_struct of that ABI. */
struct i386_regs {
	uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
	uint32_t xds, xes, xfs, xgs;
	uint32_t orig_eax, eip, xcs, eflags, esp, xss;
};

_Static_assert(sizeof(struct i386_regs) == 68, "i386 NT_PRSTATUS is 68 bytes");
_Static_assert(sizeof(struct i386_regs) <= INJECT_REGS_MAX,
	       "NT_PRSTATUS does not fit struct inject_regs");

static const uint8_t i386_syscall_insn[] = { 0xcd, 0x80 };

static inline struct i386_regs *i386_regs(struct inject_regs *regs)
{
	return (struct i386_regs *)regs->buf;
}

static inline const struct i386_regs *i386_cregs(const struct inject_regs *regs)
{
	return (const struct i386_regs *)regs->buf;
}

static uint64_t i386_ip(const struct inject_regs *regs)
{
	return i386_cregs(regs)->eip;
}

static bool i386_after_syscall(pid_t tid, const struct inject_regs *regs,
			       long nr)
{
	(void)tid;
	return i386_cregs(regs)->orig_eax == (uint32_t)nr &&
	       i386_cregs(regs)->eax == 0;
}

static int i386_set_syscall(pid_t tid, struct inject_regs *regs,
			    uint64_t insn, long nr, const uint64_t args[4])
{
	struct i386_regs *r = i386_regs(regs);

	(void)tid;
	r->eip = (uint32_t)insn;
	r->eax = (uint32_t)nr;
	/*
	 * -1: no syscall to restart on the way out. An x86_64 kernel
	 * sign-extends this word when a tracer writes it, for that reason.
	 */
	r->orig_eax = UINT32_MAX;
	r->ebx = (uint32_t)args[0];
	r->ecx = (uint32_t)args[1];
	r->edx = (uint32_t)args[2];
	r->esi = (uint32_t)args[3];
	return 0;
}

static int64_t i386_retval(const struct inject_regs *regs)
{
	return (int32_t)i386_cregs(regs)->eax;
}

static void i386_set_retval(struct inject_regs *regs, int64_t ret)
{
	i386_regs(regs)->eax = (uint32_t)ret;
}

static const struct inject_arch inject_arch_i386 = {
	.name = "i386",
	.regs_size = sizeof(struct i386_regs),
	.nr_ioctl = I386_NR_IOCTL,
	.nr_openat = I386_NR_OPENAT,
	.nr_close = I386_NR_CLOSE,
	.syscall_insn = i386_syscall_insn,
	.syscall_insn_len = sizeof(i386_syscall_insn),
	.ip = i386_ip,
	.after_syscall = i386_after_syscall,
	.set_syscall = i386_set_syscall,
	.retval = i386_retval,
	.set_retval = i386_set_retval,
};

#endif
