/*
 * match.h - the matching step: rules (matchers/, one file each, one table)
 * read facts and emit flags; the engine runs them over their subjects on
 * all cores and writes flags.csv in a deterministic order.
 */
#ifndef BD_MATCH_H
#define BD_MATCH_H

#include "bd/config.h"
#include "bd/facts.h"

typedef enum bd_family { BD_FAM_C = 0, BD_FAM_L, BD_FAM_R, BD_FAM_Q } bd_family;
typedef enum bd_severity { BD_SEV_HIGH = 0, BD_SEV_MID, BD_SEV_LOW } bd_severity;

const char *bd_family_name(bd_family f);     /* 错保 漏保 人情保 数据质量 */
const char *bd_severity_name(bd_severity s); /* 高 中 低 */

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

/* The roll in memory (it is a few per cent of the population). */
typedef struct bd_roll {
	bd_badrow *bad;       /* rows with invalid IDs, file order */
	size_t nbad;
	bd_rollrow *rows;     /* sorted by hid, then section, row */
	size_t n;
	uint32_t nhouseholds;
	/* region code -> name, learnt from roll rows whose person is in the
	 * registry: 9-digit township codes and 12-digit village codes */
	struct bd_place { char code[13]; char name[64]; } *places;
	size_t nplaces;
	uint32_t *hh_first;   /* rows of household h: hh_rows[hh_first[h] .. hh_first[h+1]) */
	uint32_t *hh_rows;
} bd_roll;

/* Rows of hid in the roll: first index and count. */
size_t bd_roll_find(const bd_roll *r, const uint8_t hid[32], size_t *count);
/* true when household h has a row of programme p. */
bool bd_roll_household_on(const bd_roll *r, uint32_t h, bd_prog p);
/* true when hid has a roll row of programme p. */
bool bd_roll_person_on(const bd_roll *r, const uint8_t hid[32], bd_prog p);

/* A flag, before it is written. */
typedef struct bd_flag {
	const char *rule;         /* "C01" */
	bd_severity severity;
	bool has_subject;
	uint8_t subject[32];
	char evkey[80];           /* distinguishes two flags of one rule and subject */
	char township[64], village[64], household_id[72], name[64], idmask[24];
	const char *programme;    /* code, or "" */
	int64_t monthly;          /* cents, -1 = none */
	int64_t overpaid;         /* cents, -1 = none */
	char evidence[1024];      /* "标签：值；标签：值" (bd_ev) */
	bool recovered;           /* the subject's roll row was recovered (Q01) */
	const char *source_dataset;
	uint32_t source_row;
} bd_flag;

/* A flag as the engine keeps it once added: the strings live in the
 * owning bd_flags' arena, exactly as long as they are (a bd_flag is
 * 1.5 KiB, most of it empty). */
typedef struct bd_flagrec {
	const char *rule, *programme, *source_dataset;
	bd_severity severity;
	bool has_subject, recovered;
	uint8_t subject[32];
	int64_t monthly, overpaid;
	uint32_t source_row;
	char *evkey, *township, *village, *household_id, *name, *idmask, *evidence;
} bd_flagrec;

struct bd_chunk;

typedef struct bd_flags {
	bd_flagrec *f;
	size_t n, cap;
	struct bd_chunk *chunks;  /* string arena, freed by bd_flags_release */
} bd_flags;

/* Appends "label：value" to f->evidence, after a "；" when it is not the
 * first: one line of plain Chinese that the report splits into the rule's
 * evidence columns (bd_evcol). A "；" or a line break inside the value
 * becomes "，" or a space; what does not fit is cut at a character. */
void bd_ev(bd_flag *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds a flag (copied into fl's arena). */
bd_err bd_flags_add(bd_flags *fl, const bd_flag *f);
/* Moves every flag of src to the end of dst (src is left empty). */
bd_err bd_flags_take(bd_flags *dst, bd_flags *src);
void bd_flags_release(bd_flags *fl);

/* Fills the common columns of f from a roll row. */
void bd_flag_from_roll(bd_flag *f, const char *rule, const bd_rollrow *r);
/* Fills the common columns of f from a registry person (who may be on no
 * roll): township and village as region codes (9 and 12 digits). */
void bd_flag_from_person(bd_flag *f, const char *rule, const uint8_t hid[32], const bd_rec *p);
/* The name of a 9- or 12-digit region code from the roll's places (and
 * RUN.ini divisions), or NULL. */
const char *bd_place_name(const bd_roll *roll, const char *code);
/* Names the region codes in f->township and f->village from the roll's
 * places, when known. */
void bd_flag_name_places(bd_flag *f, const bd_roll *roll);

/* Parameters of a rule: the defaults, overridden by [rule ID] in RUN.ini,
 * whose loader checks each value against type, min and max (config.h). */
typedef struct bd_param {
	const char *name;
	const char *def;      /* default value as written in RUN.ini */
	const char *doc;      /* Chinese, one line */
	bd_vtype type;        /* what a value must be */
	double min, max;      /* numbers: the range; lists: how many items */
} bd_param;

typedef struct bd_ruleenv {
	bd_view *v;
	const bd_facts *facts;
	const bd_roll *roll;
	const char *const *params;  /* values, in the order of the rule's param table */
	bd_flags *out;
	int threads;                /* a BD_SUBJ_ONCE rule may scan on this many */
	const void *state;          /* what the rule's prepare made, or NULL */
} bd_ruleenv;

/* What a rule runs over. */
typedef enum bd_subject {
	BD_SUBJ_ROLLPERSON = 0,  /* each distinct hid of the roll */
	BD_SUBJ_KEYS,            /* each distinct hid of the matcher's .over dataset */
	BD_SUBJ_BADROW,          /* each mz.roll row whose ID is invalid */
	BD_SUBJ_ONCE             /* called once (aggregates) */
} bd_subject;

/* An evidence column of a rule's review sheet: the label its matcher
 * gives to bd_ev, and how the workbook writes the value. */
typedef enum bd_coltype {
	BD_COL_TEXT = 0,
	BD_COL_DATE,   /* yyyy-mm-dd becomes a real date; other text stays */
	BD_COL_MONEY,  /* a number with two decimals */
	BD_COL_INT,
	BD_COL_PCT     /* "40.0%" becomes 0.4 shown as a percentage */
} bd_coltype;

typedef struct bd_evcol {
	const char *label;    /* NULL ends the list */
	bd_coltype type;
	unsigned width;       /* column width in characters of the sheet */
	bool varies;          /* changes by itself from quarter to quarter (an
				 age, months paid): left out of the evidence
				 that decides whether a flag reviewed 不属实
				 comes back */
} bd_evcol;

typedef struct bd_matcher {
	const char *id;           /* "C01" */
	bd_family family;
	const char *name;         /* 死亡人员仍在保 */
	unsigned needs;           /* bit per bd_ds the rule needs */
	bd_subject subject;
	bd_ds over;               /* BD_SUBJ_KEYS: whose keys are the subjects */
	const bd_param *params;   /* NULL-terminated by name */
	const bd_evcol *cols;     /* evidence columns, NULL-terminated by label */
	/* subject: the hid (ROLLPERSON, PERSON), NULL otherwise */
	bd_err (*run)(bd_ruleenv *env, const uint8_t *subject);
	/* BD_SUBJ_KEYS, optional: *yes when the subject meets every condition
	 * of the rule that does not involve the roll (a superset of the
	 * subjects run flags, with any roll). The engine keeps the
	 * candidates of a scan in the index and, while the rule's other
	 * datasets are unchanged, runs the rule on them alone instead of
	 * scanning every key again. Must not read env->roll. */
	bd_err (*candidate)(bd_ruleenv *env, const uint8_t *subject, bool *yes);
	/* optional: called once before the rule runs, on one thread; *state
	 * (owned by the rule, freed by release) is then env->state of every
	 * partition, read-only (e.g. a set of hids built from small
	 * datasets, so that each subject needs fewer lookups) */
	bd_err (*prepare)(bd_ruleenv *env, void **state);
	void (*release)(void *state);
} bd_matcher;

extern const bd_matcher bd_matchers[];
extern const size_t bd_nmatchers;

#define BD_NEEDS(ds) (1u << (ds))

#include <stdio.h>

/* Runs every implemented rule on the index of cfg and writes
 * <out>/flags.csv; one line per rule (count or why skipped) goes to
 * report when not NULL. */
bd_err bd_match(const bd_config *cfg, FILE *report);

#endif
