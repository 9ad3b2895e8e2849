/*
 * review.h - filled township workbooks read back (OUTPUT.md "Reading review
 * results back"): from every rule sheet, flag_id and the reviewer's four
 * columns. Valid outcomes are recorded in the index's history (history.h),
 * where the next match run finds them: 不属实 with unchanged evidence is not
 * shown again, 属实 still present is raised to 高.
 *
 * A workbook names its period and its index on its cover (期次, 索引标识):
 * its outcomes are recorded under that period, and a workbook of another
 * index, or of a period never run on this one, is refused as a whole with
 * one message. Rows are reported, never guessed, when: the flag_id is
 * unknown or not of the workbook's period; the row has no flag_id but holds
 * text (a row a reviewer added); 姓名 is not the flag's (rows misaligned by
 * a sort of some columns only, or edited); 核查结论 is not one of the four
 * values; 核查日期 is not a date after 2000-01-01 and not after the day of
 * reading (the sheet's own validation), or a bare number. Recorded rows
 * without 核查人 or 核查日期, or 其他 without 核查说明, are warnings.
 */
#ifndef BD_REVIEW_H
#define BD_REVIEW_H

#include "bd/config.h"

#include <stdio.h>

typedef struct bd_review_stats {
	size_t files, rows;      /* rule rows read (rows with a flag_id) */
	size_t recorded;         /* outcomes written to the history */
	size_t blank;            /* 核查结论 left empty: not reviewed yet */
	size_t unchanged;        /* of recorded: the history held the same */
	size_t problems;         /* rows (or whole files) not recorded */
	size_t warnings;         /* recorded, but missing what the cover asks */
} bd_review_stats;

/*
 * Reads the workbooks paths[0..n) and records their outcomes in the index
 * of cfg in one transaction (all or nothing for the valid rows). Every row
 * read is added to <out>/review.csv (time of reading, file, sheet, row,
 * period, flag_id, outcome, result): every batch is kept. Problems and
 * warnings are also written to report, one line each with file, sheet, row
 * and what to do. Reading a workbook again records nothing new. A file
 * that is not a township workbook is an error naming it.
 */
bd_err bd_review(const bd_config *cfg, const char *const *paths, size_t n, bd_review_stats *st,
		 FILE *report);

#endif
