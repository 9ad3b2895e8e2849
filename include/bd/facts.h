/*
 * facts.h - the facts API: everything a matcher may know, read from the
 * index (never from files; no LMDB cursor leaves this module). Opened once
 * per run (bd_facts, shared and read-only), read through one bd_view per
 * thread (its own read transaction and scratch space).
 *
 * Every query is an index lookup by hid: kin come from the reverse-link
 * databases (ga.person#child, #spouse, #hukou), so no query scans.
 * Pointers returned by a view stay valid until the next call of the same
 * function on that view.
 */
#ifndef BD_FACTS_H
#define BD_FACTS_H

#include "bd/codes.h"
#include "bd/config.h"
#include "bd/index.h"
#include "bd/record.h"
#include "bd/schema.h"

typedef struct bd_facts bd_facts;
typedef struct bd_view bd_view;

/* Opens the index of cfg under its key, read-only unless history (the
 * engine then records the run's flags through bd_facts_index). *out:
 * bd_facts_close. */
bd_err bd_facts_open(const bd_config *cfg, bool history, bd_facts **out);
/* The index under the facts: for the engine's history transaction only
 * (matchers never see it). */
bd_index *bd_facts_index(bd_facts *f);
void bd_facts_close(bd_facts *f);

/* true when dataset ds has a snapshot in the index. */
bool bd_facts_loaded(const bd_facts *f, bd_ds ds);
int32_t bd_facts_as_of(const bd_facts *f);      /* D, yyyymmdd */
int32_t bd_facts_roll_month(const bd_facts *f); /* M, yyyymm */
const char *bd_facts_jurisdiction(const bd_facts *f);

/* A view for one thread. *out: bd_view_close. */
bd_err bd_view_open(bd_facts *f, bd_view **out);
void bd_view_close(bd_view *v);

/* All records of hid in dataset ds (dup-sorted order). *recs points into
 * the view's scratch for ds, valid until the next bd_view_records for the
 * same ds. */
bd_err bd_view_records(bd_view *v, bd_ds ds, const uint8_t hid[32], const bd_rec **recs,
		       size_t *n);

/* The ga.person record of hid, or NULL (also when ga.person is absent). */
bd_err bd_view_person(bd_view *v, const uint8_t hid[32], const bd_rec **rec);

/* Sources of a death */
enum { BD_SRC_GA = 1, BD_SRC_WJ = 2, BD_SRC_MZ = 4 };

typedef struct bd_death {
	bool deceased;        /* any source says so */
	int32_t date;         /* earliest dated source, 0 = unknown */
	unsigned sources;     /* BD_SRC_* that say deceased */
	int32_t ga_date, wj_date, mz_date;  /* each source's date, 0 if none */
	bool mz_from_cremation; /* the mz date is a cremation date */
} bd_death;

bd_err bd_view_death(bd_view *v, const uint8_t hid[32], bd_death *out);

/* Age at D from the person's birth date (ga.person birth, else
 * birth_hint, e.g. the date inside a roll row's ID); -1 when unknown. */
bd_err bd_view_age(bd_view *v, const uint8_t hid[32], int32_t birth_hint, int *age);

/* Resident in J: ga.person status 正常 and region code starting with J. */
bd_err bd_view_resident(bd_view *v, const uint8_t hid[32], bool *yes);

/* A disability set: bit (category-1)*4 + (grade-1) for categories 1..7,
 * grades 1..4. */
typedef uint32_t bd_disset;
/* Parses "1-2, 5:3, 6:3-4" (grades, or category:grades). */
bd_err bd_disset_parse(const char *s, bd_disset *out);
bool bd_disset_has(bd_disset set, int category, int grade);

/* The first certificate of hid valid at D whose category/grade is in set
 * (set 0 = any valid certificate), or NULL. */
bd_err bd_view_cert(bd_view *v, const uint8_t hid[32], bd_disset set, const bd_rec **cert);

/* Custody at D (types 服刑 / 强制隔离戒毒, start ≤ D, end empty or ≥ D);
 * *longc: end empty or end − start ≥ 6 months. *rec the custody row. */
bd_err bd_view_custody(bd_view *v, const uint8_t hid[32], bool *in, bool *longc,
		       const bd_rec **rec);

/* wj.illness of one year: summed self_pay (cents), major illness (any row
 * of the year says 是), rows found. */
bd_err bd_view_illness(bd_view *v, const uint8_t hid[32], int year, int64_t *self_pay,
		       bool *major, size_t *rows);

/* A list of hids (owned by the view; valid until the next kin call of the
 * same kind). */
typedef struct bd_hids {
	const uint8_t (*h)[32];
	size_t n;
} bd_hids;

typedef enum bd_kin {
	BD_KIN_SPOUSE = 0,     /* either side's spouse_id */
	BD_KIN_PARENTS,        /* father_id, mother_id */
	BD_KIN_CHILDREN,       /* whose father_id or mother_id is the person */
	BD_KIN_SIBLINGS,       /* share at least one parent */
	BD_KIN_GRANDPARENTS,
	BD_KIN_GRANDCHILDREN,
	BD_KIN_COREGISTERED,   /* same 户号, the person excluded */
	BD_KIN_MAX
} bd_kin;

/* Kin of hid of one kind, sorted, without duplicates or the person. */
bd_err bd_view_kin(bd_view *v, const uint8_t hid[32], bd_kin kind, bd_hids *out);

/* Q01 recovery: registry persons matching a blocking key (first 14
 * digits + name); digit15 >= 0 keeps only those whose 15th character is
 * it (the 15-significant-digit match), -1 keeps all. */
bd_err bd_view_block(bd_view *v, const uint8_t key[32], int digit15, bd_hids *out);

/* Snapshot JSON of ds (caller frees), NULL when not ingested. */
bd_err bd_facts_snapshot(const bd_facts *f, bd_ds ds, char **json);
/* Fingerprint of the run key (16 hex). */
const char *bd_facts_key_fingerprint(const bd_facts *f);

/* The RUN.ini section name of input file number section of ds (records
 * carry that number), e.g. "mz.roll 特困"; the dataset name if unknown. */
const char *bd_facts_section_name(const bd_facts *f, bd_ds ds, unsigned section);

/* Visits every record of dataset ds whose key's first byte lies in
 * [lo, hi] (a partition of the hid space), in key order. bad = the
 * mz.roll#bad rows instead (lo/hi ignored). */
typedef bd_err (*bd_scan_fn)(void *ctx, const uint8_t key[32], const bd_rec *rec);
bd_err bd_view_scan(bd_view *v, bd_ds ds, bool bad, unsigned lo, unsigned hi, bd_scan_fn fn,
		    void *ctx);

/* Visits every record of ds as bd_view_scan does, on up to threads
 * threads: the key space is cut into nparts (1..256) consecutive ranges of
 * the leading key byte, and fn is called with ctxs[p] for the records of
 * range p, in key order, by one thread. Merging the contexts in range
 * order gives key order. */
bd_err bd_facts_scan_parts(const bd_facts *f, bd_ds ds, int nparts, int threads, bd_scan_fn fn,
			   void *const *ctxs);

/* Stable flag identity (RULES.md): first 16 hex of HMAC(key, rule,
 * subject, evidence key) into out[17]. */
void bd_facts_flag_id(const bd_facts *f, const char *rule, const char *subject,
		      const char *evkey, char out[17]);

#endif
