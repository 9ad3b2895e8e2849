/* history.c - flags across quarters in the index (layout in history.h). */
#include "bd/history.h"
#include "bd/idnum.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* meta key of the periods run, in first-run order */
static const char RUNS_KEY[] = "history:runs";
/* meta key of the index's identity */
static const char ID_KEY[] = "history:id";

struct bd_history {
	bd_index *ix;
	MDB_txn *txn;
	MDB_dbi flags, meta;
	char prev[16];
	char id[17];
	char runs[512];
};

static const char *const outcome_names[] = { "", "属实", "不属实", "已整改", "其他" };

const char *bd_outcome_name(bd_outcome o)
{
	return (unsigned)o < BD_ARRAY_LEN(outcome_names) ? outcome_names[o] : "";
}

bd_outcome bd_outcome_parse(const char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	for (int o = BD_OUT_TRUE; o <= BD_OUT_OTHER; o++)
		if (strlen(outcome_names[o]) == n && !memcmp(s, outcome_names[o], n))
			return (bd_outcome)o;
	return BD_OUT_NONE;
}

bool bd_hist_has(const bd_hist *h, const char *p)
{
	for (int i = 0; i < BD_HIST_PERIODS; i++)
		if (h->periods[i][0] && !strcmp(h->periods[i], p))
			return true;
	return false;
}

void bd_hist_drop(bd_hist *h, const char *p)
{
	int w = 0;
	for (int i = 0; i < BD_HIST_PERIODS; i++)
		if (h->periods[i][0] && strcmp(h->periods[i], p))
			memmove(h->periods[w++], h->periods[i], sizeof(h->periods[i]));
	for (; w < BD_HIST_PERIODS; w++)
		h->periods[w][0] = '\0';
}

void bd_hist_add(bd_hist *h, const char *p)
{
	if (bd_hist_has(h, p))
		return;
	int n = 0;
	while (n < BD_HIST_PERIODS && h->periods[n][0])
		n++;
	if (n == BD_HIST_PERIODS) {
		memmove(h->periods[0], h->periods[1], sizeof(h->periods[0]) * (BD_HIST_PERIODS - 1));
		n--;
	}
	snprintf(h->periods[n], sizeof(h->periods[n]), "%s", p);
}

static bd_err mdb_fail(int rc, const char *what)
{
	return bd_fail(rc == MDB_MAP_FULL ? BD_ERR_LIMIT : BD_ERR_INDEX, "索引历史记录: %s 失败: %s", what,
		       mdb_strerror(rc));
}

/* ---- the value: fields separated by 0x1F, which values never hold ---- */

#define SEP '\x1f'

static bool put_field(bd_buf *b, const char *s)
{
	bool ok = true;
	for (; *s; s++)
		if (*s != SEP && *s != '\n' && *s != '\r')
			ok = ok && !bd_buf_addch(b, *s);
	return ok && !bd_buf_addch(b, SEP);
}

static bd_err encode(const bd_hist *h, bd_buf *b)
{
	char x[32];
	bool ok = put_field(b, "1");
	bd_buf pl = BD_BUF_INIT(0);
	for (int i = 0; i < BD_HIST_PERIODS; i++)
		if (h->periods[i][0])
			bd_buf_addf(&pl, "%s%s", pl.len ? "," : "", h->periods[i]);
	ok = put_field(b, pl.len ? pl.data : "") && ok;
	bd_buf_release(&pl);
	snprintf(x, sizeof(x), "%016llx", (unsigned long long)h->evhash);
	ok = put_field(b, x) && ok;
	ok = put_field(b, h->rule) && ok;
	ok = put_field(b, h->township) && ok;
	ok = put_field(b, h->village) && ok;
	ok = put_field(b, h->name) && ok;
	ok = put_field(b, h->idmask) && ok;
	snprintf(x, sizeof(x), "%d", (int)h->outcome);
	ok = put_field(b, x) && ok;
	ok = put_field(b, h->review_period) && ok;
	ok = put_field(b, h->reviewer) && ok;
	ok = put_field(b, h->review_date) && ok;
	ok = put_field(b, h->note) && ok;
	snprintf(x, sizeof(x), "%016llx", (unsigned long long)h->review_evhash);
	ok = put_field(b, x) && ok;
	ok = put_field(b, h->ev_since) && ok;
	return ok ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
}

static void get_field(const char **p, const char *end, char *out, size_t cap)
{
	const char *q = *p;
	while (q < end && *q != SEP)
		q++;
	bd_utf8_copy(out, cap, *p, (size_t)(q - *p));
	*p = q < end ? q + 1 : end;
}

static bd_err decode(const MDB_val *v, bd_hist *h)
{
	memset(h, 0, sizeof(*h));
	const char *p = v->mv_data, *end = p + v->mv_size;
	char ver[8], periods[BD_HIST_PERIODS * 17], x[32];
	get_field(&p, end, ver, sizeof(ver));
	if (strcmp(ver, "1"))
		return bd_fail(BD_ERR_INDEX, "索引历史记录版本 %s 无法识别：请用新版本的 bidui", ver);
	get_field(&p, end, periods, sizeof(periods));
	int n = 0;
	for (char *s = periods, *t; *s && n < BD_HIST_PERIODS; s = t) {
		t = s + strcspn(s, ",");
		snprintf(h->periods[n++], sizeof(h->periods[0]), "%.*s", (int)(t - s), s);
		if (*t)
			t++;
	}
	get_field(&p, end, x, sizeof(x));
	h->evhash = strtoull(x, NULL, 16);
	get_field(&p, end, h->rule, sizeof(h->rule));
	get_field(&p, end, h->township, sizeof(h->township));
	get_field(&p, end, h->village, sizeof(h->village));
	get_field(&p, end, h->name, sizeof(h->name));
	get_field(&p, end, h->idmask, sizeof(h->idmask));
	get_field(&p, end, x, sizeof(x));
	int o = atoi(x);
	h->outcome = o >= BD_OUT_NONE && o <= BD_OUT_OTHER ? (bd_outcome)o : BD_OUT_NONE;
	get_field(&p, end, h->review_period, sizeof(h->review_period));
	get_field(&p, end, h->reviewer, sizeof(h->reviewer));
	get_field(&p, end, h->review_date, sizeof(h->review_date));
	get_field(&p, end, h->note, sizeof(h->note));
	get_field(&p, end, x, sizeof(x));
	h->review_evhash = strtoull(x, NULL, 16);
	get_field(&p, end, h->ev_since, sizeof(h->ev_since)); /* "" in older entries */
	return BD_OK;
}

static bool fid_key(const char *fid, uint8_t k[8])
{
	if (strlen(fid) != 16)
		return false;
	for (int i = 0; i < 8; i++) {
		unsigned v;
		if (sscanf(fid + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", fid[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", fid[2 * i + 1]))
			return false;
		k[i] = (uint8_t)v;
	}
	return true;
}

/* ---- the transaction ---- */

bd_err bd_history_begin(bd_index *ix, const char *period, size_t grow, bd_history **out)
{
	*out = NULL;
	bd_err e = bd_index_reserve(ix, grow);
	if (e)
		return e;
	bd_history *h = calloc(1, sizeof(*h));
	if (!h)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	h->ix = ix;
	int rc = bd_index_txn_begin(ix, 0, &h->txn);
	if (!rc)
		rc = mdb_dbi_open(h->txn, "flags", MDB_CREATE, &h->flags);
	if (!rc)
		rc = mdb_dbi_open(h->txn, "meta", 0, &h->meta);
	if (rc) {
		e = mdb_fail(rc, "打开");
		bd_history_abort(h);
		return e;
	}
	/* history:runs, "2026Q3,2026Q4": the previous run of period */
	MDB_val key = { sizeof(RUNS_KEY) - 1, (void *)RUNS_KEY }, val;
	rc = mdb_get(h->txn, h->meta, &key, &val);
	bd_buf runs = BD_BUF_INIT(0);
	if (!rc)
		bd_buf_add(&runs, val.mv_data, val.mv_size);
	else if (rc != MDB_NOTFOUND)
		e = mdb_fail(rc, "读取");
	bd_buf_add(&runs, "", 1);
	bool known = !period;
	char last[16] = "";
	for (const char *s = runs.data; !e && *s && !known;) {
		size_t n = strcspn(s, ",");
		if (n == strlen(period) && !memcmp(s, period, n)) {
			known = true;
			snprintf(h->prev, sizeof(h->prev), "%s", last);
		} else {
			snprintf(last, sizeof(last), "%.*s", (int)(n < 15 ? n : 15), s);
		}
		s += n + (s[n] == ',');
	}
	if (!e && !known) {
		snprintf(h->prev, sizeof(h->prev), "%s", last);
		runs.len--; /* the NUL */
		bd_buf_addf(&runs, "%s%s", runs.len ? "," : "", period);
		MDB_val nv = { runs.len, runs.data };
		if ((rc = mdb_put(h->txn, h->meta, &key, &nv, 0)))
			e = mdb_fail(rc, "写入");
		bd_buf_add(&runs, "", 1);
	}
	if (!e)
		snprintf(h->runs, sizeof(h->runs), "%s", runs.data);
	bd_buf_release(&runs);
	/* history:id: made by the first run */
	MDB_val ik = { sizeof(ID_KEY) - 1, (void *)ID_KEY };
	if (!e && !(rc = mdb_get(h->txn, h->meta, &ik, &val))) {
		snprintf(h->id, sizeof(h->id), "%.*s", (int)(val.mv_size < 16 ? val.mv_size : 16),
			 (const char *)val.mv_data);
	} else if (!e && rc != MDB_NOTFOUND) {
		e = mdb_fail(rc, "读取");
	} else if (!e && period) {
		uint8_t raw[8];
		if (RAND_bytes(raw, sizeof(raw)) != 1)
			e = bd_fail(BD_ERR_INTERNAL, "无法生成索引标识 (RAND_bytes failed)");
		for (int i = 0; !e && i < 8; i++)
			snprintf(h->id + 2 * i, 3, "%02x", raw[i]);
		MDB_val iv = { 16, h->id };
		if (!e && (rc = mdb_put(h->txn, h->meta, &ik, &iv, 0)))
			e = mdb_fail(rc, "写入");
	}
	if (e) {
		bd_history_abort(h);
		return e;
	}
	*out = h;
	return BD_OK;
}

const char *bd_history_id(const bd_history *h)
{
	return h->id;
}

int bd_history_run_order(const bd_history *h, const char *period)
{
	int k = 0;
	for (const char *s = h->runs; *s; k++) {
		size_t n = strcspn(s, ",");
		if (n == strlen(period) && !memcmp(s, period, n))
			return k;
		s += n + (s[n] == ',');
	}
	return -1;
}

const char *bd_history_prev(const bd_history *h)
{
	return h->prev;
}

bd_err bd_history_get(bd_history *h, const char *fid, bd_hist *out, bool *found)
{
	memset(out, 0, sizeof(*out));
	*found = false;
	uint8_t k[8];
	if (!fid_key(fid, k))
		return BD_OK;
	MDB_val key = { 8, k }, val;
	int rc = mdb_get(h->txn, h->flags, &key, &val);
	if (rc == MDB_NOTFOUND)
		return BD_OK;
	if (rc)
		return mdb_fail(rc, "读取");
	*found = true;
	return decode(&val, out);
}

bd_err bd_history_put(bd_history *h, const char *fid, const bd_hist *v)
{
	uint8_t k[8];
	if (!fid_key(fid, k))
		return bd_fail(BD_ERR_INTERNAL, "flag_id %s 不是 16 位十六进制数", fid);
	bd_buf b = BD_BUF_INIT(0);
	bd_err e = encode(v, &b);
	if (!e) {
		MDB_val key = { 8, k }, val = { b.len, b.data };
		int rc = mdb_put(h->txn, h->flags, &key, &val, 0);
		if (rc)
			e = mdb_fail(rc, "写入");
	}
	bd_buf_release(&b);
	return e;
}

bd_err bd_history_scan(bd_history *h, bd_history_fn fn, void *ctx)
{
	MDB_cursor *c;
	int rc = mdb_cursor_open(h->txn, h->flags, &c);
	if (rc)
		return mdb_fail(rc, "读取");
	MDB_val key, val;
	bd_err e = BD_OK;
	bd_hist *x = malloc(sizeof(*x));
	if (!x)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	/* changed entries are written after the walk: a put through the
	 * cursor would hand LMDB its own page's key to copy onto itself */
	bd_buf changed_keys = BD_BUF_INIT(0), changed_vals = BD_BUF_INIT(0);
	for (rc = mdb_cursor_get(c, &key, &val, MDB_FIRST); !e && rc == 0;
	     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
		if (key.mv_size != 8)
			continue;
		char fid[17];
		for (int i = 0; i < 8; i++)
			snprintf(fid + 2 * i, 3, "%02x", ((const uint8_t *)key.mv_data)[i]);
		bool changed = false;
		if ((e = decode(&val, x)) || (e = fn(ctx, fid, x, &changed)) || !changed)
			continue;
		size_t at = changed_vals.len;
		uint8_t len[4] = { 0 };
		if (!(e = bd_buf_add(&changed_keys, key.mv_data, 8)) && !(e = bd_buf_add(&changed_vals, len, 4)) &&
		    !(e = encode(x, &changed_vals))) {
			uint32_t n = (uint32_t)(changed_vals.len - at - 4);
			memcpy(changed_vals.data + at, &n, 4);
		}
	}
	if (!e && rc && rc != MDB_NOTFOUND)
		e = mdb_fail(rc, "读取");
	mdb_cursor_close(c);
	for (size_t k = 0, at = 0; !e && k * 8 < changed_keys.len; k++) {
		uint32_t n;
		memcpy(&n, changed_vals.data + at, 4);
		MDB_val nk = { 8, changed_keys.data + k * 8 }, nv = { n, changed_vals.data + at + 4 };
		if ((rc = mdb_put(h->txn, h->flags, &nk, &nv, 0)))
			e = mdb_fail(rc, "写入");
		at += 4 + n;
	}
	bd_buf_release(&changed_keys);
	bd_buf_release(&changed_vals);
	free(x);
	return e;
}

bd_err bd_history_commit(bd_history *h)
{
	int rc = mdb_txn_commit(h->txn);
	free(h);
	return rc ? mdb_fail(rc, "提交") : BD_OK;
}

void bd_history_abort(bd_history *h)
{
	if (!h)
		return;
	if (h->txn)
		mdb_txn_abort(h->txn);
	free(h);
}

bd_err bd_history_info_get(bd_index *ix, bd_history_info *out)
{
	memset(out, 0, sizeof(*out));
	MDB_txn *txn;
	MDB_dbi flags, meta;
	int rc = bd_index_txn_begin(ix, MDB_RDONLY, &txn);
	if (rc)
		return mdb_fail(rc, "读取");
	MDB_val key = { sizeof(RUNS_KEY) - 1, (void *)RUNS_KEY }, val;
	MDB_val ik = { sizeof(ID_KEY) - 1, (void *)ID_KEY }, iv;
	if (!mdb_dbi_open(txn, "meta", 0, &meta)) {
		if (!mdb_get(txn, meta, &key, &val))
			snprintf(out->runs, sizeof(out->runs), "%.*s", (int)val.mv_size, (const char *)val.mv_data);
		if (!mdb_get(txn, meta, &ik, &iv))
			snprintf(out->id, sizeof(out->id), "%.*s", (int)(iv.mv_size < 16 ? iv.mv_size : 16),
				 (const char *)iv.mv_data);
	}
	bd_err e = BD_OK;
	if (!mdb_dbi_open(txn, "flags", 0, &flags)) {
		MDB_cursor *c = NULL;
		bd_hist *x = malloc(sizeof(*x));
		if (!x)
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
		else if ((rc = mdb_cursor_open(txn, flags, &c)))
			e = mdb_fail(rc, "读取");
		for (rc = e ? MDB_NOTFOUND : mdb_cursor_get(c, &key, &val, MDB_FIRST); !e && rc == 0;
		     rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
			if ((e = decode(&val, x)))
				break;
			out->flags++;
			out->reviewed += x->outcome != BD_OUT_NONE;
			out->by_outcome[x->outcome]++;
		}
		if (!e && rc != MDB_NOTFOUND)
			e = mdb_fail(rc, "读取");
		if (c)
			mdb_cursor_close(c);
		free(x);
	}
	mdb_txn_abort(txn);
	return e;
}

bd_err bd_history_remask(bd_index *ix)
{
	MDB_txn *txn;
	int rc = bd_index_txn_begin(ix, 0, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务");
	MDB_dbi flags;
	rc = mdb_dbi_open(txn, "flags", 0, &flags);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return BD_OK;
	}
	MDB_cursor *c = NULL;
	bd_err e = rc || (rc = mdb_cursor_open(txn, flags, &c)) ? mdb_fail(rc, "读取") : BD_OK;
	/* changed entries are written after the walk (history.c's rule:
	 * never a put through the cursor) */
	bd_buf keys = BD_BUF_INIT(BD_BUF_DEFAULT_MAX), vals = BD_BUF_INIT(BD_BUF_DEFAULT_MAX);
	MDB_val k, v;
	for (rc = e ? MDB_NOTFOUND : mdb_cursor_get(c, &k, &v, MDB_FIRST); !e && rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		bd_hist h;
		if (k.mv_size != 8 || (e = decode(&v, &h)))
			continue;
		char before[sizeof(h.idmask)];
		memcpy(before, h.idmask, sizeof(before));
		bd_id_remask(h.idmask, sizeof(h.idmask));
		if (!strcmp(before, h.idmask))
			continue;
		size_t at = vals.len;
		uint32_t len = 0;
		if ((e = bd_buf_add(&keys, k.mv_data, 8)) || (e = bd_buf_add(&vals, &len, 4)) ||
		    (e = encode(&h, &vals)))
			break;
		len = (uint32_t)(vals.len - at - 4);
		memcpy(vals.data + at, &len, 4);
	}
	if (c)
		mdb_cursor_close(c);
	if (!e && rc && rc != MDB_NOTFOUND)
		e = mdb_fail(rc, "读取");
	for (size_t i = 0, at = 0; !e && i < keys.len / 8; i++) {
		uint32_t len;
		memcpy(&len, vals.data + at, 4);
		MDB_val nk = { 8, keys.data + 8 * i }, nv = { len, vals.data + at + 4 };
		if ((rc = mdb_put(txn, flags, &nk, &nv, 0)))
			e = mdb_fail(rc, "写入");
		at += 4 + len;
	}
	bd_buf_release(&keys);
	bd_buf_release(&vals);
	if (e) {
		mdb_txn_abort(txn);
		return e;
	}
	rc = mdb_txn_commit(txn);
	return rc ? mdb_fail(rc, "提交") : BD_OK;
}
