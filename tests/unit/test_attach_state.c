// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attach identity, the pure parts (cuse/attach_state.h): the start time in
 * /proc/PID/stat, when two records are one process, and the lines of the
 * state file a restarted daemon trusts. Failure cases first.
 */
#include <check.h>
#include <limits.h>
#include <string.h>

#include "../../cuse/attach_state.h"

Suite *vgc_test_attach_suite(void);

/* A stat line whose field 22 is 4242, after a command of the caller's choice. */
static void stat_line(char *buf, size_t size, const char *comm)
{
	snprintf(buf, size, "77 (%s) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 4242 "
		 "2801664 220 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n", comm);
}

static const struct {
	const char *name;
	const char *text;
} stat_bad[] = {
	{ "no command", "77 S 1 77" },
	{ "cut before field 22", "77 (sh) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0" },
	{ "field 22 not a number", "77 (sh) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 x 1" },
	{ "field 22 with junk", "77 (sh) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 12x 1" },
	{ "empty", "" },
};

START_TEST(test_stat_start_refuses)
{
	unsigned long long start = 0;

	ck_assert_msg(vgc_attach_stat_start(stat_bad[_i].text, &start) == -EINVAL,
		      "%s: not refused", stat_bad[_i].name);
}
END_TEST

static const char *const stat_comms[] = {
	"sleep", "a b", "x) 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 (y", ")", "((",
};

/* The command is the tenant's to choose: fields count from its last ')'. */
START_TEST(test_stat_start_reads_field_22)
{
	unsigned long long start = 0;
	char text[512];

	stat_line(text, sizeof(text), stat_comms[_i]);
	ck_assert_msg(vgc_attach_stat_start(text, &start) == 0, "comm '%s' refused",
		      stat_comms[_i]);
	ck_assert_msg(start == 4242, "comm '%s': start %llu", stat_comms[_i], start);
}
END_TEST

static const struct vgc_attach_id id_base = {
	.pid = 1234, .start = 99, .mnt_dev = 4, .mnt_ino = 4026532000ULL,
	.user_dev = 4, .user_ino = 4026531837ULL,
};

START_TEST(test_id_same)
{
	struct vgc_attach_id other = id_base;

	ck_assert(vgc_attach_id_same(&id_base, &other));
	/* the user namespace is not what names the process */
	other.user_ino++;
	ck_assert(vgc_attach_id_same(&id_base, &other));
	other = id_base;
	other.start++;
	ck_assert_msg(!vgc_attach_id_same(&id_base, &other), "a reused pid (other start) matched");
	other = id_base;
	other.mnt_ino++;
	ck_assert_msg(!vgc_attach_id_same(&id_base, &other), "another mount namespace matched");
	other = id_base;
	other.mnt_dev++;
	ck_assert(!vgc_attach_id_same(&id_base, &other));
	other = id_base;
	other.pid++;
	ck_assert(!vgc_attach_id_same(&id_base, &other));
}
END_TEST

static const struct {
	const char *name;
	const char *line;
} state_bad[] = {
	/* the format before identities: a bare pid names no process */
	{ "old PID NODE line", "1234 /dev/gpiochip0\n" },
	{ "pid 0", "0 99 4 4026532000 4 4026531837 /dev/gpiochip0\n" },
	{ "no start time", "1234 0 4 4026532000 4 4026531837 /dev/gpiochip0\n" },
	{ "no mount namespace", "1234 99 4 0 4 4026531837 /dev/gpiochip0\n" },
	{ "no user namespace", "1234 99 4 4026532000 4 0 /dev/gpiochip0\n" },
	{ "negative pid", "-5 99 4 4026532000 4 4026531837 /dev/gpiochip0\n" },
	{ "relative node", "1234 99 4 4026532000 4 4026531837 dev/gpiochip0\n" },
	{ "node with a space", "1234 99 4 4026532000 4 4026531837 /dev/gpio chip0\n" },
	{ "a field missing", "1234 99 4 4026532000 4026531837 /dev/gpiochip0\n" },
	{ "junk in a number", "1234 99x 4 4026532000 4 4026531837 /dev/gpiochip0\n" },
	{ "two spaces", "1234  99 4 4026532000 4 4026531837 /dev/gpiochip0\n" },
	{ "huge pid", "99999999999 99 4 4026532000 4 4026531837 /dev/gpiochip0\n" },
	{ "empty", "" },
};

START_TEST(test_state_parse_refuses)
{
	struct vgc_attach_id id;
	char node[PATH_MAX];

	ck_assert_msg(vgc_attach_state_parse(state_bad[_i].line, &id, node, sizeof(node)) ==
			      -EINVAL,
		      "%s: not refused", state_bad[_i].name);
}
END_TEST

START_TEST(test_state_parse_node_too_long)
{
	struct vgc_attach_id id;
	char node[16];

	ck_assert_int_eq(vgc_attach_state_parse("1 2 3 4 5 6 /dev/a-very-long-node-name\n", &id,
						node, sizeof(node)),
			 -EINVAL);
}
END_TEST

START_TEST(test_state_round_trip)
{
	struct vgc_attach_id id;
	char line[PATH_MAX + 160], node[PATH_MAX];

	ck_assert_int_eq(vgc_attach_state_format(&id_base, "/dev/gpiochip0", line, sizeof(line)), 0);
	ck_assert_str_eq(line, "1234 99 4 4026532000 4 4026531837 /dev/gpiochip0\n");
	ck_assert_int_eq(vgc_attach_state_parse(line, &id, node, sizeof(node)), 0);
	ck_assert_str_eq(node, "/dev/gpiochip0");
	ck_assert(vgc_attach_id_same(&id, &id_base));
	ck_assert(id.user_dev == id_base.user_dev && id.user_ino == id_base.user_ino);
	/* the last line of a file may have no newline */
	ck_assert_int_eq(vgc_attach_state_parse("1234 99 4 4026532000 4 4026531837 /dev/x", &id,
						node, sizeof(node)),
			 0);
	ck_assert_str_eq(node, "/dev/x");
	/* volatile: the compiler would see the cut coming and refuse to build it */
	volatile size_t short_size = 20;

	ck_assert_int_eq(vgc_attach_state_format(&id_base, "/dev/gpiochip0", line, short_size),
			 -ENAMETOOLONG);
}
END_TEST

/* attach --sysfs rides on the line as a last word, which a plain parse refuses. */
START_TEST(test_state_sysfs_word)
{
	struct vgc_attach_id id;
	char line[PATH_MAX + 160], node[PATH_MAX];

	ck_assert_int_eq(vgc_attach_state_format(&id_base, "/dev/gpiochip0", line, sizeof(line)), 0);
	ck_assert(!vgc_attach_state_take_sysfs(line));
	ck_assert_int_eq(vgc_attach_state_put_sysfs(line, sizeof(line)), 0);
	ck_assert_str_eq(line, "1234 99 4 4026532000 4 4026531837 /dev/gpiochip0 sysfs\n");
	ck_assert_int_eq(vgc_attach_state_parse(line, &id, node, sizeof(node)), -EINVAL);
	ck_assert(vgc_attach_state_take_sysfs(line));
	ck_assert_int_eq(vgc_attach_state_parse(line, &id, node, sizeof(node)), 0);
	ck_assert_str_eq(node, "/dev/gpiochip0");
	ck_assert(vgc_attach_id_same(&id, &id_base));
	/* a node named like the word is a node, not the word */
	ck_assert(!vgc_attach_state_take_sysfs(strcpy(line, "1 2 3 4 5 6 /dev/sysfs\n")));
	/* no room: refused, not cut */
	ck_assert_int_eq(vgc_attach_state_put_sysfs(strcpy(line, "1 2 3 4 5 6 /x\n"), 18),
			 -ENAMETOOLONG);
}
END_TEST

Suite *vgc_test_attach_suite(void)
{
	Suite *s = suite_create("attach");
	TCase *tc = tcase_create("identity");

	tcase_add_loop_test(tc, test_stat_start_refuses, 0, sizeof(stat_bad) / sizeof(stat_bad[0]));
	tcase_add_loop_test(tc, test_stat_start_reads_field_22, 0,
			    sizeof(stat_comms) / sizeof(stat_comms[0]));
	tcase_add_test(tc, test_id_same);
	tcase_add_loop_test(tc, test_state_parse_refuses, 0,
			    sizeof(state_bad) / sizeof(state_bad[0]));
	tcase_add_test(tc, test_state_parse_node_too_long);
	tcase_add_test(tc, test_state_round_trip);
	tcase_add_test(tc, test_state_sysfs_word);
	suite_add_tcase(s, tc);
	return s;
}
