/* rowbuild.c - the row builder every spreadsheet reader fills
 * (rowbuild.h). */
#include "bd/rowbuild.h"

#include <stdlib.h>
#include <string.h>

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
