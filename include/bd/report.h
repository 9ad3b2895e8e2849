/*
 * report.h - review workbooks (libxlsxwriter): one per township from
 * flags.csv, and the county summary. Every file is written under a
 * temporary name and renamed, so no half-written workbook ever looks
 * complete.
 */
#ifndef BD_REPORT_H
#define BD_REPORT_H

#include "bd/config.h"

#include <stdio.h>

/* Reads <out>/flags.csv (and, from the index, its identity, which every
 * township workbook carries on its cover for review.h) and writes the
 * workbooks into <out>; one line per workbook goes to report when not
 * NULL. The index must have been matched (history:id). */
bd_err bd_report(const bd_config *cfg, FILE *report);

#endif
