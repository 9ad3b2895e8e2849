/*
 * index.h - the LMDB index: one environment (a folder), named databases
 * per dataset keyed by hid, dup-sorted (docs/INDEX.md):
 *
 *   ga.person         hid -> person record
 *   ga.person#child   parent hid -> child hid
 *   ga.person#spouse  spouse hid -> hid of the person naming that spouse
 *   ga.person#hukou   HMAC("hukou", 户号) -> hid
 *   ga.person#b14     HMAC("b14", first 14 digits, name) -> hid + 15th char (Q01)
 *   mz.roll           hid -> roll record
 *   mz.roll#bad       section u16 | row u32 | 0... -> roll record (Q01)
 *   <dataset>         hid -> record, for every other dataset
 *   rejected          ds u8 | section u16 | row u32 -> rejected row
 *   meta              schema_version, key_fingerprint, snapshot:<dataset>,
 *                     history:runs
 *   flags             flag_id (8 bytes) -> its history across runs (history.h)
 *
 * Every key but those of #bad and rejected is a 32-byte HMAC, so the whole
 * index can be partitioned by the leading bits of the key.
 */
#ifndef BD_INDEX_H
#define BD_INDEX_H

#include "bd/key.h"
#include "bd/schema.h"
#include "bd/sorter.h"

#include <lmdb.h>
#include <stdio.h>

#define BD_SCHEMA_VERSION "2"
#define BD_MAX_DBS_PER_DS 6

typedef struct bd_index bd_index;

/*
 * Opens (creating when writable) the index folder dir. A new index takes
 * key's fingerprint; an existing one built under another key is
 * BD_ERR_KEY_MISMATCH. *out is owned by the caller (bd_index_close).
 */
bd_err bd_index_open(const char *dir, const bd_key *key, bool writable,
		     bd_index **out);
void bd_index_close(bd_index *ix);

/* Names of the databases of ds; returns their count. */
int bd_index_dbnames(bd_ds ds, const char *names[BD_MAX_DBS_PER_DS]);

/*
 * Replaces everything of dataset ds in one write transaction: its
 * databases are emptied and loaded from the sorted entries (MDB_APPEND),
 * its rejected rows replaced by those in rejects (records written by the
 * ingest: u16 section | u32 row | field\0 reason\0 masked\0 detail\0),
 * and its snapshot set to snapshot_json. Killed at any point before the
 * commit, the index keeps the previous snapshot. section_names/files
 * label the rejected rows.
 */
bd_err bd_index_replace(bd_index *ix, bd_ds ds, bd_sorter *entries,
			FILE *rejects, const char *const *section_names,
			const char *const *section_files, const char *snapshot_json);

/* Snapshot JSON of ds, or NULL when never ingested; caller frees. */
bd_err bd_index_snapshot(bd_index *ix, bd_ds ds, char **json);

/* Number of entries in database name (0 when absent). */
bd_err bd_index_count(bd_index *ix, const char *name, uint64_t *n);

/* Writes every rejected row as CSV (UTF-8 with BOM, header row). */
bd_err bd_index_write_rejected(bd_index *ix, FILE *out);

/* Grows the map of a writable index so that about bytes more fit; only
 * while this process has no transaction open. */
bd_err bd_index_reserve(bd_index *ix, uint64_t bytes);

/* The folder of the index (for messages). */
const char *bd_index_dir(const bd_index *ix);

/* The LMDB environment, for read transactions of the facts layer and the
 * history's write transaction (history.h). */
MDB_env *bd_index_env(bd_index *ix);

/* Test hook: when the environment variable BD_TEST_KILL_AFTER is a number
 * N, the process kills itself (SIGKILL) after loading N entries. */

#endif
