/*
 * book_rule.h - the review sheet of one rule in a township workbook: a
 * printed block (what goes to the households on A4 landscape, with boxes
 * to write in) and, right of it, not printed, the same facts one per typed
 * column, the rule's evidence columns among them (bd_matcher.cols).
 */
#ifndef BD_BOOK_RULE_H
#define BD_BOOK_RULE_H

#include "bd/flagfile.h"
#include "bd/formats.h"

/* Adds the sheet of flags v[a..b) (one rule, one township, in sheet
 * order) to wb; town names the township in the page header. */
void bd_book_rule_sheet(lxw_workbook *wb, const bd_fmts *F, const bd_config *cfg, const char *town,
			const bd_flagline *v, size_t a, size_t b);

#endif
