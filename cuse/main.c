// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vgpiochip: serve a virtual gpiochip to one tenant.
 *   vgpiochip --name NAME [--chip CHIP | --sim N] --map LIST [options]   the daemon
 *   vgpiochip attach --name NAME --pid PID [--node PATH]     give a container the chip
 *   vgpiochip sim NAME set LINE 0|1 | get LINE               drive simulated host lines
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdi.h"
#include "settings.h"
#include "daemon.h"
#include "../vhost/vhost.h"

#ifndef VGC_VERSION
#define VGC_VERSION "0.1.0"
#endif

static const char usage[] =
	"Usage: vgpiochip --name NAME [--chip CHIP | --sim N] --map LIST [OPTIONS]\n"
	"       vgpiochip --config FILE [OPTIONS]\n"
	"       vgpiochip --name NAME --vhost-user SOCKET [--chip CHIP | --sim N] --map LIST\n"
	"       vgpiochip status NAME [--json]\n"
	"       vgpiochip reload NAME\n"
	"       vgpiochip attach --name NAME --pid PID [--node /dev/gpiochipN] [--sysfs]\n"
	"       vgpiochip sim NAME set LINE 0|1\n"
	"       vgpiochip sim NAME get LINE\n"
	"       vgpiochip cdi NAME [--dir /etc/cdi] [--view-dir DIR]\n"
	"\n"
	"Serves a virtual GPIO chip (a CUSE device that behaves like /dev/gpiochipN)\n"
	"whose lines are a remapped subset of host lines.\n"
	"\n"
	"  -f, --config FILE      settings and per-line rules (vgpiochip.conf(5));\n"
	"                         options given here win over the file\n"
	"  -n, --name NAME        tenant name (device /dev/vgpiochip-NAME)\n"
	"  -c, --chip CHIP        host chip: /dev/gpiochipN, gpiochipN or its label\n"
	"                         (default gpiochip0)\n"
	"  -s, --sim N            simulated host chip of N lines instead\n"
	"  -m, --map LIST         virtual:host lines, e.g. 4:17,5:27 or 0-3:10-13 or 4:17=LED\n"
	"  -l, --lines N          number of virtual lines (default: highest mapped + 1)\n"
	"      --chip-name NAME   chip name the tenant sees (default: basename of --node)\n"
	"      --label LABEL      chip label the tenant sees (default: NAME)\n"
	"      --devname DEVNAME  CUSE device name (default vgpiochip-NAME)\n"
	"      --dev MAJ:MIN      fixed device number (keeps attached views valid on restart);\n"
	"                         MAJ from 300 to 383 and not in /proc/devices, e.g. 300:0\n"
	"      --node PATH        where tenants see the chip (default /dev/gpiochip0)\n"
	"      --run-dir DIR      control socket directory (default " VGC_RUN_DIR ")\n"
	"      --vhost-user SOCK  serve a VM instead: a vhost-user-gpio back end on SOCK\n"
	"      --sysfs            also serve /sys/class/gpio (attach --sysfs puts it in)\n"
	"      --sysfs-base N     its numbers: gpio<N + line> (default 0; implies --sysfs)\n"
	"  -d, --debug            log every ioctl and injection\n"
	"  -h, --help             this help\n"
	"  -V, --version          version\n";

static int parse_uint(const char *opt, const char *s, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		fprintf(stderr, "vgpiochip: %s '%s' is not a number from 0 to %u\n", opt, s, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int cmd_sim(int argc, char **argv, const char *run_dir)
{
	char line[128];

	if (argc == 4 && !strcmp(argv[2], "get"))
		snprintf(line, sizeof(line), "sim get %s", argv[3]);
	else if (argc == 5 && !strcmp(argv[2], "set"))
		snprintf(line, sizeof(line), "sim set %s %s", argv[3], argv[4]);
	else {
		fprintf(stderr, "Usage: vgpiochip sim NAME set LINE 0|1\n"
				"       vgpiochip sim NAME get LINE\n");
		return 2;
	}
	return vgc_ctl_request(run_dir, argv[1], line);
}

static int cmd_attach(int argc, char **argv, const char *run_dir)
{
	static const struct option lopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "node", required_argument, NULL, 'N' },
		{ "sysfs", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *name = NULL, *node = "/dev/gpiochip0";
	unsigned int pid = 0;
	char line[PATH_MAX + 64];
	bool sysfs = false;
	int c;

	while ((c = getopt_long(argc, argv, "n:p:N:Sh", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'p':
			if (parse_uint("--pid", optarg, 4194304, &pid))
				return 2;
			break;
		case 'N':
			node = optarg;
			break;
		case 'S':
			sysfs = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (!name || !pid || node[0] != '/') {
		fprintf(stderr, "vgpiochip attach: needs --name NAME --pid PID and an absolute "
				"--node path (default /dev/gpiochip0)\n");
		return 2;
	}
	snprintf(line, sizeof(line), "attach %u %s%s", pid, node, sysfs ? " sysfs" : "");
	return vgc_ctl_request(run_dir, name, line);
}

/* A subcommand (status, reload, attach, sim, cdi): its exit status; -1 for none. */
static int run_subcommand(int argc, char **argv, const char *run_dir)
{
	if (argc < 2)
		return -1;
	if (!strcmp(argv[1], "sim"))
		return cmd_sim(argc - 1, argv + 1, run_dir);
	if (!strcmp(argv[1], "attach"))
		return cmd_attach(argc - 1, argv + 1, run_dir);
	if (!strcmp(argv[1], "cdi"))
		return vgc_cdi_command(argc - 1, argv + 1, run_dir);
	if (!strcmp(argv[1], "status") && argc == 4 &&
	    (!strcmp(argv[2], "--json") || !strcmp(argv[3], "--json")))
		return vgc_ctl_request(run_dir, strcmp(argv[2], "--json") ? argv[2] : argv[3],
				       "status json");
	if (!strcmp(argv[1], "status") || !strcmp(argv[1], "reload")) {
		if (argc != 3) {
			fprintf(stderr, "Usage: vgpiochip %s NAME%s\n", argv[1],
				!strcmp(argv[1], "status") ? " [--json]" : "");
			return 2;
		}
		return vgc_ctl_request(run_dir, argv[2], argv[1]);
	}
	return -1;
}

/*
 * The daemon's command line: what only it says into opt, the tenant's
 * settings into flags (which go over the file's), the map as written into
 * *map. 0 to go on, an exit status of 2 for a mistake, or -1 once --help or
 * --version has said all there is to say (exit 0).
 */
static int parse_daemon_args(int argc, char **argv, struct vgc_options *opt,
			     struct vgc_config_flags *flags, const char **map, const char **vhost)
{
	enum { O_CHIP_NAME = 256, O_LABEL, O_DEVNAME, O_DEV, O_NODE, O_RUN_DIR, O_VHOST, O_SYSFS,
	       O_SYSFS_BASE };
	static const struct option lopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "sim", required_argument, NULL, 's' },
		{ "chip", required_argument, NULL, 'c' },
		{ "map", required_argument, NULL, 'm' },
		{ "lines", required_argument, NULL, 'l' },
		{ "chip-name", required_argument, NULL, O_CHIP_NAME },
		{ "label", required_argument, NULL, O_LABEL },
		{ "devname", required_argument, NULL, O_DEVNAME },
		{ "dev", required_argument, NULL, O_DEV },
		{ "node", required_argument, NULL, O_NODE },
		{ "run-dir", required_argument, NULL, O_RUN_DIR },
		{ "vhost-user", required_argument, NULL, O_VHOST },
		{ "sysfs", no_argument, NULL, O_SYSFS },
		{ "sysfs-base", required_argument, NULL, O_SYSFS_BASE },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:n:s:c:m:l:dhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			opt->config = optarg;
			break;
		case 'n':
			flags->tenant = optarg;
			break;
		case 's':
			if (parse_uint("--sim", optarg, 65535, &flags->sim_lines))
				return 2;
			if (!flags->sim_lines) {
				fprintf(stderr, "vgpiochip: --sim wants 1 to 65535 lines\n");
				return 2;
			}
			break;
		case 'c':
			flags->chip = optarg;
			break;
		case 'm':
			*map = optarg;
			break;
		case 'l':
			if (parse_uint("--lines", optarg, VGC_MAP_MAX_LINES, &flags->lines))
				return 2;
			break;
		case O_CHIP_NAME:
			flags->chip_name = optarg;
			break;
		case O_LABEL:
			flags->label = optarg;
			break;
		case O_DEVNAME:
			flags->devname = optarg;
			break;
		case O_DEV:
			if (vgc_config_parse_dev(optarg, &flags->dev_major, &flags->dev_minor)) {
				fprintf(stderr, "vgpiochip: bad --dev '%s'; allowed: %s\n", optarg,
					VGC_CONFIG_DEV_ALLOWED);
				return 2;
			}
			flags->has_dev = true;
			break;
		case O_NODE:
			flags->node = optarg;
			break;
		case O_RUN_DIR:
			opt->run_dir = optarg;
			break;
		case O_VHOST:
			*vhost = optarg;
			break;
		case O_SYSFS:
			opt->sysfs = true;
			break;
		case O_SYSFS_BASE:
			/* the kernel's global numbers are ints; leave room for the lines */
			if (parse_uint("--sysfs-base", optarg, 1 << 30, &opt->sysfs_base))
				return 2;
			opt->sysfs = true;
			break;
		case 'd':
			opt->debug = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case 'V':
			puts("vgpiochip " VGC_VERSION);
			return -1;
		default:
			fputs("Try 'vgpiochip --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vgpiochip: unexpected argument '%s'; try 'vgpiochip --help'\n",
			argv[optind]);
		return 2;
	}
	return 0;
}

/* What the command line alone can get wrong: 0, or 2 with the fix said. */
static int check_daemon_args(const struct vgc_options *opt, const struct vgc_config_flags *flags,
			     const char *map)
{
	if (flags->tenant && (!flags->tenant[0] || strpbrk(flags->tenant, "/ "))) {
		fprintf(stderr, "vgpiochip: --name wants a tenant name without '/' or spaces, "
				"e.g. --name vpi1\n");
		return 2;
	}
	if (flags->chip && !flags->chip[0]) {
		fprintf(stderr, "vgpiochip: --chip wants /dev/gpiochipN, gpiochipN or a chip "
				"label\n");
		return 2;
	}
	if (flags->node && flags->node[0] != '/') {
		fprintf(stderr, "vgpiochip: --node must be an absolute path such as /dev/gpiochip0\n");
		return 2;
	}
	if (!opt->config && !map) {
		fprintf(stderr, "vgpiochip: --map (e.g. --map 4:17,5:27) or --config FILE is "
				"needed; try 'vgpiochip --help'\n");
		return 2;
	}
	return 0;
}

/* The file with the flags over it, checked: the settings, or NULL after saying why. */
static struct vgc_config *load_settings(const struct vgc_options *opt,
					const struct vgc_config_flags *flags)
{
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_config *cfg = vgc_settings_load(opt->config, flags, err, sizeof(err));

	if (!cfg) {
		fprintf(stderr, "vgpiochip: %s\n", err);
		return NULL;
	}
	if (strpbrk(cfg->tenant, "/ ")) {
		fprintf(stderr, "vgpiochip: tenant name '%s' has '/' or spaces; set tenant = NAME "
				"in [chip] or give --name\n", cfg->tenant);
		vgc_config_free(cfg);
		return NULL;
	}
	return cfg;
}

int main(int argc, char **argv)
{
	const char *run_dir = getenv("VGPIOCHIP_RUN_DIR"), *map_text = NULL, *vhost = NULL;
	struct vgc_options opt = { .run_dir = run_dir && run_dir[0] ? run_dir : VGC_RUN_DIR };
	struct vgc_config_flags flags = { 0 };
	char err[VGC_CONFIG_ERR_MAX];
	struct vgc_map *map = NULL;
	struct vgc_config *cfg;
	int ret;

	ret = run_subcommand(argc, argv, opt.run_dir);
	if (ret >= 0)
		return ret;
	ret = parse_daemon_args(argc, argv, &opt, &flags, &map_text, &vhost);
	if (ret)
		return ret < 0 ? 0 : ret;
	ret = check_daemon_args(&opt, &flags, map_text);
	if (ret)
		return ret;
	/* a guest has its own sysfs, from its own virtio-gpio chip */
	if (vhost && opt.sysfs) {
		fprintf(stderr, "vgpiochip: --sysfs serves containers; a --vhost-user guest's kernel "
				"has its own /sys/class/gpio (CONFIG_GPIO_SYSFS): leave --sysfs out\n");
		return 2;
	}
	if (map_text) {
		map = vgc_policy_map_parse(map_text, err, sizeof(err));
		if (!map) {
			fprintf(stderr, "vgpiochip: %s\n", err);
			return 2;
		}
	}
	flags.map = map;
	cfg = load_settings(&opt, &flags);
	if (!cfg) {
		vgc_policy_map_free(map);
		return 2;
	}
	/* a VM instead of a CUSE device: the same tenant, another front end */
	ret = vhost ? vgc_vhost_run(&opt, cfg, &flags, vhost) : vgc_daemon_run(&opt, cfg, &flags);
	vgc_policy_map_free(map);
	return ret;
}
