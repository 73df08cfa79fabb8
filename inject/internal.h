/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between one injection (inject.c), the thread that runs them (thread.c)
 * and the watchdog's tick (watchdog.c).
 */
#ifndef VGC_INJECT_INTERNAL_H
#define VGC_INJECT_INTERNAL_H

#include <stdbool.h>

#include "inject.h"

/*
 * Runs one job on the calling thread, the reply and done callbacks
 * included. false: the watchdog gave up on the caller, which is still
 * traced and not stopped; the calling thread must end to let it go.
 */
bool inject_run(const struct vgc_inject_job *job);

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
