/* test_codes.c - programme keywords, person/certificate status, disability
 * category and grade, vehicle status, custody, owner kind, relations. */
#include "testutil.h"
#include "bd/codes.h"

#include <stdio.h>

#define S(x) (x), strlen(x)

static void test_prog_codes(void **state)
{
	(void)state;
	for (int p = BD_PROG_NONE + 1; p < BD_PROG_MAX; p++) {
		const char *c = bd_prog_code((bd_prog)p);
		assert_true(strlen(c) > 0);
		assert_true(strlen(bd_prog_name((bd_prog)p)) > 0);
		assert_int_equal(bd_prog_from_code(S(c)), p);
		/* a value equal to a code resolves as text too */
		assert_int_equal(bd_prog_from_text(S(c)), p);
	}
	assert_string_equal(bd_prog_code(BD_PROG_NONE), "");
	assert_string_equal(bd_prog_name(BD_PROG_NONE), "");
	assert_string_equal(bd_prog_code(BD_PROG_MAX), "");
	assert_string_equal(bd_prog_code(BD_PROG_CJ_SHENGHUO), "CJ_SHENGHUO");
	assert_string_equal(bd_prog_name(BD_PROG_CJ_HULI), "残疾人护理补贴");
	assert_int_equal(bd_prog_from_code(S("tekun")), BD_PROG_TEKUN);
	assert_int_equal(bd_prog_from_code(S(" DIBAO ")), BD_PROG_DIBAO);
	assert_int_equal(bd_prog_from_code(S("DIBAOX")), BD_PROG_NONE);
	assert_int_equal(bd_prog_from_code(S("低保")), BD_PROG_NONE);
	assert_int_equal(bd_prog_from_code(S("")), BD_PROG_NONE);
}

static void test_prog_keywords(void **state)
{
	(void)state;
	static const struct { const char *text; bd_prog p; } cases[] = {
		{ "农村低保", BD_PROG_DIBAO },
		{ "城市低保", BD_PROG_DIBAO },
		{ "最低生活保障对象（单人）", BD_PROG_DIBAO },
		{ "农村特困分散供养", BD_PROG_TEKUN },
		{ "城市特困集中供养", BD_PROG_TEKUN },
		{ "农村特困人员（分散供养）", BD_PROG_TEKUN },
		{ "分散供养", BD_PROG_TEKUN },
		{ "特困人员-7131", BD_PROG_TEKUN },
		{ "特困人员－7131", BD_PROG_TEKUN },
		{ "低保边缘", BD_PROG_BIANYUAN },
		{ "低保边缘家庭", BD_PROG_BIANYUAN },
		{ "低收入人口", BD_PROG_BIANYUAN },
		{ "刚性支出困难家庭", BD_PROG_BIANYUAN },
		{ "城乡孤儿", BD_PROG_GUER },
		{ "孤儿生活费", BD_PROG_GUER },
		{ "事实无人抚养儿童", BD_PROG_SHISHI },
		/* SHISHI comes before CJ_SHENGHUO */
		{ "事实无人抚养儿童生活补贴", BD_PROG_SHISHI },
		{ "重度残疾人护理补贴", BD_PROG_CJ_HULI },
		{ "困难残疾人生活补贴", BD_PROG_CJ_SHENGHUO },
		{ "80周岁以上高龄津贴", BD_PROG_GAOLING },
		{ "高龄补贴-12", BD_PROG_GAOLING },
		{ " 农村 低保 ", BD_PROG_DIBAO },
		/* 生活费 is not 生活补贴: a local name left to RUN.ini */
		{ "困境儿童生活费", BD_PROG_NONE },
		{ "临时救助", BD_PROG_NONE },
		{ "7131", BD_PROG_NONE },
		{ "-7131", BD_PROG_NONE },
		{ "", BD_PROG_NONE },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(cases); i++) {
		if (bd_prog_from_text(S(cases[i].text)) != cases[i].p)
			fail_msg("%s: got %d, want %d", cases[i].text,
				 bd_prog_from_text(S(cases[i].text)), cases[i].p);
	}
	/* only n bytes are read */
	assert_int_equal(bd_prog_from_text("低保边缘", 6), BD_PROG_DIBAO);
}

static void test_pstatus(void **state)
{
	(void)state;
	static const struct { const char *s; bd_pstatus st; } cases[] = {
		{ "正常", BD_PS_NORMAL }, { "0", BD_PS_NORMAL }, { "０", BD_PS_NORMAL },
		{ "死亡", BD_PS_DEAD }, { "1", BD_PS_DEAD },
		{ "迁出", BD_PS_MOVED }, { "2", BD_PS_MOVED },
		{ "服兵役", BD_PS_CANCELLED }, { "3", BD_PS_CANCELLED },
		{ "出国境定居", BD_PS_CANCELLED }, { "出国（境）定居", BD_PS_CANCELLED },
		{ "4", BD_PS_CANCELLED }, { "删除", BD_PS_CANCELLED }, { "7", BD_PS_CANCELLED },
		{ "注销", BD_PS_CANCELLED }, { "8", BD_PS_CANCELLED },
		{ "其它", BD_PS_CANCELLED }, { "其他", BD_PS_CANCELLED }, { "9", BD_PS_CANCELLED },
		{ "注销(其他)", BD_PS_CANCELLED }, { "注销（其他）", BD_PS_CANCELLED },
		{ " 正常 ", BD_PS_NORMAL },
		{ "5", BD_PS_UNKNOWN }, { "6", BD_PS_UNKNOWN }, { "10", BD_PS_UNKNOWN },
		{ "", BD_PS_UNKNOWN }, { "活着", BD_PS_UNKNOWN },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(cases); i++)
		if (bd_pstatus_parse(S(cases[i].s)) != cases[i].st)
			fail_msg("%s: got %d", cases[i].s, bd_pstatus_parse(S(cases[i].s)));
	assert_string_equal(bd_pstatus_name(BD_PS_NORMAL), "正常");
	assert_string_equal(bd_pstatus_name(BD_PS_DEAD), "死亡");
	assert_string_equal(bd_pstatus_name(BD_PS_MOVED), "迁出");
	assert_string_equal(bd_pstatus_name(BD_PS_CANCELLED), "注销");
	assert_string_equal(bd_pstatus_name(BD_PS_UNKNOWN), "");
}

static void test_cstatus(void **state)
{
	(void)state;
	assert_int_equal(bd_cstatus_parse(S("有效")), BD_CS_VALID);
	assert_int_equal(bd_cstatus_parse(S("正常")), BD_CS_VALID);
	assert_int_equal(bd_cstatus_parse(S(" 有效 ")), BD_CS_VALID);
	assert_int_equal(bd_cstatus_parse(S("注销")), BD_CS_CANCELLED);
	assert_int_equal(bd_cstatus_parse(S("过期")), BD_CS_EXPIRED);
	assert_int_equal(bd_cstatus_parse(S("")), BD_CS_UNKNOWN);
	assert_int_equal(bd_cstatus_parse(S("待审核")), BD_CS_UNKNOWN);
	assert_string_equal(bd_cstatus_name(BD_CS_VALID), "有效");
	assert_string_equal(bd_cstatus_name(BD_CS_CANCELLED), "注销");
	assert_string_equal(bd_cstatus_name(BD_CS_EXPIRED), "过期");
}

static void test_disability(void **state)
{
	(void)state;
	static const char *const words[8] = { "", "视力", "听力", "言语", "肢体", "智力", "精神", "多重" };
	char b[32];
	for (int c = 1; c <= 7; c++) {
		assert_int_equal(bd_dis_category_parse(S(words[c])), c);
		snprintf(b, sizeof(b), "%s残疾", words[c]);
		assert_int_equal(bd_dis_category_parse(S(b)), c);
		snprintf(b, sizeof(b), "%d", c);
		assert_int_equal(bd_dis_category_parse(S(b)), c);
		assert_string_equal(bd_dis_category_name(c), words[c]);
	}
	assert_int_equal(bd_dis_category_parse(S("８")), 0);
	assert_int_equal(bd_dis_category_parse(S("0")), 0);
	assert_int_equal(bd_dis_category_parse(S("")), 0);
	assert_int_equal(bd_dis_category_parse(S("聋哑")), 0);
	assert_int_equal(bd_dis_category_parse(S("４")), 4);
	assert_string_equal(bd_dis_category_name(0), "");
	assert_string_equal(bd_dis_category_name(8), "");

	static const struct { const char *s; int g; } grades[] = {
		{ "1", 1 }, { "2", 2 }, { "3", 3 }, { "4", 4 }, { "一级", 1 }, { "二级", 2 },
		{ "三级", 3 }, { "四级", 4 }, { "1级", 1 }, { "４级", 4 }, { "壹级", 1 },
		{ "贰级", 2 }, { "叁级", 3 }, { "肆级", 4 }, { "三", 3 }, { " 二级 ", 2 },
		{ "5", 0 }, { "0", 0 }, { "五级", 0 }, { "", 0 }, { "一级半", 0 }, { "12", 0 },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(grades); i++)
		if (bd_dis_grade_parse(S(grades[i].s)) != grades[i].g)
			fail_msg("grade %s: got %d", grades[i].s, bd_dis_grade_parse(S(grades[i].s)));
	assert_string_equal(bd_dis_grade_name(1), "一级");
	assert_string_equal(bd_dis_grade_name(4), "四级");
	assert_string_equal(bd_dis_grade_name(5), "");

	int c = -1, g = -1;
	assert_true(bd_dis_combined_parse(S("肢体二级"), &c, &g));
	assert_int_equal(c, 4);
	assert_int_equal(g, 2);
	assert_true(bd_dis_combined_parse(S("视力一级"), &c, &g));
	assert_int_equal(c, 1);
	assert_int_equal(g, 1);
	assert_true(bd_dis_combined_parse(S("智力3级"), &c, &g));
	assert_int_equal(c, 5);
	assert_int_equal(g, 3);
	assert_true(bd_dis_combined_parse(S("多重残疾四级"), &c, &g));
	assert_int_equal(c, 7);
	assert_int_equal(g, 4);
	assert_true(bd_dis_combined_parse(S("精神 壹级"), &c, &g));
	assert_int_equal(c, 6);
	assert_int_equal(g, 1);
	c = g = -1;
	assert_false(bd_dis_combined_parse(S("肢体"), &c, &g));
	assert_false(bd_dis_combined_parse(S("二级"), &c, &g));
	assert_false(bd_dis_combined_parse(S("肢体五级"), &c, &g));
	assert_false(bd_dis_combined_parse(S("4"), &c, &g));
	assert_false(bd_dis_combined_parse(S(""), &c, &g));
	assert_int_equal(c, -1);
	assert_int_equal(g, -1);
}

static void test_vstatus(void **state)
{
	(void)state;
	/* every GA letter */
	for (const char *p = "ADGHIJKLNOQZ"; *p; p++)
		assert_int_equal(bd_vstatus_parse(p, 1), BD_VS_REGISTERED);
	for (const char *p = "BCEFMP"; *p; p++)
		assert_int_equal(bd_vstatus_parse(p, 1), BD_VS_ENDED);
	for (const char *p = "RSTUVWXY"; *p; p++)
		assert_int_equal(bd_vstatus_parse(p, 1), BD_VS_UNKNOWN);
	static const struct { const char *s; bd_vstatus v; } cases[] = {
		{ "GQ", BD_VS_REGISTERED }, { "gq", BD_VS_REGISTERED }, { "GE", BD_VS_ENDED },
		{ "AGQ", BD_VS_REGISTERED }, { "G Q", BD_VS_REGISTERED }, { " A ", BD_VS_REGISTERED },
		{ "Ｇ", BD_VS_REGISTERED }, { "G,Q", BD_VS_REGISTERED }, { "GR", BD_VS_UNKNOWN },
		{ "正常", BD_VS_REGISTERED }, { "停驶", BD_VS_REGISTERED },
		{ "违法未处理", BD_VS_REGISTERED }, { "违章未处理", BD_VS_REGISTERED },
		{ "海关监管", BD_VS_REGISTERED }, { "事故未处理", BD_VS_REGISTERED },
		{ "嫌疑车", BD_VS_REGISTERED }, { "查封", BD_VS_REGISTERED },
		{ "暂扣", BD_VS_REGISTERED }, { "扣留", BD_VS_REGISTERED },
		{ "事故逃逸", BD_VS_REGISTERED }, { "锁定", BD_VS_REGISTERED },
		{ "逾期未检验", BD_VS_REGISTERED }, { "其他", BD_VS_REGISTERED },
		{ "转出", BD_VS_ENDED }, { "被盗抢", BD_VS_ENDED }, { "注销", BD_VS_ENDED },
		{ "撤销", BD_VS_ENDED }, { "强制注销", BD_VS_ENDED },
		{ "达到报废标准", BD_VS_ENDED }, { "报废", BD_VS_ENDED }, { "吊销", BD_VS_ENDED },
		{ "违法未处理,逾期未检验", BD_VS_REGISTERED },
		{ "违法未处理，逾期未检验", BD_VS_REGISTERED },
		{ "违法未处理、逾期未检验", BD_VS_REGISTERED },
		{ "违法未处理 逾期未检验", BD_VS_REGISTERED },
		{ "违法未处理　逾期未检验", BD_VS_REGISTERED },
		{ " 违法 未处理 ", BD_VS_REGISTERED },
		{ "违法未处理, 报废", BD_VS_ENDED },
		{ "逾期未检验 达到报废标准", BD_VS_ENDED },
		{ "违法未处理,飞走了", BD_VS_UNKNOWN },
		{ "飞走了 报废", BD_VS_UNKNOWN },
		{ "", BD_VS_UNKNOWN }, { " ", BD_VS_UNKNOWN }, { ",", BD_VS_UNKNOWN },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(cases); i++)
		if (bd_vstatus_parse(S(cases[i].s)) != cases[i].v)
			fail_msg("%s: got %d want %d", cases[i].s, bd_vstatus_parse(S(cases[i].s)),
				 cases[i].v);
}

static void test_custody(void **state)
{
	(void)state;
	static const struct { const char *s; bd_custody c; } cases[] = {
		{ "服刑", BD_CU_SENTENCE }, { "判刑", BD_CU_SENTENCE }, { "服刑人员", BD_CU_SENTENCE },
		{ "强制隔离戒毒", BD_CU_REHAB }, { "拘留", BD_CU_DETENTION },
		{ "行政拘留", BD_CU_DETENTION }, { "刑事拘留", BD_CU_DETENTION },
		{ "看守所羁押", BD_CU_REMAND }, { "羁押", BD_CU_REMAND }, { "在押", BD_CU_REMAND },
		{ " 服刑 ", BD_CU_SENTENCE }, { "", BD_CU_UNKNOWN }, { "取保候审", BD_CU_UNKNOWN },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(cases); i++)
		if (bd_custody_parse(S(cases[i].s)) != cases[i].c)
			fail_msg("%s: got %d", cases[i].s, bd_custody_parse(S(cases[i].s)));
	/* names parse back to themselves */
	for (int c = BD_CU_SENTENCE; c <= BD_CU_REMAND; c++)
		assert_int_equal(bd_custody_parse(S(bd_custody_name((bd_custody)c))), c);
	assert_string_equal(bd_custody_name(BD_CU_UNKNOWN), "");
}

static void test_owner_kind(void **state)
{
	(void)state;
	assert_true(bd_owner_kind_is_person(S("A")));
	assert_true(bd_owner_kind_is_person(S(" A ")));
	assert_true(bd_owner_kind_is_person(S("Ａ")));
	assert_true(bd_owner_kind_is_person(S("居民身份证")));
	assert_true(bd_owner_kind_is_person(S("身份证")));
	assert_true(bd_owner_kind_is_person(S("A:居民身份证")));
	assert_true(bd_owner_kind_is_person(S("")));
	assert_true(bd_owner_kind_is_person(S("  ")));
	assert_false(bd_owner_kind_is_person(S("B")));
	assert_false(bd_owner_kind_is_person(S("M")));
	assert_false(bd_owner_kind_is_person(S("组织机构代码证书")));
	assert_false(bd_owner_kind_is_person(S("统一社会信用代码")));
	assert_false(bd_owner_kind_is_person(S("AB")));
}

static const char *rel(const char *s, char *out, size_t outsz)
{
	size_t n = bd_relation_display(s, strlen(s), out, outsz);
	assert_int_equal(n, strlen(out));
	return out;
}

static void test_relation(void **state)
{
	(void)state;
	char o[64];
	static const struct { const char *code, *word; } cases[] = {
		{ "01", "本人" }, { "02", "户主" }, { "10", "配偶" }, { "11", "夫" },
		{ "12", "妻" }, { "20", "子" }, { "21", "独生子" }, { "22", "长子" },
		{ "23", "次子" }, { "30", "女" }, { "31", "独生女" }, { "32", "长女" },
		{ "33", "次女" }, { "41", "孙子" }, { "42", "孙女" }, { "50", "父母" },
		{ "51", "父亲" }, { "52", "母亲" }, { "60", "祖父母或外祖父母" },
		{ "61", "祖父" }, { "62", "祖母" }, { "70", "兄弟姐妹" }, { "71", "兄" },
		{ "73", "弟" }, { "75", "姐姐" }, { "77", "妹妹" }, { "80", "其他" },
		{ "99", "非亲属" },
		/* Excel drops a leading zero; full-width digits; blanks */
		{ "1", "本人" }, { "2", "户主" }, { "０２", "户主" }, { " 10 ", "配偶" },
		/* a word, or an unknown code, is shown as it is */
		{ "儿子", "儿子" }, { " 之子 ", "之子" }, { "13", "13" }, { "98", "98" },
		{ "", "" },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(cases); i++)
		assert_string_equal(rel(cases[i].code, o, sizeof(o)), cases[i].word);
	/* a small buffer cuts at a character boundary */
	char s[8];
	assert_string_equal(rel("60", s, sizeof(s)), "祖父");
	assert_string_equal(rel("外甥女婿", s, sizeof(s)), "外甥");
	char one[1];
	assert_int_equal(bd_relation_display(S("01"), one, sizeof(one)), 0);
	assert_int_equal(one[0], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prog_codes),
		cmocka_unit_test(test_prog_keywords),
		cmocka_unit_test(test_pstatus),
		cmocka_unit_test(test_cstatus),
		cmocka_unit_test(test_disability),
		cmocka_unit_test(test_vstatus),
		cmocka_unit_test(test_custody),
		cmocka_unit_test(test_owner_kind),
		cmocka_unit_test(test_relation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
