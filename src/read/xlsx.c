/*
 * xlsx.c - XLSX worksheet reader: minizip for the zip container, expat for
 * the XML. The worksheet is streamed: 64 KiB of inflated XML at a time is
 * fed to expat, which is suspended at every </row>, so only one row and
 * one chunk are held at any time. Shared strings and the date styles are
 * loaded into memory first.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <minizip/unzip.h>

#include "bd/numfmt.h"
#include "bd/rowbuild.h"
#include "sheet_int.h"

#define XLSX_CHUNK 65536
/* Parts other than the worksheet and the shared strings are small. */
#define XLSX_MAX_SMALL_PART ((size_t)64 << 20)
/* All shared strings together. */
#define XLSX_MAX_SST ((size_t)1 << 30)
#define XLSX_MAX_SHEETS 4096u
#define XLSX_MAX_RELS 65536u
#define XLSX_MAX_XF (1u << 20)
#define XLSX_MAX_NAME 4096u

typedef struct rel {
	char *id;
	char *target;
	char *type;
} rel;

typedef struct sheet_ent {
	char *name;
	char *rid;
} sheet_ent;

struct bd_xlsx {
	char *path;
	char *part;          /* worksheet part being read, for messages */
	unzFile zf;
	bool entry_open;

	/* workbook */
	sheet_ent *sheets;
	uint32_t nsheet;
	const char *chosen;  /* name of the sheet being read (in sheets) */
	rel *rels;
	uint32_t nrel;
	bool date1904;

	/* shared strings: arena of NUL-terminated strings */
	bd_buf sst;
	size_t *sst_off;
	uint32_t *sst_len;
	uint32_t sst_n, sst_cap;

	/* styles: numFmtId per cellXfs entry, then whether it is a date */
	uint32_t *xf_fmt;
	uint8_t *xf_kind;    /* bd_numfmt of each cellXfs entry */
	uint32_t nxf, xf_cap;
	uint32_t *cfmt_id;   /* custom <numFmt> ids ... */
	uint8_t *cfmt_kind;  /* ... and the bd_numfmt of each */
	uint32_t ncfmt, cfmt_cap;

	/* worksheet stream */
	XML_Parser p;
	bd_err err;          /* raised inside a callback; sticky */
	bool done;
	bool row_ready;
	bool row_pending;    /* a </row> seen; delivered at the next other row */
	bool in_sd, in_row, in_c, in_v, in_is, in_t;
	bool in_cellxfs, in_numfmts, in_si;
	int rph;
	uint32_t rowno, last_row;
	uint32_t col, next_col;
	char ctype;
	uint32_t style;
	bd_buf val;          /* text of the cell being read */
	bd_rowbuf rb;        /* the row being built */
	bd_rowbuf rb_out;    /* the row delivered last (cells point into it) */
	bd_row row;
	char main_pfx[4][16]; /* prefixes bound to SpreadsheetML in workbook.xml */
	uint32_t nmain_pfx;
	size_t fed;          /* bytes fed for a small part */
};

/* ---- helpers -------------------------------------------------------- */

static const char *local_name(const XML_Char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *local)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), local) == 0)
			return atts[i + 1];
	return NULL;
}

/* Records err from inside an expat callback and aborts the parse. */
static void cb_fail(bd_xlsx *x, bd_err e)
{
	if (!x->err) {
		if (!strstr(bd_last_error(), x->path))
			bd_fail_ctx(e, "XLSX 文件 %s 第 %u 行 (file, row)", x->path,
				    x->rowno);
		x->err = e;
	}
	XML_StopParser(x->p, XML_FALSE);
}

static char *dup_bounded(const char *s)
{
	size_t n = strnlen(s, XLSX_MAX_NAME);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Parses a decimal uint32 (all digits); false if not one. */
static bool parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/*
 * Resolves a relationship target against the folder of its source part
 * (dir ends with '/' or is ""), normalising "." and ".." segments. An
 * absolute target ("/xl/...") is taken from the package root.
 */
static bool resolve_target(const char *dir, const char *target, char *out,
			   size_t outsz)
{
	char tmp[2 * XLSX_MAX_NAME + 2];
	if (target[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else
		snprintf(tmp, sizeof(tmp), "%s%s", dir, target);
	size_t o = 0;
	const char *p = tmp;
	while (*p) {
		const char *q = strchr(p, '/');
		size_t sl = q ? (size_t)(q - p) : strlen(p);
		if (sl == 0 || (sl == 1 && p[0] == '.')) {
			/* skip */
		} else if (sl == 2 && p[0] == '.' && p[1] == '.') {
			if (o > 0) {
				o--;
				while (o > 0 && out[o - 1] != '/')
					o--;
			}
		} else {
			if (o + sl + 2 > outsz)
				return false;
			memcpy(out + o, p, sl);
			o += sl;
			if (q)
				out[o++] = '/';
		}
		if (!q)
			break;
		p = q + 1;
	}
	if (o > 0 && out[o - 1] == '/')
		o--;
	if (o >= outsz)
		return false;
	out[o] = '\0';
	return o > 0;
}

/* ---- zip parts ------------------------------------------------------ */

static bool locate(bd_xlsx *x, const char *name)
{
	return unzLocateFile(x->zf, name, 1) == UNZ_OK ||
	       unzLocateFile(x->zf, name, 2) == UNZ_OK;
}

static bd_err open_part(bd_xlsx *x, const char *name)
{
	if (unzOpenCurrentFile(x->zf) != UNZ_OK)
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 的部件 %s 无法解压 "
			       "(cannot open zip member)", x->path, name);
	x->entry_open = true;
	return BD_OK;
}

static bd_err close_part(bd_xlsx *x, const char *name)
{
	if (!x->entry_open)
		return BD_OK;
	x->entry_open = false;
	int rc = unzCloseCurrentFile(x->zf);
	if (rc == UNZ_CRCERROR)
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 的部件 %s 校验和错误, 文件已损坏 "
			       "(CRC error, damaged file)", x->path, name);
	return BD_OK;
}

static bd_err xml_error(bd_xlsx *x, XML_Parser p, const char *name)
{
	if (x->err)
		return x->err;
	return bd_fail(BD_ERR_FORMAT,
		       "XLSX 文件 %s 的 %s 第 %lu 行 XML 格式错误: %s "
		       "(malformed XML; after sheet row %u)", x->path, name,
		       (unsigned long)XML_GetCurrentLineNumber(p),
		       XML_ErrorString(XML_GetErrorCode(p)), x->last_row);
}

/* Reads one chunk of the open part into p's buffer; *n < 0 never. */
static bd_err read_chunk(bd_xlsx *x, XML_Parser p, const char *name, int *n)
{
	void *buf = XML_GetBuffer(p, XLSX_CHUNK);
	if (!buf)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	int got = unzReadCurrentFile(x->zf, buf, XLSX_CHUNK);
	if (got < 0)
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 的部件 %s 解压失败 (错误 %d), 文件已损坏 "
			       "(inflate error, damaged file)", x->path, name, got);
	*n = got;
	return BD_OK;
}

/*
 * Parses the whole part name with the given handlers (user data = x).
 * *found = false (and BD_OK) when the part does not exist.
 */
static bd_err parse_part(bd_xlsx *x, const char *name,
			 XML_StartElementHandler st, XML_EndElementHandler en,
			 XML_CharacterDataHandler ch, size_t max, bool *found)
{
	*found = false;
	if (!locate(x, name))
		return BD_OK;
	*found = true;
	bd_err e = open_part(x, name);
	if (e)
		return e;
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p) {
		close_part(x, name);
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	}
	x->p = p;
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, st, en);
	if (ch)
		XML_SetCharacterDataHandler(p, ch);
	size_t total = 0;
	for (;;) {
		int n = 0;
		e = read_chunk(x, p, name, &n);
		if (e)
			break;
		total += (size_t)n;
		if (max && total > max) {
			e = bd_fail(BD_ERR_LIMIT,
				    "XLSX 文件 %s 的部件 %s 过大 (part too large)",
				    x->path, name);
			break;
		}
		if (XML_ParseBuffer(p, n, n == 0) == XML_STATUS_ERROR) {
			e = xml_error(x, p, name);
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	x->p = NULL;
	bd_err e2 = close_part(x, name);
	return e ? e : e2;
}

/* ---- relationships and workbook ------------------------------------- */

static void free_rels(bd_xlsx *x)
{
	for (uint32_t i = 0; i < x->nrel; i++) {
		free(x->rels[i].id);
		free(x->rels[i].target);
		free(x->rels[i].type);
	}
	free(x->rels);
	x->rels = NULL;
	x->nrel = 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	bd_xlsx *x = ud;
	if (strcmp(local_name(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *tg = attr(atts, "Target"),
		   *ty = attr(atts, "Type"), *mode = attr(atts, "TargetMode");
	if (!id || !tg || (mode && strcmp(mode, "External") == 0))
		return;
	if (x->nrel >= XLSX_MAX_RELS) {
		cb_fail(x, bd_fail(BD_ERR_LIMIT, "XLSX 文件 %s 关系过多 "
				   "(too many relationships)", x->path));
		return;
	}
	rel *r = realloc(x->rels, (x->nrel + 1) * sizeof(*r));
	if (!r) {
		cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)"));
		return;
	}
	x->rels = r;
	r = &x->rels[x->nrel];
	r->id = dup_bounded(id);
	r->target = dup_bounded(tg);
	r->type = dup_bounded(ty ? ty : "");
	x->nrel++;
	if (!r->id || !r->target || !r->type)
		cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)"));
}

/* Notes the prefixes that xmlns attributes of an element bind to the
 * SpreadsheetML main namespace (transitional or strict). */
static void note_main_ns(bd_xlsx *x, const XML_Char **atts)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *a = atts[i], *v = atts[i + 1];
		if (strncmp(a, "xmlns", 5) != 0 || (a[5] != '\0' && a[5] != ':'))
			continue;
		if (strcmp(v, "http://schemas.openxmlformats.org/spreadsheetml/2006/main") != 0 &&
		    strcmp(v, "http://purl.oclc.org/ooxml/spreadsheetml/main") != 0)
			continue;
		const char *pfx = a[5] ? a + 6 : "";
		if (strlen(pfx) < sizeof(x->main_pfx[0]) && x->nmain_pfx < 4)
			strcpy(x->main_pfx[x->nmain_pfx++], pfx);
	}
}

/* Whether element name (prefix:local) is in the SpreadsheetML namespace:
 * its prefix is bound to it, or it has none and nothing is bound (a
 * package written without namespaces). */
static bool in_main_ns(const bd_xlsx *x, const char *name)
{
	const char *c = strrchr(name, ':');
	size_t pl = c ? (size_t)(c - name) : 0;
	if (x->nmain_pfx == 0)
		return pl == 0;
	for (uint32_t i = 0; i < x->nmain_pfx; i++)
		if (strlen(x->main_pfx[i]) == pl && strncmp(x->main_pfx[i], name, pl) == 0)
			return true;
	return false;
}

static void XMLCALL wb_start(void *ud, const XML_Char *name,
			     const XML_Char **atts)
{
	bd_xlsx *x = ud;
	const char *ln = local_name(name);
	note_main_ns(x, atts);
	if (!in_main_ns(x, name))
		return; /* e.g. <x15:workbookPr chartTrackingRefBase="1"/> */
	if (strcmp(ln, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		x->date1904 = d && (strcmp(d, "1") == 0 ||
				    strcmp(d, "true") == 0);
		return;
	}
	if (strcmp(ln, "sheet") != 0)
		return;
	const char *nm = attr(atts, "name"), *rid = attr(atts, "id");
	if (!nm || !rid)
		return;
	if (x->nsheet >= XLSX_MAX_SHEETS) {
		cb_fail(x, bd_fail(BD_ERR_LIMIT, "XLSX 文件 %s 工作表过多 "
				   "(too many sheets)", x->path));
		return;
	}
	sheet_ent *s = realloc(x->sheets, (x->nsheet + 1) * sizeof(*s));
	if (!s) {
		cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)"));
		return;
	}
	x->sheets = s;
	s = &x->sheets[x->nsheet++];
	s->name = dup_bounded(nm);
	s->rid = dup_bounded(rid);
	if (!s->name || !s->rid)
		cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)"));
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static const rel *find_rel_id(const bd_xlsx *x, const char *id)
{
	for (uint32_t i = 0; i < x->nrel; i++)
		if (strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

static const rel *find_rel_type(const bd_xlsx *x, const char *suffix)
{
	for (uint32_t i = 0; i < x->nrel; i++)
		if (ends_with(x->rels[i].type, suffix))
			return &x->rels[i];
	return NULL;
}

/* ---- shared strings ------------------------------------------------- */

/* Decodes OOXML "_xHHHH_" escapes of s[0..n) in place; returns new n. */
/* The code unit of an _xHHHH_ escape at s[i..n), or -1. */
static long xescape_at(const char *s, size_t n, size_t i)
{
	if (!(s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_'))
		return -1;
	for (size_t k = 2; k < 6; k++)
		if (!isxdigit((unsigned char)s[i + k]))
			return -1;
	char hex[5] = {s[i + 2], s[i + 3], s[i + 4], s[i + 5], 0};
	return strtol(hex, NULL, 16);
}

/* Decodes Excel's _xHHHH_ escapes in place (a surrogate pair written as
 * two escapes is one character); returns the new length. */
static size_t decode_xescapes(char *s, size_t n)
{
	size_t i = 0, o = 0;
	while (i < n) {
		long u = xescape_at(s, n, i);
		if (u < 0) {
			s[o++] = s[i++];
			continue;
		}
		uint32_t cp = (uint32_t)u;
		size_t used = 7;
		long lo = u >= 0xD800 && u <= 0xDBFF ? xescape_at(s, n, i + 7) : -1;
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			cp = 0x10000 + (((uint32_t)u - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
			used = 14;
		}
		/* UTF-8 is never longer than the escape it replaces */
		bd_buf b = BD_BUF_INIT(8);
		if (bd_utf8_put(&b, cp) == BD_OK && b.len <= used) {
			memcpy(s + o, b.data, b.len);
			o += b.len;
			i += used;
		} else {
			s[o++] = s[i++];
		}
		bd_buf_release(&b);
	}
	return o;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name,
			      const XML_Char **atts)
{
	bd_xlsx *x = ud;
	const char *ln = local_name(name);
	(void)atts;
	if (strcmp(ln, "si") == 0) {
		x->in_si = true;
		x->rph = 0;
		bd_buf_reset(&x->val);
	} else if (x->in_si && strcmp(ln, "rPh") == 0) {
		x->rph++;
	} else if (x->in_si && x->rph == 0 && strcmp(ln, "t") == 0) {
		x->in_t = true;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	bd_xlsx *x = ud;
	const char *ln = local_name(name);
	if (strcmp(ln, "t") == 0) {
		x->in_t = false;
	} else if (strcmp(ln, "rPh") == 0) {
		if (x->rph > 0)
			x->rph--;
	} else if (strcmp(ln, "si") == 0 && x->in_si) {
		x->in_si = false;
		if (x->sst_n == x->sst_cap) {
			uint32_t cap = x->sst_cap ? x->sst_cap * 2 : 1024;
			if (cap < x->sst_cap) {
				cb_fail(x, bd_fail(BD_ERR_LIMIT, "共享字符串过多 "
						   "(too many shared strings)"));
				return;
			}
			size_t *o = realloc(x->sst_off, cap * sizeof(*o));
			if (o)
				x->sst_off = o;
			uint32_t *l = realloc(x->sst_len, cap * sizeof(*l));
			if (l)
				x->sst_len = l;
			if (!o || !l) {
				cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 "
						   "(out of memory)"));
				return;
			}
			x->sst_cap = cap;
		}
		size_t n = x->val.len ? decode_xescapes(x->val.data, x->val.len)
				      : 0;
		size_t at = x->sst.len;
		bd_err e = bd_buf_add(&x->sst, x->val.data ? x->val.data : "", n);
		if (!e)
			e = bd_buf_addch(&x->sst, '\0');
		if (e) {
			cb_fail(x, e);
			return;
		}
		x->sst_off[x->sst_n] = at;
		x->sst_len[x->sst_n] = (uint32_t)n;
		x->sst_n++;
	}
}

static void XMLCALL text_chars(void *ud, const XML_Char *s, int len)
{
	bd_xlsx *x = ud;
	if (!x->in_t && !x->in_v)
		return;
	bd_err e = bd_buf_add(&x->val, s, (size_t)len);
	if (e)
		cb_fail(x, bd_fail(BD_ERR_LIMIT,
				   "XLSX 文件 %s 单元格文本过长 (cell text too "
				   "long)", x->path));
}

/* ---- styles --------------------------------------------------------- */

static void XMLCALL styles_start(void *ud, const XML_Char *name,
				 const XML_Char **atts)
{
	bd_xlsx *x = ud;
	const char *ln = local_name(name);
	if (strcmp(ln, "cellXfs") == 0) {
		x->in_cellxfs = true;
	} else if (strcmp(ln, "numFmts") == 0) {
		x->in_numfmts = true;
	} else if (x->in_numfmts && strcmp(ln, "numFmt") == 0) {
		uint32_t id;
		const char *code = attr(atts, "formatCode");
		if (!parse_u32(attr(atts, "numFmtId"), &id) || !code)
			return;
		if (x->ncfmt == x->cfmt_cap) {
			uint32_t cap = x->cfmt_cap ? x->cfmt_cap * 2 : 64;
			if (cap > XLSX_MAX_XF) {
				cb_fail(x, bd_fail(BD_ERR_LIMIT, "XLSX 文件 %s "
						   "数字格式过多 (too many number "
						   "formats)", x->path));
				return;
			}
			uint32_t *i = realloc(x->cfmt_id, cap * sizeof(*i));
			if (i)
				x->cfmt_id = i;
			uint8_t *d = realloc(x->cfmt_kind, cap);
			if (d)
				x->cfmt_kind = d;
			if (!i || !d) {
				cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 "
						   "(out of memory)"));
				return;
			}
			x->cfmt_cap = cap;
		}
		x->cfmt_id[x->ncfmt] = id;
		x->cfmt_kind[x->ncfmt] = (uint8_t)bd_numfmt_of(code);
		x->ncfmt++;
	} else if (x->in_cellxfs && strcmp(ln, "xf") == 0) {
		uint32_t id = 0;
		if (!parse_u32(attr(atts, "numFmtId"), &id))
			id = 0;
		if (x->nxf == x->xf_cap) {
			uint32_t cap = x->xf_cap ? x->xf_cap * 2 : 64;
			if (cap > XLSX_MAX_XF) {
				cb_fail(x, bd_fail(BD_ERR_LIMIT, "XLSX 文件 %s "
						   "单元格样式过多 (too many cell "
						   "styles)", x->path));
				return;
			}
			uint32_t *f = realloc(x->xf_fmt, cap * sizeof(*f));
			if (!f) {
				cb_fail(x, bd_fail(BD_ERR_NOMEM, "内存不足 "
						   "(out of memory)"));
				return;
			}
			x->xf_fmt = f;
			x->xf_cap = cap;
		}
		x->xf_fmt[x->nxf++] = id;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	bd_xlsx *x = ud;
	if (strcmp(local_name(name), "cellXfs") == 0)
		x->in_cellxfs = false;
	else if (strcmp(local_name(name), "numFmts") == 0)
		x->in_numfmts = false;
}

/* Decides xf_kind from xf_fmt once both lists are read. */
static bd_err resolve_styles(bd_xlsx *x)
{
	if (!x->nxf)
		return BD_OK;
	x->xf_kind = calloc(x->nxf, 1);
	if (!x->xf_kind)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	for (uint32_t i = 0; i < x->nxf; i++) {
		uint32_t id = x->xf_fmt[i];
		/* a <numFmt> of the workbook overrides a built-in id */
		bd_numfmt kind = bd_numfmt_builtin(id);
		for (uint32_t k = x->ncfmt; k-- > 0;) {
			if (x->cfmt_id[k] == id) {
				kind = (bd_numfmt)x->cfmt_kind[k];
				break;
			}
		}
		x->xf_kind[i] = (uint8_t)kind;
	}
	return BD_OK;
}

/* ---- worksheet ------------------------------------------------------ */

/* "C5" -> column 2 (0-based); false when no letters or too far right. */
static bool parse_col(const char *ref, uint32_t *col)
{
	uint32_t c = 0;
	const char *p = ref;
	for (; *p; p++) {
		int ch = toupper((unsigned char)*p);
		if (ch == '$')
			continue;
		if (ch < 'A' || ch > 'Z')
			break;
		c = c * 26 + (uint32_t)(ch - 'A' + 1);
		if (c > BD_SHEET_MAX_COLS)
			return false;
	}
	if (c == 0)
		return false;
	*col = c - 1;
	return true;
}

/* Hands the pending row over: built in rb, delivered from rb_out (valid
 * until the next delivery) so that rb can take the next row. */
static bool deliver_row(bd_xlsx *x)
{
	x->row_pending = false;
	bd_err e = bd_rowbuf_finish(&x->rb, x->rowno, &x->row);
	if (e) {
		cb_fail(x, e);
		return false;
	}
	bd_rowbuf t = x->rb_out;
	x->rb_out = x->rb;
	x->rb = t;
	x->row_ready = true;
	return true;
}

static void XMLCALL ws_start(void *ud, const XML_Char *name,
			     const XML_Char **atts)
{
	bd_xlsx *x = ud;
	const char *ln = local_name(name);
	if (!x->in_sd) {
		if (strcmp(ln, "sheetData") == 0)
			x->in_sd = true;
		return;
	}
	if (strcmp(ln, "row") == 0) {
		uint32_t r;
		const char *rs = attr(atts, "r");
		if (rs) {
			if (!parse_u32(rs, &r) || r == 0) {
				cb_fail(x, bd_fail(BD_ERR_FORMAT,
						   "XLSX 文件 %s 行号无效 \"%.20s\" "
						   "(bad row number)", x->path, rs));
				return;
			}
		} else {
			if (x->last_row == UINT32_MAX) {
				cb_fail(x, bd_fail(BD_ERR_LIMIT, "XLSX 文件 %s "
						   "行数过多 (too many rows)",
						   x->path));
				return;
			}
			r = x->last_row + 1;
		}
		x->in_row = true;
		x->next_col = 0;
		if (x->row_pending && r == x->rowno)
			return; /* the same row again: its cells join the first */
		if (x->row_pending && deliver_row(x))
			XML_StopParser(x->p, XML_TRUE);
		x->rowno = r;
		bd_rowbuf_reset(&x->rb);
	} else if (x->in_row && strcmp(ln, "c") == 0) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"),
			   *s = attr(atts, "s");
		if (ref) {
			if (!parse_col(ref, &x->col)) {
				cb_fail(x, bd_fail(BD_ERR_FORMAT,
						   "XLSX 文件 %s 第 %u 行单元格引用无效 "
						   "\"%.20s\" (bad cell reference)",
						   x->path, x->rowno, ref));
				return;
			}
		} else {
			x->col = x->next_col;
		}
		if (x->col >= BD_SHEET_MAX_COLS) {
			cb_fail(x, bd_fail(BD_ERR_LIMIT, "XLSX 文件 %s 第 %u 行列数"
					   "过多 (too many columns)", x->path,
					   x->rowno));
			return;
		}
		x->ctype = 'n';
		if (t) {
			if (strcmp(t, "s") == 0)
				x->ctype = 's';
			else if (strcmp(t, "inlineStr") == 0)
				x->ctype = 'i';
			else if (strcmp(t, "str") == 0)
				x->ctype = 'f';
			else if (strcmp(t, "b") == 0)
				x->ctype = 'b';
			else if (strcmp(t, "e") == 0)
				x->ctype = 'e';
			else if (strcmp(t, "d") == 0)
				x->ctype = 'd';
		}
		if (!s || !parse_u32(s, &x->style))
			x->style = 0;
		x->in_c = true;
		x->in_is = false;
		x->rph = 0;
		bd_buf_reset(&x->val);
	} else if (x->in_c) {
		if (strcmp(ln, "v") == 0) {
			/* an inline string's text is in <is> alone */
			x->in_v = x->ctype != 'i';
		} else if (strcmp(ln, "is") == 0) {
			x->in_is = true;
			if (x->ctype != 'i')
				bd_buf_reset(&x->val); /* drop a <v> read before */
			x->ctype = 'i';
		} else if (x->in_is && strcmp(ln, "rPh") == 0) {
			x->rph++;
		} else if (x->in_is && x->rph == 0 && strcmp(ln, "t") == 0) {
			x->in_t = true;
		}
	}
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Converts the collected text of the cell just closed and places it. */
static bd_err finish_cell(bd_xlsx *x)
{
	char num[64];
	const char *s = x->val.data ? x->val.data : "";
	size_t n = x->val.len;
	switch (x->ctype) {
	case 's': {
		uint32_t idx;
		size_t a = 0, b = n;
		while (a < b && is_ws(s[a]))
			a++;
		while (b > a && is_ws(s[b - 1]))
			b--;
		if (a == b)
			return BD_OK;
		char tmp[16];
		if (b - a >= sizeof(tmp))
			b = a + sizeof(tmp) - 1;
		memcpy(tmp, s + a, b - a);
		tmp[b - a] = '\0';
		if (!parse_u32(tmp, &idx) || idx >= x->sst_n)
			return bd_fail(BD_ERR_FORMAT,
				       "XLSX 文件 %s 第 %u 行共享字符串编号无效 "
				       "\"%s\" (bad shared string index)",
				       x->path, x->rowno, tmp);
		return bd_rowbuf_set(&x->rb, x->col, x->sst.data + x->sst_off[idx],
				     x->sst_len[idx]);
	}
	case 'i':
	case 'f':
		if (n)
			n = decode_xescapes(x->val.data, n);
		return bd_rowbuf_set(&x->rb, x->col, s, n);
	case 'b':
		if (n == 1 && (s[0] == '0' || s[0] == '1'))
			return bd_rowbuf_set(&x->rb, x->col,
					     s[0] == '1' ? "TRUE" : "FALSE",
					     s[0] == '1' ? 4 : 5);
		return bd_rowbuf_set(&x->rb, x->col, s, n);
	case 'd': {
		/* ISO 8601 date-time: the date part; a time or a duration
		 * (PT12H) is kept as written. */
		if (n > 10 && s[4] == '-' && s[7] == '-' && s[10] == 'T')
			n = 10;
		return bd_rowbuf_set(&x->rb, x->col, s, n);
	}
	case 'e':
		return bd_rowbuf_set(&x->rb, x->col, s, n);
	default:
		break;
	}
	/* numeric */
	size_t a = 0, b = n;
	while (a < b && is_ws(s[a]))
		a++;
	while (b > a && is_ws(s[b - 1]))
		b--;
	if (a == b)
		return BD_OK;
	if (b - a < sizeof(num)) {
		memcpy(num, s + a, b - a);
		num[b - a] = '\0';
		char *end;
		errno = 0;
		double v = strtod(num, &end);
		if (end != num && *end == '\0' && errno != ERANGE) {
			bd_numfmt kind = x->style < x->nxf && x->xf_kind
					 ? (bd_numfmt)x->xf_kind[x->style] : BD_NF_NUMBER;
			bool date = kind == BD_NF_DATE;
			if (date && x->date1904)
				v += 1462;
			char out[64];
			size_t on = bd_number_render_fmt(v, kind, out, sizeof(out));
			return bd_rowbuf_set(&x->rb, x->col, out, on);
		}
	}
	/* Not a number after all: keep the text. */
	return bd_rowbuf_set(&x->rb, x->col, s + a, b - a);
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
	bd_xlsx *x = ud;
	const char *ln = local_name(name);
	if (!x->in_sd)
		return;
	if (x->in_c) {
		if (strcmp(ln, "v") == 0) {
			x->in_v = false;
		} else if (strcmp(ln, "t") == 0) {
			x->in_t = false;
		} else if (strcmp(ln, "rPh") == 0) {
			if (x->rph > 0)
				x->rph--;
		} else if (strcmp(ln, "is") == 0) {
			x->in_is = false;
		} else if (strcmp(ln, "c") == 0) {
			x->in_c = x->in_v = x->in_t = x->in_is = false;
			bd_err e = finish_cell(x);
			if (e) {
				cb_fail(x, e);
				return;
			}
			x->next_col = x->col + 1;
		}
		return;
	}
	if (x->in_row && strcmp(ln, "row") == 0) {
		x->in_row = false;
		x->last_row = x->rowno;
		x->row_pending = true;
	} else if (strcmp(ln, "sheetData") == 0) {
		x->in_sd = false;
		if (x->row_pending)
			deliver_row(x);
	}
}

/* ---- open / next / close -------------------------------------------- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Picks the worksheet part to read into part (package path). */
static bd_err choose_sheet(bd_xlsx *x, const char *wbdir, const char *sheet,
			   char *part, size_t partsz)
{
	const sheet_ent *se = NULL;
	if (!sheet || !*sheet) {
		for (uint32_t i = 0; i < x->nsheet && !se; i++) {
			const rel *r = find_rel_id(x, x->sheets[i].rid);
			if (r && (ends_with(r->type, "/worksheet") || !*r->type))
				se = &x->sheets[i];
		}
		if (!se && x->nsheet == 0) {
			snprintf(part, partsz, "%sworksheets/sheet1.xml", wbdir);
			if (locate(x, part))
				return BD_OK;
		}
		if (!se)
			return bd_fail(BD_ERR_FORMAT,
				       "XLSX 文件 %s 中没有工作表 (no worksheet "
				       "in workbook)", x->path);
	} else if (all_digits(sheet)) {
		uint32_t k;
		if (!parse_u32(sheet, &k) || k == 0 || k > x->nsheet)
			return bd_fail(BD_ERR_FORMAT,
				       "XLSX 文件 %s 没有第 %s 个工作表, 共 %u 个 "
				       "(no sheet number %s; %u sheets)", x->path,
				       sheet, x->nsheet, sheet, x->nsheet);
		se = &x->sheets[k - 1];
	} else {
		for (uint32_t i = 0; i < x->nsheet && !se; i++)
			if (strcmp(x->sheets[i].name, sheet) == 0)
				se = &x->sheets[i];
		for (uint32_t i = 0; i < x->nsheet && !se; i++)
			if (strcasecmp(x->sheets[i].name, sheet) == 0)
				se = &x->sheets[i];
		if (!se) {
			bd_buf names = BD_BUF_INIT(1024);
			for (uint32_t i = 0; i < x->nsheet; i++)
				if (bd_buf_addf(&names, "%s\"%s\"", i ? ", " : "",
						x->sheets[i].name))
					break;
			bd_err e = bd_fail(BD_ERR_FORMAT,
					   "XLSX 文件 %s 中没有名为 \"%s\" 的工作表, "
					   "现有: %s (no such sheet)", x->path,
					   sheet, names.data ? names.data : "");
			bd_buf_release(&names);
			return e;
		}
	}
	x->chosen = se->name;
	const rel *r = find_rel_id(x, se->rid);
	if (!r || !resolve_target(wbdir, r->target, part, partsz))
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 工作表 \"%s\" 的关系 %s 无效 "
			       "(sheet relationship not found)", x->path,
			       se->name, se->rid);
	if (!ends_with(r->type, "/worksheet") && *r->type)
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 的 \"%s\" 不是普通工作表 "
			       "(not a worksheet: %s)", x->path, se->name,
			       r->type);
	return BD_OK;
}

const char *bd_xlsx_sheet_name(const bd_xlsx *x)
{
	return x->chosen ? x->chosen : "";
}

uint32_t bd_xlsx_sheet_count(const bd_xlsx *x)
{
	return x->nsheet;
}

const char *bd_xlsx_sheet_name_at(const bd_xlsx *x, uint32_t i)
{
	return i < x->nsheet ? x->sheets[i].name : NULL;
}

static bd_err load_workbook(bd_xlsx *x, const char *sheet)
{
	bool found;
	char wbpart[XLSX_MAX_NAME + 1] = "xl/workbook.xml";
	char wbdir[XLSX_MAX_NAME + 1], relpart[XLSX_MAX_NAME * 2 + 16];
	char part[XLSX_MAX_NAME * 2 + 64];
	bd_err e;

	/* Package relationships name the workbook part. */
	e = parse_part(x, "_rels/.rels", rels_start, no_end, NULL,
		       XLSX_MAX_SMALL_PART, &found);
	if (e)
		return e;
	const rel *r = find_rel_type(x, "/officeDocument");
	if (r && !resolve_target("", r->target, wbpart, sizeof(wbpart)))
		snprintf(wbpart, sizeof(wbpart), "xl/workbook.xml");
	free_rels(x);

	const char *slash = strrchr(wbpart, '/');
	size_t dl = slash ? (size_t)(slash - wbpart) + 1 : 0;
	memcpy(wbdir, wbpart, dl);
	wbdir[dl] = '\0';
	snprintf(relpart, sizeof(relpart), "%s_rels/%s.rels", wbdir,
		 wbpart + dl);

	e = parse_part(x, wbpart, wb_start, no_end, NULL, XLSX_MAX_SMALL_PART,
		       &found);
	if (e)
		return e;
	bool have_wb = found;
	e = parse_part(x, relpart, rels_start, no_end, NULL,
		       XLSX_MAX_SMALL_PART, &found);
	if (e)
		return e;
	if (!have_wb && !locate(x, "xl/worksheets/sheet1.xml"))
		return bd_fail(BD_ERR_FORMAT,
			       "%s 是 zip 文件但不是 XLSX 工作簿 (zip file without "
			       "an Excel workbook)", x->path);

	/* Shared strings and styles, by relationship or at the usual place. */
	r = find_rel_type(x, "/sharedStrings");
	if (!r || !resolve_target(wbdir, r->target, part, sizeof(part)))
		snprintf(part, sizeof(part), "%ssharedStrings.xml", wbdir);
	e = parse_part(x, part, sst_start, sst_end, text_chars, 0, &found);
	if (e)
		return e;
	r = find_rel_type(x, "/styles");
	if (!r || !resolve_target(wbdir, r->target, part, sizeof(part)))
		snprintf(part, sizeof(part), "%sstyles.xml", wbdir);
	e = parse_part(x, part, styles_start, styles_end, NULL,
		       XLSX_MAX_SMALL_PART, &found);
	if (e)
		return e;
	e = resolve_styles(x);
	if (e)
		return e;

	e = choose_sheet(x, wbdir, sheet, part, sizeof(part));
	if (e)
		return e;
	if (!locate(x, part))
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 缺少工作表部件 %s (worksheet part "
			       "missing)", x->path, part);
	x->part = strdup(part);
	if (!x->part)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	e = open_part(x, part);
	if (e)
		return e;
	x->p = XML_ParserCreate(NULL);
	if (!x->p)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, ws_start, ws_end);
	XML_SetCharacterDataHandler(x->p, text_chars);
	x->in_sd = x->in_row = x->in_c = x->in_v = x->in_t = x->in_is = false;
	x->rph = 0;
	return BD_OK;
}

bd_err bd_xlsx_open(const char *path, const char *sheet, bd_xlsx **out)
{
	*out = NULL;
	bd_xlsx *x = calloc(1, sizeof(*x));
	if (!x)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	x->path = strdup(path);
	x->sst.max = XLSX_MAX_SST;
	x->val.max = BD_SHEET_MAX_CELL;
	bd_rowbuf_init(&x->rb);
	bd_rowbuf_init(&x->rb_out);
	if (!x->path) {
		bd_xlsx_close(x);
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		bd_err e = bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open "
				   "file)", path, strerror(errno));
		bd_xlsx_close(x);
		return e;
	}
	fclose(f);
	x->zf = unzOpen64(path);
	if (!x->zf) {
		bd_xlsx_close(x);
		return bd_fail(BD_ERR_FORMAT,
			       "XLSX 文件 %s 不是有效的 zip 文件, 可能已损坏或不完整 "
			       "(not a valid zip/XLSX file)", path);
	}
	bd_err e = load_workbook(x, sheet);
	if (e) {
		bd_xlsx_close(x);
		return e;
	}
	*out = x;
	return BD_OK;
}

bd_err bd_xlsx_next(bd_xlsx *x, bd_row *row, bool *eof)
{
	*eof = false;
	if (x->err)
		return x->err;
	if (x->done) {
		*eof = true;
		return BD_OK;
	}
	for (;;) {
		XML_ParsingStatus ps;
		enum XML_Status st;
		XML_GetParsingStatus(x->p, &ps);
		if (ps.parsing == XML_FINISHED) {
			x->done = true;
			bd_err e = close_part(x, x->part);
			if (e)
				return x->err = e;
			*eof = true;
			return BD_OK;
		}
		if (ps.parsing == XML_SUSPENDED) {
			st = XML_ResumeParser(x->p);
		} else {
			int n = 0;
			bd_err e = read_chunk(x, x->p, x->part, &n);
			if (e)
				return x->err = e;
			if (n == 0) {
				e = close_part(x, x->part);
				if (e)
					return x->err = e;
			}
			st = XML_ParseBuffer(x->p, n, n == 0);
		}
		if (st == XML_STATUS_ERROR)
			return x->err = xml_error(x, x->p, x->part);
		if (x->row_ready) {
			x->row_ready = false;
			*row = x->row;
			return BD_OK;
		}
	}
}

void bd_xlsx_close(bd_xlsx *x)
{
	if (!x)
		return;
	if (x->p)
		XML_ParserFree(x->p);
	if (x->zf) {
		if (x->entry_open)
			unzCloseCurrentFile(x->zf);
		unzClose(x->zf);
	}
	for (uint32_t i = 0; i < x->nsheet; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
	}
	free(x->sheets);
	free_rels(x);
	bd_buf_release(&x->sst);
	free(x->sst_off);
	free(x->sst_len);
	free(x->xf_fmt);
	free(x->xf_kind);
	free(x->cfmt_id);
	free(x->cfmt_kind);
	bd_buf_release(&x->val);
	bd_rowbuf_free(&x->rb);
	bd_rowbuf_free(&x->rb_out);
	free(x->part);
	free(x->path);
	free(x);
}
