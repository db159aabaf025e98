/*
** Shared helpers for the Check suites: TC_CHECK_MAIN(suite_fn) runs one
** suite and returns 0 when every test passed.
*/
#ifndef TCSIM_TC_CHECK_H
#define TCSIM_TC_CHECK_H

#include <stdlib.h>

#include <check.h>

#define TC_CHECK_MAIN(suite_fn)                                                                    \
    int main(void)                                                                                 \
    {                                                                                              \
        SRunner *sr = srunner_create(suite_fn());                                                  \
        srunner_run_all(sr, CK_ENV);                                                               \
        int failed = srunner_ntests_failed(sr);                                                    \
        srunner_free(sr);                                                                          \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                               \
    }

#endif
