/* csv.c - streaming CSV/TSV reader with encodings (see csv.h). */
#include "bd/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define READ_CHUNK ((size_t)1 << 20)
#define SNIFF_BYTES ((size_t)1 << 20)

struct bd_csv {
	char *path;
	gzFile gz;
	bool eof;          /* nothing more to read from gz */
	char *buf;         /* raw bytes [start, end) not yet consumed */
	size_t cap, start, end;
	uint32_t next_row; /* row number of the next record */
	bd_enc enc;
	char delim;
	bd_csvparser parser;   /* for bd_csv_next */
	bd_buf rec;            /* copy of the current record */
	bd_cell row_cells[BD_CSV_MAX_CELLS];
	/* UTF-16 with a BOM: transcoded to UTF-8 as read */
	bool u16, u16le;
	iconv_t cd16;
	char *raw;             /* UTF-16 bytes [rawpos, rawlen) not yet converted */
	size_t rawpos, rawlen;
	uint64_t rawoff;       /* file offset of raw[0] (for messages) */
	bool raw_eof;
	bool cr_only;          /* old Mac line ends: every CR read as LF */
};

const char *bd_enc_name(bd_enc e)
{
	switch (e) {
	case BD_ENC_UTF8: return "utf-8";
	case BD_ENC_GBK: return "gbk";
	case BD_ENC_GB18030: return "gb18030";
	}
	return "?";
}

bool bd_utf8_valid(const unsigned char *s, size_t n, bool partial_ok, size_t *bad)
{
	size_t i = 0;
	while (i < n) {
		/* ASCII fast path, 8 bytes at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		size_t len;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4; min = 0x10000;
		} else {
			goto invalid;
		}
		if (i + len > n) {
			for (size_t k = i + 1; k < n; k++)
				if ((s[k] & 0xc0) != 0x80)
					goto invalid;
			if (partial_ok)
				return true;
			goto invalid;
		}
		unsigned cp = c & (0xffu >> (len + 1));
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto invalid;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto invalid;
		i += len;
	}
	return true;
invalid:
	if (bad)
		*bad = i;
	return false;
}

/* --- record boundary scanning (the parser's state machine, no output) --- */

enum { ST_FIELD, ST_UNQ, ST_Q, ST_QQ };

/*
 * Scans p[0..n) from a record start. Returns the offset just past the last
 * complete record found, counting records in *nrec, stopping early once
 * the offset passes stop_after (0 = scan all).
 */
static size_t scan_records(const char *p, size_t n, char delim,
			   size_t stop_after, uint32_t *nrec)
{
	int st = ST_FIELD;
	size_t last = 0;
	uint32_t count = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		switch (st) {
		case ST_Q:
			if (ch == '"')
				st = ST_QQ;
			continue;
		case ST_FIELD:
			if (ch == '"') {
				st = ST_Q;
				continue;
			}
			break;
		case ST_QQ:
			if (ch == '"') {
				st = ST_Q;
				continue;
			}
			break;
		default:
			break;
		}
		if (ch == '\n') {
			st = ST_FIELD;
			last = i + 1;
			count++;
			if (stop_after && last >= stop_after)
				break;
		} else if (ch == delim) {
			st = ST_FIELD;
		} else {
			st = ST_UNQ;
		}
	}
	*nrec = count;
	return last;
}

/* Row number (1-based within the block) of the record holding offset. */
static uint32_t record_of_offset(const char *p, size_t off, char delim)
{
	uint32_t nrec = 0;
	scan_records(p, off, delim, 0, &nrec);
	return nrec + 1;
}

/* --- parsing (in place, UTF-8) --- */

void bd_csvparser_init(bd_csvparser *p, bd_enc enc, char delim)
{
	memset(p, 0, sizeof(*p));
	p->enc = enc;
	p->delim = delim;
	p->utf8.max = BD_CSV_MAX_RECORD * 64;
}

void bd_csvparser_release(bd_csvparser *p)
{
	if (p->cd_open)
		iconv_close(p->cd);
	p->cd_open = false;
	bd_buf_release(&p->utf8);
}

static bd_err encoding_error(const char *path, uint32_t row, bd_enc enc)
{
	return bd_fail(BD_ERR_ENCODING,
		       "%s 第 %u 行: 含有 %s 编码中无效的字节 (invalid %s bytes at row %u)。"
		       "请确认文件编码，并在 RUN.ini 的该数据集节中设置 encoding = utf-8、gbk 或 gb18030",
		       path, row, bd_enc_name(enc), bd_enc_name(enc), row);
}

/* Transcodes raw into p->utf8 (NUL-terminated). */
static bd_err to_utf8(bd_csvparser *p, const char *raw, size_t n,
		      const char *path, uint32_t first_row)
{
	bd_buf_reset(&p->utf8);
	if (p->enc == BD_ENC_UTF8) {
		size_t bad = 0;
		if (!bd_utf8_valid((const unsigned char *)raw, n, false, &bad))
			return encoding_error(path, first_row - 1 +
					      record_of_offset(raw, bad, p->delim), p->enc);
		return bd_buf_add(&p->utf8, raw, n);
	}
	if (!p->cd_open) {
		p->cd = iconv_open("UTF-8", p->enc == BD_ENC_GBK ? "GBK" : "GB18030");
		if (p->cd == (iconv_t)-1)
			return bd_fail(BD_ERR_ENCODING, "iconv 不支持 %s", bd_enc_name(p->enc));
		p->cd_open = true;
	}
	iconv(p->cd, NULL, NULL, NULL, NULL);
	bd_err e = bd_buf_grow(&p->utf8, n + n / 2 + 16);
	if (e)
		return e;
	char *in = (char *)raw;
	size_t inleft = n;
	while (inleft) {
		char *out = p->utf8.data + p->utf8.len;
		size_t outleft = p->utf8.cap - p->utf8.len - 1;
		size_t r = iconv(p->cd, &in, &inleft, &out, &outleft);
		p->utf8.len = (size_t)(out - p->utf8.data);
		if (r == (size_t)-1) {
			if (errno == E2BIG) {
				if ((e = bd_buf_grow(&p->utf8, inleft * 2 + 16)))
					return e;
				continue;
			}
			size_t off = (size_t)(in - raw);
			return encoding_error(path, first_row - 1 +
					      record_of_offset(raw, off, p->delim), p->enc);
		}
	}
	p->utf8.data[p->utf8.len] = '\0';
	return BD_OK;
}

/*
 * Parses NUL-terminated UTF-8 text s[0..n) in place into rows. The text
 * must hold whole records (the last may lack its newline).
 */
static bd_err parse_records(bd_csvparser *p, char *s, size_t n, uint32_t first_row,
			    const char *path, bd_row_fn fn, void *ctx)
{
	size_t i = 0;
	uint32_t rowno = first_row;
	const char delim = p->delim;
	while (i < n) {
		uint32_t nc = 0;
		bool done = false;
		while (!done) {
			/* one field */
			char *w = s + i;
			char *start = w;
			if (i < n && s[i] == '"') {
				i++;
				for (;;) {
					if (i >= n)
						break;
					if (s[i] == '"') {
						if (i + 1 < n && s[i + 1] == '"') {
							*w++ = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					*w++ = s[i++];
				}
			}
			/* unquoted part (or text after a closing quote) */
			while (i < n && s[i] != delim && s[i] != '\n')
				*w++ = s[i++];
			if (i >= n || s[i] == '\n') {
				if (w > start && w[-1] == '\r')
					w--;
				done = true;
			}
			size_t len = (size_t)(w - start);
			if (nc < BD_CSV_MAX_CELLS) {
				p->cells[nc].s = start;
				p->cells[nc].n = (uint32_t)len;
				nc++;
			} else {
				return bd_fail(BD_ERR_FORMAT, "%s 第 %u 行: 列数超过 %d (too many columns)",
					       path, rowno, BD_CSV_MAX_CELLS);
			}
			bool at_end = i >= n;
			if (!at_end)
				i++; /* skip delimiter or newline */
			*w = '\0';
			(void)at_end;
		}
		bd_row row = { rowno, nc, p->cells };
		bd_err e = fn(ctx, &row);
		if (e)
			return e;
		rowno++;
	}
	return BD_OK;
}

static bd_err capture_row(void *ctx, const bd_row *row)
{
	*(bd_row *)ctx = *row;
	return BD_OK;
}

bd_err bd_csv_parse_block(bd_csvparser *p, const bd_csvblock *blk,
			  const char *path, bd_row_fn fn, void *ctx)
{
	bd_err e = to_utf8(p, blk->data, blk->len, path, blk->first_row);
	if (e)
		return e;
	return parse_records(p, p->utf8.data, p->utf8.len, blk->first_row, path, fn, ctx);
}

/* --- input buffering --- */

#define RAW_CHUNK (READ_CHUNK / 2)

/* Reads from the file (gzip or plain) into dst; *got 0 at its end. A gzip
 * stream that ends early is an error naming the file. */
static bd_err read_file(bd_csv *c, char *dst, size_t room, size_t *got)
{
	*got = 0;
	int r = gzread(c->gz, dst, (unsigned)room);
	if (r > 0) {
		*got = (size_t)r;
		return BD_OK;
	}
	int zerr = Z_OK;
	const char *msg = gzerror(c->gz, &zerr);
	if (zerr == Z_OK)
		return BD_OK; /* the end */
	if (zerr == Z_ERRNO)
		return bd_fail(BD_ERR_IO, "读取 %s 失败: %s (read error)", c->path,
			       strerror(errno));
	size_t pl = strlen(c->path);
	if (msg && strncmp(msg, c->path, pl) == 0 && msg[pl] == ':')
		msg += pl + (msg[pl + 1] == ' ' ? 2 : 1);
	return bd_fail(BD_ERR_FORMAT,
		       "%s 是不完整或损坏的 gzip 压缩文件 (%s), 数据没有读完; "
		       "请重新导出或重新复制该文件 (truncated or corrupt gzip)",
		       c->path, msg && *msg ? msg : "unexpected end of file");
}

/* Reads UTF-16 and writes UTF-8 into dst (room >= 2 * RAW_CHUNK). */
static bd_err read_u16(bd_csv *c, char *dst, size_t room, size_t *got)
{
	*got = 0;
	if (c->rawlen - c->rawpos < 4 && !c->raw_eof) {
		size_t keep = c->rawlen - c->rawpos, n = 0;
		memmove(c->raw, c->raw + c->rawpos, keep);
		c->rawoff += c->rawpos;
		c->rawpos = 0;
		c->rawlen = keep;
		bd_err e = read_file(c, c->raw + keep, RAW_CHUNK - keep, &n);
		if (e)
			return e;
		c->raw_eof = n == 0;
		c->rawlen += n;
	}
	char *in = c->raw + c->rawpos, *out = dst;
	size_t inleft = c->rawlen - c->rawpos, oleft = room;
	size_t rc = iconv(c->cd16, &in, &inleft, &out, &oleft);
	int err = errno;
	c->rawpos = (size_t)(in - c->raw);
	*got = (size_t)(out - dst);
	if (rc == (size_t)-1 && (err == EILSEQ || (err == EINVAL && c->raw_eof)))
		return bd_fail(BD_ERR_ENCODING,
			       "%s 第 %llu 字节处不是有效的 UTF-16%s 文本%s (invalid "
			       "UTF-16)", c->path,
			       (unsigned long long)(c->rawoff + c->rawpos + 2),
			       c->u16le ? "LE" : "BE",
			       err == EINVAL ? ", 文件在字符中间结束" : "");
	return BD_OK;
}

static bd_err fill(bd_csv *c, size_t want)
{
	while (!c->eof && c->end - c->start < want) {
		if (c->start > 0 && c->start >= c->cap / 2) {
			memmove(c->buf, c->buf + c->start, c->end - c->start);
			c->end -= c->start;
			c->start = 0;
		}
		if (c->cap - c->end < READ_CHUNK) {
			size_t ncap = c->cap ? c->cap * 2 : READ_CHUNK * 2;
			while (ncap - c->end < READ_CHUNK)
				ncap *= 2;
			char *nb = realloc(c->buf, ncap + 1);
			if (!nb)
				return bd_fail(BD_ERR_NOMEM, "out of memory reading %s", c->path);
			c->buf = nb;
			c->cap = ncap;
		}
		size_t got = 0;
		bd_err e;
		if (c->u16) {
			e = read_u16(c, c->buf + c->end, READ_CHUNK, &got);
			if (!e && got == 0 && !(c->raw_eof && c->rawpos == c->rawlen))
				continue; /* more UTF-16 to convert */
		} else {
			e = read_file(c, c->buf + c->end, READ_CHUNK, &got);
		}
		if (e)
			return e;
		if (got == 0)
			c->eof = true;
		if (c->cr_only)
			for (size_t i = c->end; i < c->end + got; i++)
				if (c->buf[i] == '\r')
					c->buf[i] = '\n';
		c->end += got;
	}
	return BD_OK;
}

static void sniff(bd_csv *c, bd_enc forced, bool autodetect)
{
	const unsigned char *s = (const unsigned char *)c->buf + c->start;
	size_t n = c->end - c->start;
	bool bom = n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf;
	if (bom) {
		c->start += 3;
		s += 3;
		n -= 3;
	}
	if (autodetect)
		c->enc = (bom || bd_utf8_valid(s, n < SNIFF_BYTES ? n : SNIFF_BYTES, true, NULL))
				 ? BD_ENC_UTF8 : BD_ENC_GB18030;
	else
		c->enc = forced;
	size_t tabs = 0, commas = 0, look = n < 65536 ? n : 65536;
	for (size_t i = 0; i < look; i++) {
		tabs += s[i] == '\t';
		commas += s[i] == ',';
	}
	c->delim = tabs > commas ? '\t' : ',';
	/* CR alone ends lines (old Mac exports): read each CR as LF */
	size_t crs = 0, lfs = 0;
	for (size_t i = 0; i < look; i++) {
		crs += s[i] == '\r';
		lfs += s[i] == '\n';
	}
	if (crs > 0 && lfs == 0) {
		c->cr_only = true;
		for (size_t i = c->start; i < c->end; i++)
			if (c->buf[i] == '\r')
				c->buf[i] = '\n';
	}
}

/* A UTF-16 BOM at the start of the file switches to transcoding. */
static bd_err check_utf16(bd_csv *c)
{
	unsigned char bom[2];
	int r = gzread(c->gz, bom, 2);
	if (r == 2 && ((bom[0] == 0xFF && bom[1] == 0xFE) ||
		       (bom[0] == 0xFE && bom[1] == 0xFF))) {
		c->u16 = true;
		c->u16le = bom[0] == 0xFF;
		c->cd16 = iconv_open("UTF-8", c->u16le ? "UTF-16LE" : "UTF-16BE");
		if (c->cd16 == (iconv_t)-1) {
			c->u16 = false;
			return bd_fail(BD_ERR_ENCODING, "iconv 不支持 UTF-16 (%s)", c->path);
		}
		c->raw = malloc(RAW_CHUNK);
		if (!c->raw)
			return bd_fail(BD_ERR_NOMEM, "out of memory reading %s", c->path);
		return BD_OK;
	}
	if (gzrewind(c->gz) != 0)
		return bd_fail(BD_ERR_IO, "读取 %s 失败 (read error)", c->path);
	return BD_OK;
}

bd_err bd_csv_open(const char *path, const char *encoding, bd_csv **out)
{
	*out = NULL;
	bd_enc forced = BD_ENC_UTF8;
	bool autodetect = !encoding || !strcasecmp(encoding, "auto");
	if (!autodetect) {
		if (!strcasecmp(encoding, "gbk") || !strcasecmp(encoding, "gb2312"))
			forced = BD_ENC_GBK;
		else if (!strcasecmp(encoding, "gb18030"))
			forced = BD_ENC_GB18030;
		else if (!strcasecmp(encoding, "utf-8") || !strcasecmp(encoding, "utf8"))
			forced = BD_ENC_UTF8;
		else
			return bd_fail(BD_ERR_CONFIG, "未知编码 %s (unknown encoding)", encoding);
	}
	bd_err e = bd_input_check(path);
	if (e)
		return e;
	bd_csv *c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	c->gz = gzopen(path, "rb");
	if (!c->gz) {
		e = bd_fail(BD_ERR_IO, "无法打开 %s: %s", path, strerror(errno));
		bd_csv_close(c);
		return e;
	}
	gzbuffer(c->gz, 256 * 1024);
	c->next_row = 1;
	c->rec.max = BD_CSV_MAX_RECORD + 1;
	e = check_utf16(c);
	if (!e)
		e = fill(c, SNIFF_BYTES);
	if (e) {
		bd_csv_close(c);
		return e;
	}
	/* the file's own BOM beats the setting: UTF-16 arrives as UTF-8 */
	sniff(c, c->u16 ? BD_ENC_UTF8 : forced, autodetect && !c->u16);
	bd_csvparser_init(&c->parser, c->enc, c->delim);
	*out = c;
	return BD_OK;
}

void bd_csv_close(bd_csv *c)
{
	if (!c)
		return;
	if (c->gz)
		gzclose(c->gz);
	if (c->u16)
		iconv_close(c->cd16);
	free(c->raw);
	bd_csvparser_release(&c->parser);
	bd_buf_release(&c->rec);
	free(c->buf);
	free(c->path);
	free(c);
}

bd_enc bd_csv_encoding(const bd_csv *c) { return c->enc; }

const char *bd_csv_source_encoding(const bd_csv *c)
{
	if (c->u16)
		return c->u16le ? "utf-16le" : "utf-16be";
	return bd_enc_name(c->enc);
}

bool bd_csv_cr_only(const bd_csv *c) { return c->cr_only; }

/* Offset in p[0..n) (a record start) of a quote still open at the end,
 * or SIZE_MAX. */
static size_t open_quote(const char *p, size_t n, char delim)
{
	size_t q = SIZE_MAX;
	bool in_q = false, field_start = true;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (in_q) {
			if (ch == '"') {
				if (i + 1 < n && p[i + 1] == '"')
					i++;
				else
					in_q = false;
			}
			continue;
		}
		if (ch == '"' && field_start) {
			in_q = true;
			q = i;
		}
		field_start = ch == delim || ch == '\n';
	}
	return in_q ? q : SIZE_MAX;
}
char bd_csv_delimiter(const bd_csv *c) { return c->delim; }

/* Finds the end of whole records in the buffer: at least target bytes
 * (or to EOF). Returns the byte count from start and the record count. */
static bd_err cut(bd_csv *c, size_t target, size_t *len, uint32_t *nrec)
{
	bd_err e = fill(c, target + 1);
	if (e)
		return e;
	for (;;) {
		size_t avail = c->end - c->start;
		size_t stop = target < avail ? target : avail;
		uint32_t n = 0;
		size_t last = scan_records(c->buf + c->start, avail, c->delim,
					   stop ? stop : 1, &n);
		if (last >= stop && last > 0) {
			*len = last;
			*nrec = n;
			return BD_OK;
		}
		if (c->eof) {
			/* the rest is the final record(s), perhaps without a
			 * newline; one ending inside quotes is a cut file */
			if (open_quote(c->buf + c->start + last, avail - last,
				       c->delim) != SIZE_MAX)
				return bd_fail(BD_ERR_FORMAT,
					       "%s 第 %u 行: 引号没有闭合, 文件在引号内结束; "
					       "文件可能被截断, 请重新导出 (file ends inside "
					       "a quoted field that opens at row %u)", c->path,
					       c->next_row + n, c->next_row + n);
			*len = avail;
			*nrec = n + (avail > last ? 1 : 0);
			return BD_OK;
		}
		if (avail - last > BD_CSV_MAX_RECORD)
			return bd_fail(BD_ERR_FORMAT,
				       "%s 第 %u 行起: 一条记录超过 %zu 字节，可能是引号未闭合 "
				       "(unclosed quote?)", c->path, c->next_row + n, BD_CSV_MAX_RECORD);
		if ((e = fill(c, avail + READ_CHUNK)))
			return e;
	}
}

bd_err bd_csv_next(bd_csv *c, bd_row *row, bool *eof)
{
	*eof = false;
	size_t len = 0;
	uint32_t n = 0;
	bd_err e = cut(c, 1, &len, &n);
	if (e)
		return e;
	if (len == 0) {
		*eof = true;
		return BD_OK;
	}
	/* exactly one record: the first boundary */
	uint32_t one = 0;
	size_t first = scan_records(c->buf + c->start, len, c->delim, 1, &one);
	if (first == 0)
		first = len;
	if ((e = to_utf8(&c->parser, c->buf + c->start, first, c->path, c->next_row)))
		return e;
	c->start += first;
	bd_buf_reset(&c->rec);
	if ((e = bd_buf_add(&c->rec, c->parser.utf8.data, c->parser.utf8.len)))
		return e;
	uint32_t rowno = c->next_row++;
	char *s = c->rec.data;
	size_t sn = c->rec.len;
	/* strip the record's newline so parse_records sees one record */
	if (sn && s[sn - 1] == '\n')
		s[--sn] = '\0';
	if (sn && s[sn - 1] == '\r')
		s[--sn] = '\0';
	if (sn == 0) {
		c->row_cells[0].s = s;
		c->row_cells[0].n = 0;
		*row = (bd_row){ rowno, 1, c->row_cells };
		return BD_OK;
	}
	return parse_records(&c->parser, s, sn, rowno, c->path, capture_row, row);
}

bd_err bd_csv_next_block(bd_csv *c, size_t target, bd_csvblock *blk, bool *eof)
{
	memset(blk, 0, sizeof(*blk));
	*eof = false;
	size_t len = 0;
	uint32_t n = 0;
	bd_err e = cut(c, target ? target : 1, &len, &n);
	if (e)
		return e;
	if (len == 0) {
		*eof = true;
		return BD_OK;
	}
	blk->data = malloc(len + 1);
	if (!blk->data)
		return bd_fail(BD_ERR_NOMEM, "out of memory reading %s", c->path);
	memcpy(blk->data, c->buf + c->start, len);
	blk->data[len] = '\0';
	blk->len = len;
	blk->first_row = c->next_row;
	blk->nrec = n;
	c->start += len;
	c->next_row += n;
	return BD_OK;
}
