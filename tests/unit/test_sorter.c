/* test_sorter.c - external sort: order, duplicates, spills, threads. */
#include "testutil.h"
#include "bd/buf.h"
#include "bd/sorter.h"

static void make_entry(bd_buf *b, uint32_t seed, int tag, size_t vlen)
{
	uint8_t e[BD_ENTRY_HEAD + 64];
	e[0] = (uint8_t)tag;
	uint32_t x = seed * 2654435761u + 12345u;
	for (int i = 0; i < 32; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		e[1 + i] = (uint8_t)x;
	}
	e[1] = (uint8_t)(seed % 7); /* many keys share a prefix */
	e[33] = (uint8_t)vlen;
	e[34] = 0;
	for (size_t i = 0; i < vlen; i++)
		e[BD_ENTRY_HEAD + i] = (uint8_t)(seed >> (i % 4 * 8));
	bd_buf_add(b, e, BD_ENTRY_HEAD + vlen);
}

static int cmp_entries(const uint8_t *a, const uint8_t *b)
{
	int c = memcmp(a, b, 33);
	if (c)
		return c;
	size_t la = bd_entry_size(a) - BD_ENTRY_HEAD, lb = bd_entry_size(b) - BD_ENTRY_HEAD;
	c = memcmp(a + BD_ENTRY_HEAD, b + BD_ENTRY_HEAD, la < lb ? la : lb);
	return c ? c : (la < lb ? -1 : la > lb);
}

/* Sorts n entries (each added twice: duplicates must collapse) under a
 * budget; returns a checksum of the output order. */
static uint64_t run_sort(size_t n, size_t budget, int threads, unsigned *spills)
{
	bd_sorter *s;
	assert_int_equal(bd_sorter_new(budget, threads, NULL, &s), BD_OK);
	bd_buf b = BD_BUF_INIT(0);
	for (size_t round = 0; round < 2; round++)
		for (size_t i = 0; i < n; i++) {
			bd_buf_reset(&b);
			make_entry(&b, (uint32_t)i, (int)(i % 3), i % 5);
			assert_int_equal(bd_sorter_add(s, (uint8_t *)b.data, b.len), BD_OK);
		}
	assert_int_equal(bd_sorter_count(s), 2 * n);
	assert_int_equal(bd_sorter_finish(s), BD_OK);
	uint8_t prev[BD_ENTRY_HEAD + 64];
	bool have = false;
	size_t got = 0;
	uint64_t sum = 1469598103934665603ull;
	for (;;) {
		const uint8_t *e;
		bool eof;
		assert_int_equal(bd_sorter_next(s, &e, &eof), BD_OK);
		if (eof)
			break;
		if (have)
			assert_true(cmp_entries(prev, e) < 0); /* strictly increasing: no dups */
		memcpy(prev, e, bd_entry_size(e));
		have = true;
		for (size_t i = 0; i < bd_entry_size(e); i++)
			sum = (sum ^ e[i]) * 1099511628211ull;
		got++;
	}
	assert_int_equal(got, n);
	*spills = bd_sorter_spills(s);
	bd_sorter_free(s);
	bd_buf_release(&b);
	return sum;
}

static void test_in_memory(void **state)
{
	(void)state;
	unsigned spills;
	run_sort(10000, (size_t)64 << 20, 1, &spills);
	assert_int_equal(spills, 0);
}

static void test_spills_same_order_any_threads(void **state)
{
	(void)state;
	unsigned s1, s2, s3;
	uint64_t a = run_sort(50000, (size_t)64 << 20, 1, &s1);
	uint64_t b = run_sort(50000, 200000, 1, &s2);
	uint64_t c = run_sort(50000, 200000, 4, &s3);
	assert_int_equal(s1, 0);
	assert_true(s2 > 5);
	assert_true(s3 > 5);
	assert_true(a == b);
	assert_true(a == c);
}

/* One key with thousands of values (a 集体户's members, a parent's
 * children): in value order, each value once, whatever the thread count
 * (the radix sort leaves such a run to the whole-entry sort). */
static void test_one_key_many_values(void **state)
{
	(void)state;
	for (int threads = 1; threads <= 3; threads += 2) {
		bd_sorter *s;
		assert_int_equal(bd_sorter_new((size_t)64 << 20, threads, NULL, &s), BD_OK);
		uint8_t e[BD_ENTRY_HEAD + 4];
		memset(e, 0, sizeof(e));
		e[0] = 2;
		memset(e + 1, 0xab, 32);
		e[33] = 4;
		/* 5000 values in a scrambled order, each twice, and a key just
		 * below and above */
		for (int round = 0; round < 2; round++)
			for (uint32_t i = 0; i < 5000; i++) {
				uint32_t v = (i * 7919u) % 5000u;
				e[35] = (uint8_t)(v >> 24);
				e[36] = (uint8_t)(v >> 16);
				e[37] = (uint8_t)(v >> 8);
				e[38] = (uint8_t)v;
				assert_int_equal(bd_sorter_add(s, e, sizeof(e)), BD_OK);
			}
		uint8_t lo[BD_ENTRY_HEAD + 4], hi[BD_ENTRY_HEAD + 4];
		memcpy(lo, e, sizeof(e));
		memcpy(hi, e, sizeof(e));
		lo[32] = 0xaa;
		hi[32] = 0xac;
		assert_int_equal(bd_sorter_add(s, hi, sizeof(hi)), BD_OK);
		assert_int_equal(bd_sorter_add(s, lo, sizeof(lo)), BD_OK);
		assert_int_equal(bd_sorter_finish(s), BD_OK);
		const uint8_t *got;
		bool eof;
		assert_int_equal(bd_sorter_next(s, &got, &eof), BD_OK);
		assert_false(eof);
		assert_memory_equal(got, lo, sizeof(lo));
		for (uint32_t v = 0; v < 5000; v++) {
			assert_int_equal(bd_sorter_next(s, &got, &eof), BD_OK);
			assert_false(eof);
			assert_memory_equal(got, e, 33);
			uint32_t w = (uint32_t)got[35] << 24 | (uint32_t)got[36] << 16 | (uint32_t)got[37] << 8 | got[38];
			assert_int_equal(w, v);
		}
		assert_int_equal(bd_sorter_next(s, &got, &eof), BD_OK);
		assert_false(eof);
		assert_memory_equal(got, hi, sizeof(hi));
		assert_int_equal(bd_sorter_next(s, &got, &eof), BD_OK);
		assert_true(eof);
		bd_sorter_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_memory),
		cmocka_unit_test(test_spills_same_order_any_threads),
		cmocka_unit_test(test_one_key_many_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
