/*
 * manifest.h - manifest.json (OUTPUT.md), the audit record of a match:
 * the tool, the key's fingerprint, dates, every input's snapshot (as
 * ingest recorded it in the index), every rule with its parameters and
 * count or why it was skipped, and the lifecycle counts. One structure:
 * match fills and writes it, report reads it back (jansson) for the
 * summary's 运行清单.
 */
#ifndef BD_MANIFEST_H
#define BD_MANIFEST_H

#include "bd/common.h"

typedef struct bd_manifest_param {
	const char *name, *value;
} bd_manifest_param;

typedef struct bd_manifest_rule {
	const char *id, *name, *family;
	const char *skipped;              /* why the rule did not run; NULL: it ran */
	size_t flags;                     /* flags written, when it ran */
	const bd_manifest_param *params;  /* in the rule's table order */
	size_t nparams;
} bd_manifest_rule;

typedef struct bd_manifest_doc bd_manifest_doc;

/*
 * Filled by match: every pointer borrowed, valid until bd_manifest_write
 * returns. Filled by bd_manifest_read: every pointer into doc, valid
 * until bd_manifest_release.
 */
typedef struct bd_manifest {
	const char *tool, *version, *period, *jurisdiction, *key_fingerprint;
	int32_t as_of;                    /* yyyymmdd */
	int32_t roll_month;               /* yyyymm */
	int threads;
	bool show_full_id;
	const char *started_at, *finished_at;  /* ISO 8601 with the offset */
	const char *const *inputs;        /* each loaded dataset's snapshot: JSON text (index.h) */
	size_t ninputs;
	const bd_manifest_rule *rules;
	size_t nrules;
	size_t flags_total;
	const char *previous_period;      /* "" when none */
	size_t added, persisting, resolved, suppressed;
	bd_manifest_doc *doc;             /* what bd_manifest_read allocated */
} bd_manifest;

/* Writes m to path as JSON (two-space indent, keys in a fixed order, a
 * final newline); a failed file is removed. Text that is not UTF-8 is
 * written with each bad byte as "?". */
bd_err bd_manifest_write(const bd_manifest *m, const char *path);

/* Reads the manifest.json at path into *m; bd_manifest_release frees
 * what it holds, also after an error. */
bd_err bd_manifest_read(const char *path, bd_manifest *m);
void bd_manifest_release(bd_manifest *m);

/*
 * Calls fn for every leaf (string, number, true, false) of m as written,
 * in file order, with its key path ("inputs[2].files[1].rows.read";
 * arrays count from 1) and its value as text; the strings are valid
 * during the call only.
 */
bd_err bd_manifest_leaves(const bd_manifest *m, void (*fn)(void *ctx, const char *key, const char *value),
			  void *ctx);

#endif
