/*
 * book.h - a workbook file of the report: started under a temporary name
 * in constant-memory mode with the formats (formats.h), saved and renamed
 * to its final name, or discarded; and how townships are named and
 * ordered in file names and sheets.
 */
#ifndef BD_BOOK_H
#define BD_BOOK_H

#include "bd/config.h"
#include "bd/formats.h"

enum { BD_BOOK_PATH = 4200 }; /* room for a workbook's path */

/* Starts the workbook <cfg->out>/<file> as *wb, written to tmp (a name
 * beside it) until bd_book_save; final receives the final path
 * (BD_BOOK_PATH bytes). The caller ends *wb with bd_book_save or
 * bd_book_discard. */
bd_err bd_book_open(const bd_config *cfg, const char *file, char *final, char tmp[BD_BOOK_PATH + 100],
		    lxw_workbook **wb, bd_fmts *F);
/* Closes wb (one workbook at a time: libxlsxwriter's close is not
 * reentrant) and renames tmp to final; on failure tmp is removed and the
 * message says whether the disk is full. */
bd_err bd_book_save(lxw_workbook *wb, const char *tmp, const char *final);
/* Closes a workbook that failed half-way and removes tmp. */
void bd_book_discard(lxw_workbook *wb, const char *tmp);

/* What a township without a name ("") is called in file names and sheets
 * (a static string, or t). */
const char *bd_town_name(const char *t);
/* Townships by name, the unknown one ("") last. */
int bd_town_cmp(const char *a, const char *b);

#endif
