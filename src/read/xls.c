/*
 * xls.c - legacy BIFF5/BIFF8 .xls reader. libgsf opens the OLE2 compound
 * file and hands over the Workbook stream ("Book" for BIFF5); the BIFF
 * records are read here: the workbook globals (code page, 1904 date
 * system, number formats, XF styles, sheet list, shared strings), then
 * every cell record of the selected worksheet, the cached result of each
 * FORMULA included (a number, the following STRING record's text, a
 * boolean or an error), each rendered as Excel shows it.
 *
 * Cells are collected at open (numbers kept as doubles, texts in one
 * arena) and delivered row by row: every row from the first to the last
 * one holding a value, blank ones with no cells.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-utils.h>

#include "bd/numfmt.h"
#include "bd/rowbuild.h"
#include "sheet_int.h"

/* BIFF record types used here. */
enum {
	R_FORMULA = 0x0006, R_EOF = 0x000A, R_DATEMODE = 0x0022,
	R_FILEPASS = 0x002F, R_CONTINUE = 0x003C, R_CODEPAGE = 0x0042,
	R_BOUNDSHEET = 0x0085, R_MULRK = 0x00BD, R_RSTRING = 0x00D6,
	R_XF = 0x00E0, R_SST = 0x00FC, R_LABELSST = 0x00FD,
	R_NUMBER = 0x0203, R_LABEL = 0x0204, R_BOOLERR = 0x0205,
	R_STRING = 0x0207, R_ARRAY = 0x0221, R_TABLE = 0x0236,
	R_RK = 0x027E, R_FORMAT = 0x041E, R_SHRFMLA = 0x04BC,
	R_BOF = 0x0809
};

/* The largest Workbook stream read (Excel 2003 files stay far below). */
#define XLS_MAX_STREAM ((size_t)1 << 30)

enum { K_NUM, K_TEXT, K_SST, K_BAD };

typedef struct xcell {
	uint32_t row;
	uint32_t seq;      /* record order: a later record for a cell wins */
	uint16_t col;
	uint8_t kind;      /* K_NUM, K_TEXT, K_SST */
	uint8_t fmt;       /* K_NUM: bd_numfmt of its style */
	union {
		double d;                           /* K_NUM */
		struct { uint32_t off, len; } t;    /* K_TEXT: in text */
		uint32_t sst;                       /* K_SST */
	} v;
} xcell;

typedef struct xsheet {
	char *name;        /* UTF-8 */
	uint32_t pos;      /* stream offset of the sheet's BOF */
} xsheet;

struct bd_xls {
	char *path;
	unsigned char *wb;  /* the Workbook stream */
	size_t wblen;
	int biff;           /* 5 (BIFF5/7) or 8 */
	bool date1904;
	int bare;           /* 2-5: a BIFF stream without OLE2 container */
	unsigned codepage;  /* for BIFF5 byte strings */
	iconv_t cd;
	bool cd_open;
	bd_buf text;        /* arena: shared strings and cell texts, NUL-ended */
	uint32_t *sst_off, *sst_len, nsst;
	uint16_t *cfmt_id;  /* custom number formats */
	uint8_t *cfmt_kind; /* bd_numfmt of each */
	uint32_t ncfmt;
	uint16_t *xf_fmt;   /* number format of each XF */
	uint32_t nxf;
	xsheet *sheets;     /* worksheets only */
	uint32_t nsheet;
	uint32_t sheet;     /* the one being read */
	xcell *cells;
	size_t ncell, capcell;
	size_t cur;         /* next cell to deliver */
	uint32_t nrows;     /* last row holding a value + 1 */
	uint32_t next;      /* next row to deliver, 0-based */
	uint32_t nbad;      /* formula results that could not be read */
	uint32_t bad_row, bad_col;
	char *warning;
	bd_err err;         /* sticky error of bd_xls_next */
	bd_rowbuf rb;
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static double le_double(const unsigned char *p)
{
	uint64_t bits = (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
	double d;
	memcpy(&d, &bits, sizeof(d));
	return d;
}

static bd_err nomem(void)
{
	return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
}

static bd_err damaged(const bd_xls *x, const char *what)
{
	return bd_fail(BD_ERR_FORMAT,
		       "XLS 文件 %s 已损坏 (%s), 请用 Excel 或 WPS 打开后另存为 "
		       ".xlsx 再试 (damaged .xls)", x->path, what);
}

/* ---- records ---------------------------------------------------------- */

typedef struct rec {
	uint16_t type;
	uint16_t len;
	const unsigned char *p;  /* payload */
	size_t end;              /* stream offset just after the record */
} rec;

/* The record at pos; false at the end of the stream or when it is cut. */
static bool rec_at(const bd_xls *x, size_t pos, rec *r)
{
	if (pos + 4 > x->wblen)
		return false;
	r->type = le16(x->wb + pos);
	r->len = le16(x->wb + pos + 2);
	if (r->len > x->wblen - pos - 4)
		return false;
	r->p = x->wb + pos + 4;
	r->end = pos + 4 + r->len;
	return true;
}

/*
 * A reader over a record and the CONTINUE records after it (shared
 * strings, long STRING results). At each CONTINUE boundary inside the
 * characters of a string a new option byte says how they are stored.
 */
typedef struct cur {
	const bd_xls *x;
	const unsigned char *p;
	size_t n, i;     /* segment length and position */
	size_t next;     /* stream offset of the record after the segment */
	bool bad;        /* read past the end */
} cur;

static void cur_init(cur *c, const bd_xls *x, const rec *r)
{
	c->x = x;
	c->p = r->p;
	c->n = r->len;
	c->i = 0;
	c->next = r->end;
	c->bad = false;
}

/* Moves to the next CONTINUE record; false (and bad) when there is none. */
static bool cur_more(cur *c)
{
	rec r;
	if (c->bad || !rec_at(c->x, c->next, &r) || r.type != R_CONTINUE) {
		c->bad = true;
		return false;
	}
	c->p = r.p;
	c->n = r.len;
	c->i = 0;
	c->next = r.end;
	return true;
}

static unsigned cur_u8(cur *c)
{
	while (c->i >= c->n)
		if (!cur_more(c))
			return 0;
	return c->p[c->i++];
}

static unsigned cur_u16(cur *c)
{
	unsigned lo = cur_u8(c);
	return lo | cur_u8(c) << 8;
}

static uint32_t cur_u32(cur *c)
{
	uint32_t lo = cur_u16(c);
	return lo | (uint32_t)cur_u16(c) << 16;
}

static void cur_skip(cur *c, size_t n)
{
	while (n > 0 && !c->bad) {
		if (c->i >= c->n && !cur_more(c))
			return;
		size_t k = c->n - c->i < n ? c->n - c->i : n;
		c->i += k;
		n -= k;
	}
}

/* Appends cch UTF-16 (high) or Latin-1 characters to b as UTF-8. */
static bd_err cur_chars(cur *c, size_t cch, bool high, bd_buf *b)
{
	uint32_t hi_sur = 0;
	for (size_t k = 0; k < cch && !c->bad; k++) {
		if (c->i >= c->n) {
			/* a new record: its option byte (empty ones skipped) */
			do {
				if (!cur_more(c))
					goto out;
			} while (c->n == 0);
			high = (c->p[c->i++] & 1) != 0;
			if (c->i >= c->n) {
				k--; /* only the option byte: the character follows */
				continue;
			}
		}
		uint32_t u = high ? cur_u16(c) : cur_u8(c);
		bd_err e = BD_OK;
		if (hi_sur && u >= 0xDC00 && u <= 0xDFFF) {
			e = bd_utf8_put(b, 0x10000 + ((hi_sur - 0xD800) << 10) +
					       (u - 0xDC00));
			hi_sur = 0;
		} else {
			if (hi_sur)
				e = bd_utf8_put(b, 0xFFFD);
			hi_sur = 0;
			if (u >= 0xD800 && u <= 0xDBFF)
				hi_sur = u;
			else if (!e && u != 0)
				e = bd_utf8_put(b, u);
		}
		if (e)
			return e;
	}
out:
	if (hi_sur)
		return bd_utf8_put(b, 0xFFFD);
	return BD_OK;
}

/* ---- strings ---------------------------------------------------------- */

static const char *codepage_name(unsigned cp, char *tmp, size_t n)
{
	switch (cp) {
	case 936: return "GBK";
	case 950: return "BIG5";
	case 932: return "SHIFT_JIS";
	case 949: return "CP949";
	case 1200: case 1201: return "WINDOWS-1252"; /* byte strings: Latin */
	case 10000: case 32768: return "MACINTOSH";
	case 10007: return "MAC-CYRILLIC";
	case 10029: return "MAC-CENTRALEUROPE";
	case 0: case 367: case 32769: return "WINDOWS-1252";
	default: break;
	}
	snprintf(tmp, n, "CP%u", cp);
	return tmp;
}

/* Appends n bytes in the workbook's code page to b as UTF-8 (BIFF5). */
static bd_err add_bytes(bd_xls *x, const unsigned char *s, size_t n, bd_buf *b)
{
	bool ascii = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = s[i] < 0x80;
	if (ascii)
		return bd_buf_add(b, s, n);
	if (!x->cd_open) {
		char tmp[24];
		x->cd = iconv_open("UTF-8", codepage_name(x->codepage, tmp, sizeof(tmp)));
		if (x->cd == (iconv_t)-1)
			x->cd = iconv_open("UTF-8", "WINDOWS-1252");
		if (x->cd == (iconv_t)-1)
			return bd_fail(BD_ERR_ENCODING, "XLS 文件 %s 的代码页 %u "
				       "无法转换 (unsupported code page)", x->path,
				       x->codepage);
		x->cd_open = true;
	}
	iconv(x->cd, NULL, NULL, NULL, NULL);
	char *in = (char *)(uintptr_t)s;
	size_t inleft = n;
	while (inleft > 0) {
		char out[256];
		char *o = out;
		size_t oleft = sizeof(out);
		size_t rc = iconv(x->cd, &in, &inleft, &o, &oleft);
		bd_err e = bd_buf_add(b, out, (size_t)(o - out));
		if (e)
			return e;
		if (rc == (size_t)-1 && errno != E2BIG) {
			/* an invalid or cut character: U+FFFD, go on */
			if ((e = bd_utf8_put(b, 0xFFFD)))
				return e;
			in++;
			inleft--;
		}
	}
	return BD_OK;
}

/*
 * Reads a string at p[0..n): BIFF8 "unicode string" with a cch of lenw
 * bytes (1 or 2) and an option byte; BIFF5 cch and code-page bytes.
 * Appends it to b; *used gets the bytes consumed.
 */
static bd_err read_str(bd_xls *x, const unsigned char *p, size_t n, int lenw,
		       bd_buf *b, size_t *used)
{
	if (n < (size_t)lenw)
		return damaged(x, "string");
	size_t cch = lenw == 1 ? p[0] : le16(p);
	size_t at = (size_t)lenw;
	if (x->biff < 8) {
		if (cch > n - at)
			cch = n - at;
		*used = at + cch;
		return add_bytes(x, p + at, cch, b);
	}
	if (at >= n) {
		*used = n;
		return cch ? damaged(x, "string") : BD_OK;
	}
	unsigned flags = p[at++];
	size_t rich = 0, ext = 0;
	if (flags & 8) {
		if (n - at < 2)
			return damaged(x, "string");
		rich = le16(p + at);
		at += 2;
	}
	if (flags & 4) {
		if (n - at < 4)
			return damaged(x, "string");
		ext = le32(p + at);
		at += 4;
	}
	size_t w = (flags & 1) ? 2 : 1;
	if (cch > (n - at) / w)
		cch = (n - at) / w;
	rec r = {0, (uint16_t)(cch * w), p + at, 0};
	cur c;
	cur_init(&c, x, &r);
	c.next = x->wblen; /* no CONTINUE within a single record */
	bd_err e = cur_chars(&c, cch, w == 2, b);
	at += cch * w + 4 * rich;
	*used = at + ext < n ? at + ext : n;
	return e;
}

/* ---- workbook globals ------------------------------------------------- */

static bd_err read_sst(bd_xls *x, const rec *r)
{
	cur c;
	cur_init(&c, x, r);
	(void)cur_u32(&c);
	uint32_t unique = cur_u32(&c);
	if (c.bad)
		return damaged(x, "SST");
	/* every string takes at least 3 bytes */
	if (unique > x->wblen / 3)
		unique = (uint32_t)(x->wblen / 3);
	free(x->sst_off);
	free(x->sst_len);
	x->nsst = 0;
	x->sst_off = malloc((unique ? unique : 1) * sizeof(uint32_t));
	x->sst_len = malloc((unique ? unique : 1) * sizeof(uint32_t));
	if (!x->sst_off || !x->sst_len)
		return nomem();
	for (uint32_t k = 0; k < unique; k++) {
		size_t cch = cur_u16(&c);
		unsigned flags = cur_u8(&c);
		size_t rich = (flags & 8) ? cur_u16(&c) : 0;
		size_t ext = (flags & 4) ? cur_u32(&c) : 0;
		if (c.bad)
			break;
		size_t off = x->text.len;
		bd_err e = cur_chars(&c, cch, flags & 1, &x->text);
		if (!e)
			e = bd_buf_addch(&x->text, '\0');
		if (e)
			return e;
		cur_skip(&c, 4 * rich);
		cur_skip(&c, ext);
		if (off > UINT32_MAX - 1 || x->text.len > UINT32_MAX)
			return bd_fail(BD_ERR_LIMIT, "XLS 文件 %s 共享字符串过多 "
				       "(too many shared strings)", x->path);
		x->sst_off[k] = (uint32_t)off;
		x->sst_len[k] = (uint32_t)(x->text.len - 1 - off);
		x->nsst = k + 1;
		if (c.bad)
			break;
	}
	return BD_OK;
}

/* A number format: code at s[0..n) with a cch of lenw bytes. */
static bd_err add_format(bd_xls *x, uint16_t ifmt, const unsigned char *s, size_t n,
			 int lenw)
{
	if (n < (size_t)lenw)
		return BD_OK;
	bd_buf code = BD_BUF_INIT(1 << 16);
	size_t used;
	bd_err e = read_str(x, s, n, lenw, &code, &used);
	if (e) {
		bd_buf_release(&code);
		return e;
	}
	uint16_t *id = realloc(x->cfmt_id, (x->ncfmt + 1) * sizeof(*id));
	if (id)
		x->cfmt_id = id;
	uint8_t *d = realloc(x->cfmt_kind, x->ncfmt + 1);
	if (d)
		x->cfmt_kind = d;
	if (!id || !d) {
		bd_buf_release(&code);
		return nomem();
	}
	x->cfmt_id[x->ncfmt] = ifmt;
	x->cfmt_kind[x->ncfmt] = (uint8_t)bd_numfmt_of(code.data ? code.data : "");
	x->ncfmt++;
	bd_buf_release(&code);
	return BD_OK;
}

static bd_err read_format(bd_xls *x, const rec *r)
{
	if (r->len < 3)
		return BD_OK;
	return add_format(x, le16(r->p), r->p + 2, r->len - 2u, x->biff < 8 ? 1 : 2);
}

/* An XF style whose number format is ifmt. */
static bd_err add_xf(bd_xls *x, uint16_t ifmt)
{
	uint16_t *f = realloc(x->xf_fmt, (x->nxf + 1) * sizeof(*f));
	if (!f)
		return nomem();
	x->xf_fmt = f;
	f[x->nxf++] = ifmt;
	return BD_OK;
}

static bd_err password_error(const bd_xls *x)
{
	return bd_fail(BD_ERR_FORMAT,
		       "XLS 文件 %s 有密码保护或已加密, 无法读取; 请在 Excel 或 WPS 中"
		       "输入密码打开, 取消密码后另存为 .xlsx 再试 (password-protected "
		       ".xls)", x->path);
}

static bd_err read_boundsheet(bd_xls *x, const rec *r)
{
	if (r->len < 7)
		return damaged(x, "BOUNDSHEET");
	if (r->p[5] != 0)  /* charts, macro and VBA sheets have no cells */
		return BD_OK;
	bd_buf name = BD_BUF_INIT(1 << 12);
	size_t used;
	bd_err e = read_str(x, r->p + 6, r->len - 6u, 1, &name, &used);
	if (!e && !name.data)
		e = bd_buf_addstr(&name, "");
	xsheet *s = e ? NULL : realloc(x->sheets, (x->nsheet + 1) * sizeof(*s));
	if (!s) {
		bd_buf_release(&name);
		return e ? e : nomem();
	}
	x->sheets = s;
	s[x->nsheet].pos = le32(r->p);
	s[x->nsheet].name = bd_buf_detach(&name, NULL);
	x->nsheet++;
	return BD_OK;
}

static bd_err read_globals(bd_xls *x)
{
	rec r;
	if (!rec_at(x, 0, &r) || r.type != R_BOF || r.len < 4)
		return damaged(x, "no BOF");
	uint16_t vers = le16(r.p), dt = le16(r.p + 2);
	x->biff = vers == 0x0500 ? 5 : 8;
	if (dt == 0x0010) {
		/* a worksheet stream without globals (some BIFF5 writers) */
		xsheet *s = calloc(1, sizeof(*s));
		if (!s || !(s->name = strdup(""))) {
			free(s);
			return nomem();
		}
		x->sheets = s;
		x->nsheet = 1;
		return BD_OK;
	}
	size_t pos = r.end;
	while (rec_at(x, pos, &r)) {
		pos = r.end;
		bd_err e = BD_OK;
		switch (r.type) {
		case R_EOF:
			return BD_OK;
		case R_FILEPASS:
			return password_error(x);
		case R_CODEPAGE:
			if (r.len >= 2)
				x->codepage = le16(r.p);
			break;
		case R_DATEMODE:
			if (r.len >= 2)
				x->date1904 = le16(r.p) == 1;
			break;
		case R_FORMAT:
			e = read_format(x, &r);
			break;
		case R_XF:
			if (r.len >= 4)
				e = add_xf(x, le16(r.p + 2));
			break;
		case R_BOUNDSHEET:
			e = read_boundsheet(x, &r);
			break;
		case R_SST:
			e = read_sst(x, &r);
			break;
		default:
			break;
		}
		if (e)
			return e;
	}
	return BD_OK; /* a cut stream: the sheets found so far */
}

/* What cells of style xf show (date, time, duration or number). */
static bd_numfmt xf_kind(const bd_xls *x, uint32_t xf)
{
	if (xf >= x->nxf)
		return BD_NF_NUMBER;
	uint16_t id = x->xf_fmt[xf];
	for (uint32_t k = x->ncfmt; k-- > 0;)
		if (x->cfmt_id[k] == id)
			return (bd_numfmt)x->cfmt_kind[k];
	return bd_numfmt_builtin(id);
}

/* ---- worksheet cells -------------------------------------------------- */

static xcell *add_cell(bd_xls *x, uint32_t row, uint32_t col)
{
	if (x->ncell == x->capcell) {
		size_t cap = x->capcell ? x->capcell * 2 : 1024;
		xcell *c = realloc(x->cells, cap * sizeof(*c));
		if (!c)
			return NULL;
		x->cells = c;
		x->capcell = cap;
	}
	xcell *c = &x->cells[x->ncell];
	memset(c, 0, sizeof(*c));
	c->row = row;
	c->col = (uint16_t)col;
	c->seq = (uint32_t)x->ncell++;
	if (row + 1 > x->nrows)
		x->nrows = row + 1;
	return c;
}

/* A number at p (row, col) in style xf. */
static bd_err add_num(bd_xls *x, const unsigned char *p, uint32_t xf, double v)
{
	xcell *c = add_cell(x, le16(p), le16(p + 2));
	if (!c)
		return nomem();
	c->kind = K_NUM;
	c->v.d = v;
	c->fmt = (uint8_t)xf_kind(x, xf);
	return BD_OK;
}

/* A text cell at p (row, col); s[0..n) UTF-8 or NULL when the text was
 * just appended to the arena from offset off. */
static bd_err add_text_at(bd_xls *x, const unsigned char *p, size_t off)
{
	if (x->text.len > UINT32_MAX)
		return bd_fail(BD_ERR_LIMIT, "XLS 文件 %s 文本过多 (too much text)",
			       x->path);
	size_t len = x->text.len - off;
	bd_err e = bd_buf_addch(&x->text, '\0');
	if (e)
		return e;
	xcell *c = add_cell(x, le16(p), le16(p + 2));
	if (!c)
		return nomem();
	c->kind = K_TEXT;
	c->v.t.off = (uint32_t)off;
	c->v.t.len = (uint32_t)len;
	return BD_OK;
}

static bd_err add_literal(bd_xls *x, const unsigned char *p, const char *s)
{
	size_t off = x->text.len;
	bd_err e = bd_buf_addstr(&x->text, s);
	return e ? e : add_text_at(x, p, off);
}

static const char *error_text(unsigned code)
{
	switch (code) {
	case 0x00: return "#NULL!";
	case 0x07: return "#DIV/0!";
	case 0x0F: return "#VALUE!";
	case 0x17: return "#REF!";
	case 0x1D: return "#NAME?";
	case 0x24: return "#NUM!";
	case 0x2A: return "#N/A";
	case 0x2B: return "#GETTING_DATA";
	default: break;
	}
	return "#N/A";
}

static double rk_value(uint32_t rk)
{
	double d;
	if (rk & 2) {
		int32_t i = (int32_t)(rk & 0xFFFFFFFCu);
		d = (double)(i / 4);
	} else {
		uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
		memcpy(&d, &bits, sizeof(d));
	}
	return (rk & 1) ? d / 100 : d;
}

/* A cell whose value cannot be read: delivered as bd_cell_unreadable, so
 * that a row needing it is rejected with its own reason (cell_unreadable),
 * and counted for the warning. */
static void unreadable(bd_xls *x, const unsigned char *p)
{
	if (x->nbad++ == 0) {
		x->bad_row = le16(p) + 1u;
		x->bad_col = le16(p + 2) + 1u;
	}
	xcell *c = add_cell(x, le16(p), le16(p + 2));
	if (c)
		c->kind = K_BAD;
}

/* FORMULA of the cell at p (row, col) in style xf: the cached result at
 * res (8 bytes). *pending gets p when the text follows in a STRING
 * record. */
static bd_err read_formula(bd_xls *x, const unsigned char *p, const unsigned char *res,
			   uint32_t xf, const unsigned char **pending)
{
	if (res[6] != 0xFF || res[7] != 0xFF)
		return add_num(x, p, xf, le_double(res));
	switch (res[0]) {
	case 0:
		*pending = p;
		return BD_OK;
	case 1:
		return add_literal(x, p, res[2] ? "TRUE" : "FALSE");
	case 2:
		return add_literal(x, p, error_text(res[2]));
	case 3:
		return BD_OK; /* an empty string */
	default:
		unreadable(x, p);
		return BD_OK;
	}
}

/* STRING after a FORMULA whose cell is at p. */
static bd_err read_string(bd_xls *x, const rec *r, const unsigned char *p)
{
	size_t off = x->text.len, used;
	bd_err e;
	if (x->biff < 8) {
		e = read_str(x, r->p, r->len, 2, &x->text, &used);
	} else {
		/* may go on in CONTINUE records */
		cur c;
		cur_init(&c, x, r);
		size_t cch = cur_u16(&c);
		unsigned flags = cur_u8(&c);
		if (c.bad)
			return damaged(x, "STRING");
		e = cur_chars(&c, cch, flags & 1, &x->text);
	}
	return e ? e : add_text_at(x, p, off);
}

static bd_err read_cells(bd_xls *x, size_t pos)
{
	rec r;
	if (!rec_at(x, pos, &r) || r.type != R_BOF)
		return damaged(x, "worksheet BOF");
	pos = r.end;
	int depth = 1;
	const unsigned char *pending = NULL;  /* FORMULA awaiting its STRING */
	while (depth > 0 && rec_at(x, pos, &r)) {
		pos = r.end;
		bd_err e = BD_OK;
		const unsigned char *p = r.p;
		if (pending && r.type != R_STRING && r.type != R_SHRFMLA &&
		    r.type != R_ARRAY && r.type != R_TABLE && r.type != R_CONTINUE) {
			unreadable(x, pending);
			pending = NULL;
		}
		if (r.type == R_BOF) {
			depth++;
			continue;
		}
		if (r.type == R_EOF) {
			depth--;
			continue;
		}
		if (depth != 1)
			continue;
		switch (r.type) {
		case R_NUMBER:
			if (r.len >= 14)
				e = add_num(x, p, le16(p + 4), le_double(p + 6));
			break;
		case R_RK:
			if (r.len >= 10)
				e = add_num(x, p, le16(p + 4), rk_value(le32(p + 6)));
			break;
		case R_MULRK: {
			if (r.len < 6)
				break;
			uint16_t row = le16(p), col = le16(p + 2);
			size_t n = (r.len - 6u) / 6;
			for (size_t k = 0; k < n && !e; k++) {
				const unsigned char *q = p + 4 + 6 * k;
				unsigned char at[6] = {
					(unsigned char)(row & 0xFF), (unsigned char)(row >> 8),
					(unsigned char)((col + k) & 0xFF),
					(unsigned char)(((col + k) >> 8) & 0xFF), q[0], q[1]};
				e = add_num(x, at, le16(q), rk_value(le32(q + 2)));
			}
			break;
		}
		case R_LABELSST: {
			if (r.len < 10)
				break;
			uint32_t k = le32(p + 6);
			if (k >= x->nsst) {
				unreadable(x, p);
				break;
			}
			xcell *c = add_cell(x, le16(p), le16(p + 2));
			if (!c)
				return nomem();
			c->kind = K_SST;
			c->v.sst = k;
			break;
		}
		case R_LABEL:
		case R_RSTRING: {
			if (r.len < 8)
				break;
			size_t off = x->text.len, used;
			e = read_str(x, p + 6, r.len - 6u, 2, &x->text, &used);
			if (!e)
				e = add_text_at(x, p, off);
			break;
		}
		case R_BOOLERR:
			if (r.len >= 8)
				e = add_literal(x, p, p[7] ? error_text(p[6])
							   : p[6] ? "TRUE" : "FALSE");
			break;
		case R_FORMULA:
			if (r.len >= 14)
				e = read_formula(x, p, p + 6, le16(p + 4), &pending);
			break;
		case R_STRING:
			if (pending) {
				e = read_string(x, &r, pending);
				pending = NULL;
			}
			break;
		default:
			break;
		}
		if (e)
			return e;
	}
	if (pending)
		unreadable(x, pending);
	return BD_OK;
}

/* BIFF2 cells carry their XF in 3 attribute bytes (63: see IXFE). */
static uint32_t xf2(const unsigned char *p, uint16_t ixfe)
{
	unsigned xf = p[4] & 0x3F;
	return xf == 63 ? ixfe : xf;
}

/* A text cell at p whose string (cch of lenw bytes) is at s[0..n). */
static bd_err add_label(bd_xls *x, const unsigned char *p, const unsigned char *s,
			size_t n, int lenw)
{
	size_t off = x->text.len, used;
	bd_err e = read_str(x, s, n, lenw, &x->text, &used);
	return e ? e : add_text_at(x, p, off);
}

/*
 * Excel 2.x-4.0 worksheet files (BIFF2-4, no OLE2 container): one sheet,
 * its code page, formats, styles and cells in one stream. Formats are
 * numbered in the order they appear. A BIFF4 workbook (several sheets in
 * one file) is refused.
 */
static bd_err read_old(bd_xls *x)
{
	rec r;
	if (!rec_at(x, 0, &r) || r.len < 4)
		return damaged(x, "BOF");
	x->biff = x->bare;
	if (r.len >= 4 && le16(r.p + 2) == 0x0100)
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 是 Excel 4.0 工作簿 (BIFF4W, 多个工作表存在一个"
			       "文件里), bidui 不能读取; 请用 Excel 或 WPS 打开后另存为 "
			       ".xlsx 再试 (Excel 4.0 workbook)", x->path);
	xsheet *sh = calloc(1, sizeof(*sh));
	if (!sh || !(sh->name = strdup("Sheet1"))) {
		free(sh);
		return nomem();
	}
	x->sheets = sh;
	x->nsheet = 1;
	size_t pos = r.end;
	uint16_t ixfe = 0;
	const unsigned char *pending = NULL;
	while (rec_at(x, pos, &r) && r.type != R_EOF) {
		const unsigned char *p = r.p;
		size_t n = r.len;
		bd_err e = BD_OK;
		pos = r.end;
		if (pending && r.type != 0x0007 && r.type != R_STRING &&
		    r.type != 0x0021 && r.type != R_ARRAY) {
			unreadable(x, pending);
			pending = NULL;
		}
		switch (r.type) {
		case R_FILEPASS:
			return password_error(x);
		case R_CODEPAGE:
			if (n >= 2)
				x->codepage = le16(p);
			break;
		case R_DATEMODE:
			if (n >= 2)
				x->date1904 = le16(p) == 1;
			break;
		case 0x001E: /* FORMAT, BIFF2-3 */
			e = add_format(x, (uint16_t)x->ncfmt, p, n, 1);
			break;
		case R_FORMAT: /* BIFF4: two bytes, then the code */
			if (n >= 2)
				e = add_format(x, (uint16_t)x->ncfmt, p + 2, n - 2, 1);
			break;
		case 0x0043: /* XF, BIFF2 */
			if (n >= 3)
				e = add_xf(x, p[2] & 0x3F);
			break;
		case 0x0243: /* XF, BIFF3 */
		case 0x0443: /* XF, BIFF4 */
			if (n >= 2)
				e = add_xf(x, p[1]);
			break;
		case 0x0044: /* IXFE */
			if (n >= 2)
				ixfe = le16(p);
			break;
		case 0x0002: /* INTEGER */
			if (n >= 9)
				e = add_num(x, p, xf2(p, ixfe), le16(p + 7));
			break;
		case 0x0003: /* NUMBER, BIFF2 */
			if (n >= 15)
				e = add_num(x, p, xf2(p, ixfe), le_double(p + 7));
			break;
		case 0x0004: /* LABEL, BIFF2 */
			if (n >= 8)
				e = add_label(x, p, p + 7, n - 7, 1);
			break;
		case 0x0005: /* BOOLERR, BIFF2 */
			if (n >= 9)
				e = add_literal(x, p, p[8] ? error_text(p[7])
							   : p[7] ? "TRUE" : "FALSE");
			break;
		case R_FORMULA: /* BIFF2 */
			if (n >= 15)
				e = read_formula(x, p, p + 7, xf2(p, ixfe), &pending);
			break;
		case 0x0007: /* STRING, BIFF2 */
			if (pending)
				e = add_label(x, pending, p, n, 1);
			pending = NULL;
			break;
		case R_NUMBER:
			if (n >= 14)
				e = add_num(x, p, le16(p + 4), le_double(p + 6));
			break;
		case R_RK:
			if (n >= 10)
				e = add_num(x, p, le16(p + 4), rk_value(le32(p + 6)));
			break;
		case R_LABEL:
			if (n >= 8)
				e = add_label(x, p, p + 6, n - 6, 2);
			break;
		case R_BOOLERR:
			if (n >= 8)
				e = add_literal(x, p, p[7] ? error_text(p[6])
							   : p[6] ? "TRUE" : "FALSE");
			break;
		case 0x0206: /* FORMULA, BIFF3 */
		case 0x0406: /* FORMULA, BIFF4 */
			if (n >= 14)
				e = read_formula(x, p, p + 6, le16(p + 4), &pending);
			break;
		case R_STRING:
			if (pending)
				e = add_label(x, pending, p, n, 2);
			pending = NULL;
			break;
		default:
			break;
		}
		if (e)
			return e;
	}
	if (pending)
		unreadable(x, pending);
	return BD_OK;
}

static int cell_cmp(const void *a, const void *b)
{
	const xcell *p = a, *q = b;
	if (p->row != q->row)
		return p->row < q->row ? -1 : 1;
	if (p->col != q->col)
		return p->col < q->col ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Cells in row, then column order (usually already so). */
static void sort_cells(bd_xls *x)
{
	for (size_t i = 1; i < x->ncell; i++)
		if (cell_cmp(&x->cells[i - 1], &x->cells[i]) > 0) {
			qsort(x->cells, x->ncell, sizeof(*x->cells), cell_cmp);
			return;
		}
}

/* ---- open ------------------------------------------------------------- */

int bd_biff_bare_version(const unsigned char *head, size_t n)
{
	if (n < 8 || head[0] != 0x09 || head[3] != 0)
		return 0;
	unsigned len = head[2];
	unsigned dt = (unsigned)(head[6] | head[7] << 8);
	/* BOF of a worksheet, chart, macro sheet or workbook */
	bool dt_ok = dt == 0x10 || dt == 0x20 || dt == 0x40 || dt == 0x100 ||
		     dt == 0x05;
	switch (head[1]) {
	case 0x00: return len == 4 && dt_ok ? 2 : 0;
	case 0x02: return len == 6 && dt_ok ? 3 : 0;
	case 0x04: return len == 6 && dt_ok ? 4 : 0;
	case 0x08: return (len == 8 || len == 16) && dt_ok ? 5 : 0;
	default: break;
	}
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bd_err select_sheet(bd_xls *x, const char *sheet)
{
	if (x->nsheet == 0)
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 中没有工作表 (no worksheet in workbook)",
			       x->path);
	uint32_t idx = 0;
	if (sheet && *sheet && all_digits(sheet)) {
		unsigned long k = strtoul(sheet, NULL, 10);
		if (k == 0 || k > x->nsheet)
			return bd_fail(BD_ERR_FORMAT,
				       "XLS 文件 %s 没有第 %s 个工作表, 共 %u 个 "
				       "(no sheet number %s; %u sheets)", x->path,
				       sheet, x->nsheet, sheet, x->nsheet);
		idx = (uint32_t)(k - 1);
	} else if (sheet && *sheet) {
		bool found = false;
		for (int pass = 0; pass < 2 && !found; pass++)
			for (uint32_t i = 0; i < x->nsheet && !found; i++) {
				const char *nm = x->sheets[i].name;
				if (pass == 0 ? strcmp(nm, sheet) == 0
					      : strcasecmp(nm, sheet) == 0) {
					idx = i;
					found = true;
				}
			}
		if (!found) {
			bd_buf names = BD_BUF_INIT(1024);
			for (uint32_t i = 0; i < x->nsheet; i++)
				if (bd_buf_addf(&names, "%s\"%s\"", i ? ", " : "",
						x->sheets[i].name))
					break;
			bd_err e = bd_fail(BD_ERR_FORMAT,
					   "XLS 文件 %s 中没有名为 \"%s\" 的工作表, "
					   "现有: %s (no such sheet)", x->path, sheet,
					   names.data ? names.data : "");
			bd_buf_release(&names);
			return e;
		}
	}
	x->sheet = idx;
	return BD_OK;
}

static void gsf_init_once(void)
{
	gsf_init();
}

/* An Excel 2.x-5.0 file saved without an OLE2 container: the whole file
 * is the BIFF stream. */
static bd_err load_bare(bd_xls *x, int version)
{
	FILE *f = fopen(x->path, "rb");
	if (!f)
		return bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open file)",
			       x->path, strerror(errno));
	bd_err e = BD_OK;
	long size = -1;
	if (fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size <= 0 || (unsigned long)size > XLS_MAX_STREAM || fseek(f, 0, SEEK_SET) != 0)
		e = damaged(x, "file size");
	else if (!(x->wb = malloc((size_t)size)))
		e = nomem();
	else if (fread(x->wb, 1, (size_t)size, f) != (size_t)size)
		e = bd_fail(BD_ERR_IO, "读取 %s 失败 (read error)", x->path);
	else
		x->wblen = (size_t)size;
	fclose(f);
	x->bare = version;
	return e;
}

/* Reads the Workbook (or BIFF5 Book) stream of the OLE2 file into x->wb. */
static bd_err load_stream(bd_xls *x)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, gsf_init_once);
	GError *gerr = NULL;
	GsfInput *in = gsf_input_stdio_new(x->path, &gerr);
	if (!in) {
		bd_err e = bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open file)",
				   x->path, gerr && gerr->message ? gerr->message : "");
		if (gerr)
			g_error_free(gerr);
		return e;
	}
	unsigned char head[8] = {0};
	gsf_input_read(in, sizeof(head), head);
	gsf_input_seek(in, 0, G_SEEK_SET);
	GsfInfile *ole = gsf_infile_msole_new(in, &gerr);
	g_object_unref(in);
	if (!ole) {
		if (gerr)
			g_error_free(gerr);
		int v = bd_biff_bare_version(head, sizeof(head));
		if (v)
			return load_bare(x, v);
		return bd_fail(BD_ERR_FORMAT,
			       "XLS 文件 %s 不是有效的 Excel 97-2003 文件 (OLE2 容器"
			       "无法解析), 可能已损坏; 请用 Excel 或 WPS 打开后另存为 "
			       ".xlsx 再试 (not a valid OLE2 .xls)", x->path);
	}
	static const char *const names[] = {"Workbook", "WORKBOOK", "workbook",
					    "Book", "BOOK", "book"};
	GsfInput *wb = NULL;
	for (size_t i = 0; i < BD_ARRAY_LEN(names) && !wb; i++)
		wb = gsf_infile_child_by_name(ole, names[i]);
	GsfInput *enc = wb ? NULL : gsf_infile_child_by_name(ole, "EncryptedPackage");
	bool encrypted = enc != NULL;
	if (enc)
		g_object_unref(enc);
	g_object_unref(ole);
	if (!wb) {
		if (encrypted)
			return bd_fail(BD_ERR_FORMAT,
				       "文件 %s 是加密的 Excel 工作簿 (有打开密码), 无法读取; "
				       "请在 Excel 或 WPS 中输入密码打开, 取消密码后另存为 "
				       ".xlsx 再试 (encrypted workbook)", x->path);
		return bd_fail(BD_ERR_FORMAT,
			       "文件 %s 是 OLE2 文件, 但不含 Excel 工作簿 (可能是 Word "
			       "文档或其他文件); 请确认文件, 或用 Excel 另存为 .xlsx "
			       "(no Workbook stream)", x->path);
	}
	gsf_off_t size = gsf_input_size(wb);
	bd_err e = BD_OK;
	if (size <= 0 || (uint64_t)size > XLS_MAX_STREAM) {
		e = bd_fail(BD_ERR_FORMAT, "XLS 文件 %s 的工作簿数据大小无效 "
			    "(bad Workbook stream size)", x->path);
	} else if (!(x->wb = malloc((size_t)size))) {
		e = nomem();
	} else if (!gsf_input_read(wb, (size_t)size, x->wb)) {
		e = damaged(x, "Workbook stream cannot be read");
	} else {
		x->wblen = (size_t)size;
	}
	g_object_unref(wb);
	return e;
}

bd_err bd_xls_open(const char *path, const char *sheet, bd_xls **out)
{
	*out = NULL;
	bd_xls *x = calloc(1, sizeof(*x));
	if (!x)
		return nomem();
	bd_rowbuf_init(&x->rb);
	x->text.max = (size_t)UINT32_MAX;
	x->codepage = 1252;
	x->path = strdup(path);
	bd_err e = x->path ? BD_OK : nomem();
	if (!e)
		e = load_stream(x);
	if (!e && x->bare >= 2 && x->bare <= 4) {
		e = read_old(x);   /* one worksheet, styles and cells together */
		if (!e)
			e = select_sheet(x, sheet);
	} else if (!e) {
		e = read_globals(x);
		if (!e)
			e = select_sheet(x, sheet);
		if (!e)
			e = read_cells(x, x->sheets[x->sheet].pos);
	}
	if (e) {
		bd_xls_close(x);
		return e;
	}
	sort_cells(x);
	*out = x;
	return BD_OK;
}

const char *bd_xls_sheet_name(const bd_xls *x)
{
	return x->nsheet ? x->sheets[x->sheet].name : "";
}

uint32_t bd_xls_sheet_count(const bd_xls *x)
{
	return x->nsheet;
}

const char *bd_xls_sheet_name_at(const bd_xls *x, uint32_t i)
{
	return i < x->nsheet ? x->sheets[i].name : NULL;
}

const char *bd_xls_warning(bd_xls *x)
{
	if (!x->nbad)
		return NULL;
	if (!x->warning) {
		char buf[1024];
		snprintf(buf, sizeof(buf),
			 "XLS 文件 %s 有 %u 个单元格的值无法读取 (按空值处理), "
			 "第一个在第 %u 行第 %u 列; 请用 Excel 或 WPS 打开后另存为 "
			 ".xlsx 再试 (unreadable cells)", x->path, x->nbad,
			 x->bad_row, x->bad_col);
		x->warning = strdup(buf);
	}
	return x->warning;
}

bd_err bd_xls_next(bd_xls *x, bd_row *row, bool *eof)
{
	*eof = false;
	if (x->err)
		return x->err;
	if (x->next >= x->nrows) {
		*eof = true;
		return BD_OK;
	}
	uint32_t r = x->next++;
	bd_rowbuf_reset(&x->rb);
	for (; x->cur < x->ncell && x->cells[x->cur].row == r; x->cur++) {
		const xcell *c = &x->cells[x->cur];
		char num[64];
		bd_err e;
		switch (c->kind) {
		case K_NUM: {
			double v = c->v.d;
			if (c->fmt == BD_NF_DATE && x->date1904)
				v += 1462;
			size_t n = bd_number_render_fmt(v, (bd_numfmt)c->fmt, num, sizeof(num));
			e = bd_rowbuf_set(&x->rb, c->col, num, n);
			break;
		}
		case K_BAD:
			e = bd_rowbuf_set_unreadable(&x->rb, c->col);
			break;
		case K_SST:
			e = bd_rowbuf_set(&x->rb, c->col,
					  x->text.data + x->sst_off[c->v.sst],
					  x->sst_len[c->v.sst]);
			break;
		default:
			e = bd_rowbuf_set(&x->rb, c->col, x->text.data + c->v.t.off,
					  c->v.t.len);
			break;
		}
		if (e)
			return x->err = bd_fail_ctx(e, "XLS 文件 %s 第 %u 行 "
						    "(file, row)", x->path, r + 1);
	}
	bd_err e = bd_rowbuf_finish(&x->rb, r + 1, row);
	if (e)
		x->err = e;
	return e;
}

void bd_xls_close(bd_xls *x)
{
	if (!x)
		return;
	if (x->cd_open)
		iconv_close(x->cd);
	for (uint32_t i = 0; i < x->nsheet; i++)
		free(x->sheets[i].name);
	free(x->sheets);
	free(x->wb);
	bd_buf_release(&x->text);
	free(x->sst_off);
	free(x->sst_len);
	free(x->cfmt_id);
	free(x->cfmt_kind);
	free(x->xf_fmt);
	free(x->cells);
	free(x->warning);
	bd_rowbuf_free(&x->rb);
	free(x->path);
	free(x);
}
