/*
 * index.h - the LMDB index (docs/INDEX.md): a folder holding one small
 * common environment and P shard environments, P a power of two fixed
 * when the index is created.
 *
 * Every key of the person-keyed databases is a 32-byte HMAC; a key whose
 * leading log2(P) bits are s lives in shard s (shard-NNN/), so each shard
 * is self-contained and can be loaded, matched and, later, placed on
 * another machine independently. Per dataset, each shard holds
 *
 *   ga.person@G         hid -> person record
 *   ga.person#child@G   parent hid -> child hid
 *   ga.person#spouse@G  spouse hid -> hid of the person naming that spouse
 *   ga.person#hukou@G   HMAC("hukou", 户号) -> hid
 *   ga.person#b14@G     HMAC("b14", first 14 digits, name) -> hid + 15th char
 *   mz.roll@G           hid -> roll record
 *   mz.roll#bad@G       section u16 | row u32 | 0... -> roll record (shard 0)
 *   <dataset>@G         hid -> record, for every other dataset
 *
 * G is the dataset's generation. The common environment (the folder
 * itself) holds what is not keyed by hid: meta (schema_version,
 * key_fingerprint, shards, generation, gen:<dataset>, snapshot:<dataset>,
 * history:runs), rejected (ds u8 | section u16 | row u32) and flags (the
 * run history, history.h).
 *
 * Generations make an ingest atomic across shards: the new generation's
 * databases are loaded and committed in every shard under new names, then
 * one transaction of the common environment switches gen:<dataset>,
 * snapshots and rejected rows for every dataset of the ingest. A process
 * killed before that commit leaves the previous generation whole; readers
 * see either all of an ingest or none of it.
 */
#ifndef BD_INDEX_H
#define BD_INDEX_H

#include "bd/key.h"
#include "bd/schema.h"
#include "bd/sorter.h"

#include <lmdb.h>
#include <stdio.h>

#define BD_SCHEMA_VERSION "3"
#define BD_MAX_DBS_PER_DS 6
#define BD_MAX_SHARDS 256

typedef struct bd_index bd_index;

typedef enum bd_ixmode {
	BD_IX_READ = 0,  /* reads one generation */
	BD_IX_HISTORY,   /* reads one generation; the common environment is
			    writable (the run history, review outcomes) */
	BD_IX_INGEST     /* the one writer of generations (a lock refuses a
			    second one); creates the index when missing */
} bd_ixmode;

/*
 * Opens the index folder dir. A new index takes key's fingerprint and
 * shards shards (a power of two, 1..256; 0 = one per core, rounded up);
 * an existing one built under another key is BD_ERR_KEY_MISMATCH, and
 * shards > 0 that differs from the index's is BD_ERR_CONFIG. Readers
 * (READ, HISTORY) see the generation committed when they open, until they
 * close. *out is owned by the caller (bd_index_close).
 */
bd_err bd_index_open(const char *dir, const bd_key *key, bd_ixmode mode, int shards,
		     bd_index **out);
void bd_index_close(bd_index *ix);

/* Names of the databases of ds (without generation); returns their count. */
int bd_index_dbnames(bd_ds ds, const char *names[BD_MAX_DBS_PER_DS]);

/* P, and the shard of a key (its leading bits). */
int bd_index_shards(const bd_index *ix);
static inline unsigned bd_shard_of(const uint8_t *key, int shards)
{
	return (unsigned)(((unsigned)key[0] * (unsigned)shards) >> 8);
}

/* The generation of ds seen by this index handle; 0 = never ingested. */
uint64_t bd_index_gen(const bd_index *ix, bd_ds ds);
/* "ga.person#child@7": database i of ds in generation gen, into buf. */
void bd_index_dbname_gen(bd_ds ds, int i, uint64_t gen, char *buf, size_t n);
/* The environment of shard s (read transactions of the facts layer). */
MDB_env *bd_index_shard_env(bd_index *ix, int s);

/*
 * INGEST: loads the sorted entries of dataset ds, one sorter per shard
 * (entries of shard s only), into the next generation's databases of
 * every shard, shards in parallel on up to threads threads; each shard
 * commits on its own. Nothing is visible until bd_index_commit. The
 * sorters are finished (sorted) here.
 */
bd_err bd_index_load(bd_index *ix, bd_ds ds, bd_sorter *const *entries, int threads);

/* What bd_index_commit switches for one loaded dataset. */
typedef struct bd_staged {
	bd_ds ds;
	FILE *rejects;                  /* u16 section | u32 row | 4 NUL-ended
					   strings (field reason masked detail) */
	const char *const *section_names, *const *section_files;
	const char *snapshot_json;
} bd_staged;

/*
 * INGEST: makes the datasets loaded since open the current generation,
 * with their rejected rows and snapshots, in one transaction; then drops
 * the databases of generations no reader uses any more.
 */
bd_err bd_index_commit(bd_index *ix, const bd_staged *staged, size_t n, bool full_ids);

/* true when some current generation was loaded with show_full_id = yes
 * (meta full_ids), as this handle sees it. */
bool bd_index_full_ids(const bd_index *ix);
/* true when every dataset of the index has a generation of this ingest. */
bool bd_index_all_loaded_now(const bd_index *ix);

/*
 * INGEST, after the commit: rewrites every environment with only its live
 * pages (mdb_env_copy2, MDB_CP_COMPACT) once no reader holds the index
 * (waits for them), so that pages freed by earlier generations keep no
 * full ID; clears meta full_ids. The handle can only be closed afterwards.
 */
bd_err bd_index_compact(bd_index *ix);

/* Snapshot JSON of ds as this handle sees it, or NULL when never
 * ingested; caller frees. */
bd_err bd_index_snapshot(bd_index *ix, bd_ds ds, char **json);

/* Entries of database i of ds over all shards (0 when absent). */
bd_err bd_index_count(bd_index *ix, bd_ds ds, int i, uint64_t *n);

/* Writes every rejected row as CSV (UTF-8 with BOM, header row), those of
 * the n staged datasets from their temporary files instead of the index:
 * rejected.csv as the commit of staged will leave it, written before it. */
bd_err bd_index_write_rejected(bd_index *ix, FILE *out, const bd_staged *staged, size_t n);

/* Grows the map of the writable common environment so that about bytes
 * more fit; only while this process has no transaction open there. */
bd_err bd_index_reserve(bd_index *ix, uint64_t bytes);

/*
 * Derived facts kept between runs (docs/INDEX.md, "cache"): the value
 * stored under name when its stamp equals stamp, as a malloc'd copy the
 * caller frees (*data NULL when absent or stale). Putting needs a
 * writable common environment (HISTORY or INGEST); on a READ handle it
 * does nothing.
 */
bd_err bd_index_cache_get(bd_index *ix, const char *name, const char *stamp, void **data,
			  size_t *n);
bd_err bd_index_cache_put(bd_index *ix, const char *name, const char *stamp, const void *data,
			  size_t n);

/* The folder of the index (for messages). */
const char *bd_index_dir(const bd_index *ix);

/* The common environment (meta, rejected, flags), for the history's
 * write transaction (history.h). */
MDB_env *bd_index_env(bd_index *ix);

/* mdb_txn_begin on the common environment, adopting a map another process
 * has grown meanwhile (MDB_MAP_RESIZED): an ingest may commit while a
 * match runs. No other transaction of this process may be open there. */
int bd_index_txn_begin(bd_index *ix, unsigned flags, MDB_txn **txn);

/* Test hooks: BD_TEST_KILL_AFTER=N kills the process (SIGKILL) after N
 * entries were loaded (all shards together); BD_TEST_KILL_AT=commit kills
 * it just before the common commit, every shard loaded. */

#endif
