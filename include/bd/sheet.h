/*
 * sheet.h - row readers for spreadsheet inputs: XLSX (minizip + expat,
 * streamed), legacy BIFF .xls (libgsf + own BIFF records) and "HTML table
 * saved as .xls" (libxml2 HTML push parser, streamed). CSV/TSV has its own
 * reader (csv.h); all readers deliver the same bd_row.
 *
 * Cell text is UTF-8. Numeric cells are rendered as Excel shows them
 * (numfmt.h): 4.10502195809029e17 -> "410502195809029000", dates as
 * "YYYY-MM-DD". The readers build their rows with rowbuild.h.
 */
#ifndef BD_SHEET_H
#define BD_SHEET_H

#include "bd/common.h"

typedef struct bd_cell {
	const char *s;  /* UTF-8, NUL-terminated */
	uint32_t n;     /* bytes, excluding NUL */
} bd_cell;

/* The text of a cell whose value a damaged file did not give (s points
 * here, n is 0): a row that needs it is rejected as cell_unreadable. */
extern const char bd_cell_unreadable[];
/* Unreadable cells of a batch copied out of a reader carry this bit in
 * their length (ingest). */
#define BD_CELL_UNREADABLE_BIT 0x80000000u

typedef struct bd_row {
	uint32_t rowno;   /* 1-based row number as a spreadsheet shows it */
	uint32_t ncell;   /* cells, gaps before the last non-empty one filled
			     with empty cells */
	bd_cell *cells;   /* owned by the reader; valid until the next call */
} bd_row;

typedef enum bd_format {
	BD_FMT_UNKNOWN = 0,
	BD_FMT_TEXT,   /* CSV / TSV */
	BD_FMT_GZIP,   /* gzip container (content decided after inflating) */
	BD_FMT_XLSX,   /* zip (PK\3\4) */
	BD_FMT_XLS,    /* OLE2 compound file (D0 CF 11 E0 A1 B1 1A E1) */
	BD_FMT_HTML    /* "<html" or "<table" (case-insensitive) after BOM,
			  whitespace, <!DOCTYPE>, <?xml?> or comments */
} bd_format;

/* Decides the format from the first n bytes of a file (n >= 512 advised). */
bd_format bd_format_detect(const unsigned char *head, size_t n);
/* Decides the format of the file at path from its first KiB; an error
 * names the file when it cannot be opened. */
bd_err bd_format_of_file(const char *path, bd_format *fmt);
/* "csv", "gzip", "xlsx", "xls", "html", "unknown". */
const char *bd_format_name(bd_format f);

typedef struct bd_sheet bd_sheet;

/*
 * Opens path as fmt (XLSX, XLS or HTML). sheet selects a worksheet for
 * XLSX/XLS: NULL or "" = first, a decimal string = 1-based index, anything
 * else = the sheet's name; ignored for HTML (all <tr> rows of the document
 * in order). encoding is a hint for HTML without a charset ("gbk",
 * "utf-8", "gb18030", NULL or "auto"). On success *out is owned by the
 * caller and must be closed with bd_sheet_close(). Errors name the file.
 */
bd_err bd_sheet_open(const char *path, bd_format fmt, const char *sheet,
		     const char *encoding, bd_sheet **out);

/*
 * Reads the next row. At end of sheet sets *eof = true and returns BD_OK.
 * Rows that are entirely absent from the file (XLSX) are not delivered;
 * rowno tells where a delivered row stands.
 */
bd_err bd_sheet_next(bd_sheet *sh, bd_row *row, bool *eof);

/* The name of the worksheet being read: XLSX and XLS, "" otherwise. */
const char *bd_sheet_name(const bd_sheet *sh);
/* The workbook's worksheets (XLSX, XLS; 0 for HTML) and their names in
 * workbook order (NULL beyond the count). */
uint32_t bd_sheet_count(const bd_sheet *sh);
const char *bd_sheet_name_at(const bd_sheet *sh, uint32_t i);

/* A message naming the file and the first cell whose value could not be
 * read and was delivered empty (a damaged .xls), once the sheet is open;
 * NULL when every cell was read. Owned by sh. */
const char *bd_sheet_warning(bd_sheet *sh);

/* Frees the reader; NULL is ignored. */
void bd_sheet_close(bd_sheet *sh);

/* One open input as rows, whatever its form: CSV/TSV (plain or gzip:
 * csv) or a spreadsheet (sheet); the other pointer is NULL. */
typedef struct bd_csv bd_csv;
typedef struct bd_source {
	bd_format fmt;
	bd_csv *csv;
	bd_sheet *sheet;
} bd_source;

/* Opens path read as fmt (BD_FMT_TEXT, or a spreadsheet format; sheet and
 * encoding as RUN.ini says). Close with bd_source_close, also on error. */
bd_err bd_source_open_as(bd_source *s, const char *path, bd_format fmt, const char *sheet,
			 const char *encoding);
/* The same, the format found from the file's head (gzip and unknown
 * content read as text). */
bd_err bd_source_open(bd_source *s, const char *path, const char *sheet, const char *encoding);
bd_err bd_source_next(bd_source *s, bd_row *row, bool *eof);
void bd_source_close(bd_source *s);

#endif
