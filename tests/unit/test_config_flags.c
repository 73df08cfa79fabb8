// SPDX-License-Identifier: GPL-2.0-or-later
/* --map and the other flags put over a configuration file, and reloads. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/map.h"
#include "test_config.h"

static struct vgc_map *map_of(const char *spec)
{
	char err[256];
	struct vgc_map *map = vgc_policy_map_parse(spec, err, sizeof(err));

	ck_assert_msg(map, "%s", err);
	return map;
}

static const char merge_file[] = "[chip]\nsim = 32\nlabel = file\nnode = /dev/gpiochip3\n"
				 "[line 4]\nhost = 17\nname = LED\nrelease = low\n"
				 "[line 5]\nhost = 27\nread-only = yes\n";

struct merge_bad {
	const char *map;
	unsigned int sim, lines;
	const char *chip;
	const char *want;
};

static const struct merge_bad merge_bad_cases[] = {
	{ "6:17", 0, 0, NULL,
	  F ": [line 4] (" F ":5) and --map 6:17 both use host line 17; allowed: each host line "
	    "once" },
	{ "6:1=LED", 0, 0, NULL,
	  F ": [line 4] (" F ":5) and --map 6:1 are both named 'LED'; allowed: each name once" },
	{ "4:32", 0, 0, NULL,
	  F ": --map 4:32: host line 32 is beyond sim = 32; allowed: host lines 0 to 31" },
	{ NULL, 20, 0, NULL, F ": [line 5] (" F ":9): host line 27 is beyond sim = 20" },
	{ NULL, 0, 5, NULL,
	  F ": lines = 5 leaves out virtual line 5 of [line 5] (" F ":9); allowed: lines from 6 "
	    "to 1024" },
	{ "9:1", 0, 9, NULL, F ": lines = 9 leaves out virtual line 9 of --map 9:1" },
	{ NULL, 8, 0, "gpiochip1", "--chip and --sim are both given; allowed: one of them" },
};

START_TEST(test_config_merge_bad)
{
	const struct merge_bad *c = &merge_bad_cases[_i];
	struct vgc_config *cfg = config_parse_ok(merge_file);
	struct vgc_map *map = c->map ? map_of(c->map) : NULL;
	struct vgc_config_flags f = { .map = map, .sim_lines = c->sim, .lines = c->lines,
				      .chip = c->chip, .label = "flag" };
	char err[VGC_CONFIG_ERR_MAX] = "";

	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), -EINVAL);
	ck_assert_msg(!strncmp(err, c->want, strlen(c->want)), "got \"%s\"\nwant \"%s\"", err,
		      c->want);
	/* nothing changed */
	ck_assert_str_eq(cfg->label, "file");
	ck_assert_uint_eq(cfg->sim_lines, 32);
	ck_assert_uint_eq(cfg->num, 2);
	ck_assert_uint_eq(cfg->line[0].host, 17);
	vgc_policy_map_free(map);
	vgc_config_free(cfg);
}
END_TEST

START_TEST(test_config_merge)
{
	struct vgc_config *cfg = config_parse_ok(merge_file);
	struct vgc_map *map = map_of("4:18,0:3=BTN,7:20");
	struct vgc_config_flags f = { .map = map, .tenant = "flagged", .chip_name = "gpiochip9",
				      .devname = "dn", .has_dev = true, .dev_major = 500,
				      .dev_minor = 2, .lines = 16 };
	char err[VGC_CONFIG_ERR_MAX] = "";
	struct vgc_map *out;

	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(cfg->tenant, "flagged");
	ck_assert_str_eq(cfg->chip_name, "gpiochip9");
	ck_assert_str_eq(cfg->label, "file");		/* not given: the file's */
	ck_assert_str_eq(cfg->node, "/dev/gpiochip3");
	ck_assert_str_eq(cfg->devname, "dn");
	ck_assert(cfg->has_dev);
	ck_assert_uint_eq(cfg->dev_major, 500);
	ck_assert_uint_eq(cfg->lines, 16);
	ck_assert_uint_eq(cfg->sim_lines, 32);
	ck_assert_uint_eq(cfg->num, 4);
	/* 0 and 7 are new with the defaults, 4 keeps its rules and name, 5 is untouched */
	ck_assert_uint_eq(cfg->line[0].virt, 0);
	ck_assert_str_eq(cfg->line[0].name, "BTN");
	ck_assert_mem_eq(&cfg->line[0].rules, &vgc_rules_default, sizeof(vgc_rules_default));
	ck_assert_uint_eq(cfg->line[1].virt, 4);
	ck_assert_uint_eq(cfg->line[1].host, 18);
	ck_assert_str_eq(cfg->line[1].name, "LED");
	ck_assert_uint_eq(cfg->line[1].rules.release, VGC_RELEASE_LOW);
	ck_assert_uint_eq(cfg->line[2].virt, 5);
	ck_assert(cfg->line[2].rules.read_only);
	ck_assert_uint_eq(cfg->line[3].virt, 7);
	ck_assert_uint_eq(cfg->line[3].host, 20);

	out = vgc_config_to_map(cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(out->num, 4);
	ck_assert_uint_eq(vgc_policy_map_span(out), 8);
	ck_assert_uint_eq(vgc_policy_map_find(out, 4)->host, 18);
	ck_assert_str_eq(vgc_policy_map_find(out, 4)->name, "LED");
	ck_assert_uint_eq(vgc_policy_map_find(out, 5)->host, 27);
	ck_assert_str_eq(vgc_policy_map_find(out, 0)->name, "BTN");
	ck_assert_ptr_null(vgc_policy_map_find(out, 1));
	vgc_policy_map_free(out);
	vgc_policy_map_free(map);
	vgc_config_free(cfg);
}
END_TEST

START_TEST(test_config_merge_backend)
{
	struct vgc_config *cfg = config_parse_ok(merge_file);
	struct vgc_config_flags f = { .chip = "gpiochip2" };
	char err[VGC_CONFIG_ERR_MAX];

	/* --chip over a file's sim: the host chip wins and sim no longer limits hosts */
	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg->chip, "gpiochip2");
	ck_assert_uint_eq(cfg->sim_lines, 0);
	/* and --sim back over it */
	f = (struct vgc_config_flags){ .sim_lines = 64 };
	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), 0);
	ck_assert_ptr_null(cfg->chip);
	ck_assert_uint_eq(cfg->sim_lines, 64);
	/* no flags at all changes nothing */
	f = (struct vgc_config_flags){ 0 };
	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg->num, 2);
	ck_assert_str_eq(cfg->label, "file");
	/* a --name too long for a tenant */
	f = (struct vgc_config_flags){ .tenant = X10 X10 X10 X10 X10 X10 "xxxx" };
	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "has 64 characters; allowed: 1 to 63"));
	vgc_config_free(cfg);
}
END_TEST

START_TEST(test_config_no_lines)
{
	struct vgc_config *cfg = config_parse_ok("[chip]\nsim = 4\n");
	struct vgc_map *map;
	struct vgc_config_flags f;
	char err[VGC_CONFIG_ERR_MAX];

	errno = 0;
	ck_assert_ptr_null(vgc_config_to_map(cfg, err, sizeof(err)));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(err, F ": no virtual line is configured; allowed: at least one [line N] "
			      "section with host = H, or --map");
	/* --map alone supplies them */
	map = map_of("0-3:0-3");
	f = (struct vgc_config_flags){ .map = map };
	ck_assert_int_eq(vgc_config_merge(cfg, &f, err, sizeof(err)), 0);
	vgc_policy_map_free(map);
	map = vgc_config_to_map(cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(map);
	ck_assert_uint_eq(map->num, 4);
	vgc_policy_map_free(map);
	vgc_config_free(cfg);
}
END_TEST

struct reload_case {
	const char *next;
	const char *want;	/* NULL: allowed */
};

static const char reload_base[] = "[chip]\nsim = 8\nlabel = L\n[line 1]\nhost = 1\n";

static const struct reload_case reload_cases[] = {
	{ "[chip]\nsim = 9\nlabel = L\n[line 1]\nhost = 1\n",
	  F ": sim in [chip] changed; allowed on reload: changes to [line N] sections and lines "
	    "(restart the daemon to change sim)" },
	{ "[chip]\nsim = 8\n[line 1]\nhost = 1\n", F ": label in [chip] changed" },
	{ "[chip]\nsim = 8\nlabel = M\n", F ": label in [chip] changed" },
	{ "[chip]\ntenant = u\nsim = 8\nlabel = L\n", F ": tenant in [chip] changed" },
	{ "[chip]\nsim = 8\nlabel = L\nnode = /dev/x\n", F ": node in [chip] changed" },
	{ "[chip]\nsim = 8\nlabel = L\ndevname = x\n", F ": devname in [chip] changed" },
	{ "[chip]\nsim = 8\nlabel = L\ndev = 1:1\n", F ": dev in [chip] changed" },
	{ "[chip]\nsim = 8\nlabel = L\nchip-name = c\n", F ": chip-name in [chip] changed" },
	/* lines may come, go and change; so may the number of lines */
	{ "[chip]\nsim = 8\nlabel = L\nlines = 9\n[line 2]\nhost = 1\nread-only = yes\n", NULL },
	{ "[chip]\nsim = 8\nlabel = L\n", NULL },
};

START_TEST(test_config_reload)
{
	const struct reload_case *c = &reload_cases[_i];
	struct vgc_config *cur = config_parse_ok(reload_base), *next = config_parse_ok(c->next);
	char err[VGC_CONFIG_ERR_MAX] = "";
	int ret = vgc_config_check_reload(cur, next, err, sizeof(err));

	if (!c->want) {
		ck_assert_msg(ret == 0, "\"%s\" refused: %s", c->next, err);
	} else {
		ck_assert_int_eq(ret, -EINVAL);
		ck_assert_msg(!strncmp(err, c->want, strlen(c->want)), "got \"%s\"", err);
	}
	vgc_config_free(next);
	vgc_config_free(cur);
}
END_TEST

/* --dev's text, as main.c hands it over: the same rule as dev = in the file. */
static const struct {
	const char *text;
	int ret;
	unsigned int major, minor;
} dev_cases[] = {
	{ "300:0", 0, 300, 0 },
	{ "1:0", 0, 1, 0 },
	{ "511:1048575", 0, 511, 1048575 },
	{ "383:7", 0, 383, 7 },
	{ "300:0x", -EINVAL, 0, 0 },
	{ "99999:0", -EINVAL, 0, 0 },
	{ "-1:-1", -EINVAL, 0, 0 },
	{ "512:0", -EINVAL, 0, 0 },
	{ "0:0", -EINVAL, 0, 0 },
	{ "300:", -EINVAL, 0, 0 },
	{ ":1", -EINVAL, 0, 0 },
	{ "300", -EINVAL, 0, 0 },
	{ "300:1048576", -EINVAL, 0, 0 },
	{ " 300:0", -EINVAL, 0, 0 },
	{ "0x12c:0", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
};

START_TEST(test_config_dev)
{
	unsigned int major = 12345, minor = 12345;
	int ret = vgc_config_parse_dev(dev_cases[_i].text, &major, &minor);

	ck_assert_msg(ret == dev_cases[_i].ret, "'%s': %d, expected %d", dev_cases[_i].text, ret,
		      dev_cases[_i].ret);
	if (!ret) {
		ck_assert_uint_eq(major, dev_cases[_i].major);
		ck_assert_uint_eq(minor, dev_cases[_i].minor);
	} else {
		/* a refusal leaves the numbers alone */
		ck_assert_uint_eq(major, 12345);
		ck_assert_uint_eq(minor, 12345);
	}
}
END_TEST

TCase *vgc_test_config_flags_tcase(void)
{
	TCase *tc = tcase_create("flags and reloads");

	tcase_add_loop_test(tc, test_config_merge_bad, 0,
			    sizeof(merge_bad_cases) / sizeof(merge_bad_cases[0]));
	tcase_add_test(tc, test_config_merge);
	tcase_add_loop_test(tc, test_config_dev, 0, sizeof(dev_cases) / sizeof(dev_cases[0]));
	tcase_add_test(tc, test_config_merge_backend);
	tcase_add_test(tc, test_config_no_lines);
	tcase_add_loop_test(tc, test_config_reload, 0,
			    sizeof(reload_cases) / sizeof(reload_cases[0]));
	return tc;
}
