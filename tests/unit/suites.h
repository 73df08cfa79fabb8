/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VGC_TEST_SUITES_H
#define VGC_TEST_SUITES_H

#include <check.h>

/* One suite per module; each is defined in its own test_*.c file. */
Suite *vgc_test_map_suite(void);
Suite *vgc_test_sim_suite(void);
Suite *vgc_test_conformance_suite(void);
Suite *vgc_test_scenario_suite(void);
Suite *vgc_test_rules_suite(void);
Suite *vgc_test_config_suite(void);
Suite *vgc_test_policy_suite(void);
Suite *vgc_test_mediation_suite(void);
Suite *vgc_test_attach_suite(void);
Suite *vgc_test_examples_suite(void);
Suite *vgc_test_notify_suite(void);
Suite *vgc_test_vhost_suite(void);
Suite *vgc_test_sysfs_suite(void);

#endif
