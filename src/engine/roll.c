/* roll.c - the roll in memory: rows in key order, Q01 recovery of rows
 * with invalid IDs, households by union-find (roll.h). */
#include "bd/roll.h"
#include "bd/idnum.h"
#include "bd/key.h"
#include "bd/places.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t bd_roll_find(const bd_roll *r, const uint8_t hid[32], size_t *count)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (memcmp(r->rows[mid].hid, hid, 32) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < r->n && !memcmp(r->rows[end].hid, hid, 32))
		end++;
	*count = end - lo;
	return lo;
}

bool bd_roll_household_on(const bd_roll *r, uint32_t h, bd_prog p)
{
	for (uint32_t i = r->hh_first[h]; i < r->hh_first[h + 1]; i++)
		if (r->rows[r->hh_rows[i]].prog == p)
			return true;
	return false;
}

bool bd_roll_person_on(const bd_roll *r, const uint8_t hid[32], bd_prog p)
{
	size_t n, i = bd_roll_find(r, hid, &n);
	for (size_t k = 0; k < n; k++)
		if (r->rows[i + k].prog == p)
			return true;
	return false;
}

/* A roll row as read, with what households and Q01 recovery need. */
typedef struct rawrow {
	bd_rollrow row;
	int amounts;
	int64_t hh_amount;
	bool head_ok;
	uint8_t head[32];
	char relation[32];
	int idstatus;        /* bad rows: bd_id_status */
	int block_kind;      /* bad rows: 15, 14 or 0 (no blocking key) */
	int digit15;         /* block_kind 15: the 15th character */
	uint8_t block[32];
} rawrow;

/* Rows as read (a part of the roll, or the bad rows). */
typedef struct rollload {
	rawrow *rows;
	size_t n, cap;
	const char *const *section_names;
	size_t nsections;
} rollload;

/* A new zeroed row at the end of L (owned by L); NULL when out of memory. */
static rawrow *rollload_add(rollload *L)
{
	if (L->n == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 1024;
		rawrow *n = realloc(L->rows, cap * sizeof(*n));
		if (!n)
			return NULL;
		L->rows = n;
		L->cap = cap;
	}
	rawrow *w = &L->rows[L->n++];
	memset(w, 0, sizeof(*w));
	return w;
}

static bd_err load_roll_row(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	rollload *L = ctx;
	rawrow *w = rollload_add(L);
	if (!w)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_rollrow *r = &w->row;
	memcpy(r->hid, key, 32);
	r->prog = (bd_prog)rec->num[BD_R_PROG];
	r->start_month = (int32_t)rec->num[BD_R_START_MONTH];
	r->filed = rec->num[BD_R_FILED] != 0;
	r->id_birth = (int32_t)rec->num[BD_R_BIRTH];
	r->section = rec->section;
	r->row = rec->row;
	r->section_name = rec->section < L->nsections ? L->section_names[rec->section] : "mz.roll";
	w->amounts = (int)rec->num[BD_R_AMOUNTS];
	r->monthly = w->amounts & 1 ? rec->num[BD_R_MONTHLY] : 0;
	w->hh_amount = rec->num[BD_R_HH_AMOUNT];
	bd_utf8_copy(r->name, sizeof(r->name), rec->str[BD_R_NAME].s, rec->str[BD_R_NAME].n);
	bd_utf8_copy(r->idmask, sizeof(r->idmask), rec->str[BD_R_IDMASK].s, rec->str[BD_R_IDMASK].n);
	bd_utf8_copy(r->township, sizeof(r->township), rec->str[BD_R_TOWNSHIP].s, rec->str[BD_R_TOWNSHIP].n);
	bd_utf8_copy(r->village, sizeof(r->village), rec->str[BD_R_VILLAGE].s, rec->str[BD_R_VILLAGE].n);
	bd_utf8_copy(r->household_id, sizeof(r->household_id), rec->str[BD_R_HOUSEHOLD].s,
		 rec->str[BD_R_HOUSEHOLD].n);
	bd_utf8_copy(w->relation, sizeof(w->relation), rec->str[BD_R_RELATION].s, rec->str[BD_R_RELATION].n);
	w->head_ok = bd_rec_hashid(rec, BD_R_HEAD);
	if (w->head_ok)
		memcpy(w->head, rec->hid[BD_R_HEAD], 32);
	return BD_OK;
}

static bd_err load_bad_row(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)key;
	rollload *L = ctx;
	/* reuse the roll loader for the common fields, then move the row */
	bd_err e = load_roll_row(L, key, rec);
	if (e)
		return e;
	rawrow *w = &L->rows[L->n - 1];
	memset(w->row.hid, 0, 32);
	w->idstatus = (int)rec->num[BD_R_IDSTATUS];
	if (bd_rec_hashid(rec, BD_R_B14)) {
		memcpy(w->block, rec->hid[BD_R_B14], 32);
		w->digit15 = (int)rec->num[BD_R_DIGIT15];
		w->block_kind = w->digit15 ? 15 : 14;
	}
	return BD_OK;
}

/* The roll rows in key order, read in np key-range parts on all threads
 * into parts[0..np) (each part's rows owned by it; left where they are:
 * households are built over all parts). */
static bd_err load_roll(bd_facts *facts, int np, const rollload *proto, rollload *parts)
{
	void *ctxs[64];
	for (int p = 0; p < np; p++) {
		parts[p] = (rollload){ NULL, 0, 0, proto->section_names, proto->nsections };
		ctxs[p] = &parts[p];
	}
	return bd_facts_scan_parts(facts, BD_DS_ROLL, np, np, load_roll_row, ctxs);
}

/*
 * Q01 recovery: a bad row whose blocking key finds exactly one registry
 * person becomes a roll row of that person, marked recovered, and takes
 * part in every rule.
 */
static bd_err recover_bad(bd_view *v, rollload *bad, rollload *roll, bd_roll *out)
{
	out->bad = calloc(bad->n ? bad->n : 1, sizeof(*out->bad));
	if (!out->bad)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	out->nbad = bad->n;
	for (size_t i = 0; i < bad->n; i++) {
		rawrow *w = &bad->rows[i];
		bd_badrow *b = &out->bad[i];
		b->row = w->row;
		b->idstatus = w->idstatus;
		if (!w->block_kind)
			continue;
		b->tried = true;
		bd_hids c;
		bd_err e = bd_view_block(v, w->block, w->block_kind == 15 ? w->digit15 : -1, &c);
		if (e)
			return e;
		b->candidates = c.n;
		if (c.n != 1)
			continue;
		b->recovered = true;
		memcpy(b->row.hid, c.h[0], 32);
		b->row.recovered = true;
		const bd_rec *p;
		if ((e = bd_view_person(v, b->row.hid, &p)))
			return e;
		if (p) {
			bd_utf8_copy(b->cand_name, sizeof(b->cand_name), p->str[BD_P_NAME].s, p->str[BD_P_NAME].n);
			bd_utf8_copy(b->cand_mask, sizeof(b->cand_mask), p->str[BD_P_IDMASK].s, p->str[BD_P_IDMASK].n);
			b->row.id_birth = (int32_t)p->num[BD_P_BIRTH];
		}
		/* into the roll as that person */
		rawrow *r = rollload_add(roll);
		if (!r)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		*r = *w;
		r->row = b->row;
		snprintf(r->row.idmask, sizeof(r->row.idmask), "%s", b->cand_mask);
	}
	return BD_OK;
}

/* union-find over rows */
static uint32_t uf_find(uint32_t *p, uint32_t x)
{
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

static void uf_join(uint32_t *p, uint32_t a, uint32_t b)
{
	a = uf_find(p, a);
	b = uf_find(p, b);
	if (a != b)
		p[a < b ? b : a] = a < b ? a : b;
}

/* order of roll rows: hid, section, row (qsort over pointers: a rawrow
 * is half a kilobyte, too large to move around while sorting) */
static int raw_cmp_hid(const void *a, const void *b)
{
	const rawrow *x = *(const rawrow *const *)a, *y = *(const rawrow *const *)b;
	int c = memcmp(x->row.hid, y->row.hid, 32);
	if (c)
		return c;
	if (x->row.section != y->row.section)
		return x->row.section < y->row.section ? -1 : 1;
	return x->row.row < y->row.row ? -1 : x->row.row > y->row.row;
}

/* key of a row's household for grouping: its household_id ('I'), or a
 * head's hid ('H'); data points into the rows */
typedef struct hkey {
	uint64_t hash;     /* of kind and data: most comparisons end here */
	const char *data;
	uint32_t len;
	uint32_t row;
	char kind;
} hkey;

static hkey make_hkey(char kind, const void *data, size_t len, uint32_t row)
{
	hkey k = { 14695981039346656037u, data, (uint32_t)len, row, kind };
	const unsigned char *u = data;
	k.hash = (k.hash ^ (unsigned char)kind) * 1099511628211u;
	for (size_t i = 0; i < len; i++)
		k.hash = (k.hash ^ u[i]) * 1099511628211u;
	return k;
}

/* equal keys together (the order among different keys is the hashes') */
static int hkey_cmp(const void *a, const void *b)
{
	const hkey *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = memcmp(x->data, y->data, x->len < y->len ? x->len : y->len);
	if (c || x->len != y->len)
		return c ? c : (x->len < y->len ? -1 : 1);
	return x->row < y->row ? -1 : x->row > y->row;
}

static bool hkey_same(const hkey *x, const hkey *y)
{
	return x->kind == y->kind && x->len == y->len && !memcmp(x->data, y->data, x->len);
}

static bool is_head(const char *rel)
{
	return !strcmp(rel, "户主") || !strcmp(rel, "本人") || !strcmp(rel, "申请人");
}

/*
 * Households (DATA.md): rows sharing a household_id are one family across
 * all files; rows keyed by a head's hid are one family, and the same as any
 * household_id whose 户主 row has that hid. The rows are those of
 * parts[0..np), in (hid, section, row) order in out->rows.
 */
static bd_err build_households(const rollload *parts, int np, bd_roll *out)
{
	size_t n = 0;
	for (int p = 0; p < np; p++)
		n += parts[p].n;
	const rawrow **ord = malloc((n ? n : 1) * sizeof(*ord));
	uint32_t *parent = malloc((n ? n : 1) * sizeof(*parent));
	hkey *keys = malloc((n ? n : 1) * 3 * sizeof(*keys));
	if (!ord || !parent || !keys) {
		free(ord);
		free(parent);
		free(keys);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	size_t at = 0;
	for (int p = 0; p < np; p++)
		for (size_t i = 0; i < parts[p].n; i++)
			ord[at++] = &parts[p].rows[i];
	qsort(ord, n, sizeof(*ord), raw_cmp_hid);
	/* a row without household_id and head has no key: a household alone */
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		parent[i] = (uint32_t)i;
		const rawrow *w = ord[i];
		if (w->row.household_id[0])
			keys[nk++] = make_hkey('I', w->row.household_id, strlen(w->row.household_id),
					       (uint32_t)i);
		if (w->head_ok)
			keys[nk++] = make_hkey('H', w->head, 32, (uint32_t)i);
		if (is_head(w->relation) || (w->head_ok && !memcmp(w->head, w->row.hid, 32)))
			/* the head's own row links its household_id to its hid */
			keys[nk++] = make_hkey('H', w->row.hid, 32, (uint32_t)i);
	}
	qsort(keys, nk, sizeof(*keys), hkey_cmp);
	for (size_t i = 1; i < nk; i++)
		if (hkey_same(&keys[i], &keys[i - 1]))
			uf_join(parent, keys[i].row, keys[i - 1].row);
	free(keys);
	/* number households by their smallest row */
	uint32_t *hh_of_root = malloc((n ? n : 1) * sizeof(uint32_t));
	out->rows = malloc((n ? n : 1) * sizeof(bd_rollrow));
	if (!hh_of_root || !out->rows) {
		free(parent);
		free(hh_of_root);
		free(ord);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	uint32_t nh = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = uf_find(parent, (uint32_t)i);
		if (r == i)
			hh_of_root[i] = nh++;
	}
	out->n = n;
	out->nhouseholds = nh;
	out->hh_first = calloc(nh + 1, sizeof(uint32_t));
	out->hh_rows = malloc((n ? n : 1) * sizeof(uint32_t));
	if (!out->hh_first || !out->hh_rows) {
		free(parent);
		free(hh_of_root);
		free(ord);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		out->rows[i] = ord[i]->row;
		out->rows[i].household = hh_of_root[uf_find(parent, (uint32_t)i)];
		out->hh_first[out->rows[i].household + 1]++;
	}
	for (uint32_t h = 0; h < nh; h++)
		out->hh_first[h + 1] += out->hh_first[h];
	uint32_t *fill = calloc(nh + 1, sizeof(uint32_t));
	if (!fill) {
		free(parent);
		free(hh_of_root);
		free(ord);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t h = out->rows[i].household;
		out->hh_rows[out->hh_first[h] + fill[h]++] = (uint32_t)i;
	}
	/* a household known only by its head's ID (低保 files list 户主身份证号,
	 * not a 家庭编号) is shown as 户主 <name> where the head is on the roll:
	 * what a reviewer looks a family up by */
	for (size_t i = 0; i < n; i++) {
		const rawrow *w = ord[i];
		if (out->rows[i].household_id[0] || !w->head_ok)
			continue;
		uint32_t h = out->rows[i].household;
		for (uint32_t k = out->hh_first[h]; k < out->hh_first[h + 1]; k++) {
			const bd_rollrow *hr = &out->rows[out->hh_rows[k]];
			if (!memcmp(hr->hid, w->head, 32) && hr->name[0]) {
				snprintf(out->rows[i].household_id, sizeof(out->rows[i].household_id), "户主 %s",
					 hr->name);
				break;
			}
		}
	}
	/* a household amount is shared by the household's persons on that
	 * programme (DATA.md); evidence then says 按户均估算 */
	for (size_t i = 0; i < n; i++) {
		const rawrow *w = ord[i];
		if ((w->amounts & 1) || !(w->amounts & 2))
			continue;
		uint32_t h = out->rows[i].household, same = 0;
		for (uint32_t k = out->hh_first[h]; k < out->hh_first[h + 1]; k++)
			same += out->rows[out->hh_rows[k]].prog == out->rows[i].prog;
		out->rows[i].monthly = same ? w->hh_amount / same : w->hh_amount;
		out->rows[i].monthly_estimated = true;
	}
	free(fill);
	free(parent);
	free(hh_of_root);
	free(ord);
	return BD_OK;
}

void bd_roll_release(bd_roll *r)
{
	free(r->places);
	free(r->bad);
	free(r->rows);
	free(r->hh_first);
	free(r->hh_rows);
	memset(r, 0, sizeof(*r));
}


bd_err bd_roll_load(const bd_config *cfg, bd_facts *facts, bd_roll *out)
{
	double t = bd_clock_s();
	memset(out, 0, sizeof(*out));
	const char *names[64];
	size_t ns = 0;
	for (unsigned i = 0; i < 64; i++)
		names[ns++] = bd_facts_section_name(facts, BD_DS_ROLL, i);
	/* parts[0..np): the roll in key ranges; parts[np]: recovered bad rows */
	rollload parts[65], B = { NULL, 0, 0, names, ns };
	int np = cfg->threads < 1 ? 1 : cfg->threads > 64 ? 64 : cfg->threads;
	parts[np] = B;
	bd_view *v;
	bd_err e = bd_view_open(facts, &v);
	if (!e) {
		e = load_roll(facts, np, &B, parts);
		if (!e)
			e = bd_view_scan(v, BD_DS_ROLL, true, 0, 255, load_bad_row, &B);
		if (!e)
			e = recover_bad(v, &B, &parts[np], out);
		bd_view_close(v);
	} else {
		np = -1; /* no part read */
	}
	free(B.rows);
	bd_timing("match roll read", &t);
	if (!e)
		e = build_households(parts, np + 1, out);
	for (int p = 0; p <= np; p++)
		free(parts[p].rows);
	bd_timing("match households", &t);
	if (!e)
		e = bd_places_learn(facts, out, cfg->threads);
	if (!e && cfg->ndivisions)
		e = bd_places_load_divisions(cfg, out);
	/* an index built with show_full_id = yes holds full IDs where
	 * masks go: this run did not ask for them */
	for (size_t i = 0; !e && !cfg->show_full_id && i < out->nbad; i++) {
		bd_id_remask(out->bad[i].cand_mask, sizeof(out->bad[i].cand_mask));
		bd_id_remask(out->bad[i].row.idmask, sizeof(out->bad[i].row.idmask));
	}
	bd_timing("match places", &t);
	return e;
}
