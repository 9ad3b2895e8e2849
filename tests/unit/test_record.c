/* test_record.c - packed records: round trip, limits, UTF-8 cuts. */
#include "testutil.h"
#include "bd/record.h"

static void test_roundtrip(void **state)
{
	(void)state;
	bd_rec r;
	memset(&r, 0, sizeof(r));
	r.section = 3;
	r.row = 123456;
	r.nnum = BD_P_NNUM;
	r.num[BD_P_SEX] = 2;
	r.num[BD_P_BIRTH] = 19580902;
	r.num[BD_P_STATUS] = -1;
	r.num[BD_P_STATUS_DATE] = 0;
	bd_rec_setstr(&r, BD_P_NAME, "张三", strlen("张三"));
	bd_rec_setstr(&r, BD_P_IDMASK, "410102********1234", 18);
	uint8_t hid[32];
	memset(hid, 0xab, 32);
	bd_rec_sethid(&r, BD_P_SPOUSE, hid);
	uint8_t buf[BD_REC_MAXSIZE];
	size_t n = bd_rec_pack(&r, buf, sizeof(buf), NULL);
	assert_true(n > 0);
	bd_rec u;
	assert_int_equal(bd_rec_unpack(buf, n, &u), BD_OK);
	assert_int_equal(u.section, 3);
	assert_int_equal(u.row, 123456);
	assert_int_equal(u.num[BD_P_BIRTH], 19580902);
	assert_int_equal(u.num[BD_P_STATUS], -1);
	assert_int_equal(u.str[BD_P_NAME].n, strlen("张三"));
	assert_memory_equal(u.str[BD_P_NAME].s, "张三", strlen("张三"));
	assert_false(bd_rec_hashid(&u, BD_P_FATHER));
	assert_true(bd_rec_hashid(&u, BD_P_SPOUSE));
	assert_memory_equal(u.hid[BD_P_SPOUSE], hid, 32);
	/* a truncated buffer is an error, not a crash */
	assert_int_equal(bd_rec_unpack(buf, n - 40, &u), BD_ERR_INDEX);
}

static void test_long_strings_cut_at_char_boundary(void **state)
{
	(void)state;
	bd_rec r;
	memset(&r, 0, sizeof(r));
	char s[200] = "";
	for (int i = 0; i < 30; i++)
		strcat(s, "社"); /* 90 bytes */
	for (int i = 0; i < BD_REC_MAXSTR; i++)
		bd_rec_setstr(&r, i, s, strlen(s));
	for (int i = 0; i < BD_REC_MAXHID; i++) {
		uint8_t h[32] = { (uint8_t)i };
		bd_rec_sethid(&r, i, h);
	}
	r.nnum = BD_REC_MAXNUM;
	for (int i = 0; i < BD_REC_MAXNUM; i++)
		r.num[i] = INT64_MIN + i;
	uint8_t buf[BD_REC_MAXSIZE];
	bool cut = false;
	size_t n = bd_rec_pack(&r, buf, sizeof(buf), &cut);
	/* 8 strings of 60 bytes plus 4 hids cannot fit 500 bytes: refused */
	assert_int_equal(n, 0);
	r.nstr = 4;
	r.hidmask = 1;
	n = bd_rec_pack(&r, buf, sizeof(buf), &cut);
	assert_true(n > 0);
	assert_true(cut);
	bd_rec u;
	assert_int_equal(bd_rec_unpack(buf, n, &u), BD_OK);
	assert_int_equal(u.str[0].n, 60); /* 20 characters of 3 bytes */
	assert_true(u.num[0] == INT64_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_long_strings_cut_at_char_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
