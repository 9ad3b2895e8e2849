/*
 * rowbuild.h - the row builder of the spreadsheet readers (xlsx.c, xls.c,
 * html.c): cells placed by column as a reader meets them, delivered as one
 * bd_row (sheet.h) with gaps filled and trailing empty cells dropped;
 * bounded as Excel is.
 */
#ifndef BD_ROWBUILD_H
#define BD_ROWBUILD_H

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

/* Appends the UTF-8 encoding of code point cp to b. */
bd_err bd_utf8_put(bd_buf *b, uint32_t cp);

#endif
