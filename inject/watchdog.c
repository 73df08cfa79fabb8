// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The injector's watchdog tick: a per-thread timer whose signal interrupts
 * waitpid(), so that every wait for a tracee can check its deadline (in
 * inject.c). Only the injector thread receives it.
 */
#include "internal.h"

#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#define INJECT_WATCHDOG_SIG (SIGRTMIN + 3)
#define INJECT_TICK_MS 50

/* Per injector thread: the timer whose ticks cut its waits short. */
static __thread timer_t inject_timer;
static __thread bool inject_has_timer;

/* Only interrupts waitpid(); the deadline is checked by the waiter. */
static void inject_tick(int sig)
{
	(void)sig;
}

void inject_watchdog_install(void)
{
	/* no SA_RESTART: a tick must interrupt waitpid() */
	struct sigaction sa = { .sa_handler = inject_tick };

	sigemptyset(&sa.sa_mask);
	sigaction(INJECT_WATCHDOG_SIG, &sa, NULL);
}

int inject_watchdog_signal(void)
{
	return INJECT_WATCHDOG_SIG;
}

void inject_watchdog_start(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = INJECT_WATCHDOG_SIG };

	/* the ticks go to this thread alone */
	sev._sigev_un._tid = gettid();
	inject_has_timer = timer_create(CLOCK_MONOTONIC, &sev, &inject_timer) == 0;
}

/*
 * Ticks every INJECT_TICK_MS while armed: a tick that lands just before
 * waitpid() blocks is not lost for long, the next one interrupts it.
 */
void inject_watchdog_arm(bool on)
{
	struct itimerspec its = { 0 };

	if (!inject_has_timer)
		return;
	if (on) {
		its.it_value.tv_nsec = INJECT_TICK_MS * 1000000L;
		its.it_interval = its.it_value;
	}
	timer_settime(inject_timer, 0, &its, NULL);
}

void inject_watchdog_stop(void)
{
	if (inject_has_timer)
		timer_delete(inject_timer);
	inject_has_timer = false;
}
