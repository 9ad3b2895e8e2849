/*
 * account.h - per-file accounting of input rows ("nothing lost"): every
 * row below the header is accepted, rejected with a reason, or skipped by
 * kind; warnings are counted beside. Reason codes are stable and
 * documented in docs/REASONS.md.
 */
#ifndef BD_ACCOUNT_H
#define BD_ACCOUNT_H

#include "bd/buf.h"

#include <jansson.h>

typedef enum bd_reason {
	BD_RJ_ID_INVALID = 0,  /* id_invalid */
	BD_RJ_EXCEL_MANGLED,   /* excel_mangled */
	BD_RJ_REQUIRED_EMPTY,  /* required_empty */
	BD_RJ_DATE_INVALID,    /* date_invalid */
	BD_RJ_DATE_MISSING,    /* date_missing */
	BD_RJ_CODE_INVALID,    /* code_invalid: a required code no table knows */
	BD_RJ_MONEY_INVALID,   /* money_invalid */
	BD_RJ_CELL_UNREADABLE, /* cell_unreadable: a damaged file did not give
				  the value of a cell the row needs */
	BD_RJ_MAX
} bd_reason;

typedef enum bd_skip {
	BD_SK_PREAMBLE = 0,    /* above the header */
	BD_SK_BLANK,           /* blank row below the header */
	BD_SK_FOOTER,          /* 合计…, 制表人… */
	BD_SK_OWNER_NOT_PERSON,/* a vehicle owned by an organisation */
	BD_SK_MAX
} bd_skip;

typedef enum bd_warn {
	BD_WN_CERT_NO_MISMATCH = 0, /* cert_no digits disagree with columns */
	BD_WN_LINK_ID_INVALID,      /* father/mother/spouse/head ID invalid: link dropped */
	BD_WN_OPTIONAL_INVALID,     /* an optional value unreadable: left empty */
	BD_WN_TRUNCATED,            /* a display field was cut to fit */
	BD_WN_ID_UPGRADED15,        /* a 15-digit ID was upgraded to 18 */
	BD_WN_MAX
} bd_warn;

const char *bd_reason_code(bd_reason r);   /* "id_invalid" ... */
const char *bd_reason_zh(bd_reason r);     /* Chinese explanation */
const char *bd_skip_code(bd_skip s);       /* "preamble" ... */
const char *bd_skip_zh(bd_skip s);
const char *bd_warn_code(bd_warn w);       /* "cert_no_mismatch" ... */
const char *bd_warn_zh(bd_warn w);

typedef struct bd_account {
	uint64_t read;       /* data rows: below the header, not blank/footer */
	uint64_t accepted;
	uint64_t rejected[BD_RJ_MAX];
	uint64_t skipped[BD_SK_MAX];
	uint64_t warnings[BD_WN_MAX];
} bd_account;

void bd_account_add(bd_account *into, const bd_account *from);
uint64_t bd_account_rejected(const bd_account *a);
/* read == accepted + rejected + owner_not_person */
bool bd_account_balanced(const bd_account *a);
/* A new JSON object {"read":..,"accepted":..,"rejected_total":..,
 * "rejected":{..},"skipped":{..},"warnings":{..}} (counts that are not zero);
 * NULL when out of memory. The caller owns the reference. */
json_t *bd_account_json(const bd_account *a);

#endif
