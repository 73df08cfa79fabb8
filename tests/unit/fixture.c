// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-test chip and a client's view of it. Files live in a small table
 * indexed by "fd" so a test reads like a client program; teardown closes
 * whatever a test left open, request files before chip files, as a dying
 * process would.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

struct fx_slot {
	struct vgc_file *f;
	pid_t pid;		/* the process that opened it, the caller of its ioctls */
	bool is_req;
	unsigned int ready;
};

const int fx_host[FX_NUM_LINES] = { 10, 11, 12, 13, 17, 27, -1, 20 };
struct fx_state fx;
static struct fx_slot fx_slots[FX_MAX_FILES];

static void fx_on_ready(struct vgc_file *f, void *file_ctx, void *data)
{
	struct fx_slot *slot = file_ctx;

	ck_assert_ptr_eq(data, &fx);
	/* a request may queue events before its file exists */
	if (slot) {
		ck_assert_ptr_eq(slot->f, f);
		slot->ready++;
	}
}

static void fx_on_audit(const struct vgc_audit *a, void *data)
{
	struct fx_audit *r;

	ck_assert_ptr_eq(data, &fx);
	if (fx.num_audit++ >= FX_MAX_AUDIT)
		return;
	r = &fx.audit[fx.num_audit - 1];
	r->event = a->event;
	r->result = a->result;
	snprintf(r->rule, sizeof(r->rule), "%s", a->why ? a->why->rule : "");
	r->num_lines = a->num_lines;
	r->offset = a->offsets[0];
	r->host = a->hosts[0];
	r->pid = a->pid;
}

static uint64_t fx_clock(void)
{
	return fx.clock_ns ? fx.clock_ns : fx_now_ns(CLOCK_MONOTONIC);
}

void fx_setup(void)
{
	char err[128] = "";
	struct vgc_chip_config cfg = {
		.tenant = FX_TENANT,
		.name = FX_NAME,
		.label = FX_LABEL,
		.ready = fx_on_ready,
		.ready_data = &fx,
		.audit = fx_on_audit,
		.audit_data = &fx,
		.now_ns = fx_clock,
	};

	memset(fx_slots, 0, sizeof(fx_slots));
	fx.be = vgc_backend_sim_open(FX_HOST_LINES);
	ck_assert_msg(fx.be, "sim backend: %s", strerror(errno));
	fx.map = vgc_policy_map_parse(FX_MAP, err, sizeof(err));
	ck_assert_msg(fx.map, "map: %s", err);
	cfg.map = fx.map;
	fx.chip = vgc_chip_new(&cfg, fx.be);
	ck_assert_msg(fx.chip, "chip: %s", strerror(errno));
}

void fx_teardown(void)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < FX_MAX_FILES; i++) {
			if (!fx_slots[i].f || fx_slots[i].is_req != (pass == 0))
				continue;
			vgc_uapi_release(fx_slots[i].f);
			fx_slots[i].f = NULL;
		}
	}
	vgc_chip_free(fx.chip);
	fx.be->ops->close(fx.be);
	vgc_policy_map_free(fx.map);
	memset(&fx, 0, sizeof(fx));
}

static int fx_slot_add(struct vgc_file *f, pid_t pid, bool is_req)
{
	for (int i = 0; i < FX_MAX_FILES; i++) {
		if (fx_slots[i].f)
			continue;
		fx_slots[i] = (struct fx_slot){ .f = f, .pid = pid, .is_req = is_req };
		vgc_uapi_set_ctx(f, &fx_slots[i]);
		return i;
	}
	ck_abort_msg("fixture: more than %d files open", FX_MAX_FILES);
	return -1;
}

static struct fx_slot *fx_slot(int fd)
{
	ck_assert_msg(fd >= 0 && fd < FX_MAX_FILES && fx_slots[fd].f, "fixture: fd %d not open",
		      fd);
	return &fx_slots[fd];
}

int fx_open_as(pid_t pid)
{
	struct vgc_file *f = vgc_uapi_open(fx.chip, pid);

	ck_assert_msg(f, "vgc_uapi_open: %s", strerror(errno));
	return fx_slot_add(f, pid, false);
}

int fx_open(void)
{
	return fx_open_as(getpid());
}

void fx_close(int fd)
{
	struct fx_slot *slot = fx_slot(fd);

	vgc_uapi_release(slot->f);
	slot->f = NULL;
}

struct vgc_file *fx_file(int fd)
{
	return fx_slot(fd)->f;
}

unsigned int fx_ready(int fd)
{
	return fx_slot(fd)->ready;
}

int fx_ioctl_raw(int fd, unsigned int cmd, void *arg, struct vgc_req **req)
{
	size_t size = vgc_uapi_ioctl_size(cmd);
	unsigned char in[1024], out[1024];
	size_t out_len = size;
	int ret;

	ck_assert_uint_le(size, sizeof(in));
	memset(out, 0xa5, sizeof(out));
	if (size)
		memcpy(in, arg, size);
	*req = NULL;
	ret = vgc_uapi_ioctl(fx_file(fd), fx.caller ? fx.caller : fx_slot(fd)->pid, cmd,
			     size ? in : NULL, size, size ? out : NULL, &out_len, req);
	if (ret == 0) {
		ck_assert_uint_le(out_len, size);
		memcpy(arg, out, out_len);
	} else {
		ck_assert_msg(!*req, "ioctl %#x failed with %d but returned a request", cmd, ret);
	}
	return ret;
}

int fx_ioctl(int fd, unsigned int cmd, void *arg)
{
	struct vgc_req *req;
	struct vgc_file *f;
	int ret = fx_ioctl_raw(fd, cmd, arg, &req);
	int32_t newfd;

	if (ret || !req)
		return ret;
	f = vgc_uapi_open_req(req, getpid());
	ck_assert_msg(f, "vgc_uapi_open_req: %s", strerror(errno));
	newfd = fx_slot_add(f, getpid(), true);
	ck_assert_uint_ne(vgc_uapi_fd_offset(cmd), (size_t)-1);
	memcpy((char *)arg + vgc_uapi_fd_offset(cmd), &newfd, sizeof(newfd));
	return 0;
}

ssize_t fx_read(int fd, void *buf, size_t count)
{
	return vgc_uapi_read(fx_file(fd), buf, count);
}

unsigned int fx_poll(int fd)
{
	return vgc_uapi_poll(fx_file(fd));
}

int fx_request_lr(int chipfd, struct gpio_v2_line_request *lr)
{
	int ret = fx_ioctl(chipfd, GPIO_V2_GET_LINE_IOCTL, lr);

	return ret ? ret : lr->fd;
}

int fx_request(int chipfd, const uint32_t *offsets, unsigned int num, uint64_t flags,
	       const char *consumer)
{
	struct gpio_v2_line_request lr;

	memset(&lr, 0, sizeof(lr));
	ck_assert_uint_le(num, GPIO_V2_LINES_MAX);
	memcpy(lr.offsets, offsets, num * sizeof(*offsets));
	lr.num_lines = num;
	lr.config.flags = flags;
	snprintf(lr.consumer, sizeof(lr.consumer), "%s", consumer ? consumer : "");
	return fx_request_lr(chipfd, &lr);
}

int fx_info(int chipfd, uint32_t offset, struct gpio_v2_line_info *info)
{
	memset(info, 0, sizeof(*info));
	info->offset = offset;
	return fx_ioctl(chipfd, GPIO_V2_GET_LINEINFO_IOCTL, info);
}

int64_t fx_get(int reqfd, uint64_t mask)
{
	struct gpio_v2_line_values lv = { .mask = mask };
	int ret = fx_ioctl(reqfd, GPIO_V2_LINE_GET_VALUES_IOCTL, &lv);

	return ret ? ret : (int64_t)lv.bits;
}

int fx_set(int reqfd, uint64_t mask, uint64_t bits)
{
	struct gpio_v2_line_values lv = { .mask = mask, .bits = bits };

	return fx_ioctl(reqfd, GPIO_V2_LINE_SET_VALUES_IOCTL, &lv);
}

void fx_settle(void)
{
	int pfd = fx.be->ops->poll_fd ? fx.be->ops->poll_fd(fx.be) : -1;

	/* bounded: a backend that stays readable is a bug, not a hang */
	for (int i = 0; pfd >= 0 && i < 1000; i++) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };

		if (poll(&p, 1, 0) <= 0)
			return;
		fx.be->ops->dispatch(fx.be);
	}
}

void fx_pull(uint32_t host, int level)
{
	int ret = vgc_sim_pull(fx.be, host, level);

	ck_assert_msg(ret == 0, "vgc_sim_pull(%u, %d): %d", host, level, ret);
	fx_settle();
}

int fx_level(uint32_t host)
{
	return vgc_sim_level(fx.be, host);
}

uint64_t fx_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

bool fx_wait(bool (*cond)(void *arg), void *arg, int timeout_ms)
{
	uint64_t deadline = fx_now_ns(CLOCK_MONOTONIC) + (uint64_t)timeout_ms * 1000000ULL;

	for (;;) {
		int pfd = fx.be->ops->poll_fd ? fx.be->ops->poll_fd(fx.be) : -1;
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		uint64_t now;

		fx_settle();
		if (cond(arg))
			return true;
		now = fx_now_ns(CLOCK_MONOTONIC);
		/* without an fd nothing can happen later on its own */
		if (pfd < 0 || now >= deadline)
			return false;
		if (poll(&p, 1, (int)((deadline - now) / 1000000ULL) + 1) > 0)
			fx.be->ops->dispatch(fx.be);
	}
}

static bool fx_cond_readable(void *arg)
{
	return fx_poll(*(int *)arg) & POLLIN;
}

bool fx_wait_readable(int fd, int timeout_ms)
{
	return fx_wait(fx_cond_readable, &fd, timeout_ms);
}

void fx_toggle(uint32_t virt, unsigned int n)
{
	ck_assert_uint_lt(virt, FX_NUM_LINES);
	ck_assert_int_ge(fx_host[virt], 0);
	for (unsigned int i = 0; i < n; i++)
		fx_pull((uint32_t)fx_host[virt], !fx_level((uint32_t)fx_host[virt]));
}

static int fx_read_records(int fd, void *buf, size_t rec_size, unsigned int max)
{
	ssize_t n = fx_read(fd, buf, rec_size * max);

	if (n < 0)
		return (int)n;
	ck_assert_msg(n % (ssize_t)rec_size == 0, "read %zd bytes, not whole %zu-byte records", n,
		      rec_size);
	return (int)(n / (ssize_t)rec_size);
}

int fx_read_events(int reqfd, struct gpio_v2_line_event *ev, unsigned int max)
{
	return fx_read_records(reqfd, ev, sizeof(*ev), max);
}

int fx_read_changed(int chipfd, struct gpio_v2_line_info_changed *chg, unsigned int max)
{
	return fx_read_records(chipfd, chg, sizeof(*chg), max);
}

void fx_rules_install(uint32_t virt, const struct vgc_rules *r)
{
	struct vgc_rules rules[FX_NUM_LINES];

	for (unsigned int i = 0; i < fx.map->num; i++)
		rules[i] = fx.map->entries[i].virt == virt ? *r : vgc_rules_default;
	ck_assert_int_eq(vgc_chip_update(fx.chip, fx.map, rules, 0), 0);
}

struct vgc_line_status fx_line_status(uint32_t virt)
{
	struct vgc_line_status st;

	ck_assert_int_eq(vgc_chip_line_status(fx.chip, virt, &st), 0);
	return st;
}
