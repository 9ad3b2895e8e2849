/*
 * html.c - reader for "HTML table saved as .xls": libxml2's HTML push
 * parser with SAX callbacks, fed 16 KiB at a time, so memory stays bounded
 * however long the table. Every <tr> in document order is a row; <td> and
 * <th> are cells (colspan adds empty cells after, rowspan leaves empty
 * cells below, as Excel places them). Completed rows wait in a small queue
 * until bd_html_next() hands them out.
 *
 * Encoding: a charset the document declares (<meta charset>, http-equiv)
 * wins; otherwise the hint; "auto" is UTF-8 when the whole file is valid
 * UTF-8, else GB18030. UTF-8 and GB18030/GBK input is validated as it is
 * fed; invalid bytes are an error naming the line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "bd/rowbuild.h"
#include "sheet_int.h"

#define HTML_CHUNK 16384
#define HTML_HEAD 65536
#define HTML_MAX_QUEUE ((size_t)256 << 20)
#define HTML_MAX_SPAN 1000u
#define HTML_MAX_ROWSPAN 65534u

enum { ENC_OTHER = 0, ENC_UTF8, ENC_GB18030 };

struct bd_html {
	char *path;
	FILE *f;
	htmlParserCtxtPtr ctx;
	bd_err err;          /* raised in a callback or while feeding; sticky */
	bool eof_fed;        /* the terminating chunk has been parsed */
	int enc;             /* ENC_* to validate as fed */
	char enc_name[64];   /* encoding handed to libxml2 */
	unsigned char carry[4];
	size_t ncarry;
	unsigned long line;  /* 1-based line of the next byte fed */

	/* parse state */
	bool in_row, in_cell, space;
	int skip;            /* depth inside <script>/<style> */
	uint32_t rowno, col, colspan, rowspan;
	bd_buf cell;
	bd_rowbuf rb;
	uint32_t *span_left; /* rows a rowspan above still covers, per column */
	uint8_t *occ;        /* column covered by a rowspan in this row */
	uint32_t nspan;

	/* queue of completed rows: rowno, ncell, then (len, bytes, NUL)... */
	bd_buf q;
	size_t qpos;
	bd_cell *qcells;
	uint32_t qcap;
};

/* ---- encoding validation ------------------------------------------- */

/*
 * Checks s[0..n): returns the length of the prefix made of complete valid
 * characters. *bad is set when the byte at the returned position starts
 * an invalid sequence; otherwise the rest is an incomplete character.
 */
static size_t utf8_prefix(const unsigned char *s, size_t n, bool *bad)
{
	size_t i = 0;
	*bad = false;
	while (i < n) {
		unsigned char c = s[i];
		size_t need;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			*bad = true;
			return i;
		}
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= n)
				return i;
			unsigned char d = s[i + k];
			unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
			if (d < l || d > h) {
				*bad = true;
				return i;
			}
		}
		i += need + 1;
	}
	return i;
}

static size_t gb18030_prefix(const unsigned char *s, size_t n, bool *bad)
{
	size_t i = 0;
	*bad = false;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c == 0x80 || c == 0xFF) {
			*bad = true;
			return i;
		}
		if (i + 1 >= n)
			return i;
		unsigned char d = s[i + 1];
		if ((d >= 0x40 && d <= 0x7E) || (d >= 0x80 && d <= 0xFE)) {
			i += 2;
			continue;
		}
		if (d < 0x30 || d > 0x39) {
			*bad = true;
			return i;
		}
		if (i + 2 >= n)
			return i;
		if (s[i + 2] < 0x81 || s[i + 2] > 0xFE) {
			*bad = true;
			return i;
		}
		if (i + 3 >= n)
			return i;
		if (s[i + 3] < 0x30 || s[i + 3] > 0x39) {
			*bad = true;
			return i;
		}
		i += 4;
	}
	return i;
}

static size_t enc_prefix(int enc, const unsigned char *s, size_t n, bool *bad)
{
	if (enc == ENC_UTF8)
		return utf8_prefix(s, n, bad);
	if (enc == ENC_GB18030)
		return gb18030_prefix(s, n, bad);
	*bad = false;
	return n;
}

static unsigned long count_lines(const unsigned char *s, size_t n)
{
	unsigned long k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* True when the whole file from the start is valid UTF-8. */
static bd_err file_is_utf8(bd_html *h, bool *yes)
{
	unsigned char buf[HTML_CHUNK + 4];
	size_t carry = 0;
	bool bad = false;
	*yes = true;
	rewind(h->f);
	for (;;) {
		size_t got = fread(buf + carry, 1, HTML_CHUNK, h->f);
		if (got == 0) {
			if (ferror(h->f))
				return bd_fail(BD_ERR_IO, "读取文件 %s 失败 (read "
					       "error)", h->path);
			*yes = carry == 0;
			break;
		}
		size_t n = carry + got;
		size_t ok = utf8_prefix(buf, n, &bad);
		if (bad) {
			*yes = false;
			break;
		}
		carry = n - ok;
		memmove(buf, buf + ok, carry);
	}
	rewind(h->f);
	return BD_OK;
}

/* Encoding name -> what to hand libxml2 and how to validate. */
static void pick_encoding(bd_html *h, const char *name)
{
	static const char *const gb[] = {"gbk", "gb2312", "gb18030", "cp936",
					 "x-gbk", "euc-cn", "ms936",
					 "windows-936", "csgb2312", "gb_2312-80",
					 "x-euc-cn"};
	if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0) {
		h->enc = ENC_UTF8;
		snprintf(h->enc_name, sizeof(h->enc_name), "UTF-8");
		return;
	}
	for (size_t i = 0; i < BD_ARRAY_LEN(gb); i++) {
		if (strcasecmp(name, gb[i]) == 0) {
			h->enc = ENC_GB18030;
			snprintf(h->enc_name, sizeof(h->enc_name), "GB18030");
			return;
		}
	}
	h->enc = ENC_OTHER;
	snprintf(h->enc_name, sizeof(h->enc_name), "%s", name);
}

/* True when libxml2 can decode the encoding called name. */
static bool enc_known(const char *name)
{
	xmlCharEncodingHandlerPtr hd = xmlFindCharEncodingHandler(name);
	if (!hd)
		return false;
	xmlCharEncCloseFunc(hd);
	return true;
}

/* Finds charset=NAME in the first bytes of the document. */
static bool declared_charset(const unsigned char *s, size_t n, char *out,
			     size_t outsz)
{
	static const char key[] = "charset";
	size_t kl = sizeof(key) - 1;
	size_t tag_end = 0;   /* charset counts only inside a <meta> tag */
	for (size_t i = 0; i + kl < n; i++) {
		if (i + 5 < n && s[i] == '<' &&
		    strncasecmp((const char *)s + i + 1, "meta", 4) == 0) {
			const unsigned char *gt = memchr(s + i, '>', n - i);
			tag_end = gt ? (size_t)(gt - s) : n;
		}
		if (i >= tag_end)
			continue;
		if (strncasecmp((const char *)s + i, key, kl) != 0)
			continue;
		size_t j = i + kl;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || s[j] != '=')
			continue;
		j++;
		while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '"' ||
				 s[j] == '\''))
			j++;
		size_t o = 0;
		while (j < n && o + 1 < outsz &&
		       ((s[j] >= 'a' && s[j] <= 'z') ||
			(s[j] >= 'A' && s[j] <= 'Z') ||
			(s[j] >= '0' && s[j] <= '9') || s[j] == '-' ||
			s[j] == '_' || s[j] == '.' || s[j] == ':'))
			out[o++] = (char)s[j++];
		out[o] = '\0';
		if (o)
			return true;
	}
	return false;
}

/* ---- SAX callbacks --------------------------------------------------- */

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void cb_fail(bd_html *h, bd_err e)
{
	if (!h->err) {
		if (!strstr(bd_last_error(), h->path))
			bd_fail_ctx(e, "HTML 文件 %s 第 %u 行 (file, row)", h->path,
				    h->rowno);
		h->err = e;
	}
	xmlStopParser(h->ctx);
}

static bool name_is(const xmlChar *name, const char *s)
{
	return strcasecmp((const char *)name, s) == 0;
}

static const char *get_attr(const xmlChar **atts, const char *name)
{
	if (!atts)
		return NULL;
	for (size_t i = 0; atts[i]; i += 2)
		if (name_is(atts[i], name))
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static uint32_t span_value(const char *s, uint32_t max)
{
	if (!s)
		return 1;
	while (*s == ' ')
		s++;
	unsigned long v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return max;
	}
	return v == 0 ? 1 : (uint32_t)v;
}

/* Grows span_left/occ to cover column col. */
static bd_err span_reserve(bd_html *h, uint32_t cols)
{
	if (cols <= h->nspan)
		return BD_OK;
	if (cols > BD_SHEET_MAX_COLS)
		return bd_fail(BD_ERR_LIMIT, "HTML 文件 %s 第 %u 行列数过多 (too "
			       "many columns)", h->path, h->rowno);
	uint32_t *s = realloc(h->span_left, cols * sizeof(*s));
	if (!s)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	h->span_left = s;
	uint8_t *o = realloc(h->occ, cols);
	if (!o)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	h->occ = o;
	memset(h->span_left + h->nspan, 0, (cols - h->nspan) * sizeof(*s));
	memset(h->occ + h->nspan, 0, cols - h->nspan);
	h->nspan = cols;
	return BD_OK;
}

static void row_begin(bd_html *h)
{
	h->in_row = true;
	h->rowno = h->rowno == UINT32_MAX ? h->rowno : h->rowno + 1;
	h->col = 0;
	bd_rowbuf_reset(&h->rb);
	for (uint32_t k = 0; k < h->nspan; k++) {
		h->occ[k] = h->span_left[k] > 0;
		if (h->occ[k])
			h->span_left[k]--;
	}
}

static bd_err q_add32(bd_buf *q, uint32_t v)
{
	return bd_buf_add(q, &v, sizeof(v));
}

static bd_err row_end(bd_html *h)
{
	bd_row r;
	size_t start = h->q.len;
	h->in_row = false;
	bd_err e = bd_rowbuf_finish(&h->rb, h->rowno, &r);
	if (!e)
		e = q_add32(&h->q, r.rowno);
	if (!e)
		e = q_add32(&h->q, r.ncell);
	for (uint32_t i = 0; i < r.ncell && !e; i++) {
		e = q_add32(&h->q, r.cells[i].n);
		if (!e)
			e = bd_buf_add(&h->q, r.cells[i].s, r.cells[i].n + 1);
	}
	if (e && h->q.data) {
		/* never leave half a row in the queue */
		h->q.len = start;
		h->q.data[start] = '\0';
	}
	return e;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

static bd_err cell_end(bd_html *h)
{
	h->in_cell = false;
	/* trim spaces and newlines at both ends */
	const char *s = h->cell.data ? h->cell.data : "";
	size_t a = 0, b = h->cell.len;
	while (a < b && is_space((unsigned char)s[a]))
		a++;
	while (b > a && is_space((unsigned char)s[b - 1]))
		b--;
	/* columns still covered by a rowspan from above stay empty */
	while (h->col < h->nspan && h->occ[h->col])
		h->col++;
	bd_err e = bd_rowbuf_set(&h->rb, h->col, s + a, b - a);
	if (e)
		return e;
	if (h->rowspan > 1) {
		e = span_reserve(h, h->col + h->colspan);
		if (e)
			return e;
		for (uint32_t k = h->col; k < h->col + h->colspan; k++)
			h->span_left[k] = h->rowspan - 1;
	}
	h->col += h->colspan;
	if (h->col > BD_SHEET_MAX_COLS)
		return bd_fail(BD_ERR_LIMIT, "HTML 文件 %s 第 %u 行列数过多 (too "
			       "many columns)", h->path, h->rowno);
	return BD_OK;
}

static void sax_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	bd_html *h = ud;
	bd_err e = BD_OK;
	if (h->err)
		return;
	if (name_is(name, "script") || name_is(name, "style")) {
		h->skip++;
	} else if (name_is(name, "table")) {
		/* rowspans do not reach into another table */
		if (h->nspan)
			memset(h->span_left, 0,
			       h->nspan * sizeof(*h->span_left));
	} else if (name_is(name, "tr")) {
		if (h->in_cell)
			e = cell_end(h);
		if (!e && h->in_row)
			e = row_end(h);
		if (!e)
			row_begin(h);
	} else if (name_is(name, "td") || name_is(name, "th")) {
		if (h->in_cell)
			e = cell_end(h);
		if (!e && !h->in_row)
			row_begin(h);
		h->in_cell = true;
		h->space = false;
		h->colspan = span_value(get_attr(atts, "colspan"), HTML_MAX_SPAN);
		h->rowspan = span_value(get_attr(atts, "rowspan"),
					HTML_MAX_ROWSPAN);
		bd_buf_reset(&h->cell);
	} else if (name_is(name, "br")) {
		if (h->in_cell) {
			h->space = false;
			e = bd_buf_addch(&h->cell, '\n');
		}
	}
	if (e)
		cb_fail(h, e);
}

static void sax_end(void *ud, const xmlChar *name)
{
	bd_html *h = ud;
	bd_err e = BD_OK;
	if (h->err)
		return;
	if (name_is(name, "script") || name_is(name, "style")) {
		if (h->skip > 0)
			h->skip--;
	} else if (name_is(name, "td") || name_is(name, "th")) {
		if (h->in_cell)
			e = cell_end(h);
	} else if (name_is(name, "tr") || name_is(name, "table")) {
		if (h->in_cell)
			e = cell_end(h);
		if (!e && h->in_row)
			e = row_end(h);
	}
	if (e)
		cb_fail(h, e);
}

static void sax_chars(void *ud, const xmlChar *s, int len)
{
	bd_html *h = ud;
	bd_err e = BD_OK;
	if (h->err || !h->in_cell || h->skip > 0)
		return;
	for (int i = 0; i < len && !e; i++) {
		unsigned char c = s[i];
		bool sp = is_space(c);
		/* U+00A0 (&nbsp;) counts as white space */
		if (c == 0xC2 && i + 1 < len && s[i + 1] == 0xA0) {
			sp = true;
			i++;
		}
		if (sp) {
			h->space = true;
			continue;
		}
		if (h->space && h->cell.len > 0 &&
		    h->cell.data[h->cell.len - 1] != '\n')
			e = bd_buf_addch(&h->cell, ' ');
		h->space = false;
		if (!e)
			e = bd_buf_addch(&h->cell, (char)c);
	}
	if (e)
		cb_fail(h, bd_fail(BD_ERR_LIMIT, "HTML 文件 %s 第 %u 行单元格过长 "
				   "(cell text too long)", h->path, h->rowno));
}

/* ---- feeding --------------------------------------------------------- */

/* Validates and feeds n more bytes (after any carried partial char). */
static bd_err feed(bd_html *h, const unsigned char *data, size_t n,
		   bool last)
{
	unsigned char buf[HTML_CHUNK + 8];
	size_t off = 0;
	do {
		size_t take = n - off;
		if (take > HTML_CHUNK)
			take = HTML_CHUNK;
		memcpy(buf, h->carry, h->ncarry);
		if (take)
			memcpy(buf + h->ncarry, data + off, take);
		off += take;
		size_t tot = h->ncarry + take;
		bool bad;
		size_t ok = enc_prefix(h->enc, buf, tot, &bad);
		bool fin = last && off == n;
		if (bad || (fin && ok < tot)) {
			/* rows before the bad bytes are still delivered */
			if (ok > 0)
				htmlParseChunk(h->ctx, (const char *)buf, (int)ok, 0);
			if (h->err)
				return h->err;
			unsigned long ln = h->line + count_lines(buf, ok);
			return bd_fail(BD_ERR_ENCODING,
				       "HTML 文件 %s 第 %lu 行不是有效的 %s 编码 "
				       "(invalid %s bytes at line %lu)", h->path,
				       ln, h->enc_name, h->enc_name, ln);
		}
		h->line += count_lines(buf, ok);
		h->ncarry = tot - ok;
		memcpy(h->carry, buf + ok, h->ncarry);
		if (ok > 0 || fin) {
			htmlParseChunk(h->ctx, (const char *)buf, (int)ok,
				       fin ? 1 : 0);
			if (h->err)
				return h->err;
		}
	} while (off < n);
	return BD_OK;
}

/* Parses the next piece of the file; sets eof_fed at the end. */
static bd_err feed_more(bd_html *h)
{
	unsigned char buf[HTML_CHUNK];
	size_t got = fread(buf, 1, sizeof(buf), h->f);
	if (got == 0 && ferror(h->f))
		return bd_fail(BD_ERR_IO, "读取文件 %s 失败 (read error)", h->path);
	bool last = got < sizeof(buf) && feof(h->f);
	bd_err e = feed(h, buf, got, last);
	if (e)
		return e;
	if (last) {
		h->eof_fed = true;
		if (h->in_cell)
			e = cell_end(h);
		if (!e && h->in_row)
			e = row_end(h);
	}
	return e;
}

bd_err bd_html_open(const char *path, const char *encoding, bd_html **out)
{
	*out = NULL;
	bd_html *h = calloc(1, sizeof(*h));
	if (!h)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	bd_rowbuf_init(&h->rb);
	h->cell.max = BD_SHEET_MAX_CELL;
	h->q.max = HTML_MAX_QUEUE;
	h->line = 1;
	bd_err e = BD_OK;
	h->path = strdup(path);
	if (!h->path) {
		e = bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
		goto fail;
	}
	h->f = fopen(path, "rb");
	if (!h->f) {
		e = bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open file)",
			    path, strerror(errno));
		goto fail;
	}

	/* Decide the encoding from a BOM, a declaration, the hint, or the
	 * bytes themselves. */
	unsigned char *head = malloc(HTML_HEAD);
	if (!head) {
		e = bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
		goto fail;
	}
	size_t hn = fread(head, 1, HTML_HEAD, h->f);
	char decl[48];
	bool bom8 = hn >= 3 && head[0] == 0xEF && head[1] == 0xBB &&
		    head[2] == 0xBF;
	bool bom16 = hn >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) ||
				 (head[0] == 0xFE && head[1] == 0xFF));
	/* a declared charset libxml2 does not know is ignored */
	bool have_decl = !bom8 && !bom16 &&
			 declared_charset(head, hn, decl, sizeof(decl)) &&
			 enc_known(decl);
	bool le16 = bom16 && head[0] == 0xFF;
	free(head);
	if (bom16) {
		/* named explicitly (libxml2's push parser does not sniff the
		 * BOM) and the BOM skipped below */
		h->enc = ENC_OTHER;
		snprintf(h->enc_name, sizeof(h->enc_name), "%s",
			 le16 ? "UTF-16LE" : "UTF-16BE");
	} else if (bom8) {
		pick_encoding(h, "utf-8");
	} else if (have_decl) {
		pick_encoding(h, decl);
	} else if (encoding && *encoding && strcasecmp(encoding, "auto") != 0) {
		pick_encoding(h, encoding);
	} else {
		bool utf8;
		e = file_is_utf8(h, &utf8);
		if (e)
			goto fail;
		pick_encoding(h, utf8 ? "utf-8" : "gb18030");
	}
	rewind(h->f);
	if (bom16 && fseek(h->f, 2, SEEK_SET) != 0) {
		e = bd_fail(BD_ERR_IO, "读取 %s 失败: %s (read error)", path,
			    strerror(errno));
		goto fail;
	}

	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	htmlSAXHandler sax;
	memset(&sax, 0, sizeof(sax));
	sax.startElement = sax_start;
	sax.endElement = sax_end;
	sax.characters = sax_chars;
	sax.cdataBlock = NULL;
	sax.warning = quiet;
	sax.error = quiet;
	sax.fatalError = quiet;
	h->ctx = htmlCreatePushParserCtxt(&sax, h, NULL, 0, path,
					  XML_CHAR_ENCODING_NONE);
	if (!h->ctx) {
		e = bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
		goto fail;
	}
	htmlCtxtUseOptions(h->ctx, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				   HTML_PARSE_RECOVER | HTML_PARSE_NONET);
	if (h->enc_name[0]) {
		xmlCharEncodingHandlerPtr hd =
			xmlFindCharEncodingHandler(h->enc_name);
		if (!hd) {
			e = bd_fail(BD_ERR_ENCODING,
				    "HTML 文件 %s 的编码 %s 不受支持 (unsupported "
				    "encoding)", path, h->enc_name);
			goto fail;
		}
		if (xmlSwitchToEncoding(h->ctx, hd) != 0) {
			e = bd_fail(BD_ERR_ENCODING,
				    "HTML 文件 %s 无法切换到编码 %s (cannot use "
				    "encoding)", path, h->enc_name);
			goto fail;
		}
	}
	*out = h;
	return BD_OK;
fail:
	bd_html_close(h);
	return e;
}

bd_err bd_html_next(bd_html *h, bd_row *row, bool *eof)
{
	*eof = false;
	/* Rows completed before an error are delivered first. */
	while (h->qpos >= h->q.len) {
		if (h->err)
			return h->err;
		bd_buf_reset(&h->q);
		h->qpos = 0;
		if (h->eof_fed) {
			*eof = true;
			return BD_OK;
		}
		bd_err e = feed_more(h);
		if (e)
			h->err = e;
	}
	uint32_t rowno, nc;
	memcpy(&rowno, h->q.data + h->qpos, 4);
	memcpy(&nc, h->q.data + h->qpos + 4, 4);
	h->qpos += 8;
	if (nc > h->qcap) {
		uint32_t cap = h->qcap ? h->qcap : 32;
		while (cap < nc)
			cap *= 2;
		bd_cell *c = realloc(h->qcells, cap * sizeof(*c));
		if (!c)
			return h->err = bd_fail(BD_ERR_NOMEM,
						"内存不足 (out of memory)");
		h->qcells = c;
		h->qcap = cap;
	}
	for (uint32_t i = 0; i < nc; i++) {
		uint32_t n;
		memcpy(&n, h->q.data + h->qpos, 4);
		h->qpos += 4;
		h->qcells[i].s = h->q.data + h->qpos;
		h->qcells[i].n = n;
		h->qpos += (size_t)n + 1;
	}
	row->rowno = rowno;
	row->ncell = nc;
	row->cells = h->qcells;
	return BD_OK;
}

void bd_html_close(bd_html *h)
{
	if (!h)
		return;
	if (h->ctx) {
		if (h->ctx->myDoc)
			xmlFreeDoc(h->ctx->myDoc);
		htmlFreeParserCtxt(h->ctx);
	}
	if (h->f)
		fclose(h->f);
	bd_buf_release(&h->cell);
	bd_rowbuf_free(&h->rb);
	bd_buf_release(&h->q);
	free(h->span_left);
	free(h->occ);
	free(h->qcells);
	free(h->path);
	free(h);
}
