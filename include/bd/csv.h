/*
 * csv.h - CSV/TSV reader (RFC 4180: quoted commas, quotes and newlines),
 * optional UTF-8 BOM, CRLF, LF or CR alone, gzip transparently (a cut
 * gzip stream is an error), encodings UTF-8, GBK and GB18030 (iconv) with
 * auto detection, and UTF-16 LE/BE with a BOM (transcoded as read). A
 * file that ends inside a quoted field is an error naming the row.
 *
 * Two ways to read, which may be combined: row by row (bd_csv_next, used
 * to find the header), then block by block (bd_csv_next_block): the
 * reader cuts the raw bytes at record boundaries and counts records, so
 * that worker threads can transcode and parse blocks in parallel
 * (bd_csv_parse_block). Quote, comma, tab and newline bytes never occur
 * inside a GBK/GB18030 multi-byte character, so raw bytes can be cut and
 * parsed before transcoding.
 */
#ifndef BD_CSV_H
#define BD_CSV_H

#include "bd/buf.h"
#include "bd/sheet.h"

#include <iconv.h>

/* Largest single record accepted; an unclosed quote hits this. */
#define BD_CSV_MAX_RECORD ((size_t)4 << 20)
#define BD_CSV_MAX_CELLS 512

typedef enum bd_enc {
	BD_ENC_UTF8 = 0,
	BD_ENC_GBK,
	BD_ENC_GB18030
} bd_enc;

const char *bd_enc_name(bd_enc e); /* "utf-8", "gbk", "gb18030" */

/*
 * true when s[0..n) is valid UTF-8. If partial_ok, an incomplete sequence
 * at the very end is accepted. *bad (may be NULL) gets the offset of the
 * first invalid byte.
 */
bool bd_utf8_valid(const unsigned char *s, size_t n, bool partial_ok,
		   size_t *bad);

typedef struct bd_csv bd_csv;

/*
 * Opens path (plain or gzip) for reading. encoding is "auto", "utf-8",
 * "gbk" or "gb18030"; auto picks UTF-8 when the first 1 MiB is valid
 * UTF-8 (or starts with a BOM), else GB18030. The delimiter is a tab when
 * the first lines hold more tabs than commas. *out is owned by the caller
 * (bd_csv_close).
 */
bd_err bd_csv_open(const char *path, const char *encoding, bd_csv **out);
void bd_csv_close(bd_csv *c);

bd_enc bd_csv_encoding(const bd_csv *c);
/* The file's own encoding: "utf-16le" / "utf-16be" for a file that starts
 * with a UTF-16 BOM (read as UTF-8: bd_csv_encoding is then UTF-8),
 * else bd_enc_name(bd_csv_encoding(c)). */
const char *bd_csv_source_encoding(const bd_csv *c);
/* Whether lines end with CR alone (old Mac): each CR is read as LF. */
bool bd_csv_cr_only(const bd_csv *c);
char bd_csv_delimiter(const bd_csv *c);

/*
 * Next record as UTF-8 cells (valid until the next call). rowno counts
 * records from 1. At end of input *eof = true. Encoding errors name the
 * file and row.
 */
bd_err bd_csv_next(bd_csv *c, bd_row *row, bool *eof);

/* A run of complete raw records, still in the file's encoding. */
typedef struct bd_csvblock {
	char *data;         /* owned: free() or hand back to bd_csv */
	size_t len;
	uint32_t first_row; /* row number of the first record */
	uint32_t nrec;      /* records in the block */
} bd_csvblock;

/*
 * Cuts the next block of about target bytes of whole records from the
 * input after what bd_csv_next has consumed. At end *eof = true and blk
 * is empty. blk->data is malloc'ed and owned by the caller.
 */
bd_err bd_csv_next_block(bd_csv *c, size_t target, bd_csvblock *blk,
			 bool *eof);

/* Per-thread state for parsing blocks. Zero-initialise, then
 * bd_csvparser_release when done. */
typedef struct bd_csvparser {
	bd_enc enc;
	char delim;
	iconv_t cd;          /* lazily opened for GBK/GB18030 */
	bool cd_open;
	bd_buf utf8;         /* transcoded block */
	bd_cell cells[BD_CSV_MAX_CELLS];
} bd_csvparser;

void bd_csvparser_init(bd_csvparser *p, bd_enc enc, char delim);
void bd_csvparser_release(bd_csvparser *p);

typedef bd_err (*bd_row_fn)(void *ctx, const bd_row *row);

/*
 * Transcodes and parses blk, calling fn for each record in order. Cells
 * point into parser-owned memory valid during the callback. path is used
 * in error messages. Stops at the first error fn returns.
 */
bd_err bd_csv_parse_block(bd_csvparser *p, const bd_csvblock *blk,
			  const char *path, bd_row_fn fn, void *ctx);

#endif
