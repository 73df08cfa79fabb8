/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `vgpiochip cdi NAME`: a Container Device Interface spec for a running
 * daemon, plus the host directories its sysfs view mounts come from, so that
 * podman, containerd, CRI-O or docker can give a container the chip, and LXD
 * or Incus disk devices can mount the same view.
 */
#ifndef VGC_CDI_H
#define VGC_CDI_H

/* The CDI kind: devices are named vgpiochip.dev/gpio=NAME. */
#define VGC_CDI_KIND "vgpiochip.dev/gpio"
/* Persistent (podman reads /etc/cdi and /var/run/cdi): there after a reboot. */
#define VGC_CDI_DIR "/etc/cdi"
/* Persistent, so that a container manager's saved mounts survive a reboot. */
#define VGC_VIEW_DIR "/var/lib/vgpiochip/view"

/*
 * The subcommand: argv[0] is "cdi". Asks the daemon of NAME (control socket
 * in run_dir) for its device, fills VIEW_DIR/NAME/{char,gpio} and writes
 * DIR/vgpiochip-NAME.json. Prints what it wrote; returns the exit status.
 */
int vgc_cdi_command(int argc, char **argv, const char *run_dir);

#endif
