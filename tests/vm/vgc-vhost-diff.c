// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgc-vhost-diff: a fixed sequence of virtio-gpio requests, as a guest's
 * gpio-virtio driver sends them, played against the VM front end's device
 * (vhost/gpio.c) over the daemon's chip, on simulated lines (--sim) or on a
 * host chip (--chip CHIP --sim-dir DIR: a gpio-sim chip, whose pulls drive
 * the inputs and whose sysfs tells what its lines do). One transcript line
 * per step: the guest's answer, the interrupts answered so far, and every
 * mapped host line (direction, holder, level). scenario-vhost-diff.sh runs
 * it both ways and wants the transcripts equal: what the guest sees and
 * what the host lines do must not depend on the backend.
 *
 *   vgc-vhost-diff --sim | --chip CHIP --sim-dir DIR
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_gpio.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/backend.h"
#include "../../policy/map.h"
#include "../../vhost/gpio.h"
#include "../../vhost/vring.h"

/* virtual 0 LED (release low), 1 BTN, 2 a hole, 3 RO (read-only), 4 HI (release high) */
#define DIFF_MAP "0:1=LED,1:2=BTN,3:4=RO,4:5=HI"
static const uint32_t diff_hosts[] = { 1, 2, 4, 5 };
#define DIFF_HOST_LINES 8
#define DIFF_MEM 8192
#define DIFF_GPA 0x10000ull
#define DIFF_UVA 0x7f0000000000ull
#define DIFF_EVQ 8
/* how long a host chip's edge may take to come back as an interrupt */
#define DIFF_EDGE_MS 1000

enum step_kind {
	S_REQ,		/* a request: type, gpio, value */
	S_PULL,		/* the outside world pulls host line gpio to value */
	S_IRQ_BUF,	/* the guest queues an interrupt buffer for gpio */
	S_RESET,	/* the guest's driver stops (reset, reboot) */
};

struct step {
	const char *what;
	enum step_kind kind;
	uint16_t type, gpio;
	uint32_t value;
};

#define REQ(w, t, g, v) { w, S_REQ, VIRTIO_GPIO_MSG_##t, g, v }
#define DIR_OUT VIRTIO_GPIO_DIRECTION_OUT
#define DIR_IN VIRTIO_GPIO_DIRECTION_IN
#define DIR_NONE VIRTIO_GPIO_DIRECTION_NONE

/* One row per step; the order is the guest driver's (SET_VALUE before SET_DIRECTION out). */
static const struct step diff_steps[] = {
	REQ("free line's direction is the host's", GET_DIRECTION, 0, 0),
	REQ("the hole has none", GET_DIRECTION, 2, 0),
	REQ("preset 1", SET_VALUE, 0, 1),
	REQ("LED out", SET_DIRECTION, 0, DIR_OUT),
	REQ("LED reads back 1", GET_VALUE, 0, 0),
	REQ("LED is out", GET_DIRECTION, 0, 0),
	REQ("LED 0", SET_VALUE, 0, 0),
	REQ("LED 1", SET_VALUE, 0, 1),
	REQ("LED let go: release low", SET_DIRECTION, 0, DIR_NONE),
	REQ("LED again, preset 1", SET_VALUE, 0, 1),
	REQ("LED out again (parked line)", SET_DIRECTION, 0, DIR_OUT),
	REQ("LED in", SET_DIRECTION, 0, DIR_IN),
	REQ("LED let go from input: release low", SET_DIRECTION, 0, DIR_NONE),
	REQ("BTN in", SET_DIRECTION, 1, DIR_IN),
	{ "pull BTN up", S_PULL, 0, 2, 1 },
	REQ("BTN reads 1", GET_VALUE, 1, 0),
	{ "pull BTN down", S_PULL, 0, 2, 0 },
	REQ("BTN reads 0", GET_VALUE, 1, 0),
	REQ("BTN both edges", IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH),
	{ "buffer for BTN", S_IRQ_BUF, 0, 1, 0 },
	{ "pull BTN up: an interrupt", S_PULL, 0, 2, 1 },
	{ "buffer for BTN", S_IRQ_BUF, 0, 1, 0 },
	{ "pull BTN down: an interrupt", S_PULL, 0, 2, 0 },
	REQ("BTN falling only", IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_FALLING),
	{ "buffer for BTN", S_IRQ_BUF, 0, 1, 0 },
	{ "pull BTN up: no interrupt", S_PULL, 0, 2, 1 },
	{ "pull BTN down: an interrupt", S_PULL, 0, 2, 0 },
	REQ("BTN level high", IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_LEVEL_HIGH),
	{ "pull BTN up", S_PULL, 0, 2, 1 },
	{ "buffer for BTN: answered at once (the level holds)", S_IRQ_BUF, 0, 1, 0 },
	{ "pull BTN down", S_PULL, 0, 2, 0 },
	{ "buffer for BTN: kept", S_IRQ_BUF, 0, 1, 0 },
	REQ("BTN interrupt off: the buffer comes back unused", IRQ_TYPE, 1,
	    VIRTIO_GPIO_IRQ_TYPE_NONE),
	{ "buffer for BTN while off: refused", S_IRQ_BUF, 0, 1, 0 },
	REQ("BTN let go", SET_DIRECTION, 1, DIR_NONE),
	REQ("RO out: denied", SET_DIRECTION, 3, DIR_OUT),
	REQ("RO in", SET_DIRECTION, 3, DIR_IN),
	REQ("RO reads 0", GET_VALUE, 3, 0),
	REQ("RO let go", SET_DIRECTION, 3, DIR_NONE),
	REQ("the hole cannot be had", SET_DIRECTION, 2, DIR_IN),
	REQ("no line 5", GET_DIRECTION, 5, 0),
	REQ("no such request", GET_DIRECTION + 40, 0, 0),
	REQ("no value 2", SET_VALUE, 0, 2),
	REQ("not held: no value", GET_VALUE, 4, 0),
	REQ("HI preset 0", SET_VALUE, 4, 0),
	REQ("HI out", SET_DIRECTION, 4, DIR_OUT),
	REQ("HI let go: release high", SET_DIRECTION, 4, DIR_NONE),
	REQ("LED out 1 once more", SET_DIRECTION, 0, DIR_OUT),
	REQ("HI out 0 once more", SET_DIRECTION, 4, DIR_OUT),
	REQ("BTN in, rising", IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING),
	{ "buffer for BTN", S_IRQ_BUF, 0, 1, 0 },
	{ "the guest's driver stops: every line to its release state", S_RESET, 0, 0, 0 },
	{ "pull BTN up after the reset: no interrupt", S_PULL, 0, 2, 1 },
	REQ("after the reset BTN is free again", GET_DIRECTION, 1, 0),
};

static struct {
	struct vgc_backend *be;
	const char *sim_dir;	/* gpio-sim's sysfs directory of the host chip, or NULL */
	struct vgc_chip *chip;
	struct vgpio *g;
	struct vhu_mem mem;
	struct vhu_vq evq;
	uint16_t next_slot;
} diff;
static uint8_t diff_buf[DIFF_MEM] __attribute__((aligned(16)));

static int diff_sysfs(const char *file, uint32_t host, const char *value, char *out, size_t len)
{
	char path[512];
	int fd, n;

	snprintf(path, sizeof(path), "%s/sim_gpio%u/%s", diff.sim_dir, host, file);
	fd = open(path, value ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		return -errno;
	n = value ? (int)write(fd, value, strlen(value)) : (int)read(fd, out, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!value)
		out[n] = '\0';
	return 0;
}

/* The level on the host line: what the simulated line or gpio-sim's value says. */
static int diff_level(uint32_t host)
{
	char v[8];

	if (!diff.sim_dir)
		return vgc_sim_level(diff.be, host);
	return diff_sysfs("value", host, NULL, v, sizeof(v)) ? -1 : atoi(v);
}

static void diff_pull(uint32_t host, int level)
{
	if (!diff.sim_dir)
		vgc_sim_pull(diff.be, host, level);
	else if (diff_sysfs("pull", host, level ? "pull-up" : "pull-down", NULL, 0))
		fprintf(stderr, "vgc-vhost-diff: cannot pull host line %u: %s\n", host, strerror(errno));
}

static uint16_t diff_used_idx(void)
{
	uint16_t idx;

	memcpy(&idx, diff.evq.used + 2, 2);
	return le16toh(idx);
}

/*
 * After a pull: runs the backend until an interrupt comes back or, for a
 * host chip, DIFF_EDGE_MS pass (the simulated lines' edges are synchronous).
 */
static void diff_events(bool pulled)
{
	uint16_t before = diff_used_idx();
	int fd = diff.be->ops->poll_fd ? diff.be->ops->poll_fd(diff.be) : -1;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	vgc_vgpio_flush(diff.g);
	if (fd < 0 || !diff.sim_dir || !pulled)
		return;
	while (diff_used_idx() == before && poll(&p, 1, DIFF_EDGE_MS) > 0) {
		diff.be->ops->dispatch(diff.be);
		vgc_vgpio_flush(diff.g);
	}
}

/* The guest queues an interrupt buffer for gpio in slot next_slot of the fake memory. */
static void diff_irq_buffer(uint16_t gpio)
{
	uint16_t slot = diff.next_slot++ % DIFF_EVQ, g = htole16(gpio);
	size_t off = 1024 + 16 * (size_t)slot;
	struct vhu_chain c = { .head = slot, .nr = 1, .nw = 1, .rd_len = 2, .wr_len = 1 };

	memcpy(diff_buf + off, &g, 2);
	diff_buf[off + 2] = 0xee;
	c.rd[0] = (struct vhu_seg){ .p = diff_buf + off, .gpa = DIFF_GPA + off, .len = 2 };
	c.wr[0] = (struct vhu_seg){ .p = diff_buf + off + 2, .gpa = DIFF_GPA + off + 2, .len = 1 };
	vgc_vgpio_event_buffer(diff.g, &c);
}

/* "N answered, last S": the interrupts handed back so far and the status of the last one. */
static void diff_print_irqs(void)
{
	uint16_t n = diff_used_idx();
	uint32_t head = 0;

	printf(" | irqs %u", n);
	if (!n)
		return;
	memcpy(&head, diff.evq.used + 4 + 8 * (size_t)((n - 1) % DIFF_EVQ), 4);
	printf(" last %s", diff_buf[1024 + 16 * le32toh(head) + 2] == VIRTIO_GPIO_IRQ_STATUS_VALID ?
				   "valid" : "invalid");
}

static void diff_print_hosts(void)
{
	printf(" | host");
	for (size_t i = 0; i < sizeof(diff_hosts) / sizeof(diff_hosts[0]); i++) {
		struct gpio_v2_line_info info = { 0 };
		uint32_t h = diff_hosts[i];

		if (diff.be->ops->line_info(diff.be, h, &info)) {
			printf(" %u:?", h);
			continue;
		}
		printf(" %u:%s:%s:%d", h, (info.flags & GPIO_V2_LINE_FLAG_OUTPUT) ? "out" : "in",
		       info.consumer[0] ? info.consumer : "-", diff_level(h));
	}
}

static void diff_request(const struct step *s)
{
	struct virtio_gpio_request rq = { htole16(s->type), htole16(s->gpio), htole32(s->value) };
	uint8_t res[2] = { 0xee, 0xee };
	struct vhu_chain c = { .nr = 1, .nw = 1, .rd_len = sizeof(rq), .wr_len = 2 };
	uint32_t len;

	c.rd[0] = (struct vhu_seg){ .p = (uint8_t *)&rq, .len = sizeof(rq) };
	c.wr[0] = (struct vhu_seg){ .p = res, .len = 2 };
	len = vgc_vgpio_request(diff.g, &c);
	printf("type %u gpio %u value %u -> %s", s->type, s->gpio, s->value,
	       res[0] == VIRTIO_GPIO_STATUS_OK ? "ok" : "err");
	/* the value byte means something only in these answers */
	if (res[0] == VIRTIO_GPIO_STATUS_OK && (s->type == VIRTIO_GPIO_MSG_GET_VALUE ||
						s->type == VIRTIO_GPIO_MSG_GET_DIRECTION))
		printf(" %u", res[1]);
	if (len != 2)
		printf(" (%u bytes)", len);
}

static void diff_step(unsigned int n, const struct step *s)
{
	printf("%02u %s: ", n, s->what);
	switch (s->kind) {
	case S_REQ:
		diff_request(s);
		break;
	case S_PULL:
		printf("pull %u %u", s->gpio, s->value);
		diff_pull(s->gpio, (int)s->value);
		break;
	case S_IRQ_BUF:
		printf("buffer %u", s->gpio);
		diff_irq_buffer(s->gpio);
		break;
	case S_RESET:
		printf("reset");
		vgc_vgpio_reset(diff.g);
		break;
	}
	diff_events(s->kind == S_PULL);
	diff_print_irqs();
	diff_print_hosts();
	printf("\n");
	fflush(stdout);
}

/* The guest's view before any request: the config space and the names block. */
static void diff_config(void)
{
	uint8_t cfg[8] = { 0 };
	uint16_t ngpio;
	uint32_t names;

	vgc_vgpio_config(diff.g, 0, cfg, sizeof(cfg));
	memcpy(&ngpio, cfg, 2);
	memcpy(&names, cfg + 4, 4);
	printf("config: ngpio %u names %u:", le16toh(ngpio), le32toh(names));
	for (uint32_t i = 0; i < diff.g->names_size; i++)
		putchar(diff.g->names[i] ? diff.g->names[i] : '|');
	printf("\n");
}

static int diff_setup(int argc, char **argv)
{
	static struct vgc_rules rules[4];
	char err[256];
	struct vgc_map *map;
	struct vgc_chip_config cfg = {
		.tenant = "vd", .name = "gpiochip0", .label = "vd", .num_lines = 5,
		.ready = vgc_vgpio_ready,
	};

	if (argc == 2 && !strcmp(argv[1], "--sim")) {
		diff.be = vgc_backend_sim_open(DIFF_HOST_LINES);
	} else if (argc == 5 && !strcmp(argv[1], "--chip") && !strcmp(argv[3], "--sim-dir")) {
		diff.sim_dir = argv[4];
		diff.be = vgc_backend_host_open(argv[2], err, sizeof(err));
		if (!diff.be)
			fprintf(stderr, "vgc-vhost-diff: %s\n", err);
	} else {
		fprintf(stderr, "usage: vgc-vhost-diff --sim | --chip CHIP --sim-dir DIR\n");
		return -EINVAL;
	}
	map = vgc_policy_map_parse(DIFF_MAP, err, sizeof(err));
	if (!diff.be || !map)
		return -EINVAL;
	for (int i = 0; i < 4; i++)
		rules[i] = vgc_rules_default;
	rules[0].release = VGC_RELEASE_LOW;
	rules[2].read_only = true;
	rules[2].directions = VGC_RULE_DIR_INPUT;
	rules[3].release = VGC_RELEASE_HIGH;
	cfg.map = map;
	cfg.rules = rules;
	diff.chip = vgc_chip_new(&cfg, diff.be);
	/* the chip keeps its own copy */
	vgc_policy_map_free(map);
	diff.g = diff.chip ? vgc_vgpio_new(diff.chip, getpid()) : NULL;
	if (!diff.g)
		return -ENOMEM;
	/* the event queue in fake guest memory: descriptors at 0, avail 256, used 512 */
	diff.mem.num = 1;
	diff.mem.r[0] = (struct vhu_region){ .gpa = DIFF_GPA, .size = DIFF_MEM, .uva = DIFF_UVA,
					     .host = diff_buf };
	vhu_vq_init(&diff.evq);
	diff.evq.num = DIFF_EVQ;
	diff.evq.desc_uva = DIFF_UVA;
	diff.evq.avail_uva = DIFF_UVA + 256;
	diff.evq.used_uva = DIFF_UVA + 512;
	diff.evq.started = diff.evq.enabled = true;
	if (vhu_vq_map(&diff.evq, &diff.mem))
		return -EFAULT;
	diff.g->irq = true;
	diff.g->evq = &diff.evq;
	diff.g->mem = &diff.mem;
	return 0;
}

int main(int argc, char **argv)
{
	if (diff_setup(argc, argv)) {
		fprintf(stderr, "vgc-vhost-diff: cannot set up the device\n");
		return 1;
	}
	diff_config();
	for (unsigned int i = 0; i < sizeof(diff_steps) / sizeof(diff_steps[0]); i++)
		diff_step(i, &diff_steps[i]);
	printf("end: ok\n");
	vgc_vgpio_free(diff.g);
	vgc_chip_free(diff.chip);
	diff.be->ops->close(diff.be);
	return 0;
}
