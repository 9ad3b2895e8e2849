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
		assert_non_null(m->cols);
		for (const bd_evcol *c = m->cols; c->label; c++) {
			assert_true(c->width > 0);
			assert_null(strstr(c->label, "："));
			assert_string_not_equal(c->label, "说明"); /* the report's own column */
		}
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

/* bd_ev: "标签：值" joined by "；"; a "；" inside a value cannot split it,
 * a long value is cut on a character boundary. */
static void test_evidence(void **state)
{
	(void)state;
	bd_flag f;
	memset(&f, 0, sizeof(f));
	bd_ev(&f, "死亡日期", "%s", "2026-11-30");
	bd_ev(&f, "说明", "甲；乙\n丙");
	assert_string_equal(f.evidence, "死亡日期：2026-11-30；说明：甲，乙 丙");
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 200; i++)
		bd_ev(&f, "义务人", "张三（配偶，已死亡）");
	size_t n = strlen(f.evidence);
	assert_true(n < sizeof(f.evidence));
	/* the text ends on a whole UTF-8 character */
	const unsigned char *u = (const unsigned char *)f.evidence;
	size_t k = n;
	while (k > 0 && (u[k - 1] & 0xc0) == 0x80)
		k--;
	assert_true(k > 0);
	unsigned char lead = u[k - 1];
	size_t want = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	assert_int_equal(n - (k - 1), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_programme_lists),
		cmocka_unit_test(test_evidence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
