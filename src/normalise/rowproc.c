/* rowproc.c - one input row to index entries or a rejection. */
#include "bd/rowproc.h"
#include "bd/sheet.h"
#include "bd/idnum.h"
#include "bd/normal.h"
#include "bd/record.h"

#include "bd/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output helpers ---- */

void bd_rowout_init(bd_rowout *o)
{
	memset(o, 0, sizeof(*o));
	o->entries.max = (size_t)1 << 31;
	o->rejects.max = (size_t)1 << 31;
}

bd_err bd_rowout_shard(bd_rowout *o, int shards)
{
	if (shards <= 1 || o->part)
		return BD_OK;
	o->part = calloc((size_t)shards, sizeof(*o->part));
	if (!o->part)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	for (int s = 0; s < shards; s++)
		o->part[s] = (bd_buf)BD_BUF_INIT((size_t)1 << 31);
	o->shards = shards;
	return BD_OK;
}

void bd_rowout_reset(bd_rowout *o)
{
	bd_buf_reset(&o->entries);
	for (int s = 0; s < o->shards; s++)
		bd_buf_reset(&o->part[s]);
	bd_buf_reset(&o->rejects);
	memset(&o->acc, 0, sizeof(o->acc));
	memset(&o->unres, 0, sizeof(o->unres));
	o->as_of_lo = o->as_of_hi = 0;
}

void bd_rowout_release(bd_rowout *o)
{
	bd_buf_release(&o->entries);
	for (int s = 0; s < o->shards; s++)
		bd_buf_release(&o->part[s]);
	free(o->part);
	o->part = NULL;
	o->shards = 0;
	bd_buf_release(&o->rejects);
}

void bd_unres_add(bd_unres *u, const char *s, size_t n, uint64_t count)
{
	if (n >= sizeof(u->value[0]))
		n = sizeof(u->value[0]) - 1;
	for (int i = 0; i < u->n; i++)
		if (strlen(u->value[i]) == n && !memcmp(u->value[i], s, n)) {
			u->count[i] += count;
			return;
		}
	if (u->n >= BD_UNRES_MAX) {
		u->more += count;
		return;
	}
	memcpy(u->value[u->n], s, n);
	u->value[u->n][n] = '\0';
	u->count[u->n++] = count;
}

void bd_unres_merge(bd_unres *into, const bd_unres *from)
{
	for (int i = 0; i < from->n; i++)
		bd_unres_add(into, from->value[i], strlen(from->value[i]), from->count[i]);
	into->more += from->more;
}

static bd_err emit(bd_rowout *o, int tag, const uint8_t key[32], const void *val, size_t vlen)
{
	uint8_t head[35];
	head[0] = (uint8_t)tag;
	memcpy(head + 1, key, 32);
	head[33] = (uint8_t)(vlen & 0xff);
	head[34] = (uint8_t)(vlen >> 8);
	bd_buf *b = o->shards > 1 ? &o->part[bd_shard_of(key, o->shards)] : &o->entries;
	bd_err e = bd_buf_add(b, head, sizeof(head));
	return e ? e : bd_buf_add(b, val, vlen);
}

static bd_err emit_rec(bd_rowout *o, int tag, const uint8_t key[32], const bd_rec *r)
{
	uint8_t buf[BD_REC_MAXSIZE];
	bool cut = false;
	size_t n = bd_rec_pack(r, buf, sizeof(buf), &cut);
	if (!n)
		return bd_fail(BD_ERR_INTERNAL, "record too large");
	if (cut)
		o->acc.warnings[BD_WN_TRUNCATED]++;
	return emit(o, tag, key, buf, n);
}

/* ---- cell access ---- */

typedef struct cellv {
	const char *s;
	size_t n;
} cellv;

static cellv cell(const bd_rowctx *c, const bd_row *row, int f)
{
	cellv v = { "", 0 };
	int col = c->map.col[f];
	if (col < 0 || (uint32_t)col >= row->ncell)
		return v;
	v.s = bd_trim(row->cells[col].s, row->cells[col].n, &v.n);
	return v;
}

static bool has_col(const bd_rowctx *c, int f)
{
	return c->map.col[f] >= 0;
}

typedef struct rowstate {
	const bd_rowctx *c;
	const bd_row *row;
	bd_rowout *o;
} rowstate;

static bd_err reject(rowstate *st, int f, bd_reason why, cellv raw, bool is_id,
		     const char *detail)
{
	bd_rowout *o = st->o;
	/* a value the file did not give is not a value the clerk typed */
	int col = f >= 0 ? st->c->map.col[f] : -1;
	if (col >= 0 && (uint32_t)col < st->row->ncell && st->row->cells[col].s == bd_cell_unreadable) {
		why = BD_RJ_CELL_UNREADABLE;
		detail = NULL;
	}
	o->acc.rejected[why]++;
	char masked[96];
	if (is_id) {
		bd_id_mask(raw.s, raw.n, masked, sizeof(masked));
	} else {
		bd_utf8_copy(masked, sizeof(masked), raw.s, raw.n);
	}
	uint8_t rowb[4] = { (uint8_t)st->row->rowno, (uint8_t)(st->row->rowno >> 8),
			    (uint8_t)(st->row->rowno >> 16), (uint8_t)(st->row->rowno >> 24) };
	const char *field = bd_schemas[st->c->ds].fields[f].name;
	const char *reason = bd_reason_code(why);
	bd_err e = bd_buf_add(&o->rejects, rowb, 4);
	if (!e) e = bd_buf_add(&o->rejects, field, strlen(field) + 1);
	if (!e) e = bd_buf_add(&o->rejects, reason, strlen(reason) + 1);
	if (!e) e = bd_buf_add(&o->rejects, masked, strlen(masked) + 1);
	if (!e) e = bd_buf_add(&o->rejects, detail ? detail : bd_reason_zh(why),
			       strlen(detail ? detail : bd_reason_zh(why)) + 1);
	return e;
}

/* A parsed ID cell. */
typedef struct idv {
	bd_id_status st;
	bd_id id;
	uint8_t hid[32];
	char mask[24];
	cellv raw;
} idv;

/* Narrows the reference dates for which the rows read the same by an ID
 * that D decided: valid (birth <= D) or rejected as born after D. */
static void note_as_of(bd_rowout *o, bd_id_status s, const bd_id *id)
{
	if (s != BD_ID_OK && s != BD_ID_FUTURE_DATE && s != BD_ID_BAD_CHECK && s != BD_ID_EXCEL_15)
		return;
	int32_t b = 0;
	for (int i = 6; i < 14; i++)
		b = b * 10 + (id->id[i] - '0');
	if (s == BD_ID_FUTURE_DATE) {
		if (!o->as_of_hi || b - 1 < o->as_of_hi)
			o->as_of_hi = b - 1;
	} else if (b > o->as_of_lo) {
		o->as_of_lo = b;
	}
}

static void take_id(rowstate *st, int f, int mask_field, idv *v)
{
	v->raw = cell(st->c, st->row, f);
	v->st = bd_id_normalise(v->raw.s, v->raw.n, st->c->as_of, &v->id);
	note_as_of(st->o, v->st, &v->id);
	v->mask[0] = '\0';
	if (v->st == BD_ID_OK) {
		bd_hmac(st->c->hasher, v->id.id, 18, v->hid);
		if (st->c->full_id)
			snprintf(v->mask, sizeof(v->mask), "%.18s", v->id.id);
		else
			bd_id_mask(v->id.id, 18, v->mask, sizeof(v->mask));
	} else if (v->st == BD_ID_HASHED) {
		bd_unhex(v->id.hex, 32, v->hid);
		if (mask_field >= 0) {
			cellv m = cell(st->c, st->row, mask_field);
			size_t n = m.n < sizeof(v->mask) - 1 ? m.n : sizeof(v->mask) - 1;
			memcpy(v->mask, m.s, n);
			v->mask[n] = '\0';
		}
	}
}

static bool id_usable(const idv *v)
{
	return v->st == BD_ID_OK || v->st == BD_ID_HASHED;
}

/* Rejects the row for its ID; returns the bd_err of recording it. */
static bd_err reject_id(rowstate *st, int f, const idv *v)
{
	bd_reason why = v->st == BD_ID_EMPTY ? BD_RJ_REQUIRED_EMPTY
			: bd_id_is_mangled(v->st) ? BD_RJ_EXCEL_MANGLED : BD_RJ_ID_INVALID;
	return reject(st, f, why, v->raw, true, bd_id_detail(v->st));
}

/* Optional linked ID (father, spouse, head): sets *ok when usable. */
static void take_link(rowstate *st, int f, uint8_t hid[32], bool *ok)
{
	idv v;
	*ok = false;
	if (!has_col(st->c, f))
		return;
	take_id(st, f, -1, &v);
	if (id_usable(&v)) {
		memcpy(hid, v.hid, 32);
		*ok = true;
	} else if (v.st != BD_ID_EMPTY) {
		st->o->acc.warnings[BD_WN_LINK_ID_INVALID]++;
	}
}

/* Date cell: BD_PARSE_* result, value in *ymd (0 when empty/none). */
static bd_parse take_date(rowstate *st, int f, int32_t *ymd)
{
	*ymd = 0;
	cellv v = cell(st->c, st->row, f);
	bd_parse p = bd_date_parse(v.s, v.n, ymd);
	if (p != BD_PARSE_OK)
		*ymd = 0;
	return p;
}

/* Optional date: invalid values become 0 with a warning. */
static int32_t opt_date(rowstate *st, int f)
{
	int32_t d;
	if (take_date(st, f, &d) == BD_PARSE_INVALID)
		st->o->acc.warnings[BD_WN_OPTIONAL_INVALID]++;
	return d;
}

static bool required_empty(rowstate *st, int f, bd_err *e)
{
	cellv v = cell(st->c, st->row, f);
	if (v.n)
		return false;
	*e = reject(st, f, BD_RJ_REQUIRED_EMPTY, v, false, NULL);
	return true;
}

static void setstr(bd_rec *r, int slot, cellv v)
{
	bd_rec_setstr(r, slot, v.s, v.n);
}

static void start_rec(rowstate *st, bd_rec *r, int nnum, int nstr)
{
	memset(r, 0, offsetof(bd_rec, num));
	memset(r->num, 0, sizeof(r->num));
	for (int i = 0; i < nstr; i++)
		bd_rec_setstr(r, i, "", 0);
	r->section = st->c->section_idx;
	r->row = st->row->rowno;
	r->nnum = (uint8_t)nnum;
	r->nstr = (uint8_t)nstr;
}

/*
 * The subject of a row: its ID (rejecting the row when unusable) and, when
 * namef >= 0, a required name. Returns false when the row was rejected;
 * *e then holds the result of recording that.
 */
static bool take_subject(rowstate *st, int idf, int maskf, int namef, idv *id, bd_err *e)
{
	*e = BD_OK;
	take_id(st, idf, maskf, id);
	if (!id_usable(id)) {
		*e = reject_id(st, idf, id);
		return false;
	}
	return namef < 0 || !required_empty(st, namef, e);
}

/* Sets the display name and masked ID of r, stores it under the subject's
 * hid and counts the row accepted. */
static bd_err accept_rec(rowstate *st, bd_rec *r, const idv *id, int name_slot, int namef,
			 int mask_slot)
{
	if (name_slot >= 0)
		setstr(r, name_slot, cell(st->c, st->row, namef));
	bd_rec_setstr(r, mask_slot, id->mask, strlen(id->mask));
	bd_err e = emit_rec(st->o, BD_TAG_MAIN, id->hid, r);
	if (!e)
		st->o->acc.accepted++;
	return e;
}

/* ---- blocking and hukou keys ---- */

void bd_block_key14(const bd_hasher *h, const char *digits14, const char *name,
		    size_t nlen, uint8_t out[32])
{
	char norm[256];
	size_t n = bd_name_normalise(name, nlen, norm, sizeof(norm));
	const char *parts[] = { "b14", digits14, norm };
	const size_t lens[] = { 3, 14, n };
	bd_hmac_parts(h, parts, lens, 3, out);
}

void bd_hukou_key(const bd_hasher *h, const char *hukou, size_t n, uint8_t out[32])
{
	const char *parts[] = { "hukou", hukou };
	const size_t lens[] = { 5, n };
	bd_hmac_parts(h, parts, lens, 2, out);
}

/* ---- datasets ---- */

static bd_err do_person(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	take_id(st, BD_F_P_ID, BD_F_P_IDMASK, &id);
	if (!id_usable(&id))
		return reject_id(st, BD_F_P_ID, &id);
	if (required_empty(st, BD_F_P_NAME, &e) || required_empty(st, BD_F_P_HUKOU, &e) ||
	    required_empty(st, BD_F_P_REGION, &e) || required_empty(st, BD_F_P_STATUS, &e))
		return e;
	cellv status = cell(c, st->row, BD_F_P_STATUS);
	bd_pstatus ps = bd_pstatus_parse(status.s, status.n);
	if (ps == BD_PS_UNKNOWN)
		return reject(st, BD_F_P_STATUS, BD_RJ_CODE_INVALID, status, false,
			      "人员状态无法识别");
	bd_rec r;
	start_rec(st, &r, BD_P_NNUM, BD_P_NSTR);
	cellv sexv = cell(c, st->row, BD_F_P_SEX);
	uint8_t sex = id.id.sex;
	if (sexv.n && bd_sex_parse(sexv.s, sexv.n, &sex) != BD_PARSE_OK) {
		st->o->acc.warnings[BD_WN_OPTIONAL_INVALID]++;
		sex = id.id.sex;
	}
	int32_t birth = opt_date(st, BD_F_P_BIRTH);
	if (!birth)
		birth = id.id.birth;
	int32_t sdate = opt_date(st, BD_F_P_STATUS_DATE);
	if (!sdate && ps == BD_PS_DEAD && has_col(c, BD_F_P_DEATH_DATE))
		sdate = opt_date(st, BD_F_P_DEATH_DATE);
	if (!sdate && ps == BD_PS_MOVED && has_col(c, BD_F_P_MOVE_DATE))
		sdate = opt_date(st, BD_F_P_MOVE_DATE);
	r.num[BD_P_SEX] = sex;
	r.num[BD_P_BIRTH] = birth;
	r.num[BD_P_STATUS] = ps;
	r.num[BD_P_STATUS_DATE] = sdate;
	setstr(&r, BD_P_NAME, cell(c, st->row, BD_F_P_NAME));
	bd_rec_setstr(&r, BD_P_IDMASK, id.mask, strlen(id.mask));
	cellv hukou = cell(c, st->row, BD_F_P_HUKOU);
	setstr(&r, BD_P_HUKOU, hukou);
	char rel[64];
	cellv relv = cell(c, st->row, BD_F_P_RELATION);
	size_t reln = bd_relation_display(relv.s, relv.n, rel, sizeof(rel));
	bd_rec_setstr(&r, BD_P_RELATION, rel, reln);
	setstr(&r, BD_P_REGION, cell(c, st->row, BD_F_P_REGION));
	uint8_t link[32];
	bool ok;
	static const int link_fields[3] = { BD_F_P_FATHER, BD_F_P_MOTHER, BD_F_P_SPOUSE };
	static const int link_slots[3] = { BD_P_FATHER, BD_P_MOTHER, BD_P_SPOUSE };
	for (int i = 0; i < 3 && !e; i++) {
		take_link(st, link_fields[i], link, &ok);
		if (!ok)
			continue;
		bd_rec_sethid(&r, link_slots[i], link);
		/* reverse edges: parent -> child, spouse -> person */
		e = emit(st->o, i < 2 ? BD_TAG_P_CHILD : BD_TAG_P_SPOUSE, link, id.hid, 32);
	}
	if (!e)
		e = emit_rec(st->o, BD_TAG_MAIN, id.hid, &r);
	uint8_t k[32];
	if (!e) {
		bd_hukou_key(c->hasher, hukou.s, hukou.n, k);
		e = emit(st->o, BD_TAG_P_HUKOU, k, id.hid, 32);
	}
	if (!e && id.st == BD_ID_OK) {
		cellv name = cell(c, st->row, BD_F_P_NAME);
		uint8_t v[33];
		memcpy(v, id.hid, 32);
		v[32] = (uint8_t)id.id.id[14]; /* the 15th character */
		bd_block_key14(c->hasher, id.id.id, name.s, name.n, k);
		e = emit(st->o, BD_TAG_P_B14, k, v, 33);
	}
	if (!e) {
		st->o->acc.accepted++;
		if (id.id.upgraded15)
			st->o->acc.warnings[BD_WN_ID_UPGRADED15]++;
	}
	return e;
}

static bd_err do_vehicle(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	cellv kind = cell(c, st->row, BD_F_V_KIND);
	if (has_col(c, BD_F_V_KIND) && kind.n && !bd_owner_kind_is_person(kind.s, kind.n)) {
		st->o->acc.skipped[BD_SK_OWNER_NOT_PERSON]++;
		return BD_OK;
	}
	idv id;
	take_id(st, BD_F_V_OWNER, BD_F_V_IDMASK, &id);
	if (!id_usable(&id)) {
		/* no kind column, or an empty kind cell: a valid credit code is an
		 * organisation (DATA.md; the empty cell is read the same way) */
		if (!kind.n && bd_uscc_valid(id.raw.s, id.raw.n)) {
			st->o->acc.skipped[BD_SK_OWNER_NOT_PERSON]++;
			return BD_OK;
		}
		return reject_id(st, BD_F_V_OWNER, &id);
	}
	if (required_empty(st, BD_F_V_PLATE, &e) || required_empty(st, BD_F_V_TYPE, &e) ||
	    required_empty(st, BD_F_V_STATUS, &e))
		return e;
	cellv status = cell(c, st->row, BD_F_V_STATUS);
	bd_vstatus vs = bd_vstatus_parse(status.s, status.n);
	if (vs == BD_VS_UNKNOWN) {
		/* a file-level error once all rows are seen: values are listed */
		bd_unres_add(&st->o->unres, status.s, status.n, 1);
		st->o->acc.accepted++;
		return BD_OK;
	}
	bd_rec r;
	start_rec(st, &r, BD_V_NNUM, BD_V_NSTR);
	r.num[BD_V_REG_DATE] = opt_date(st, BD_F_V_REG_DATE);
	r.num[BD_V_STATUS] = vs;
	setstr(&r, BD_V_PLATE, cell(c, st->row, BD_F_V_PLATE));
	setstr(&r, BD_V_TYPE, cell(c, st->row, BD_F_V_TYPE));
	setstr(&r, BD_V_STATUS_TEXT, status);
	return accept_rec(st, &r, &id, -1, -1, BD_V_IDMASK);
}

static bd_err do_custody(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	if (!take_subject(st, BD_F_CU_ID, BD_F_CU_IDMASK, BD_F_CU_NAME, &id, &e))
		return e;
	bd_custody type = c->section_custody;
	if (type == BD_CU_UNKNOWN) {
		if (required_empty(st, BD_F_CU_TYPE, &e))
			return e;
		cellv t = cell(c, st->row, BD_F_CU_TYPE);
		type = bd_custody_parse(t.s, t.n);
		if (type == BD_CU_UNKNOWN)
			return reject(st, BD_F_CU_TYPE, BD_RJ_CODE_INVALID, t, false,
				      "羁押类型无法识别（应为 服刑、强制隔离戒毒、拘留、看守所羁押）");
	}
	int32_t start, end;
	if (required_empty(st, BD_F_CU_START, &e))
		return e;
	if (take_date(st, BD_F_CU_START, &start) != BD_PARSE_OK)
		return reject(st, BD_F_CU_START, BD_RJ_DATE_INVALID,
			      cell(c, st->row, BD_F_CU_START), false, NULL);
	/* An unreadable release date must not read as "still held". */
	if (take_date(st, BD_F_CU_END, &end) == BD_PARSE_INVALID)
		return reject(st, BD_F_CU_END, BD_RJ_DATE_INVALID,
			      cell(c, st->row, BD_F_CU_END), false, NULL);
	bd_rec r;
	start_rec(st, &r, BD_CU_NNUM, BD_CU_NSTR);
	r.num[BD_CU_TYPE] = type;
	r.num[BD_CU_START] = start;
	r.num[BD_CU_END] = end;
	return accept_rec(st, &r, &id, BD_CU_NAME, BD_F_CU_NAME, BD_CU_IDMASK);
}

static bd_err do_cert(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	cellv certno = cell(c, st->row, BD_F_CE_CERTNO);
	take_id(st, BD_F_CE_ID, BD_F_CE_IDMASK, &id);
	int idfield = BD_F_CE_ID;
	if (id.st == BD_ID_EMPTY && certno.n >= 18) {
		/* the ID is the first 18 characters of the certificate number */
		id.raw.s = certno.s;
		id.raw.n = 18;
		idfield = BD_F_CE_CERTNO;
		id.st = bd_id_normalise(certno.s, 18, c->as_of, &id.id);
		note_as_of(st->o, id.st, &id.id);
		if (id.st == BD_ID_OK) {
			bd_hmac(c->hasher, id.id.id, 18, id.hid);
			if (c->full_id)
				snprintf(id.mask, sizeof(id.mask), "%.18s", id.id.id);
			else
				bd_id_mask(id.id.id, 18, id.mask, sizeof(id.mask));
		}
	}
	if (!id_usable(&id))
		return reject_id(st, idfield, &id);
	if (required_empty(st, BD_F_CE_NAME, &e))
		return e;
	int cat = 0, grade = 0;
	cellv cg = cell(c, st->row, BD_F_CE_CATGRADE);
	if (cg.n)
		bd_dis_combined_parse(cg.s, cg.n, &cat, &grade);
	cellv catv = cell(c, st->row, BD_F_CE_CATEGORY), gradev = cell(c, st->row, BD_F_CE_GRADE);
	if (catv.n) {
		int k = 0, g = 0;
		if (bd_dis_combined_parse(catv.s, catv.n, &k, &g)) {
			cat = k;
			grade = grade ? grade : g;
		} else {
			cat = bd_dis_category_parse(catv.s, catv.n);
		}
	}
	if (gradev.n) {
		int k = 0, g = 0;
		if (bd_dis_combined_parse(gradev.s, gradev.n, &k, &g)) {
			grade = g;
			cat = cat ? cat : k;
		} else {
			grade = bd_dis_grade_parse(gradev.s, gradev.n);
		}
	}
	if (!cat || !grade) {
		int f = !cat ? (catv.n || !cg.n ? BD_F_CE_CATEGORY : BD_F_CE_CATGRADE)
			     : (gradev.n || !cg.n ? BD_F_CE_GRADE : BD_F_CE_CATGRADE);
		cellv raw = cell(c, st->row, f);
		return reject(st, f, raw.n ? BD_RJ_CODE_INVALID : BD_RJ_REQUIRED_EMPTY, raw, false,
			      raw.n ? "残疾类别或等级无法识别" : NULL);
	}
	if (required_empty(st, BD_F_CE_STATUS, &e))
		return e;
	cellv sv = cell(c, st->row, BD_F_CE_STATUS);
	bd_cstatus cs = bd_cstatus_parse(sv.s, sv.n);
	if (cs == BD_CS_UNKNOWN)
		return reject(st, BD_F_CE_STATUS, BD_RJ_CODE_INVALID, sv, false,
			      "证件状态无法识别（应为 有效、正常、注销、过期）");
	int32_t valid;
	/* An unreadable expiry must not read as "valid for ever". */
	if (take_date(st, BD_F_CE_VALID, &valid) == BD_PARSE_INVALID)
		return reject(st, BD_F_CE_VALID, BD_RJ_DATE_INVALID,
			      cell(c, st->row, BD_F_CE_VALID), false, NULL);
	if (certno.n >= 20) {
		int kc = certno.s[18] - '0', kg = certno.s[19] - '0';
		if (kc != cat || kg != grade)
			st->o->acc.warnings[BD_WN_CERT_NO_MISMATCH]++;
	}
	bd_rec r;
	start_rec(st, &r, BD_CE_NNUM, BD_CE_NSTR);
	r.num[BD_CE_CATEGORY] = cat;
	r.num[BD_CE_GRADE] = grade;
	r.num[BD_CE_ISSUE] = opt_date(st, BD_F_CE_ISSUE);
	r.num[BD_CE_VALID_UNTIL] = valid;
	r.num[BD_CE_STATUS] = cs;
	setstr(&r, BD_CE_NAME, cell(c, st->row, BD_F_CE_NAME));
	char cmask[80];
	size_t cm = 0;
	if (certno.n >= 18) {
		/* the certificate number embeds the ID: keep only the mask + suffix */
		bd_id_mask(certno.s, 18, cmask, sizeof(cmask));
		cm = strlen(cmask);
		size_t rest = certno.n - 18 < sizeof(cmask) - cm - 1 ? certno.n - 18
								    : sizeof(cmask) - cm - 1;
		memcpy(cmask + cm, certno.s + 18, rest);
		cm += rest;
	}
	bd_rec_setstr(&r, BD_CE_CERTNO, cmask, cm);
	return accept_rec(st, &r, &id, -1, -1, BD_CE_IDMASK);
}

static bd_err do_death(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	if (!take_subject(st, BD_F_D_ID, BD_F_D_IDMASK, BD_F_D_NAME, &id, &e) ||
	    required_empty(st, BD_F_D_DATE, &e))
		return e;
	int32_t d;
	if (take_date(st, BD_F_D_DATE, &d) != BD_PARSE_OK)
		return reject(st, BD_F_D_DATE, BD_RJ_DATE_INVALID, cell(c, st->row, BD_F_D_DATE),
			      false, NULL);
	bd_rec r;
	start_rec(st, &r, BD_D_NNUM, BD_D_NSTR);
	r.num[BD_D_DEATH] = d;
	setstr(&r, BD_D_CAUSE, cell(c, st->row, BD_F_D_CAUSE));
	return accept_rec(st, &r, &id, BD_D_NAME, BD_F_D_NAME, BD_D_IDMASK);
}

static bool parse_money_field(rowstate *st, int f, int64_t *cents, bd_err *e)
{
	cellv v = cell(st->c, st->row, f);
	*cents = 0;
	bd_parse p = bd_money_parse(v.s, v.n, cents);
	if (p == BD_PARSE_INVALID) {
		*e = reject(st, f, BD_RJ_MONEY_INVALID, v, false, NULL);
		return false;
	}
	if (p != BD_PARSE_OK)
		*cents = 0;
	return true;
}

static bd_err do_illness(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	if (!take_subject(st, BD_F_I_ID, BD_F_I_IDMASK, BD_F_I_NAME, &id, &e))
		return e;
	int32_t settle = 0;
	int year = 0;
	cellv yv = cell(c, st->row, BD_F_I_YEAR);
	if (yv.n) {
		int32_t ym = 0;
		char tmp[16];
		if (yv.n == 4) {
			memcpy(tmp, yv.s, 4);
			memcpy(tmp + 4, "-01", 4);
			if (bd_month_parse(tmp, 7, &ym) == BD_PARSE_OK)
				year = ym / 100;
		}
		if (!year && bd_month_parse(yv.s, yv.n, &ym) == BD_PARSE_OK)
			year = ym / 100;
		if (!year)
			return reject(st, BD_F_I_YEAR, BD_RJ_DATE_INVALID, yv, false, "年度无法识别");
	}
	cellv sv = cell(c, st->row, BD_F_I_SETTLE);
	if (sv.n) {
		if (take_date(st, BD_F_I_SETTLE, &settle) != BD_PARSE_OK)
			return reject(st, BD_F_I_SETTLE, BD_RJ_DATE_INVALID, sv, false, NULL);
		if (!year)
			year = settle / 10000;
	}
	if (!year)
		return reject(st, has_col(c, BD_F_I_YEAR) ? BD_F_I_YEAR : BD_F_I_SETTLE,
			      BD_RJ_REQUIRED_EMPTY, yv, false, NULL);
	int64_t total, burden = 0, copay = 0, unc = 0;
	if (!parse_money_field(st, BD_F_I_TOTAL, &total, &e))
		return e;
	int64_t self_pay;
	cellv bv = cell(c, st->row, BD_F_I_BURDEN);
	if (has_col(c, BD_F_I_BURDEN) && bv.n) {
		if (!parse_money_field(st, BD_F_I_BURDEN, &burden, &e))
			return e;
		self_pay = burden;
	} else {
		if (!parse_money_field(st, BD_F_I_COPAY, &copay, &e) ||
		    !parse_money_field(st, BD_F_I_UNCOVERED, &unc, &e))
			return e;
		self_pay = copay + unc;
	}
	int major = 0;
	if (c->has_major) {
		cellv mv = cell(c, st->row, BD_F_I_MAJOR);
		bool yes = false;
		if (mv.n && bd_yesno_parse(mv.s, mv.n, &yes) != BD_PARSE_OK)
			st->o->acc.warnings[BD_WN_OPTIONAL_INVALID]++;
		major = yes ? 2 : 1;
	}
	bd_rec r;
	start_rec(st, &r, BD_I_NNUM, BD_I_NSTR);
	r.num[BD_I_YEAR] = year;
	r.num[BD_I_SETTLE] = settle;
	r.num[BD_I_MAJOR] = major;
	r.num[BD_I_TOTAL] = total;
	r.num[BD_I_SELF_PAY] = self_pay;
	setstr(&r, BD_I_DIAGNOSIS, cell(c, st->row, BD_F_I_DIAG));
	return accept_rec(st, &r, &id, BD_I_NAME, BD_F_I_NAME, BD_I_IDMASK);
}

static bd_err do_cremation(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	if (!take_subject(st, BD_F_CR_ID, BD_F_CR_IDMASK, BD_F_CR_NAME, &id, &e))
		return e;
	int32_t death, crem;
	if (take_date(st, BD_F_CR_DEATH, &death) == BD_PARSE_INVALID)
		return reject(st, BD_F_CR_DEATH, BD_RJ_DATE_INVALID,
			      cell(c, st->row, BD_F_CR_DEATH), false, NULL);
	if (take_date(st, BD_F_CR_CREMATION, &crem) == BD_PARSE_INVALID)
		return reject(st, BD_F_CR_CREMATION, BD_RJ_DATE_INVALID,
			      cell(c, st->row, BD_F_CR_CREMATION), false, NULL);
	if (!death && !crem)
		return reject(st, has_col(c, BD_F_CR_DEATH) ? BD_F_CR_DEATH : BD_F_CR_CREMATION,
			      BD_RJ_DATE_MISSING, cell(c, st->row, BD_F_CR_DEATH), false, NULL);
	bd_rec r;
	start_rec(st, &r, BD_CR_NNUM, BD_CR_NSTR);
	r.num[BD_CR_DEATH] = death ? death : crem;
	r.num[BD_CR_CREMATION] = crem;
	r.num[BD_CR_DEATH_FROM_CREMATION] = death ? 0 : 1;
	return accept_rec(st, &r, &id, BD_CR_NAME, BD_F_CR_NAME, BD_CR_IDMASK);
}

static bd_err do_cadre(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	if (!take_subject(st, BD_F_CA_ID, BD_F_CA_IDMASK, BD_F_CA_NAME, &id, &e) ||
	    required_empty(st, BD_F_CA_ROLE, &e) || required_empty(st, BD_F_CA_TOWNSHIP, &e))
		return e;
	bd_rec r;
	start_rec(st, &r, BD_CA_NNUM, BD_CA_NSTR);
	setstr(&r, BD_CA_ROLE, cell(c, st->row, BD_F_CA_ROLE));
	setstr(&r, BD_CA_TOWNSHIP, cell(c, st->row, BD_F_CA_TOWNSHIP));
	setstr(&r, BD_CA_VILLAGE, cell(c, st->row, BD_F_CA_VILLAGE));
	return accept_rec(st, &r, &id, BD_CA_NAME, BD_F_CA_NAME, BD_CA_IDMASK);
}

/* Programme of a roll row: section setting, programme.VALUE map, keywords. */
static bd_prog roll_programme(rowstate *st, cellv *raw)
{
	const bd_rowctx *c = st->c;
	*raw = cell(c, st->row, BD_F_R_PROG);
	if (c->section_prog != BD_PROG_NONE)
		return c->section_prog;
	for (size_t i = 0; c->sec && i < c->sec->nprogmap; i++) {
		const bd_kv *kv = &c->sec->progmap[i];
		if (strlen(kv->key) == raw->n && !memcmp(kv->key, raw->s, raw->n))
			return bd_prog_from_code(kv->value, strlen(kv->value));
	}
	return bd_prog_from_text(raw->s, raw->n);
}

static bd_err do_roll(rowstate *st)
{
	const bd_rowctx *c = st->c;
	bd_err e = BD_OK;
	idv id;
	take_id(st, BD_F_R_ID, BD_F_R_IDMASK, &id);
	bd_rec r;
	start_rec(st, &r, BD_R_NNUM, BD_R_NSTR);
	cellv prograw;
	bd_prog prog = roll_programme(st, &prograw);
	cellv name = cell(c, st->row, BD_F_R_NAME);
	setstr(&r, BD_R_NAME, name);
	setstr(&r, BD_R_TOWNSHIP, cell(c, st->row, BD_F_R_TOWNSHIP));
	setstr(&r, BD_R_VILLAGE, cell(c, st->row, BD_F_R_VILLAGE));
	setstr(&r, BD_R_PROGTEXT, prograw);
	char rel[64];
	cellv relv = cell(c, st->row, BD_F_R_RELATION);
	size_t reln = bd_relation_display(relv.s, relv.n, rel, sizeof(rel));
	bd_rec_setstr(&r, BD_R_RELATION, rel, reln);
	/* household: its id, else the head's hid */
	cellv hh = cell(c, st->row, BD_F_R_HOUSEHOLD);
	uint8_t head[32];
	bool head_ok = false;
	take_link(st, BD_F_R_HEAD, head, &head_ok);
	if (head_ok)
		bd_rec_sethid(&r, BD_R_HEAD, head);
	setstr(&r, BD_R_HOUSEHOLD, hh);
	r.num[BD_R_PROG] = prog;
	int64_t amt = 0;
	int amounts = 0;
	cellv mv = cell(c, st->row, BD_F_R_MONTHLY), hv = cell(c, st->row, BD_F_R_HH_AMOUNT);
	bool money_bad = false;
	int money_field = BD_F_R_MONTHLY;
	if (mv.n) {
		if (bd_money_parse(mv.s, mv.n, &amt) == BD_PARSE_OK) {
			r.num[BD_R_MONTHLY] = amt;
			amounts |= 1;
		} else {
			money_bad = true;
		}
	}
	if (hv.n) {
		if (bd_money_parse(hv.s, hv.n, &amt) == BD_PARSE_OK) {
			r.num[BD_R_HH_AMOUNT] = amt;
			amounts |= 2;
		} else if (!money_bad) {
			money_bad = true;
			money_field = BD_F_R_HH_AMOUNT;
		}
	}
	r.num[BD_R_AMOUNTS] = amounts;
	cellv sm = cell(c, st->row, BD_F_R_START);
	int32_t ym = 0;
	if (sm.n && bd_month_parse(sm.s, sm.n, &ym) != BD_PARSE_OK) {
		st->o->acc.warnings[BD_WN_OPTIONAL_INVALID]++;
		ym = 0;
	}
	r.num[BD_R_START_MONTH] = ym;
	cellv fv = cell(c, st->row, BD_F_R_FILED);
	bool filed = false;
	if (fv.n && bd_yesno_parse(fv.s, fv.n, &filed) != BD_PARSE_OK) {
		st->o->acc.warnings[BD_WN_OPTIONAL_INVALID]++;
		filed = false;
	}
	r.num[BD_R_FILED] = filed;
	r.num[BD_R_IDSTATUS] = id.st;
	r.num[BD_R_BIRTH] = id.id.birth;

	if (!id_usable(&id)) {
		/* keep the row for Q01 with its blocking keys, then reject it */
		uint8_t k[32];
		if (id.st == BD_ID_EXCEL_15) {
			bd_block_key14(c->hasher, id.id.id, name.s, name.n, k);
			bd_rec_sethid(&r, BD_R_B14, k);
			r.num[BD_R_DIGIT15] = (unsigned char)id.id.id[14];
		} else if (id.st != BD_ID_EXCEL_SCI && id.st != BD_ID_EMPTY &&
			   strlen(id.id.id) >= 14) {
			bool digits = true;
			for (int i = 0; i < 14; i++)
				digits = digits && id.id.id[i] >= '0' && id.id.id[i] <= '9';
			int32_t ymd = 0;
			for (int i = 6; digits && i < 14; i++)
				ymd = ymd * 10 + (id.id.id[i] - '0');
			if (digits && bd_date_valid(ymd / 10000, ymd / 100 % 100, ymd % 100)) {
				bd_block_key14(c->hasher, id.id.id, name.s, name.n, k);
				bd_rec_sethid(&r, BD_R_B14, k);
			}
		}
		char masked[32];
		bd_id_mask(id.raw.s, id.raw.n, masked, sizeof(masked));
		bd_rec_setstr(&r, BD_R_IDMASK, masked, strlen(masked));
		uint8_t key[32] = { 0 };
		key[0] = (uint8_t)(c->section_idx >> 8);
		key[1] = (uint8_t)c->section_idx;
		for (int i = 0; i < 4; i++)
			key[2 + i] = (uint8_t)(st->row->rowno >> (24 - 8 * i));
		if ((e = emit_rec(st->o, BD_TAG_R_BAD, key, &r)))
			return e;
		return reject_id(st, BD_F_R_ID, &id);
	}
	if (prog == BD_PROG_NONE) {
		if (!prograw.n)
			return reject(st, BD_F_R_PROG, BD_RJ_REQUIRED_EMPTY, prograw, false, NULL);
		bd_unres_add(&st->o->unres, prograw.s, prograw.n, 1);
		st->o->acc.accepted++;
		return BD_OK;
	}
	if (required_empty(st, BD_F_R_NAME, &e))
		return e;
	if (!hh.n && !head_ok) {
		int f = has_col(c, BD_F_R_HOUSEHOLD) ? BD_F_R_HOUSEHOLD : BD_F_R_HEAD;
		cellv hv2 = cell(c, st->row, BD_F_R_HEAD);
		if (hv2.n)
			return reject(st, BD_F_R_HEAD, BD_RJ_ID_INVALID, hv2, true,
				      "户主身份证号无效，无法确定家庭");
		return reject(st, f, BD_RJ_REQUIRED_EMPTY, hh, false, NULL);
	}
	if (required_empty(st, BD_F_R_TOWNSHIP, &e) || required_empty(st, BD_F_R_VILLAGE, &e))
		return e;
	if (money_bad)
		return reject(st, money_field, BD_RJ_MONEY_INVALID,
			      cell(c, st->row, money_field), false, NULL);
	bd_rec_setstr(&r, BD_R_IDMASK, id.mask, strlen(id.mask));
	e = emit_rec(st->o, BD_TAG_MAIN, id.hid, &r);
	if (!e) {
		st->o->acc.accepted++;
		if (id.id.upgraded15)
			st->o->acc.warnings[BD_WN_ID_UPGRADED15]++;
	}
	return e;
}

/* ---- row classification ---- */

static bool row_blank(const bd_row *row)
{
	for (uint32_t i = 0; i < row->ncell; i++) {
		size_t n;
		bd_trim(row->cells[i].s, row->cells[i].n, &n);
		if (n)
			return false;
	}
	return true;
}

static int id_field(bd_ds ds)
{
	switch (ds) {
	case BD_DS_PERSON: return BD_F_P_ID;
	case BD_DS_VEHICLE: return BD_F_V_OWNER;
	case BD_DS_CUSTODY: return BD_F_CU_ID;
	case BD_DS_CERT: return BD_F_CE_ID;
	case BD_DS_DEATH: return BD_F_D_ID;
	case BD_DS_ILLNESS: return BD_F_I_ID;
	case BD_DS_CREMATION: return BD_F_CR_ID;
	case BD_DS_CADRE: return BD_F_CA_ID;
	case BD_DS_ROLL: return BD_F_R_ID;
	case BD_DS_MAX: break;
	}
	return 0;
}

/* Closing rows: the first non-empty cell opens with a footer word and the
 * row has no ID. */
static bool row_footer(const bd_rowctx *c, const bd_row *row)
{
	static const char *const words[] = {
		"合计", "总计", "小计", "共计", "制表", "填表", "审核", "打印",
		"负责人", "单位负责人", "统计时间", "导出时间", "备注：", "说明：",
	};
	const char *s = NULL;
	size_t n = 0;
	for (uint32_t i = 0; i < row->ncell && !n; i++)
		s = bd_trim(row->cells[i].s, row->cells[i].n, &n);
	if (!n)
		return false;
	bool hit = false;
	for (size_t i = 0; i < BD_ARRAY_LEN(words) && !hit; i++) {
		size_t wl = strlen(words[i]);
		hit = n >= wl && !memcmp(s, words[i], wl);
	}
	if (!hit)
		return false;
	cellv idc = cell(c, row, id_field(c->ds));
	return idc.n == 0;
}

bd_err bd_row_process(const bd_rowctx *ctx, const bd_row *row, bd_rowout *out)
{
	if (row_blank(row)) {
		out->acc.skipped[BD_SK_BLANK]++;
		return BD_OK;
	}
	if (row_footer(ctx, row)) {
		out->acc.skipped[BD_SK_FOOTER]++;
		return BD_OK;
	}
	out->acc.read++;
	rowstate st = { ctx, row, out };
	switch (ctx->ds) {
	case BD_DS_PERSON: return do_person(&st);
	case BD_DS_VEHICLE: return do_vehicle(&st);
	case BD_DS_CUSTODY: return do_custody(&st);
	case BD_DS_CERT: return do_cert(&st);
	case BD_DS_DEATH: return do_death(&st);
	case BD_DS_ILLNESS: return do_illness(&st);
	case BD_DS_CREMATION: return do_cremation(&st);
	case BD_DS_CADRE: return do_cadre(&st);
	case BD_DS_ROLL: return do_roll(&st);
	case BD_DS_MAX: break;
	}
	return bd_fail(BD_ERR_INTERNAL, "unknown dataset");
}

bd_err bd_rowctx_init(bd_rowctx *ctx, bd_ds ds, const bd_section *sec,
		      uint16_t section_idx, const bd_colmap *map,
		      const bd_hasher *hasher, int32_t as_of)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ds = ds;
	ctx->sec = sec;
	ctx->section_idx = section_idx;
	ctx->map = *map;
	ctx->hasher = hasher;
	ctx->as_of = as_of;
	if (sec && sec->programme) {
		bd_prog p = bd_prog_from_code(sec->programme, strlen(sec->programme));
		if (p == BD_PROG_NONE)
			p = bd_prog_from_text(sec->programme, strlen(sec->programme));
		if (p == BD_PROG_NONE)
			return bd_fail(BD_ERR_CONFIG,
				       "[dataset %s] programme = %s: 未知的保障项目代码（可用 DIBAO TEKUN "
				       "BIANYUAN GUER SHISHI CJ_HULI CJ_SHENGHUO GAOLING）",
				       sec->name, sec->programme);
		ctx->section_prog = p;
	}
	for (size_t i = 0; sec && i < sec->nprogmap; i++)
		if (bd_prog_from_code(sec->progmap[i].value, strlen(sec->progmap[i].value)) ==
		    BD_PROG_NONE)
			return bd_fail(BD_ERR_CONFIG, "[dataset %s] programme.%s = %s: 未知的保障项目代码",
				       sec->name, sec->progmap[i].key, sec->progmap[i].value);
	if (sec && sec->custody_type) {
		ctx->section_custody = bd_custody_parse(sec->custody_type, strlen(sec->custody_type));
		if (ctx->section_custody == BD_CU_UNKNOWN)
			return bd_fail(BD_ERR_CONFIG, "[dataset %s] custody_type = %s: 无法识别的羁押类型",
				       sec->name, sec->custody_type);
	}
	ctx->has_major = map->col[BD_F_I_MAJOR] >= 0 && ds == BD_DS_ILLNESS;
	return BD_OK;
}
