// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration file: every rejection with its whole message, then what
 * it accepts. --map and the other flags over a file, and reloads, are in
 * test_config_flags.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/config.h"
#include "suites.h"
#include "test_config.h"

#define CHIP_KEYS "tenant, chip, sim, chip-name, label, lines, node, dev, devname"
#define LINE_KEYS                                                                          \
	"host, name, directions, bias, drive, active-low, edges, debounce-us, read-only, "  \
	"max-toggle-hz, max-event-hz, release"
#define SECTIONS "[chip], or [line N] with N from 0 to 1023"

struct bad_case {
	const char *text;
	const char *want;	/* the whole message */
};

static const struct bad_case bad_cases[] = {
	/* Lines inih cannot split. */
	{ "[chip]\nsim 32\n",
	  F ":2: cannot read 'sim 32'; allowed: [SECTION], KEY = VALUE, or a comment starting "
	    "with # or ;" },
	{ "[chip\nsim = 4\n", F ":1: section header '[chip' has no closing ']'; allowed: " SECTIONS },
	{ "[line 1]\nhost = 1\n  [line 2\n", F ":3: section header '[line 2' has no closing ']'" },
	{ "[chip]\n" X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
	  X10 " = 1\n",
	  F ":2: the line is 204 characters long; allowed: lines of up to 197 characters" },
	/* Sections. */
	{ "sim = 4\n", F ":1: key 'sim' is outside a section; allowed: keys under [chip] or "
		       "[line N]" },
	{ "# a comment\n\nhost = 4\n[line 0]\n", F ":3: key 'host' is outside a section" },
	{ "[lin 4]\n", F ":1: unknown section [lin 4]; allowed: " SECTIONS },
	{ "[]\n", F ":1: unknown section []; allowed: " SECTIONS },
	{ "[Chip]\n", F ":1: unknown section [Chip]" },
	{ "[line]\nhost = 1\n", F ":1: bad section [line]; allowed: [line N] with N, the virtual "
			     "line, from 0 to 1023" },
	{ "[line x]\n", F ":1: bad section [line x]; allowed: [line N]" },
	{ "[line4]\n", F ":1: bad section [line4]" },
	{ "[line 1024]\n", F ":1: bad section [line 1024]" },
	{ "[line -1]\n", F ":1: bad section [line -1]" },
	{ "[line 4 5]\n", F ":1: bad section [line 4 5]" },
	{ "[chip]\n[chip]\n", F ":2: [chip] appears again (first at line 1); allowed: one [chip] "
			      "section" },
	{ "[line 4]\nhost = 1\n[line 04]\nhost = 2\n",
	  F ":3: [line 4] appears again (first at line 1); allowed: one section per virtual line" },
	/* Keys. */
	{ "[chip]\nlable = x\n", F ":2: unknown key 'lable' in [chip]; allowed: " CHIP_KEYS },
	{ "[line 3]\nhost = 1\nhots = 2\n",
	  F ":3: unknown key 'hots' in [line 3]; allowed: " LINE_KEYS },
	{ "[line 3]\nHost = 1\n", F ":2: unknown key 'Host' in [line 3]" },
	{ "[chip]\nsim = 4\nsim = 8\n",
	  F ":3: sim is set again in [chip] (first at line 2); allowed: each key once per section" },
	{ "[line 3]\nhost = 1\nbias = any\nbias = as-is\n",
	  F ":4: bias is set again in [line 3] (first at line 3)" },
	/* [chip] values. */
	{ "[chip]\ntenant = a b\n",
	  F ":2: bad value 'a b' for tenant in [chip]; allowed: a name of 1 to 63 printable "
	    "characters without '/' or blanks" },
	{ "[chip]\ntenant = a/b\n", F ":2: bad value 'a/b' for tenant" },
	{ "[chip]\ntenant =\n", F ":2: bad value '' for tenant" },
	{ "[chip]\ntenant = " X10 X10 X10 X10 X10 X10 "xxxx\n", F ":2: bad value '" X10 X10 X10
								  X10 "xxxxx...' for tenant" },
	{ "[chip]\nchip =\n", F ":2: bad value '' for chip in [chip]; allowed: a host chip: "
			      "/dev/gpiochipN, gpiochipN or its label" },
	{ "[chip]\nsim = 0\n", F ":2: bad value '0' for sim in [chip]; allowed: a number from 1 "
			       "to 65535" },
	{ "[chip]\nsim = 65536\n", F ":2: bad value '65536' for sim" },
	{ "[chip]\nsim = -1\n", F ":2: bad value '-1' for sim" },
	{ "[chip]\nsim = 0x10\n", F ":2: bad value '0x10' for sim" },
	{ "[chip]\nsim = 99999999999999999999\n", F ":2: bad value '99999999999999999999' for sim" },
	{ "[chip]\nchip-name = gpio chip\n",
	  F ":2: bad value 'gpio chip' for chip-name in [chip]; allowed: 1 to 31 printable "
	    "characters without '/' or blanks" },
	{ "[chip]\nchip-name = " X10 X10 X10 "xx\n", F ":2: bad value '" X10 X10 X10 "xx' for "
							   "chip-name" },
	{ "[chip]\nlabel = \x01\n", F ":2: bad value '?' for label in [chip]; allowed: 1 to 31 "
				    "printable characters" },
	{ "[chip]\nlines = 0\n", F ":2: bad value '0' for lines in [chip]; allowed: a number from "
				 "1 to 1024" },
	{ "[chip]\nlines = 1025\n", F ":2: bad value '1025' for lines" },
	{ "[chip]\nnode = gpiochip0\n", F ":2: bad value 'gpiochip0' for node in [chip]; allowed: "
					"an absolute path such as /dev/gpiochip0" },
	{ "[chip]\nnode = /dev/gpio chip\n", F ":2: bad value '/dev/gpio chip' for node" },
	{ "[chip]\ndev = 511\n", F ":2: bad value '511' for dev in [chip]; allowed: MAJ:MIN in "
				 "decimal with MAJ from 1 to 511 and MIN from 0 to 1048575, e.g. 300:0; pick MAJ "
				 "from 300 to 383 and not listed in /proc/devices" },
	{ "[chip]\ndev = 0:1\n", F ":2: bad value '0:1' for dev" },
	{ "[chip]\ndev = 0:0\n", F ":2: bad value '0:0' for dev" },
	{ "[chip]\ndev = 512:0\n", F ":2: bad value '512:0' for dev" },
	{ "[chip]\ndev = 4096:0\n", F ":2: bad value '4096:0' for dev" },
	{ "[chip]\ndev = 99999:0\n", F ":2: bad value '99999:0' for dev" },
	{ "[chip]\ndev = 300:0x\n", F ":2: bad value '300:0x' for dev" },
	{ "[chip]\ndev = -1:-1\n", F ":2: bad value '-1:-1' for dev" },
	{ "[chip]\ndev = 300:\n", F ":2: bad value '300:' for dev" },
	{ "[chip]\ndev = :0\n", F ":2: bad value ':0' for dev" },
	{ "[chip]\ndev = 300:0:1\n", F ":2: bad value '300:0:1' for dev" },
	{ "[chip]\ndev = +300:0\n", F ":2: bad value '+300:0' for dev" },
	{ "[chip]\ndev = 511:1048576\n", F ":2: bad value '511:1048576' for dev" },
	{ "[chip]\ndev = 511:\n", F ":2: bad value '511:' for dev" },
	{ "[chip]\ndevname = a/b\n", F ":2: bad value 'a/b' for devname in [chip]; allowed: 1 to "
				     "100 printable characters without '/' or blanks" },
	{ "[chip]\nchip = gpiochip0\nsim = 4\n",
	  F ":3: [chip] has both chip and sim; allowed: one of them, chip for a host chip or sim "
	    "for simulated lines" },
	/* [line N] values. */
	{ "[line 4]\nhost = 65536\n", F ":2: bad value '65536' for host in [line 4]; allowed: a "
				      "number from 0 to 65535" },
	{ "[line 4]\nhost = x\n", F ":2: bad value 'x' for host in [line 4]" },
	{ "[line 4]\nhost = 17\n[line 5]\nhost = 17\n",
	  F ":4: host line 17 in [line 5] is already in [line 4] (line 2); allowed: each host "
	    "line in one section only" },
	{ "[line 4]\nhost = 1\nname =\n",
	  F ":3: bad value '' for name in [line 4]; allowed: 1 to 31 printable characters" },
	{ "[line 4]\nhost = 1\nname = " X10 X10 X10 "xx\n", F ":3: bad value '" X10 X10 X10 "xx' "
								 "for name" },
	{ "[line 4]\nhost = 1\nname = LED\n[line 5]\nhost = 2\nname = LED\n",
	  F ":6: line name 'LED' in [line 5] is already in [line 4] (line 3); allowed: each name "
	    "once" },
	{ "[line 4]\nhost = 1\ndirections = in\n",
	  F ":3: bad value 'in' for directions in [line 4]; allowed: input, output or both" },
	{ "[line 4]\nhost = 1\ndirections = input,output\n", F ":3: bad value 'input,output' for "
							       "directions" },
	{ "[line 4]\nhost = 1\nbias = pullup\n",
	  F ":3: bad value 'pullup' for bias in [line 4]; allowed: one or more of as-is, disabled, "
	    "pull-up, pull-down, separated by commas; or any" },
	{ "[line 4]\nhost = 1\nbias = as-is,,pull-up\n", F ":3: bad value 'as-is,,pull-up' for bias" },
	{ "[line 4]\nhost = 1\nbias = as-is,\n", F ":3: bad value 'as-is,' for bias" },
	{ "[line 4]\nhost = 1\nbias = any, as-is\n", F ":3: bad value 'any, as-is' for bias" },
	{ "[line 4]\nhost = 1\ndrive = open drain\n",
	  F ":3: bad value 'open drain' for drive in [line 4]; allowed: one or more of push-pull, "
	    "open-drain, open-source, separated by commas; or any" },
	{ "[line 4]\nhost = 1\nactive-low = maybe\n",
	  F ":3: bad value 'maybe' for active-low in [line 4]; allowed: yes or no" },
	{ "[line 4]\nhost = 1\nedges = 1\n", F ":3: bad value '1' for edges in [line 4]; allowed: "
					     "yes or no" },
	{ "[line 4]\nhost = 1\nread-only = YES\n", F ":3: bad value 'YES' for read-only" },
	{ "[line 4]\nhost = 1\ndebounce-us = 50000-1000\n",
	  F ":3: bad value '50000-1000' for debounce-us in [line 4]; allowed: MIN-MAX in "
	    "microseconds with MIN <= MAX (e.g. 1000-50000), any, or none" },
	{ "[line 4]\nhost = 1\ndebounce-us = 1000\n", F ":3: bad value '1000' for debounce-us" },
	{ "[line 4]\nhost = 1\ndebounce-us = 1-4294967296\n", F ":3: bad value '1-4294967296' for "
								"debounce-us" },
	{ "[line 4]\nhost = 1\ndebounce-us = -5\n", F ":3: bad value '-5' for debounce-us" },
	{ "[line 4]\nhost = 1\nmax-toggle-hz = 0\n",
	  F ":3: bad value '0' for max-toggle-hz in [line 4]; allowed: a number from 1 to 1000000, "
	    "or none" },
	{ "[line 4]\nhost = 1\nmax-toggle-hz = 1000001\n", F ":3: bad value '1000001' for "
							     "max-toggle-hz" },
	{ "[line 4]\nhost = 1\nmax-event-hz = fast\n",
	  F ":3: bad value 'fast' for max-event-hz in [line 4]; allowed: a number from 1 to "
	    "1000000, or none" },
	{ "[line 4]\nhost = 1\nrelease = off\n",
	  F ":3: bad value 'off' for release in [line 4]; allowed: keep, input, low or high" },
	/* The checks that need the whole file. */
	{ "[line 4]\nname = LED\n", F ":1: [line 4] has no host key; allowed: host = H, the host "
				    "line it shows (0 to 65535)" },
	{ "[line 4]\n", F ":1: [line 4] has no host key" },
	{ "[chip]\nsim = 8\n[line 4]\nhost = 8\n",
	  F ":4: host line 8 in [line 4] is beyond sim = 8 (line 2); allowed: host lines 0 to 7" },
	{ "[line 4]\nhost = 1\ndirections = both\nread-only = yes\n",
	  F ":3: directions in [line 4] allows output but read-only = yes (line 4); allowed: "
	    "directions = input, or read-only = no" },
	{ "[line 4]\nhost = 1\nread-only = yes\ndirections = output\n",
	  F ":4: directions in [line 4] allows output but read-only = yes (line 3)" },
	{ "[chip]\nlines = 4\n[line 4]\nhost = 1\n",
	  F ":2: lines = 4 leaves out [line 4] (line 3); allowed: lines from 5 to 1024" },
	/* The first mistake in the file is the one reported. */
	{ "[chip]\nsim 1\nfoo = 2\n", F ":2: cannot read 'sim 1'" },
	{ "[chip]\nfoo = 2\nsim 1\n", F ":2: unknown key 'foo'" },
	{ "[line 4]\nhost = 1\n[line 5]\nfoo = 1\n", F ":4: unknown key 'foo' in [line 5]" },
	{ "[line 9]\n[line 4]\nhost = 99999\n", F ":1: [line 9] has no host key" },
	{ "[line 9]\nhost = 1\n[line 4]\nhost = 99999\n", F ":4: bad value '99999' for host" },
	{ "[line 4]\nhost = 1\nread-only = yes\ndirections = both\n[chip]\nfoo = 1\n",
	  F ":4: directions in [line 4] allows output" },
	{ "[chip]\nsim = 4\n[line 4]\nhost = 9\n[line 5]\nfoo = 1\n",
	  F ":6: unknown key 'foo'" },	/* sim may come after: checked at the end */
};

static void check_bad(const struct bad_case *c)
{
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_config *cfg;

	memset(err, 'Z', sizeof(err));
	errno = 0;
	cfg = vgc_config_parse(c->text, F, err, sizeof(err));
	ck_assert_msg(!cfg, "\"%s\" was accepted", c->text);
	ck_assert_msg(errno == EINVAL, "\"%s\": errno %d, not EINVAL", c->text, errno);
	ck_assert_msg(memchr(err, '\0', sizeof(err)), "\"%s\": message not terminated", c->text);
	ck_assert_msg(!strncmp(err, c->want, strlen(c->want)),
		      "\"%s\":\n  got  \"%s\"\n  want \"%s\"", c->text, err, c->want);
	ck_assert_msg(strstr(err, "; allowed: "), "\"%s\": \"%s\" does not say what is allowed",
		      c->text, err);
}

START_TEST(test_config_bad)
{
	check_bad(&bad_cases[_i]);
}
END_TEST

START_TEST(test_config_err_truncated)
{
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_ptr_null(vgc_config_parse("[lin 4]\n", "x", buf, 8));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(buf, "x:1: un");
	ck_assert_int_eq(buf[8], 'Z');
	errno = 0;
	ck_assert_ptr_null(vgc_config_parse("[lin 4]\n", "x", NULL, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

struct vgc_config *config_parse_ok(const char *text)
{
	char err[VGC_CONFIG_ERR_MAX] = "";
	struct vgc_config *cfg = vgc_config_parse(text, F, err, sizeof(err));

	ck_assert_msg(cfg, "\"%s\" refused: %s", text, err);
	ck_assert_str_eq(err, "");
	return cfg;
}

static const char pi_example[] =
	"# A Raspberry Pi: an LED and a button.\n"
	"\n"
	"[chip]\n"
	"tenant = vpi1\n"
	"  chip = /dev/gpiochip0\n"
	"chip-name = gpiochip0\n"
	"label = pinctrl-bcm2711 ; what the tenant sees\n"
	"lines = 28\n"
	"node = /dev/gpiochip0\n"
	"dev = 300:3\n"
	"devname = vgpiochip-vpi1\n"
	"\n"
	"[ line 27 ]\n"
	"host = 27\n"
	"name = BUTTON\n"
	"read-only = yes\n"
	"edges = yes\n"
	"bias = as-is, pull-up\n"
	"debounce-us = 1000-50000\n"
	"max-event-hz = 200\n"
	"\r\n"
	"[line 17]\r\n"
	"\thost = 17\r\n"
	"name = LED\r\n"
	"directions = output\r\n"
	"drive = push-pull\r\n"
	"active-low = no\r\n"
	"edges = no\r\n"
	"debounce-us = none\r\n"
	"release = low\r\n"
	"max-toggle-hz = 50\r\n";

START_TEST(test_config_pi_example)
{
	struct vgc_config *cfg = config_parse_ok(pi_example);
	const struct vgc_rules *led, *btn;

	ck_assert_str_eq(cfg->file, F);
	ck_assert_str_eq(cfg->tenant, "vpi1");
	ck_assert_str_eq(cfg->chip, "/dev/gpiochip0");
	ck_assert_uint_eq(cfg->sim_lines, 0);
	ck_assert_str_eq(cfg->chip_name, "gpiochip0");
	ck_assert_str_eq(cfg->label, "pinctrl-bcm2711");
	ck_assert_uint_eq(cfg->lines, 28);
	ck_assert_str_eq(cfg->node, "/dev/gpiochip0");
	ck_assert(cfg->has_dev);
	ck_assert_uint_eq(cfg->dev_major, 300);
	ck_assert_uint_eq(cfg->dev_minor, 3);
	ck_assert_str_eq(cfg->devname, "vgpiochip-vpi1");
	ck_assert_uint_eq(cfg->num, 2);
	/* sorted by virtual line whatever the file's order */
	ck_assert_uint_eq(cfg->line[0].virt, 17);
	ck_assert_uint_eq(cfg->line[0].host, 17);
	ck_assert_str_eq(cfg->line[0].name, "LED");
	ck_assert_uint_eq(cfg->line[0].lineno, 22);
	ck_assert_uint_eq(cfg->line[1].virt, 27);
	ck_assert_str_eq(cfg->line[1].name, "BUTTON");
	ck_assert_uint_eq(cfg->line[1].lineno, 13);

	led = vgc_config_rules(cfg, 17);
	ck_assert_ptr_eq(led, &cfg->line[0].rules);
	ck_assert_uint_eq(led->directions, VGC_RULE_DIR_OUTPUT);
	ck_assert_uint_eq(led->drive, VGC_RULE_DRIVE_PUSH_PULL);
	ck_assert_uint_eq(led->bias, VGC_RULE_BIAS_ALL);
	ck_assert(!led->active_low);
	ck_assert(!led->edges);
	ck_assert(!led->read_only);
	ck_assert_uint_eq(led->debounce_min_us, 0);
	ck_assert_uint_eq(led->debounce_max_us, 0);
	ck_assert_uint_eq(led->release, VGC_RELEASE_LOW);
	ck_assert_uint_eq(led->max_toggle_hz, 50);
	ck_assert_uint_eq(led->max_event_hz, 0);

	btn = vgc_config_rules(cfg, 27);
	ck_assert_uint_eq(btn->directions, VGC_RULE_DIR_INPUT);	/* from read-only */
	ck_assert(btn->read_only);
	ck_assert(btn->edges);
	ck_assert_uint_eq(btn->bias, VGC_RULE_BIAS_AS_IS | VGC_RULE_BIAS_PULL_UP);
	ck_assert_uint_eq(btn->debounce_min_us, 1000);
	ck_assert_uint_eq(btn->debounce_max_us, 50000);
	ck_assert_uint_eq(btn->max_event_hz, 200);
	ck_assert_uint_eq(btn->release, VGC_RELEASE_KEEP);

	ck_assert_ptr_null(vgc_config_rules(cfg, 0));
	ck_assert_ptr_null(vgc_config_rules(cfg, 18));
	ck_assert_ptr_null(vgc_config_rules(cfg, 1023));
	vgc_config_free(cfg);
}
END_TEST

/*
 * Line ends with long runs of '\r' (found by fuzz-config): they are no
 * part of the line, however many, and must not overrun inih's line buffer.
 */
START_TEST(test_config_carriage_returns)
{
	static const char *const parts[] = { "[chip]", "\nsim = 4", "\n[line 2]", "\nhost = 3" };
	size_t runs = 4000, len = 0;
	char *text = malloc(4 * (runs + 16) + 1);
	struct vgc_config *cfg;

	ck_assert_ptr_nonnull(text);
	for (unsigned int i = 0; i < 4; i++) {
		len += (size_t)sprintf(text + len, "%s", parts[i]);
		memset(text + len, '\r', runs);
		len += runs;
	}
	text[len] = '\0';
	cfg = config_parse_ok(text);
	ck_assert_uint_eq(cfg->sim_lines, 4);
	ck_assert_uint_eq(cfg->num, 1);
	vgc_config_free(cfg);
	free(text);
}
END_TEST

START_TEST(test_config_defaults)
{
	struct vgc_config *cfg = config_parse_ok("[line 0]\nhost = 5\n");

	/* the tenant comes from the file name, /etc/vgpiochip/t.conf */
	ck_assert_str_eq(cfg->tenant, "t");
	ck_assert_ptr_null(cfg->chip);
	ck_assert_ptr_null(cfg->chip_name);
	ck_assert_ptr_null(cfg->label);
	ck_assert_ptr_null(cfg->node);
	ck_assert_ptr_null(cfg->devname);
	ck_assert(!cfg->has_dev);
	ck_assert_uint_eq(cfg->lines, 0);
	ck_assert_uint_eq(cfg->num, 1);
	ck_assert_str_eq(cfg->line[0].name, "");
	ck_assert_mem_eq(&cfg->line[0].rules, &vgc_rules_default, sizeof(vgc_rules_default));
	vgc_config_free(cfg);

	/* the first key in a bare file, BOM first; a name that cannot be a tenant gives none */
	cfg = vgc_config_parse("\xef\xbb\xbf[chip]\nsim = 4\n", "my tenant.conf", NULL, 0);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->sim_lines, 4);
	ck_assert_str_eq(cfg->tenant, "");
	ck_assert_uint_eq(cfg->num, 0);
	vgc_config_free(cfg);

	cfg = config_parse_ok("");
	ck_assert_uint_eq(cfg->num, 0);
	vgc_config_free(cfg);
	cfg = vgc_config_parse(NULL, NULL, NULL, 0);
	ck_assert_ptr_nonnull(cfg);
	vgc_config_free(cfg);
}
END_TEST

START_TEST(test_config_values)
{
	struct vgc_config *cfg = config_parse_ok("[line 1023]\nhost = 65535\n"
					  "directions = input\nbias = disabled,pull-down\n"
					  "drive = open-drain , open-source\nread-only = no\n"
					  "active-low = true\nedges = false\ndebounce-us = 0-0\n"
					  "max-toggle-hz = 1000000\nmax-event-hz = none\n"
					  "release = high\n"
					  "[line 0]\nhost = 0\nbias = any\ndrive = any\n"
					  "debounce-us = any\nrelease = input\n"
					  "directions = both\nmax-toggle-hz = none\n"
					  "[line 1]\nhost = 1\nrelease = keep\nname = a:b=c, d\n");
	const struct vgc_rules *r = vgc_config_rules(cfg, 1023);

	ck_assert_uint_eq(cfg->line[2].host, 65535);
	ck_assert_uint_eq(r->directions, VGC_RULE_DIR_INPUT);
	ck_assert_uint_eq(r->bias, VGC_RULE_BIAS_DISABLED | VGC_RULE_BIAS_PULL_DOWN);
	ck_assert_uint_eq(r->drive, VGC_RULE_DRIVE_OPEN_DRAIN | VGC_RULE_DRIVE_OPEN_SOURCE);
	ck_assert(r->active_low);
	ck_assert(!r->edges);
	ck_assert_uint_eq(r->debounce_max_us, 0);
	ck_assert_uint_eq(r->max_toggle_hz, 1000000);
	ck_assert_uint_eq(r->max_event_hz, 0);
	ck_assert_uint_eq(r->release, VGC_RELEASE_HIGH);
	r = vgc_config_rules(cfg, 0);
	ck_assert_uint_eq(r->bias, VGC_RULE_BIAS_ALL);
	ck_assert_uint_eq(r->drive, VGC_RULE_DRIVE_ALL);
	ck_assert_uint_eq(r->debounce_max_us, UINT32_MAX);
	ck_assert_uint_eq(r->release, VGC_RELEASE_INPUT);
	ck_assert_uint_eq(r->directions, VGC_RULE_DIR_ALL);
	ck_assert_str_eq(cfg->line[1].name, "a:b=c, d");
	vgc_config_free(cfg);
}
END_TEST

Suite *vgc_test_config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("refused");

	tcase_add_loop_test(tc, test_config_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_config_err_truncated);
	suite_add_tcase(s, tc);
	tc = tcase_create("accepted");
	tcase_add_test(tc, test_config_pi_example);
	tcase_add_test(tc, test_config_carriage_returns);
	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_values);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, vgc_test_config_flags_tcase());
	return s;
}
