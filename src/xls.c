/*
 * xls.c - legacy BIFF .xls reader on FreeXL. FreeXL loads the selected
 * worksheet's cells itself; rows are then delivered one at a time, every
 * row within the sheet's dimensions (blank ones with no cells).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <freexl.h>

#include "sheet_int.h"

struct bd_xls {
	char *path;
	const void *h;
	unsigned int rows;
	unsigned short cols;
	unsigned int next;
	bd_err err;          /* sticky error of bd_xls_next */
	bd_rowbuf rb;
};

static const char *fx_reason(int rc)
{
	switch (rc) {
	case FREEXL_FILE_NOT_FOUND: return "file not found";
	case FREEXL_INSUFFICIENT_MEMORY: return "out of memory";
	case FREEXL_INVALID_CFBF_HEADER: return "invalid OLE2 header";
	case FREEXL_CFBF_READ_ERROR: return "read error";
	case FREEXL_CFBF_SEEK_ERROR: return "seek error";
	case FREEXL_BIFF_INVALID_BOF: return "invalid BIFF record";
	case FREEXL_BIFF_INVALID_SST: return "invalid string table";
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND: return "no workbook stream";
	case FREEXL_INVALID_CHARACTER: return "invalid character";
	case FREEXL_UNSUPPORTED_CHARSET: return "unsupported code page";
	case FREEXL_CRAFTED_FILE: return "severely corrupted file";
	default: break;
	}
	return "damaged or unsupported file";
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bd_err select_sheet(bd_xls *x, const char *sheet)
{
	unsigned int count = 0;
	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK ||
	    count == 0)
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 中没有工作表 (no worksheet in workbook)",
			       x->path);
	unsigned int idx = 0;
	if (sheet && *sheet && all_digits(sheet)) {
		unsigned long k = strtoul(sheet, NULL, 10);
		if (k == 0 || k > count)
			return bd_fail(BD_ERR_FORMAT,
				       "XLS 文件 %s 没有第 %s 个工作表, 共 %u 个 "
				       "(no sheet number %s; %u sheets)", x->path,
				       sheet, count, sheet, count);
		idx = (unsigned int)(k - 1);
	} else if (sheet && *sheet) {
		bool found = false;
		for (int pass = 0; pass < 2 && !found; pass++) {
			for (unsigned int i = 0; i < count && !found; i++) {
				const char *nm = NULL;
				if (freexl_get_worksheet_name(x->h, (unsigned short)i,
							      &nm) != FREEXL_OK || !nm)
					continue;
				if (pass == 0 ? strcmp(nm, sheet) == 0
					      : strcasecmp(nm, sheet) == 0) {
					idx = i;
					found = true;
				}
			}
		}
		if (!found) {
			bd_buf names = BD_BUF_INIT(1024);
			for (unsigned int i = 0; i < count; i++) {
				const char *nm = NULL;
				if (freexl_get_worksheet_name(x->h, (unsigned short)i,
							      &nm) != FREEXL_OK || !nm)
					continue;
				if (bd_buf_addf(&names, "%s\"%s\"", i ? ", " : "", nm))
					break;
			}
			bd_err e = bd_fail(BD_ERR_FORMAT,
					   "XLS 文件 %s 中没有名为 \"%s\" 的工作表, "
					   "现有: %s (no such sheet)", x->path, sheet,
					   names.data ? names.data : "");
			bd_buf_release(&names);
			return e;
		}
	}
	if (idx > 0xFFFF)
		return bd_fail(BD_ERR_LIMIT, "XLS 文件 %s 工作表过多 (too many "
			       "sheets)", x->path);
	int rc = freexl_select_active_worksheet(x->h, (unsigned short)idx);
	if (rc != FREEXL_OK)
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 无法读取第 %u 个工作表 (cannot select "
			       "sheet: %s)", x->path, idx + 1, fx_reason(rc));
	rc = freexl_worksheet_dimensions(x->h, &x->rows, &x->cols);
	if (rc != FREEXL_OK)
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 工作表尺寸无法读取 (cannot read sheet "
			       "dimensions: %s)", x->path, fx_reason(rc));
	if (x->cols > BD_SHEET_MAX_COLS)
		x->cols = (unsigned short)BD_SHEET_MAX_COLS;
	return BD_OK;
}

bd_err bd_xls_open(const char *path, const char *sheet, bd_xls **out)
{
	*out = NULL;
	bd_xls *x = calloc(1, sizeof(*x));
	if (!x)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	bd_rowbuf_init(&x->rb);
	x->path = strdup(path);
	if (!x->path) {
		bd_xls_close(x);
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		bd_err e = bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open "
				   "file)", path, strerror(errno));
		bd_xls_close(x);
		return e;
	}
	fclose(f);
	int rc = freexl_open(path, &x->h);
	if (rc != FREEXL_OK) {
		if (x->h) {
			freexl_close(x->h);
			x->h = NULL;
		}
		bd_xls_close(x);
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 无法解析, 可能已损坏或加密 (cannot read "
			       ".xls: %s)", path, fx_reason(rc));
	}
	unsigned int pw = 0;
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
	    pw == FREEXL_BIFF_OBFUSCATED) {
		bd_xls_close(x);
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 有密码保护 (password-protected .xls)",
			       path);
	}
	bd_err e = select_sheet(x, sheet);
	if (e) {
		bd_xls_close(x);
		return e;
	}
	*out = x;
	return BD_OK;
}

/* Date or date-time text from FreeXL -> "YYYY-MM-DD"; time alone as is. */
static size_t date_part(const char *s)
{
	size_t n = strlen(s);
	if (n > 10 && s[4] == '-' && s[7] == '-')
		return 10;
	return n;
}

bd_err bd_xls_next(bd_xls *x, bd_row *row, bool *eof)
{
	*eof = false;
	if (x->err)
		return x->err;
	if (x->next >= x->rows) {
		*eof = true;
		return BD_OK;
	}
	unsigned int r = x->next++;
	bd_rowbuf_reset(&x->rb);
	for (unsigned short c = 0; c < x->cols; c++) {
		FreeXL_CellValue v;
		char num[64];
		bd_err e = BD_OK;
		int rc = freexl_get_cell_value(x->h, r, c, &v);
		if (rc != FREEXL_OK)
			return x->err = bd_fail(BD_ERR_FORMAT,
				       "XLS 文件 %s 第 %u 行第 %u 列无法读取 (cannot "
				       "read cell: %s)", x->path, r + 1,
				       (unsigned)c + 1, fx_reason(rc));
		switch (v.type) {
		case FREEXL_CELL_INT: {
			size_t n = bd_number_render((double)v.value.int_value,
						    false, num, sizeof(num));
			e = bd_rowbuf_set(&x->rb, c, num, n);
			break;
		}
		case FREEXL_CELL_DOUBLE: {
			size_t n = bd_number_render(v.value.double_value, false,
						    num, sizeof(num));
			e = bd_rowbuf_set(&x->rb, c, num, n);
			break;
		}
		case FREEXL_CELL_TEXT:
		case FREEXL_CELL_SST_TEXT:
			if (v.value.text_value)
				e = bd_rowbuf_set(&x->rb, c, v.value.text_value,
						  strnlen(v.value.text_value,
							  BD_SHEET_MAX_CELL));
			break;
		case FREEXL_CELL_DATE:
		case FREEXL_CELL_DATETIME:
		case FREEXL_CELL_TIME:
			if (v.value.text_value)
				e = bd_rowbuf_set(&x->rb, c, v.value.text_value,
						  date_part(v.value.text_value));
			break;
		default:
			break;
		}
		if (e)
			return x->err = bd_fail_ctx(e, "XLS 文件 %s 第 %u 行 "
						    "(file, row)", x->path, r + 1);
	}
	bd_err e = bd_rowbuf_finish(&x->rb, r + 1, row);
	if (e)
		x->err = e;
	return e;
}

void bd_xls_close(bd_xls *x)
{
	if (!x)
		return;
	if (x->h)
		freexl_close(x->h);
	bd_rowbuf_free(&x->rb);
	free(x->path);
	free(x);
}
