/*
 * sheet.c - spreadsheet row readers: format detection, Excel-like number
 * rendering, the shared row builder and dispatch to the XLSX, XLS and
 * HTML backends (xlsx.c, xls.c, html.c).
 */
#include "bd/sheet.h"
#include "bd/csv.h"
#include "bd/normal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet_int.h"

struct bd_sheet {
	bd_format fmt;
	bd_xlsx *xlsx;
	bd_xls *xls;
	bd_html *html;
};

/* ---- format detection ---------------------------------------------- */

static int lower_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* True when head[i..] starts with word (lower-case ASCII), ignoring case. */
static bool starts_ci(const unsigned char *head, size_t n, size_t i,
		      const char *word)
{
	size_t wl = strlen(word);
	if (n - i < wl)
		return false;
	for (size_t k = 0; k < wl; k++)
		if (lower_ascii(head[i + k]) != word[k])
			return false;
	return true;
}

/* Position just after the first occurrence of end at or after i, or n. */
static size_t skip_past(const unsigned char *head, size_t n, size_t i,
			const char *end)
{
	size_t el = strlen(end);
	for (; i + el <= n; i++)
		if (memcmp(head + i, end, el) == 0)
			return i + el;
	return n;
}

static bool is_tag_start(const unsigned char *head, size_t n, size_t i,
			 const char *tag)
{
	if (!starts_ci(head, n, i, tag))
		return false;
	size_t j = i + strlen(tag);
	if (j >= n)
		return true;
	unsigned char c = head[j];
	return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' ||
	       c == '\n' || c == '\f';
}

int bd_biff_bare_version(const unsigned char *head, size_t n)
{
	if (n < 8 || head[0] != 0x09 || head[3] != 0)
		return 0;
	unsigned len = head[2];
	unsigned dt = (unsigned)(head[6] | head[7] << 8);
	/* BOF of a worksheet, chart, macro sheet or workbook */
	bool dt_ok = dt == 0x10 || dt == 0x20 || dt == 0x40 || dt == 0x100 ||
		     dt == 0x05;
	switch (head[1]) {
	case 0x00: return len == 4 && dt_ok ? 2 : 0;
	case 0x02: return len == 6 && dt_ok ? 3 : 0;
	case 0x04: return len == 6 && dt_ok ? 4 : 0;
	case 0x08: return (len == 8 || len == 16) && dt_ok ? 5 : 0;
	default: break;
	}
	return 0;
}

bd_format bd_format_detect(const unsigned char *head, size_t n)
{
	static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0,
					      0xA1, 0xB1, 0x1A, 0xE1};
	static const char *const html_tags[] = {"<html", "<table", "<meta",
						"<head", "<body", "<style"};
	if (!head || n == 0)
		return BD_FMT_TEXT;
	if (n >= 2 && head[0] == 0x1F && head[1] == 0x8B)
		return BD_FMT_GZIP;
	if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
		return BD_FMT_XLSX;
	if (n >= 8 && memcmp(head, ole2, 8) == 0)
		return BD_FMT_XLS;
	if (bd_biff_bare_version(head, n))
		return BD_FMT_XLS;
	if (n >= 4 && ((head[0] == 0xFF && head[1] == 0xFE) ||
		       (head[0] == 0xFE && head[1] == 0xFF))) {
		/* UTF-16 with a BOM: decide on its ASCII characters */
		unsigned char narrow[512];
		bool le = head[0] == 0xFF;
		size_t k = 0;
		for (size_t j = 2; j + 1 < n && k < sizeof(narrow); j += 2) {
			unsigned u = le ? (unsigned)(head[j] | head[j + 1] << 8)
					: (unsigned)(head[j] << 8 | head[j + 1]);
			narrow[k++] = u < 0x80 ? (unsigned char)u : '?';
		}
		return bd_format_detect(narrow, k) == BD_FMT_HTML ? BD_FMT_HTML
								   : BD_FMT_TEXT;
	}
	size_t i = 0;
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		i = 3;
	for (;;) {
		while (i < n && (head[i] == ' ' || head[i] == '\t' ||
				 head[i] == '\r' || head[i] == '\n' ||
				 head[i] == '\f'))
			i++;
		if (i >= n)
			return BD_FMT_TEXT;
		if (starts_ci(head, n, i, "<!--")) {
			i = skip_past(head, n, i + 4, "-->");
		} else if (starts_ci(head, n, i, "<!doctype")) {
			i = skip_past(head, n, i + 9, ">");
		} else if (starts_ci(head, n, i, "<?")) {
			i = skip_past(head, n, i + 2, "?>");
		} else {
			break;
		}
	}
	for (size_t k = 0; k < BD_ARRAY_LEN(html_tags); k++)
		if (is_tag_start(head, n, i, html_tags[k]))
			return BD_FMT_HTML;
	return BD_FMT_TEXT;
}

const char *bd_format_name(bd_format f)
{
	switch (f) {
	case BD_FMT_TEXT: return "csv";
	case BD_FMT_GZIP: return "gzip";
	case BD_FMT_XLSX: return "xlsx";
	case BD_FMT_XLS: return "xls";
	case BD_FMT_HTML: return "html";
	case BD_FMT_UNKNOWN: break;
	}
	return "unknown";
}

/* ---- number rendering ---------------------------------------------- */

/* Excel 1900-system serial (>= 1) -> "YYYY-MM-DD" in tmp (>= 16 bytes). */
static size_t render_date(double v, char *tmp, size_t tsz)
{
	/* Half a millisecond of slack against binary noise in date-times. */
	long s = (long)floor(v + 0.5 / 86400000.0);
	if (s == 60)
		return (size_t)snprintf(tmp, tsz, "1900-02-29");
	/* Serial 1 = 1900-01-01; Excel's fake 1900-02-29 shifts later days. */
	long days = s < 60 ? s - 1 : s - 2;
	int32_t ymd = bd_ymd_from_days((int32_t)(days - 25567));
	return (size_t)snprintf(tmp, tsz, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* v to 15 significant digits, plain decimal notation where reasonable. */
static size_t render_num(double v, char *tmp, size_t tsz)
{
	char e[48];
	if (v == 0)
		return (size_t)snprintf(tmp, tsz, "0");
	snprintf(e, sizeof(e), "%.14e", v);
	const char *p = e;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	char dig[16];
	int nd = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && nd < 15)
			dig[nd++] = *p;
	if (*p != 'e')
		return (size_t)snprintf(tmp, tsz, "%.15g", v);
	int ex = atoi(p + 1);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (ex >= 21 || ex < -20)
		return (size_t)snprintf(tmp, tsz, "%.15G", v);
	size_t o = 0;
	char buf[64];
	if (neg)
		buf[o++] = '-';
	if (ex >= 0) {
		for (int k = 0; k <= ex; k++)
			buf[o++] = k < nd ? dig[k] : '0';
		if (nd > ex + 1) {
			buf[o++] = '.';
			for (int k = ex + 1; k < nd; k++)
				buf[o++] = dig[k];
		}
	} else {
		buf[o++] = '0';
		buf[o++] = '.';
		for (int k = 0; k < -ex - 1; k++)
			buf[o++] = '0';
		for (int k = 0; k < nd; k++)
			buf[o++] = dig[k];
	}
	buf[o] = '\0';
	return (size_t)snprintf(tmp, tsz, "%s", buf);
}

size_t bd_number_render(double v, bool is_date, char *out, size_t outsz)
{
	char tmp[64];
	size_t n;
	if (!out || outsz == 0)
		return 0;
	if (!isfinite(v))
		n = (size_t)snprintf(tmp, sizeof(tmp), "#NUM!");
	else if (is_date && v >= 1 && v < 2958466.0)
		n = render_date(v, tmp, sizeof(tmp));
	else
		n = render_num(v, tmp, sizeof(tmp));
	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return n;
}

/* ---- number formats ------------------------------------------------ */

bd_numfmt bd_numfmt_of(const char *code)
{
	bool y = false, m = false, d = false, h = false, s = false, elapsed = false;
	for (const char *p = code; *p; p++) {
		char c = *p;
		if (c == '"') {
			p = strchr(p + 1, '"');
			if (!p)
				break;
		} else if (c == '[') {
			const char *e = strchr(p + 1, ']');
			if (!e)
				break;
			/* [h], [mm], [ss]: elapsed time; [Red], [$-409]: ignored */
			bool all = e > p + 1;
			for (const char *q = p + 1; q < e; q++)
				all = all && strchr("hHmMsS", *q);
			elapsed = elapsed || all;
			p = e;
		} else if (c == '\\' || c == '_' || c == '*') {
			if (!p[1])
				break;
			p++;
		} else {
			switch (tolower((unsigned char)c)) {
			case 'y': y = true; break;
			case 'd': d = true; break;
			case 'm': m = true; break;
			case 'h': h = true; break;
			case 's': s = true; break;
			default: break;
			}
		}
	}
	if (y || d)
		return BD_NF_DATE;
	if (elapsed)
		return BD_NF_DURATION;
	if (h || s)
		return BD_NF_TIME;
	return m ? BD_NF_DATE : BD_NF_NUMBER;
}

/*
 * Built-in formats: 14-17 and 22 are dates, 27-31, 36, 50-54, 57-58 the
 * CJK locales' dates; 18-21, 45 (mm:ss), 47 (mmss.0) and the CJK 32-35,
 * 55-56 are times; 46 ([h]:mm:ss) is a duration.
 */
bd_numfmt bd_numfmt_builtin(uint32_t id)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
	    (id >= 50 && id <= 54) || id == 57 || id == 58)
		return BD_NF_DATE;
	if ((id >= 18 && id <= 21) || id == 45 || id == 47 || (id >= 32 && id <= 35) ||
	    id == 55 || id == 56)
		return BD_NF_TIME;
	return id == 46 ? BD_NF_DURATION : BD_NF_NUMBER;
}

size_t bd_number_render_fmt(double v, bd_numfmt k, char *out, size_t outsz)
{
	if ((k != BD_NF_TIME && k != BD_NF_DURATION) || !isfinite(v) || v < 0 ||
	    v >= 2958466.0 || !out || outsz == 0)
		return bd_number_render(v, k == BD_NF_DATE, out, outsz);
	double secs = floor(v * 86400.0 + 0.5);
	if (k == BD_NF_TIME)
		secs = fmod(secs, 86400.0);
	long t = (long)secs;
	int n = snprintf(out, outsz, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

/* ---- row builder ---------------------------------------------------- */

void bd_rowbuf_init(bd_rowbuf *rb)
{
	memset(rb, 0, sizeof(*rb));
	rb->text.max = BD_SHEET_MAX_ROW;
}

void bd_rowbuf_reset(bd_rowbuf *rb)
{
	bd_buf_reset(&rb->text);
	rb->n = 0;
}

static bd_err rowbuf_reserve(bd_rowbuf *rb, uint32_t need)
{
	if (need <= rb->cap)
		return BD_OK;
	if (need > BD_SHEET_MAX_COLS)
		return bd_fail(BD_ERR_LIMIT,
			       "一行超过 %u 列 (more than %u columns in a row)",
			       BD_SHEET_MAX_COLS, BD_SHEET_MAX_COLS);
	uint32_t cap = rb->cap ? rb->cap : 32;
	while (cap < need)
		cap *= 2;
	if (cap > BD_SHEET_MAX_COLS)
		cap = BD_SHEET_MAX_COLS;
	size_t *off = realloc(rb->off, cap * sizeof(*off));
	if (!off)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	rb->off = off;
	uint32_t *len = realloc(rb->len, cap * sizeof(*len));
	if (!len)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	rb->len = len;
	rb->cap = cap;
	return BD_OK;
}

bd_err bd_rowbuf_set(bd_rowbuf *rb, uint32_t col, const char *s, size_t n)
{
	if (col >= BD_SHEET_MAX_COLS)
		return bd_fail(BD_ERR_LIMIT,
			       "列号超过 %u (column beyond %u)",
			       BD_SHEET_MAX_COLS, BD_SHEET_MAX_COLS);
	bd_err e = rowbuf_reserve(rb, col + 1);
	if (e)
		return e;
	for (; rb->n <= col; rb->n++) {
		rb->off[rb->n] = SIZE_MAX;
		rb->len[rb->n] = 0;
	}
	if (n == 0) {
		rb->off[col] = SIZE_MAX;
		rb->len[col] = 0;
		return BD_OK;
	}
	if (n > UINT32_MAX)
		return bd_fail(BD_ERR_LIMIT, "单元格过长 (cell too long)");
	size_t at = rb->text.len;
	e = bd_buf_add(&rb->text, s, n);
	if (!e)
		e = bd_buf_addch(&rb->text, '\0');
	if (e)
		return e;
	rb->off[col] = at;
	rb->len[col] = (uint32_t)n;
	return BD_OK;
}

const char bd_cell_unreadable[] = "";

/* off of an unreadable cell (SIZE_MAX is an empty one) */
#define OFF_UNREADABLE (SIZE_MAX - 1)

bd_err bd_rowbuf_set_unreadable(bd_rowbuf *rb, uint32_t col)
{
	bd_err e = bd_rowbuf_set(rb, col, "", 0);
	if (!e)
		rb->off[col] = OFF_UNREADABLE;
	return e;
}

bd_err bd_rowbuf_finish(bd_rowbuf *rb, uint32_t rowno, bd_row *row)
{
	uint32_t nc = rb->n;
	while (nc > 0 && rb->off[nc - 1] == SIZE_MAX)
		nc--;
	if (nc > rb->ccap) {
		uint32_t cap = rb->ccap ? rb->ccap : 32;
		while (cap < nc)
			cap *= 2;
		bd_cell *c = realloc(rb->cells, cap * sizeof(*c));
		if (!c)
			return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
		rb->cells = c;
		rb->ccap = cap;
	}
	for (uint32_t i = 0; i < nc; i++) {
		if (rb->off[i] == SIZE_MAX || rb->off[i] == OFF_UNREADABLE) {
			rb->cells[i].s = rb->off[i] == SIZE_MAX ? "" : bd_cell_unreadable;
			rb->cells[i].n = 0;
		} else {
			rb->cells[i].s = rb->text.data + rb->off[i];
			rb->cells[i].n = rb->len[i];
		}
	}
	row->rowno = rowno;
	row->ncell = nc;
	row->cells = rb->cells;
	return BD_OK;
}

void bd_rowbuf_free(bd_rowbuf *rb)
{
	bd_buf_release(&rb->text);
	free(rb->off);
	free(rb->len);
	free(rb->cells);
	memset(rb, 0, sizeof(*rb));
}

bd_err bd_utf8_put(bd_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return bd_buf_add(b, u, n);
}

/* ---- dispatch ------------------------------------------------------- */

bd_err bd_format_of_file(const char *path, bd_format *fmt)
{
	unsigned char head[1024];
	bd_err e = bd_input_check(path);
	if (e)
		return e;
	FILE *f = fopen(path, "rb");
	if (!f)
		return bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open file)", path, strerror(errno));
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	*fmt = bd_format_detect(head, n);
	return BD_OK;
}

bd_err bd_sheet_open(const char *path, bd_format fmt, const char *sheet,
		     const char *encoding, bd_sheet **out)
{
	bd_err e;
	*out = NULL;
	if (!path)
		return bd_fail(BD_ERR_USAGE, "未指定文件 (no file given)");
	if ((e = bd_input_check(path)))
		return e;
	if (fmt == BD_FMT_UNKNOWN) {
		e = bd_format_of_file(path, &fmt);
		if (e)
			return e;
	}
	bd_sheet *sh = calloc(1, sizeof(*sh));
	if (!sh)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	sh->fmt = fmt;
	switch (fmt) {
	case BD_FMT_XLSX:
		e = bd_xlsx_open(path, sheet, &sh->xlsx);
		break;
	case BD_FMT_XLS:
		e = bd_xls_open(path, sheet, &sh->xls);
		break;
	case BD_FMT_HTML:
		e = bd_html_open(path, encoding, &sh->html);
		break;
	default:
		e = bd_fail(BD_ERR_FORMAT,
			    "%s 不是电子表格, 格式为 %s (not a spreadsheet: %s)",
			    path, bd_format_name(fmt), bd_format_name(fmt));
		break;
	}
	if (e) {
		free(sh);
		return e;
	}
	*out = sh;
	return BD_OK;
}

bd_err bd_sheet_next(bd_sheet *sh, bd_row *row, bool *eof)
{
	*eof = false;
	row->rowno = 0;
	row->ncell = 0;
	row->cells = NULL;
	switch (sh->fmt) {
	case BD_FMT_XLSX: return bd_xlsx_next(sh->xlsx, row, eof);
	case BD_FMT_XLS: return bd_xls_next(sh->xls, row, eof);
	case BD_FMT_HTML: return bd_html_next(sh->html, row, eof);
	default: break;
	}
	return bd_fail(BD_ERR_INTERNAL, "bd_sheet_next: bad format");
}

void bd_sheet_close(bd_sheet *sh)
{
	if (!sh)
		return;
	bd_xlsx_close(sh->xlsx);
	bd_xls_close(sh->xls);
	bd_html_close(sh->html);
	free(sh);
}

const char *bd_sheet_name(const bd_sheet *sh)
{
	if (sh->fmt == BD_FMT_XLSX && sh->xlsx)
		return bd_xlsx_sheet_name(sh->xlsx);
	if (sh->fmt == BD_FMT_XLS && sh->xls)
		return bd_xls_sheet_name(sh->xls);
	return "";
}

uint32_t bd_sheet_count(const bd_sheet *sh)
{
	if (sh->fmt == BD_FMT_XLSX && sh->xlsx)
		return bd_xlsx_sheet_count(sh->xlsx);
	if (sh->fmt == BD_FMT_XLS && sh->xls)
		return bd_xls_sheet_count(sh->xls);
	return 0;
}

const char *bd_sheet_name_at(const bd_sheet *sh, uint32_t i)
{
	if (sh->fmt == BD_FMT_XLSX && sh->xlsx)
		return bd_xlsx_sheet_name_at(sh->xlsx, i);
	if (sh->fmt == BD_FMT_XLS && sh->xls)
		return bd_xls_sheet_name_at(sh->xls, i);
	return NULL;
}

const char *bd_sheet_warning(bd_sheet *sh)
{
	return sh->fmt == BD_FMT_XLS && sh->xls ? bd_xls_warning(sh->xls) : NULL;
}

/* ---- any input as rows ---- */

bd_err bd_source_open_as(bd_source *s, const char *path, bd_format fmt, const char *sheet,
			 const char *encoding)
{
	memset(s, 0, sizeof(*s));
	s->fmt = fmt;
	if (fmt == BD_FMT_TEXT)
		return bd_csv_open(path, encoding, &s->csv);
	return bd_sheet_open(path, fmt, sheet, encoding, &s->sheet);
}

bd_err bd_source_open(bd_source *s, const char *path, const char *sheet, const char *encoding)
{
	memset(s, 0, sizeof(*s));
	bd_format fmt;
	bd_err e = bd_format_of_file(path, &fmt);
	if (e)
		return e;
	if (fmt == BD_FMT_GZIP || fmt == BD_FMT_UNKNOWN)
		fmt = BD_FMT_TEXT;
	return bd_source_open_as(s, path, fmt, sheet, encoding);
}

bd_err bd_source_next(bd_source *s, bd_row *row, bool *eof)
{
	return s->csv ? bd_csv_next(s->csv, row, eof) : bd_sheet_next(s->sheet, row, eof);
}

void bd_source_close(bd_source *s)
{
	bd_csv_close(s->csv);
	bd_sheet_close(s->sheet);
	s->csv = NULL;
	s->sheet = NULL;
}
