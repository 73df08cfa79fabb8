/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Between the config file's tests (test_config.c) and those of flags over it and reloads. */
#ifndef VGC_TEST_CONFIG_H
#define VGC_TEST_CONFIG_H

#include <check.h>

#include "../../policy/config.h"

/* The file name every test's messages carry. */
#define F "/etc/vgpiochip/t.conf"
#define X10 "xxxxxxxxxx"

/* text parsed with no error, or the test fails */
struct vgc_config *config_parse_ok(const char *text);
/* --map and the other flags over a file, and reloads */
TCase *vgc_test_config_flags_tcase(void);

#endif
