/*
 * flags.h - flags as rules raise them: a bd_flag filled on the stack, its
 * evidence one line of "标签：值" (bd_ev), added to a bd_flags that keeps
 * its strings in an arena; and, once every rule has run, each flag's
 * identity (flag_id, an HMAC of rule, subject and evidence key).
 */
#ifndef BD_FLAGS_H
#define BD_FLAGS_H

#include "bd/roll.h"

typedef enum bd_family { BD_FAM_C = 0, BD_FAM_L, BD_FAM_R, BD_FAM_Q } bd_family;
typedef enum bd_severity { BD_SEV_HIGH = 0, BD_SEV_MID, BD_SEV_LOW } bd_severity;

const char *bd_family_name(bd_family f);     /* 错保 漏保 人情保 数据质量 */
const char *bd_severity_name(bd_severity s); /* 高 中 低 */

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

/* Zero-initialise; bd_flags_release frees the records and the arena. */
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
/* Makes v (in place) safe as one value of an evidence line, as bd_ev
 * does: "；" becomes "，", line breaks spaces. */
void bd_ev_value(char *v);

/* Adds a flag (copied into fl's arena). */
bd_err bd_flags_add(bd_flags *fl, const bd_flag *f);
/* A copy of s in fl's arena, freed with fl; NULL when out of memory
 * (nothing recorded). */
char *bd_flags_strdup(bd_flags *fl, const char *s);
/* Moves every flag of src to the end of dst (src is left empty). */
bd_err bd_flags_take(bd_flags *dst, bd_flags *src);
void bd_flags_release(bd_flags *fl);

/* Fills the common columns of f from a roll row. */
void bd_flag_from_roll(bd_flag *f, const char *rule, const bd_rollrow *r);
/* Fills the common columns of f from a registry person (who may be on no
 * roll): township and village as region codes (9 and 12 digits). */
void bd_flag_from_person(bd_flag *f, const char *rule, const uint8_t hid[32], const bd_rec *p);

/* A flag of this run with its identity, and what the history says of it
 * (lifecycle.h); the record stays in its bd_flags. */
typedef struct bd_runflag {
	bd_flagrec *f;
	int rule_order;        /* the rule's place in bd_matchers */
	char id[17];           /* flag_id */
	char subject[65];      /* the subject's hid in hex, "" when none */
	bool persisting;       /* flagged in the previous run too: 持续 */
	bool suppressed;       /* reviewed 不属实, evidence unchanged: not shown */
	char first_seen[16];
} bd_runflag;

/*
 * Every flag of fl with its identity (an HMAC each, on threads threads; a
 * province has millions), order[i] being the rule of fl->f[i]; in
 * identity order, the same flag reached twice (a subject seen through two
 * roll persons) once: the one of the first township, village, household
 * and source row. *out (*n entries, pointing into fl) is the caller's to
 * free.
 */
bd_err bd_flags_identify(const bd_facts *facts, bd_flags *fl, const int *order, int threads,
			 bd_runflag **out, size_t *n);

#endif
