/* test_csv.c - CSV/TSV reader: quoting, BOM, CRLF, gzip, GBK, blocks. */
#include "testutil.h"
#include "bd/csv.h"

#include <stdio.h>
#include <sys/stat.h>
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

/* UTF-16 with a BOM ("Unicode 文本" from Excel: UTF-16LE TSV; also BE CSV)
 * is transcoded as read; rows come out as UTF-8. */
static void test_utf16_bom(void **state)
{
	(void)state;
	/* 姓名\t备注\r\n张三\t"a""b"\r\n in UTF-16LE with BOM */
	static const unsigned char le[] = {
		0xFF, 0xFE, 0xD3, 0x59, 0x0D, 0x54, '\t', 0, 0x07, 0x59, 0xE8, 0x6C,
		'\r', 0, '\n', 0, 0x20, 0x5F, 0x09, 0x4E, '\t', 0, '"', 0, 'a', 0,
		'"', 0, '"', 0, 'b', 0, '"', 0, '\r', 0, '\n', 0};
	const char *p = write_tmp(le, sizeof(le), false);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "gbk", &c), BD_OK); /* the BOM wins */
	assert_string_equal(bd_csv_source_encoding(c), "utf-16le");
	assert_int_equal(bd_csv_encoding(c), BD_ENC_UTF8);
	assert_int_equal(bd_csv_delimiter(c), '\t');
	expect_row(c, 1, 2, (const char *const[]){"姓名", "备注"});
	expect_row(c, 2, 2, (const char *const[]){"张三", "a\"b"});
	expect_eof(c);
	bd_csv_close(c);
	unlink(p);

	/* big-endian, gzip'd, blocks */
	static const unsigned char be[] = {
		0xFE, 0xFF, 0x59, 0xD3, 0x54, 0x0D, 0, ',', 0, 'x', 0, '\n',
		0x5F, 0x20, 0x4E, 0x09, 0, ',', 0, '1', 0, '\n'};
	p = write_tmp(be, sizeof(be), true);
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	assert_string_equal(bd_csv_source_encoding(c), "utf-16be");
	expect_row(c, 1, 2, (const char *const[]){"姓名", "x"});
	bd_csvblock blk;
	bool eof;
	assert_int_equal(bd_csv_next_block(c, 1 << 16, &blk, &eof), BD_OK);
	assert_int_equal(blk.nrec, 1);
	assert_string_equal(blk.data, "张三,1\n");
	free(blk.data);
	bd_csv_close(c);
	unlink(p);

	/* an unpaired surrogate: an error naming the file */
	static const unsigned char bad[] = {0xFF, 0xFE, 'a', 0, 0x00, 0xDC, '\n', 0};
	p = write_tmp(bad, sizeof(bad), false);
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_ERR_ENCODING);
	assert_non_null(strstr(bd_last_error(), p));
	unlink(p);
}

/* Old Mac exports end lines with CR alone: one record per line, not one. */
static void test_cr_only_lines(void **state)
{
	(void)state;
	const char *txt = "name,id\r\"a\rb\",1\r\xd5\xc5\xc8\xfd,2\r";
	const char *p = write_tmp(txt, strlen(txt), false);
	bd_csv *c;
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	assert_true(bd_csv_cr_only(c));
	expect_row(c, 1, 2, (const char *const[]){"name", "id"});
	expect_row(c, 2, 2, (const char *const[]){"a\nb", "1"});
	expect_row(c, 3, 2, (const char *const[]){"张三", "2"});
	expect_eof(c);
	bd_csv_close(c);
	unlink(p);
}

/* Issue 10.3: a gzip stream that ends early and a file that ends inside
 * a quoted field are errors, not a shorter table. */
static void test_truncated_inputs(void **state)
{
	(void)state;
	bd_buf b = BD_BUF_INIT(0);
	bd_buf_addstr(&b, "name,id\n");
	for (int i = 0; i < 20000; i++)
		bd_buf_addf(&b, "person%d,41050219580902%04d\n", i, i % 10000);
	const char *p = write_tmp(b.data, b.len, true);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	unsigned char gz[1 << 20];
	size_t n = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	assert_true(n > 1000 && n < sizeof(gz));
	char path[64];
	snprintf(path, sizeof(path), "%s", p);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(gz, 1, n * 6 / 10, f), n * 6 / 10);
	fclose(f);
	bd_csv *c;
	bd_err e = bd_csv_open(path, "auto", &c);
	bd_row row;
	bool eof = false;
	uint32_t rows = 0;
	if (!e) {
		while (!(e = bd_csv_next(c, &row, &eof)) && !eof)
			rows++;
		bd_csv_close(c);
	}
	assert_int_equal(e, BD_ERR_FORMAT);
	assert_true(rows < 20001);
	assert_non_null(strstr(bd_last_error(), path));
	assert_non_null(strstr(bd_last_error(), "gzip"));
	unlink(path);
	bd_buf_release(&b);

	/* the last record opens a quote and the file ends: row named */
	const char *txt = "a,b\n1,2\n3,\"cut here\n4,5\n";
	p = write_tmp(txt, strlen(txt), false);
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	expect_row(c, 1, 2, (const char *const[]){"a", "b"});
	bd_csvblock blk;
	assert_int_equal(bd_csv_next_block(c, 1 << 16, &blk, &eof), BD_ERR_FORMAT);
	assert_non_null(strstr(bd_last_error(), "第 3 行"));
	assert_non_null(strstr(bd_last_error(), p));
	bd_csv_close(c);
	unlink(p);
	/* a closed quote with an escaped quote at the end is fine */
	txt = "a,b\n1,\"x\"\"\"\n";
	p = write_tmp(txt, strlen(txt), false);
	assert_int_equal(bd_csv_open(p, "auto", &c), BD_OK);
	expect_row(c, 1, 2, (const char *const[]){"a", "b"});
	expect_row(c, 2, 2, (const char *const[]){"1", "x\""});
	expect_eof(c);
	bd_csv_close(c);
	unlink(p);
}

/* Issue 10.4: a FIFO would block in open(), /dev/zero never ends: only
 * regular files are inputs, refused before opening with the path named. */
static void test_not_regular_file(void **state)
{
	(void)state;
	char fifo[64];
	snprintf(fifo, sizeof(fifo), "/tmp/bd_test_fifo_%ld", (long)getpid());
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	bd_csv *c = NULL;
	assert_int_equal(bd_csv_open(fifo, "auto", &c), BD_ERR_IO);
	assert_null(c);
	assert_non_null(strstr(bd_last_error(), fifo));
	assert_non_null(strstr(bd_last_error(), "不是普通文件"));
	assert_int_equal(bd_input_check(fifo), BD_ERR_IO);
	unlink(fifo);
	assert_int_equal(bd_csv_open("/dev/zero", "auto", &c), BD_ERR_IO);
	assert_non_null(strstr(bd_last_error(), "/dev/zero"));
	assert_int_equal(bd_csv_open("/tmp", "auto", &c), BD_ERR_IO);
	assert_non_null(strstr(bd_last_error(), "目录"));
	const char *p = write_tmp("a\n", 2, false);
	assert_int_equal(bd_input_check(p), BD_OK);
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
		cmocka_unit_test(test_utf16_bom),
		cmocka_unit_test(test_cr_only_lines),
		cmocka_unit_test(test_truncated_inputs),
		cmocka_unit_test(test_not_regular_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
