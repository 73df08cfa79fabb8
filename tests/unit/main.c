// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs every module's suite. Check prints one TAP line per test when
 * CK_TAP_LOG_FILE_NAME is "-" (make check-unit sets it), and the end line
 * closes the run (tests/tally.sh counts the first, requires the second).
 */
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		vgc_test_map_suite,	vgc_test_sim_suite,	vgc_test_conformance_suite,
		vgc_test_scenario_suite, vgc_test_rules_suite,	vgc_test_config_suite,
		vgc_test_policy_suite,	vgc_test_mediation_suite, vgc_test_attach_suite,
		vgc_test_examples_suite, vgc_test_notify_suite, vgc_test_vhost_suite,
		vgc_test_sysfs_suite,
	};
	/* linked strongly: a suite that is listed but missing fails the link */
	SRunner *sr = srunner_create(suites[0]());

	for (size_t i = 1; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	int run = srunner_ntests_run(sr);
	srunner_free(sr);
	printf("# end of unit-tests: %d passed, %d failed\n", run - failed, failed);
	return failed || run == 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
