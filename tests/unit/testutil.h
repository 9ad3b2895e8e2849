/* testutil.h - cmocka boilerplate shared by the unit tests. */
#ifndef BD_TESTUTIL_H
#define BD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Directory of the shared sample district (../shared/data/samples). */
static inline const char *test_samples_dir(void)
{
	const char *d = getenv("BD_SAMPLES");
	return d && *d ? d : "../shared/data/samples";
}

#define assert_str(a, b) assert_string_equal((a), (b))

#endif
