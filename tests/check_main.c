/* check_main.c — the one Check runner: every tests/check_<module>.c
 * exports Suite *<module>_suite(void); the Makefile lists them in
 * suites.h.  Set CK_RUN_SUITE=<module> to run one suite.  Every run,
 * in this process or a parsim it starts, checks the coherence invariants
 * (PARSIM_CHECK_COHERENCE=1, as --check-coherence) and the deterministic
 * scheduler's queue against a scan of every hart (PARSIM_CHECK_SCHED=1). */
#include <check.h>
#include <stdlib.h>

#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

int main(void)
{
    setenv("PARSIM_CHECK_COHERENCE", "1", 1);
    setenv("PARSIM_CHECK_SCHED", "1", 1);
    SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
