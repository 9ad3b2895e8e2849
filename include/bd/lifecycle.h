/*
 * lifecycle.h - this run's flags against the index's history (history.h,
 * RULES.md "Lifecycle across quarters"): each flag's status (新增, 持续),
 * first_seen and what its last review means now (属实 not fixed: raised
 * to 高; 不属实 with the same stable evidence: not shown again), and
 * lifecycle.csv, the flags gone since the previous run (已消除) and those
 * not shown (不属实未再提示). The summary workbook reads lifecycle.csv
 * back (bd_lifecycle_towns).
 */
#ifndef BD_LIFECYCLE_H
#define BD_LIFECYCLE_H

#include "bd/flags.h"
#include "bd/history.h"

/* One line of lifecycle.csv. */
typedef struct bd_lifeline {
	char id[17], rule[4], event[40], township[64], village[64], name[64], idmask[24];
	char first_seen[16], last_seen[16], outcome[16], reviewer[64], review_date[16];
} bd_lifeline;

/* What bd_lifecycle_apply found; zero-initialise, bd_lifecycle_release. */
typedef struct bd_lifecycle {
	const bd_config *cfg;
	const char *prev;         /* the previous run's period, "" (owned by the history) */
	char (*ids)[17];          /* this run's flag ids, sorted */
	size_t nids;
	bd_lifeline *lines;
	size_t n, cap;
	size_t resolved;
} bd_lifecycle;

/* This run against the previous one (manifest.json, the match report). */
typedef struct bd_lifesum {
	char prev[16];
	size_t added, persisting, resolved, suppressed;
} bd_lifesum;

/*
 * Sets status, first_seen and the review's consequences of the flags
 * s[0..n) (bd_flags_identify; a note on the review is added to the
 * evidence, in fl's arena) from h, and records this run there (not
 * committed); entries not flagged now that were flagged in the previous
 * run become 已消除 lines of lc.
 */
bd_err bd_lifecycle_apply(const bd_config *cfg, bd_history *h, bd_flags *fl, bd_runflag *s, size_t n,
			  bd_lifecycle *lc);
/* Drops the flags not shown again (reviewed 不属实, evidence unchanged)
 * from s[0..n), counting into *sum; returns how many remain. */
size_t bd_lifecycle_shown(const bd_lifecycle *lc, bd_runflag *s, size_t n, bd_lifesum *sum);
/* Writes lc's lines to path as lifecycle.csv (sorted by township, rule,
 * event, flag_id); a failed file is removed. */
bd_err bd_lifecycle_write(bd_lifecycle *lc, const char *path);
void bd_lifecycle_release(bd_lifecycle *lc);

/* A line of lifecycle.csv as the summary counts it. */
typedef struct bd_lifetown {
	char *town;         /* township, "" when unknown */
	bool resolved;      /* 已消除; else 不属实, not shown */
} bd_lifetown;

/* Reads the township and event of each line of the lifecycle.csv at path
 * into *out (file order; the caller frees each town and the array, also
 * after an error); none when the file is absent. */
bd_err bd_lifecycle_towns(const char *path, bd_lifetown **out, size_t *n);

#endif
