/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the sim backend's test files share: a fresh eight-line chip per test. */
#ifndef VGC_TEST_SIM_H
#define VGC_TEST_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "suites.h"
#include "../../backend/backend.h"

#define SIM_TEST_LINES 8
#define SIM_TEST_MAX_EVENTS 16
#define SIM_TEST_EDGE_BOTH (GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING)
/* Long enough that no test step, even under valgrind, outlasts it by accident. */
#define SIM_TEST_DEBOUNCE_US 200000u

struct sim_test_event {
	void *owner;
	unsigned int idx;
	uint32_t id;
	uint64_t timestamp_ns;
};

extern struct vgc_backend *sim_be;
extern struct sim_test_event sim_events[SIM_TEST_MAX_EVENTS];
extern unsigned int sim_num_events;

void sim_test_setup(void);
void sim_test_teardown(void);
void sim_test_edge(void *owner, unsigned int idx, const struct vgc_edge *e);
uint64_t sim_test_now(clockid_t clock);
struct gpio_v2_line_config sim_test_cfg(uint64_t flags);
void sim_test_attr(struct gpio_v2_line_config *lc, uint64_t mask, uint32_t id,
		   uint64_t value);
struct vgc_breq *sim_test_request(const uint32_t *offsets, unsigned int num,
				  const struct gpio_v2_line_config *lc);
struct vgc_breq *sim_test_request_one(uint32_t offset, uint64_t flags);
uint64_t sim_test_get(struct vgc_breq *br, uint64_t mask);
struct gpio_v2_line_info sim_test_info(uint32_t offset);
bool sim_test_timer_ready(int timeout_ms);
void sim_test_wait_timer(void);
void sim_test_pull(uint32_t offset, int level);
struct vgc_breq *sim_test_request_debounced(uint32_t offset, uint64_t flags);

/* The "config" test case: reconfiguration, release, line info (test_sim_config.c). */
TCase *vgc_test_sim_config_tcase(void);

#endif
