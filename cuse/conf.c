// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's side of the configuration: reading the file at start and on
 * reload (the flags always win over the file), the audit log the core's
 * records turn into, and the report `vgpiochip status` prints.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "hostlock.h"

#define CONF_MAX_FILE (1u << 20)
/* repeated identical denials (a tight loop at a rate limit) are logged once a second */
#define CONF_REPEAT_NS 1000000000ull

static char *conf_read(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t n;

	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s (give the path of a vgpiochip.conf(5) "
			 "file)", path, strerror(errno));
		return NULL;
	}
	text = malloc(CONF_MAX_FILE + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(text, 1, CONF_MAX_FILE + 1, f);
	if (ferror(f) || n > CONF_MAX_FILE) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 ferror(f) ? strerror(errno) : "larger than 1 MiB");
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[n] = '\0';
	return text;
}

struct vgc_config *vgc_conf_load(const char *path, const struct vgc_config_flags *flags,
				 char *err, size_t errlen)
{
	char *text = path ? conf_read(path, err, errlen) : strdup("");
	struct vgc_config *cfg;

	if (!text)
		return NULL;
	cfg = vgc_config_parse(text, path ? path : "the command line", err, errlen);
	free(text);
	if (!cfg)
		return NULL;
	if (!path)
		cfg->tenant[0] = '\0';
	if (vgc_config_merge(cfg, flags, err, errlen))
		goto err_free;
	if (!cfg->tenant[0]) {
		snprintf(err, errlen, "no tenant name: give --name NAME (or tenant = NAME in "
			 "[chip] of a --config file)");
		goto err_free;
	}
	if (!cfg->num) {
		snprintf(err, errlen, "no lines to serve: give --map, e.g. --map 4:17,5:27, or "
			 "[line N] sections with host = H in %s",
			 path ? path : "a --config file");
		goto err_free;
	}
	return cfg;

err_free:
	vgc_config_free(cfg);
	return NULL;
}

void vgc_conf_options(struct vgc_options *opt, const struct vgc_config *cfg)
{
	opt->name = cfg->tenant;
	opt->chip = cfg->chip;
	opt->sim_lines = cfg->sim_lines;
	opt->lines = cfg->lines;
	opt->chip_name = cfg->chip_name;
	opt->label = cfg->label;
	opt->devname = cfg->devname;
	opt->node = cfg->node ? cfg->node : "/dev/gpiochip0";
	opt->dev_major = cfg->has_dev ? cfg->dev_major : 0;
	opt->dev_minor = cfg->has_dev ? cfg->dev_minor : 0;
}

int vgc_conf_apply(struct vgc_daemon *d, struct vgc_config *cfg, char *err, size_t errlen)
{
	struct vgc_rules *rules = calloc(cfg->num, sizeof(*rules));
	struct vgc_map *map;

	if (!rules)
		return -ENOMEM;
	map = vgc_config_to_map(cfg, err, errlen);
	if (!map) {
		free(rules);
		return -errno;
	}
	for (unsigned int i = 0; i < map->num; i++) {
		const struct vgc_rules *r = vgc_config_rules(cfg, map->entries[i].virt);

		rules[i] = r ? *r : vgc_rules_default;
	}
	vgc_policy_map_free(d->map);
	free(d->rules);
	d->map = map;
	d->rules = rules;
	return 0;
}

int vgc_conf_reload(struct vgc_daemon *d, char *msg, size_t len)
{
	struct vgc_map *old_map = d->map;
	struct vgc_rules *old_rules = d->rules;
	struct vgc_config *next;
	int ret;

	if (!d->opt.config) {
		snprintf(msg, len, "%s was started without --config: there is no file to "
			 "re-read", d->opt.name);
		return -EINVAL;
	}
	next = vgc_conf_load(d->opt.config, &d->flags, msg, len);
	if (!next)
		return -EINVAL;
	ret = vgc_config_check_reload(d->cfg, next, msg, len);
	if (ret)
		goto err_free_next;
	/* the new map and rules are built aside: an error keeps the old ones */
	d->map = NULL;
	d->rules = NULL;
	ret = vgc_conf_apply(d, next, msg, len);
	if (!ret)
		ret = vgc_daemon_claim_host_lines(d, msg, len);
	if (!ret) {
		ret = vgc_chip_update(d->chip, d->map, d->rules, next->lines);
		if (ret)
			snprintf(msg, len, "%s: a host line beyond the host chip's %u lines",
				 d->opt.config, d->be->ops->num_lines(d->be));
	}
	if (ret) {
		vgc_policy_map_free(d->map);
		free(d->rules);
		d->map = old_map;
		d->rules = old_rules;
		vgc_daemon_claim_host_lines(d, NULL, 0);
		goto err_free_next;
	}
	vgc_policy_map_free(old_map);
	free(old_rules);
	vgc_config_free(d->cfg);
	d->cfg = next;
	/* the same settings (check_reload saw to it), now in next's strings */
	vgc_conf_options(&d->opt, next);
	snprintf(msg, len, "reloaded %s: %u lines", d->opt.config, d->map->num);
	return 0;

err_free_next:
	vgc_config_free(next);
	return -EINVAL;
}

static void conf_list(char *buf, size_t len, const uint32_t *v, unsigned int n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : "", v[i]);
}

static const char *conf_direction(uint64_t flags)
{
	if (flags & GPIO_V2_LINE_FLAG_OUTPUT)
		return "output";
	if (flags & GPIO_V2_LINE_FLAG_INPUT)
		return "input";
	return "as-is";
}

static const char *const conf_events[] = {
	[VGC_AUDIT_REQUEST] = "request",
	[VGC_AUDIT_RELEASE] = "release",
	[VGC_AUDIT_RECONFIG] = "reconfigure",
	[VGC_AUDIT_DENIED] = "denied",
};

/*
 * A tenant's label as the host's logs and terminals get it: printable
 * ASCII only, and no quote or backslash that could end the value early.
 */
static const char *conf_label(char *buf, size_t size, const char *label)
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
void vgc_conf_audit(const struct vgc_audit *a, void *data)
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
		    d->last_denial.pid == a->pid && now - d->last_denial.ns < CONF_REPEAT_NS) {
			d->last_denial.repeats++;
			return;
		}
		vgc_log(d, "audit: event=denied tenant=%s pid=%d consumer=\"%s\" line=%u host=%u "
			"rule=%s attempted=\"%s\" allowed=\"%s\" errno=%s%s%.0llu%s",
			d->opt.name, (int)a->pid, conf_label(label, sizeof(label), a->consumer),
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
	conf_list(virt, sizeof(virt), a->offsets, a->num_lines);
	conf_list(host, sizeof(host), a->hosts, a->num_lines);
	vgc_log(d, "audit: event=%s tenant=%s pid=%d consumer=\"%s\" lines=%s host=%s%s%s "
		"outcome=ok", conf_events[a->event], d->opt.name, (int)a->pid,
		conf_label(label, sizeof(label), a->consumer), virt,
		host, a->flags ? " direction=" : "", a->flags ? conf_direction(a->flags[0]) : "");
}

static size_t conf_add(char *buf, size_t len, size_t used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t conf_add(char *buf, size_t len, size_t used, const char *fmt, ...)
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

static const char *conf_value(int v)
{
	return v < 0 ? "-" : v ? "1" : "0";
}

size_t vgc_conf_status(struct vgc_daemon *d, char *buf, size_t len)
{
	const struct vgc_chip_counters *c = vgc_chip_counters(d->chip);
	const char *host = vgc_backend_host_name(d->be);
	size_t used = 0;

	used = conf_add(buf, len, used,
			"tenant %s: %s (%s \"%s\", %u lines) over %s%s\n"
			"requests %llu, releases %llu, reconfigurations %llu, denials %llu, "
			"injections %llu (failed %llu), open files %u%s\n"
			"%-4s %-5s %-12s %-8s %-16s %-7s %-6s %-5s %s\n",
			d->opt.name, d->host_node, d->chip_name, d->label,
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
			dir = conf_direction(st.flags);
			value = st.value;
		} else if (st.parked) {
			snprintf(holder, sizeof(holder), "released");
			dir = "output";
			value = st.level;
		}
		used = conf_add(buf, len, used,
				"%-4u %-5s %-12s %-8s %-16s %-7s %-6s %-5llu %llu %llu %llu %llu%s\n",
				v, hostl, st.name[0] ? st.name : "-", holder,
				st.held ? conf_label(label, sizeof(label), st.consumer) : "-", dir,
				conf_value(value),
				(unsigned long long)st.cnt.requests,
				(unsigned long long)st.cnt.denials,
				(unsigned long long)st.cnt.toggles_refused,
				(unsigned long long)st.cnt.events,
				(unsigned long long)st.cnt.events_dropped,
				st.reload_pending ? " (reload waits for release)" : "");
	}
	return used < len ? used : len - 1;
}
