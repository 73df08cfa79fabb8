/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-line rules: what a tenant may do with one virtual line, checked before
 * anything reaches the host. Pure functions, no I/O, no clock: the caller
 * passes the time in.
 *
 * The core runs the uAPI's own validation first (the kernel's errno for a
 * malformed request), then these checks: a request the ABI accepts but a
 * rule forbids gets -EPERM, an output change beyond the toggle rate -EAGAIN.
 */
#ifndef VGC_RULES_H
#define VGC_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/gpio.h>

/* Allowed directions. A request that leaves the direction as is needs both. */
#define VGC_RULE_DIR_INPUT (1u << 0)
#define VGC_RULE_DIR_OUTPUT (1u << 1)
#define VGC_RULE_DIR_ALL (VGC_RULE_DIR_INPUT | VGC_RULE_DIR_OUTPUT)

/* Allowed bias settings; AS_IS is a request with no bias flag. */
#define VGC_RULE_BIAS_AS_IS (1u << 0)
#define VGC_RULE_BIAS_DISABLED (1u << 1)
#define VGC_RULE_BIAS_PULL_UP (1u << 2)
#define VGC_RULE_BIAS_PULL_DOWN (1u << 3)
#define VGC_RULE_BIAS_ALL (0xfu)

/* Allowed drives of an output; PUSH_PULL is an output with no drive flag. */
#define VGC_RULE_DRIVE_PUSH_PULL (1u << 0)
#define VGC_RULE_DRIVE_OPEN_DRAIN (1u << 1)
#define VGC_RULE_DRIVE_OPEN_SOURCE (1u << 2)
#define VGC_RULE_DRIVE_ALL (0x7u)

/* Rates are whole events per second; the config accepts up to this. */
#define VGC_RULE_HZ_MAX 1000000u

/* What a released output line goes to on the host. */
enum vgc_release {
	VGC_RELEASE_KEEP,	/* leave it as the tenant left it */
	VGC_RELEASE_INPUT,
	VGC_RELEASE_LOW,	/* physical level, whatever active-low the tenant used */
	VGC_RELEASE_HIGH,
};

struct vgc_rules {
	unsigned int directions;	/* VGC_RULE_DIR_* */
	unsigned int bias;		/* VGC_RULE_BIAS_* */
	unsigned int drive;		/* VGC_RULE_DRIVE_* */
	bool active_low;		/* may the tenant ask for active-low */
	bool edges;			/* may the tenant ask for edge detection */
	bool read_only;			/* input only, and never SET_CONFIG */
	/* A non-zero debounce period asked for must lie within; 0 (none) always may. */
	uint32_t debounce_min_us, debounce_max_us;
	uint32_t max_toggle_hz;		/* 0: unlimited */
	uint32_t max_event_hz;		/* 0: unlimited */
	enum vgc_release release;
};

/* Everything allowed, release keep: the rules of a line nobody wrote rules for. */
extern const struct vgc_rules vgc_rules_default;

/* Why a check failed, for the one log line the daemon writes. */
struct vgc_denial {
	unsigned int index;	/* line index in the request (or in the batch) */
	const char *rule;	/* the config key: "directions", "max-toggle-hz"... */
	char attempted[48];	/* "output", "pull-up", "debounce 20 us", "101st toggle in 1 s"... */
	char allowed[64];	/* "input", "as-is, pull-up", "1000-50000 us"... */
};

/*
 * A line request: each of the n lines (index i of lc) against r[i]; a NULL
 * r[i] means the defaults. 0, or -EPERM with *why filled for the first line
 * that breaks a rule.
 */
int vgc_rules_check_request(const struct vgc_rules *const r[], unsigned int n,
			    const struct gpio_v2_line_config *lc, struct vgc_denial *why);
/* SET_CONFIG: as a request, and a request holding a read-only line is denied. */
int vgc_rules_check_config(const struct vgc_rules *const r[], unsigned int n,
			   const struct gpio_v2_line_config *lc, struct vgc_denial *why);

/*
 * A token bucket per line and per rate: holds at most one second's worth
 * (hz tokens) and refills at hz per second, so a burst after a quiet second
 * is at most hz and over any t seconds at most hz * (t + 1) pass. Zero it to
 * start full. Keep it with the virtual line, not with a request, so a tenant
 * cannot reset it by requesting the line again.
 */
struct vgc_rate {
	uint64_t credit;	/* in 1e-9 tokens */
	uint64_t last_ns;
	bool primed;		/* false: never used, the bucket is full */
	uint64_t passed;	/* counters for status */
	uint64_t refused;
};

/*
 * n lines about to change their output value at now_ns (CLOCK_MONOTONIC), all
 * or nothing: 0 and a token taken from each, or -EAGAIN, nothing taken,
 * the refusing line's counter raised and *why filled (may be NULL).
 */
int vgc_rules_allow_toggle(struct vgc_rate *const st[], const struct vgc_rules *const r[],
			   unsigned int n, uint64_t now_ns, struct vgc_denial *why);
/* One edge event on a line at now_ns: true to deliver it, false to drop it (counted). */
bool vgc_rules_allow_event(struct vgc_rate *st, const struct vgc_rules *r, uint64_t now_ns);

/*
 * What to do with a line on release, given the flags it was held with (its
 * drive and bias) and whether it is an output on the host (is_out, whatever
 * the flags say: a line requested "as is" may be one): false to leave it
 * alone; true with *flags (v2 flags to set on the host line) and *value (the
 * physical output value, when *flags has OUTPUT) otherwise.
 */
bool vgc_rules_release_action(const struct vgc_rules *r, uint64_t held_flags, bool is_out,
			      uint64_t *flags, int *value);

/* Names as written in the config file, bit i of a VGC_RULE_* set is names[i]. */
extern const char *const vgc_rules_direction_names[2];
extern const char *const vgc_rules_bias_names[4];
extern const char *const vgc_rules_drive_names[3];
extern const char *const vgc_rules_release_names[4];	/* by enum vgc_release */
const char *vgc_rules_release_name(enum vgc_release release);
/*
 * One rule as a config file writes it, KEY = VALUE, into r: 0; -ENOENT for a
 * key that is not a rule; -EINVAL with *allowed saying what key takes.
 */
int vgc_rules_set(struct vgc_rules *r, const char *key, const char *value,
		  const char **allowed);

/*
 * s[0..len) as a decimal number within min..max: digits only, no sign, base
 * prefix or blanks. 0, or -EINVAL. Shared by the rules and the config file.
 */
int vgc_rules_number(const char *s, size_t len, uint32_t min, uint32_t max, uint32_t *out);

/* Writes "input, output" style lists of a VGC_RULE_* set; returns buf. */
const char *vgc_rules_directions_str(unsigned int set, char *buf, size_t size);
const char *vgc_rules_bias_str(unsigned int set, char *buf, size_t size);
const char *vgc_rules_drive_str(unsigned int set, char *buf, size_t size);

#endif
