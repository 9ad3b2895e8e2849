/* facts.c - read-only facts over the index (see facts.h). */
#include "bd/facts.h"
#include "bd/index.h"
#include "bd/key.h"
#include "bd/normal.h"
#include "bd/rowproc.h"

#include <jansson.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { AUX_CHILD, AUX_SPOUSE, AUX_HUKOU, AUX_B14, AUX_BAD, AUX_MAX };

/* Databases of one shard, opened at the generation the index shows. */
typedef struct shardfacts {
	MDB_env *env;           /* NULL: shard never loaded */
	MDB_dbi dbi[BD_DS_MAX];
	bool ok[BD_DS_MAX];
	MDB_dbi aux[AUX_MAX];
	bool aux_ok[AUX_MAX];
} shardfacts;

struct bd_facts {
	bd_index *ix;
	bd_hasher hasher;
	int nshards;
	shardfacts *sh;
	bool loaded[BD_DS_MAX];
	bool aux_ok[AUX_MAX];
	int32_t as_of, roll_month;
	char jurisdiction[16];
	char fingerprint[17];
	char *sections[BD_DS_MAX][64];
	unsigned nsections[BD_DS_MAX];
	/* presence filters (see present): PRESENCE_* state, bitmap, mask */
	atomic_int pstate[BD_DS_MAX];
	uint64_t *pbits[BD_DS_MAX];
	uint64_t pmask[BD_DS_MAX];
	pthread_mutex_t pmu;
};

enum { PRESENCE_UNBUILT, PRESENCE_BUILT, PRESENCE_NONE };

/* Section names of a snapshot (files[].section), in file order. */
static void take_sections(bd_facts *f, bd_ds ds, const char *js)
{
	json_t *snap = json_loads(js, 0, NULL), *file;
	size_t i;
	json_array_foreach(json_object_get(snap, "files"), i, file) {
		const char *name = json_string_value(json_object_get(file, "section"));
		if (!name || f->nsections[ds] >= 64)
			break;
		f->sections[ds][f->nsections[ds]++] = strdup(name);
	}
	json_decref(snap);
}

const char *bd_facts_section_name(const bd_facts *f, bd_ds ds, unsigned section)
{
	if (section < f->nsections[ds] && f->sections[ds][section])
		return f->sections[ds][section];
	return bd_schemas[ds].name;
}

typedef struct recbuf {
	bd_rec *r;
	size_t n, cap;
} recbuf;

typedef struct hidbuf {
	uint8_t (*h)[32];
	size_t n, cap;
} hidbuf;

/* A view's read transaction and cursors in one shard. */
typedef struct shardview {
	MDB_txn *txn;
	MDB_cursor *cur[BD_DS_MAX];
	MDB_cursor *auxcur[AUX_MAX];
} shardview;

struct bd_view {
	bd_facts *f;
	shardview *sv;
	recbuf recs[BD_DS_MAX];
	recbuf person;       /* bd_view_person's own slot */
	uint8_t person_hid[32]; /* whose records person holds, when memo */
	bool person_memo;
	uint8_t rec_hid[BD_DS_MAX][32]; /* whose records recs[ds] holds */
	bool rec_memo[BD_DS_MAX];
	hidbuf kin[BD_KIN_MAX];
	hidbuf tmp, tmp2, block;
};

static bd_err mdb_err(int rc, const char *what)
{
	return bd_fail(BD_ERR_INDEX, "索引读取失败 (%s): %s", what, mdb_strerror(rc));
}

/* Opens the databases of shard s at the generation the index shows
 * (handles stay valid for every later transaction of the process). */
static bd_err open_shard(bd_facts *f, int s)
{
	static const struct { const char *name; bd_ds ds; int i; } aux[AUX_MAX] = {
		{ "ga.person#child", BD_DS_PERSON, 1 }, { "ga.person#spouse", BD_DS_PERSON, 2 },
		{ "ga.person#hukou", BD_DS_PERSON, 3 }, { "ga.person#b14", BD_DS_PERSON, 4 },
		{ "mz.roll#bad", BD_DS_ROLL, 1 },
	};
	shardfacts *sf = &f->sh[s];
	sf->env = bd_index_shard_env(f->ix, s);
	if (!sf->env)
		return BD_OK;
	MDB_txn *txn;
	int rc = mdb_txn_begin(sf->env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return mdb_err(rc, "begin");
	char name[96];
	for (int ds = 0; ds < BD_DS_MAX; ds++) {
		if (!f->loaded[ds])
			continue;
		bd_index_dbname_gen((bd_ds)ds, 0, bd_index_gen(f->ix, (bd_ds)ds), name, sizeof(name));
		sf->ok[ds] = mdb_dbi_open(txn, name, MDB_DUPSORT, &sf->dbi[ds]) == 0;
	}
	for (int i = 0; i < AUX_MAX; i++) {
		if (!f->aux_ok[i])
			continue;
		bd_index_dbname_gen(aux[i].ds, aux[i].i, bd_index_gen(f->ix, aux[i].ds), name, sizeof(name));
		sf->aux_ok[i] = mdb_dbi_open(txn, name, MDB_DUPSORT, &sf->aux[i]) == 0;
	}
	rc = mdb_txn_commit(txn); /* keeps the handles for later transactions */
	return rc ? mdb_err(rc, "commit") : BD_OK;
}

bd_err bd_facts_open(const bd_config *cfg, bool history, bd_facts **out)
{
	*out = NULL;
	bd_key key;
	bd_err e = bd_key_load(cfg->key, &key);
	if (e)
		return e;
	bd_facts *f = calloc(1, sizeof(*f));
	if (!f)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_hmac_init(&f->hasher, &key);
	memcpy(f->fingerprint, key.fingerprint, sizeof(f->fingerprint));
	pthread_mutex_init(&f->pmu, NULL);
	/* the registry and the roll: most persons asked about are there */
	atomic_init(&f->pstate[BD_DS_PERSON], PRESENCE_NONE);
	atomic_init(&f->pstate[BD_DS_ROLL], PRESENCE_NONE);
	struct stat st;
	if (history && stat(cfg->index, &st) != 0) { /* a writable open would create it */
		pthread_mutex_destroy(&f->pmu);
		free(f);
		memset(&key, 0, sizeof(key));
		return bd_fail(BD_ERR_INDEX, "索引 %s 不存在：请先运行 bidui ingest (index not found)", cfg->index);
	}
	e = bd_index_open(cfg->index, &key, history ? BD_IX_HISTORY : BD_IX_READ, 0, &f->ix);
	memset(&key, 0, sizeof(key));
	if (e) {
		pthread_mutex_destroy(&f->pmu);
		free(f);
		return e;
	}
	f->as_of = cfg->as_of;
	f->roll_month = cfg->roll_month;
	snprintf(f->jurisdiction, sizeof(f->jurisdiction), "%s", cfg->jurisdiction);
	for (int ds = 0; ds < BD_DS_MAX && !e; ds++) {
		char *js = NULL;
		if ((e = bd_index_snapshot(f->ix, (bd_ds)ds, &js)))
			break;
		f->loaded[ds] = js != NULL;
		if (js)
			take_sections(f, (bd_ds)ds, js);
		free(js);
	}
	f->aux_ok[AUX_CHILD] = f->aux_ok[AUX_SPOUSE] = f->aux_ok[AUX_HUKOU] = f->aux_ok[AUX_B14] =
		f->loaded[BD_DS_PERSON];
	f->aux_ok[AUX_BAD] = f->loaded[BD_DS_ROLL];
	f->nshards = bd_index_shards(f->ix);
	f->sh = calloc((size_t)f->nshards, sizeof(*f->sh));
	if (!e && !f->sh)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	for (int s = 0; s < f->nshards && !e; s++)
		e = open_shard(f, s);
	if (e) {
		bd_facts_close(f);
		return e;
	}
	*out = f;
	return BD_OK;
}

void bd_facts_close(bd_facts *f)
{
	if (!f)
		return;
	bd_index_close(f->ix);
	free(f->sh);
	for (int ds = 0; ds < BD_DS_MAX; ds++)
		free(f->pbits[ds]);
	pthread_mutex_destroy(&f->pmu);
	memset(&f->hasher, 0, sizeof(f->hasher));
	for (int ds = 0; ds < BD_DS_MAX; ds++)
		for (unsigned i = 0; i < f->nsections[ds]; i++)
			free(f->sections[ds][i]);
	free(f);
}

bool bd_facts_loaded(const bd_facts *f, bd_ds ds) { return f->loaded[ds]; }
bd_index *bd_facts_index(bd_facts *f) { return f->ix; }
int32_t bd_facts_as_of(const bd_facts *f) { return f->as_of; }
int32_t bd_facts_roll_month(const bd_facts *f) { return f->roll_month; }
const char *bd_facts_jurisdiction(const bd_facts *f) { return f->jurisdiction; }

bd_err bd_view_open(bd_facts *f, bd_view **out)
{
	bd_view *v = calloc(1, sizeof(*v));
	if (!v)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	v->f = f;
	v->sv = calloc((size_t)f->nshards, sizeof(*v->sv));
	if (!v->sv) {
		free(v);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	for (int s = 0; s < f->nshards; s++) {
		int rc = f->sh[s].env ? mdb_txn_begin(f->sh[s].env, NULL, MDB_RDONLY, &v->sv[s].txn) : 0;
		if (rc) {
			bd_view_close(v);
			return mdb_err(rc, "begin");
		}
	}
	*out = v;
	return BD_OK;
}

void bd_view_close(bd_view *v)
{
	if (!v)
		return;
	for (int s = 0; s < v->f->nshards; s++) {
		shardview *sv = &v->sv[s];
		for (int i = 0; i < BD_DS_MAX; i++)
			if (sv->cur[i])
				mdb_cursor_close(sv->cur[i]);
		for (int i = 0; i < AUX_MAX; i++)
			if (sv->auxcur[i])
				mdb_cursor_close(sv->auxcur[i]);
		if (sv->txn)
			mdb_txn_abort(sv->txn);
	}
	free(v->sv);
	for (int i = 0; i < BD_DS_MAX; i++)
		free(v->recs[i].r);
	for (int i = 0; i < BD_KIN_MAX; i++)
		free(v->kin[i].h);
	free(v->person.r);
	free(v->tmp.h);
	free(v->tmp2.h);
	free(v->block.h);
	free(v);
}

static bd_err recbuf_push(recbuf *b, const MDB_val *val)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		bd_rec *r = realloc(b->r, cap * sizeof(*r));
		if (!r)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		b->r = r;
		b->cap = cap;
	}
	bd_err e = bd_rec_unpack(val->mv_data, val->mv_size, &b->r[b->n]);
	if (!e)
		b->n++;
	return e;
}

static bd_err hidbuf_push(hidbuf *b, const uint8_t h[32])
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		uint8_t (*n)[32] = realloc(b->h, cap * 32);
		if (!n)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		b->h = n;
		b->cap = cap;
	}
	memcpy(b->h[b->n++], h, 32);
	return BD_OK;
}

/* Calls back for every value stored under key in dbi. */
typedef bd_err (*val_fn)(void *ctx, const MDB_val *val);

static bd_err for_each_dup(MDB_txn *txn, MDB_cursor **cur, MDB_dbi dbi, const uint8_t key[32],
			   val_fn fn, void *ctx)
{
	int rc;
	if (!*cur && (rc = mdb_cursor_open(txn, dbi, cur)))
		return mdb_err(rc, "cursor");
	MDB_val k = { 32, (void *)key }, val;
	rc = mdb_cursor_get(*cur, &k, &val, MDB_SET_KEY);
	while (rc == 0) {
		bd_err e = fn(ctx, &val);
		if (e)
			return e;
		rc = mdb_cursor_get(*cur, &k, &val, MDB_NEXT_DUP);
	}
	return rc == MDB_NOTFOUND ? BD_OK : mdb_err(rc, "get");
}

static bd_err push_rec(void *ctx, const MDB_val *val)
{
	return recbuf_push(ctx, val);
}

static bd_err push_hid(void *ctx, const MDB_val *val)
{
	if (val->mv_size != 32)
		return bd_fail(BD_ERR_INDEX, "索引损坏 (link value size)");
	return hidbuf_push(ctx, val->mv_data);
}

/* Bits of a hid for the presence filters: bytes 8..15, independent of
 * the shard bits (byte 0). */
static uint64_t presence_bits(const uint8_t hid[32])
{
	uint64_t b = 0;
	for (int i = 8; i < 16; i++)
		b = b << 8 | hid[i];
	return b;
}

/* Builds ds's presence filter from its keys in every shard, read through
 * v's transactions; PRESENCE_NONE when it cannot (lookups then go to the
 * index, as without a filter). Called with f->pmu held. */
static int build_presence(bd_view *v, bd_ds ds)
{
	bd_facts *f = v->f;
	size_t keys = 0;
	for (int s = 0; s < f->nshards; s++) {
		MDB_stat st;
		if (f->sh[s].ok[ds] && !mdb_stat(v->sv[s].txn, f->sh[s].dbi[ds], &st))
			keys += st.ms_entries;
	}
	uint64_t nbits = (uint64_t)1 << 12;
	while (nbits < (uint64_t)keys * 16 && nbits < ((uint64_t)1 << 32))
		nbits <<= 1;
	uint64_t *bits = calloc((size_t)(nbits / 64), sizeof(*bits));
	if (!bits)
		return PRESENCE_NONE;
	int rc = 0;
	for (int s = 0; s < f->nshards && !rc; s++) {
		if (!f->sh[s].ok[ds])
			continue;
		MDB_cursor *cur;
		if ((rc = mdb_cursor_open(v->sv[s].txn, f->sh[s].dbi[ds], &cur)))
			break;
		MDB_val k, val;
		for (rc = mdb_cursor_get(cur, &k, &val, MDB_FIRST); !rc;
		     rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT_NODUP)) {
			if (k.mv_size != 32) {
				rc = MDB_CORRUPTED;
				break;
			}
			uint64_t b = presence_bits(k.mv_data) & (nbits - 1);
			bits[b >> 6] |= (uint64_t)1 << (b & 63);
		}
		mdb_cursor_close(cur);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc) {
		free(bits);
		return PRESENCE_NONE;
	}
	f->pbits[ds] = bits;
	f->pmask[ds] = nbits - 1;
	return PRESENCE_BUILT;
}

/*
 * false when ds surely holds no record of hid. A small dataset (vehicles,
 * certificates, deaths, …) is asked about every roll person and kin, and
 * most have none: a bitmap of its keys' bits (16 bits a key, about one
 * false "maybe" in 16) answers those without a B-tree descent. Built by
 * the first thread that asks, for the life of f (the generation a reader
 * sees does not change).
 */
static bool present(bd_view *v, bd_ds ds, const uint8_t hid[32])
{
	bd_facts *f = v->f;
	int st = atomic_load_explicit(&f->pstate[ds], memory_order_acquire);
	if (st == PRESENCE_UNBUILT) {
		pthread_mutex_lock(&f->pmu);
		st = atomic_load_explicit(&f->pstate[ds], memory_order_relaxed);
		if (st == PRESENCE_UNBUILT) {
			st = build_presence(v, ds);
			atomic_store_explicit(&f->pstate[ds], st, memory_order_release);
		}
		pthread_mutex_unlock(&f->pmu);
	}
	if (st != PRESENCE_BUILT)
		return true;
	uint64_t b = presence_bits(hid) & f->pmask[ds];
	return f->pbits[ds][b >> 6] >> (b & 63) & 1;
}

static bd_err records_into(bd_view *v, bd_ds ds, const uint8_t hid[32], recbuf *b)
{
	b->n = 0;
	if (!v->f->loaded[ds])
		return BD_OK;
	unsigned s = bd_shard_of(hid, v->f->nshards);
	if (!v->f->sh[s].ok[ds] || !present(v, ds, hid))
		return BD_OK;
	return for_each_dup(v->sv[s].txn, &v->sv[s].cur[ds], v->f->sh[s].dbi[ds], hid, push_rec, b);
}

bd_err bd_view_records(bd_view *v, bd_ds ds, const uint8_t hid[32], const bd_rec **recs,
		       size_t *n)
{
	/* the rules of one subject ask for the same records in turn */
	if (v->rec_memo[ds] && !memcmp(v->rec_hid[ds], hid, 32)) {
		*recs = v->recs[ds].r;
		*n = v->recs[ds].n;
		return BD_OK;
	}
	bd_err e = records_into(v, ds, hid, &v->recs[ds]);
	v->rec_memo[ds] = !e;
	memcpy(v->rec_hid[ds], hid, 32);
	*recs = v->recs[ds].r;
	*n = e ? 0 : v->recs[ds].n;
	return e;
}

bd_err bd_view_person(bd_view *v, const uint8_t hid[32], const bd_rec **rec)
{
	/* rules ask for one person several times in a row (age, residence,
	 * death): the last answer is kept; records point into the read
	 * transaction's pages, valid as long as the view */
	if (v->person_memo && !memcmp(v->person_hid, hid, 32)) {
		*rec = v->person.n ? &v->person.r[0] : NULL;
		return BD_OK;
	}
	v->person_memo = false;
	bd_err e = records_into(v, BD_DS_PERSON, hid, &v->person);
	*rec = !e && v->person.n ? &v->person.r[0] : NULL;
	if (!e) {
		memcpy(v->person_hid, hid, 32);
		v->person_memo = true;
	}
	return e;
}

static void earliest(int32_t *into, int32_t d)
{
	if (d && (!*into || d < *into))
		*into = d;
}

bd_err bd_view_death(bd_view *v, const uint8_t hid[32], bd_death *out)
{
	memset(out, 0, sizeof(*out));
	const bd_rec *p;
	bd_err e = bd_view_person(v, hid, &p);
	if (e)
		return e;
	if (p && p->num[BD_P_STATUS] == BD_PS_DEAD) {
		out->sources |= BD_SRC_GA;
		out->ga_date = (int32_t)p->num[BD_P_STATUS_DATE];
	}
	const bd_rec *r;
	size_t n;
	if ((e = bd_view_records(v, BD_DS_DEATH, hid, &r, &n)))
		return e;
	for (size_t i = 0; i < n; i++)
		earliest(&out->wj_date, (int32_t)r[i].num[BD_D_DEATH]);
	if (n)
		out->sources |= BD_SRC_WJ;
	if ((e = bd_view_records(v, BD_DS_CREMATION, hid, &r, &n)))
		return e;
	for (size_t i = 0; i < n; i++) {
		int32_t d = (int32_t)r[i].num[BD_CR_DEATH];
		if (d && (!out->mz_date || d < out->mz_date)) {
			out->mz_date = d;
			out->mz_from_cremation = r[i].num[BD_CR_DEATH_FROM_CREMATION] != 0;
		}
	}
	if (n)
		out->sources |= BD_SRC_MZ;
	out->deceased = out->sources != 0;
	earliest(&out->date, out->ga_date);
	earliest(&out->date, out->wj_date);
	earliest(&out->date, out->mz_date);
	return BD_OK;
}

bd_err bd_view_age(bd_view *v, const uint8_t hid[32], int32_t birth_hint, int *age)
{
	const bd_rec *p;
	bd_err e = bd_view_person(v, hid, &p);
	int32_t birth = p && p->num[BD_P_BIRTH] ? (int32_t)p->num[BD_P_BIRTH] : birth_hint;
	*age = e ? -1 : bd_age_at(birth, v->f->as_of);
	return e;
}

bd_err bd_view_resident(bd_view *v, const uint8_t hid[32], bool *yes)
{
	const bd_rec *p;
	bd_err e = bd_view_person(v, hid, &p);
	size_t jl = strlen(v->f->jurisdiction);
	*yes = !e && p && p->num[BD_P_STATUS] == BD_PS_NORMAL && p->str[BD_P_REGION].n >= jl &&
	       !memcmp(p->str[BD_P_REGION].s, v->f->jurisdiction, jl);
	return e;
}

bd_err bd_disset_parse(const char *s, bd_disset *out)
{
	*out = 0;
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!strncmp(p, "，", 3)) {
			p += 3;
			continue;
		}
		if (!*p)
			break;
		int cat = 0, g1, g2;
		char *end;
		long a = strtol(p, &end, 10);
		if (end == p)
			return bd_fail(BD_ERR_CONFIG, "残疾等级集合无法解析: %s", s);
		p = end;
		if (*p == ':') {
			cat = (int)a;
			p++;
			a = strtol(p, &end, 10);
			if (end == p)
				return bd_fail(BD_ERR_CONFIG, "残疾等级集合无法解析: %s", s);
			p = end;
		}
		g1 = g2 = (int)a;
		if (*p == '-') {
			p++;
			g2 = (int)strtol(p, &end, 10);
			if (end == p)
				return bd_fail(BD_ERR_CONFIG, "残疾等级集合无法解析: %s", s);
			p = end;
		}
		if (cat < 0 || cat > 7 || g1 < 1 || g2 > 4 || g1 > g2)
			return bd_fail(BD_ERR_CONFIG, "残疾等级集合超出范围（类别 1-7，等级 1-4）: %s", s);
		for (int c = cat ? cat : 1; c <= (cat ? cat : 7); c++)
			for (int g = g1; g <= g2; g++)
				*out |= 1u << ((c - 1) * 4 + (g - 1));
		if (*p && *p != ',' && *p != ' ' && strncmp(p, "，", 3))
			return bd_fail(BD_ERR_CONFIG, "残疾等级集合无法解析: %s", s);
	}
	return BD_OK;
}

bool bd_disset_has(bd_disset set, int category, int grade)
{
	if (category < 1 || category > 7 || grade < 1 || grade > 4)
		return false;
	return (set >> ((category - 1) * 4 + (grade - 1))) & 1u;
}

bd_err bd_view_cert(bd_view *v, const uint8_t hid[32], bd_disset set, const bd_rec **cert)
{
	const bd_rec *r;
	size_t n;
	*cert = NULL;
	bd_err e = bd_view_records(v, BD_DS_CERT, hid, &r, &n);
	for (size_t i = 0; !e && i < n && !*cert; i++) {
		int32_t until = (int32_t)r[i].num[BD_CE_VALID_UNTIL];
		bool valid = r[i].num[BD_CE_STATUS] == BD_CS_VALID && (!until || until >= v->f->as_of);
		if (valid && (!set || bd_disset_has(set, (int)r[i].num[BD_CE_CATEGORY],
						    (int)r[i].num[BD_CE_GRADE])))
			*cert = &r[i];
	}
	return e;
}

/* yyyymmdd plus months, the day clamped to the month's end. */
static int32_t add_months(int32_t ymd, int months)
{
	int y = ymd / 10000, m = ymd / 100 % 100 + months, d = ymd % 100;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	while (d > 28 && !bd_date_valid(y, m, d))
		d--;
	return y * 10000 + m * 100 + d;
}

bd_err bd_view_custody(bd_view *v, const uint8_t hid[32], bool *in, bool *longc,
		       const bd_rec **rec)
{
	const bd_rec *r;
	size_t n;
	*in = *longc = false;
	*rec = NULL;
	bd_err e = bd_view_records(v, BD_DS_CUSTODY, hid, &r, &n);
	int32_t d = v->f->as_of;
	for (size_t i = 0; !e && i < n; i++) {
		int64_t t = r[i].num[BD_CU_TYPE];
		int32_t s = (int32_t)r[i].num[BD_CU_START], end = (int32_t)r[i].num[BD_CU_END];
		if ((t != BD_CU_SENTENCE && t != BD_CU_REHAB) || s > d || (end && end < d))
			continue;
		bool lg = !end || end >= add_months(s, 6);
		if (!*in || (lg && !*longc)) {
			*rec = &r[i];
			*longc = lg;
		}
		*in = true;
	}
	return e;
}

bd_err bd_view_illness(bd_view *v, const uint8_t hid[32], int year, int64_t *self_pay,
		       bool *major, size_t *rows)
{
	const bd_rec *r;
	size_t n;
	*self_pay = 0;
	*major = false;
	*rows = 0;
	bd_err e = bd_view_records(v, BD_DS_ILLNESS, hid, &r, &n);
	for (size_t i = 0; !e && i < n; i++) {
		if (r[i].num[BD_I_YEAR] != year)
			continue;
		*self_pay += r[i].num[BD_I_SELF_PAY];
		*major = *major || r[i].num[BD_I_MAJOR] == 2;
		(*rows)++;
	}
	return e;
}

static int hid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* Sorts b, drops duplicates and self. */
static void hid_finish(hidbuf *b, const uint8_t self[32])
{
	if (b->n > 1)
		qsort(b->h, b->n, 32, hid_cmp);
	size_t w = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (!memcmp(b->h[i], self, 32) || (w && !memcmp(b->h[w - 1], b->h[i], 32)))
			continue;
		if (w != i)
			memcpy(b->h[w], b->h[i], 32);
		w++;
	}
	b->n = w;
}

static bd_err aux_into(bd_view *v, int aux, const uint8_t key[32], hidbuf *b)
{
	unsigned s = bd_shard_of(key, v->f->nshards);
	if (!v->f->sh[s].aux_ok[aux])
		return BD_OK;
	return for_each_dup(v->sv[s].txn, &v->sv[s].auxcur[aux], v->f->sh[s].aux[aux], key, push_hid, b);
}

static bd_err parents_into(bd_view *v, const uint8_t hid[32], hidbuf *b)
{
	const bd_rec *p;
	bd_err e = bd_view_person(v, hid, &p);
	if (!e && p && bd_rec_hashid(p, BD_P_FATHER))
		e = hidbuf_push(b, p->hid[BD_P_FATHER]);
	if (!e && p && bd_rec_hashid(p, BD_P_MOTHER))
		e = hidbuf_push(b, p->hid[BD_P_MOTHER]);
	return e;
}

bd_err bd_view_kin(bd_view *v, const uint8_t hid[32], bd_kin kind, bd_hids *out)
{
	out->h = NULL;
	out->n = 0;
	if (kind < 0 || kind >= BD_KIN_MAX)
		return bd_fail(BD_ERR_INTERNAL, "unknown kin kind %d", (int)kind);
	hidbuf *b = &v->kin[kind];
	b->n = 0;
	bd_err e = BD_OK;
	const bd_rec *p;
	switch (kind) {
	case BD_KIN_SPOUSE:
		e = bd_view_person(v, hid, &p);
		if (!e && p && bd_rec_hashid(p, BD_P_SPOUSE))
			e = hidbuf_push(b, p->hid[BD_P_SPOUSE]);
		if (!e)
			e = aux_into(v, AUX_SPOUSE, hid, b);
		break;
	case BD_KIN_PARENTS:
		e = parents_into(v, hid, b);
		break;
	case BD_KIN_CHILDREN:
		e = aux_into(v, AUX_CHILD, hid, b);
		break;
	case BD_KIN_SIBLINGS:
		v->tmp.n = 0;
		e = parents_into(v, hid, &v->tmp);
		for (size_t i = 0; !e && i < v->tmp.n; i++)
			e = aux_into(v, AUX_CHILD, v->tmp.h[i], b);
		break;
	case BD_KIN_GRANDPARENTS:
		v->tmp.n = 0;
		e = parents_into(v, hid, &v->tmp);
		for (size_t i = 0; !e && i < v->tmp.n; i++)
			e = parents_into(v, v->tmp.h[i], b);
		break;
	case BD_KIN_GRANDCHILDREN:
		v->tmp.n = 0;
		e = aux_into(v, AUX_CHILD, hid, &v->tmp);
		for (size_t i = 0; !e && i < v->tmp.n; i++)
			e = aux_into(v, AUX_CHILD, v->tmp.h[i], b);
		break;
	case BD_KIN_COREGISTERED:
		e = bd_view_person(v, hid, &p);
		if (!e && p && p->str[BD_P_HUKOU].n) {
			uint8_t k[32];
			bd_hukou_key(&v->f->hasher, p->str[BD_P_HUKOU].s, p->str[BD_P_HUKOU].n, k);
			e = aux_into(v, AUX_HUKOU, k, b);
		}
		break;
	case BD_KIN_MAX:
		break;
	}
	hid_finish(b, hid);
	out->h = (const uint8_t (*)[32])b->h;
	out->n = e ? 0 : b->n;
	return e;
}

/* ga.person#b14 values: hid + the 15th character of the ID. */
typedef struct blockctx {
	hidbuf *b;
	int digit15;
} blockctx;

static bd_err push_block(void *ctx, const MDB_val *val)
{
	blockctx *c = ctx;
	if (val->mv_size != 33)
		return bd_fail(BD_ERR_INDEX, "索引损坏 (blocking value size)");
	if (c->digit15 >= 0 && ((const uint8_t *)val->mv_data)[32] != c->digit15)
		return BD_OK;
	return hidbuf_push(c->b, val->mv_data);
}

bd_err bd_view_block(bd_view *v, const uint8_t key[32], int digit15, bd_hids *out)
{
	v->block.n = 0;
	blockctx bc = { &v->block, digit15 };
	unsigned s = bd_shard_of(key, v->f->nshards);
	bd_err e = v->f->sh[s].aux_ok[AUX_B14]
			   ? for_each_dup(v->sv[s].txn, &v->sv[s].auxcur[AUX_B14], v->f->sh[s].aux[AUX_B14], key,
					  push_block, &bc)
			   : BD_OK;
	uint8_t none[32] = { 0 };
	hid_finish(&v->block, none);
	out->h = (const uint8_t (*)[32])v->block.h;
	out->n = e ? 0 : v->block.n;
	return e;
}

/* Scans one shard's database from key byte lo up to key byte hi. */
static bd_err scan_shard(bd_view *v, int s, bd_ds ds, bool bad, unsigned lo, unsigned hi,
			 bd_scan_fn fn, void *ctx)
{
	const shardfacts *sf = &v->f->sh[s];
	if (!(bad ? sf->aux_ok[AUX_BAD] : sf->ok[ds]))
		return BD_OK;
	MDB_cursor *cur;
	int rc = mdb_cursor_open(v->sv[s].txn, bad ? sf->aux[AUX_BAD] : sf->dbi[ds], &cur);
	if (rc)
		return mdb_err(rc, "cursor");
	uint8_t start[32] = { (uint8_t)(bad ? 0 : lo) };
	MDB_val k = { 32, start }, val;
	bd_err e = BD_OK;
	rc = mdb_cursor_get(cur, &k, &val, MDB_SET_RANGE);
	while (!rc && !e) {
		if (k.mv_size != 32 || (!bad && ((const uint8_t *)k.mv_data)[0] > hi))
			break;
		bd_rec r;
		e = bd_rec_unpack(val.mv_data, val.mv_size, &r);
		/* a scan of the registry hands the record it read to the rule's
		 * bd_view_person of the same key (when it is the key's only one) */
		size_t dups = 0;
		if (!e && !bad && ds == BD_DS_PERSON && !mdb_cursor_count(cur, &dups) && dups == 1 &&
		    (v->person.cap || !(e = recbuf_push(&v->person, &val)))) {
			v->person.r[0] = r;
			v->person.n = 1;
			memcpy(v->person_hid, k.mv_data, 32);
			v->person_memo = true;
		}
		if (!e)
			e = fn(ctx, k.mv_data, &r);
		rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	if (!e && rc && rc != MDB_NOTFOUND)
		e = mdb_err(rc, "scan");
	return e;
}

bd_err bd_view_scan(bd_view *v, bd_ds ds, bool bad, unsigned lo, unsigned hi, bd_scan_fn fn,
		    void *ctx)
{
	bool ok = bad ? v->f->aux_ok[AUX_BAD] : v->f->loaded[ds];
	if (!ok)
		return BD_OK;
	/* shards hold consecutive ranges of the leading key byte, so a scan
	 * in shard order is a scan in key order; the bad rows live in the
	 * shard of their (section, row) key */
	int s0 = bad ? 0 : (int)bd_shard_of((const uint8_t[]){ (uint8_t)lo }, v->f->nshards);
	int s1 = bad ? v->f->nshards - 1 : (int)bd_shard_of((const uint8_t[]){ (uint8_t)hi }, v->f->nshards);
	bd_err e = BD_OK;
	for (int s = s0; s <= s1 && !e; s++)
		e = scan_shard(v, s, ds, bad, lo, hi, fn, ctx);
	return e;
}

typedef struct scanpart {
	const bd_facts *f;
	bd_ds ds;
	int nparts;
	bd_scan_fn fn;
	void *const *ctxs;
	atomic_int next;
	atomic_int failed;
	bd_err err[256];
	char errmsg[256][512];
} scanpart;

static void *scan_part_thread(void *arg)
{
	scanpart *sp = arg;
	bd_view *v = NULL;
	bd_clear_error();
	/* views only read the facts; bd_view_open takes them non-const for
	 * the scratch it allocates in the view */
	bd_err e = bd_view_open((bd_facts *)(uintptr_t)sp->f, &v);
	for (int p; !e && !atomic_load(&sp->failed) && (p = atomic_fetch_add(&sp->next, 1)) < sp->nparts;) {
		unsigned lo = (unsigned)(256 * p / sp->nparts), hi = (unsigned)(256 * (p + 1) / sp->nparts - 1);
		if ((e = bd_view_scan(v, sp->ds, false, lo, hi, sp->fn, sp->ctxs[p]))) {
			sp->err[p] = e;
			snprintf(sp->errmsg[p], sizeof(sp->errmsg[p]), "%s", bd_last_error());
			atomic_store(&sp->failed, 1);
		}
	}
	if (e && !atomic_load(&sp->failed)) {
		sp->err[0] = e;
		snprintf(sp->errmsg[0], sizeof(sp->errmsg[0]), "%s", bd_last_error());
		atomic_store(&sp->failed, 1);
	}
	bd_view_close(v);
	return NULL;
}

bd_err bd_facts_scan_parts(const bd_facts *f, bd_ds ds, int nparts, int threads, bd_scan_fn fn,
			   void *const *ctxs)
{
	if (nparts < 1 || nparts > 256)
		return bd_fail(BD_ERR_INTERNAL, "scan in %d parts", nparts);
	scanpart *sp = calloc(1, sizeof(*sp));
	if (!sp)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	sp->f = f;
	sp->ds = ds;
	sp->nparts = nparts;
	sp->fn = fn;
	sp->ctxs = ctxs;
	int nt = threads < nparts ? threads : nparts;
	if (nt < 1)
		nt = 1;
	bd_run_parts(scan_part_thread, sp, 0, nt); /* threads share sp's queue of parts */
	bd_err e = BD_OK;
	for (int p = 0; p < nparts && !e; p++)
		if (sp->err[p])
			e = bd_fail(sp->err[p], "%s", sp->errmsg[p]);
	free(sp);
	return e;
}

/* "J=410102;ga.person@3;…;key" */
static void cache_stamp(const bd_facts *f, unsigned needs, const char *key, bd_buf *out)
{
	bd_buf_addf(out, "J=%s", f->jurisdiction);
	for (int ds = 0; ds < BD_DS_MAX; ds++)
		if (needs & (1u << ds))
			bd_buf_addf(out, ";%s@%llu", bd_schemas[ds].name,
				    (unsigned long long)bd_index_gen(f->ix, (bd_ds)ds));
	bd_buf_addf(out, ";%s", key);
}

bd_err bd_facts_cache_get(const bd_facts *f, const char *name, unsigned needs, const char *key,
			  void **data, size_t *n)
{
	bd_buf st = BD_BUF_INIT(1 << 16);
	cache_stamp(f, needs, key, &st);
	bd_err e = st.data ? bd_index_cache_get(f->ix, name, st.data, data, n)
			   : bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_buf_release(&st);
	return e;
}

bd_err bd_facts_cache_put(const bd_facts *f, const char *name, unsigned needs, const char *key,
			  const void *data, size_t n)
{
	bd_buf st = BD_BUF_INIT(1 << 16);
	cache_stamp(f, needs, key, &st);
	bd_err e = st.data ? bd_index_cache_put(f->ix, name, st.data, data, n)
			   : bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_buf_release(&st);
	return e;
}

void bd_facts_flag_id(const bd_facts *f, const char *rule, const char *subject,
		      const char *evkey, char out[17])
{
	const char *parts[] = { rule, subject, evkey };
	const size_t lens[] = { strlen(rule), strlen(subject), strlen(evkey) };
	uint8_t h[32];
	bd_hmac_parts(&f->hasher, parts, lens, 3, h);
	bd_hex(h, 8, out);
}

bd_err bd_facts_snapshot(const bd_facts *f, bd_ds ds, char **json)
{
	return bd_index_snapshot(f->ix, ds, json);
}

const char *bd_facts_key_fingerprint(const bd_facts *f)
{
	return f->fingerprint;
}
