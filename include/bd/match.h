/*
 * match.h - the matching step: rules (matchers/, one file each, one table)
 * read facts and the roll (roll.h) and raise flags (flags.h); the engine
 * runs them over their subjects on all cores (runner.h), sets each flag's
 * lifecycle (lifecycle.h) and writes flags.csv (flagfile.h),
 * lifecycle.csv and manifest.json, all or none.
 */
#ifndef BD_MATCH_H
#define BD_MATCH_H

#include "bd/config.h"
#include "bd/facts.h"
#include "bd/flags.h"
#include "bd/places.h"
#include "bd/roll.h"

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
