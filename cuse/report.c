// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the daemon reports: the core's audit records as log lines, and the
 * `vgpiochip status` table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"

/* repeated identical denials (a tight loop at a rate limit) are logged once a second */
#define REPORT_REPEAT_NS 1000000000ull

static void report_list(char *buf, size_t len, const uint32_t *v, unsigned int n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : "", v[i]);
}

static const char *report_direction(uint64_t flags)
{
	if (flags & GPIO_V2_LINE_FLAG_OUTPUT)
		return "output";
	if (flags & GPIO_V2_LINE_FLAG_INPUT)
		return "input";
	return "as-is";
}

static const char *const report_events[] = {
	[VGC_AUDIT_REQUEST] = "request",
	[VGC_AUDIT_RELEASE] = "release",
	[VGC_AUDIT_RECONFIG] = "reconfigure",
	[VGC_AUDIT_DENIED] = "denied",
};

/*
 * A tenant's label as the host's logs and terminals get it: printable
 * ASCII only, and no quote or backslash that could end the value early.
 */
static const char *report_label(char *buf, size_t size, const char *label)
{
	vgc_policy_quote(buf, size, label, strlen(label));
	for (char *c = buf; *c; c++)
		if (*c == '"' || *c == '\\')
			*c = '?';
	return buf;
}

/*
 * One line per record, key=value, so journald and syslog readers can grep
 * it: "audit: event=denied tenant=vpi1 pid=42 consumer="gpioset" line=4
 * host=17 rule=directions attempted=output allowed=input errno=EPERM".
 */
void vgc_report_audit(const struct vgc_audit *a, void *data)
{
	struct vgc_daemon *d = data;
	char virt[400], host[400], label[GPIO_MAX_NAME_SIZE + 4];
	uint64_t now;
	struct timespec ts;

	if (a->event == VGC_AUDIT_DENIED) {
		const struct vgc_denial *w = a->why;
		uint32_t line = a->offsets[w->index];

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		/* the same refusal again within a second: count it, say it later */
		if (d->last_denial.line == line && !strcmp(d->last_denial.rule, w->rule) &&
		    d->last_denial.pid == a->pid && now - d->last_denial.ns < REPORT_REPEAT_NS) {
			d->last_denial.repeats++;
			return;
		}
		vgc_log(d, "audit: event=denied tenant=%s pid=%d consumer=\"%s\" line=%u host=%u "
			"rule=%s attempted=\"%s\" allowed=\"%s\" errno=%s%s%.0llu%s",
			d->cfg->tenant, (int)a->pid, report_label(label, sizeof(label), a->consumer),
			line, a->hosts[w->index], w->rule,
			w->attempted, w->allowed, a->result == -EPERM ? "EPERM" : "EAGAIN",
			d->last_denial.repeats ? " (and " : "",
			(unsigned long long)d->last_denial.repeats,
			d->last_denial.repeats ? " more like the last before)" : "");
		d->last_denial.line = line;
		d->last_denial.pid = a->pid;
		snprintf(d->last_denial.rule, sizeof(d->last_denial.rule), "%s", w->rule);
		d->last_denial.ns = now;
		d->last_denial.repeats = 0;
		return;
	}
	report_list(virt, sizeof(virt), a->offsets, a->num_lines);
	report_list(host, sizeof(host), a->hosts, a->num_lines);
	vgc_log(d, "audit: event=%s tenant=%s pid=%d consumer=\"%s\" lines=%s host=%s%s%s "
		"outcome=ok", report_events[a->event], d->cfg->tenant, (int)a->pid,
		report_label(label, sizeof(label), a->consumer), virt,
		host, a->flags ? " direction=" : "", a->flags ? report_direction(a->flags[0]) : "");
}

static size_t report_add(char *buf, size_t len, size_t used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t report_add(char *buf, size_t len, size_t used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= len)
		return used;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	return n < 0 ? used : used + (size_t)n;
}

static const char *report_value(int v)
{
	return v < 0 ? "-" : v ? "1" : "0";
}

size_t vgc_report_status(struct vgc_daemon *d, char *buf, size_t len)
{
	const struct vgc_chip_counters *c = vgc_chip_counters(d->chip);
	const char *host = vgc_backend_host_name(d->be);
	size_t used = 0;

	used = report_add(buf, len, used,
			"tenant %s: %s (%s \"%s\", %u lines) over %s%s\n"
			"requests %llu, releases %llu, reconfigurations %llu, denials %llu, "
			"injections %llu (failed %llu), open files %u%s\n"
			"%-4s %-5s %-12s %-8s %-16s %-7s %-6s %-5s %s\n",
			d->cfg->tenant, d->host_node, d->chip_name, d->label,
			vgc_chip_num_lines(d->chip), host ? "host chip " : "simulated lines",
			host ? host : "",
			(unsigned long long)c->requests, (unsigned long long)c->releases,
			(unsigned long long)c->reconfigs, (unsigned long long)c->denials,
			(unsigned long long)d->injections, (unsigned long long)d->injection_failures,
			vgc_chip_num_files(d->chip), vgc_chip_is_gone(d->chip) ? ", GONE" : "",
			"LINE", "HOST", "NAME", "HOLDER", "CONSUMER", "DIR", "VALUE", "REQS",
			"DENIED TOGGLES-REFUSED EVENTS DROPPED");
	for (unsigned int v = 0; v < vgc_chip_num_lines(d->chip); v++) {
		struct vgc_line_status st;
		char holder[16] = "-", hostl[8] = "-", label[GPIO_MAX_NAME_SIZE + 4];
		const char *dir = "-";
		int value = -1;

		if (vgc_chip_line_status(d->chip, v, &st) || !st.mapped)
			continue;
		snprintf(hostl, sizeof(hostl), "%u", st.host);
		if (st.held) {
			snprintf(holder, sizeof(holder), "pid %d", (int)st.pid);
			dir = report_direction(st.flags);
			value = st.value;
		} else if (st.parked) {
			snprintf(holder, sizeof(holder), "released");
			dir = "output";
			value = st.level;
		}
		used = report_add(buf, len, used,
				"%-4u %-5s %-12s %-8s %-16s %-7s %-6s %-5llu %llu %llu %llu %llu%s\n",
				v, hostl, st.name[0] ? st.name : "-", holder,
				st.held ? report_label(label, sizeof(label), st.consumer) : "-", dir,
				report_value(value),
				(unsigned long long)st.cnt.requests,
				(unsigned long long)st.cnt.denials,
				(unsigned long long)st.cnt.toggles_refused,
				(unsigned long long)st.cnt.events,
				(unsigned long long)st.cnt.events_dropped,
				st.reload_pending ? " (reload waits for release)" : "");
	}
	return used < len ? used : len - 1;
}
