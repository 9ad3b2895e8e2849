/*
 * book_township.h - a township's review workbook,
 * <period>_<township>_核查表.xlsx: a cover (说明: counts by rule, what to
 * do, the identity review checks) and one sheet per rule (book_rule.h).
 */
#ifndef BD_BOOK_TOWNSHIP_H
#define BD_BOOK_TOWNSHIP_H

#include "bd/flagfile.h"

/* Writes the workbook of the township of flags v[a..b) (sorted by rule,
 * then sheet order) into cfg->out; index_id (history.h) goes on the
 * cover; final receives its path (BD_BOOK_PATH bytes). */
bd_err bd_book_township(const bd_config *cfg, const char *index_id, const bd_flagline *v, size_t a, size_t b,
			char *final);

#endif
