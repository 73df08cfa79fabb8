// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-transcript: a fixed list of GPIO chardev operations and bad inputs, run
 * against one chip and printed as a normalised transcript, one line per step.
 * Two chips that behave alike print the same text, so the kernel's own chardev
 * (on a gpio-sim chip) and vgpiochip can be compared with diff.
 *
 *   vgc-transcript CHIP (--sim-dir DIR | --pull-cmd 'CMD %u %d') [--gone-cmd CMD]
 *
 * --sim-dir DIR   gpio-sim's sysfs chip directory: DIR/sim_gpioN/pull is written
 * --pull-cmd T    shell command run to drive a line: %u is the offset, %d 0 or 1
 * --gone-cmd C    shell command that removes the chip; the "gone" steps run last
 *
 * The chip needs 8 lines: 0 and 1 edges, 2 outputs, 3 bias (never driven from
 * outside), 4 debounce, 5 v1 events and watches, 6 and 7 validation; 7 is also
 * the sentinel that says a burst of pulls has been taken in.
 * Exit status: 0 when the transcript ran to the end, 2 on a harness error.
 *
 * This file runs the groups of steps in order; they live in transcript-v2.c,
 * transcript-events.c, transcript-v1.c and transcript-gone.c, over the helpers
 * in transcript-line.c and transcript-out.c.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/gpio.h>

#include "transcript.h"

_Static_assert(sizeof(struct gpio_v2_line_request) == 592, "v2 request size");
_Static_assert(sizeof(struct gpio_v2_line_info_changed) == 288, "v2 changed size");
_Static_assert(sizeof(struct gpioline_info_changed) == 104, "v1 changed size");
_Static_assert(sizeof(struct gpioevent_data) == 16, "v1 event size");

const char *tr_sim_dir, *tr_pull_cmd;
int tr_chip;

static void watchdog(int sig)
{
	static const char msg[] = "HARNESS: timed out\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

int main(int argc, char **argv)
{
	const char *path = NULL, *gone_cmd = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim-dir") && i + 1 < argc)
			tr_sim_dir = argv[++i];
		else if (!strcmp(argv[i], "--pull-cmd") && i + 1 < argc)
			tr_pull_cmd = argv[++i];
		else if (!strcmp(argv[i], "--gone-cmd") && i + 1 < argc)
			gone_cmd = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path || !!tr_sim_dir == !!tr_pull_cmd) {
		fprintf(stderr, "Usage: vgc-transcript CHIP (--sim-dir DIR | --pull-cmd 'CMD %%u %%d') "
				"[--gone-cmd CMD]\n");
		return 2;
	}
	signal(SIGALRM, watchdog);
	alarm(300);
	tr_chip = open(path, O_RDWR | O_CLOEXEC);
	if (tr_chip < 0)
		die(path);
	chip_steps();
	validation_steps();
	value_steps();
	edge_steps();
	bias_drive_steps();
	debounce_steps();
	watch_steps(path);
	v1_steps();
	for (unsigned int i = 0; i < NLINES; i++) {
		char step[32];

		snprintf(step, sizeof(step), "final.lineinfo.%u", i);
		info_step(step, tr_chip, i);
	}
	if (gone_cmd)
		gone_steps(path, gone_cmd);
	out("end", "ok");
	return 0;
}
