/* test_normalise.c - ID numbers, dates, months, money, names, codes. */
#include "testutil.h"
#include "bd/codes.h"
#include "bd/idnum.h"
#include "bd/normal.h"

#include <stdio.h>

/* Builds a valid 18-char ID from 17 digits. */
static void valid_id(const char *first17, char out[19])
{
	memcpy(out, first17, 17);
	out[17] = bd_id_check_char(first17);
	out[18] = '\0';
}

static bd_id_status norm(const char *s, bd_id *id)
{
	return bd_id_normalise(s, strlen(s), 20261231, id);
}

static void test_id_valid_and_forms(void **state)
{
	(void)state;
	bd_id id;
	assert_int_equal(norm("11010519491231002X", &id), BD_ID_OK);
	assert_string_equal(id.id, "11010519491231002X");
	assert_int_equal(id.birth, 19491231);
	assert_int_equal(id.sex, 2);
	/* lowercase x, spaces, apostrophe, full width */
	assert_int_equal(norm(" '11010519491231002x ", &id), BD_ID_OK);
	assert_string_equal(id.id, "11010519491231002X");
	assert_int_equal(norm("１１０１０５１９４９１２３１００２Ｘ", &id), BD_ID_OK);
	assert_string_equal(id.id, "11010519491231002X");
	assert_int_equal(norm("110105 1949\t1231　002X", &id), BD_ID_OK);
	/* 15-digit legacy: 19 inserted, check char computed */
	assert_int_equal(norm("110105491231002", &id), BD_ID_OK);
	assert_true(id.upgraded15);
	assert_string_equal(id.id, "11010519491231002X");
}

static void test_id_invalid_kinds(void **state)
{
	(void)state;
	bd_id id;
	char v[19];
	valid_id("41010219900307207", v); /* a real-format ID */
	assert_int_equal(norm(v, &id), BD_ID_OK);
	char bad[19];
	memcpy(bad, v, 19);
	bad[17] = bad[17] == '0' ? '1' : '0';
	assert_int_equal(norm(bad, &id), BD_ID_BAD_CHECK);
	assert_int_equal(norm("4101021990030720", &id), BD_ID_BAD_LENGTH);
	assert_int_equal(norm("41010219900307A071", &id), BD_ID_BAD_CHAR);
	assert_int_equal(norm("410102199002302071", &id), BD_ID_BAD_DATE);
	char fut[19];
	valid_id("41010220270101001", fut);
	assert_int_equal(norm(fut, &id), BD_ID_FUTURE_DATE);
	assert_int_equal(norm("", &id), BD_ID_EMPTY);
	assert_int_equal(norm("  ", &id), BD_ID_EMPTY);
	assert_string_equal(bd_id_reason(BD_ID_BAD_CHECK), "id_invalid");
	assert_string_equal(bd_id_reason(BD_ID_EMPTY), "required_empty");
}

static void test_id_excel_damage(void **state)
{
	(void)state;
	bd_id id;
	/* 15 significant digits kept, last three zeroed, check fails */
	assert_int_equal(norm("410102199003072000", &id), BD_ID_EXCEL_15);
	assert_string_equal(bd_id_reason(BD_ID_EXCEL_15), "excel_mangled");
	assert_string_equal(id.id, "410102199003072000");
	assert_int_equal(norm("4.10102E+17", &id), BD_ID_EXCEL_SCI);
	assert_int_equal(norm("4.10102199003072e17", &id), BD_ID_EXCEL_SCI);
	/* a genuine ID that ends in 000 with the right check char is valid */
	char v[19] = "";
	bool found = false;
	for (int day = 1; day <= 28 && !found; day++)
		for (int seq = 0; seq < 1000 && !found; seq += 100) {
			char f[18];
			snprintf(f, sizeof(f), "410102199003%02d%03d", day, seq);
			valid_id(f, v);
			found = !memcmp(v + 15, "000", 3);
		}
	assert_true(found);
	assert_int_equal(norm(v, &id), BD_ID_OK);
	/* float rounding (…077890 -> …077888) is a typo, not Excel damage */
	char r[19];
	valid_id("41010219900307789", r);
	memcpy(r + 15, "888", 3);
	if (bd_id_check_char(r) != '8')
		assert_int_equal(norm(r, &id), BD_ID_BAD_CHECK);
}

static void test_id_hashed_and_mask(void **state)
{
	(void)state;
	bd_id id;
	const char *h = "7111743feae6f21e7fa9bdf43f01437c93207f0bc4b7bd0aa5c280dd8fc9d275";
	assert_int_equal(norm(h, &id), BD_ID_HASHED);
	assert_string_equal(id.hex, h);
	/* upper-case hex is not a hid */
	assert_int_not_equal(norm("7111743FEAE6F21E7FA9BDF43F01437C93207F0BC4B7BD0AA5C280DD8FC9D275", &id),
			     BD_ID_HASHED);
	char m[32];
	assert_string_equal(bd_id_mask("11010519491231002X", 18, m, sizeof(m)), "110105********002X");
	assert_string_equal(bd_id_mask("12345", 5, m, sizeof(m)), "*****");
}

static void test_uscc(void **state)
{
	(void)state;
	assert_true(bd_uscc_valid("91350100M000100Y43", 18));
	assert_false(bd_uscc_valid("91350100M000100Y44", 18));
	assert_true(bd_uscc_valid("92410502MAX2UN4X0N", 18));
	assert_false(bd_uscc_valid("11010519491231002X", 18));
}

static int32_t date(const char *s)
{
	int32_t d = -1;
	bd_parse p = bd_date_parse(s, strlen(s), &d);
	return p == BD_PARSE_OK ? d : -(int32_t)p;
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(date("2026-11-03"), 20261103);
	assert_int_equal(date("2026/11/3"), 20261103);
	assert_int_equal(date("20261103"), 20261103);
	assert_int_equal(date("2026年11月3日"), 20261103);
	assert_int_equal(date("2026.11.3"), 20261103);
	assert_int_equal(date("2026-11-03 09:00:15"), 20261103);
	assert_int_equal(date("２０２６－１１－０３"), 20261103);
	assert_int_equal(date("45658"), 20250101);      /* Excel serial */
	assert_int_equal(date("45658.5"), 20250101);
	assert_int_equal(date("61"), 19000301);
	assert_int_equal(date("长期"), -BD_PARSE_NONE);
	assert_int_equal(date(""), -BD_PARSE_EMPTY);
	assert_int_equal(date("2026-02-29"), -BD_PARSE_INVALID);
	assert_int_equal(date("2024-02-29"), 20240229);
	assert_int_equal(date("2026-13-01"), -BD_PARSE_INVALID);
	assert_int_equal(date("not a date"), -BD_PARSE_INVALID);
	assert_int_equal(date("2026-11"), -BD_PARSE_INVALID);
	int32_t ym;
	assert_int_equal(bd_month_parse("2026-11", 7, &ym), BD_PARSE_OK);
	assert_int_equal(ym, 202611);
	assert_int_equal(bd_month_parse("2017-9", 6, &ym), BD_PARSE_OK);
	assert_int_equal(ym, 201709);
	assert_int_equal(bd_month_parse("202611", 6, &ym), BD_PARSE_OK);
	assert_int_equal(bd_month_parse("2026年11月", strlen("2026年11月"), &ym), BD_PARSE_OK);
	assert_int_equal(ym, 202611);
	assert_int_equal(bd_month_parse("2026-11-20", 10, &ym), BD_PARSE_OK);
	assert_int_equal(ym, 202611);
	assert_int_equal(bd_month_parse("202613", 6, &ym), BD_PARSE_INVALID);
}

static void test_ages(void **state)
{
	(void)state;
	assert_int_equal(bd_age_at(19461231, 20261231), 80);  /* exactly 80 */
	assert_int_equal(bd_age_at(19470101, 20261231), 79);
	assert_int_equal(bd_age_at(20000229, 20260228), 25);  /* leap birthday */
	assert_int_equal(bd_age_at(20000229, 20260301), 26);
	assert_int_equal(bd_age_at(0, 20260301), -1);
	assert_int_equal(bd_days_from_ymd(19700101), 0);
	assert_int_equal(bd_ymd_from_days(bd_days_from_ymd(20240229) + 1), 20240301);
}

static int64_t money(const char *s)
{
	int64_t c = -999;
	return bd_money_parse(s, strlen(s), &c) == BD_PARSE_OK ? c : -999;
}

static void test_money(void **state)
{
	(void)state;
	assert_true(money("1,234.50") == 123450);
	assert_true(money("1234.5") == 123450);
	assert_true(money("¥1234.5") == 123450);
	assert_true(money("￥300") == 30000);
	assert_true(money("1234.50元") == 123450);
	assert_true(money("１２３４．５") == 123450);
	assert_true(money("12.345") == 1235);
	assert_true(money("-12.5") == -1250);
	assert_true(money("abc") == -999);
	assert_true(money("12元5") == -999);
}

static void test_names_and_headers(void **state)
{
	(void)state;
	char a[64], b[64];
	bd_name_normalise("阿依古丽•买买提", strlen("阿依古丽•买买提"), a, sizeof(a));
	bd_name_normalise("阿依古丽·买买提", strlen("阿依古丽·买买提"), b, sizeof(b));
	assert_string_equal(a, b);
	bd_name_normalise("阿依古丽买买提", strlen("阿依古丽买买提"), b, sizeof(b));
	assert_string_not_equal(a, b);
	bd_name_normalise("张　三 ", strlen("张　三 "), a, sizeof(a));
	assert_string_equal(a, "张三");
	bd_header_normalise("户月保障金额（元）", strlen("户月保障金额（元）"), a, sizeof(a));
	assert_string_equal(a, "户月保障金额");
	bd_header_normalise("公民身份号码*", strlen("公民身份号码*"), a, sizeof(a));
	assert_string_equal(a, "公民身份号码");
	bd_header_normalise("乡镇（街道）", strlen("乡镇（街道）"), a, sizeof(a));
	assert_string_equal(a, "乡镇(街道)");
	bd_header_normalise("出生日期 ", strlen("出生日期 "), a, sizeof(a));
	assert_string_equal(a, "出生日期");
}

static bd_prog prog(const char *s)
{
	return bd_prog_from_text(s, strlen(s));
}

static void test_programmes(void **state)
{
	(void)state;
	assert_int_equal(prog("农村特困分散供养"), BD_PROG_TEKUN);
	assert_int_equal(prog("城市特困集中供养"), BD_PROG_TEKUN);
	assert_int_equal(prog("农村特困人员（分散供养）"), BD_PROG_TEKUN);
	assert_int_equal(prog("特困人员-7131"), BD_PROG_TEKUN);
	assert_int_equal(prog("最低生活保障对象（单人）"), BD_PROG_DIBAO);
	assert_int_equal(prog("农村低保"), BD_PROG_DIBAO);
	assert_int_equal(prog("低保边缘家庭"), BD_PROG_BIANYUAN);
	assert_int_equal(prog("城乡孤儿"), BD_PROG_GUER);
	assert_int_equal(prog("孤儿生活费"), BD_PROG_GUER);
	assert_int_equal(prog("事实无人抚养儿童"), BD_PROG_SHISHI);
	assert_int_equal(prog("重度残疾人护理补贴"), BD_PROG_CJ_HULI);
	assert_int_equal(prog("困难残疾人生活补贴"), BD_PROG_CJ_SHENGHUO);
	assert_int_equal(prog("80周岁以上高龄津贴"), BD_PROG_GAOLING);
	assert_int_equal(prog("TEKUN"), BD_PROG_TEKUN);
	assert_int_equal(prog("困境儿童生活费"), BD_PROG_NONE);
}

static void test_code_lists(void **state)
{
	(void)state;
	assert_int_equal(bd_pstatus_parse("0", 1), BD_PS_NORMAL);
	assert_int_equal(bd_pstatus_parse("死亡", strlen("死亡")), BD_PS_DEAD);
	assert_int_equal(bd_pstatus_parse("2", 1), BD_PS_MOVED);
	assert_int_equal(bd_pstatus_parse("8", 1), BD_PS_CANCELLED);
	assert_int_equal(bd_pstatus_parse("注销(其他)", strlen("注销(其他)")), BD_PS_CANCELLED);
	assert_int_equal(bd_pstatus_parse("x", 1), BD_PS_UNKNOWN);
	int c = 0, g = 0;
	assert_true(bd_dis_combined_parse("肢体二级", strlen("肢体二级"), &c, &g));
	assert_int_equal(c, 4);
	assert_int_equal(g, 2);
	assert_true(bd_dis_combined_parse("智力残疾3级", strlen("智力残疾3级"), &c, &g));
	assert_int_equal(c, 5);
	assert_int_equal(g, 3);
	assert_int_equal(bd_dis_category_parse("精神", strlen("精神")), 6);
	assert_int_equal(bd_dis_category_parse("7", 1), 7);
	assert_int_equal(bd_dis_grade_parse("一级", strlen("一级")), 1);
	assert_int_equal(bd_dis_grade_parse("4", 1), 4);
	assert_int_equal(bd_dis_grade_parse("5", 1), 0);
	assert_int_equal(bd_vstatus_parse("A", 1), BD_VS_REGISTERED);
	assert_int_equal(bd_vstatus_parse("GQ", 2), BD_VS_REGISTERED);
	assert_int_equal(bd_vstatus_parse(" G Q ", 5), BD_VS_REGISTERED);
	assert_int_equal(bd_vstatus_parse("E", 1), BD_VS_ENDED);
	assert_int_equal(bd_vstatus_parse("GM", 2), BD_VS_ENDED);
	assert_int_equal(bd_vstatus_parse("违法未处理,逾期未检验", strlen("违法未处理,逾期未检验")),
			 BD_VS_REGISTERED);
	assert_int_equal(bd_vstatus_parse("正常、达到报废标准", strlen("正常、达到报废标准")),
			 BD_VS_ENDED);
	assert_int_equal(bd_vstatus_parse("飞走了", strlen("飞走了")), BD_VS_UNKNOWN);
	assert_int_equal(bd_custody_parse("服刑", strlen("服刑")), BD_CU_SENTENCE);
	assert_int_equal(bd_custody_parse("强制隔离戒毒", strlen("强制隔离戒毒")), BD_CU_REHAB);
	assert_int_equal(bd_custody_parse("行政拘留", strlen("行政拘留")), BD_CU_DETENTION);
	assert_int_equal(bd_custody_parse("看守所羁押", strlen("看守所羁押")), BD_CU_REMAND);
	assert_true(bd_owner_kind_is_person("A", 1));
	assert_false(bd_owner_kind_is_person("B", 1));
	assert_false(bd_owner_kind_is_person("组织机构代码证", strlen("组织机构代码证")));
	char r[32];
	bd_relation_display("10", 2, r, sizeof(r));
	assert_string_equal(r, "配偶");
	bd_relation_display("之子", strlen("之子"), r, sizeof(r));
	assert_string_equal(r, "之子");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_valid_and_forms),
		cmocka_unit_test(test_id_invalid_kinds),
		cmocka_unit_test(test_id_excel_damage),
		cmocka_unit_test(test_id_hashed_and_mask),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_names_and_headers),
		cmocka_unit_test(test_programmes),
		cmocka_unit_test(test_code_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
