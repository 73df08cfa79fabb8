// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The simulated backend: a gpio-sim-like chip in memory with the line
 * semantics the kernel's chardev layers on top of a chip (active-low, edge
 * filtering, software debounce, event clocks). Lines are driven from outside
 * with vgc_sim_pull(). Debounce timers share one CLOCK_MONOTONIC timerfd,
 * armed for the earliest deadline; the event loop polls it and calls
 * dispatch(). Single-threaded: edge callbacks run synchronously from
 * vgc_sim_pull(), set_config() and dispatch(), and must not release the
 * request they are called for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>

#include "backend.h"
#include "../abi/linecfg.h"

#define SIM_MAX_LINES 65535u

/* Edge-detector configuration: a change in any of these restarts the detector. */
#define SIM_EDGE_DETECTOR_FLAGS                                                    \
	(GPIO_V2_LINE_FLAG_ACTIVE_LOW | GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE |          \
	 VGC_LINE_EDGE_FLAGS)
/* What a request sets on a line; its release clears all but the clock. */
#define SIM_REQUEST_FLAGS                                                          \
	(GPIO_V2_LINE_FLAG_ACTIVE_LOW | VGC_LINE_DRIVE_FLAGS | VGC_LINE_BIAS_FLAGS | \
	 VGC_LINE_EDGE_FLAGS | VGC_LINE_CLOCK_FLAGS)

struct sim_req;

struct sim_line {
	struct sim_req *req; /* holder, NULL while free */
	unsigned int idx;    /* index in the holder's offsets */
	bool is_out;
	int out_value; /* physical level driven while an output */
	int pull;      /* -1 floating, else the level driven from outside */
	/*
	 * Where a floating pin rests: the last pull-up or pull-down applied.
	 * gpio-sim keeps its pull when the bias is disabled or left out, and
	 * when the line is released, so the pin stays where it was pulled.
	 */
	int bias_level;
	uint64_t flags; /* SIM_REQUEST_FLAGS bits, as the kernel keeps desc flags */
	/* the edge detector, as the kernel's struct line */
	uint64_t edflags;
	uint32_t debounce_us;
	bool sw_debounced;
	int level; /* last debounced physical level */
	bool timer_pending;
	uint64_t deadline_ns; /* CLOCK_MONOTONIC */
};

struct sim_backend {
	struct vgc_backend base;
	unsigned int num_lines;
	struct sim_line *lines;
	int timer_fd;
	struct sim_req *reqs; /* live requests, for the timer scan */
};

/*
 * The sim's struct vgc_breq. The opaque handle in backend.h is cast to and
 * from this type, so every backend keeps its own request layout.
 */
struct sim_req {
	struct sim_backend *sim;
	struct sim_req *prev, *next;
	unsigned int num;
	uint32_t offsets[GPIO_V2_LINES_MAX];
	char consumer[GPIO_MAX_NAME_SIZE];
	vgc_backend_edge_fn edge;
	void *owner;
};

static const struct vgc_backend_ops sim_ops;

static struct sim_backend *sim_from(struct vgc_backend *be)
{
	return (struct sim_backend *)be;
}

static struct sim_req *simreq_from(struct vgc_breq *br)
{
	return (struct sim_req *)br;
}

static uint64_t sim_now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The level on the pin: what drives it, else where the last bias left it. */
static int simline_physical(const struct sim_line *line)
{
	if (line->is_out)
		return line->out_value;
	if (line->pull >= 0)
		return line->pull;
	return line->bias_level;
}

static uint64_t simline_timestamp(const struct sim_line *line)
{
	return sim_now_ns(line->flags & GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME ?
				  CLOCK_REALTIME :
				  CLOCK_MONOTONIC);
}

/* Arm the shared timer for the earliest pending debounce deadline, or disarm it. */
static void sim_timer_rearm(struct sim_backend *sim)
{
	struct itimerspec its = { 0 };
	bool any = false;
	uint64_t first = 0;

	for (struct sim_req *req = sim->reqs; req; req = req->next) {
		for (unsigned int i = 0; i < req->num; i++) {
			const struct sim_line *line = &sim->lines[req->offsets[i]];

			if (line->timer_pending && (!any || line->deadline_ns < first)) {
				first = line->deadline_ns;
				any = true;
			}
		}
	}
	if (any) {
		/* zero would disarm; a deadline of 0 ns is already past anyway */
		if (first == 0)
			first = 1;
		its.it_value.tv_sec = first / 1000000000ULL;
		its.it_value.tv_nsec = first % 1000000000ULL;
	}
	timerfd_settime(sim->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Report a logical edge if it is one the line watches. */
static void simline_emit(struct sim_line *line, int physical)
{
	struct sim_req *req = line->req;
	uint64_t eflags = line->edflags & VGC_LINE_EDGE_FLAGS;
	int logical = physical ^ !!(line->edflags & GPIO_V2_LINE_FLAG_ACTIVE_LOW);

	if (!eflags || !req || !req->edge)
		return;
	if (logical && !(eflags & GPIO_V2_LINE_FLAG_EDGE_RISING))
		return;
	if (!logical && !(eflags & GPIO_V2_LINE_FLAG_EDGE_FALLING))
		return;
	req->edge(req->owner, line->idx, &(struct vgc_edge){
		.timestamp_ns = simline_timestamp(line),
		.id = logical ? GPIO_V2_LINE_EVENT_RISING_EDGE : GPIO_V2_LINE_EVENT_FALLING_EDGE,
	});
}

/* The pin of a requested input just changed: what its interrupt would do. */
static void simline_raw_changed(struct sim_backend *sim, struct sim_line *line)
{
	if (!line->req || line->is_out)
		return;
	if (line->sw_debounced) {
		/* every bounce pushes the deadline out by a whole period */
		line->deadline_ns = sim_now_ns(CLOCK_MONOTONIC) + line->debounce_us * 1000ULL;
		line->timer_pending = true;
		sim_timer_rearm(sim);
		return;
	}
	simline_emit(line, simline_physical(line));
}

/* The line held still for a whole debounce period. */
static void simline_debounce_expired(struct sim_line *line)
{
	int level = simline_physical(line);

	line->timer_pending = false;
	if (level == line->level)
		return;
	line->level = level;
	simline_emit(line, level);
}

static void simline_detector_stop(struct sim_line *line)
{
	line->timer_pending = false;
	line->sw_debounced = false;
	line->edflags = 0;
	line->debounce_us = 0;
	/* line->level stays, as in the kernel: nothing reads it until a restart */
}

static void simline_detector_setup(struct sim_line *line, const struct gpio_v2_line_config *lc,
				   unsigned int idx)
{
	bool set;
	uint32_t period = vgc_linecfg_debounce(lc, idx, &set);

	if (!set)
		return;
	/* the sim has no hardware debounce, so any period is done in software */
	if (period) {
		line->level = simline_physical(line);
		line->sw_debounced = true;
	}
	line->debounce_us = period;
}

/*
 * Reconfigure a requested input's detector as linereq_set_config() does.
 * Returns true if the running detector carried on, so it sees any change
 * the new config made on the pin; a restarted one starts from the new level.
 */
static bool simline_detector_update(struct sim_line *line, const struct gpio_v2_line_config *lc,
				    unsigned int idx, uint64_t edflags)
{
	bool set;
	uint32_t period = vgc_linecfg_debounce(lc, idx, &set);

	if (line->edflags == edflags && line->debounce_us == period)
		return true;
	/* still debounced in software: only the period changes */
	if (period && line->sw_debounced) {
		line->debounce_us = period;
		return true;
	}
	simline_detector_stop(line);
	simline_detector_setup(line, lc, idx);
	return false;
}

/* The flags of a request or a new config, and the bias they apply to the pin. */
static void simline_assign_flags(struct sim_line *line, uint64_t flags)
{
	line->flags = flags & SIM_REQUEST_FLAGS;
	/* BIAS_DISABLED is not a pull gpio-sim knows: the pin stays where it was */
	if (flags & GPIO_V2_LINE_FLAG_BIAS_PULL_UP)
		line->bias_level = 1;
	else if (flags & GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN)
		line->bias_level = 0;
}

static unsigned int sim_num_lines(struct vgc_backend *be)
{
	return sim_from(be)->num_lines;
}

static int sim_request(struct vgc_backend *be, const uint32_t *offsets, unsigned int num,
		       const struct gpio_v2_line_config *cfg, const char *consumer,
		       vgc_backend_edge_fn edge, void *owner, struct vgc_breq **out)
{
	struct sim_backend *sim = sim_from(be);
	struct sim_req *req;

	if (num == 0 || num > GPIO_V2_LINES_MAX)
		return -EINVAL;
	for (unsigned int i = 0; i < num; i++)
		if (offsets[i] >= sim->num_lines)
			return -EINVAL;
	for (unsigned int i = 0; i < num; i++) {
		if (sim->lines[offsets[i]].req)
			return -EBUSY;
		/* the same line twice in one request is busy too */
		for (unsigned int j = 0; j < i; j++)
			if (offsets[j] == offsets[i])
				return -EBUSY;
	}

	req = calloc(1, sizeof(*req));
	if (!req)
		return -ENOMEM;
	req->sim = sim;
	req->num = num;
	memcpy(req->offsets, offsets, num * sizeof(*offsets));
	snprintf(req->consumer, sizeof(req->consumer), "%s", consumer ? consumer : "");
	req->edge = edge;
	req->owner = owner;
	req->next = sim->reqs;
	if (sim->reqs)
		sim->reqs->prev = req;
	sim->reqs = req;

	for (unsigned int i = 0; i < num; i++) {
		struct sim_line *line = &sim->lines[offsets[i]];
		uint64_t flags = vgc_linecfg_flags(cfg, i);

		line->req = req;
		line->idx = i;
		simline_assign_flags(line, flags);
		/* a line asked for neither direction is taken as it is */
		if (flags & GPIO_V2_LINE_FLAG_OUTPUT) {
			line->is_out = true;
			line->out_value = vgc_linecfg_output_value(cfg, i) ^
					  !!(flags & GPIO_V2_LINE_FLAG_ACTIVE_LOW);
		} else if (flags & GPIO_V2_LINE_FLAG_INPUT) {
			line->is_out = false;
			simline_detector_setup(line, cfg, i);
		}
		line->edflags = flags & SIM_EDGE_DETECTOR_FLAGS;
	}
	*out = (struct vgc_breq *)req;
	return 0;
}

static void sim_release(struct vgc_breq *br)
{
	struct sim_req *req = simreq_from(br);
	struct sim_backend *sim;

	if (!req)
		return;
	sim = req->sim;
	for (unsigned int i = 0; i < req->num; i++) {
		struct sim_line *line = &sim->lines[req->offsets[i]];

		/*
		 * direction and output value stay, as gpiod_free() leaves them; so
		 * do the event clock flags, which it does not clear either
		 */
		simline_detector_stop(line);
		line->flags &= VGC_LINE_CLOCK_FLAGS;
		line->req = NULL;
	}
	if (req->prev)
		req->prev->next = req->next;
	else
		sim->reqs = req->next;
	if (req->next)
		req->next->prev = req->prev;
	free(req);
	sim_timer_rearm(sim);
}

static int sim_get_values(struct vgc_breq *br, uint64_t mask, uint64_t *bits)
{
	struct sim_req *req = simreq_from(br);
	uint64_t out = 0;

	for (unsigned int i = 0; i < req->num; i++) {
		const struct sim_line *line = &req->sim->lines[req->offsets[i]];
		int value;

		if (!(mask & (1ULL << i)))
			continue;
		if (line->sw_debounced)
			value = line->level;
		else
			value = simline_physical(line);
		if (value ^ !!(line->flags & GPIO_V2_LINE_FLAG_ACTIVE_LOW))
			out |= 1ULL << i;
	}
	*bits = out;
	return 0;
}

static int sim_set_values(struct vgc_breq *br, uint64_t mask, uint64_t bits)
{
	struct sim_req *req = simreq_from(br);

	/* check every line first so a refusal changes nothing */
	for (unsigned int i = 0; i < req->num; i++)
		if ((mask & (1ULL << i)) && !req->sim->lines[req->offsets[i]].is_out)
			return -EPERM;
	for (unsigned int i = 0; i < req->num; i++) {
		struct sim_line *line = &req->sim->lines[req->offsets[i]];

		if (mask & (1ULL << i))
			line->out_value = !!(bits & (1ULL << i)) ^
					  !!(line->flags & GPIO_V2_LINE_FLAG_ACTIVE_LOW);
	}
	return 0;
}

static int sim_set_config(struct vgc_breq *br, const struct gpio_v2_line_config *cfg)
{
	struct sim_req *req = simreq_from(br);
	struct sim_backend *sim = req->sim;

	for (unsigned int i = 0; i < req->num; i++) {
		struct sim_line *line = &sim->lines[req->offsets[i]];
		uint64_t flags = vgc_linecfg_flags(cfg, i);
		uint64_t edflags = flags & SIM_EDGE_DETECTOR_FLAGS;
		int before = simline_physical(line);

		/* lines not given a direction are left as they are */
		if (!(flags & VGC_LINE_DIRECTION_FLAGS))
			continue;
		simline_assign_flags(line, flags);
		if (flags & GPIO_V2_LINE_FLAG_OUTPUT) {
			simline_detector_stop(line);
			line->is_out = true;
			line->out_value = vgc_linecfg_output_value(cfg, i) ^
					  !!(flags & GPIO_V2_LINE_FLAG_ACTIVE_LOW);
			line->edflags = edflags;
			continue;
		}
		line->is_out = false;
		/* a new bias moves the pin as gpio-sim's pull does */
		if (simline_detector_update(line, cfg, i, edflags) &&
		    simline_physical(line) != before)
			simline_raw_changed(sim, line);
		line->edflags = edflags;
	}
	sim_timer_rearm(sim);
	return 0;
}

static int sim_line_info(struct vgc_backend *be, uint32_t offset, struct gpio_v2_line_info *info)
{
	struct sim_backend *sim = sim_from(be);
	const struct sim_line *line;

	if (offset >= sim->num_lines)
		return -EINVAL;
	line = &sim->lines[offset];
	memset(info, 0, sizeof(*info));
	info->offset = offset;
	info->flags = line->flags;
	info->flags |= line->is_out ? GPIO_V2_LINE_FLAG_OUTPUT : GPIO_V2_LINE_FLAG_INPUT;
	/* the kernel reports one clock: REALTIME wins over HTE */
	if (info->flags & GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME)
		info->flags &= ~(uint64_t)GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE;
	if (line->req) {
		info->flags |= GPIO_V2_LINE_FLAG_USED;
		snprintf(info->consumer, sizeof(info->consumer), "%s", line->req->consumer);
	}
	if (line->debounce_us) {
		info->attrs[0].id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
		info->attrs[0].debounce_period_us = line->debounce_us;
		info->num_attrs = 1;
	}
	return 0;
}

static int sim_poll_fd(struct vgc_backend *be)
{
	return sim_from(be)->timer_fd;
}

/* The pending debounce line with the earliest deadline at or before now. */
static struct sim_line *sim_first_expired(struct sim_backend *sim, uint64_t now)
{
	struct sim_line *first = NULL;

	for (struct sim_req *req = sim->reqs; req; req = req->next) {
		for (unsigned int i = 0; i < req->num; i++) {
			struct sim_line *line = &sim->lines[req->offsets[i]];

			if (line->timer_pending && line->deadline_ns <= now &&
			    (!first || line->deadline_ns < first->deadline_ns))
				first = line;
		}
	}
	return first;
}

static void sim_dispatch(struct vgc_backend *be)
{
	struct sim_backend *sim = sim_from(be);
	uint64_t ticks, now = sim_now_ns(CLOCK_MONOTONIC);
	struct sim_line *line;
	ssize_t n;

	/* only clears readiness (EAGAIN if nothing fired); the deadlines say what is due */
	n = read(sim->timer_fd, &ticks, sizeof(ticks));
	(void)n;
	/* one at a time, in deadline order: each callback may change the set */
	while ((line = sim_first_expired(sim, now)))
		simline_debounce_expired(line);
	sim_timer_rearm(sim);
}

static void sim_close(struct vgc_backend *be)
{
	struct sim_backend *sim = sim_from(be);

	if (!sim)
		return;
	/* every request should be gone by now; free what a caller forgot */
	while (sim->reqs)
		sim_release((struct vgc_breq *)sim->reqs);
	close(sim->timer_fd);
	free(sim->lines);
	free(sim);
}

static const struct vgc_backend_ops sim_ops = {
	.kind = "sim",
	.num_lines = sim_num_lines,
	.request = sim_request,
	.release = sim_release,
	.get_values = sim_get_values,
	.set_values = sim_set_values,
	.set_config = sim_set_config,
	.line_info = sim_line_info,
	.poll_fd = sim_poll_fd,
	.dispatch = sim_dispatch,
	.close = sim_close,
};

struct vgc_backend *vgc_backend_sim_open(unsigned int num_lines)
{
	struct sim_backend *sim;
	int saved;

	if (num_lines == 0 || num_lines > SIM_MAX_LINES) {
		errno = EINVAL;
		return NULL;
	}
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return NULL;
	sim->base.ops = &sim_ops;
	sim->num_lines = num_lines;
	sim->lines = calloc(num_lines, sizeof(*sim->lines));
	if (!sim->lines)
		goto err_free_sim;
	/* every line starts as a floating, unrequested input */
	for (unsigned int i = 0; i < num_lines; i++)
		sim->lines[i].pull = -1;
	sim->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (sim->timer_fd < 0)
		goto err_free_lines;
	return &sim->base;

err_free_lines:
	saved = errno;
	free(sim->lines);
	errno = saved;
err_free_sim:
	saved = errno;
	free(sim);
	errno = saved;
	return NULL;
}

static struct sim_line *sim_line_at(struct vgc_backend *be, uint32_t offset)
{
	struct sim_backend *sim;

	if (!be || be->ops != &sim_ops)
		return NULL;
	sim = sim_from(be);
	return offset < sim->num_lines ? &sim->lines[offset] : NULL;
}

int vgc_sim_pull(struct vgc_backend *be, uint32_t offset, int level)
{
	struct sim_line *line = sim_line_at(be, offset);
	int before;

	if (!line || level < -1 || level > 1)
		return -EINVAL;
	before = simline_physical(line);
	/* an output keeps driving its value; the pull waits for it to become an input */
	line->pull = level;
	if (simline_physical(line) != before)
		simline_raw_changed(sim_from(be), line);
	return 0;
}

int vgc_sim_level(struct vgc_backend *be, uint32_t offset)
{
	struct sim_line *line = sim_line_at(be, offset);

	return line ? simline_physical(line) : -EINVAL;
}
