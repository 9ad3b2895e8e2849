/*
 * record.h - the packed record stored for every accepted input row, and the
 * field slots of each dataset. Layout (docs/INDEX.md):
 *
 *   u16 section | u32 row | u8 nnum | u8 nstr | u8 hidmask
 *   nnum  x zigzag varint numbers
 *   nstr  x (varint length, UTF-8 bytes)
 *   one 32-byte hid for every bit set in hidmask (bit i = slot i)
 *
 * Numbers: dates yyyymmdd, months yyyymm, money in cents, codes as enums
 * of codes.h; 0 means "absent" unless stated. Strings are display fields
 * (name, masked ID, township, ...), each cut to BD_REC_MAXSTRLEN bytes at
 * a UTF-8 boundary so that a record always fits an LMDB dup-sorted value.
 */
#ifndef BD_RECORD_H
#define BD_RECORD_H

#include "bd/common.h"

#define BD_REC_MAXNUM 12
#define BD_REC_MAXSTR 8
#define BD_REC_MAXHID 4
#define BD_REC_MAXSTRLEN 60
#define BD_REC_MAXSIZE 500

typedef struct bd_str {
	const char *s;  /* not NUL-terminated */
	uint32_t n;
} bd_str;

typedef struct bd_rec {
	uint16_t section;  /* index of the input file in the dataset snapshot */
	uint32_t row;      /* spreadsheet row number in that file */
	uint8_t nnum, nstr;
	uint8_t hidmask;
	int64_t num[BD_REC_MAXNUM];
	bd_str str[BD_REC_MAXSTR];
	uint8_t hid[BD_REC_MAXHID][32];
} bd_rec;

/*
 * Packs r into out (cap bytes). Strings longer than BD_REC_MAXSTRLEN are
 * cut; *truncated (may be NULL) tells. Returns the packed size, or 0 when
 * it would not fit cap.
 */
size_t bd_rec_pack(const bd_rec *r, uint8_t *out, size_t cap, bool *truncated);

/* Unpacks; strings point into p, which must outlive r. */
bd_err bd_rec_unpack(const uint8_t *p, size_t n, bd_rec *r);

/* Sets string slot i from s[0..n) (no copy: s must outlive packing). */
void bd_rec_setstr(bd_rec *r, int i, const char *s, size_t n);
/* Sets hid slot i. */
void bd_rec_sethid(bd_rec *r, int i, const uint8_t hid[32]);
/* true when hid slot i is set. */
bool bd_rec_hashid(const bd_rec *r, int i);

/* ga.person */
enum { BD_P_SEX, BD_P_BIRTH, BD_P_STATUS, BD_P_STATUS_DATE, BD_P_NNUM };
enum { BD_P_NAME, BD_P_IDMASK, BD_P_HUKOU, BD_P_RELATION, BD_P_REGION, BD_P_NSTR };
enum { BD_P_FATHER, BD_P_MOTHER, BD_P_SPOUSE, BD_P_NHID };

/* mz.roll (and mz.roll#bad for rows whose ID is invalid) */
enum {
	BD_R_PROG,         /* bd_prog */
	BD_R_MONTHLY,      /* cents, valid when BD_R_AMOUNTS bit 1 */
	BD_R_HH_AMOUNT,    /* cents, valid when BD_R_AMOUNTS bit 2 */
	BD_R_AMOUNTS,      /* bit 1 monthly present, bit 2 household present */
	BD_R_START_MONTH,  /* yyyymm */
	BD_R_FILED,        /* 1 = 是 */
	BD_R_IDSTATUS,     /* bd_id_status of the raw ID (#bad rows) */
	BD_R_BIRTH,        /* yyyymmdd from the ID, 0 if hashed/invalid */
	BD_R_DIGIT15,      /* #bad rows of 15 significant digits: '0'..'9' of the
			      15th character, compared in the b14 lookup; else 0 */
	BD_R_NNUM
};
enum { BD_R_NAME, BD_R_IDMASK, BD_R_HOUSEHOLD, BD_R_RELATION, BD_R_TOWNSHIP,
       BD_R_VILLAGE, BD_R_PROGTEXT, BD_R_NSTR };
enum { BD_R_HEAD, BD_R_B14, BD_R_NHID };

/* mz.cadre */
enum { BD_CA_NNUM };
enum { BD_CA_NAME, BD_CA_IDMASK, BD_CA_ROLE, BD_CA_TOWNSHIP, BD_CA_VILLAGE, BD_CA_NSTR };

/* mz.cremation */
enum { BD_CR_DEATH, BD_CR_CREMATION, BD_CR_DEATH_FROM_CREMATION, BD_CR_NNUM };
enum { BD_CR_NAME, BD_CR_IDMASK, BD_CR_NSTR };

/* ga.vehicle */
enum { BD_V_REG_DATE, BD_V_STATUS, BD_V_NNUM };     /* bd_vstatus */
enum { BD_V_PLATE, BD_V_TYPE, BD_V_STATUS_TEXT, BD_V_IDMASK, BD_V_NSTR };

/* ga.custody */
enum { BD_CU_TYPE, BD_CU_START, BD_CU_END, BD_CU_NNUM };
enum { BD_CU_NAME, BD_CU_IDMASK, BD_CU_NSTR };

/* cl.cert */
enum { BD_CE_CATEGORY, BD_CE_GRADE, BD_CE_ISSUE, BD_CE_VALID_UNTIL, BD_CE_STATUS, BD_CE_NNUM };
enum { BD_CE_NAME, BD_CE_IDMASK, BD_CE_CERTNO, BD_CE_NSTR }; /* CERTNO masked */

/* wj.death */
enum { BD_D_DEATH, BD_D_NNUM };
enum { BD_D_NAME, BD_D_IDMASK, BD_D_CAUSE, BD_D_NSTR };

/* wj.illness */
enum { BD_I_YEAR, BD_I_SETTLE, BD_I_MAJOR, BD_I_TOTAL, BD_I_SELF_PAY, BD_I_NNUM };
/* BD_I_MAJOR: 0 unknown (file has no 重特大疾病 column), 1 否, 2 是 */
enum { BD_I_NAME, BD_I_IDMASK, BD_I_DIAGNOSIS, BD_I_NSTR };

#endif
