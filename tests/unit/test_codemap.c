/* test_codemap.c - region code -> record map: growth, lookups, walks. */
#include "testutil.h"
#include "bd/codemap.h"

#include <stdio.h>

typedef struct rec {
	char code[13];
	unsigned count;
} rec;

/* 3000 village codes and their 300 townships' 9-digit prefixes, counted
 * across many growths of the table; a 9-digit code is not its 12-digit
 * villages'. */
static void test_counts_survive_growth(void **state)
{
	(void)state;
	bd_codemap m;
	bd_codemap_init(&m, sizeof(rec));
	char code[16];
	for (int round = 0; round < 3; round++)
		for (unsigned v = 0; v < 3000; v++) {
			snprintf(code, sizeof(code), "411525%03u%03u", v / 10, v % 10);
			rec *r = bd_codemap_get(&m, code, 12);
			assert_non_null(r);
			assert_string_equal(r->code, code);
			r->count++;
			rec *t = bd_codemap_get(&m, code, 9);
			assert_non_null(t);
			assert_int_equal(strlen(t->code), 9);
			t->count++;
		}
	assert_int_equal(m.n, 3300);
	size_t seen = 0;
	for (size_t i = 0; i < m.cap; i++) {
		const rec *r = bd_codemap_slot(&m, i);
		if (!r)
			continue;
		seen++;
		assert_int_equal(r->count, strlen(r->code) == 12 ? 3u : 30u);
	}
	assert_int_equal(seen, 3300);
	rec *r = bd_codemap_get(&m, "411525017008", 12);
	assert_int_equal(r->count, 3);
	assert_null(bd_codemap_get(&m, "4115250170081", 13)); /* longer than a code */
	assert_null(bd_codemap_get(&m, "", 0));
	bd_codemap_release(&m);
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_survive_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
