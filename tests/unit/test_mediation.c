// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Request shapes a tenant could use to get around the host owner's rules,
 * each as the attack was found: a partial claim, an "as-is" request, more
 * kinds of lines than one reconfiguration holds, host names, control bytes
 * in labels, and opens without end. Every row checks the host pins, not
 * only the errno.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "suites.h"

#define IN GPIO_V2_LINE_FLAG_INPUT
#define OUT GPIO_V2_LINE_FLAG_OUTPUT
#define SEC 1000000000ull

/* Lines with one flag set for all and every output value val. */
static struct gpio_v2_line_request med_lr(const uint32_t *offsets, unsigned int num,
					  uint64_t flags, int val)
{
	struct gpio_v2_line_request lr;

	memset(&lr, 0, sizeof(lr));
	memcpy(lr.offsets, offsets, num * sizeof(*offsets));
	lr.num_lines = num;
	lr.config.flags = flags;
	if (flags & OUT) {
		lr.config.num_attrs = 1;
		lr.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		lr.config.attrs[0].attr.values = val ? ~0ull : 0;
		lr.config.attrs[0].mask = num == 64 ? ~0ull : (1ull << num) - 1;
	}
	snprintf(lr.consumer, sizeof(lr.consumer), "med");
	return lr;
}

static int med_request(int chipfd, const uint32_t *offsets, unsigned int num, uint64_t flags,
		       int val)
{
	struct gpio_v2_line_request lr = med_lr(offsets, num, flags, val);

	return fx_request_lr(chipfd, &lr);
}

static bool med_audited(enum vgc_audit_event event, const char *rule, uint32_t offset)
{
	for (unsigned int i = 0; i < fx.num_audit && i < FX_MAX_AUDIT; i++)
		if (fx.audit[i].event == event && !strcmp(fx.audit[i].rule, rule) &&
		    fx.audit[i].offset == offset)
			return true;
	return false;
}

/*
 * {ruled line, hole} as output high: the kernel would claim the first line
 * before it finds the hole busy, but a read-only or input-only line must
 * never be driven for it, and the refusal is audited.
 */
static const struct {
	const char *name;
	bool read_only;
	unsigned int directions;
	const char *rule;
} partial_denied[] = {
	{ "read-only", true, VGC_RULE_DIR_ALL, "read-only" },
	{ "input only", false, VGC_RULE_DIR_INPUT, "directions" },
};

START_TEST(med_partial_claim_denied)
{
	const uint32_t offsets[] = { 4, FX_HOLE };
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open();

	r.read_only = partial_denied[_i].read_only;
	r.directions = partial_denied[_i].directions;
	fx_rules_install(4, &r);
	fx_pull(17, 0);
	ck_assert_int_eq(med_request(chipfd, offsets, 2, OUT, 1), -EBUSY);
	ck_assert_msg(fx_level(17) == 0, "%s: host line 17 driven to %d by a partial claim",
		      partial_denied[_i].name, fx_level(17));
	ck_assert_msg(med_audited(VGC_AUDIT_DENIED, partial_denied[_i].rule, 4),
		      "%s: the partial claim's refusal was not audited", partial_denied[_i].name);
	ck_assert(!fx_line_status(4).held);
}
END_TEST

/* A partial claim the rules allow drives the line, but counts its toggle. */
START_TEST(med_partial_claim_toggles)
{
	const uint32_t offsets[] = { 4, FX_HOLE };
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open();

	r.max_toggle_hz = 1;
	fx_rules_install(4, &r);
	fx.clock_ns = 100 * SEC;
	ck_assert_int_eq(med_request(chipfd, offsets, 2, OUT, 1), -EBUSY);
	ck_assert_int_eq(fx_level(17), 1);
	/* the second change within the second is beyond the rate: the pin stays */
	ck_assert_int_eq(med_request(chipfd, offsets, 2, OUT, 0), -EBUSY);
	ck_assert_int_eq(fx_level(17), 1);
	ck_assert_uint_eq(fx_line_status(4).cnt.toggles_refused, 1);
	ck_assert(med_audited(VGC_AUDIT_DENIED, "max-toggle-hz", 4));
}
END_TEST

/* A partial claim lets go like any request: the line goes to its release state. */
START_TEST(med_partial_claim_releases)
{
	const uint32_t offsets[] = { 4, FX_HOLE };
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open(), fd;

	r.release = VGC_RELEASE_LOW;
	fx_rules_install(4, &r);
	/* parked low by an earlier release */
	fd = med_request(chipfd, offsets, 1, OUT, 1);
	ck_assert_int_ge(fd, 0);
	fx_close(fd);
	ck_assert(fx_line_status(4).parked);
	ck_assert_int_eq(fx_level(17), 0);
	ck_assert_int_eq(med_request(chipfd, offsets, 2, OUT, 1), -EBUSY);
	ck_assert_msg(fx_level(17) == 0, "the partial claim left the line high");
	ck_assert(fx_line_status(4).parked);
	ck_assert(med_audited(VGC_AUDIT_REQUEST, "", 4));
	ck_assert(med_audited(VGC_AUDIT_RELEASE, "", 4));
}
END_TEST

/*
 * A line parked low is an output: requested "as is" (no direction flag) it
 * is still one, so its toggles count and its release state holds.
 */
START_TEST(med_as_is_output_toggles)
{
	const uint32_t off = 4;
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open(), fd;

	r.max_toggle_hz = 1;
	r.release = VGC_RELEASE_LOW;
	fx_rules_install(4, &r);
	fx.clock_ns = 100 * SEC;
	fd = med_request(chipfd, &off, 1, OUT, 1);
	ck_assert_int_ge(fd, 0);
	fx_close(fd);
	ck_assert_int_eq(fx_level(17), 0);
	fd = med_request(chipfd, &off, 1, 0, 0);
	ck_assert_int_ge(fd, 0);
	/* the one token of this second went to the first request */
	ck_assert_int_eq(fx_set(fd, 1, 1), -EAGAIN);
	ck_assert_int_eq(fx_level(17), 0);
	for (int i = 0; i < 1000; i++)
		fx_set(fd, 1, (uint64_t)(i & 1));
	ck_assert_uint_ge(fx_line_status(4).cnt.toggles_refused, 500);
	ck_assert_int_eq(fx_level(17), 0);
}
END_TEST

START_TEST(med_as_is_output_released)
{
	const uint32_t off = 4;
	struct vgc_rules r = vgc_rules_default;
	int chipfd = fx_open(), fd;

	r.release = VGC_RELEASE_LOW;
	fx_rules_install(4, &r);
	fd = med_request(chipfd, &off, 1, OUT, 0);
	ck_assert_int_ge(fd, 0);
	fx_close(fd);
	fd = med_request(chipfd, &off, 1, 0, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fx_set(fd, 1, 1), 0);
	ck_assert_int_eq(fx_level(17), 1);
	fx_close(fd);
	ck_assert_msg(fx_level(17) == 0, "an as-is output was left high despite release = low");
	ck_assert(fx_line_status(4).parked);
}
END_TEST

/*
 * Twelve lines, each with another drive and bias (release keeps both), all
 * released low: more kinds than one reconfiguration's attributes hold.
 */
START_TEST(med_release_many_kinds)
{
	static const uint64_t drives[] = { 0, GPIO_V2_LINE_FLAG_OPEN_DRAIN,
					   GPIO_V2_LINE_FLAG_OPEN_SOURCE };
	static const uint64_t biases[] = { 0, GPIO_V2_LINE_FLAG_BIAS_DISABLED,
					   GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
					   GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN };
	struct gpio_v2_line_request lr;
	struct gpio_v2_line_config lc;
	struct vgc_rules rules[12];
	char err[128] = "";
	struct vgc_map *map = vgc_policy_map_parse("0-11:0-11", err, sizeof(err));
	int chipfd = fx_open();

	ck_assert_msg(map, "%s", err);
	for (int i = 0; i < 12; i++) {
		rules[i] = vgc_rules_default;
		rules[i].release = VGC_RELEASE_LOW;
	}
	ck_assert_int_eq(vgc_chip_update(fx.chip, map, rules, 0), 0);
	memset(&lr, 0, sizeof(lr));
	for (unsigned int i = 0; i < 12; i++)
		lr.offsets[i] = i;
	lr.num_lines = 12;
	/* lines 0 and 9-11 by the config's flags, 1-8 by an attribute each, all high */
	lr.config.flags = OUT;
	for (unsigned int i = 1; i < 9; i++) {
		lr.config.attrs[i - 1].attr.id = GPIO_V2_LINE_ATTR_ID_FLAGS;
		lr.config.attrs[i - 1].attr.flags = OUT | drives[i % 3] | biases[i / 3];
		lr.config.attrs[i - 1].mask = 1ull << i;
	}
	lr.config.attrs[8].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	lr.config.attrs[8].attr.values = 0xfff;
	lr.config.attrs[8].mask = 0xfff;
	lr.config.num_attrs = 9;
	ck_assert_int_ge(fx_request_lr(chipfd, &lr), 0);
	/* then 9-11 each a kind of its own, by a reconfiguration of those three */
	memset(&lc, 0, sizeof(lc));
	for (unsigned int i = 9; i < 12; i++) {
		lc.attrs[i - 9].attr.id = GPIO_V2_LINE_ATTR_ID_FLAGS;
		lc.attrs[i - 9].attr.flags = OUT | drives[i % 3] | biases[i / 3];
		lc.attrs[i - 9].mask = 1ull << i;
	}
	lc.attrs[3].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
	lc.attrs[3].attr.values = 0xfff;
	lc.attrs[3].mask = 0xe00;
	lc.num_attrs = 4;
	ck_assert_int_eq(fx_ioctl(lr.fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc), 0);
	for (uint32_t h = 0; h < 12; h++)
		ck_assert_int_eq(fx_level(h), 1);
	fx_close(lr.fd);
	for (uint32_t h = 0; h < 12; h++)
		ck_assert_msg(fx_level(h) == 0, "host line %u left at %d despite release = low",
			      h, fx_level(h));
	vgc_policy_map_free(map);
}
END_TEST

/* A backend whose lines have names, as a Pi's have: the tenant sees none of them. */
static const struct vgc_backend_ops *med_sim_ops;

static int med_named_line_info(struct vgc_backend *be, uint32_t offset,
			       struct gpio_v2_line_info *info)
{
	int ret = med_sim_ops->line_info(be, offset, info);

	if (!ret)
		snprintf(info->name, sizeof(info->name), "GPIO%u", offset);
	return ret;
}

START_TEST(med_host_names_hidden)
{
	static struct vgc_backend_ops named;
	struct gpio_v2_line_info li;
	struct gpioline_info l1;
	int chipfd = fx_open();

	med_sim_ops = fx.be->ops;
	named = *fx.be->ops;
	named.line_info = med_named_line_info;
	fx.be->ops = &named;
	ck_assert_int_eq(fx_info(chipfd, 0, &li), 0);
	ck_assert_msg(!strcmp(li.name, ""), "the host's name \"%s\" reached the tenant", li.name);
	memset(&l1, 0, sizeof(l1));
	ck_assert_int_eq(fx_ioctl(chipfd, GPIO_GET_LINEINFO_IOCTL, &l1), 0);
	ck_assert_str_eq(l1.name, "");
	/* a name the map gives is shown */
	ck_assert_int_eq(fx_info(chipfd, 4, &li), 0);
	ck_assert_str_eq(li.name, "LED");
	fx.be->ops = med_sim_ops;
}
END_TEST

/* The host's gpioinfo and logs see a tenant's label with its control bytes made harmless. */
START_TEST(med_label_sanitised_on_host)
{
	const uint32_t off = 4;
	struct gpio_v2_line_request lr = med_lr(&off, 1, IN, 0);
	struct gpio_v2_line_info host, li;
	int chipfd = fx_open();

	snprintf(lr.consumer, sizeof(lr.consumer), "a\nb\033[31m\"c");
	ck_assert_int_ge(fx_request_lr(chipfd, &lr), 0);
	ck_assert_int_eq(fx.be->ops->line_info(fx.be, 17, &host), 0);
	ck_assert_str_eq(host.consumer, "t1:a?b?[31m\"c");
	/* the tenant sees its own label as it wrote it, as on a kernel chip */
	ck_assert_int_eq(fx_info(chipfd, 4, &li), 0);
	ck_assert_str_eq(li.consumer, lr.consumer);
}
END_TEST

/* The edge callback the core gave the backend, to play a host that numbers its events. */
static vgc_backend_edge_fn med_edge;
static void *med_edge_owner;

static int med_capture_request(struct vgc_backend *be, const uint32_t *offsets, unsigned int num,
			       const struct gpio_v2_line_config *cfg, const char *consumer,
			       vgc_backend_edge_fn edge, void *owner, struct vgc_breq **out)
{
	med_edge = edge;
	med_edge_owner = owner;
	return med_sim_ops->request(be, offsets, num, cfg, consumer, edge, owner, out);
}

/*
 * A host request whose own queue overflowed numbers the events it kept with
 * gaps: the tenant sees the host kernel's seqnos, not a renumbering that
 * would hide the loss, and its own offsets.
 */
START_TEST(med_host_seqnos_kept)
{
	static struct vgc_backend_ops capture;
	const uint32_t off = 4;
	const uint32_t seq[][2] = { { 1, 1 }, { 4, 4 }, { 9, 9 } };
	struct gpio_v2_line_event ev[4];
	int chipfd = fx_open(), fd;

	med_sim_ops = fx.be->ops;
	capture = *fx.be->ops;
	capture.request = med_capture_request;
	fx.be->ops = &capture;
	med_edge = NULL;
	fd = fx_request(chipfd, &off, 1, IN | GPIO_V2_LINE_FLAG_EDGE_RISING |
					 GPIO_V2_LINE_FLAG_EDGE_FALLING, "med");
	fx.be->ops = med_sim_ops;
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(med_edge);
	for (unsigned int i = 0; i < 3; i++)
		med_edge(med_edge_owner, 0, &(struct vgc_edge){
			.timestamp_ns = i + 1, .id = GPIO_V2_LINE_EVENT_RISING_EDGE,
			.seqno = seq[i][0], .line_seqno = seq[i][1] });
	ck_assert_int_eq(fx_read_events(fd, ev, 4), 3);
	for (unsigned int i = 0; i < 3; i++) {
		ck_assert_uint_eq(ev[i].seqno, seq[i][0]);
		ck_assert_uint_eq(ev[i].line_seqno, seq[i][1]);
		ck_assert_uint_eq(ev[i].offset, off);
	}
}
END_TEST

/* Opens are bounded: the daemon's memory is the host's. */
START_TEST(med_open_limit)
{
	static struct vgc_file *files[1100];
	unsigned int n = 0;
	struct vgc_file *f;

	while (n < sizeof(files) / sizeof(files[0]) && (f = vgc_uapi_open(fx.chip, 42)))
		files[n++] = f;
	ck_assert_uint_eq(n, 1024);
	ck_assert_ptr_null(vgc_uapi_open(fx.chip, 42));
	ck_assert_int_eq(errno, ENFILE);
	vgc_uapi_release(files[--n]);
	f = vgc_uapi_open(fx.chip, 42);
	ck_assert_ptr_nonnull(f);
	files[n++] = f;
	while (n)
		vgc_uapi_release(files[--n]);
}
END_TEST

Suite *vgc_test_mediation_suite(void)
{
	Suite *s = suite_create("mediation");
	TCase *tc = tcase_create("shapes");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, med_partial_claim_denied, 0,
			    sizeof(partial_denied) / sizeof(partial_denied[0]));
	tcase_add_test(tc, med_partial_claim_toggles);
	tcase_add_test(tc, med_partial_claim_releases);
	tcase_add_test(tc, med_as_is_output_toggles);
	tcase_add_test(tc, med_as_is_output_released);
	tcase_add_test(tc, med_release_many_kinds);
	tcase_add_test(tc, med_host_names_hidden);
	tcase_add_test(tc, med_label_sanitised_on_host);
	tcase_add_test(tc, med_open_limit);
	tcase_add_test(tc, med_host_seqnos_kept);
	suite_add_tcase(s, tc);
	return s;
}
