/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between one injection (inject.c), the thread that runs them (thread.c)
 * and the watchdog's tick (watchdog.c).
 */
#ifndef VGC_INJECT_INTERNAL_H
#define VGC_INJECT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "inject.h"

/*
 * Which path bound for callers in which mount namespace, so that the next
 * caller from there opens it first: a hint, never a check (an open that
 * does not bind is passed over). Used by one injector thread at a time.
 */
#define INJECT_KNOWN_MAX 32
#define INJECT_KNOWN_PATH 128
struct inject_known {
	struct {
		uint64_t mnt_ns;	/* nsfs inode; 0: a free slot */
		char path[INJECT_KNOWN_PATH];
	} ns[INJECT_KNOWN_MAX];
	unsigned int next;	/* the slot a new namespace takes */
	uint64_t own_mnt_ns;	/* the injector's own; 0 until read */
};

/*
 * paths.c: the paths caller tid tries (cands, at most job->num_paths + 1),
 * and its mount namespace in *mnt_ns (0: unknown); a path that bound is
 * learnt for the next caller from that namespace.
 */
unsigned int inject_candidates(pid_t tid, const struct vgc_inject_job *job,
			       struct inject_known *known, const char **cands, uint64_t *mnt_ns);
void inject_known_learn(struct inject_known *known, uint64_t mnt_ns, const char *path);

/*
 * Runs one job on the calling thread, the reply and done callbacks
 * included. false: the watchdog gave up on the caller, which is still
 * traced and not stopped; the calling thread must end to let it go.
 */
bool inject_run(const struct vgc_inject_job *job, struct inject_known *known);

/* The watchdog's tick: its handler, once per process, before any thread. */
void inject_watchdog_install(void);
/* The signal, to leave unblocked in the injector thread. */
int inject_watchdog_signal(void);
/* Per injector thread, at its start and its end. */
void inject_watchdog_start(void);
void inject_watchdog_stop(void);
/* Ticking for the length of one job. */
void inject_watchdog_arm(bool on);

#endif
