/* test_csv.c - CSV/TSV reader: quoting, BOM, CRLF, gzip, GBK, blocks. */
#include "testutil.h"
#include "bd/csv.h"

#include <stdio.h>
#include <unistd.h>
#include <zlib.h>

static char tmpl[64];

static const char *write_tmp(const void *data, size_t n, bool gz)
{
	snprintf(tmpl, sizeof(tmpl), "/tmp/bd_test_csv_XXXXXX");
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	close(fd);
	if (gz) {
		gzFile g = gzopen(tmpl, "wb");
		assert_non_null(g);
		assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
		gzclose(g);
	} else {
		FILE *f = fopen(tmpl, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, n, f), n);
		fclose(f);
	}
	return tmpl;
}

static void expect_row(bd_csv *c, uint32_t rowno, size_t ncell, const char *const *cells)
{
	bd_row row;
	bool eof = true;
	assert_int_equal(bd_csv_next(c, &row, &eof), BD_OK);
	assert_false(eof);
	assert_int_equal(row.rowno, rowno);
	assert_int_equal(row.ncell, ncell);
	for (size_t i = 0; i < ncell; i++) {
		assert_string_equal(row.cells[i].s, cells[i]);
		assert_int_equal(row.cells[i].n, strlen(cells[i]));
	}
}

static void expect_eof(bd_csv *c)
{
	bd_row row;
	bool eof = false;
	assert_int_equal(bd_csv_next(c, &row, &eof), BD_OK);
	assert_true(eof);
}

static void test_rfc4180_quoting(void **state)
{
	(void)state;
	const char data[] = "\xef\xbb\xbf" "姓名,备注,金额\r\n"
			    "张三,\"住址: 东大街,3号\r\n二楼\",\"1,234.50\"\r\n"
			    "李四,\"他说\"\"好\"\"\",\r\n"
			    "\r\n"
			    "王五,,9";
	const char *p = write_tmp(data, sizeof(data) - 1, false);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	assert_int_equal(bd_csv_encoding(c), BD_ENC_UTF8);
	assert_int_equal(bd_csv_delimiter(c), ',');
	expect_row(c, 1, 3, (const char *[]){ "姓名", "备注", "金额" });
	expect_row(c, 2, 3, (const char *[]){ "张三", "住址: 东大街,3号\r\n二楼", "1,234.50" });
	expect_row(c, 3, 3, (const char *[]){ "李四", "他说\"好\"", "" });
	expect_row(c, 4, 1, (const char *[]){ "" });
	expect_row(c, 5, 3, (const char *[]){ "王五", "", "9" });
	expect_eof(c);
	bd_csv_close(c);
	unlink(p);
}

static void test_gbk_gzip_tsv(void **state)
{
	(void)state;
	/* "姓名\t备注\n张三\t\"a\tb\"\n" in GBK, gzip-compressed */
	const char data[] = "\xd0\xd5\xc3\xfb\t\xb1\xb8\xd7\xa2\n\xd5\xc5\xc8\xfd\t\"a\tb\"\n";
	const char *p = write_tmp(data, sizeof(data) - 1, true);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	assert_int_equal(bd_csv_encoding(c), BD_ENC_GB18030);
	assert_int_equal(bd_csv_delimiter(c), '\t');
	expect_row(c, 1, 2, (const char *[]){ "姓名", "备注" });
	expect_row(c, 2, 2, (const char *[]){ "张三", "a\tb" });
	expect_eof(c);
	bd_csv_close(c);
	unlink(p);
}

static void test_invalid_utf8_names_row(void **state)
{
	(void)state;
	/* declared UTF-8, but row 3 holds GBK bytes */
	const char data[] = "a,b\n1,2\n\xd5\xc5,3\n";
	const char *p = write_tmp(data, sizeof(data) - 1, false);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "utf-8", &c), BD_OK);
	expect_row(c, 1, 2, (const char *[]){ "a", "b" });
	bd_csvblock blk;
	bool eof;
	assert_int_equal(bd_csv_next_block(c, 1 << 20, &blk, &eof), BD_OK);
	assert_int_equal(blk.first_row, 2);
	assert_int_equal(blk.nrec, 2);
	bd_csvparser ps;
	bd_csvparser_init(&ps, BD_ENC_UTF8, ',');
	int calls = 0;
	bd_err e = bd_csv_parse_block(&ps, &blk, p, NULL, &calls);
	assert_int_equal(e, BD_ERR_ENCODING);
	assert_non_null(strstr(bd_last_error(), "第 3 行"));
	assert_non_null(strstr(bd_last_error(), p));
	bd_csvparser_release(&ps);
	free(blk.data);
	bd_csv_close(c);
	unlink(p);
}

typedef struct collect {
	uint32_t rows;
	uint32_t last_rowno;
	uint64_t sum;
} collect;

static bd_err collect_row(void *ctx, const bd_row *row)
{
	collect *k = ctx;
	k->rows++;
	assert_int_equal(row->rowno, k->last_rowno + 1);
	k->last_rowno = row->rowno;
	assert_int_equal(row->ncell, 3);
	k->sum += strtoull(row->cells[0].s, NULL, 10);
	return BD_OK;
}

/* Blocks cut at record boundaries, even inside quoted newlines, count
 * every record once and keep row numbers exact. */
static void test_blocks_match_records(void **state)
{
	(void)state;
	bd_buf b = BD_BUF_INIT(0);
	bd_buf_addstr(&b, "id,text,x\n");
	uint64_t want = 0;
	for (int i = 1; i <= 20000; i++) {
		want += (uint64_t)i;
		if (i % 7 == 0)
			bd_buf_addf(&b, "%d,\"line\nbreak, \"\"q\"\"\",x\r\n", i);
		else
			bd_buf_addf(&b, "%d,plain %d,x\n", i, i);
	}
	const char *p = write_tmp(b.data, b.len, false);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	bd_row row;
	bool eof;
	assert_int_equal(bd_csv_next(c, &row, &eof), BD_OK);
	collect k = { 0, 1, 0 };
	bd_csvparser ps;
	bd_csvparser_init(&ps, bd_csv_encoding(c), bd_csv_delimiter(c));
	for (;;) {
		bd_csvblock blk;
		assert_int_equal(bd_csv_next_block(c, 4096, &blk, &eof), BD_OK);
		if (eof)
			break;
		uint32_t before = k.rows;
		assert_int_equal(bd_csv_parse_block(&ps, &blk, p, collect_row, &k), BD_OK);
		assert_int_equal(k.rows - before, blk.nrec);
		free(blk.data);
	}
	assert_int_equal(k.rows, 20000);
	assert_int_equal(k.last_rowno, 20001);
	assert_true(k.sum == want);
	bd_csvparser_release(&ps);
	bd_csv_close(c);
	bd_buf_release(&b);
	unlink(p);
}

static void test_unclosed_quote_is_error(void **state)
{
	(void)state;
	bd_buf b = BD_BUF_INIT(0);
	bd_buf_addstr(&b, "a,b\n1,\"never closed\n");
	for (int i = 0; i < 300000; i++)
		bd_buf_addstr(&b, "xxxxxxxxxxxxxxx,yyyyyyyyyy\n");
	const char *p = write_tmp(b.data, b.len, false);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	bd_row row;
	bool eof;
	assert_int_equal(bd_csv_next(c, &row, &eof), BD_OK);
	bd_csvblock blk;
	assert_int_equal(bd_csv_next_block(c, 1 << 16, &blk, &eof), BD_ERR_FORMAT);
	assert_non_null(strstr(bd_last_error(), "第 2 行"));
	bd_csv_close(c);
	bd_buf_release(&b);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4180_quoting),
		cmocka_unit_test(test_gbk_gzip_tsv),
		cmocka_unit_test(test_invalid_utf8_names_row),
		cmocka_unit_test(test_blocks_match_records),
		cmocka_unit_test(test_unclosed_quote_is_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
