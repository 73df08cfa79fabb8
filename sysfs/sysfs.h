/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The legacy GPIO sysfs interface (/sys/class/gpio) over the same virtual
 * chip as the chardev: export/unexport and gpioN/{direction,value,edge,
 * active_low} with the kernel's semantics and errnos (drivers/gpio/
 * gpiolib-sysfs.c), and gpiochipN/{base,label,ngpio}.
 *
 * An exported line is a line request made through the uapi layer, as a
 * chardev client's is: rules, toggle rate, audit, watchers and the busy
 * state are the chip's, never written twice. gpio.c holds those semantics
 * and knows nothing of FUSE; fs.c serves them as a filesystem.
 */
#ifndef VGC_SYSFS_H
#define VGC_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../uapi/uapi.h"

/* sysfs attributes are one page: longer writes are cut to it, as kernfs does */
#define VGC_SYSFS_PAGE 4096

enum vgc_sysfs_attr {
	VGC_SYSFS_DIRECTION,
	VGC_SYSFS_VALUE,
	VGC_SYSFS_EDGE,
	VGC_SYSFS_ACTIVE_LOW,
	VGC_SYSFS_NUM_ATTRS,
};

struct vgc_sysfs;

/* Numbers are base + virtual offset; the chip must outlive it. NULL and errno. */
struct vgc_sysfs *vgc_sysfs_new(struct vgc_chip *chip, unsigned int base, const char *label);
/* Unexports everything (lines to their release states) and frees. */
void vgc_sysfs_free(struct vgc_sysfs *s);
unsigned int vgc_sysfs_base(const struct vgc_sysfs *s);
unsigned int vgc_sysfs_num_lines(const struct vgc_sysfs *s);

/* Writes to export and unexport by process pid: len or -errno (unexport: *virt is the line). */
ssize_t vgc_sysfs_export(struct vgc_sysfs *s, pid_t pid, const char *buf, size_t len);
ssize_t vgc_sysfs_unexport(struct vgc_sysfs *s, pid_t pid, const char *buf, size_t len,
			   uint32_t *virt);

/* Whether virtual line virt is exported (gpio<base+virt> exists). */
bool vgc_sysfs_exported(const struct vgc_sysfs *s, uint32_t virt);
/* The text of an attribute into buf (NUL-terminated): its length or -errno. */
ssize_t vgc_sysfs_show(struct vgc_sysfs *s, uint32_t virt, enum vgc_sysfs_attr attr,
		       char *buf, size_t size);
ssize_t vgc_sysfs_store(struct vgc_sysfs *s, pid_t pid, uint32_t virt,
			enum vgc_sysfs_attr attr, const char *buf, size_t len);

/*
 * Edge events queued for exported lines are taken (as the kernel's irq
 * handler does, they only bump the line's event count) and the count of
 * each line that got one is bumped. Also lets go of everything once the chip
 * is gone. Returns how many lines had an edge or went.
 */
unsigned int vgc_sysfs_drain(struct vgc_sysfs *s);
/* The line's event count: poll() says POLLPRI|POLLERR while a reader has not seen it. */
uint64_t vgc_sysfs_events(const struct vgc_sysfs *s, uint32_t virt);

/* The chip's text attributes (gpiochip<base>/...). */
ssize_t vgc_sysfs_chip_show(struct vgc_sysfs *s, const char *name, char *buf, size_t size);

/* Parsers as the kernel's kstrtol() (base 0, one trailing newline) and sysfs_streq(). */
int vgc_sysfs_strtol(const char *buf, size_t len, long *out);
bool vgc_sysfs_streq(const char *buf, size_t len, const char *word);

#endif
