// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtio-gpio device of the VM front end (vhost/gpio.c) over a real
 * chip on simulated lines: requests are built by hand as the guest driver
 * builds them (one readable request, one writable response), interrupts go
 * through a real split ring in fake guest memory. What counts is what the
 * host lines do and what the guest is answered.
 */
#include <check.h>
#include <endian.h>
#include <linux/virtio_gpio.h>
#include <string.h>

#include "../../backend/backend.h"
#include "../../policy/map.h"
#include "../../vhost/gpio.h"
#include "../../vhost/vring.h"
#include "suites.h"

#define VT_MAP "0:17=LED,1:27=BTN,3:5=RO"	/* 2 is a hole */
#define VT_MEM 8192
#define VT_GPA 0x10000ull
#define VT_UVA 0x7f0000000000ull

static struct {
	struct vgc_backend *be;
	struct vgc_map *map;
	struct vgc_rules rules[3];
	struct vgc_chip *chip;
	struct vgpio *g;
	struct vhu_mem mem;
	struct vhu_vq evq;
	uint64_t now;
	unsigned int denied;
} vt;
static uint8_t vt_buf[VT_MEM] __attribute__((aligned(16)));

static uint64_t vt_clock(void)
{
	return vt.now;
}

static void vt_audit(const struct vgc_audit *a, void *data)
{
	(void)data;
	if (a->event == VGC_AUDIT_DENIED)
		vt.denied++;
}

static void vt_setup(void)
{
	char err[128];
	struct vgc_chip_config cfg = {
		.tenant = "t1", .name = "gpiochip0", .label = "vm", .num_lines = 4,
		.ready = vgc_vgpio_ready, .audit = vt_audit, .now_ns = vt_clock,
	};

	memset(&vt, 0, sizeof(vt));
	memset(vt_buf, 0, sizeof(vt_buf));
	vt.now = 1000000000ull;
	vt.be = vgc_backend_sim_open(32);
	vt.map = vgc_policy_map_parse(VT_MAP, err, sizeof(err));
	ck_assert(vt.be && vt.map);
	for (int i = 0; i < 3; i++)
		vt.rules[i] = vgc_rules_default;
	vt.rules[0].release = VGC_RELEASE_LOW;
	vt.rules[0].max_toggle_hz = 2;
	vt.rules[2].read_only = true;
	vt.rules[2].directions = VGC_RULE_DIR_INPUT;
	cfg.map = vt.map;
	cfg.rules = vt.rules;
	vt.chip = vgc_chip_new(&cfg, vt.be);
	ck_assert(vt.chip);
	vt.g = vgc_vgpio_new(vt.chip, 42);
	ck_assert(vt.g);
	/* an event queue of 8 in fake guest memory: descriptors at 0, avail 256, used 512 */
	vt.mem.num = 1;
	vt.mem.r[0] = (struct vhu_region){ .gpa = VT_GPA, .size = VT_MEM, .uva = VT_UVA, .host = vt_buf };
	vhu_vq_init(&vt.evq);
	vt.evq.num = 8;
	vt.evq.desc_uva = VT_UVA;
	vt.evq.avail_uva = VT_UVA + 256;
	vt.evq.used_uva = VT_UVA + 512;
	vt.evq.started = vt.evq.enabled = true;
	ck_assert_int_eq(vhu_vq_map(&vt.evq, &vt.mem), 0);
	vt.g->irq = true;
	vt.g->evq = &vt.evq;
	vt.g->mem = &vt.mem;
}

static void vt_teardown(void)
{
	vgc_vgpio_free(vt.g);
	vgc_chip_free(vt.chip);
	vt.be->ops->close(vt.be);
	vgc_policy_map_free(vt.map);
}

/* One request as the guest sends it; the response's status, its value in *value. */
static int vt_req(uint16_t type, uint16_t gpio, uint32_t value, uint8_t *out)
{
	struct virtio_gpio_request rq = { htole16(type), htole16(gpio), htole32(value) };
	uint8_t res[2] = { 0xee, 0xee };
	struct vhu_chain c = { .nr = 1, .nw = 1, .rd_len = sizeof(rq), .wr_len = 2 };
	uint32_t len;

	c.rd[0] = (struct vhu_seg){ .p = (uint8_t *)&rq, .len = sizeof(rq) };
	c.wr[0] = (struct vhu_seg){ .p = res, .len = 2 };
	len = vgc_vgpio_request(vt.g, &c);
	ck_assert_uint_eq(len, 2);
	if (out)
		*out = res[1];
	return res[0];
}

static bool vt_host_output(uint32_t host)
{
	struct gpio_v2_line_info info = { 0 };

	ck_assert_int_eq(vt.be->ops->line_info(vt.be, host, &info), 0);
	return info.flags & GPIO_V2_LINE_FLAG_OUTPUT;
}

/* The guest queues an interrupt buffer for gpio; its status byte is at guest offset 1024 + 16*slot. */
static uint16_t vt_irq_buffer(uint16_t slot, uint16_t gpio)
{
	struct vhu_chain c = { .head = slot, .nr = 1, .nw = 1, .rd_len = 2, .wr_len = 1 };
	uint16_t g = htole16(gpio);
	size_t off = 1024 + 16 * (size_t)slot;

	memcpy(vt_buf + off, &g, 2);
	vt_buf[off + 2] = 0xee;
	c.rd[0] = (struct vhu_seg){ .p = vt_buf + off, .gpa = VT_GPA + off, .len = 2 };
	c.wr[0] = (struct vhu_seg){ .p = vt_buf + off + 2, .gpa = VT_GPA + off + 2, .len = 1 };
	vgc_vgpio_event_buffer(vt.g, &c);
	return (uint16_t)off + 2;
}

static uint16_t vt_used_idx(void)
{
	uint16_t idx;

	memcpy(&idx, vt_buf + 512 + 2, 2);
	return le16toh(idx);
}

START_TEST(test_vhost_bad_line)
{
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 4, VIRTIO_GPIO_DIRECTION_OUT, NULL),
			 VIRTIO_GPIO_STATUS_ERR);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_GET_VALUE, 0xffff, 0, NULL), VIRTIO_GPIO_STATUS_ERR);
	ck_assert_int_eq(vt_req(0x77, 0, 0, NULL), VIRTIO_GPIO_STATUS_ERR);
	/* the hole cannot be used */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 2, VIRTIO_GPIO_DIRECTION_IN, NULL),
			 VIRTIO_GPIO_STATUS_ERR);
}
END_TEST

START_TEST(test_vhost_read_only_denied)
{
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 3, 1, NULL), VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 3, VIRTIO_GPIO_DIRECTION_OUT, NULL),
			 VIRTIO_GPIO_STATUS_ERR);
	ck_assert_uint_eq(vt.denied, 1);
	ck_assert(!vt_host_output(5));
	ck_assert_int_eq(vgc_sim_level(vt.be, 5), 0);
	/* as an input it is fine */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 3, VIRTIO_GPIO_DIRECTION_IN, NULL),
			 VIRTIO_GPIO_STATUS_OK);
}
END_TEST

START_TEST(test_vhost_names)
{
	static const char want[] = "LED\0BTN\0\0RO";	/* and its final NUL */
	struct virtio_gpio_request rq = { htole16(VIRTIO_GPIO_MSG_GET_NAMES), 0, 0 };
	uint8_t cfg[8], res[1 + sizeof(want)];
	struct vhu_chain c = { .nr = 1, .nw = 1, .rd_len = sizeof(rq) };
	uint32_t names_size;

	ck_assert_int_eq(vgc_vgpio_config(vt.g, 0, cfg, sizeof(cfg)), 0);
	ck_assert_uint_eq(cfg[0] | cfg[1] << 8, 4);
	memcpy(&names_size, cfg + 4, 4);
	ck_assert_uint_eq(le32toh(names_size), sizeof(want));
	ck_assert_int_ne(vgc_vgpio_config(vt.g, 4, cfg, 8), 0);
	c.rd[0] = (struct vhu_seg){ .p = (uint8_t *)&rq, .len = sizeof(rq) };
	/* a buffer of another size than the config said gets an error */
	c.wr[0] = (struct vhu_seg){ .p = res, .len = sizeof(res) - 1 };
	c.wr_len = sizeof(res) - 1;
	vgc_vgpio_request(vt.g, &c);
	ck_assert_uint_eq(res[0], VIRTIO_GPIO_STATUS_ERR);
	c.wr[0].len = c.wr_len = sizeof(res);
	ck_assert_uint_eq(vgc_vgpio_request(vt.g, &c), sizeof(res));
	ck_assert_uint_eq(res[0], VIRTIO_GPIO_STATUS_OK);
	ck_assert_mem_eq(res + 1, want, sizeof(want));
}
END_TEST

START_TEST(test_vhost_output_and_release)
{
	uint8_t v;

	/* Linux sets the value first, then the direction */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1, NULL), VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 0);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 1);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_GET_DIRECTION, 0, 0, &v), VIRTIO_GPIO_STATUS_OK);
	ck_assert_uint_eq(v, VIRTIO_GPIO_DIRECTION_OUT);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_GET_VALUE, 0, 0, &v), VIRTIO_GPIO_STATUS_OK);
	ck_assert_uint_eq(v, 1);
	/* the guest lets go: release = low */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_NONE, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 0);
	/* a reset (guest reboot, QEMU gone) does the same */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 1);
	vgc_vgpio_reset(vt.g);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 0);
}
END_TEST

START_TEST(test_vhost_resumed_output)
{
	uint8_t v;

	/* a fresh driver's SET_VALUE only presets the value */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1, NULL), VIRTIO_GPIO_STATUS_OK);
	ck_assert(!vt_host_output(17));
	/* after a back-end restart it is an output the guest still holds: taken again */
	vt.g->resumed = true;
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1, NULL), VIRTIO_GPIO_STATUS_OK);
	ck_assert(vt_host_output(17));
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 1);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_GET_DIRECTION, 0, 0, &v), VIRTIO_GPIO_STATUS_OK);
	ck_assert_uint_eq(v, VIRTIO_GPIO_DIRECTION_OUT);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 0, NULL), VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 0);
	/* the rules still hold: the read-only line is not taken */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 3, 1, NULL), VIRTIO_GPIO_STATUS_ERR);
	ck_assert(!vt_host_output(5));
	ck_assert_uint_eq(vt.denied, 1);
	/* a reset starts the driver afresh */
	vgc_vgpio_reset(vt.g);
	ck_assert(!vt.g->resumed);
}
END_TEST

START_TEST(test_vhost_toggle_rate)
{
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 0, VIRTIO_GPIO_DIRECTION_OUT, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 1, NULL), VIRTIO_GPIO_STATUS_OK);
	/* max-toggle-hz = 2, the request driving the line counted: a third change is refused */
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 0, NULL), VIRTIO_GPIO_STATUS_ERR);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 1);
	vt.now += 1000000000ull;
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_VALUE, 0, 0, NULL), VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vgc_sim_level(vt.be, 17), 0);
}
END_TEST

START_TEST(test_vhost_irq_edge)
{
	uint16_t st;

	/* without the feature, or on a line with no interrupt, buffers come back invalid */
	vt.g->irq = false;
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_BOTH, NULL),
			 VIRTIO_GPIO_STATUS_ERR);
	vt.g->irq = true;
	st = vt_irq_buffer(0, 1);
	ck_assert_uint_eq(vt_used_idx(), 1);
	ck_assert_uint_eq(vt_buf[st], VIRTIO_GPIO_IRQ_STATUS_INVALID);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, 5, NULL), VIRTIO_GPIO_STATUS_ERR);

	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_EDGE_RISING, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	st = vt_irq_buffer(1, 1);
	ck_assert_uint_eq(vt_used_idx(), 1);
	/* a falling edge is not asked for; a rising one is */
	vgc_sim_pull(vt.be, 27, 0);
	vgc_vgpio_flush(vt.g);
	ck_assert_uint_eq(vt_used_idx(), 1);
	vgc_sim_pull(vt.be, 27, 1);
	vgc_vgpio_flush(vt.g);
	ck_assert_uint_eq(vt_used_idx(), 2);
	ck_assert_uint_eq(vt_buf[st], VIRTIO_GPIO_IRQ_STATUS_VALID);
	/* disabling hands a queued buffer back unused */
	st = vt_irq_buffer(2, 1);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_NONE, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_uint_eq(vt_used_idx(), 3);
	ck_assert_uint_eq(vt_buf[st], VIRTIO_GPIO_IRQ_STATUS_INVALID);
}
END_TEST

START_TEST(test_vhost_irq_level)
{
	uint16_t st;

	vgc_sim_pull(vt.be, 27, 1);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_SET_DIRECTION, 1, VIRTIO_GPIO_DIRECTION_IN, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	ck_assert_int_eq(vt_req(VIRTIO_GPIO_MSG_IRQ_TYPE, 1, VIRTIO_GPIO_IRQ_TYPE_LEVEL_LOW, NULL),
			 VIRTIO_GPIO_STATUS_OK);
	st = vt_irq_buffer(0, 1);
	ck_assert_uint_eq(vt_used_idx(), 0);
	vgc_sim_pull(vt.be, 27, 0);
	vgc_vgpio_flush(vt.g);
	ck_assert_uint_eq(vt_used_idx(), 1);
	ck_assert_uint_eq(vt_buf[st], VIRTIO_GPIO_IRQ_STATUS_VALID);
	/* the level still holds: the next buffer fires at once */
	st = vt_irq_buffer(1, 1);
	ck_assert_uint_eq(vt_used_idx(), 2);
	ck_assert_uint_eq(vt_buf[st], VIRTIO_GPIO_IRQ_STATUS_VALID);
}
END_TEST

Suite *vgc_test_vhost_suite(void)
{
	Suite *s = suite_create("vhost");
	TCase *tc = tcase_create("virtio-gpio");

	tcase_add_checked_fixture(tc, vt_setup, vt_teardown);
	tcase_add_test(tc, test_vhost_bad_line);
	tcase_add_test(tc, test_vhost_read_only_denied);
	tcase_add_test(tc, test_vhost_names);
	tcase_add_test(tc, test_vhost_output_and_release);
	tcase_add_test(tc, test_vhost_resumed_output);
	tcase_add_test(tc, test_vhost_toggle_rate);
	tcase_add_test(tc, test_vhost_irq_edge);
	tcase_add_test(tc, test_vhost_irq_level);
	suite_add_tcase(s, tc);
	return s;
}
