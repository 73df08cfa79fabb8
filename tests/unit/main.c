// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs every module's suite and closes with "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

/* Weak so a module whose suite is not linked in is simply absent. */
#pragma weak vgc_test_map_suite
#pragma weak vgc_test_sim_suite
#pragma weak vgc_test_conformance_suite
#pragma weak vgc_test_scenario_suite
#pragma weak vgc_test_inject_suite
#pragma weak vgc_test_rules_suite
#pragma weak vgc_test_config_suite
#pragma weak vgc_test_policy_suite
#pragma weak vgc_test_mediation_suite

int main(void)
{
	Suite *(*const suites[])(void) = {
		vgc_test_map_suite,	    vgc_test_sim_suite, vgc_test_conformance_suite,
		vgc_test_scenario_suite, vgc_test_inject_suite, vgc_test_rules_suite,
		vgc_test_config_suite,	    vgc_test_policy_suite, vgc_test_mediation_suite,
	};
	SRunner *sr = NULL;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!suites[i])
			continue;
		if (!sr)
			sr = srunner_create(suites[i]());
		else
			srunner_add_suite(sr, suites[i]());
	}
	if (!sr) {
		fprintf(stderr, "no test suite linked in\n");
		return 1;
	}
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	int run = srunner_ntests_run(sr);
	srunner_free(sr);
	printf("%d passed, %d failed\n", run - failed, failed);
	return failed || run == 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
