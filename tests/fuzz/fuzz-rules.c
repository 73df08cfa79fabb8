// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the host owner's rules against any request shape. The
 * input chooses random rules for each line of a tenant (read-only,
 * directions, bias, drive, toggle rate, release state), then requests (v2
 * and v1, any lines including holes, out-of-range offsets and repeats, any
 * flags, "as is"), value sets, reconfigurations, releases, host pulls and
 * clock steps, and at the end the chip goes away.
 *
 * The oracle does not ask the core what it decided: it watches the host.
 * Every backend call is recorded through a wrapper around the sim backend,
 * and after every call and every operation these must hold:
 *   - no host line outside the map is ever requested;
 *   - a read-only or input-only line is never an output on the host;
 *   - the driven level of a line with max-toggle-hz changes at most 4 * hz
 *     times in any second: the bucket lets at most 2 * hz toggles through
 *     in a second (it holds hz and refills hz per second), and each toggle
 *     can be followed by at most one change to the release state;
 *   - a line the tenant does not hold is in its release state (low or high:
 *     an output at that level; input: not an output) once it was ever an
 *     output: after a release, a partial claim, or the chip going away.
 *
 * FUZZ_RULES_TRACE=1 prints the operations as decoded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/linecfg.h"
#include "../../uapi/uapi.h"
#include "check.h"
#include "uapi-ops.h"

#define FR_HOST_LINES 16
#define FR_VIRT_LINES 9			/* 8 is beyond the chip's 8 lines */
#define FR_MAP "0:3,1:5,2:6,3:8,4:9,5:11,7:14"	/* 6 is a hole */
#define FR_MAX_REQS 8
#define FR_MAX_BREQS 32
#define FR_SEC 1000000000ull

#define FR_CHECK(cond, ...) FUZZ_CHECK("fuzz-rules", cond, __VA_ARGS__)

enum fr_op { FR_REQ_V2, FR_REQ_V1, FR_SET, FR_CONFIG, FR_RELEASE, FR_CLOCK, FR_PULL, FR_NUM_OPS };

/* What the host owner allows, per host line (-1: not in the map). */
struct fr_host {
	int virt;
	const struct vgc_rules *rules;
	bool ever_out;
	int last_level;			/* driven level last seen; -1 none */
	uint64_t changes[32];		/* times of the last level changes */
	unsigned int num_changes;
};

struct fr_req {
	struct vgc_file *f;
	bool v1;
	unsigned int num;
	uint32_t virt[GPIO_V2_LINES_MAX];
};

struct fr_breq {
	struct vgc_breq *br;
	unsigned int num;
	uint32_t host[GPIO_V2_LINES_MAX];
};

static struct {
	struct vgc_backend *be;
	const struct vgc_backend_ops *sim_ops;
	struct vgc_backend_ops ops;
	struct vgc_map *map;
	struct vgc_rules rules[8];
	struct vgc_chip *chip;
	struct vgc_file *chipf;
	struct fr_host host[FR_HOST_LINES];
	struct fr_req reqs[FR_MAX_REQS];
	struct fr_breq breqs[FR_MAX_BREQS];
	uint64_t now;
	bool trace;
} fr;

#define fr_trace(...)                                                              \
	do {                                                                       \
		if (fr.trace)                                                      \
			fprintf(stderr, __VA_ARGS__);                              \
	} while (0)

static uint64_t fr_clock(void)
{
	return fr.now;
}

/* The sim's own helpers know it by its ops: lend them back for the call. */
static int fr_level(uint32_t h)
{
	int level;

	fr.be->ops = fr.sim_ops;
	level = vgc_sim_level(fr.be, h);
	fr.be->ops = &fr.ops;
	FR_CHECK(level == 0 || level == 1, "host line %u: level %d", h, level);
	return level;
}

static void fr_pull(uint32_t h, int level)
{
	fr.be->ops = fr.sim_ops;
	vgc_sim_pull(fr.be, h, level);
	fr.sim_ops->dispatch(fr.be);
	fr.be->ops = &fr.ops;
}

/* One host line after a backend call: the per-call invariants. */
static void fr_observe(uint32_t h)
{
	struct fr_host *hl = &fr.host[h];
	struct gpio_v2_line_info info;
	int level;

	FR_CHECK(!fr.sim_ops->line_info(fr.be, h, &info), "line_info %u", h);
	if (!(info.flags & GPIO_V2_LINE_FLAG_OUTPUT))
		return;
	FR_CHECK(hl->virt >= 0, "host line %u, outside the map, is an output", h);
	FR_CHECK(!hl->rules->read_only, "read-only line %d (host %u) is an output", hl->virt, h);
	FR_CHECK(hl->rules->directions & VGC_RULE_DIR_OUTPUT,
		 "input-only line %d (host %u) is an output", hl->virt, h);
	hl->ever_out = true;
	level = fr_level(h);
	if (level == hl->last_level)
		return;
	hl->last_level = level;
	if (!hl->rules->max_toggle_hz)
		return;
	{
		uint32_t hz = hl->rules->max_toggle_hz;
		unsigned int in_window = 1;

		for (unsigned int i = 0; i < hl->num_changes && i < 32; i++)
			if (hl->changes[i] + FR_SEC > fr.now)
				in_window++;
		FR_CHECK(in_window <= 4 * hz,
			 "line %d (host %u): %u level changes within a second, rule %u Hz",
			 hl->virt, h, in_window, hz);
		hl->changes[hl->num_changes++ % 32] = fr.now;
	}
}

static struct fr_breq *fr_breq_of(struct vgc_breq *br)
{
	for (unsigned int i = 0; i < FR_MAX_BREQS; i++)
		if (fr.breqs[i].br == br)
			return &fr.breqs[i];
	return NULL;
}

static void fr_observe_breq(const struct fr_breq *b)
{
	for (unsigned int i = 0; b && i < b->num; i++)
		fr_observe(b->host[i]);
}

/* --- the recording backend: the sim's ops, each call observed --- */

static int fr_be_request(struct vgc_backend *be, const uint32_t *offsets, unsigned int num,
			 const struct gpio_v2_line_config *cfg, const char *consumer,
			 vgc_backend_edge_fn edge, void *owner, struct vgc_breq **out)
{
	struct fr_breq *slot = fr_breq_of(NULL);
	int ret;

	for (unsigned int i = 0; i < num; i++)
		FR_CHECK(offsets[i] < FR_HOST_LINES && fr.host[offsets[i]].virt >= 0,
			 "host line %u outside the map requested", offsets[i]);
	FR_CHECK(slot, "more than %d backend requests", FR_MAX_BREQS);
	ret = fr.sim_ops->request(be, offsets, num, cfg, consumer, edge, owner, out);
	if (ret)
		return ret;
	slot->br = *out;
	slot->num = num;
	memcpy(slot->host, offsets, num * sizeof(*offsets));
	fr_observe_breq(slot);
	return 0;
}

static void fr_be_release(struct vgc_breq *br)
{
	struct fr_breq *b = fr_breq_of(br);

	fr.sim_ops->release(br);
	fr_observe_breq(b);
	if (b)
		memset(b, 0, sizeof(*b));
}

static int fr_be_set_values(struct vgc_breq *br, uint64_t mask, uint64_t bits)
{
	int ret = fr.sim_ops->set_values(br, mask, bits);

	fr_observe_breq(fr_breq_of(br));
	return ret;
}

static int fr_be_set_config(struct vgc_breq *br, const struct gpio_v2_line_config *cfg)
{
	int ret = fr.sim_ops->set_config(br, cfg);

	fr_observe_breq(fr_breq_of(br));
	return ret;
}

/* --- the per-operation invariant --- */

static bool fr_held(int virt)
{
	for (unsigned int i = 0; i < FR_MAX_REQS; i++)
		for (unsigned int j = 0; fr.reqs[i].f && j < fr.reqs[i].num; j++)
			if ((int)fr.reqs[i].virt[j] == virt)
				return true;
	return false;
}

static void fr_check_released(void)
{
	for (uint32_t h = 0; h < FR_HOST_LINES; h++) {
		const struct fr_host *hl = &fr.host[h];
		struct gpio_v2_line_info info;
		bool out;

		if (hl->virt < 0 || !hl->ever_out || fr_held(hl->virt))
			continue;
		FR_CHECK(!fr.sim_ops->line_info(fr.be, h, &info), "line_info %u", h);
		out = info.flags & GPIO_V2_LINE_FLAG_OUTPUT;
		switch (hl->rules->release) {
		case VGC_RELEASE_INPUT:
			FR_CHECK(!out, "line %d (host %u) free but still an output, release = input",
				 hl->virt, h);
			break;
		case VGC_RELEASE_LOW:
		case VGC_RELEASE_HIGH:
			/* an output let go is at its state; one made an input first is not driven */
			FR_CHECK(!out || fr_level(h) == (hl->rules->release == VGC_RELEASE_HIGH),
				 "line %d (host %u) free at level %d, release = %s", hl->virt, h,
				 fr_level(h), vgc_rules_release_name(hl->rules->release));
			break;
		default:
			break;
		}
	}
}

/* --- set-up: random rules --- */

static void fr_setup(struct fz_input *in)
{
	static const unsigned int dirs[4] = { VGC_RULE_DIR_ALL, VGC_RULE_DIR_INPUT,
					      VGC_RULE_DIR_OUTPUT, VGC_RULE_DIR_ALL };
	char err[128];
	struct vgc_chip_config cfg = {
		.tenant = "t", .name = "gpiochip0", .label = "fuzz", .now_ns = fr_clock,
	};

	memset(&fr, 0, sizeof(fr));
	fr.trace = getenv("FUZZ_RULES_TRACE") != NULL;
	fr.now = 1000 * FR_SEC;
	fr.be = vgc_backend_sim_open(FR_HOST_LINES);
	FR_CHECK(fr.be, "sim: %s", strerror(errno));
	fr.sim_ops = fr.be->ops;
	fr.ops = *fr.sim_ops;
	fr.ops.request = fr_be_request;
	fr.ops.release = fr_be_release;
	fr.ops.set_values = fr_be_set_values;
	fr.ops.set_config = fr_be_set_config;
	fr.be->ops = &fr.ops;
	fr.map = vgc_policy_map_parse(FR_MAP, err, sizeof(err));
	FR_CHECK(fr.map, "map: %s", err);
	for (uint32_t h = 0; h < FR_HOST_LINES; h++) {
		fr.host[h].virt = -1;
		fr.host[h].last_level = -1;
	}
	for (unsigned int i = 0; i < fr.map->num; i++) {
		struct vgc_rules *r = &fr.rules[i];
		uint8_t a = in_u8(in), b = in_u8(in), c = in_u8(in);

		*r = vgc_rules_default;
		r->read_only = (a & 7) == 1;
		r->directions = dirs[(a >> 1) & 3];
		r->edges = !(a & 8);
		r->active_low = !(a & 16);
		r->release = (enum vgc_release)((a >> 5) & 3);
		r->max_toggle_hz = b & 3 ? b & 7 : 0;
		r->bias = c & 0xf ? c & 0xf : VGC_RULE_BIAS_ALL;
		r->drive = (c >> 4) & 7 ? (c >> 4) & 7 : VGC_RULE_DRIVE_ALL;
		fr.host[fr.map->entries[i].host].virt = (int)fr.map->entries[i].virt;
		fr.host[fr.map->entries[i].host].rules = r;
		fr_trace("line %u: ro %d dirs %u hz %u release %d bias %#x drive %#x\n",
			 fr.map->entries[i].virt, r->read_only, r->directions, r->max_toggle_hz,
			 r->release, r->bias, r->drive);
	}
	cfg.map = fr.map;
	cfg.rules = fr.rules;
	fr.chip = vgc_chip_new(&cfg, fr.be);
	FR_CHECK(fr.chip, "chip: %s", strerror(errno));
	fr.chipf = vgc_uapi_open(fr.chip, 1);
	FR_CHECK(fr.chipf, "open: %s", strerror(errno));
}

/* --- the tenant's operations --- */

/* Flags a tenant would try, as-is and malformed ones among them. */
static const uint64_t fr_flags[] = {
	0,
	GPIO_V2_LINE_FLAG_INPUT,
	GPIO_V2_LINE_FLAG_OUTPUT,
	GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW,
	GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_OPEN_DRAIN,
	GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_OPEN_SOURCE | GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
	GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN,
	GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_BIAS_DISABLED | GPIO_V2_LINE_FLAG_ACTIVE_LOW,
	GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
	GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING,
	GPIO_V2_LINE_FLAG_ACTIVE_LOW,
	GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
	GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_OUTPUT,
};
#define FR_NUM_FLAGS (sizeof(fr_flags) / sizeof(fr_flags[0]))

static const uint32_t fr_v1_flags[] = {
	0,
	GPIOHANDLE_REQUEST_INPUT,
	GPIOHANDLE_REQUEST_OUTPUT,
	GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_ACTIVE_LOW,
	GPIOHANDLE_REQUEST_OUTPUT | GPIOHANDLE_REQUEST_OPEN_DRAIN,
	GPIOHANDLE_REQUEST_INPUT | GPIOHANDLE_REQUEST_BIAS_PULL_DOWN,
	GPIOHANDLE_REQUEST_ACTIVE_LOW,
};
#define FR_NUM_V1_FLAGS (sizeof(fr_v1_flags) / sizeof(fr_v1_flags[0]))

static uint64_t fr_flags_from(struct fz_input *in)
{
	uint8_t b = in_u8(in);

	return b < 0xf0 ? fr_flags[b % FR_NUM_FLAGS] : in_uint(in, 8);
}

static void fr_config_from(struct fz_input *in, struct gpio_v2_line_config *lc)
{
	uint8_t mode;

	memset(lc, 0, sizeof(*lc));
	lc->flags = fr_flags_from(in);
	mode = in_u8(in);
	if (mode & 2) {
		struct gpio_v2_line_config_attribute *a = &lc->attrs[lc->num_attrs++];

		a->attr.id = GPIO_V2_LINE_ATTR_ID_FLAGS;
		a->attr.flags = fr_flags_from(in);
		a->mask = in_u8(in);
	}
	if (mode & 1) {
		struct gpio_v2_line_config_attribute *a = &lc->attrs[lc->num_attrs++];

		a->attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
		a->attr.values = in_u8(in);
		a->mask = mode & 4 ? in_u8(in) : ~0ull;
	}
}

/* A new request's file, kept in a free slot, or let go at once without one. */
static void fr_keep(struct vgc_req *req, bool v1, unsigned int num, const uint32_t *virt)
{
	for (unsigned int i = 0; i < FR_MAX_REQS; i++) {
		struct fr_req *r = &fr.reqs[i];

		if (r->f)
			continue;
		r->f = vgc_uapi_open_req(req, 1);
		FR_CHECK(r->f, "open_req: %s", strerror(errno));
		r->v1 = v1;
		r->num = num;
		memcpy(r->virt, virt, num * sizeof(*virt));
		fr_trace("  -> slot %u\n", i);
		return;
	}
	vgc_uapi_req_free(req);
}

static void fr_op_req_v2(struct fz_input *in)
{
	struct gpio_v2_line_request lr, out;
	struct vgc_req *req = NULL;
	size_t out_len = sizeof(out);
	int ret;

	memset(&lr, 0, sizeof(lr));
	lr.num_lines = in_u8(in) % 4 + 1;
	for (unsigned int i = 0; i < lr.num_lines; i++)
		lr.offsets[i] = in_u8(in) % FR_VIRT_LINES;
	fr_config_from(in, &lr.config);
	snprintf(lr.consumer, sizeof(lr.consumer), "fz");
	ret = vgc_uapi_ioctl(fr.chipf, 1, GPIO_V2_GET_LINE_IOCTL, &lr, sizeof(lr), &out, &out_len,
			     &req);
	fr_trace("req v2 %u lines [%u %u %u %u] flags %#llx attrs %u -> %d\n", lr.num_lines,
		 lr.offsets[0], lr.offsets[1], lr.offsets[2], lr.offsets[3],
		 (unsigned long long)lr.config.flags, lr.config.num_attrs, ret);
	if (!ret && req)
		fr_keep(req, false, lr.num_lines, lr.offsets);
}

static void fr_op_req_v1(struct fz_input *in)
{
	struct gpiohandle_request hr, out;
	struct vgc_req *req = NULL;
	size_t out_len = sizeof(out);
	uint8_t values;
	int ret;

	memset(&hr, 0, sizeof(hr));
	hr.lines = in_u8(in) % 4 + 1;
	for (unsigned int i = 0; i < hr.lines; i++)
		hr.lineoffsets[i] = in_u8(in) % FR_VIRT_LINES;
	hr.flags = fr_v1_flags[in_u8(in) % FR_NUM_V1_FLAGS];
	values = in_u8(in);
	for (unsigned int i = 0; i < hr.lines; i++)
		hr.default_values[i] = (values >> i) & 1;
	snprintf(hr.consumer_label, sizeof(hr.consumer_label), "fz1");
	ret = vgc_uapi_ioctl(fr.chipf, 1, GPIO_GET_LINEHANDLE_IOCTL, &hr, sizeof(hr), &out, &out_len,
			     &req);
	fr_trace("req v1 %u lines [%u %u %u %u] flags %#x values %#x -> %d\n", hr.lines,
		 hr.lineoffsets[0], hr.lineoffsets[1], hr.lineoffsets[2], hr.lineoffsets[3],
		 hr.flags, values, ret);
	if (!ret && req)
		fr_keep(req, true, hr.lines, hr.lineoffsets);
}

static struct fr_req *fr_req_at(struct fz_input *in)
{
	struct fr_req *r = &fr.reqs[in_u8(in) % FR_MAX_REQS];

	return r->f ? r : NULL;
}

static int fr_req_ioctl(struct fr_req *r, unsigned int cmd, const void *arg, size_t size)
{
	unsigned char out[sizeof(struct gpio_v2_line_request)];
	struct vgc_req *none;
	size_t out_len = size;

	return vgc_uapi_ioctl(r->f, 1, cmd, arg, size, out, &out_len, &none);
}

static void fr_op_set(struct fz_input *in)
{
	struct fr_req *r = fr_req_at(in);
	uint8_t mask = in_u8(in), bits = in_u8(in);
	int ret;

	if (!r)
		return;
	if (r->v1) {
		struct gpiohandle_data hd;

		memset(&hd, 0, sizeof(hd));
		for (unsigned int i = 0; i < 8; i++)
			hd.values[i] = (bits >> i) & 1;
		ret = fr_req_ioctl(r, GPIOHANDLE_SET_LINE_VALUES_IOCTL, &hd, sizeof(hd));
	} else {
		struct gpio_v2_line_values lv = { .mask = mask, .bits = bits };

		ret = fr_req_ioctl(r, GPIO_V2_LINE_SET_VALUES_IOCTL, &lv, sizeof(lv));
	}
	fr_trace("set mask %#x bits %#x -> %d\n", mask, bits, ret);
}

static void fr_op_config(struct fz_input *in)
{
	struct fr_req *r = fr_req_at(in);
	int ret;

	if (r && r->v1) {
		struct gpiohandle_config hc;
		uint8_t values;

		memset(&hc, 0, sizeof(hc));
		hc.flags = fr_v1_flags[in_u8(in) % FR_NUM_V1_FLAGS];
		values = in_u8(in);
		for (unsigned int i = 0; i < 8; i++)
			hc.default_values[i] = (values >> i) & 1;
		ret = fr_req_ioctl(r, GPIOHANDLE_SET_CONFIG_IOCTL, &hc, sizeof(hc));
		fr_trace("config v1 flags %#x values %#x -> %d\n", hc.flags, values, ret);
	} else if (r) {
		struct gpio_v2_line_config lc;

		fr_config_from(in, &lc);
		ret = fr_req_ioctl(r, GPIO_V2_LINE_SET_CONFIG_IOCTL, &lc, sizeof(lc));
		fr_trace("config flags %#llx attrs %u -> %d\n", (unsigned long long)lc.flags,
			 lc.num_attrs, ret);
	}
}

static void fr_op_release(struct fz_input *in)
{
	struct fr_req *r = fr_req_at(in);

	if (!r)
		return;
	fr_trace("release\n");
	vgc_uapi_release(r->f);
	memset(r, 0, sizeof(*r));
}

static void fr_op_clock(struct fz_input *in)
{
	uint8_t b = in_u8(in);

	/* up to a second in 5 ms steps, or whole seconds */
	fr.now += b < 200 ? b * 5000000ull : (b - 199) * FR_SEC;
	fr_trace("clock +%u\n", b);
}

static void fr_op_pull(struct fz_input *in)
{
	uint32_t h = in_u8(in) % FR_HOST_LINES;
	int level = in_u8(in) % 3 - 1;

	fr_pull(h, level);
	fr_trace("pull %u %d\n", h, level);
}

static void fr_teardown(void)
{
	/* the daemon stops: every held line goes to its release state */
	vgc_chip_gone(fr.chip);
	for (unsigned int i = 0; i < FR_MAX_REQS; i++) {
		if (fr.reqs[i].f)
			vgc_uapi_release(fr.reqs[i].f);
		memset(&fr.reqs[i], 0, sizeof(fr.reqs[i]));
	}
	fr_check_released();
	vgc_uapi_release(fr.chipf);
	vgc_chip_free(fr.chip);
	fr.be->ops = fr.sim_ops;
	fr.be->ops->close(fr.be);
	vgc_policy_map_free(fr.map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_input in = { .p = data, .n = size };
	unsigned int ops = 0;

	fr_setup(&in);
	while (in.n && ops++ < FZ_MAX_OPS) {
		switch (in_u8(&in) % FR_NUM_OPS) {
		case FR_REQ_V2:
			fr_op_req_v2(&in);
			break;
		case FR_REQ_V1:
			fr_op_req_v1(&in);
			break;
		case FR_SET:
			fr_op_set(&in);
			break;
		case FR_CONFIG:
			fr_op_config(&in);
			break;
		case FR_RELEASE:
			fr_op_release(&in);
			break;
		case FR_CLOCK:
			fr_op_clock(&in);
			break;
		default:
			fr_op_pull(&in);
			break;
		}
		fr_check_released();
	}
	fr_teardown();
	return 0;
}
