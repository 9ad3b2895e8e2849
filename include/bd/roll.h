/*
 * roll.h - the roll (mz.roll) in memory, as every rule sees it: its rows
 * sorted by hid, the households they form (rows sharing a household_id,
 * or a head's ID, are one family: union-find), the rows whose ID is
 * invalid with their Q01 recovery, and the place names learnt on the way
 * (places.h). It is a few per cent of the population.
 */
#ifndef BD_ROLL_H
#define BD_ROLL_H

#include "bd/codes.h"
#include "bd/config.h"
#include "bd/facts.h"

/* One row of the roll, as matchers see it. */
typedef struct bd_rollrow {
	uint8_t hid[32];
	bd_prog prog;
	uint32_t household;   /* index of the roll household (households unified) */
	int64_t monthly;      /* cents, person's own or household share */
	bool monthly_estimated; /* 按户均估算 */
	int32_t start_month;  /* yyyymm, 0 unknown */
	bool filed;
	int32_t id_birth;     /* yyyymmdd from the ID, 0 if hashed */
	bool recovered;       /* Q01: the ID was invalid, the person found */
	uint16_t section;
	uint32_t row;
	const char *section_name;
	char name[64], idmask[24], township[64], village[64], household_id[72];
} bd_rollrow;

/* A roll row whose ID is invalid (mz.roll#bad), with its Q01 recovery. */
typedef struct bd_badrow {
	bd_rollrow row;           /* hid zero unless recovered */
	int idstatus;             /* bd_id_status of the raw ID */
	size_t candidates;        /* registry persons found by the blocking key */
	bool tried;               /* a blocking key existed */
	bool recovered;           /* exactly one candidate */
	char cand_name[64], cand_mask[24];
} bd_badrow;

/* The roll in memory. */
typedef struct bd_roll {
	bd_badrow *bad;       /* rows with invalid IDs, file order */
	size_t nbad;
	bd_rollrow *rows;     /* sorted by hid, then section, row */
	size_t n;
	uint32_t nhouseholds;
	/* region code -> name, learnt from roll rows whose person is in the
	 * registry: 9-digit township codes and 12-digit village codes, then
	 * the divisions tables of RUN.ini (places.h); sorted by code */
	struct bd_place { char code[13]; char name[64]; } *places;
	size_t nplaces;
	uint32_t *hh_first;   /* rows of household h: hh_rows[hh_first[h] .. hh_first[h+1]) */
	uint32_t *hh_rows;
} bd_roll;

/*
 * Reads the roll of the index behind facts into *out (zeroed first): its
 * rows in key order (in parts on cfg->threads threads), the invalid-ID
 * rows and their Q01 recovery (a bad row whose blocking key finds exactly
 * one registry person becomes a roll row of that person, marked
 * recovered), the households, the place names (places.h); masks re-masked
 * unless cfg->show_full_id. Phases are timed with bd_timing. The caller
 * releases *out with bd_roll_release, also after an error.
 */
bd_err bd_roll_load(const bd_config *cfg, bd_facts *facts, bd_roll *out);
/* Frees what r holds and zeroes it. */
void bd_roll_release(bd_roll *r);

/* Rows of hid in the roll: first index and count. */
size_t bd_roll_find(const bd_roll *r, const uint8_t hid[32], size_t *count);
/* true when household h has a row of programme p. */
bool bd_roll_household_on(const bd_roll *r, uint32_t h, bd_prog p);
/* true when hid has a roll row of programme p. */
bool bd_roll_person_on(const bd_roll *r, const uint8_t hid[32], bd_prog p);

#endif
