/*
 * test_sheet.c - spreadsheet readers: format detection, number rendering,
 * XLSX (fixtures in tests/data built by make_sheet_fixtures.py, plus a
 * large sheet written here with minizip), legacy .xls and HTML tables,
 * and the real-form samples in the shared sample district.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <minizip/zip.h>
#include <zlib.h>

#include "testutil.h"

#include "bd/numfmt.h"
#include "bd/sheet.h"

#define FIX "tests/data/"

/* ---- helpers ---------------------------------------------------------- */

typedef struct rows {
	bd_sheet *sh;
	bd_row r;
} rows;

static void open_ok(rows *t, const char *path, bd_format fmt,
		    const char *sheet, const char *enc)
{
	bd_err e = bd_sheet_open(path, fmt, sheet, enc, &t->sh);
	if (e)
		fail_msg("open %s: %d %s", path, e, bd_last_error());
}

/* Next row; false at end of sheet. Fails the test on error. */
static bool next_ok(rows *t)
{
	bool eof = true;
	bd_err e = bd_sheet_next(t->sh, &t->r, &eof);
	if (e)
		fail_msg("next: %d %s", e, bd_last_error());
	return !eof;
}

/* Advances to the row with spreadsheet number rowno. */
static void seek_row(rows *t, uint32_t rowno)
{
	while (next_ok(t))
		if (t->r.rowno == rowno)
			return;
	fail_msg("row %u not found", rowno);
}

static const char *cell(const rows *t, uint32_t i)
{
	assert_true(i < t->r.ncell);
	assert_int_equal(strlen(t->r.cells[i].s), t->r.cells[i].n);
	return t->r.cells[i].s;
}

static void sample_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/in/%s", test_samples_dir(), name);
}

/* Opens path with detection, expects error code want naming the file. */
static void expect_open_error(const char *path, bd_err want)
{
	bd_sheet *sh = NULL;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char head[512];
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	bd_err e = bd_sheet_open(path, bd_format_detect(head, n), NULL, NULL,
				 &sh);
	assert_int_equal(e, want);
	assert_null(sh);
	assert_non_null(strstr(bd_last_error(), path));
}

/* Reads all rows of an opened sheet; returns the first error (or BD_OK). */
static bd_err drain(bd_sheet *sh, uint32_t *nrows)
{
	bd_row r;
	bool eof = false;
	*nrows = 0;
	for (;;) {
		bd_err e = bd_sheet_next(sh, &r, &eof);
		if (e || eof)
			return e;
		(*nrows)++;
	}
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* ---- detection and rendering ------------------------------------------ */

static void test_detect(void **state)
{
	(void)state;
	const unsigned char gz[] = {0x1F, 0x8B, 8, 0};
	const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A,
				     0xE1, 0};
	assert_int_equal(bd_format_detect(gz, sizeof(gz)), BD_FMT_GZIP);
	assert_int_equal(bd_format_detect((const unsigned char *)"PK\3\4xx", 6),
			 BD_FMT_XLSX);
	assert_int_equal(bd_format_detect(ole, sizeof(ole)), BD_FMT_XLS);
#define D(s) bd_format_detect((const unsigned char *)(s), sizeof(s) - 1)
	assert_int_equal(D("<html><body>"), BD_FMT_HTML);
	assert_int_equal(D("\xEF\xBB\xBF  \r\n<TABLE border=1>"), BD_FMT_HTML);
	assert_int_equal(D("<!DOCTYPE html PUBLIC \"x\">\n<!-- a > b -->\n"
			   "<?xml version=\"1.0\"?><Html lang=zh>"),
			 BD_FMT_HTML);
	assert_int_equal(D("<meta charset=gbk><table>"), BD_FMT_HTML);
	assert_int_equal(D("<head>"), BD_FMT_HTML);
	assert_int_equal(D("<body>"), BD_FMT_HTML);
	assert_int_equal(D("<style>td{}</style>"), BD_FMT_HTML);
	assert_int_equal(D("<table"), BD_FMT_HTML);
	assert_int_equal(D("<tablex>"), BD_FMT_TEXT);
	/* bare BIFF4 worksheet BOF: the .xls reader says what it is */
	assert_int_equal(D("\x09\x04\x06\x00\x00\x00\x10\x00"), BD_FMT_XLS);
	assert_int_equal(D("\x09\x04\x06\x00\x00\x00\x11\x00"), BD_FMT_TEXT);
	assert_int_equal(D("姓名,身份证号\n"), BD_FMT_TEXT);
	assert_int_equal(D("\xEF\xBB\xBF序号,姓名"), BD_FMT_TEXT);
	assert_int_equal(D("<!-- never closed <html>"), BD_FMT_TEXT);
	assert_int_equal(D("PK"), BD_FMT_TEXT);
	assert_int_equal(bd_format_detect(NULL, 0), BD_FMT_TEXT);
#undef D
	assert_str(bd_format_name(BD_FMT_TEXT), "csv");
	assert_str(bd_format_name(BD_FMT_GZIP), "gzip");
	assert_str(bd_format_name(BD_FMT_XLSX), "xlsx");
	assert_str(bd_format_name(BD_FMT_XLS), "xls");
	assert_str(bd_format_name(BD_FMT_HTML), "html");
	assert_str(bd_format_name(BD_FMT_UNKNOWN), "unknown");
}

static const char *num(double v, bool date)
{
	static char out[64];
	size_t n = bd_number_render(v, date, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	return out;
}

static void test_number_render(void **state)
{
	(void)state;
	assert_str(num(410502195809029000.0, false), "410502195809029000");
	assert_str(num(4.10502195809029E17, false), "410502195809029000");
	assert_str(num(410502195809028992.0, false), "410502195809029000");
	assert_str(num(41050219630421347272.0, false), "41050219630421300000");
	assert_str(num(42, false), "42");
	assert_str(num(0, false), "0");
	assert_str(num(-0.0, false), "0");
	assert_str(num(1234.5, false), "1234.5");
	assert_str(num(1234.56, false), "1234.56");
	assert_str(num(0.1 + 0.2, false), "0.3");
	assert_str(num(-42, false), "-42");
	assert_str(num(-1234.5, false), "-1234.5");
	assert_str(num(-4.10502195809029E17, false), "-410502195809029000");
	assert_str(num(0.05, false), "0.05");
	assert_str(num(0.000123, false), "0.000123");
	assert_str(num(1e15, false), "1000000000000000");
	assert_str(num(123456789012345678.0, false), "123456789012346000");
	assert_str(num(19394114332.0, false), "19394114332");
	assert_str(num(99.99999999999999, false), "100");
	assert_str(num(1.5e25, false), "1.5E+25");
	/* number formats: dates, times, durations */
	assert_int_equal(bd_numfmt_of("yyyy\"年\"m\"月\"d\"日\""), BD_NF_DATE);
	assert_int_equal(bd_numfmt_of("[$-409]mmmm\\-yy;@"), BD_NF_DATE);
	assert_int_equal(bd_numfmt_of("mmm"), BD_NF_DATE);
	assert_int_equal(bd_numfmt_of("m/d/yy\\ h:mm"), BD_NF_DATE);
	assert_int_equal(bd_numfmt_of("[$-F400]h:mm:ss\\ AM/PM"), BD_NF_TIME);
	assert_int_equal(bd_numfmt_of("mm:ss.0;@"), BD_NF_TIME);
	assert_int_equal(bd_numfmt_of("[hh]:mm:ss"), BD_NF_DURATION);
	assert_int_equal(bd_numfmt_of("[Red]0.00"), BD_NF_NUMBER);
	assert_int_equal(bd_numfmt_of("#,##0.00_);\\(#,##0.00\\)"), BD_NF_NUMBER);
	assert_int_equal(bd_numfmt_builtin(14), BD_NF_DATE);
	assert_int_equal(bd_numfmt_builtin(20), BD_NF_TIME);
	assert_int_equal(bd_numfmt_builtin(46), BD_NF_DURATION);
	assert_int_equal(bd_numfmt_builtin(2), BD_NF_NUMBER);
	char out[64];
	bd_number_render_fmt(0.5, BD_NF_TIME, out, sizeof(out));
	assert_str(out, "12:00:00");
	bd_number_render_fmt(45000.75, BD_NF_TIME, out, sizeof(out));
	assert_str(out, "18:00:00");                  /* time of day only */
	bd_number_render_fmt(0.99999999, BD_NF_TIME, out, sizeof(out));
	assert_str(out, "00:00:00");
	bd_number_render_fmt(1.5, BD_NF_DURATION, out, sizeof(out));
	assert_str(out, "36:00:00");
	bd_number_render_fmt(-0.5, BD_NF_TIME, out, sizeof(out));
	assert_str(out, "-0.5");
	bd_number_render_fmt(45658, BD_NF_DATE, out, sizeof(out));
	assert_str(out, "2025-01-01");
	/* dates, 1900 system */
	assert_str(num(45658, true), "2025-01-01");
	assert_str(num(45658.75, true), "2025-01-01");
	assert_str(num(45657.99999999999, true), "2025-01-01");
	assert_str(num(1, true), "1900-01-01");
	assert_str(num(59, true), "1900-02-28");
	assert_str(num(60, true), "1900-02-29");
	assert_str(num(61, true), "1900-03-01");
	assert_str(num(44594, true), "2022-02-02");
	assert_str(num(36526, true), "2000-01-01");
	assert_str(num(2958465, true), "9999-12-31");
	/* not a date serial: rendered as the number */
	assert_str(num(0.5, true), "0.5");
	assert_str(num(-3, true), "-3");
	/* truncation to the buffer */
	char small[5];
	assert_int_equal(bd_number_render(410502195809029000.0, false, small,
					  sizeof(small)), 4);
	assert_str(small, "4105");
	assert_int_equal(bd_number_render(1, false, small, 0), 0);
}

/* ---- XLSX ---------------------------------------------------------------- */

static void test_xlsx_fixture(void **state)
{
	(void)state;
	rows t;
	open_ok(&t, FIX "sheet_basic.xlsx", BD_FMT_XLSX, NULL, NULL);

	/* shared strings incl. rich runs (phonetic run dropped), gap at B1 */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_int_equal(t.r.ncell, 4);
	assert_str(cell(&t, 0), "姓名");
	assert_str(cell(&t, 1), "");
	assert_int_equal(t.r.cells[1].n, 0);
	assert_str(cell(&t, 2), "身份证号码 ");
	assert_str(cell(&t, 3), "内联 文本");

	/* numbers as Excel shows them, booleans, errors, formula strings */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 2);
	assert_int_equal(t.r.ncell, 8);
	assert_str(cell(&t, 0), "410502195809029000");
	assert_str(cell(&t, 1), "410502195809029000");
	assert_str(cell(&t, 2), "1234.5");
	assert_str(cell(&t, 3), "0.3");
	assert_str(cell(&t, 4), "-42");
	assert_str(cell(&t, 5), "TRUE");
	assert_str(cell(&t, 6), "#N/A");
	assert_str(cell(&t, 7), "公式");

	/* rows 3 and 4 are absent; date styles */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 5);
	assert_int_equal(t.r.ncell, 7);
	assert_str(cell(&t, 0), "2025-01-01");   /* built-in 14 */
	assert_str(cell(&t, 1), "2025-01-01");   /* yyyy"年"m"月"d"日" */
	assert_str(cell(&t, 2), "36:00:00");     /* [h]:mm:ss: a duration */
	assert_str(cell(&t, 3), "1234.5");       /* money format */
	assert_str(cell(&t, 4), "2022-02-02");   /* [$-804]yyyy/m/d */
	assert_str(cell(&t, 5), "2024-03-01");   /* t="d" */
	assert_str(cell(&t, 6), "7");            /* 0" days": quoted letters */

	/* rows and cells without r attributes continue the count */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 6);
	assert_int_equal(t.r.ncell, 2);
	assert_str(cell(&t, 0), "1");
	assert_str(cell(&t, 1), "二");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 7);
	assert_int_equal(t.r.ncell, 1);
	assert_str(cell(&t, 0), "a\rb");         /* _x000D_ escape */

	/* an explicit row without cells */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 9);
	assert_int_equal(t.r.ncell, 0);

	/* inline rich text; the trailing empty cell C10 is dropped */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 10);
	assert_int_equal(t.r.ncell, 2);
	assert_str(cell(&t, 0), "");
	assert_str(cell(&t, 1), "张三");

	assert_false(next_ok(&t));
	assert_false(next_ok(&t));   /* end is sticky */
	bd_sheet_close(t.sh);
}

static void test_xlsx_select_sheet(void **state)
{
	(void)state;
	const char *sel[] = {"Other", "2", "other"};
	for (size_t i = 0; i < BD_ARRAY_LEN(sel); i++) {
		rows t;
		open_ok(&t, FIX "sheet_basic.xlsx", BD_FMT_XLSX, sel[i], NULL);
		assert_true(next_ok(&t));
		assert_int_equal(t.r.rowno, 3);
		assert_int_equal(t.r.ncell, 2);
		assert_str(cell(&t, 1), "second");
		assert_false(next_ok(&t));
		bd_sheet_close(t.sh);
	}
	const char *first[] = {"名册", "1", ""};
	for (size_t i = 0; i < BD_ARRAY_LEN(first); i++) {
		rows t;
		open_ok(&t, FIX "sheet_basic.xlsx", BD_FMT_XLSX, first[i], NULL);
		assert_true(next_ok(&t));
		assert_str(cell(&t, 0), "姓名");
		bd_sheet_close(t.sh);
	}
	bd_sheet *sh = NULL;
	assert_int_equal(bd_sheet_open(FIX "sheet_basic.xlsx", BD_FMT_XLSX, "3",
				       NULL, &sh), BD_ERR_FORMAT);
	assert_null(sh);
	assert_non_null(strstr(bd_last_error(), "sheet_basic.xlsx"));
	assert_int_equal(bd_sheet_open(FIX "sheet_basic.xlsx", BD_FMT_XLSX,
				       "没有", NULL, &sh), BD_ERR_FORMAT);
	assert_non_null(strstr(bd_last_error(), "\"名册\", \"Other\""));
	assert_int_equal(bd_sheet_open(FIX "sheet_basic.xlsx", BD_FMT_XLSX, "0",
				       NULL, &sh), BD_ERR_FORMAT);
}

static void test_xlsx_errors(void **state)
{
	(void)state;
	expect_open_error(FIX "sheet_truncated.xlsx", BD_ERR_FORMAT);
	expect_open_error(FIX "sheet_notxlsx.zip", BD_ERR_FORMAT);

	bd_sheet *sh = NULL;
	assert_int_equal(bd_sheet_open(FIX "no_such_file.xlsx", BD_FMT_XLSX,
				       NULL, NULL, &sh), BD_ERR_IO);
	assert_non_null(strstr(bd_last_error(), "no_such_file.xlsx"));

	/* malformed XML: rows before the damage, then a clean error */
	uint32_t n;
	assert_int_equal(bd_sheet_open(FIX "sheet_badxml.xlsx", BD_FMT_XLSX,
				       NULL, NULL, &sh), BD_OK);
	assert_int_equal(drain(sh, &n), BD_ERR_FORMAT);
	assert_int_equal(n, 2);
	assert_non_null(strstr(bd_last_error(), "sheet_badxml.xlsx"));
	bd_row r;
	bool eof;
	assert_int_equal(bd_sheet_next(sh, &r, &eof), BD_ERR_FORMAT);
	bd_sheet_close(sh);

	/* damaged member: the CRC check at its end fails */
	assert_int_equal(bd_sheet_open(FIX "sheet_crc.xlsx", BD_FMT_XLSX, NULL,
				       NULL, &sh), BD_OK);
	assert_int_equal(drain(sh, &n), BD_ERR_FORMAT);
	assert_non_null(strstr(bd_last_error(), "sheet_crc.xlsx"));
	bd_sheet_close(sh);

	/* a text file is no spreadsheet */
	assert_int_equal(bd_sheet_open(FIX "make_sheet_fixtures.py",
				       BD_FMT_TEXT, NULL, NULL, &sh),
			 BD_ERR_FORMAT);
	/* UNKNOWN: detected from the content */
	assert_int_equal(bd_sheet_open(FIX "sheet_basic.xlsx", BD_FMT_UNKNOWN,
				       NULL, NULL, &sh), BD_OK);
	assert_int_equal(drain(sh, &n), BD_OK);
	assert_int_equal(n, 7);
	bd_sheet_close(sh);
	bd_sheet_close(NULL);
}

/* Writes a one-sheet XLSX of nrows rows with minizip (no workbook.xml:
 * the reader falls back to xl/worksheets/sheet1.xml). */
static void write_big_xlsx(const char *path, uint32_t nrows)
{
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(zf);
	assert_int_equal(zipOpenNewFileInZip64(zf, "xl/worksheets/sheet1.xml",
					       NULL, NULL, 0, NULL, 0, NULL,
					       Z_DEFLATED, 1, 1), ZIP_OK);
	char buf[1024];
	int n = snprintf(buf, sizeof(buf),
			 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet "
			 "xmlns=\"http://schemas.openxmlformats.org/"
			 "spreadsheetml/2006/main\"><sheetData>");
	assert_int_equal(zipWriteInFileInZip(zf, buf, (unsigned)n), ZIP_OK);
	for (uint32_t i = 1; i <= nrows; i++) {
		n = snprintf(buf, sizeof(buf),
			     "<row r=\"%u\"><c r=\"A%u\" t=\"inlineStr\"><is><t>"
			     "姓名%u</t></is></c><c r=\"B%u\"><v>4.10502195809029E+17"
			     "</v></c><c r=\"D%u\"><v>%u.25</v></c></row>\n",
			     i, i, i, i, i, i);
		assert_int_equal(zipWriteInFileInZip(zf, buf, (unsigned)n),
				 ZIP_OK);
	}
	n = snprintf(buf, sizeof(buf), "</sheetData></worksheet>");
	assert_int_equal(zipWriteInFileInZip(zf, buf, (unsigned)n), ZIP_OK);
	assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
	assert_int_equal(zipClose(zf, NULL), ZIP_OK);
}

/* Writes a zip of n parts (name, content) with minizip. */
static void write_parts(const char *path, size_t n, const char *const *names,
			const char *const *datas)
{
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(zf);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(zipOpenNewFileInZip64(zf, names[i], NULL, NULL, 0,
						       NULL, 0, NULL, Z_DEFLATED,
						       6, 0), ZIP_OK);
		assert_int_equal(zipWriteInFileInZip(zf, datas[i],
						     (unsigned)strlen(datas[i])),
				 ZIP_OK);
		assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
	}
	assert_int_equal(zipClose(zf, NULL), ZIP_OK);
}

#define WS_OPEN "<worksheet xmlns=\"http://schemas.openxmlformats.org/" \
		"spreadsheetml/2006/main\"><sheetData>"
#define WS_CLOSE "</sheetData></worksheet>"

static void test_xlsx_bad_cells(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_cells_%ld.xlsx",
		 (long)getpid());
	const char *names[] = {"xl/worksheets/sheet1.xml"};
	const char *bad[] = {
		/* beyond column XFD */
		WS_OPEN "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" WS_CLOSE,
		/* shared string without a string table */
		WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" WS_CLOSE,
		/* row number that is no number */
		WS_OPEN "<row r=\"x\"><c r=\"A1\"><v>1</v></c></row>" WS_CLOSE,
		/* truncated XML */
		WS_OPEN "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\">",
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(bad); i++) {
		const char *datas[] = {bad[i]};
		unlink(path);
		write_parts(path, 1, names, datas);
		bd_sheet *sh = NULL;
		uint32_t n;
		assert_int_equal(bd_sheet_open(path, BD_FMT_XLSX, NULL, NULL, &sh),
				 BD_OK);
		assert_int_equal(drain(sh, &n), BD_ERR_FORMAT);
		assert_int_equal(n, i == 3 ? 1 : 0);
		assert_non_null(strstr(bd_last_error(), path));
		bd_sheet_close(sh);
	}
	unlink(path);
}

static void test_xlsx_date1904(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_1904_%ld.xlsx",
		 (long)getpid());
	const char *names[] = {
		"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
		"xl/worksheets/sheet1.xml"};
	const char *datas[] = {
		"<workbook xmlns:r=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships\"><workbookPr date1904=\"1\"/>"
		"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
		"</workbook>",
		"<Relationships><Relationship Id=\"rId1\" Type=\"http://x/"
		"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
		"<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
		"</cellXfs></styleSheet>",
		WS_OPEN "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
		"<c r=\"B1\" s=\"1\"><v>44196</v></c><c r=\"C1\"><v>44196</v></c>"
		"</row>" WS_CLOSE,
	};
	unlink(path);
	write_parts(path, 4, names, datas);
	rows t;
	open_ok(&t, path, BD_FMT_XLSX, "S", NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "1904-01-01");
	assert_str(cell(&t, 1), "2025-01-01");
	assert_str(cell(&t, 2), "44196");
	bd_sheet_close(t.sh);
	unlink(path);
}

/* Issue 9: an extension element of the same local name must not switch
 * the 1904 system off; an inline string with a stray <v>; a duration in
 * a t="d" cell; [h]:mm:ss is no date; a row split over two <row>s. */
static void test_xlsx_details(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_det_%ld.xlsx", (long)getpid());
	const char *names[] = {
		"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
		"xl/worksheets/sheet1.xml"};
	const char *datas[] = {
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
		"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
		"officeDocument/2006/relationships\" xmlns:x15=\"http://schemas."
		"microsoft.com/office/spreadsheetml/2010/11/main\">"
		"<workbookPr date1904=\"1\"/><x15:workbookPr chartTrackingRefBase="
		"\"1\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
		"</sheets></workbook>",
		"<Relationships><Relationship Id=\"rId1\" Type=\"http://x/"
		"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
		"<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
		"<xf numFmtId=\"46\"/></cellXfs></styleSheet>",
		WS_OPEN "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
		"<c r=\"B1\" t=\"inlineStr\"><is><t>张三</t></is><v>9</v></c>"
		"<c r=\"C1\" t=\"d\"><v>PT12H30M</v></c>"
		"<c r=\"D1\" t=\"d\"><v>2024-02-29T08:00:00</v></c>"
		"<c r=\"E1\" s=\"2\"><v>1.5</v></c></row>"
		"<row r=\"1\"><c r=\"G1\" t=\"inlineStr\"><is><t>_xD801__xDC05_"
		"_x005F_x0030_</t></is></c></row>"
		"<row r=\"1\"><c r=\"F1\"><v>6</v></c></row>"
		"<row r=\"2\"><c r=\"A2\"><v>7</v></c></row>" WS_CLOSE,
	};
	unlink(path);
	write_parts(path, 4, names, datas);
	rows t;
	open_ok(&t, path, BD_FMT_XLSX, NULL, NULL);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_int_equal(t.r.ncell, 7);
	assert_str(cell(&t, 0), "1904-01-01");
	assert_str(cell(&t, 1), "张三");
	assert_str(cell(&t, 2), "PT12H30M");
	assert_str(cell(&t, 3), "2024-02-29");
	assert_str(cell(&t, 4), "36:00:00");     /* [h]:mm:ss, built-in 46 */
	assert_str(cell(&t, 5), "6");
	assert_str(cell(&t, 6), "\xf0\x90\x90\x85_x0030_"); /* U+10405 */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 2);
	assert_str(cell(&t, 0), "7");
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);
	unlink(path);
}

static void test_xlsx_streams_large_sheet(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_sheet_%ld.xlsx",
		 (long)getpid());
	const uint32_t nrows = 200000;   /* about 27 MB of worksheet XML */
	write_big_xlsx(path, nrows);
	long rss0 = maxrss_kb();
	rows t;
	open_ok(&t, path, BD_FMT_XLSX, NULL, NULL);
	uint32_t count = 0;
	char want[32];
	while (next_ok(&t)) {
		count++;
		assert_int_equal(t.r.rowno, count);
		assert_int_equal(t.r.ncell, 4);
		if (count % 9973 == 1 || count == nrows) {
			snprintf(want, sizeof(want), "姓名%u", count);
			assert_str(cell(&t, 0), want);
			assert_str(cell(&t, 1), "410502195809029000");
			assert_str(cell(&t, 2), "");
			snprintf(want, sizeof(want), "%u.25", count);
			assert_str(cell(&t, 3), want);
		}
	}
	bd_sheet_close(t.sh);
	long grown = maxrss_kb() - rss0;
	unlink(path);
	assert_int_equal(count, nrows);
	/* streamed: far less memory than the 27 MB of XML */
	if (!UNDER_ASAN && grown > 12 * 1024)
		fail_msg("reading grew the peak RSS by %ld KiB", grown);
}

/* ---- legacy .xls ---------------------------------------------------------- */

static void test_xls_garbage(void **state)
{
	(void)state;
	expect_open_error(FIX "sheet_garbage.xls", BD_ERR_FORMAT);
	bd_sheet *sh = NULL;
	/* a zip opened as .xls is refused cleanly too */
	assert_int_equal(bd_sheet_open(FIX "sheet_basic.xlsx", BD_FMT_XLS, NULL,
				       NULL, &sh), BD_ERR_FORMAT);
	assert_null(sh);
}

static void test_xls_rural_dibao(void **state)
{
	(void)state;
	char path[512];
	rows t;
	sample_path(path, sizeof(path), "农村低保人员查询_202612.xls");
	open_ok(&t, path, BD_FMT_XLS, NULL, NULL);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_int_equal(t.r.ncell, 1);
	assert_str(cell(&t, 0), "2026年12月农村低保人员名册");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 2);
	assert_str(cell(&t, 0), "统计单位：文峰区民政局");
	assert_str(cell(&t, 1), "");
	assert_str(cell(&t, 9), "单位：元");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 3);
	assert_int_equal(t.r.ncell, 11);
	assert_str(cell(&t, 0), "序号");
	assert_str(cell(&t, 3), "户主身份证号");
	assert_str(cell(&t, 7), "户月保障金额（元）");
	assert_str(cell(&t, 8), "最初享受月份");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 4);
	assert_str(cell(&t, 0), "1");                  /* numeric 序号 */
	assert_str(cell(&t, 4), "于建");
	assert_str(cell(&t, 5), "410502195809029318");
	assert_str(cell(&t, 7), "381.00");             /* text money */
	assert_str(cell(&t, 8), "2021-6");
	seek_row(&t, 14);
	assert_str(cell(&t, 4), "黎晴瑶");
	assert_str(cell(&t, 7), "450.5");              /* numeric money */
	seek_row(&t, 87);
	assert_int_equal(t.r.ncell, 1);
	assert_non_null(strstr(cell(&t, 0), "制表人："));
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);

	/* by name and by index */
	open_ok(&t, path, BD_FMT_XLS, "农村低保人员查询", NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "2026年12月农村低保人员名册");
	bd_sheet_close(t.sh);
	open_ok(&t, path, BD_FMT_XLS, "1", NULL);
	bd_sheet_close(t.sh);
	bd_sheet *sh = NULL;
	assert_int_equal(bd_sheet_open(path, BD_FMT_XLS, "2", NULL, &sh),
			 BD_ERR_FORMAT);
	assert_int_equal(bd_sheet_open(path, BD_FMT_XLS, "Sheet9", NULL, &sh),
			 BD_ERR_FORMAT);
	assert_non_null(strstr(bd_last_error(), "农村低保人员查询"));
}

static void test_xls_mangled_ids(void **state)
{
	(void)state;
	char path[512];
	rows t;
	sample_path(path, sizeof(path), "城乡低保人员查询_202612.xls");
	open_ok(&t, path, BD_FMT_UNKNOWN, NULL, NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "2026年12月城乡低保人员名册");
	assert_true(next_ok(&t));                      /* the blank row */
	assert_int_equal(t.r.rowno, 2);
	assert_int_equal(t.r.ncell, 0);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 3);
	assert_str(cell(&t, 3), "低保证号");
	assert_str(cell(&t, 4), "户主身份证号码");
	assert_str(cell(&t, 6), "公民身份号码");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 3), "410502001-00001");
	assert_str(cell(&t, 6), "410502195704196777");
	assert_str(cell(&t, 8), "¥430");
	seek_row(&t, 16);
	assert_str(cell(&t, 8), "640.5");
	/* IDs Excel turned into numbers: 15 significant digits */
	seek_row(&t, 178);
	assert_str(cell(&t, 5), "李霞巧");
	assert_str(cell(&t, 6), "410303197006067000");
	assert_str(cell(&t, 8), "440.5");
	seek_row(&t, 180);
	assert_str(cell(&t, 6), "410502196005097000");
	/* text IDs stay exact */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 181);
	assert_str(cell(&t, 6), "41040419991104080X");
	seek_row(&t, 183);
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);
}

/* Every FORMULA result (number, date, boolean, error, STRING text, empty)
 * and every constant kind, read as Excel shows them (FreeXL returned
 * formula cells empty, booleans and errors as numbers). */
static void test_xls_formulas(void **state)
{
	(void)state;
	rows t;
	open_ok(&t, FIX "xls_formula.xls", BD_FMT_UNKNOWN, NULL, NULL);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_int_equal(t.r.ncell, 8);
	assert_str(cell(&t, 0), "序号");
	assert_str(cell(&t, 7), "长文本");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 2);
	assert_str(cell(&t, 0), "1");
	assert_str(cell(&t, 1), "张三");
	assert_str(cell(&t, 2), "410502195809029318");
	assert_str(cell(&t, 3), "450.5");         /* formula, number */
	assert_str(cell(&t, 4), "2023-03-15");    /* formula, date style */
	assert_str(cell(&t, 5), "TRUE");          /* formula, boolean */
	assert_str(cell(&t, 6), "正常");          /* formula, STRING record */
	/* a shared string split over SST and CONTINUE records (an empty
	 * one between them), the second part stored compressed */
	const char *lt = cell(&t, 7);
	assert_int_equal(t.r.cells[7].n, 5000 * 3 + 11 * 300 + 3);
	assert_memory_equal(lt, "长长", 6);
	assert_memory_equal(lt + 5000 * 3, "tail-ASCII-tail", 15);
	assert_str(lt + t.r.cells[7].n - 3, "尾");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 3);
	assert_str(cell(&t, 0), "2");              /* RK */
	assert_str(cell(&t, 2), "#DIV/0!");        /* formula, error */
	assert_str(cell(&t, 3), "#NULL!");         /* BOOLERR error 0 */
	assert_str(cell(&t, 4), "FALSE");          /* BOOLERR boolean */
	assert_str(cell(&t, 5), "FALSE");
	assert_str(cell(&t, 6), "");               /* formula, empty text */
	assert_str(cell(&t, 7), "#N/A");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 4);            /* MULRK */
	assert_int_equal(t.r.ncell, 6);
	assert_str(cell(&t, 3), "381");
	assert_str(cell(&t, 4), "2024-01-01");     /* custom 年月日 format */
	assert_str(cell(&t, 5), "36:00:00");       /* [h]:mm:ss: a duration */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 5);
	assert_int_equal(t.r.ncell, 0);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 6);
	assert_str(cell(&t, 0), "共享公式");        /* SHRFMLA before STRING */
	assert_str(cell(&t, 6), "");               /* STRING missing */
	assert_str(cell(&t, 7), "-0.25");
	assert_false(next_ok(&t));
	const char *w = bd_sheet_warning(t.sh);
	assert_non_null(w);
	assert_non_null(strstr(w, "xls_formula.xls"));
	assert_non_null(strstr(w, "第 6 行第 7 列"));
	bd_sheet_close(t.sh);

	/* the second sheet, by name */
	open_ok(&t, FIX "xls_formula.xls", BD_FMT_XLS, "sheet2", NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "7");
	assert_null(bd_sheet_warning(t.sh));
	bd_sheet_close(t.sh);
}

static void test_xls_1904_biff5(void **state)
{
	(void)state;
	rows t;
	open_ok(&t, FIX "xls_1904.xls", BD_FMT_XLS, NULL, NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "1904-01-01");
	assert_str(cell(&t, 1), "1904-01-02");
	assert_str(cell(&t, 2), "2027-03-16");
	assert_str(cell(&t, 3), "1904-01-02");
	bd_sheet_close(t.sh);

	/* Excel 5.0/95 workbook ("Book" stream), GBK code page */
	open_ok(&t, FIX "xls_biff5_gbk.xls", BD_FMT_UNKNOWN, "低保", NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "姓名");
	assert_str(cell(&t, 1), "金额");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "王五");
	assert_str(cell(&t, 1), "300");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "赵六");
	assert_str(cell(&t, 1), "12.5");
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);
}

static void test_xls_refused(void **state)
{
	(void)state;
	bd_sheet *sh = NULL;
	assert_int_equal(bd_sheet_open(FIX "xls_password.xls", BD_FMT_UNKNOWN,
				       NULL, NULL, &sh), BD_ERR_FORMAT);
	assert_null(sh);
	assert_non_null(strstr(bd_last_error(), "xls_password.xls"));
	assert_non_null(strstr(bd_last_error(), "密码"));
	assert_non_null(strstr(bd_last_error(), ".xlsx"));
	/* an Excel 4.0 workbook (several sheets in one BIFF4 stream) */
	assert_int_equal(bd_sheet_open(FIX "xls_biff4w.xls", BD_FMT_UNKNOWN,
				       NULL, NULL, &sh), BD_ERR_FORMAT);
	assert_non_null(strstr(bd_last_error(), "xls_biff4w.xls"));
	assert_non_null(strstr(bd_last_error(), "Excel 4.0"));
	assert_non_null(strstr(bd_last_error(), ".xlsx"));
}

/* Excel 2.x-4.0 worksheets saved without an OLE2 container went to the
 * CSV reader and failed with an encoding error; they are read. */
static void test_xls_bare_biff(void **state)
{
	(void)state;
	rows t;
	open_ok(&t, FIX "xls_bare_biff4.xls", BD_FMT_UNKNOWN, NULL, NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "姓名");               /* GBK code page */
	assert_str(cell(&t, 1), "出生日期");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "张三");
	assert_str(cell(&t, 1), "2023-03-15");         /* format 1 by order */
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "ok");                 /* FORMULA + STRING */
	assert_str(cell(&t, 1), "7");
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);

	open_ok(&t, FIX "xls_bare_biff2.xls", BD_FMT_UNKNOWN, NULL, NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "Name");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "42");                 /* INTEGER */
	assert_str(cell(&t, 1), "2023-03-15");         /* XF 63: IXFE 1 */
	assert_str(cell(&t, 2), "#DIV/0!");
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);
}

/* ---- HTML ----------------------------------------------------------------- */

static void test_html_fixture_gbk(void **state)
{
	(void)state;
	const char *enc[] = {NULL, "auto", "gbk", "GB18030"};
	for (size_t i = 0; i < BD_ARRAY_LEN(enc); i++) {
		rows t;
		open_ok(&t, FIX "sheet_gbk.html", BD_FMT_HTML, "ignored", enc[i]);
		assert_true(next_ok(&t));
		assert_int_equal(t.r.rowno, 1);
		assert_int_equal(t.r.ncell, 3);
		assert_str(cell(&t, 0), "姓名与证号");   /* colspan=2 */
		assert_str(cell(&t, 1), "");
		assert_str(cell(&t, 2), "金额");
		assert_true(next_ok(&t));
		assert_int_equal(t.r.rowno, 2);
		assert_int_equal(t.r.ncell, 3);
		assert_str(cell(&t, 0), "张三");         /* &nbsp; trimmed */
		assert_str(cell(&t, 1), "4105021958");   /* nested tags */
		assert_str(cell(&t, 2), "680.00");
		assert_true(next_ok(&t));
		assert_int_equal(t.r.rowno, 3);
		assert_int_equal(t.r.ncell, 2);          /* C3 under rowspan */
		assert_str(cell(&t, 0), "李四\n(户主)");  /* <br> */
		assert_str(cell(&t, 1), "410502 197809257248");
		assert_true(next_ok(&t));
		assert_int_equal(t.r.rowno, 4);          /* <tr></tr> */
		assert_int_equal(t.r.ncell, 0);
		assert_true(next_ok(&t));
		assert_int_equal(t.r.rowno, 5);
		assert_int_equal(t.r.ncell, 3);
		assert_str(cell(&t, 0), "合计");
		assert_str(cell(&t, 2), "1360.00");
		assert_false(next_ok(&t));
		bd_sheet_close(t.sh);
	}
}

static void test_html_encodings(void **state)
{
	(void)state;
	rows t;
	/* <meta ... charset=gb2312> wins over a UTF-8 hint */
	open_ok(&t, FIX "sheet_gb2312.html", BD_FMT_HTML, NULL, "utf-8");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "低保");
	assert_str(cell(&t, 1), "特困人员-7131");
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);

	/* GBK bytes where UTF-8 is declared: the good row first, then an
	 * error naming file and line */
	uint32_t n;
	assert_int_equal(bd_sheet_open(FIX "sheet_badenc.html", BD_FMT_HTML,
				       NULL, "gbk", &t.sh), BD_OK);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "好");
	assert_str(cell(&t, 1), "charset=gbk");   /* cell text, no meta */
	assert_int_equal(drain(t.sh, &n), BD_ERR_ENCODING);
	assert_int_equal(n, 0);
	assert_non_null(strstr(bd_last_error(), "sheet_badenc.html"));
	assert_non_null(strstr(bd_last_error(), "line 4"));
	bd_sheet_close(t.sh);

	/* a charset libxml2 does not know: decided from the bytes */
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_enc_%ld.html", (long)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("<html><head><meta charset=\"x-nonsense\"></head><table><tr>"
	      "<td>\xd5\xc5\xc8\xfd</td><td>a &amp; b&lt;</td><td>&#20108;"
	      "</td></tr></table></html>", f);
	fclose(f);
	open_ok(&t, path, BD_FMT_HTML, NULL, NULL);
	assert_true(next_ok(&t));
	assert_str(cell(&t, 0), "张三");
	assert_str(cell(&t, 1), "a & b<");
	assert_str(cell(&t, 2), "二");
	bd_sheet_close(t.sh);
	unlink(path);

	/* an undeclared GBK file read with a UTF-8 hint */
	assert_int_equal(bd_sheet_open(FIX "sheet_gbk.html", BD_FMT_HTML, NULL,
				       "utf-8", &t.sh), BD_OK);
	assert_int_equal(drain(t.sh, &n), BD_ERR_ENCODING);
	assert_non_null(strstr(bd_last_error(), "sheet_gbk.html"));
	bd_sheet_close(t.sh);
}

/* HTML saved as UTF-16 (BOM): detected as HTML, not sent to the CSV
 * reader, and read whatever charset a <meta> claims. */
static void test_html_utf16(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_u16_%ld.html", (long)getpid());
	static const char *html = "<html><meta charset=\"gbk\"><table><tr><td>"
				  "\xe5\xbc\xa0\xe4\xb8\x89</td><td>1</td></tr></table>";
	for (int be = 0; be < 2; be++) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputc(be ? 0xFE : 0xFF, f);
		fputc(be ? 0xFF : 0xFE, f);
		for (const char *p = html; *p; p++) {
			unsigned u = (unsigned char)*p;
			if (u >= 0x80) { /* the two CJK characters, 3 UTF-8 bytes each */
				u = (u & 0x0F) << 12 | ((unsigned char)p[1] & 0x3F) << 6 |
				    ((unsigned char)p[2] & 0x3F);
				p += 2;
			}
			fputc(be ? (int)(u >> 8) : (int)(u & 0xFF), f);
			fputc(be ? (int)(u & 0xFF) : (int)(u >> 8), f);
		}
		fclose(f);
		bd_format fmt;
		assert_int_equal(bd_format_of_file(path, &fmt), BD_OK);
		assert_int_equal(fmt, BD_FMT_HTML);
		rows t;
		open_ok(&t, path, fmt, NULL, "gbk");
		assert_true(next_ok(&t));
		assert_str(cell(&t, 0), "张三");
		assert_str(cell(&t, 1), "1");
		assert_false(next_ok(&t));
		bd_sheet_close(t.sh);
	}
	unlink(path);
}

static void test_html_limits(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_limits_%ld.html",
		 (long)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	/* row 1 fine, row 2 spans more than 16384 columns */
	fputs("<table><tr><td colspan=999999>a</td><td>b</td></tr>\n<tr>", f);
	for (int i = 0; i < 20; i++)
		fputs("<td colspan=1000>x</td>", f);
	fputs("</tr></table>\n", f);
	fclose(f);
	rows t;
	open_ok(&t, path, BD_FMT_HTML, NULL, NULL);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.ncell, 1001);        /* colspan capped at 1000 */
	assert_str(cell(&t, 1000), "b");
	bd_row r;
	bool eof;
	assert_int_equal(bd_sheet_next(t.sh, &r, &eof), BD_ERR_LIMIT);
	assert_non_null(strstr(bd_last_error(), path));
	assert_int_equal(bd_sheet_next(t.sh, &r, &eof), BD_ERR_LIMIT);
	bd_sheet_close(t.sh);
	unlink(path);

	bd_sheet *sh = NULL;
	assert_int_equal(bd_sheet_open("/nonexistent/x.html", BD_FMT_HTML, NULL,
				       NULL, &sh), BD_ERR_IO);
	assert_non_null(strstr(bd_last_error(), "/nonexistent/x.html"));
	assert_int_equal(bd_sheet_open(FIX "sheet_gbk.html", BD_FMT_HTML, NULL,
				       "no-such-encoding", &sh), BD_ERR_ENCODING);
	assert_null(sh);
}

static void test_html_streams_large_table(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/bd_test_sheet_%ld.html",
		 (long)getpid());
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	const uint32_t nrows = 150000;
	/* GBK, undeclared: auto-detection scans the whole file */
	fputs("<html><body><table>\n", f);
	for (uint32_t i = 1; i <= nrows; i++)
		fprintf(f, "<tr><td>%u</td><td>\xd5\xc5\xc8\xfd%u</td>"
			"<td>410502195809029318</td></tr>\n", i, i);
	fputs("</table></body></html>\n", f);
	fclose(f);
	long rss0 = maxrss_kb();
	rows t;
	open_ok(&t, path, BD_FMT_HTML, NULL, NULL);
	uint32_t count = 0;
	char want[32];
	while (next_ok(&t)) {
		count++;
		assert_int_equal(t.r.rowno, count);
		assert_int_equal(t.r.ncell, 3);
		if (count % 7919 == 1 || count == nrows) {
			snprintf(want, sizeof(want), "张三%u", count);
			assert_str(cell(&t, 1), want);
		}
	}
	bd_sheet_close(t.sh);
	long grown = maxrss_kb() - rss0;
	unlink(path);
	assert_int_equal(count, nrows);
	if (!UNDER_ASAN && grown > 12 * 1024)
		fail_msg("reading grew the peak RSS by %ld KiB", grown);
}

static void test_html_tekun_sample(void **state)
{
	(void)state;
	char path[512];
	rows t;
	sample_path(path, sizeof(path), "特困人员查询.xls");
	open_ok(&t, path, BD_FMT_UNKNOWN, NULL, "gbk");   /* charset wins */
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_int_equal(t.r.ncell, 11);
	assert_str(cell(&t, 0), "序号");
	assert_str(cell(&t, 5), "身份证号");
	assert_str(cell(&t, 8), "救助金额");
	assert_true(next_ok(&t));
	assert_str(cell(&t, 4), "李燕雨");
	assert_str(cell(&t, 5), "410502197809257248");
	assert_str(cell(&t, 6), "特困人员-7131");
	assert_str(cell(&t, 8), "680.00");
	assert_str(cell(&t, 9), "202207");
	seek_row(&t, 36);
	assert_int_equal(t.r.ncell, 9);
	assert_str(cell(&t, 0), "合计");
	assert_str(cell(&t, 4), "共34人");
	assert_str(cell(&t, 8), "23860.00");
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);
}

/* ---- XLSX samples ----------------------------------------------------------- */

static void test_xlsx_disability_sample(void **state)
{
	(void)state;
	char path[512];
	rows t;
	sample_path(path, sizeof(path), "残联_第二代残疾人证.xlsx");
	open_ok(&t, path, BD_FMT_XLSX, NULL, NULL);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_str(cell(&t, 0), "文峰区持证残疾人名册（截至2026年12月31日）");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.ncell, 9);
	assert_str(cell(&t, 1), "残疾人证号");
	assert_str(cell(&t, 6), "发证日期 ");
	assert_str(cell(&t, 8), "证件状态");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 3);
	assert_str(cell(&t, 0), "1");
	assert_str(cell(&t, 1), "41050219630421347272");
	assert_str(cell(&t, 2), "410502196304213472");
	assert_str(cell(&t, 4), "7");
	assert_str(cell(&t, 6), "2022-02-02");   /* date-styled serials */
	assert_str(cell(&t, 7), "2032-02-01");
	seek_row(&t, 6);
	assert_str(cell(&t, 6), "2024-01-24");   /* a text date */
	seek_row(&t, 52);
	assert_str(cell(&t, 3), "闫财海");
	assert_str(cell(&t, 7), "长期");
	seek_row(&t, 201);
	assert_false(next_ok(&t));
	bd_sheet_close(t.sh);
	open_ok(&t, path, BD_FMT_XLSX, "持证残疾人", NULL);
	bd_sheet_close(t.sh);
}

static void test_xlsx_roll_sample(void **state)
{
	(void)state;
	char path[512];
	rows t;
	sample_path(path, sizeof(path), "民政_救助对象名册_2026年12月.xlsx");
	open_ok(&t, path, BD_FMT_UNKNOWN, NULL, NULL);
	assert_true(next_ok(&t));
	assert_int_equal(t.r.rowno, 1);
	assert_int_equal(t.r.ncell, 13);
	assert_str(cell(&t, 3), "救助证号*");
	assert_str(cell(&t, 8), "月保障金额*");
	assert_str(cell(&t, 12), "备注");
	assert_true(next_ok(&t));
	assert_int_equal(t.r.ncell, 11);
	assert_str(cell(&t, 1), "东大街街道");
	assert_str(cell(&t, 5), "410502193008075403");
	assert_str(cell(&t, 7), "高龄补贴");
	assert_str(cell(&t, 8), "100");          /* numeric money */
	assert_str(cell(&t, 9), "2021-11");
	seek_row(&t, 4);
	assert_str(cell(&t, 8), "0");            /* text money */
	seek_row(&t, 6);
	assert_int_equal(t.r.ncell, 13);
	assert_str(cell(&t, 12), "备注：入户核查,已公示");
	uint32_t last = 0, yuan = 0;
	while (next_ok(&t)) {
		last = t.r.rowno;
		if (t.r.ncell > 8 && strncmp(t.r.cells[8].s, "¥", 2) == 0)
			yuan++;
	}
	assert_int_equal(last, 175);
	assert_true(yuan > 0);
	bd_sheet_close(t.sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_number_render),
		cmocka_unit_test(test_xlsx_fixture),
		cmocka_unit_test(test_xlsx_select_sheet),
		cmocka_unit_test(test_xlsx_errors),
		cmocka_unit_test(test_xlsx_bad_cells),
		cmocka_unit_test(test_xlsx_date1904),
		cmocka_unit_test(test_xlsx_details),
		cmocka_unit_test(test_xlsx_streams_large_sheet),
		cmocka_unit_test(test_xls_garbage),
		cmocka_unit_test(test_xls_rural_dibao),
		cmocka_unit_test(test_xls_mangled_ids),
		cmocka_unit_test(test_xls_formulas),
		cmocka_unit_test(test_xls_1904_biff5),
		cmocka_unit_test(test_xls_refused),
		cmocka_unit_test(test_xls_bare_biff),
		cmocka_unit_test(test_html_fixture_gbk),
		cmocka_unit_test(test_html_encodings),
		cmocka_unit_test(test_html_utf16),
		cmocka_unit_test(test_html_limits),
		cmocka_unit_test(test_html_streams_large_table),
		cmocka_unit_test(test_html_tekun_sample),
		cmocka_unit_test(test_xlsx_disability_sample),
		cmocka_unit_test(test_xlsx_roll_sample),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
