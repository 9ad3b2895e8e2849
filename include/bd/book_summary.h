/*
 * book_summary.h - the county's summary workbook, <period>_汇总.xlsx:
 * 汇总 (township x family counts, overpayment, the lifecycle from
 * lifecycle.csv, two charts), 按规则 (township x rule), 运行清单 (the
 * manifest in Chinese words, hidden) and 拒收明细 (rejected.csv).
 */
#ifndef BD_BOOK_SUMMARY_H
#define BD_BOOK_SUMMARY_H

#include "bd/flagfile.h"

/* Writes the summary of flags v[0..n) (sorted by township, then rule)
 * and of the lifecycle.csv, manifest.json and rejected.csv in cfg->out;
 * final receives its path (BD_BOOK_PATH bytes). */
bd_err bd_book_summary(const bd_config *cfg, const bd_flagline *v, size_t n, char *final);

#endif
