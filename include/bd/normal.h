/*
 * normal.h - normalisers for dates, months, money, yes/no, sex and names.
 * Pure functions over UTF-8 cell text; no allocation.
 *
 * Dates are int32 yyyymmdd (0 = none). Months are int32 yyyymm.
 * Money is int64 cents.
 */
#ifndef BD_NORMAL_H
#define BD_NORMAL_H

#include "bd/common.h"

typedef enum bd_parse {
	BD_PARSE_OK = 0,
	BD_PARSE_EMPTY,    /* blank cell */
	BD_PARSE_NONE,     /* a date that explicitly means "none": 长期, 长期有效 */
	BD_PARSE_INVALID
} bd_parse;

/*
 * Dates: 2026-11-03, 2026/11/3, 20261103, 2026年11月3日, 2026.11.3,
 * date-times (time ignored; also 2026-11-03T09:00:15 and the 14-digit
 * stamp 20261103090015), Excel serial numbers (1..7 digits, optionally
 * with a fraction; 1900 system with the 1900-02-29 bug: 45658 is
 * 2025-01-01, 60 - the phantom 1900-02-29 - is INVALID), full-width
 * digits. 8 digits are always yyyymmdd, never a serial. Validates the
 * calendar date; years outside 1800..2200 are INVALID. 长期 and 长期有效
 * (also 永久, 永久有效) give BD_PARSE_NONE. *ymd is 0 unless OK.
 */
bd_parse bd_date_parse(const char *s, size_t n, int32_t *ymd);

/* Months: 2026-11, 2026-3, 202611, 2026年11月, 2026/11, 2026.11; a full
 * date is accepted too (its month is taken). Years 1800..2200. */
bd_parse bd_month_parse(const char *s, size_t n, int32_t *ym);

/* Money: 1,234.50  1234.5  ¥1234.5  ￥1234.5  1234.50元  full-width digits,
 * leading minus (before or after the currency sign); a blank may follow
 * the sign or precede 元. More than 2 decimals is rounded half away from
 * zero (12.345 -> 1235 cents). */
bd_parse bd_money_parse(const char *s, size_t n, int64_t *cents);

/* 是/否, Y/N, yes/no, 1/0, true/false, √; empty -> BD_PARSE_EMPTY. */
bd_parse bd_yesno_parse(const char *s, size_t n, bool *yes);

/* 男/女, 1/2, M/F, 男性/女性 -> 1 / 2. */
bd_parse bd_sex_parse(const char *s, size_t n, uint8_t *sex);

/* true when y/m/d is a real calendar date (y 1800..9999). */
bool bd_date_valid(int y, int m, int d);

/* Whole years completed at as_of by someone born on birth (yyyymmdd);
 * 29 Feb birthdays complete on 1 March in non-leap years. -1 if either
 * is 0 or as_of < birth. */
int bd_age_at(int32_t birth, int32_t as_of);

/* Days since 1970-01-01 for a yyyymmdd (proleptic Gregorian). */
int32_t bd_days_from_ymd(int32_t ymd);
/* Inverse of bd_days_from_ymd. */
int32_t bd_ymd_from_days(int32_t days);

/*
 * Name normalisation for comparison (RULES.md Q03): full-width ASCII forms
 * to half-width (NFKC for that block), every space removed (ASCII, tab,
 * U+3000, NBSP), the middle-dot variants • ・ ‧ ∙ ･ (and · U+00B7, ． no)
 * written as U+00B7 '·'. Writes at most outsz bytes incl. NUL; returns the
 * length written (excluding NUL).
 */
size_t bd_name_normalise(const char *s, size_t n, char *out, size_t outsz);

/*
 * Header normalisation for alias matching (DATA.md): full-width to
 * half-width, spaces removed, ASCII lowercased, a trailing '*' removed,
 * unit suffixes "(元)" removed; full-width parentheses become ASCII ones.
 * Same output contract as bd_name_normalise.
 */
size_t bd_header_normalise(const char *s, size_t n, char *out, size_t outsz);

/* Trims blanks (space, tab, CR, LF, U+3000, U+00A0 NBSP) from both ends:
 * returns the new start and sets *len. */
const char *bd_trim(const char *s, size_t n, size_t *len);

#endif
