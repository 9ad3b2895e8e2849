/* test_normal.c - dates, months, money, yes/no, sex, ages, day counts,
 * names (Q03), headers and trimming. */
#include "testutil.h"
#include "bd/normal.h"

/* Parsed date, or -(bd_parse) when not OK. */
static int32_t date(const char *s)
{
	int32_t d = -1;
	bd_parse p = bd_date_parse(s, strlen(s), &d);
	if (p != BD_PARSE_OK)
		assert_int_equal(d, 0);
	return p == BD_PARSE_OK ? d : -(int32_t)p;
}

static int32_t month(const char *s)
{
	int32_t m = -1;
	bd_parse p = bd_month_parse(s, strlen(s), &m);
	return p == BD_PARSE_OK ? m : -(int32_t)p;
}

#define INVALID (-(int32_t)BD_PARSE_INVALID)
#define EMPTY (-(int32_t)BD_PARSE_EMPTY)
#define NONE (-(int32_t)BD_PARSE_NONE)

static void test_date_forms(void **state)
{
	(void)state;
	static const char *const nov3[] = {
		"2026-11-03", "2026/11/3", "20261103", "2026年11月3日", "2026.11.3",
		"2026-11-03 09:00:15", "2026-11-03T09:00:15", "2026/11/03 9:00",
		"２０２６－１１－０３", "２０２６年１１月３日", " 2026-11-3 ", "2026年11月03日 10时",
		"2026-11-03 00:00:00.000", "20261103091500",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(nov3); i++)
		assert_int_equal(date(nov3[i]), 20261103);
	/* only n bytes are read */
	int32_t d;
	assert_int_equal(bd_date_parse("2026-11-0399", 10, &d), BD_PARSE_OK);
	assert_int_equal(d, 20261103);
	assert_int_equal(date(""), EMPTY);
	assert_int_equal(date("  　"), EMPTY);
	assert_int_equal(date("长期"), NONE);
	assert_int_equal(date("长期有效"), NONE);
	assert_int_equal(date(" 长期 "), NONE);
}

static void test_date_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2026-02-29", "2026-13-01", "2026-00-10", "2026-11-31", "2026-11-00",
		"20261131", "20260229", "1799-12-31", "2201-01-01", "17991231",
		"abc", "2026-11", "2026-11-03x", "2026--11-03", "2026-11-", "11/03/2026",
		"0", "-5", "2958466", "20261103091560", "2026年11月", "1900-02-29",
		"2026-1103", "长期无效",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(bad); i++) {
		int32_t d = -1;
		assert_int_equal(bd_date_parse(bad[i], strlen(bad[i]), &d), BD_PARSE_INVALID);
		assert_int_equal(d, 0);
	}
	/* calendar edges that are real */
	assert_int_equal(date("2024-02-29"), 20240229);
	assert_int_equal(date("2000-02-29"), 20000229);
	assert_int_equal(date("1800-01-01"), 18000101);
	assert_int_equal(date("2200-12-31"), 22001231);
	assert_int_equal(date("2026-12-31"), 20261231);
}

static void test_excel_serials(void **state)
{
	(void)state;
	assert_int_equal(date("45658"), 20250101);
	assert_int_equal(date("45658.75"), 20250101); /* the time is dropped */
	assert_int_equal(date("45658.0"), 20250101);
	assert_int_equal(date("１"), 19000101);
	assert_int_equal(date("1"), 19000101);
	assert_int_equal(date("59"), 19000228);
	/* 60 is Excel's phantom 1900-02-29: invalid, not guessed */
	assert_int_equal(date("60"), INVALID);
	assert_int_equal(date("61"), 19000301);
	assert_int_equal(date("36526"), 20000101);
	assert_int_equal(date("46329"), 20261103);
	/* the largest serial Excel has is 9999-12-31: beyond 2200 */
	assert_int_equal(date("2958465"), INVALID);
	/* 8 digits are always yyyymmdd, never a serial */
	assert_int_equal(date("20261103"), 20261103);
	assert_int_equal(date("10000000"), INVALID);
	/* a long fraction does not overflow */
	assert_int_equal(date("45658.123456789012345678901234567890"), 20250101);
}

static void test_date_valid_and_days(void **state)
{
	(void)state;
	assert_true(bd_date_valid(2024, 2, 29));
	assert_false(bd_date_valid(2023, 2, 29));
	assert_false(bd_date_valid(1900, 2, 29));
	assert_true(bd_date_valid(2000, 2, 29));
	assert_false(bd_date_valid(2026, 4, 31));
	assert_false(bd_date_valid(2026, 0, 1));
	assert_false(bd_date_valid(2026, 1, 0));
	assert_false(bd_date_valid(1799, 12, 31));
	assert_int_equal(bd_days_from_ymd(19700101), 0);
	assert_int_equal(bd_days_from_ymd(19700102), 1);
	assert_int_equal(bd_days_from_ymd(19691231), -1);
	assert_int_equal(bd_days_from_ymd(20000301) - bd_days_from_ymd(20000228), 2);
	assert_int_equal(bd_days_from_ymd(21000301) - bd_days_from_ymd(21000228), 1);
	/* round trip over four centuries, day by day at a stride */
	for (int32_t z = bd_days_from_ymd(18000101); z < bd_days_from_ymd(22001231); z += 7) {
		int32_t ymd = bd_ymd_from_days(z);
		assert_true(bd_date_valid(ymd / 10000, ymd / 100 % 100, ymd % 100));
		assert_int_equal(bd_days_from_ymd(ymd), z);
	}
}

static void test_ages(void **state)
{
	(void)state;
	/* exact 80th birthday on as_of counts as 80 */
	assert_int_equal(bd_age_at(19461103, 20261103), 80);
	assert_int_equal(bd_age_at(19461103, 20261102), 79);
	assert_int_equal(bd_age_at(19461104, 20261103), 79);
	assert_int_equal(bd_age_at(19461231, 20270101), 80);
	/* 29 Feb: a year completes on 1 March in non-leap years */
	assert_int_equal(bd_age_at(20000229, 20010228), 0);
	assert_int_equal(bd_age_at(20000229, 20010301), 1);
	assert_int_equal(bd_age_at(20000229, 20040228), 3);
	assert_int_equal(bd_age_at(20000229, 20040229), 4);
	assert_int_equal(bd_age_at(19440229, 20240229), 80);
	assert_int_equal(bd_age_at(19440229, 20230228), 78);
	assert_int_equal(bd_age_at(19440229, 20230301), 79);
	/* same day: 0; unknowns and reversed dates: -1 */
	assert_int_equal(bd_age_at(20261103, 20261103), 0);
	assert_int_equal(bd_age_at(20261104, 20261103), -1);
	assert_int_equal(bd_age_at(0, 20261103), -1);
	assert_int_equal(bd_age_at(19461103, 0), -1);
}

static void test_months(void **state)
{
	(void)state;
	static const char *const nov[] = {
		"2026-11", "202611", "2026年11月", "2026/11", "2026.11", "２０２６年１１月",
		"2026-11-03", "20261103", "2026年11月3日", " 2026-11 ",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(nov); i++)
		assert_int_equal(month(nov[i]), 202611);
	assert_int_equal(month("2026-3"), 202603);
	assert_int_equal(month("2026-01"), 202601);
	assert_int_equal(month("2026-12"), 202612);
	assert_int_equal(month(""), EMPTY);
	static const char *const bad[] = {
		"2026-13", "2026-0", "202613", "202600", "1799-12", "2201-01", "2026", "26-11",
		"2026-11-31", "abc", "2026-11x", "2026-123",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(bad); i++)
		assert_int_equal(month(bad[i]), INVALID);
	assert_int_equal(month("1800-01"), 180001);
	assert_int_equal(month("2200-12"), 220012);
}

static int64_t money(const char *s)
{
	int64_t c = -999;
	bd_parse p = bd_money_parse(s, strlen(s), &c);
	if (p == BD_PARSE_INVALID)
		return INT64_MIN;
	if (p == BD_PARSE_EMPTY)
		return INT64_MIN + 1;
	return c;
}

static void test_money(void **state)
{
	(void)state;
	assert_int_equal(money("1,234.50"), 123450);
	assert_int_equal(money("1234.5"), 123450);
	assert_int_equal(money("1234"), 123400);
	assert_int_equal(money("¥1234.5"), 123450);
	assert_int_equal(money("￥1234.5"), 123450);
	assert_int_equal(money("1234.50元"), 123450);
	assert_int_equal(money("１２３４．５０"), 123450);
	assert_int_equal(money("１，２３４．５元"), 123450);
	assert_int_equal(money(" 860 "), 86000);
	assert_int_equal(money("¥ 1,234.50"), 123450);
	assert_int_equal(money("1234.50 元"), 123450);
	assert_int_equal(money("1234.50　元"), 123450);
	assert_int_equal(money("0"), 0);
	assert_int_equal(money("0.01"), 1);
	assert_int_equal(money(".5"), 50);
	assert_int_equal(money("-12.5"), -1250);
	assert_int_equal(money("¥-12.5"), -1250);
	assert_int_equal(money("-¥12.5"), -1250);
	/* more than 2 decimals: half away from zero */
	assert_int_equal(money("12.345"), 1235);
	assert_int_equal(money("12.344"), 1234);
	assert_int_equal(money("12.3449"), 1234);
	assert_int_equal(money("-12.345"), -1235);
	assert_int_equal(money("0.995"), 100);
	assert_int_equal(money(""), INT64_MIN + 1);
	static const char *const bad[] = {
		"abc", "12a", "1.2.3", "-", "¥", "元", ".", "12元5", "--5", "1e3", "五百",
		"12 34", "99999999999999999999", "元12", "1 元 2", "¥",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(bad); i++)
		assert_true(money(bad[i]) == INT64_MIN);
}

static void test_yesno_sex(void **state)
{
	(void)state;
	bool y = false;
	static const char *const yes[] = { "是", "Y", "y", "yes", "YES", "1", "true", "√", "１" };
	static const char *const no[] = { "否", "N", "n", "no", "NO", "0", "false", "FALSE" };
	for (size_t i = 0; i < BD_ARRAY_LEN(yes); i++) {
		y = false;
		assert_int_equal(bd_yesno_parse(yes[i], strlen(yes[i]), &y), BD_PARSE_OK);
		assert_true(y);
	}
	for (size_t i = 0; i < BD_ARRAY_LEN(no); i++) {
		y = true;
		assert_int_equal(bd_yesno_parse(no[i], strlen(no[i]), &y), BD_PARSE_OK);
		assert_false(y);
	}
	assert_int_equal(bd_yesno_parse("", 0, &y), BD_PARSE_EMPTY);
	assert_int_equal(bd_yesno_parse(" ", 1, &y), BD_PARSE_EMPTY);
	assert_int_equal(bd_yesno_parse("maybe", 5, &y), BD_PARSE_INVALID);
	assert_int_equal(bd_yesno_parse("2", 1, &y), BD_PARSE_INVALID);

	uint8_t s = 0;
	static const char *const male[] = { "男", "1", "M", "m", "男性", " 男 ", "１" };
	static const char *const female[] = { "女", "2", "F", "f", "女性" };
	for (size_t i = 0; i < BD_ARRAY_LEN(male); i++) {
		s = 0;
		assert_int_equal(bd_sex_parse(male[i], strlen(male[i]), &s), BD_PARSE_OK);
		assert_int_equal(s, 1);
	}
	for (size_t i = 0; i < BD_ARRAY_LEN(female); i++) {
		s = 0;
		assert_int_equal(bd_sex_parse(female[i], strlen(female[i]), &s), BD_PARSE_OK);
		assert_int_equal(s, 2);
	}
	assert_int_equal(bd_sex_parse("", 0, &s), BD_PARSE_EMPTY);
	assert_int_equal(bd_sex_parse("0", 1, &s), BD_PARSE_INVALID);
	assert_int_equal(bd_sex_parse("9", 1, &s), BD_PARSE_INVALID);
	assert_int_equal(bd_sex_parse("未知", strlen("未知"), &s), BD_PARSE_INVALID);
}

static const char *name(const char *s, char *out, size_t outsz)
{
	bd_name_normalise(s, strlen(s), out, outsz);
	return out;
}

static void test_names(void **state)
{
	(void)state;
	char o[64];
	assert_string_equal(name("张 三", o, sizeof(o)), "张三");
	assert_string_equal(name(" 张\t三　", o, sizeof(o)), "张三");
	assert_string_equal(name("张\xc2\xa0三", o, sizeof(o)), "张三");
	/* every dot variant reads as U+00B7 */
	static const char *const dots[] = {
		"买买提•艾力", "买买提・艾力", "买买提‧艾力", "买买提∙艾力", "买买提･艾力",
		"买买提·艾力", "买买提 · 艾力",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(dots); i++)
		assert_string_equal(name(dots[i], o, sizeof(o)), "买买提\xc2\xb7艾力");
	/* a name with a dot and one without differ */
	assert_string_equal(name("买买提艾力", o, sizeof(o)), "买买提艾力");
	/* full-width ASCII to half-width; the full-width full stop is not a dot */
	assert_string_equal(name("ＡＢＣ１２３", o, sizeof(o)), "ABC123");
	assert_string_equal(name("李．明", o, sizeof(o)), "李.明");
	assert_string_equal(name("王（小）明", o, sizeof(o)), "王(小)明");
	size_t n = bd_name_normalise("张三丰", 6, o, sizeof(o)); /* only n bytes */
	assert_int_equal(n, 6);
	assert_string_equal(o, "张三");
	/* truncation: never half a character, never a later character */
	char s[8];
	n = bd_name_normalise("张三丰a", strlen("张三丰a"), s, sizeof(s));
	assert_int_equal(n, 6);
	assert_string_equal(s, "张三");
	assert_int_equal(bd_name_normalise("", 0, s, sizeof(s)), 0);
	assert_string_equal(s, "");
}

static const char *header(const char *s, char *out, size_t outsz)
{
	bd_header_normalise(s, strlen(s), out, outsz);
	return out;
}

static void test_headers(void **state)
{
	(void)state;
	char o[128];
	assert_string_equal(header("户月保障金额（元）", o, sizeof(o)), "户月保障金额");
	assert_string_equal(header("户月保障金额(元)", o, sizeof(o)), "户月保障金额");
	assert_string_equal(header("公民身份号码*", o, sizeof(o)), "公民身份号码");
	assert_string_equal(header("公民身份号码＊", o, sizeof(o)), "公民身份号码");
	assert_string_equal(header("乡镇（街道）", o, sizeof(o)), "乡镇(街道)");
	assert_string_equal(header("出生日期 ", o, sizeof(o)), "出生日期");
	assert_string_equal(header(" 姓　名 ", o, sizeof(o)), "姓名");
	assert_string_equal(header("ID_Number", o, sizeof(o)), "id_number");
	assert_string_equal(header("ＩＤ", o, sizeof(o)), "id");
	assert_string_equal(header("月保障金额（元）*", o, sizeof(o)), "月保障金额");
	assert_string_equal(header("低保（特困）证号", o, sizeof(o)), "低保(特困)证号");
	assert_string_equal(header("", o, sizeof(o)), "");
}

static void test_trim(void **state)
{
	(void)state;
	size_t n;
	const char *s = " \t　张三 　\r\n";
	const char *t = bd_trim(s, strlen(s), &n);
	assert_int_equal(n, strlen("张三"));
	assert_memory_equal(t, "张三", n);
	t = bd_trim("   ", 3, &n);
	assert_int_equal(n, 0);
	t = bd_trim("a b", 3, &n);
	assert_int_equal(n, 3);
	/* only n bytes are looked at */
	t = bd_trim(" ab  cd", 4, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(t, "ab", 2);
	t = bd_trim("", 0, &n);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_forms),
		cmocka_unit_test(test_date_invalid),
		cmocka_unit_test(test_excel_serials),
		cmocka_unit_test(test_date_valid_and_days),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_yesno_sex),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_trim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
