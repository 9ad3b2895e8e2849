/*
 * sorter.h - external sort of index entries (tag | key[32] | vlen u16 LE |
 * value) with bounded memory: entries collect in memory up to a budget,
 * are sorted (in parallel) and spilled to temporary run files; iteration
 * merges all runs in (tag, key, value) order, dropping exact duplicates,
 * so that LMDB can be loaded with MDB_APPEND. The order depends only on
 * the entries, never on the thread count.
 */
#ifndef BD_SORTER_H
#define BD_SORTER_H

#include "bd/common.h"

#define BD_ENTRY_HEAD 35  /* tag + key + vlen */

typedef struct bd_sorter bd_sorter;

/* mem_budget: bytes of entries kept in memory before spilling; threads:
 * how many threads sort; tmpdir: where runs go (NULL = $TMPDIR or /tmp).
 * *out is owned by the caller (bd_sorter_free). */
bd_err bd_sorter_new(size_t mem_budget, int threads, const char *tmpdir,
		     bd_sorter **out);
/* Adds serialized entries (a concatenation of whole entries). */
bd_err bd_sorter_add(bd_sorter *s, const uint8_t *entries, size_t len);
/* Ends adding and prepares iteration. */
bd_err bd_sorter_finish(bd_sorter *s);
/* Next entry in order; *entry is valid until the next call. */
bd_err bd_sorter_next(bd_sorter *s, const uint8_t **entry, bool *eof);
/* Entries added so far. */
uint64_t bd_sorter_count(const bd_sorter *s);
/* Bytes of entries added so far. */
uint64_t bd_sorter_bytes(const bd_sorter *s);
/* Runs spilled to disk so far (for tests and benchmarks). */
unsigned bd_sorter_spills(const bd_sorter *s);
void bd_sorter_free(bd_sorter *s);

/* Size of the entry at e. */
static inline size_t bd_entry_size(const uint8_t *e)
{
	return BD_ENTRY_HEAD + ((size_t)e[33] | (size_t)e[34] << 8);
}

#endif
