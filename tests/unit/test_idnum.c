/* test_idnum.c - GB 11643 IDs (forms, every invalid kind, Excel damage),
 * masking and GB 32100 credit codes. */
#include "testutil.h"
#include "bd/idnum.h"

#include <stdio.h>

#define AS_OF 20261231

/* Check char computed here, independently of bd_id_check_char. */
static char ref_check(const char *d17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (d17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

static void mkid(const char *d17, char out[19])
{
	memcpy(out, d17, 17);
	out[17] = ref_check(d17);
	out[18] = '\0';
}

static bd_id_status norm(const char *s, bd_id *id)
{
	return bd_id_normalise(s, strlen(s), AS_OF, id);
}

static void test_check_char(void **state)
{
	(void)state;
	/* the standard's own example */
	assert_int_equal(bd_id_check_char("11010519491231002"), 'X');
	/* every remainder 0..10 appears over these prefixes: agree with the
	 * reference everywhere */
	char d[18];
	int seen = 0;
	for (int i = 0; i < 200; i++) {
		snprintf(d, sizeof(d), "4101021990030%04d", i);
		char c = bd_id_check_char(d);
		assert_int_equal(c, ref_check(d));
		seen |= 1 << (c == 'X' ? 10 : c - '0');
	}
	assert_int_equal(seen, 0x7ff);
}

static void test_valid_forms(void **state)
{
	(void)state;
	bd_id id;
	assert_int_equal(norm("11010519491231002X", &id), BD_ID_OK);
	assert_string_equal(id.id, "11010519491231002X");
	assert_int_equal(id.birth, 19491231);
	assert_int_equal(id.sex, 2);
	assert_false(id.upgraded15);
	char v[19];
	mkid("41010219900307123", v); /* odd sequence: male */
	assert_int_equal(norm(v, &id), BD_ID_OK);
	assert_int_equal(id.sex, 1);
	assert_int_equal(id.birth, 19900307);
	static const char *const forms[] = {
		"11010519491231002x",          /* lower x */
		" 11010519491231002X\t",       /* blanks around */
		"110105 1949\t1231　002X",     /* blanks inside, U+3000 */
		"'11010519491231002X",         /* Excel text marker */
		"＇11010519491231002X",        /* full-width apostrophe */
		"‘11010519491231002X",         /* curly quote */
		"１１０１０５１９４９１２３１００２Ｘ", /* full width */
		"１１０１０５１９４９１２３１００２ｘ",
		" '110105 19491231 002x ",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(forms); i++) {
		assert_int_equal(norm(forms[i], &id), BD_ID_OK);
		assert_string_equal(id.id, "11010519491231002X");
	}
	/* non-NUL-terminated input: only n bytes are read */
	assert_int_equal(bd_id_normalise("11010519491231002X999", 18, AS_OF, &id), BD_ID_OK);
	/* as_of 0 means no limit; a birth exactly on as_of is fine */
	mkid("41010220261231001", v);
	assert_int_equal(bd_id_normalise(v, 18, 0, &id), BD_ID_OK);
	assert_int_equal(bd_id_normalise(v, 18, 20261231, &id), BD_ID_OK);
	/* leap day */
	mkid("41010220000229001", v);
	assert_int_equal(norm(v, &id), BD_ID_OK);
}

static void test_upgrade15(void **state)
{
	(void)state;
	bd_id id;
	assert_int_equal(norm("110105491231002", &id), BD_ID_OK);
	assert_true(id.upgraded15);
	assert_string_equal(id.id, "11010519491231002X");
	assert_int_equal(id.birth, 19491231);
	assert_int_equal(id.sex, 2);
	/* full width and an apostrophe on a 15-digit number */
	assert_int_equal(norm("'４１０１０２９００３０７１２３", &id), BD_ID_OK);
	char v[19];
	mkid("41010219900307123", v);
	assert_string_equal(id.id, v);
	assert_int_equal(id.sex, 1);
	/* 15 digits use 19YY: 000229 is 1900-02-29, not a leap day */
	assert_int_equal(norm("410102000229123", &id), BD_ID_BAD_DATE);
	assert_int_equal(norm("410102960229123", &id), BD_ID_OK);
	assert_int_equal(id.birth, 19960229);
	assert_int_equal(norm("410102901301123", &id), BD_ID_BAD_DATE);
	assert_int_equal(norm("41010290030712X", &id), BD_ID_BAD_CHAR);
}

static void test_invalid_kinds(void **state)
{
	(void)state;
	bd_id id;
	char v[19], bad[19];
	mkid("41010219900307207", v);
	memcpy(bad, v, 19);
	bad[17] = bad[17] == '1' ? '2' : '1';
	assert_int_equal(norm(bad, &id), BD_ID_BAD_CHECK);
	assert_string_equal(id.id, bad); /* kept for Q01 */
	assert_int_equal(id.birth, 0);
	assert_int_equal(id.sex, 0);
	/* X where a digit should be */
	assert_int_equal(norm("4101021990030720X1", &id), BD_ID_BAD_CHAR);
	assert_int_equal(norm("41010219900307A071", &id), BD_ID_BAD_CHAR);
	assert_int_equal(norm("４１０１０２１９９００３０７２０7Ｙ", &id), BD_ID_BAD_CHAR);
	assert_int_equal(norm("41010219900307207１２", &id), BD_ID_BAD_LENGTH);
	assert_int_equal(norm("4101021990030720", &id), BD_ID_BAD_LENGTH);
	assert_int_equal(norm("41010219900307", &id), BD_ID_BAD_LENGTH);
	assert_int_equal(norm("4101021990030720712", &id), BD_ID_BAD_LENGTH);
	assert_int_equal(norm("张三", &id), BD_ID_BAD_LENGTH);
	/* impossible dates, each with a correct check char */
	static const char *const bad_dates[] = {
		"41010219900230207", "41010219900001207", "41010219901301207",
		"41010219900431207", "41010219000229207", "41010217991231207",
		"41010219900300207",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(bad_dates); i++) {
		mkid(bad_dates[i], v);
		assert_int_equal(norm(v, &id), BD_ID_BAD_DATE);
	}
	/* the day after as_of is in the future */
	mkid("41010220270101001", v);
	assert_int_equal(norm(v, &id), BD_ID_FUTURE_DATE);
	assert_int_equal(bd_id_normalise(v, 18, 20270101, &id), BD_ID_OK);
	assert_int_equal(bd_id_normalise(v, 18, 20261231, &id), BD_ID_FUTURE_DATE);
	assert_int_equal(norm("", &id), BD_ID_EMPTY);
	assert_int_equal(norm(" 　\t", &id), BD_ID_EMPTY);
	assert_int_equal(norm("'", &id), BD_ID_EMPTY);
	assert_string_equal(id.id, "");
}

/* A genuine ID whose last three characters are 000. */
static void genuine_000(char v[19])
{
	char d[18];
	for (int day = 1; day <= 28; day++) {
		snprintf(d, sizeof(d), "410102199003%02d100", day);
		if (ref_check(d) == '0') {
			mkid(d, v);
			return;
		}
	}
	fail_msg("no genuine …000 ID found");
}

static void test_excel_damage(void **state)
{
	(void)state;
	bd_id id;
	/* 15 significant digits kept: last three zeroed, check fails */
	char d[18] = "41010219900307200";
	assert_int_not_equal(ref_check(d), '0');
	assert_int_equal(norm("410102199003072000", &id), BD_ID_EXCEL_15);
	assert_true(bd_id_is_mangled(BD_ID_EXCEL_15));
	assert_string_equal(id.id, "410102199003072000"); /* first 15 for Q01 */
	assert_string_equal(bd_id_reason(BD_ID_EXCEL_15), "excel_mangled");
	/* a genuine ID ending in 000 is simply valid */
	char v[19];
	genuine_000(v);
	assert_memory_equal(v + 15, "000", 3);
	assert_int_equal(norm(v, &id), BD_ID_OK);
	/* …00 plus a wrong check char that is not 0: a typo */
	char t[19];
	memcpy(t, v, 19);
	t[17] = '5';
	assert_int_equal(norm(t, &id), BD_ID_BAD_CHECK);
	/* 64-bit float rounding (…077890 -> …077888) is a typo */
	mkid("41010219900307789", v);
	memcpy(v + 15, "888", 3);
	if (ref_check(v) != '8') {
		assert_int_equal(norm(v, &id), BD_ID_BAD_CHECK);
		assert_false(bd_id_is_mangled(BD_ID_BAD_CHECK));
	}
	/* scientific notation, however Excel or a CSV writer shows it */
	static const char *const sci[] = {
		"4.10102E+17", "4.10102e+17", "4.10102199003072E17", "4.10102199003072E+17",
		"4E+17", "４.１０１０２Ｅ＋１７", "'4.10102E+17",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(sci); i++) {
		assert_int_equal(norm(sci[i], &id), BD_ID_EXCEL_SCI);
	}
	assert_true(bd_id_is_mangled(BD_ID_EXCEL_SCI));
	assert_string_equal(bd_id_reason(BD_ID_EXCEL_SCI), "excel_mangled");
	/* not numbers in scientific notation */
	assert_int_not_equal(norm("E+17", &id), BD_ID_EXCEL_SCI);
	assert_int_not_equal(norm("4.10102E", &id), BD_ID_EXCEL_SCI);
	assert_int_not_equal(norm("4.10102E+", &id), BD_ID_EXCEL_SCI);
}

static void test_hashed(void **state)
{
	(void)state;
	bd_id id;
	const char *h = "7111743feae6f21e7fa9bdf43f01437c93207f0bc4b7bd0aa5c280dd8fc9d275";
	assert_int_equal(norm(h, &id), BD_ID_HASHED);
	assert_string_equal(id.hex, h);
	assert_null(bd_id_reason(BD_ID_HASHED));
	assert_null(bd_id_reason(BD_ID_OK));
	char sp[80];
	snprintf(sp, sizeof(sp), " %s ", h);
	assert_int_equal(norm(sp, &id), BD_ID_HASHED);
	/* upper-case hex, 63 or 65 chars, a non-hex char: not a hid */
	char up[65];
	for (int i = 0; i < 65; i++)
		up[i] = (char)(h[i] >= 'a' && h[i] <= 'f' ? h[i] - 32 : h[i]);
	assert_int_equal(norm(up, &id), BD_ID_BAD_LENGTH);
	assert_int_equal(bd_id_normalise(h, 63, AS_OF, &id), BD_ID_BAD_LENGTH);
	char g[66];
	snprintf(g, sizeof(g), "%sa", h);
	assert_int_equal(norm(g, &id), BD_ID_BAD_LENGTH);
	memcpy(g, h, 65);
	g[10] = 'g';
	assert_int_equal(norm(g, &id), BD_ID_BAD_LENGTH);
}

static void test_reason_detail(void **state)
{
	(void)state;
	for (int st = BD_ID_OK; st <= BD_ID_EXCEL_SCI; st++) {
		const char *d = bd_id_detail((bd_id_status)st);
		assert_non_null(d);
		assert_true(strlen(d) > 0);
	}
	static const bd_id_status inv[] = { BD_ID_BAD_LENGTH, BD_ID_BAD_CHAR, BD_ID_BAD_DATE,
					    BD_ID_FUTURE_DATE, BD_ID_BAD_CHECK };
	for (size_t i = 0; i < BD_ARRAY_LEN(inv); i++) {
		assert_string_equal(bd_id_reason(inv[i]), "id_invalid");
		assert_false(bd_id_is_mangled(inv[i]));
	}
	assert_string_equal(bd_id_reason(BD_ID_EMPTY), "required_empty");
	assert_false(bd_id_is_mangled(BD_ID_OK));
}

static void test_mask(void **state)
{
	(void)state;
	char m[64];
	assert_string_equal(bd_id_mask("11010519491231002X", 18, m, sizeof(m)), "110105********002X");
	/* 15 chars: 6 + 5 stars + 4 */
	assert_string_equal(bd_id_mask("110105491231002", 15, m, sizeof(m)), "110105*****1002");
	assert_string_equal(bd_id_mask("12345678901", 11, m, sizeof(m)), "123456*8901");
	assert_string_equal(bd_id_mask("1234567890", 10, m, sizeof(m)), "**********");
	assert_string_equal(bd_id_mask("12345", 5, m, sizeof(m)), "*****");
	assert_string_equal(bd_id_mask("", 0, m, sizeof(m)), "");
	/* only n bytes are read */
	assert_string_equal(bd_id_mask("11010519491231002X777", 18, m, sizeof(m)),
			    "110105********002X");
	/* characters, not bytes: a full-width digit stays whole */
	assert_string_equal(bd_id_mask("１10105194912310021", 20, m, sizeof(m)),
			    "１10105********0021");
	/* a small buffer is never overrun and stays terminated */
	char s[8];
	memset(s, 'Z', sizeof(s));
	bd_id_mask("11010519491231002X", 18, s, sizeof(s));
	assert_true(strlen(s) < sizeof(s));
	assert_memory_equal(s, "11", 2);
}

static void test_uscc(void **state)
{
	(void)state;
	assert_true(bd_uscc_valid("91350100M000100Y43", 18));
	/* every other check char fails */
	const char *cs = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char c[19] = "91350100M000100Y43";
	for (size_t i = 0; i < 31; i++) {
		c[17] = cs[i];
		if (cs[i] != '3')
			assert_false(bd_uscc_valid(c, 18));
	}
	/* check char 0 (sum mod 31 == 0 maps 31 to 0) and a letter check char:
	 * found by search, verified against the weights here */
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	bool zero = false, letter = false;
	for (int k = 0; k < 3000 && !(zero && letter); k++) {
		char u[19];
		snprintf(u, sizeof(u), "9141010%010d", k * 7919);
		int sum = 0;
		for (int i = 0; i < 17; i++)
			sum += (int)(strchr(cs, u[i]) - cs) * w[i];
		int chk = (31 - sum % 31) % 31;
		u[17] = cs[chk];
		u[18] = '\0';
		assert_true(bd_uscc_valid(u, 18));
		zero = zero || chk == 0;
		letter = letter || chk >= 10;
	}
	assert_true(zero && letter);
	/* I O S V Z are not in the character set */
	assert_false(bd_uscc_valid("91350100I000100Y43", 18));
	assert_false(bd_uscc_valid("91350100M000100Y4Z", 18));
	/* wrong length */
	assert_false(bd_uscc_valid("91350100M000100Y4", 17));
	assert_false(bd_uscc_valid("91350100M000100Y433", 19));
	assert_false(bd_uscc_valid("", 0));
}

/* An index built with show_full_id = yes holds full IDs: writers of a run
 * that did not ask re-mask them, and leave masks and other text alone. */
static void test_remask(void **state)
{
	(void)state;
	char a[24] = "11010519491231002X";
	bd_id_remask(a, sizeof(a));
	assert_string_equal(a, "110105********002X");
	char b[24] = "110105********002X";
	bd_id_remask(b, sizeof(b));
	assert_string_equal(b, "110105********002X");
	char c[24] = "110105491231002";
	bd_id_remask(c, sizeof(c));
	assert_string_equal(c, "110105*****1002");
	char d[24] = "张三";
	bd_id_remask(d, sizeof(d));
	assert_string_equal(d, "张三");
	char e[24] = "1101054912310";
	bd_id_remask(e, sizeof(e));
	assert_string_equal(e, "1101054912310");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_char),
		cmocka_unit_test(test_valid_forms),
		cmocka_unit_test(test_upgrade15),
		cmocka_unit_test(test_invalid_kinds),
		cmocka_unit_test(test_excel_damage),
		cmocka_unit_test(test_hashed),
		cmocka_unit_test(test_reason_detail),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_remask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
