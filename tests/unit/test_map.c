// SPDX-License-Identifier: GPL-2.0-or-later
/* The --map parser: every rejection with its message, then what it accepts. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../policy/map.h"
#include "suites.h"

#define SYNTAX "(expected V:H, A-B:C-D or V:H=NAME"
#define X10 "xxxxxxxxxx"

struct bad_case {
	const char *spec;
	const char *want;	/* a substring of the message */
};

static const struct bad_case bad_cases[] = {
	/* The spec as a whole. */
	{ NULL, "--map is empty " SYNTAX },
	{ "", "--map is empty " SYNTAX },
	{ " \t ", "--map is empty " SYNTAX },
	/* Empty tokens, named by where they are. */
	{ ",4:17", "empty --map token at the start (remove the leading ','" },
	{ "4:17,,5:27", "empty --map token after '4:17' " SYNTAX ", separated by single commas)" },
	{ "4:17, ,5:27", "empty --map token after '4:17' " SYNTAX },
	{ "4:17,", "empty --map token after '4:17' at the end (remove the trailing ','" },
	{ "4:17,5:27, ", "empty --map token after '5:27' at the end" },
	/* Missing or extra parts. */
	{ "4", "bad --map token '4': no ':' between virtual and host line " SYNTAX },
	{ "=LED", "bad --map token '=LED': no ':' between" },
	{ "4=x:17", "bad --map token '4=x:17': no ':' between" },
	{ "4:17:5", "bad --map token '4:17:5': more than one ':' " SYNTAX },
	{ "4:", "bad --map token '4:': host line is missing " SYNTAX },
	{ ":17", "bad --map token ':17': virtual line is missing " SYNTAX },
	{ "4:=LED", "bad --map token '4:=LED': host line is missing" },
	/* Numbers: decimal digits only, within the limits. */
	{ "4:x", "bad --map token '4:x': host line 'x' is not a number "
		 "(expected V:H, A-B:C-D or V:H=NAME)" },
	{ "x:4", "bad --map token 'x:4': virtual line 'x' is not a number " SYNTAX },
	{ "+1:2", "virtual line '+1' is not a number" },
	{ "1:+2", "host line '+2' is not a number" },
	{ "0x1:2", "virtual line '0x1' is not a number" },
	{ "1:0x2", "host line '0x2' is not a number" },
	{ "1.5:2", "virtual line '1.5' is not a number" },
	{ "4 :17", "virtual line '4 ' is not a number" },
	{ "4: 17", "host line ' 17' is not a number" },
	{ "4:17 =LED", "host line '17 ' is not a number" },
	{ "4:\x1b[31m", "bad --map token '4:?[31m': host line '?[31m' is not a number" },
	{ "1024:0", "bad --map token '1024:0': virtual line '1024' is too large "
		    "(virtual lines must be below 1024)" },
	{ "99999999999:0", "virtual line '99999999999' is too large" },
	{ "0:65536", "bad --map token '0:65536': host line '65536' is too large "
		     "(host lines must be below 65536)" },
	{ "1:99999999999", "host line '99999999999' is too large" },
	{ "1:18446744073709551617", "host line '18446744073709551617' is too large" },
	{ "0-1024:0-1024", "virtual line '1024' is too large" },
	{ "0-1:65535-65536", "host line '65536' is too large" },
	/* Long tokens are cut in the message, not the reason after them. */
	{ "4:" X10 X10 X10 X10 X10 X10,
	  "'4:" X10 X10 X10 X10 "xxx...': host line '" X10 X10 X10 X10 "xxxxx...' is not a number" },
	/* Ranges. */
	{ "-3:1-4", "bad --map token '-3:1-4': virtual line range '-3' has no start (write A-B)" },
	{ "0-:1-2", "virtual line range '0-' has no end (write A-B)" },
	{ "0-3:-13", "host line range '-13' has no start" },
	{ "0-3:10-", "host line range '10-' has no end" },
	{ "0-1-2:3-4-5", "virtual line '1-2' is not a number" },
	{ "0-x:3-4", "virtual line 'x' is not a number" },
	{ "3-0:10-13", "bad --map token '3-0:10-13': virtual line range 3-0 is reversed "
		       "(write the lower line first)" },
	{ "0-3:13-10", "host line range 13-10 is reversed" },
	{ "0-3:10-11", "bad --map token '0-3:10-11': virtual range 0-3 has 4 lines but host "
		       "range 10-11 has 2 (both must be the same length)" },
	{ "0-1:10-13", "virtual range 0-1 has 2 lines but host range 10-13 has 4" },
	{ "0-3:10", "bad --map token '0-3:10': virtual side is a range but the host side is not "
		    "(map a range to a range: A-B:C-D)" },
	{ "0:10-13", "host side is a range but the virtual side is not" },
	{ "0-3:10-13=X", "bad --map token '0-3:10-13=X': a name can only be given to a single "
			 "line, not to range 0-3 (write V:H=NAME)" },
	/* Names. */
	{ "4:17=", "bad --map token '4:17=': the line name after '=' is empty "
		   "(names are 1 to 31 printable characters without ',', ':' or '=')" },
	{ "4:17=" X10 X10 X10 "xx", "the line name is 32 characters long (names are 1 to 31" },
	{ "4:17= LED", "the line name starts with a blank" },
	{ "4:17=a:b", "bad --map token '4:17=a:b': the line name contains ':' (names are" },
	{ "4:17=a=b", "the line name contains '=' (names are" },
	{ "4:17=LED=", "the line name contains '='" },
	{ "4:17=a\tb", "bad --map token '4:17=a?b': the line name contains the non-printable "
		       "byte 0x09" },
	{ "4:17=caf\xc3\xa9", "non-printable byte 0xc3" },
	{ "4:17=\x7f", "non-printable byte 0x7f" },
	/* Duplicates, naming both tokens. */
	{ "4:17,4:18", "bad --map token '4:18': virtual line 4 is already mapped by '4:17' "
		       "(each virtual line may appear once)" },
	{ "4:17,4:17", "bad --map token '4:17': virtual line 4 is already mapped by '4:17'" },
	{ "4:17,5:17", "bad --map token '5:17': host line 17 is already mapped by '4:17' "
		       "(each host line may appear once)" },
	{ "0-3:10-13,2:20", "bad --map token '2:20': virtual line 2 is already mapped by "
			    "'0-3:10-13'" },
	{ "2:12,0-3:20-23", "bad --map token '0-3:20-23': virtual line 2 is already mapped by "
			    "'2:12'" },
	{ "0-3:10-13,5-6:12-13", "bad --map token '5-6:12-13': host line 12 is already mapped "
				 "by '0-3:10-13'" },
	{ "9:5,0-3:3-6", "bad --map token '0-3:3-6': host line 5 is already mapped by '9:5'" },
	{ "4:17=LED,5:27=LED", "bad --map token '5:27=LED': line name 'LED' is already used by "
			       "'4:17=LED' (each name may appear once)" },
	/* The first bad token is the one reported. */
	{ "4:17,x:1,5:y", "bad --map token 'x:1'" },
};

static void check_bad(const struct bad_case *c)
{
	char err[256];
	struct vgc_map *map;

	memset(err, 'Z', sizeof(err));
	errno = 0;
	map = vgc_policy_map_parse(c->spec, err, sizeof(err));
	ck_assert_msg(!map, "'%s' was accepted", c->spec);
	ck_assert_msg(errno == EINVAL, "'%s': errno %d, not EINVAL", c->spec, errno);
	ck_assert_msg(memchr(err, '\0', sizeof(err)), "'%s': message not terminated", c->spec);
	ck_assert_msg(strstr(err, c->want), "'%s': message \"%s\" lacks \"%s\"", c->spec, err,
		      c->want);
}

START_TEST(test_map_bad)
{
	check_bad(&bad_cases[_i]);
}
END_TEST

START_TEST(test_map_err_truncated)
{
	char buf[16];
	struct vgc_map *map;

	/* A canary past the given length shows nothing writes beyond it. */
	memset(buf, 'Z', sizeof(buf));
	map = vgc_policy_map_parse("4:x", buf, 10);
	ck_assert_ptr_null(map);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(buf, "bad --map");
	ck_assert_int_eq(buf[10], 'Z');

	/* Cut inside the token and inside an empty-token message. */
	memset(buf, 'Z', sizeof(buf));
	ck_assert_ptr_null(vgc_policy_map_parse("4:17,,", buf, 5));
	ck_assert_str_eq(buf, "empt");
	ck_assert_int_eq(buf[5], 'Z');

	memset(buf, 'Z', sizeof(buf));
	ck_assert_ptr_null(vgc_policy_map_parse("4:x", buf, 1));
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(buf[1], 'Z');

	memset(buf, 'Z', sizeof(buf));
	ck_assert_ptr_null(vgc_policy_map_parse("4:x", buf, 0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(buf[0], 'Z');

	errno = 0;
	ck_assert_ptr_null(vgc_policy_map_parse("4:x", NULL, 0));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(vgc_policy_map_parse("4:17,4:18", NULL, 100));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

#define GOOD_MAX 8

struct good_case {
	const char *spec;
	unsigned int num;
	struct vgc_map_entry want[GOOD_MAX];	/* in virtual order */
};

static const struct good_case good_cases[] = {
	{ "4:17", 1, { { 4, 17, "" } } },
	{ "4:17,5:27", 2, { { 4, 17, "" }, { 5, 27, "" } } },
	{ "5:27,4:17", 2, { { 4, 17, "" }, { 5, 27, "" } } },
	{ " 4:17 ,\t5:27\t", 2, { { 4, 17, "" }, { 5, 27, "" } } },
	{ "0:0", 1, { { 0, 0, "" } } },
	{ "1023:65535", 1, { { 1023, 65535, "" } } },
	{ "007:017", 1, { { 7, 17, "" } } },
	{ "0-3:10-13", 4, { { 0, 10, "" }, { 1, 11, "" }, { 2, 12, "" }, { 3, 13, "" } } },
	{ "2-2:7-7", 1, { { 2, 7, "" } } },
	{ "4-5:1-2,0-1:8-9", 4, { { 0, 8, "" }, { 1, 9, "" }, { 4, 1, "" }, { 5, 2, "" } } },
	{ "4:17=LED", 1, { { 4, 17, "LED" } } },
	{ "4:17=Status LED", 1, { { 4, 17, "Status LED" } } },
	{ "4:17=" X10 X10 X10 "x", 1, { { 4, 17, X10 X10 X10 "x" } } },
	{ "4:17=~!@#$%^&*()<>\"'", 1, { { 4, 17, "~!@#$%^&*()<>\"'" } } },
	{ "4:17=a,5:27=A", 2, { { 4, 17, "a" }, { 5, 27, "A" } } },
	{ "9:3=BTN, 0-2:4-6 ,5:1", 5,
	  { { 0, 4, "" }, { 1, 5, "" }, { 2, 6, "" }, { 5, 1, "" }, { 9, 3, "BTN" } } },
	/* Hosts of a range interleaving with singles is fine as long as none repeats. */
	{ "0-1:10-11,2:12,3-4:13-14", 5,
	  { { 0, 10, "" }, { 1, 11, "" }, { 2, 12, "" }, { 3, 13, "" }, { 4, 14, "" } } },
};

START_TEST(test_map_good)
{
	const struct good_case *c = &good_cases[_i];
	char err[256] = "stale";
	struct vgc_map *map;

	map = vgc_policy_map_parse(c->spec, err, sizeof(err));
	ck_assert_msg(map, "'%s' was rejected: %s", c->spec, err);
	ck_assert_str_eq(err, "");
	ck_assert_msg(map->num == c->num, "'%s': %u entries, want %u", c->spec, map->num, c->num);
	for (unsigned int i = 0; i < c->num; i++) {
		const struct vgc_map_entry *got = &map->entries[i], *want = &c->want[i];

		ck_assert_msg(got->virt == want->virt && got->host == want->host &&
				      !strcmp(got->name, want->name),
			      "'%s' entry %u: %u:%u '%s', want %u:%u '%s'", c->spec, i, got->virt,
			      got->host, got->name, want->virt, want->host, want->name);
		ck_assert_ptr_eq(vgc_policy_map_find(map, want->virt), got);
	}
	ck_assert_uint_eq(vgc_policy_map_span(map), c->want[c->num - 1].virt + 1);
	vgc_policy_map_free(map);
}
END_TEST

START_TEST(test_map_full_range)
{
	char err[256];
	struct vgc_map *map = vgc_policy_map_parse("0-1023:64512-65535", err, sizeof(err));

	ck_assert_msg(map, "%s", err);
	ck_assert_uint_eq(map->num, VGC_MAP_MAX_LINES);
	ck_assert_uint_eq(vgc_policy_map_span(map), VGC_MAP_MAX_LINES);
	for (uint32_t v = 0; v < VGC_MAP_MAX_LINES; v++) {
		const struct vgc_map_entry *e = vgc_policy_map_find(map, v);

		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(e->virt, v);
		ck_assert_uint_eq(e->host, 64512 + v);
	}
	ck_assert_ptr_null(vgc_policy_map_find(map, VGC_MAP_MAX_LINES));
	vgc_policy_map_free(map);
}
END_TEST

START_TEST(test_map_find_holes)
{
	char err[256];
	struct vgc_map *map = vgc_policy_map_parse("9:90,2:20,5:50=E", err, sizeof(err));
	const struct vgc_map_entry *e;

	ck_assert_msg(map, "%s", err);
	for (uint32_t v = 0; v < 12; v++) {
		e = vgc_policy_map_find(map, v);
		if (v == 2 || v == 5 || v == 9) {
			ck_assert_ptr_nonnull(e);
			ck_assert_uint_eq(e->virt, v);
			ck_assert_uint_eq(e->host, v * 10);
		} else {
			ck_assert_msg(!e, "hole %u found as %u:%u", v, e->virt, e->host);
		}
	}
	ck_assert_str_eq(vgc_policy_map_find(map, 5)->name, "E");
	ck_assert_ptr_null(vgc_policy_map_find(map, UINT32_MAX));
	ck_assert_uint_eq(vgc_policy_map_span(map), 10);
	vgc_policy_map_free(map);
}
END_TEST

START_TEST(test_map_empty_and_null)
{
	const struct vgc_map empty = { 0, NULL };

	ck_assert_ptr_null(vgc_policy_map_find(NULL, 0));
	ck_assert_ptr_null(vgc_policy_map_find(&empty, 0));
	ck_assert_uint_eq(vgc_policy_map_span(NULL), 0);
	ck_assert_uint_eq(vgc_policy_map_span(&empty), 0);
	vgc_policy_map_free(NULL);
}
END_TEST

Suite *vgc_test_map_suite(void)
{
	Suite *s = suite_create("map");
	TCase *tc = tcase_create("parse-bad");

	tcase_add_loop_test(tc, test_map_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_map_err_truncated);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse-good");
	tcase_add_loop_test(tc, test_map_good, 0, sizeof(good_cases) / sizeof(good_cases[0]));
	tcase_add_test(tc, test_map_full_range);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup");
	tcase_add_test(tc, test_map_find_holes);
	tcase_add_test(tc, test_map_empty_and_null);
	suite_add_tcase(s, tc);
	return s;
}
