/*
 * sheet_int.h - the backends sheet.c dispatches to (xlsx.c, xls.c,
 * html.c). Not part of the public API.
 */
#ifndef BD_SHEET_INT_H
#define BD_SHEET_INT_H

#include "bd/sheet.h"

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

/* 2, 3, 4 or 5 when head starts with the BOF record of a BIFF2-5 stream
 * saved without an OLE2 container (Excel 2.x-4.0), else 0. */
int bd_biff_bare_version(const unsigned char *head, size_t n);

/* HTML table backend (html.c); encoding is the hint of bd_sheet_open. */
typedef struct bd_html bd_html;
bd_err bd_html_open(const char *path, const char *encoding, bd_html **out);
bd_err bd_html_next(bd_html *h, bd_row *row, bool *eof);
void bd_html_close(bd_html *h);

#endif
