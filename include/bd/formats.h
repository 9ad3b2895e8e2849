/*
 * formats.h - how the workbooks' cells look (宋体, borders, number
 * formats, the reviewer's yellow columns) and how much room text takes
 * in them, for row heights and column widths.
 */
#ifndef BD_FORMATS_H
#define BD_FORMATS_H

#include <stdbool.h>
#include <xlsxwriter.h>

/* The formats of one workbook (owned by it: freed by workbook_close). */
typedef struct bd_fmts {
	lxw_format *title, *head, *text, *money, *num, *date, *pct, *unlocked, *unlocked_date;
	lxw_format *plain, *para, *money_head, *nowrap;
	lxw_format *seq, *code, *screen_head;
} bd_fmts;

/* Adds every format to wb. */
void bd_formats_make(lxw_workbook *wb, bd_fmts *f);

#define BD_LINE_PT 13.5 /* one line of 10-point text */

/* Display width of UTF-8 text: CJK and full-width characters count 2. */
double bd_text_width(const char *s);
/* Lines text takes in a column of width w (characters of the sheet), each
 * of its own lines wrapped; one character of indent. */
int bd_text_lines(const char *text, double w);

#endif
