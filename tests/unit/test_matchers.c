/* test_matchers.c - the rule table: unique ids, families that match the
 * id's letter, parameter tables closed, parameter lists parse. */
#include "testutil.h"
#include "../../matchers/matchers.h"

static void test_table(void **state)
{
	(void)state;
	assert_true(bd_nmatchers >= 6);
	for (size_t i = 0; i < bd_nmatchers; i++) {
		const bd_matcher *m = &bd_matchers[i];
		assert_int_equal(strlen(m->id), 3);
		static const char letters[] = "CLRQ";
		assert_int_equal(m->id[0], letters[m->family]);
		assert_non_null(m->run);
		assert_non_null(m->params);
		assert_true(m->needs & BD_NEEDS(BD_DS_ROLL));
		for (const bd_param *p = m->params; p->name; p++) {
			assert_non_null(p->def);
			assert_non_null(p->doc);
		}
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(bd_matchers[j].id, m->id);
	}
}

static void test_programme_lists(void **state)
{
	(void)state;
	unsigned set;
	assert_int_equal(bd_prog_set("DIBAO, TEKUN,BIANYUAN", &set), BD_OK);
	assert_true(set & (1u << BD_PROG_TEKUN));
	assert_false(set & (1u << BD_PROG_GUER));
	assert_int_equal(bd_prog_set("DIBAO, 低保", &set), BD_ERR_CONFIG);
	char d[16];
	assert_string_equal(bd_fmt_date(20261231, d), "2026-12-31");
	assert_string_equal(bd_fmt_date(0, d), "不详");
	char s[96];
	assert_string_equal(bd_death_sources(BD_SRC_GA | BD_SRC_MZ, s, sizeof(s)),
			    "公安户籍、民政火化记录");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_programme_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
