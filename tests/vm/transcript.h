/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the pieces of vgc-transcript (see vgc-transcript.c): the roles of
 * the chip's 8 lines, the printing helpers (transcript-out.c), the helpers
 * that drive lines and run one request or read as a step (transcript-line.c),
 * and the groups of steps, in the order main() runs them.
 */
#ifndef VGC_TRANSCRIPT_H
#define VGC_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <linux/gpio.h>

#define NLINES 8
#define L_EDGE 0
#define L_EDGE2 1
#define L_OUT 2
#define L_BIAS 3
#define L_DEB 4
#define L_V1 5
#define L_VAL 6
#define L_SENT 7
#define EV_SIZE sizeof(struct gpio_v2_line_event)
#define WAIT_MS 5000
#define DEBOUNCE_US 400000

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define BOTH (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
#define HTE GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE

/* set by main(): how lines are driven from outside, and the chip's fd */
extern const char *tr_sim_dir, *tr_pull_cmd;
extern int tr_chip;

/* transcript-out.c: harness errors and the normalised text of each answer */
void die(const char *what) __attribute__((noreturn));
void run(const char *cmd);
void out(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *errname(int ret);
int xioctl(int fd, unsigned long cmd, void *arg);
int64_t now_ns(clockid_t clk);
const char *clock_of(uint64_t ts);
int all_zero(const void *p, size_t n);
const char *info_str(const struct gpio_v2_line_info *li);
const char *v1info_str(const struct gpioline_info *li);
const char *revents_str(short r);

/* transcript-line.c: driving lines, v2 requests, one step per call */
void pull(unsigned int line, int level);
short wait_fd(int fd, int ms);
void rq_init(struct gpio_v2_line_request *r, const char *consumer, uint64_t flags,
	     unsigned int n, ...);
void cfg_attr(struct gpio_v2_line_config *c, uint32_t id, uint64_t mask, uint64_t val);
int rq_step(const char *step, struct gpio_v2_line_request *r);
int rq_open(const char *consumer, uint64_t flags, unsigned int line);
void info_step(const char *step, int chip, unsigned int line);
void values_step(const char *step, int fd, unsigned long cmd, uint64_t mask, uint64_t bits);
void config_step(const char *step, int fd, struct gpio_v2_line_config *c);
void events_step(const char *step, int fd, unsigned int max);
void edge_step(const char *step, int fd, unsigned int line, int level);
void no_event_step(const char *step, int fd);
void burst(unsigned int line, int n);

/* the groups of steps */
void chip_steps(void);			/* transcript-v2.c */
void validation_steps(void);
void value_steps(void);
void bias_drive_steps(void);
void edge_steps(void);			/* transcript-events.c */
void debounce_steps(void);
void watch_steps(const char *path);
void v1_steps(void);			/* transcript-v1.c */
void gone_steps(const char *path, const char *cmd);	/* transcript-gone.c */

#endif
