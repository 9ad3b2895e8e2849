/*
 * sheet_int.h - internals shared by the spreadsheet readers (sheet.c,
 * xlsx.c, xls.c, html.c). Not part of the public API.
 */
#ifndef BD_SHEET_INT_H
#define BD_SHEET_INT_H

#include "bd/buf.h"
#include "bd/sheet.h"

/* Excel's limits: 16384 columns (XFD), cell text 32767 characters. */
#define BD_SHEET_MAX_COLS 16384u
/* One cell's text (UTF-8 bytes) as collected from the input. */
#define BD_SHEET_MAX_CELL ((size_t)4 << 20)
/* All cell texts of one row together. */
#define BD_SHEET_MAX_ROW ((size_t)32 << 20)

/*
 * Row under construction: cell texts in one arena, each NUL-terminated,
 * addressed by offset so the arena may grow. Cells are placed by 0-based
 * column; columns skipped are empty.
 */
typedef struct bd_rowbuf {
	bd_buf text;       /* arena, max BD_SHEET_MAX_ROW */
	size_t *off;       /* offset of cell i in text; SIZE_MAX = empty */
	uint32_t *len;     /* length of cell i */
	uint32_t n;        /* columns placed so far (highest column + 1) */
	uint32_t cap;      /* allocated entries of off/len */
	bd_cell *cells;    /* built by bd_rowbuf_finish */
	uint32_t ccap;     /* allocated entries of cells */
} bd_rowbuf;

/* Zeroes rb; nothing allocated yet. */
void bd_rowbuf_init(bd_rowbuf *rb);
/* Forgets the cells of the current row, keeps the storage. */
void bd_rowbuf_reset(bd_rowbuf *rb);
/*
 * Places a copy of s[0..n) in 0-based column col (a later value for the
 * same column replaces the earlier one). BD_ERR_LIMIT beyond
 * BD_SHEET_MAX_COLS columns or BD_SHEET_MAX_ROW bytes.
 */
bd_err bd_rowbuf_set(bd_rowbuf *rb, uint32_t col, const char *s, size_t n);
/*
 * Fills row: rowno, cells up to the last non-empty one (trailing empty
 * cells dropped). The cells point into rb and stay valid until rb changes.
 */
bd_err bd_rowbuf_finish(bd_rowbuf *rb, uint32_t rowno, bd_row *row);
/* Places an unreadable cell at col: delivered empty as bd_cell_unreadable. */
bd_err bd_rowbuf_set_unreadable(bd_rowbuf *rb, uint32_t col);
/* Frees the storage of rb. */
void bd_rowbuf_free(bd_rowbuf *rb);


/* 2, 3, 4 or 5 when head starts with the BOF record of a BIFF2-5 stream
 * saved without an OLE2 container (Excel 2.x-4.0), else 0. */
int bd_biff_bare_version(const unsigned char *head, size_t n);

/* Appends the UTF-8 encoding of code point cp to b. */
bd_err bd_utf8_put(bd_buf *b, uint32_t cp);

/*
 * Backends. Each *_open gives the caller a reader to free with the
 * matching *_close (NULL ignored); on error *out stays NULL and the
 * message names the file. Each *_next fills row with cells owned by the
 * reader, valid until its next call; at the end it sets *eof. Errors in
 * *_next are sticky: later calls return the same code.
 */

/* XLSX backend (xlsx.c); sheet as in bd_sheet_open. */
typedef struct bd_xlsx bd_xlsx;
bd_err bd_xlsx_open(const char *path, const char *sheet, bd_xlsx **out);
bd_err bd_xlsx_next(bd_xlsx *x, bd_row *row, bool *eof);
void bd_xlsx_close(bd_xlsx *x);
/* The name of the worksheet being read ("" when the package has none). */
const char *bd_xlsx_sheet_name(const bd_xlsx *x);
/* The sheets the workbook lists, and the name of the i-th (0-based). */
uint32_t bd_xlsx_sheet_count(const bd_xlsx *x);
const char *bd_xlsx_sheet_name_at(const bd_xlsx *x, uint32_t i);

/* Legacy BIFF .xls backend (xls.c); sheet as in bd_sheet_open. Every
 * row within the sheet's dimensions is delivered, blank ones too. */
typedef struct bd_xls bd_xls;
bd_err bd_xls_open(const char *path, const char *sheet, bd_xls **out);
bd_err bd_xls_next(bd_xls *x, bd_row *row, bool *eof);
void bd_xls_close(bd_xls *x);
/* The worksheets (charts and macro sheets left out) and the one read. */
uint32_t bd_xls_sheet_count(const bd_xls *x);
const char *bd_xls_sheet_name_at(const bd_xls *x, uint32_t i);
const char *bd_xls_sheet_name(const bd_xls *x);
/* A message naming the file and the first cell whose value could not be
 * read (delivered empty), or NULL when every cell was read. Owned by x. */
const char *bd_xls_warning(bd_xls *x);

/* HTML table backend (html.c); encoding is the hint of bd_sheet_open. */
typedef struct bd_html bd_html;
bd_err bd_html_open(const char *path, const char *encoding, bd_html **out);
bd_err bd_html_next(bd_html *h, bd_row *row, bool *eof);
void bd_html_close(bd_html *h);

#endif
