/*
 * sheet.c - spreadsheet row readers: format detection and dispatch to the
 * XLSX, XLS and HTML backends (xlsx.c, xls.c, html.c), which build their
 * rows with rowbuild.h and render numbers with numfmt.h; any input as
 * rows (bd_source).
 */
#include "bd/sheet.h"
#include "bd/csv.h"

#include <errno.h>
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
