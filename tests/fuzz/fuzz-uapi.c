// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the uapi core: each input is a sequence of what
 * tenants can do to the device (opens, ioctls with any command and any
 * bytes, reads of any size, polls, closes in any order) interleaved with
 * edges on the host pins, decoded as uapi-ops.h describes. Two tenants share
 * one simulated backend, and one host line is in both maps. After every
 * operation the host's lines are checked against what we hold; at the end
 * everything is closed and every line must be requestable again.
 *
 * FUZZ_UAPI_TRACE=1 in the environment prints each operation as decoded,
 * to turn a crash file into a readable reproducer.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "uapi-model.h"

struct fz_setup_maps {
	const char *map[FZ_NUM_CHIPS];
	unsigned int num_lines[FZ_NUM_CHIPS];
};

/* Tenant B's line 0 is always on a host line of tenant A's too. */
static const struct fz_setup_maps fz_setups[FZ_NUM_SETUPS] = {
	[FZ_SETUP_SMALL] = { .map = { "0:10,1:11,2:12,3:13,4:17=LED,5:27=BTN,7:20",
				      "0:12,1:40,2:41=B2" } },
	[FZ_SETUP_WIDE] = { .map = { "0:10,1:11,2:12,3:13,4:17=LED,5:27=BTN,7:20",
				     "0:12,1:40,2:41=B2" },
			    .num_lines = { 70, 0 } },
	[FZ_SETUP_64] = { .map = { "0-63:0-63", "0:12,1:64,2:65" } },
	[FZ_SETUP_SPARSE] = { .map = { "63:5,64:6,1023:7=LAST", "0:5,1:70" } },
};
static const char *const fz_tenants[FZ_NUM_CHIPS] = { "tA", "tB" };

struct fz_state fz;

static void fz_on_ready(struct vgc_file *f, void *file_ctx, void *data)
{
	struct fz_slot *s = file_ctx;

	FZ_CHECK(data == &fz, "ready callback with foreign data");
	/* every file gets its context right after its open */
	FZ_CHECK(s && s->f == f, "ready callback for a file that is not open");
	s->ready++;
}

static int fz_slot_add(struct vgc_file *f, unsigned int client, unsigned int chip, int req)
{
	for (int i = 0; i < FZ_MAX_FILES; i++) {
		if (fz.slots[i].f)
			continue;
		fz.slots[i] = (struct fz_slot){ .f = f, .client = client, .chip = chip, .req = req };
		vgc_uapi_set_ctx(f, &fz.slots[i]);
		return i;
	}
	return -1;
}

struct fz_slot *fz_slot_at(uint8_t b)
{
	struct fz_slot *s = &fz.slots[b % FZ_MAX_FILES];

	return s->f ? s : NULL;
}

static void op_open(struct fz_input *in)
{
	unsigned int client = in_u8(in) % FZ_MAX_CLIENTS;
	unsigned int chip = client == FZ_MAX_CLIENTS - 1;
	struct vgc_file *f = vgc_uapi_open(fz.chips[chip].chip, 1000 + client);
	int slot;

	FZ_CHECK(f, "open failed: %s", strerror(errno));
	slot = fz_slot_add(f, client, chip, -1);
	if (slot < 0)
		vgc_uapi_release(f);
	fz_trace("open client %u -> slot %d\n", client, slot);
}

/* The request at index b if it waits for its file. */
struct fz_req *fz_pending_at(uint8_t b)
{
	struct fz_req *r = &fz.reqs[b % FZ_MAX_REQS];

	return r->live && r->slot < 0 ? r : NULL;
}

void fz_req_open(struct fz_req *r, unsigned int client)
{
	struct vgc_file *f = vgc_uapi_open_req(r->vreq, 1000 + client);
	int slot;

	FZ_CHECK(f, "open of a new request failed: %s", strerror(errno));
	slot = fz_slot_add(f, client, r->chip, (int)(r - fz.reqs));
	if (slot < 0) {
		/* no room: as a front end whose injection failed after the open */
		vgc_uapi_release(f);
		r->live = false;
	} else {
		r->slot = slot;
		r->vreq = NULL;
	}
	fz_trace("  request %d -> slot %d\n", (int)(r - fz.reqs), slot);
}

void fz_req_free(struct fz_req *r)
{
	vgc_uapi_req_free(r->vreq);
	r->vreq = NULL;
	r->live = false;
}

static void op_open_req(struct fz_input *in)
{
	struct fz_req *r = fz_pending_at(in_u8(in));
	unsigned int client = in_u8(in) % FZ_MAX_CLIENTS;

	fz_trace("open_req %d client %u\n", r ? (int)(r - fz.reqs) : -1, client);
	if (r)
		fz_req_open(r, client);
}

static void op_req_free(struct fz_input *in)
{
	struct fz_req *r = fz_pending_at(in_u8(in));

	fz_trace("req_free %d\n", r ? (int)(r - fz.reqs) : -1);
	if (r)
		fz_req_free(r);
}


static void op_read(struct fz_input *in)
{
	struct fz_slot *s = fz_slot_at(in_u8(in));
	size_t count = in_uint(in, 2);
	unsigned int mask;
	unsigned char *buf;
	ssize_t n;

	fz_trace("read slot %ld count %zu\n", s ? (long)(s - fz.slots) : -1L, count);
	if (!s)
		return;
	mask = vgc_uapi_poll(s->f);
	/* exactly the count, so a write past it is caught */
	buf = count ? malloc(count) : NULL;
	FZ_CHECK(!count || buf, "malloc");
	n = vgc_uapi_read(s->f, buf, count);
	fz_trace("  poll 0x%x, read %zd\n", mask, n);
	if (n > 0) {
		FZ_CHECK((size_t)n <= count, "read %zd into %zu bytes", n, count);
		FZ_CHECK(mask & POLLIN, "read %zd bytes though poll said 0x%x", n, mask);
		fz_model_check_records(s, buf, (size_t)n);
	} else {
		FZ_CHECK(n == -EAGAIN || n == -EINVAL, "read: %zd is not an errno of read", n);
		/* a readable request file with room for a record gives one */
		if (n == -EAGAIN)
			FZ_CHECK(!(mask & POLLIN) || !count,
				 "poll said readable (0x%x), read said EAGAIN", mask);
	}
	free(buf);
}

static void op_poll(struct fz_input *in)
{
	struct fz_slot *s = fz_slot_at(in_u8(in));
	unsigned int mask;

	if (!s)
		return;
	mask = vgc_uapi_poll(s->f);
	fz_trace("poll slot %ld: 0x%x\n", (long)(s - fz.slots), mask);
	FZ_CHECK(!(mask & ~(unsigned int)(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM)),
		 "poll mask 0x%x", mask);
}

static void fz_release_slot(struct fz_slot *s)
{
	vgc_uapi_release(s->f);
	if (s->req >= 0)
		fz.reqs[s->req].live = false;
	memset(s, 0, sizeof(*s));
}

static void op_release(struct fz_input *in)
{
	struct fz_slot *s = fz_slot_at(in_u8(in));

	fz_trace("release slot %ld\n", s ? (long)(s - fz.slots) : -1L);
	if (s)
		fz_release_slot(s);
}

static void op_pull(struct fz_input *in)
{
	uint32_t host = in_u8(in) % (FZ_HOST_LINES + 4);
	int level = (int)(in_u8(in) % 5) - 1;
	int ret = vgc_sim_pull(fz.be, host, level);

	fz_trace("pull host %u level %d: %d\n", host, level, ret);
	FZ_CHECK(ret == (host < FZ_HOST_LINES && level <= 1 ? 0 : -EINVAL),
		 "pull host %u level %d: %d", host, level, ret);
}

static void op_toggle(struct fz_input *in)
{
	uint32_t host = in_u8(in) % FZ_HOST_LINES;
	unsigned int n = in_u8(in) % 64;

	fz_trace("toggle host %u x%u\n", host, n);
	for (unsigned int i = 0; i < n; i++)
		FZ_CHECK(!vgc_sim_pull(fz.be, host, !(i & 1)), "pull host %u", host);
}

/* Debounce timers that are due, as the event loop runs them: never waiting. */
static void op_dispatch(void)
{
	struct pollfd pfd = { .fd = fz.be->ops->poll_fd(fz.be), .events = POLLIN };
	int ret = poll(&pfd, 1, 0);

	fz_trace("dispatch: %s\n", ret > 0 ? "due" : "nothing due");
	if (ret > 0 && (pfd.revents & POLLIN))
		fz.be->ops->dispatch(fz.be);
}

static void fz_setup(unsigned int which)
{
	const struct fz_setup_maps *su = &fz_setups[which];
	char err[256];

	memset(&fz, 0, sizeof(fz));
	fz.trace = getenv("FUZZ_UAPI_TRACE") != NULL;
	fz_trace("setup %u\n", which);
	fz.be = vgc_backend_sim_open(FZ_HOST_LINES);
	FZ_CHECK(fz.be, "sim backend: %s", strerror(errno));
	for (unsigned int c = 0; c < FZ_NUM_CHIPS; c++) {
		struct vgc_chip_config cfg = {
			.tenant = fz_tenants[c],
			.name = "gpiochip0",
			.label = "vgpiochip-fuzz",
			.num_lines = su->num_lines[c],
			.ready = fz_on_ready,
			.ready_data = &fz,
		};

		fz.chips[c].tenant = fz_tenants[c];
		fz.chips[c].map = vgc_policy_map_parse(su->map[c], err, sizeof(err));
		FZ_CHECK(fz.chips[c].map, "map: %s", err);
		cfg.map = fz.chips[c].map;
		fz.chips[c].chip = vgc_chip_new(&cfg, fz.be);
		FZ_CHECK(fz.chips[c].chip, "chip: %s", strerror(errno));
		fz.chips[c].num_lines = vgc_chip_num_lines(fz.chips[c].chip);
	}
}

/* With everything closed, every line of every tenant can be had again. */
static void fz_check_all_free(unsigned int c)
{
	const struct vgc_map *map = fz.chips[c].map;
	struct vgc_file *f = vgc_uapi_open(fz.chips[c].chip, 1);

	FZ_CHECK(f, "open");
	for (unsigned int i = 0; i < map->num; i++) {
		struct gpio_v2_line_request lr = { .num_lines = 1 };
		struct gpio_v2_line_request out;
		size_t out_len = sizeof(out);
		struct vgc_req *vreq;
		int ret;

		lr.offsets[0] = map->entries[i].virt;
		lr.config.flags = GPIO_V2_LINE_FLAG_INPUT;
		ret = vgc_uapi_ioctl(f, 999, GPIO_V2_GET_LINE_IOCTL, &lr, sizeof(lr), &out,
				     &out_len, &vreq);
		FZ_CHECK(!ret && vreq, "after closing everything, line %u of chip %u: %d",
			 lr.offsets[0], c, ret);
		vgc_uapi_req_free(vreq);
	}
	vgc_uapi_release(f);
}

static void fz_finish(void)
{
	/* pending requests first, as a front end drops them, then files in slot order */
	for (unsigned int i = 0; i < FZ_MAX_REQS; i++)
		if (fz.reqs[i].live && fz.reqs[i].slot < 0)
			fz_req_free(&fz.reqs[i]);
	for (unsigned int i = 0; i < FZ_MAX_FILES; i++)
		if (fz.slots[i].f)
			fz_release_slot(&fz.slots[i]);
	fz_model_check_host();
	for (unsigned int c = 0; c < FZ_NUM_CHIPS; c++)
		fz_check_all_free(c);
	fz_model_check_host();
	for (unsigned int c = 0; c < FZ_NUM_CHIPS; c++) {
		vgc_chip_free(fz.chips[c].chip);
		vgc_policy_map_free(fz.chips[c].map);
	}
	fz.be->ops->close(fz.be);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_input in = { data, size };

	fz_setup(in_u8(&in) % FZ_NUM_SETUPS);
	for (unsigned int ops = 0; in.n && ops < FZ_MAX_OPS; ops++) {
		uint8_t op = in_u8(&in) % FZ_NUM_OPS;

		switch (op) {
		case FZ_OP_OPEN:
			op_open(&in);
			break;
		case FZ_OP_IOCTL:
			fz_op_ioctl(&in);
			break;
		case FZ_OP_OPEN_REQ:
			op_open_req(&in);
			break;
		case FZ_OP_REQ_FREE:
			op_req_free(&in);
			break;
		case FZ_OP_READ:
			op_read(&in);
			break;
		case FZ_OP_POLL:
			op_poll(&in);
			break;
		case FZ_OP_RELEASE:
			op_release(&in);
			break;
		case FZ_OP_PULL:
			op_pull(&in);
			break;
		case FZ_OP_DISPATCH:
			op_dispatch();
			break;
		case FZ_OP_TOGGLE:
			op_toggle(&in);
			break;
		}
		/* only these claim or free host lines (a refused request may, for a moment) */
		if (op == FZ_OP_IOCTL || op == FZ_OP_RELEASE || op == FZ_OP_REQ_FREE ||
		    op == FZ_OP_OPEN_REQ)
			fz_model_check_host();
	}
	fz_finish();
	return 0;
}
