/*
 * history.h - flags across quarters (RULES.md "Lifecycle across quarters"):
 * the index's "flags" database keeps, per flag_id, the periods the flag was
 * raised in, the hash of its stable evidence and the latest review outcome
 * read back from a township workbook. meta "history:runs" lists the periods
 * run on this index, in the order they were first run; the previous run of
 * a period is the one listed before it. meta "history:id" is the index's
 * identity (16 random hex digits, made by its first match run): workbooks
 * carry it, so review can refuse a workbook of another index.
 *
 *   flags   flag_id (8 bytes, from the 16 hex digits) -> bd_hist, as text
 *
 * The key is an HMAC prefix, so the database partitions by leading bits
 * like every other keyed by hid. All access goes through one write
 * transaction (bd_history): match updates the periods, review the
 * outcomes; nothing else writes it.
 */
#ifndef BD_HISTORY_H
#define BD_HISTORY_H

#include "bd/index.h"

typedef enum bd_outcome {
	BD_OUT_NONE = 0,
	BD_OUT_TRUE,    /* 属实 */
	BD_OUT_FALSE,   /* 不属实 */
	BD_OUT_FIXED,   /* 已整改 */
	BD_OUT_OTHER    /* 其他 */
} bd_outcome;

/* 属实 不属实 已整改 其他, "" for none. */
const char *bd_outcome_name(bd_outcome o);
/* The outcome a reviewer wrote (surrounding spaces ignored), or NONE. */
bd_outcome bd_outcome_parse(const char *s);

#define BD_HIST_PERIODS 8 /* periods remembered per flag */

typedef struct bd_hist {
	char periods[BD_HIST_PERIODS][16]; /* oldest first; "" = unused */
	uint64_t evhash;          /* stable evidence of the latest run */
	char rule[4];
	char township[64], village[64], name[64], idmask[24];
	bd_outcome outcome;       /* the latest review */
	char review_period[16], reviewer[64], review_date[16], note[400];
	uint64_t review_evhash;   /* evidence hash when it was reviewed */
	char ev_since[16];        /* the period evhash was first seen in ("" in
				     entries older than this field) */
} bd_hist;

/* true when p is among h's periods. */
bool bd_hist_has(const bd_hist *h, const char *p);
/* Removes p from h's periods (when there). */
void bd_hist_drop(bd_hist *h, const char *p);
/* Appends p (the oldest falls off when full). */
void bd_hist_add(bd_hist *h, const char *p);

/* What the history holds, read-only (for bidui stats): the periods run
 * ("" when none), the flags remembered and how many have a review. */
typedef struct bd_history_info {
	char id[17];              /* history:id, "" before the first match */
	char runs[512];
	size_t flags, reviewed;
	size_t by_outcome[BD_OUT_OTHER + 1];
} bd_history_info;
bd_err bd_history_info_get(bd_index *ix, bd_history_info *out);

typedef struct bd_history bd_history;

/*
 * Begins the write transaction on ix for a run of period (recorded in
 * history:runs when new, and history:id made when missing); NULL for a
 * transaction that records no run (review). grow is a guess of the bytes
 * the run will write (the map grows first). *out is owned by the caller:
 * commit or abort.
 */
bd_err bd_history_begin(bd_index *ix, const char *period, size_t grow, bd_history **out);
/* The previous run's period, "" when this is the first. */
const char *bd_history_prev(const bd_history *h);
/* Masks every full ID the history holds (flags remembered by runs on an
 * index that held full IDs), in one transaction of its own. */
bd_err bd_history_remask(bd_index *ix);

/* The index's identity (history:id), "" when no match has run. */
const char *bd_history_id(const bd_history *h);
/* Where period stands in history:runs (0 the first run), -1 if never run. */
int bd_history_run_order(const bd_history *h, const char *period);
/* The entry of fid (16 hex digits); *found false leaves *out zeroed. */
bd_err bd_history_get(bd_history *h, const char *fid, bd_hist *out, bool *found);
bd_err bd_history_put(bd_history *h, const char *fid, const bd_hist *v);
/* Calls fn for every entry in key order; fn may return a changed entry
 * through *changed = true, which is written back. */
typedef bd_err (*bd_history_fn)(void *ctx, const char *fid, bd_hist *h, bool *changed);
bd_err bd_history_scan(bd_history *h, bd_history_fn fn, void *ctx);
/* Commits (and frees h) or aborts (and frees h); abort accepts NULL. */
bd_err bd_history_commit(bd_history *h);
void bd_history_abort(bd_history *h);

#endif
