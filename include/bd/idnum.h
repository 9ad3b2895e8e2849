/*
 * idnum.h - resident identity numbers (GB 11643-1999): normalise, validate,
 * classify Excel damage, mask. Pure functions, no allocation.
 */
#ifndef BD_IDNUM_H
#define BD_IDNUM_H

#include "bd/common.h"

typedef enum bd_id_status {
	BD_ID_OK = 0,        /* valid 18-char ID in out->id */
	BD_ID_HASHED,        /* 64 lowercase hex: a pre-hashed hid in out->hex */
	BD_ID_EMPTY,         /* nothing but blanks */
	BD_ID_BAD_LENGTH,    /* not 15 or 18 characters after normalising */
	BD_ID_BAD_CHAR,      /* non-digit (X only allowed last) */
	BD_ID_BAD_DATE,      /* impossible birth date */
	BD_ID_FUTURE_DATE,   /* birth date after the reference date */
	BD_ID_BAD_CHECK,     /* check character does not match */
	BD_ID_EXCEL_15,      /* 18 digits whose last 3 are 000 and check fails:
				Excel kept 15 significant digits */
	BD_ID_EXCEL_SCI      /* scientific notation such as 4.10102E+17 */
} bd_id_status;

typedef struct bd_id {
	char id[19];      /* normalised text, NUL-terminated; for OK the 18-char
			     ID, otherwise as much as normalising produced
			     (truncated to 18) */
	char hex[65];     /* BD_ID_HASHED: the 64 hex chars */
	int32_t birth;    /* OK: yyyymmdd from the ID; else 0 */
	uint8_t sex;      /* OK: 1 male, 2 female; else 0 */
	bool upgraded15;  /* OK: came from a 15-digit legacy number */
} bd_id;

/*
 * Normalises s[0..n) (UTF-8): strips blanks anywhere (space, tab, CR, LF,
 * U+3000, NBSP), a leading apostrophe (' ＇ ‘ ’ `: Excel's text marker),
 * full-width digits and X; lower x -> X; upgrades 15 digits by inserting
 * "19" and computing the check char. as_of (yyyymmdd, 0 = no limit)
 * rejects birth dates after it. Checks in order: EMPTY, HASHED (64
 * lowercase hex only; upper-case hex is BAD_LENGTH), EXCEL_SCI, length,
 * characters, birth date, future date, check char (EXCEL_15 only for 18
 * digits ending in 000; an ID ending in 000 whose check char is right is
 * OK). Always fills out.
 */
bd_id_status bd_id_normalise(const char *s, size_t n, int32_t as_of,
			     bd_id *out);

/* Check character ('0'..'9' or 'X') for the first 17 digits. */
char bd_id_check_char(const char first17[17]);

/* true for BD_ID_EXCEL_15 and BD_ID_EXCEL_SCI. */
bool bd_id_is_mangled(bd_id_status st);

/* Stable reason code for rejected.csv: "id_invalid", "excel_mangled",
 * "required_empty" (EMPTY). NULL for OK/HASHED. */
const char *bd_id_reason(bd_id_status st);

/* Chinese detail for a status, e.g. "校验位错误"; never NULL. */
const char *bd_id_detail(bd_id_status st);

/*
 * Masks an ID-like string for display: first 6 and last 4 characters
 * (UTF-8 characters, not bytes) kept,
 * the middle replaced by '*' (18 chars -> 410102********1234). Strings of
 * 10 characters or fewer become all '*'. Writes at most outsz bytes incl.
 * NUL into out; returns out.
 */
char *bd_id_mask(const char *s, size_t n, char *out, size_t outsz);

/*
 * Masks s in place when it is a full 15- or 18-character ID (digits, a
 * final X), as an index built with show_full_id = yes stores them; leaves
 * anything else (already masked, empty) alone. For writers of a run that
 * did not ask for full IDs.
 */
void bd_id_remask(char *s, size_t cap);

/*
 * GB 32100-2015 unified social credit code (18 chars, check char over
 * 0-9A-Z minus I O Z S V). true when s[0..n) is one.
 */
bool bd_uscc_valid(const char *s, size_t n);

#endif
