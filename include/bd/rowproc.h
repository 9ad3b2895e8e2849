/*
 * rowproc.h - turns one input row of a dataset into index entries, or a
 * rejection with its reason, or a skip (blank, footer, organisation's
 * vehicle). Pure with respect to shared state: any number of threads may
 * process rows of one file at once, each with its own bd_rowout.
 *
 * An entry is (tag, 32-byte key, value): tag selects the LMDB database of
 * the dataset (index.h), key is a hid (or another 32-byte key), value a
 * packed record (record.h) or a hid.
 */
#ifndef BD_ROWPROC_H
#define BD_ROWPROC_H

#include "bd/account.h"
#include "bd/codes.h"
#include "bd/config.h"
#include "bd/key.h"
#include "bd/schema.h"

/* Read-only context shared by the workers of one file. */
typedef struct bd_rowctx {
	bd_ds ds;
	const bd_section *sec;
	uint16_t section_idx;     /* index of the file within the dataset */
	bd_colmap map;
	const bd_hasher *hasher;
	int32_t as_of;
	bd_prog section_prog;     /* programme = CODE, or NONE */
	bd_custody section_custody;
	bool has_major;           /* wj.illness: file has 重特大疾病 */
	bool full_id;             /* show_full_id = yes: records keep the full ID
				   * where they keep the masked one */
} bd_rowctx;

/* Values of a file that no table resolves (programme, vehicle status). */
#define BD_UNRES_MAX 32
typedef struct bd_unres {
	char value[BD_UNRES_MAX][64];
	uint64_t count[BD_UNRES_MAX];
	int n;
	uint64_t more;   /* occurrences of values beyond BD_UNRES_MAX */
} bd_unres;

void bd_unres_add(bd_unres *u, const char *s, size_t n, uint64_t count);
void bd_unres_merge(bd_unres *into, const bd_unres *from);

/* Output of processing rows: owned by one thread at a time. */
typedef struct bd_rowout {
	bd_buf entries;   /* tag u8 | key[32] | vlen u16 (LE) | value; when
			     shards > 1, the entries of shard s go to part[s]
			     instead (the ingest adds each to its shard's
			     sorter without splitting them again) */
	int shards;       /* set by the caller; 0 or 1 = one stream */
	bd_buf *part;     /* shards buffers, owned (bd_rowout_release) */
	bd_buf rejects;   /* row u32 (LE) | field\0 reason\0 masked\0 detail\0 */
	bd_account acc;
	bd_unres unres;
	/* the reference dates D for which these rows read the same: an ID is
	 * valid only when its birth date is not after D (docs/INDEX.md,
	 * incremental ingest); as_of_hi 0 = no upper bound */
	int32_t as_of_lo, as_of_hi;
} bd_rowout;

void bd_rowout_init(bd_rowout *o);
/* Entries by shard from now on (the index's shard count). */
bd_err bd_rowout_shard(bd_rowout *o, int shards);
void bd_rowout_reset(bd_rowout *o);   /* keeps storage */
void bd_rowout_release(bd_rowout *o);

/* Prepares ctx for a file of section sec whose header maps to map. */
bd_err bd_rowctx_init(bd_rowctx *ctx, bd_ds ds, const bd_section *sec,
		      uint16_t section_idx, const bd_colmap *map,
		      const bd_hasher *hasher, int32_t as_of);

/* Processes one data row (below the header). */
bd_err bd_row_process(const bd_rowctx *ctx, const bd_row *row, bd_rowout *out);

/* Entry tags (LMDB database of the dataset, see index.h). */
enum { BD_TAG_MAIN = 0 };
enum { BD_TAG_P_CHILD = 1, BD_TAG_P_SPOUSE, BD_TAG_P_HUKOU, BD_TAG_P_B14 };
enum { BD_TAG_R_BAD = 1 };

/* Blocking key for Q01 recovery: HMAC of ("b14", first 14 digits, name),
 * name normalised as for Q03. ga.person#b14 maps it to hid + the 15th
 * character, so one database serves both the 14- and the 15-digit match. */
void bd_block_key14(const bd_hasher *h, const char *digits14, const char *name,
		    size_t nlen, uint8_t out[32]);
/* Key of a 户号 in ga.person#hukou. */
void bd_hukou_key(const bd_hasher *h, const char *hukou, size_t n, uint8_t out[32]);

#endif
