/*
 * review.h - filled township workbooks read back (OUTPUT.md "Reading review
 * results back"): from every rule sheet, flag_id and the reviewer's four
 * columns. Valid outcomes are recorded in the index's history (history.h),
 * where the next match run finds them: 不属实 with unchanged evidence is not
 * shown again, 属实 still present is raised to 高. Rows whose flag_id is
 * unknown, whose 核查结论 is not one of the four values, or whose 核查日期
 * is not a date are reported, never guessed.
 */
#ifndef BD_REVIEW_H
#define BD_REVIEW_H

#include "bd/config.h"

#include <stdio.h>

typedef struct bd_review_stats {
	size_t files, rows;      /* rule rows read (rows with a flag_id) */
	size_t recorded;         /* outcomes written to the history */
	size_t blank;            /* 核查结论 left empty: not reviewed yet */
	size_t problems;         /* unknown flag_id, invalid value or date */
} bd_review_stats;

/*
 * Reads the workbooks paths[0..n) and records their outcomes in the index
 * of cfg in one transaction (all or nothing for the valid rows). Every row
 * read goes to <out>/review.csv (file, sheet, row, flag_id, outcome,
 * result); problems are also written to report, one line each with file,
 * sheet, row and what to do. A file that is not a township workbook is an
 * error naming it.
 */
bd_err bd_review(const bd_config *cfg, const char *const *paths, size_t n, bd_review_stats *st,
		 FILE *report);

#endif
