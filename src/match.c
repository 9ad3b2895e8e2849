/* match.c - the matching engine: roll model, rule runs on all cores,
 * flags.csv (match.h). */
#include "bd/match.h"
#include "bd/csv.h"
#include "bd/csvout.h"
#include "bd/history.h"
#include "bd/idnum.h"
#include "bd/key.h"

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *bd_family_name(bd_family f)
{
	switch (f) {
	case BD_FAM_C: return "错保";
	case BD_FAM_L: return "漏保";
	case BD_FAM_R: return "人情保";
	case BD_FAM_Q: return "数据质量";
	}
	return "";
}

const char *bd_severity_name(bd_severity s)
{
	switch (s) {
	case BD_SEV_HIGH: return "高";
	case BD_SEV_MID: return "中";
	case BD_SEV_LOW: return "低";
	}
	return "";
}

/* The string arena of a bd_flags: chunks that never move. */
struct bd_chunk {
	struct bd_chunk *next;
	size_t used, cap;
	char data[];
};

/* A copy of s in fl's arena, or NULL when out of memory. */
static char *arena_strdup(bd_flags *fl, const char *s)
{
	size_t n = strlen(s) + 1;
	struct bd_chunk *c = fl->chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = fl->chunks;
		c->used = 0;
		c->cap = cap;
		fl->chunks = c;
	}
	char *d = c->data + c->used;
	memcpy(d, s, n);
	c->used += n;
	return d;
}

static bd_err flags_grow(bd_flags *fl, size_t more)
{
	if (fl->n + more <= fl->cap)
		return BD_OK;
	size_t cap = fl->cap ? fl->cap * 2 : 64;
	while (cap < fl->n + more)
		cap *= 2;
	bd_flagrec *n = realloc(fl->f, cap * sizeof(*n));
	if (!n)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	fl->f = n;
	fl->cap = cap;
	return BD_OK;
}

bd_err bd_flags_add(bd_flags *fl, const bd_flag *f)
{
	bd_err e = flags_grow(fl, 1);
	if (e)
		return e;
	bd_flagrec *r = &fl->f[fl->n];
	r->rule = f->rule;
	r->programme = f->programme;
	r->source_dataset = f->source_dataset;
	r->severity = f->severity;
	r->has_subject = f->has_subject;
	r->recovered = f->recovered;
	memcpy(r->subject, f->subject, 32);
	r->monthly = f->monthly;
	r->overpaid = f->overpaid;
	r->source_row = f->source_row;
	if (!(r->evkey = arena_strdup(fl, f->evkey)) || !(r->township = arena_strdup(fl, f->township)) ||
	    !(r->village = arena_strdup(fl, f->village)) ||
	    !(r->household_id = arena_strdup(fl, f->household_id)) || !(r->name = arena_strdup(fl, f->name)) ||
	    !(r->idmask = arena_strdup(fl, f->idmask)) || !(r->evidence = arena_strdup(fl, f->evidence)))
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	fl->n++;
	return BD_OK;
}

bd_err bd_flags_take(bd_flags *dst, bd_flags *src)
{
	bd_err e = src->n ? flags_grow(dst, src->n) : BD_OK;
	if (e)
		return e;
	if (src->n)
		memcpy(dst->f + dst->n, src->f, src->n * sizeof(*src->f));
	dst->n += src->n;
	/* the strings stay where they are: their chunks change owner */
	struct bd_chunk **tail = &src->chunks;
	while (*tail)
		tail = &(*tail)->next;
	*tail = dst->chunks;
	dst->chunks = src->chunks;
	src->chunks = NULL;
	free(src->f);
	src->f = NULL;
	src->n = src->cap = 0;
	return BD_OK;
}

/* "；" (EF BC 9B) separates evidence fields: inside a value it becomes
 * "，", and line breaks become spaces. */
static void field_value(char *v)
{
	for (char *q = v; (q = strstr(q, "\xEF\xBC\x9B")) != NULL; q += 3)
		q[2] = '\x8C';
	for (char *q = v; *q; q++)
		if (*q == '\n' || *q == '\r')
			*q = ' ';
}

void bd_ev(bd_flag *f, const char *label, const char *fmt, ...)
{
	char v[sizeof(f->evidence)], seg[2 * sizeof(f->evidence)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	field_value(v);
	size_t len = strlen(f->evidence);
	snprintf(seg, sizeof(seg), "%s%s：%s", len ? "；" : "", label, v);
	/* what does not fit is cut at a character boundary */
	bd_utf8_copy(f->evidence + len, sizeof(f->evidence) - len, seg, strlen(seg));
}

void bd_flags_release(bd_flags *fl)
{
	for (struct bd_chunk *c = fl->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(fl->f);
	memset(fl, 0, sizeof(*fl));
}


void bd_flag_from_roll(bd_flag *f, const char *rule, const bd_rollrow *r)
{
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = BD_SEV_MID;
	f->has_subject = true;
	memcpy(f->subject, r->hid, 32);
	snprintf(f->township, sizeof(f->township), "%s", r->township);
	snprintf(f->village, sizeof(f->village), "%s", r->village);
	snprintf(f->household_id, sizeof(f->household_id), "%s", r->household_id);
	snprintf(f->name, sizeof(f->name), "%s", r->name);
	snprintf(f->idmask, sizeof(f->idmask), "%s", r->idmask);
	f->programme = bd_prog_code(r->prog);
	f->monthly = r->monthly;
	f->overpaid = -1;
	f->source_dataset = r->section_name;
	f->source_row = r->row;
	f->recovered = r->recovered;
}

void bd_flag_from_person(bd_flag *f, const char *rule, const uint8_t hid[32], const bd_rec *p)
{
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = BD_SEV_MID;
	f->has_subject = true;
	memcpy(f->subject, hid, 32);
	f->programme = "";
	f->monthly = f->overpaid = -1;
	f->source_dataset = "ga.person";
	if (!p)
		return;
	const bd_str *reg = &p->str[BD_P_REGION];
	bd_utf8_copy(f->township, sizeof(f->township), reg->s, reg->n < 9 ? reg->n : 9);
	bd_utf8_copy(f->village, sizeof(f->village), reg->s, reg->n);
	bd_utf8_copy(f->name, sizeof(f->name), p->str[BD_P_NAME].s, p->str[BD_P_NAME].n);
	bd_utf8_copy(f->idmask, sizeof(f->idmask), p->str[BD_P_IDMASK].s, p->str[BD_P_IDMASK].n);
	f->source_row = p->row;
}

static int place_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bd_place *)a)->code, ((const struct bd_place *)b)->code);
}

const char *bd_place_name(const bd_roll *roll, const char *code)
{
	struct bd_place key;
	snprintf(key.code, sizeof(key.code), "%s", code);
	const struct bd_place *p = roll->nplaces ? bsearch(&key, roll->places, roll->nplaces,
							   sizeof(key), place_cmp) : NULL;
	return p ? p->name : NULL;
}

void bd_flag_name_places(bd_flag *f, const bd_roll *roll)
{
	const char *t = bd_place_name(roll, f->township), *v = bd_place_name(roll, f->village);
	if (t)
		snprintf(f->township, sizeof(f->township), "%s", t);
	if (v)
		snprintf(f->village, sizeof(f->village), "%s", v);
}

static int place_sort_cmp(const void *a, const void *b)
{
	int c = place_cmp(a, b);
	return c ? c : strcmp(((const struct bd_place *)a)->name, ((const struct bd_place *)b)->name);
}

/* One thread's share of learn_places: rows [lo, hi) write their pairs
 * into places[2i] and places[2i+1] (left empty when none). */
typedef struct placejob {
	bd_facts *facts;
	bd_roll *roll;
	size_t lo, hi;
	bd_err err;
	char errmsg[512];
} placejob;

static void *learn_places_part(void *arg)
{
	placejob *j = arg;
	bd_view *v;
	bd_clear_error();
	if ((j->err = bd_view_open(j->facts, &v))) {
		snprintf(j->errmsg, sizeof(j->errmsg), "%s", bd_last_error());
		return NULL;
	}
	bd_roll *roll = j->roll;
	for (size_t i = j->lo; i < j->hi && !j->err; i++) {
		const bd_rollrow *r = &roll->rows[i];
		const bd_rec *p;
		if ((j->err = bd_view_person(v, r->hid, &p))) {
			snprintf(j->errmsg, sizeof(j->errmsg), "%s", bd_last_error());
			break;
		}
		if (!p || p->str[BD_P_REGION].n != 12 || !r->township[0])
			continue;
		snprintf(roll->places[2 * i].code, 10, "%.9s", p->str[BD_P_REGION].s);
		snprintf(roll->places[2 * i].name, 64, "%s", r->township);
		if (r->village[0]) {
			snprintf(roll->places[2 * i + 1].code, 13, "%.12s", p->str[BD_P_REGION].s);
			snprintf(roll->places[2 * i + 1].name, 64, "%s", r->village);
		}
	}
	bd_view_close(v);
	return NULL;
}

/* Learns region code -> name pairs from roll rows of registered persons,
 * the rows shared among threads. */
static bd_err learn_places(bd_facts *facts, bd_roll *roll, int threads)
{
	roll->places = calloc(roll->n * 2 + 1, sizeof(*roll->places));
	if (!roll->places)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	int nt = bd_parts_for(roll->n, threads, 4096);
	placejob jobs[64];
	for (int t = 0; t < nt; t++)
		jobs[t] = (placejob){ facts, roll, roll->n * (size_t)t / (size_t)nt,
				      roll->n * (size_t)(t + 1) / (size_t)nt, BD_OK, "" };
	bd_run_parts(learn_places_part, jobs, sizeof(jobs[0]), nt);
	bd_err e = BD_OK;
	for (int t = 0; t < nt; t++) {
		if (jobs[t].err && !e)
			e = bd_fail(jobs[t].err, "%s", jobs[t].errmsg);
	}
	if (e)
		return e;
	size_t n = 0;
	for (size_t i = 0; i < roll->n * 2; i++)
		if (roll->places[i].code[0])
			roll->places[n++] = roll->places[i];
	/* a code with several names keeps the smallest: deterministic */
	qsort(roll->places, n, sizeof(*roll->places), place_sort_cmp);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!w || strcmp(roll->places[w - 1].code, roll->places[i].code))
			roll->places[w++] = roll->places[i];
	roll->nplaces = w;
	return BD_OK;
}

/* Names the region codes the roll did not teach from the divisions
 * tables of RUN.ini (`divisions =`): CSV with code,name columns (the
 * national tables' streets.csv / villages.csv.gz) or with township_code,
 * township_name, village_code, village_name; only codes of the
 * jurisdiction are kept. */
static bd_err load_divisions(const bd_config *cfg, bd_roll *roll)
{
	size_t learned = roll->nplaces, cap = roll->nplaces + 1, n = roll->nplaces;
	size_t jl = strlen(cfg->jurisdiction);
	bd_err e = BD_OK;
	for (size_t d = 0; d < cfg->ndivisions && !e; d++) {
		bd_csv *c;
		if ((e = bd_csv_open(cfg->divisions[d], "auto", &c)))
			return bd_fail_ctx(e, "divisions");
		bd_row row;
		bool eof, head = true;
		int pc[3] = { -1, -1, -1 }, pn[3] = { -1, -1, -1 };
		static const char *const codes[3] = { "code", "township_code", "village_code" };
		static const char *const names[3] = { "name", "township_name", "village_name" };
		while (!e && !(e = bd_csv_next(c, &row, &eof)) && !eof) {
			if (head) {
				for (uint32_t i = 0; i < row.ncell; i++)
					for (int k = 0; k < 3; k++) {
						if (!strcmp(row.cells[i].s, codes[k]) ||
						    (!k && (!strcmp(row.cells[i].s, "区划代码") || !strcmp(row.cells[i].s, "代码"))))
							pc[k] = (int)i;
						if (!strcmp(row.cells[i].s, names[k]) || (!k && !strcmp(row.cells[i].s, "名称")))
							pn[k] = (int)i;
					}
				head = false;
				if ((pc[0] < 0 || pn[0] < 0) && (pc[1] < 0 || pn[1] < 0) && (pc[2] < 0 || pn[2] < 0))
					e = bd_fail(BD_ERR_HEADER, "%s: 找不到 code,name（或 township_code,township_name、"
						    "village_code,village_name）列", cfg->divisions[d]);
				continue;
			}
			for (int k = 0; k < 3 && !e; k++) {
				if (pc[k] < 0 || pn[k] < 0 || (uint32_t)pc[k] >= row.ncell || (uint32_t)pn[k] >= row.ncell)
					continue;
				const char *code = row.cells[pc[k]].s;
				size_t cl = strlen(code);
				if ((cl != 9 && cl != 12) || strncmp(code, cfg->jurisdiction, jl) ||
				    bd_place_name(roll, code) || !*row.cells[pn[k]].s)
					continue;
				if (n + 1 >= cap) {
					cap = cap * 2 + 64;
					struct bd_place *np = realloc(roll->places, cap * sizeof(*np));
					if (!np) {
						e = bd_fail(BD_ERR_NOMEM, "out of memory");
						break;
					}
					roll->places = np;
				}
				snprintf(roll->places[n].code, sizeof(roll->places[n].code), "%s", code);
				bd_utf8_copy(roll->places[n].name, sizeof(roll->places[n].name), row.cells[pn[k]].s,
					 strlen(row.cells[pn[k]].s));
				n++;
			}
		}
		bd_csv_close(c);
	}
	/* learned names first, table names for the rest; each code once */
	if (!e && n > learned) {
		qsort(roll->places + learned, n - learned, sizeof(*roll->places), place_sort_cmp);
		size_t w = learned;
		for (size_t i = learned; i < n; i++)
			if (w == learned || strcmp(roll->places[w - 1].code, roll->places[i].code))
				roll->places[w++] = roll->places[i];
		roll->nplaces = w;
		qsort(roll->places, w, sizeof(*roll->places), place_cmp);
	}
	return e;
}

/* ---- the roll in memory ---- */

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

typedef struct rollload {
	rawrow *rows;
	size_t n, cap;
	const char *const *section_names;
	size_t nsections;
} rollload;

static bd_err load_roll_row(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	rollload *L = ctx;
	if (L->n == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 1024;
		rawrow *n = realloc(L->rows, cap * sizeof(*n));
		if (!n)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		L->rows = n;
		L->cap = cap;
	}
	rawrow *w = &L->rows[L->n++];
	memset(w, 0, sizeof(*w));
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

/* The roll rows in key order: read in parts on all threads, then
 * appended part after part. */
static bd_err load_roll(bd_facts *facts, int threads, rollload *L)
{
	int np = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	rollload parts[64];
	void *ctxs[64];
	for (int p = 0; p < np; p++) {
		parts[p] = (rollload){ NULL, 0, 0, L->section_names, L->nsections };
		ctxs[p] = &parts[p];
	}
	bd_err e = bd_facts_scan_parts(facts, BD_DS_ROLL, np, np, load_roll_row, ctxs);
	size_t total = 0;
	for (int p = 0; p < np; p++)
		total += parts[p].n;
	if (!e && total) {
		L->rows = malloc(total * sizeof(*L->rows));
		if (!L->rows)
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
		L->cap = total;
	}
	for (int p = 0; p < np; p++) {
		if (!e && parts[p].n)
			memcpy(L->rows + L->n, parts[p].rows, parts[p].n * sizeof(*L->rows));
		L->n += e ? 0 : parts[p].n;
		free(parts[p].rows);
	}
	return e;
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
		if (roll->n == roll->cap) {
			size_t cap = roll->cap ? roll->cap * 2 : 1024;
			rawrow *nr = realloc(roll->rows, cap * sizeof(*nr));
			if (!nr)
				return bd_fail(BD_ERR_NOMEM, "out of memory");
			roll->rows = nr;
			roll->cap = cap;
		}
		rawrow *r = &roll->rows[roll->n++];
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

static int raw_cmp_hid(const void *a, const void *b)
{
	const rawrow *x = a, *y = b;
	int c = memcmp(x->row.hid, y->row.hid, 32);
	if (c)
		return c;
	if (x->row.section != y->row.section)
		return x->row.section < y->row.section ? -1 : 1;
	return x->row.row < y->row.row ? -1 : x->row.row > y->row.row;
}

/* key of a row's household for grouping: its household_id, else its head */
typedef struct hkey {
	char text[80];
	uint32_t row;
} hkey;

static int hkey_cmp(const void *a, const void *b)
{
	const hkey *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	return c ? c : (x->row < y->row ? -1 : x->row > y->row);
}

static bool is_head(const char *rel)
{
	return !strcmp(rel, "户主") || !strcmp(rel, "本人") || !strcmp(rel, "申请人");
}

/*
 * Households (DATA.md): rows sharing a household_id are one family across
 * all files; rows keyed by a head's hid are one family, and the same as any
 * household_id whose 户主 row has that hid.
 */
static bd_err build_households(rollload *L, bd_roll *out)
{
	size_t n = L->n;
	qsort(L->rows, n, sizeof(*L->rows), raw_cmp_hid);
	uint32_t *parent = malloc((n ? n : 1) * sizeof(*parent));
	hkey *keys = malloc((n ? n : 1) * 2 * sizeof(*keys));
	if (!parent || !keys) {
		free(parent);
		free(keys);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	size_t nk = 0;
	char hex[65];
	for (size_t i = 0; i < n; i++) {
		parent[i] = (uint32_t)i;
		rawrow *w = &L->rows[i];
		if (w->row.household_id[0]) {
			snprintf(keys[nk].text, sizeof(keys[nk].text), "I%s", w->row.household_id);
			keys[nk++].row = (uint32_t)i;
		}
		if (w->head_ok) {
			bd_hex(w->head, 32, hex);
			snprintf(keys[nk].text, sizeof(keys[nk].text), "H%s", hex);
			keys[nk++].row = (uint32_t)i;
		}
		if (is_head(w->relation) || (w->head_ok && !memcmp(w->head, w->row.hid, 32))) {
			/* the head's own row links its household_id to its hid */
			bd_hex(w->row.hid, 32, hex);
			snprintf(keys[nk].text, sizeof(keys[nk].text), "H%s", hex);
			keys[nk++].row = (uint32_t)i;
		}
		if (!w->row.household_id[0] && !w->head_ok) {
			snprintf(keys[nk].text, sizeof(keys[nk].text), "R%zu", i);
			keys[nk++].row = (uint32_t)i;
		}
	}
	qsort(keys, nk, sizeof(*keys), hkey_cmp);
	for (size_t i = 1; i < nk; i++)
		if (!strcmp(keys[i].text, keys[i - 1].text))
			uf_join(parent, keys[i].row, keys[i - 1].row);
	free(keys);
	/* number households by their smallest row */
	uint32_t *hh_of_root = malloc((n ? n : 1) * sizeof(uint32_t));
	out->rows = malloc((n ? n : 1) * sizeof(bd_rollrow));
	if (!hh_of_root || !out->rows) {
		free(parent);
		free(hh_of_root);
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
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		out->rows[i] = L->rows[i].row;
		out->rows[i].household = hh_of_root[uf_find(parent, (uint32_t)i)];
		out->hh_first[out->rows[i].household + 1]++;
	}
	for (uint32_t h = 0; h < nh; h++)
		out->hh_first[h + 1] += out->hh_first[h];
	uint32_t *fill = calloc(nh + 1, sizeof(uint32_t));
	if (!fill) {
		free(parent);
		free(hh_of_root);
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
		rawrow *w = &L->rows[i];
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
		rawrow *w = &L->rows[i];
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
	return BD_OK;
}

static void roll_release(bd_roll *r)
{
	free(r->places);
	free(r->bad);
	free(r->rows);
	free(r->hh_first);
	free(r->hh_rows);
	memset(r, 0, sizeof(*r));
}

/* ---- running the rules ---- */

typedef struct rulerun {
	const bd_matcher *m;
	bd_facts *facts;
	const bd_roll *roll;
	const char *params[16];
	/* one partition */
	size_t row_lo, row_hi;     /* ROLLPERSON: roll rows [lo, hi) */
	int threads;               /* ONCE: threads the rule may use */
	const void *state;         /* the rule's prepare made it */
	unsigned key_lo, key_hi;   /* PERSON: first key byte range */
	/* KEYS with a candidate test: the candidates kept from an earlier
	 * scan (cand, ncand: this partition's), or those found now */
	const uint8_t (*cand)[32];
	size_t ncand;
	bool cached;
	bd_buf found;
	bd_flags out;
	bd_err err;
	char errmsg[1024];
} rulerun;

typedef struct scanctx {
	bd_ruleenv *env;
	const bd_matcher *m;
	bd_buf *found;       /* candidates found, when the rule has a test */
	uint8_t last[32];
	bool have_last;
} scanctx;

static bd_err person_subject(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)rec;
	scanctx *s = ctx;
	if (s->have_last && !memcmp(s->last, key, 32))
		return BD_OK;
	memcpy(s->last, key, 32);
	s->have_last = true;
	if (s->m->candidate) {
		bool yes;
		bd_err e = s->m->candidate(s->env, key, &yes);
		if (e || !yes)
			return e;
		if ((e = bd_buf_add(s->found, key, 32)))
			return e;
	}
	return s->m->run(s->env, key);
}

static bd_err bad_subject(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)key;
	scanctx *s = ctx;
	return s->m->run(s->env, (const uint8_t *)rec);
}

static void *run_partition(void *arg)
{
	rulerun *rr = arg;
	bd_view *v = NULL;
	bd_clear_error();
	rr->err = bd_view_open(rr->facts, &v);
	bd_ruleenv env = { v, rr->facts, rr->roll, rr->params, &rr->out, rr->threads, rr->state };
	scanctx sc = { &env, rr->m, &rr->found, { 0 }, false };
	if (!rr->err) {
		switch (rr->m->subject) {
		case BD_SUBJ_ROLLPERSON:
			for (size_t i = rr->row_lo; i < rr->row_hi && !rr->err; i++)
				if (i == rr->row_lo || memcmp(rr->roll->rows[i].hid, rr->roll->rows[i - 1].hid, 32))
					rr->err = rr->m->run(&env, rr->roll->rows[i].hid);
			break;
		case BD_SUBJ_KEYS:
			if (rr->cached) {
				for (size_t i = 0; i < rr->ncand && !rr->err; i++)
					rr->err = rr->m->run(&env, rr->cand[i]);
				break;
			}
			rr->err = bd_view_scan(v, rr->m->over, false, rr->key_lo, rr->key_hi,
					       person_subject, &sc);
			break;
		case BD_SUBJ_BADROW:
			rr->err = bd_view_scan(v, BD_DS_ROLL, true, 0, 255, bad_subject, &sc);
			break;
		case BD_SUBJ_ONCE:
			rr->err = rr->m->run(&env, NULL);
			break;
		}
	}
	if (rr->err)
		snprintf(rr->errmsg, sizeof(rr->errmsg), "%s", bd_last_error());
	bd_view_close(v);
	return NULL;
}

/* Rows [*lo, *hi) of the roll (sorted by hid) whose hid's first byte lies
 * in [key_lo, key_hi]. */
static void roll_range(const bd_roll *roll, unsigned key_lo, unsigned key_hi, size_t *lo, size_t *hi)
{
	*lo = 0;
	*hi = roll->n;
	while (*lo < *hi && roll->rows[*lo].hid[0] < key_lo)
		(*lo)++;
	while (*hi > *lo && roll->rows[*hi - 1].hid[0] > key_hi)
		(*hi)--;
}

/* m's prepared state (bd_matcher.prepare), NULL when it has none. */
static bd_err prepare_rule(const bd_matcher *m, bd_facts *facts, const bd_roll *roll,
			   const char *const *params, int nthreads, void **state)
{
	*state = NULL;
	if (!m->prepare)
		return BD_OK;
	bd_view *v;
	bd_flags none = { 0 };
	bd_err e = bd_view_open(facts, &v);
	if (!e) {
		bd_ruleenv env = { v, facts, roll, params, &none, nthreads, NULL };
		e = m->prepare(&env, state);
		bd_view_close(v);
	}
	return e ? bd_fail_ctx(e, "[rule %s]", m->id) : BD_OK;
}

/* ---- the rules over roll persons, run together ---- */

/* One partition of the roll persons: every rule of the group runs on each
 * subject in turn, so a person's records are read once for all of them
 * (the view keeps the last records of each dataset). */
typedef struct grouprun {
	const size_t *rules;        /* indices into bd_matchers */
	size_t nrules;
	const char *(*params)[16];  /* every rule's parameters, by index */
	void *const *state;         /* prepared state, by position in rules */
	bd_facts *facts;
	const bd_roll *roll;
	int threads;
	size_t row_lo, row_hi;
	bd_flags *out;              /* one per rule of the group */
	bd_err err;
	char errmsg[1024];
} grouprun;

static void *run_group_partition(void *arg)
{
	grouprun *g = arg;
	bd_view *v = NULL;
	bd_clear_error();
	g->err = bd_view_open(g->facts, &v);
	const bd_matcher *failed = NULL;
	for (size_t i = g->row_lo; i < g->row_hi && !g->err; i++) {
		const uint8_t *hid = g->roll->rows[i].hid;
		if (i > g->row_lo && !memcmp(g->roll->rows[i - 1].hid, hid, 32))
			continue;
		for (size_t r = 0; r < g->nrules && !g->err; r++) {
			const bd_matcher *m = &bd_matchers[g->rules[r]];
			bd_ruleenv env = { v, g->facts, g->roll, g->params[g->rules[r]], &g->out[r], g->threads,
					   g->state[r] };
			if ((g->err = m->run(&env, hid)))
				failed = m;
		}
	}
	if (g->err)
		snprintf(g->errmsg, sizeof(g->errmsg), "[rule %s] %s", failed ? failed->id : "?",
			 bd_last_error());
	bd_view_close(v);
	return NULL;
}

/* Runs the BD_SUBJ_ROLLPERSON rules rules[0..n) over the roll in nthreads
 * partitions; out[r] gets rule r's flags in partition order, as if each
 * rule had run alone (run_matcher). */
static bd_err run_roll_group(const size_t *rules, size_t n, bd_facts *facts, const bd_roll *roll,
			     const char *(*params)[16], int nthreads, bd_flags *out)
{
	int parts = bd_parts_for(1, nthreads, 0);
	grouprun *g = calloc((size_t)parts, sizeof(*g));
	void **state = calloc(n ? n : 1, sizeof(*state));
	bd_flags *outs = calloc((size_t)parts * (n ? n : 1), sizeof(*outs));
	bd_err e = g && state && outs ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
	for (size_t r = 0; r < n && !e; r++)
		e = prepare_rule(&bd_matchers[rules[r]], facts, roll, params[rules[r]], nthreads, &state[r]);
	for (int p = 0; p < parts && !e; p++) {
		g[p] = (grouprun){ rules, n, params, state, facts, roll, nthreads, 0, 0, outs + (size_t)p * n,
				   BD_OK, "" };
		roll_range(roll, (unsigned)(256 * p / parts), (unsigned)(256 * (p + 1) / parts - 1), &g[p].row_lo,
			   &g[p].row_hi);
	}
	if (!e)
		bd_run_parts(run_group_partition, g, sizeof(*g), parts);
	for (int p = 0; g && p < parts; p++) {
		if (!e && g[p].err)
			e = bd_fail(g[p].err, "%s", g[p].errmsg);
	}
	for (size_t r = 0; r < n; r++)
		for (int p = 0; outs && p < parts; p++) {
			if (!e)
				e = bd_flags_take(&out[r], &outs[(size_t)p * n + r]);
			bd_flags_release(&outs[(size_t)p * n + r]);
		}
	for (size_t r = 0; state && r < n; r++)
		if (state[r] && bd_matchers[rules[r]].release)
			bd_matchers[rules[r]].release(state[r]);
	free(outs);
	free(state);
	free(g);
	return e;
}

/* The name and key under which the candidates of m are kept: the rule's
 * parameters (its other inputs are in the stamp of bd_facts_cache_put). */
static void cand_key(const bd_facts *facts, const bd_matcher *m, const char *const *params,
		     char name[32], bd_buf *key)
{
	snprintf(name, 32, "candidates:%s", m->id);
	bd_buf_addf(key, "D=%d", (int)bd_facts_as_of(facts));
	for (int i = 0; i < 16 && params[i]; i++)
		bd_buf_addf(key, "\x1f%s", params[i]);
	bd_buf_addch(key, '\0');
}

/* Runs matcher m over its subjects in nthreads partitions; appends its
 * flags to out in partition order (so the order never depends on the
 * thread count once sorted). */
static bd_err run_matcher(const bd_matcher *m, bd_facts *facts, const bd_roll *roll,
			  const char *const *params, int nthreads, bd_flags *out)
{
	int parts = m->subject == BD_SUBJ_BADROW || m->subject == BD_SUBJ_ONCE ? 1 : bd_parts_for(1, nthreads, 0);
	rulerun *rr = calloc((size_t)parts, sizeof(*rr));
	if (!rr)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	/* the candidates of an earlier scan, while the rule's datasets other
	 * than the roll and its parameters are unchanged */
	bool cands = m->subject == BD_SUBJ_KEYS && m->candidate;
	unsigned cneeds = m->needs & ~BD_NEEDS(BD_DS_ROLL);
	char cname[32];
	bd_buf ckey = BD_BUF_INIT(1 << 16);
	void *kept = NULL;
	size_t nkept = 0;
	bd_err e = BD_OK;
	if (cands) {
		cand_key(facts, m, params, cname, &ckey);
		e = ckey.data ? bd_facts_cache_get(facts, cname, cneeds, ckey.data, &kept, &nkept)
			      : bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	void *state = NULL;
	if (!e)
		e = prepare_rule(m, facts, roll, params, nthreads, &state);
	const uint8_t (*kh)[32] = kept;
	size_t nk = nkept / 32, at = 0;
	for (int p = 0; p < parts; p++) {
		rr[p].m = m;
		rr[p].facts = facts;
		rr[p].roll = roll;
		rr[p].threads = nthreads;
		rr[p].state = state;
		rr[p].found = (bd_buf)BD_BUF_INIT(BD_BUF_DEFAULT_MAX);
		for (int i = 0; i < 16 && params[i]; i++)
			rr[p].params[i] = params[i];
		/* partitions by the leading byte of the hid */
		rr[p].key_lo = (unsigned)(256 * p / parts);
		rr[p].key_hi = (unsigned)(256 * (p + 1) / parts - 1);
		roll_range(roll, rr[p].key_lo, rr[p].key_hi, &rr[p].row_lo, &rr[p].row_hi);
		if (kept) {
			rr[p].cached = true;
			rr[p].cand = kh + at;
			while (at < nk && kh[at][0] <= rr[p].key_hi)
				at++;
			rr[p].ncand = (size_t)(kh + at - rr[p].cand);
		}
	}
	if (!e)
		bd_run_parts(run_partition, rr, sizeof(*rr), parts);
	bd_buf all = BD_BUF_INIT(BD_BUF_DEFAULT_MAX);
	for (int p = 0; p < parts; p++) {
		if (rr[p].err && !e)
			e = bd_fail(rr[p].err, "[rule %s] %s", m->id, rr[p].errmsg);
		if (!e)
			e = bd_flags_take(out, &rr[p].out);
		if (!e && cands && !kept && rr[p].found.len)
			e = bd_buf_add(&all, rr[p].found.data, rr[p].found.len);
		bd_flags_release(&rr[p].out);
		bd_buf_release(&rr[p].found);
	}
	/* partitions are consecutive key ranges, scanned in key order: the
	 * candidates are kept sorted */
	if (!e && cands && !kept)
		e = bd_facts_cache_put(facts, cname, cneeds, ckey.data, all.data ? all.data : "", all.len);
	bd_buf_release(&all);
	bd_buf_release(&ckey);
	if (state && m->release)
		m->release(state);
	free(kept);
	free(rr);
	return e;
}

/* Parameter values of m: defaults overridden by [rule ID]; unknown keys
 * are errors. */
static bd_err rule_params(const bd_config *cfg, const bd_matcher *m, const char *vals[16])
{
	int np = 0;
	for (const bd_param *p = m->params; p && p->name; p++)
		vals[np++] = p->def;
	vals[np] = NULL;
	for (size_t r = 0; r < cfg->nrules; r++) {
		if (strcmp(cfg->rules[r].rule, m->id))
			continue;
		for (size_t k = 0; k < cfg->rules[r].nkv; k++) {
			int i = 0;
			while (m->params && m->params[i].name && strcmp(m->params[i].name, cfg->rules[r].kv[k].key))
				i++;
			if (!m->params || !m->params[i].name) {
				bd_buf known = BD_BUF_INIT(4096);
				for (const bd_param *p = m->params; p && p->name; p++)
					bd_buf_addf(&known, " %s", p->name);
				bd_err e = bd_fail(BD_ERR_CONFIG, "%s: [rule %s] 没有参数 %s（可用:%s）",
						   cfg->path, m->id, cfg->rules[r].kv[k].key,
						   known.len ? known.data : " 无");
				bd_buf_release(&known);
				return e;
			}
			vals[i] = cfg->rules[r].kv[k].value;
		}
	}
	return BD_OK;
}

typedef struct sortflag {
	bd_flagrec *f;
	int rule_order;
	char id[17];
	char subject[65];
	bool persisting;       /* flagged in the previous run too: 持续 */
	bool suppressed;       /* reviewed 不属实, evidence unchanged: not shown */
	char first_seen[16];
} sortflag;

static int sortflag_cmp(const void *a, const void *b)
{
	const sortflag *x = a, *y = b;
	if (x->rule_order != y->rule_order)
		return x->rule_order < y->rule_order ? -1 : 1;
	int c = strcmp(x->f->township, y->f->township);
	if (!c)
		c = strcmp(x->f->village, y->f->village);
	if (!c)
		c = strcmp(x->f->household_id, y->f->household_id);
	if (!c)
		c = strcmp(x->subject, y->subject);
	if (!c)
		c = strcmp(x->f->evkey, y->f->evkey);
	if (!c)
		c = strcmp(x->id, y->id);
	return c;
}

/* Identity order: duplicates of one flag become neighbours; among them the
 * one of the first township/village/household/source row stays. */
static int sortflag_id_cmp(const void *a, const void *b)
{
	const sortflag *x = a, *y = b;
	if (x->rule_order != y->rule_order)
		return x->rule_order < y->rule_order ? -1 : 1;
	int c = strcmp(x->id, y->id);
	if (!c)
		c = strcmp(x->f->township, y->f->township);
	if (!c)
		c = strcmp(x->f->village, y->f->village);
	if (!c)
		c = strcmp(x->f->household_id, y->f->household_id);
	if (!c)
		c = x->f->source_row < y->f->source_row ? -1 : x->f->source_row > y->f->source_row;
	return c;
}

static void put_money(FILE *f, int64_t cents, char sep)
{
	char b[32] = "";
	if (cents >= 0)
		snprintf(b, sizeof(b), "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
	bd_csv_puts(f, b, sep);
}

/* FNV-1a over the evidence fields that do not change by themselves (an
 * age, months paid: bd_evcol.varies), so that a flag reviewed 不属实 comes
 * back only when what it says changes. */
static uint64_t stable_evidence_hash(const bd_matcher *m, const char *ev)
{
	uint64_t h = 1469598103934665603ull;
	const char *seg = ev;
	while (*seg) {
		const char *end = strstr(seg, "；");
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		const char *colon = strstr(seg, "：");
		size_t ln = colon && colon < seg + n ? (size_t)(colon - seg) : 0;
		bool varies = false;
		for (const bd_evcol *c = m->cols; c && c->label && ln; c++)
			varies = varies || (c->varies && strlen(c->label) == ln && !memcmp(c->label, seg, ln));
		for (size_t i = 0; !varies && i < n; i++)
			h = (h ^ (unsigned char)seg[i]) * 1099511628211ull;
		h = (h ^ 0x1f) * 1099511628211ull;
		seg += n + (end ? strlen("；") : 0);
	}
	return h;
}

/* This run against the previous one, for the manifest. */
typedef struct histsum {
	char prev[16];
	size_t added, persisting, resolved, suppressed;
} histsum;

/* What the history of this run says beyond the flags: 已消除 (flagged in
 * the previous run, gone now) and flags not shown again (不属实). */
typedef struct lifeline {
	char id[17], rule[4], event[40], township[64], village[64], name[64], idmask[24];
	char first_seen[16], last_seen[16], outcome[16], reviewer[64], review_date[16];
} lifeline;

typedef struct lifectx {
	const bd_config *cfg;
	const char *prev;
	char (*ids)[17];          /* this run's flag ids, sorted */
	size_t nids;
	lifeline *lines;
	size_t n, cap;
	size_t resolved;
} lifectx;

static int id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bd_err life_add(lifectx *c, const char *id, const bd_hist *h, const char *event, const char *last)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		lifeline *nl = realloc(c->lines, cap * sizeof(*nl));
		if (!nl)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		c->lines = nl;
		c->cap = cap;
	}
	lifeline *l = &c->lines[c->n++];
	snprintf(l->id, sizeof(l->id), "%s", id);
	snprintf(l->rule, sizeof(l->rule), "%s", h->rule);
	snprintf(l->event, sizeof(l->event), "%s", event);
	snprintf(l->township, sizeof(l->township), "%s", h->township);
	snprintf(l->village, sizeof(l->village), "%s", h->village);
	snprintf(l->name, sizeof(l->name), "%s", h->name);
	snprintf(l->idmask, sizeof(l->idmask), "%s", h->idmask);
	if (!c->cfg->show_full_id)
		bd_id_remask(l->idmask, sizeof(l->idmask));
	snprintf(l->first_seen, sizeof(l->first_seen), "%s", h->periods[0]);
	snprintf(l->last_seen, sizeof(l->last_seen), "%s", last);
	snprintf(l->outcome, sizeof(l->outcome), "%s", bd_outcome_name(h->outcome));
	snprintf(l->reviewer, sizeof(l->reviewer), "%s", h->reviewer);
	snprintf(l->review_date, sizeof(l->review_date), "%s", h->review_date);
	return BD_OK;
}

/* Entries not flagged in this run: an earlier run of this period is
 * forgotten; flagged in the previous run means 已消除. */
static bd_err life_scan(void *ctx, const char *fid, bd_hist *h, bool *changed)
{
	lifectx *c = ctx;
	if (bsearch(fid, c->ids, c->nids, sizeof(*c->ids), id_cmp))
		return BD_OK;
	if (bd_hist_has(h, c->cfg->period)) {
		bd_hist_drop(h, c->cfg->period);
		*changed = true;
	}
	if (c->prev[0] && bd_hist_has(h, c->prev)) {
		c->resolved++;
		return life_add(c, fid, h, "已消除", c->prev);
	}
	return BD_OK;
}

/* Sets status, first_seen and the review's consequences of every flag
 * from the index's history, and records this run there (not committed). */
static bd_err apply_history(const bd_config *cfg, bd_history *h, bd_flags *fl, sortflag *s, size_t n,
			    lifectx *lc)
{
	lc->cfg = cfg;
	lc->prev = bd_history_prev(h);
	lc->ids = malloc((n ? n : 1) * sizeof(*lc->ids));
	if (!lc->ids)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_hist *x = malloc(sizeof(*x));
	if (!x)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_err e = BD_OK;
	for (size_t i = 0; i < n && !e; i++) {
		bd_flagrec *f = s[i].f;
		const bd_matcher *m = &bd_matchers[s[i].rule_order];
		snprintf(lc->ids[i], sizeof(lc->ids[i]), "%s", s[i].id);
		bool found;
		if ((e = bd_history_get(h, s[i].id, x, &found)))
			break;
		bd_hist_drop(x, cfg->period);
		s[i].persisting = lc->prev[0] && bd_hist_has(x, lc->prev);
		snprintf(s[i].first_seen, sizeof(s[i].first_seen), "%s", x->periods[0][0] ? x->periods[0] : cfg->period);
		uint64_t evh = stable_evidence_hash(m, f->evidence);
		/* what the last review said, for the reviewer of this run */
		char note[700] = "", who[120] = "";
		snprintf(who, sizeof(who), "%s%s%s", x->review_period, x->reviewer[0] ? "，核查人 " : "", x->reviewer);
		if (x->outcome == BD_OUT_FALSE && x->review_evhash == evh) {
			s[i].suppressed = true;
		} else if (x->outcome == BD_OUT_TRUE) {
			f->severity = BD_SEV_HIGH;
			snprintf(note, sizeof(note), "上期核实属实未整改（%s）", who);
		} else if (x->outcome == BD_OUT_FALSE) {
			snprintf(note, sizeof(note), "上期核查为不属实（%s），证据已有变化，重新提示", who);
		} else if (x->outcome == BD_OUT_FIXED) {
			snprintf(note, sizeof(note), "上期核查为已整改（%s），本期数据仍显示此情况", who);
		} else if (x->outcome == BD_OUT_OTHER) {
			snprintf(note, sizeof(note), "上期核查为其他（%s）%s%s", who, x->note[0] ? "：" : "", x->note);
			field_value(note); /* the reviewer's words must not split the line */
		}
		if (note[0]) {
			char ev[1536];
			snprintf(ev, sizeof(ev), "%s%s说明：%s", f->evidence, f->evidence[0] ? "；" : "", note);
			char *d = arena_strdup(fl, ev);
			if (!d) {
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
				break;
			}
			f->evidence = d;
		}
		bd_hist_add(x, cfg->period);
		if (!found || x->evhash != evh) /* when the evidence a late review saw was replaced */
			snprintf(x->ev_since, sizeof(x->ev_since), "%s", cfg->period);
		x->evhash = evh;
		snprintf(x->rule, sizeof(x->rule), "%s", f->rule);
		snprintf(x->township, sizeof(x->township), "%s", f->township);
		snprintf(x->village, sizeof(x->village), "%s", f->village);
		snprintf(x->name, sizeof(x->name), "%s", f->name);
		snprintf(x->idmask, sizeof(x->idmask), "%s", f->idmask);
		bd_id_remask(x->idmask, sizeof(x->idmask)); /* the history never keeps a full ID */
		if ((e = bd_history_put(h, s[i].id, x)))
			break;
		if (s[i].suppressed)
			e = life_add(lc, s[i].id, x, "不属实未再提示", cfg->period);
	}
	free(x);
	lc->nids = n;
	if (!e) {
		qsort(lc->ids, n, sizeof(*lc->ids), id_cmp);
		e = bd_history_scan(h, life_scan, lc);
	}
	return e;
}

static int lifeline_cmp(const void *a, const void *b)
{
	const lifeline *x = a, *y = b;
	int c = strcmp(x->township, y->township);
	if (!c)
		c = strcmp(x->rule, y->rule);
	if (!c)
		c = strcmp(x->event, y->event);
	return c ? c : strcmp(x->id, y->id);
}

/* The outputs of a match are written under temporary names and take
 * their final names only once all are written and the run is recorded in
 * the index (manifest.json last): a failed match leaves the previous
 * outputs, never a mix. */
enum { OUT_LIFECYCLE, OUT_FLAGS, OUT_MANIFEST };
static const char *const outputs[] = { "lifecycle.csv", "flags.csv", "manifest.json" };

static void output_paths(const bd_config *cfg, size_t i, char tmp[4200], char final[4200])
{
	snprintf(tmp, 4200, "%s/.%s.tmp", cfg->out, outputs[i]);
	if (final)
		snprintf(final, 4200, "%s/%s", cfg->out, outputs[i]);
}

/* lifecycle.csv: 已消除 and 不属实未再提示, for the summary and auditors. */
static bd_err write_lifecycle(const bd_config *cfg, lifectx *lc)
{
	char tmp[4200];
	output_paths(cfg, OUT_LIFECYCLE, tmp, NULL);
	FILE *out = fopen(tmp, "wb");
	if (!out)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	if (lc->n)
		qsort(lc->lines, lc->n, sizeof(*lc->lines), lifeline_cmp);
	bool ok = fputs("flag_id,rule,event,township,village,name,id_masked,first_seen,last_seen,"
			"review_outcome,reviewer,review_date\n", out) >= 0;
	for (size_t i = 0; ok && i < lc->n; i++) {
		const lifeline *l = &lc->lines[i];
		ok = bd_csv_puts(out, l->id, ',') && bd_csv_puts(out, l->rule, ',') &&
		     bd_csv_puts(out, l->event, ',') && bd_csv_puts(out, l->township, ',') &&
		     bd_csv_puts(out, l->village, ',') && bd_csv_puts(out, l->name, ',') &&
		     bd_csv_puts(out, l->idmask, ',') && bd_csv_puts(out, l->first_seen, ',') &&
		     bd_csv_puts(out, l->last_seen, ',') && bd_csv_puts(out, l->outcome, ',') &&
		     bd_csv_puts(out, l->reviewer, ',') && bd_csv_puts(out, l->review_date, '\n');
	}
	if (fclose(out) != 0 || !ok) {
		unlink(tmp);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	}
	return BD_OK;
}

static void discard_outputs(const bd_config *cfg)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(outputs); i++) {
		char tmp[4200];
		output_paths(cfg, i, tmp, NULL);
		unlink(tmp);
	}
}

/* What would stop an output from taking its name, checked before the run
 * is recorded (renames in one folder fail for little else). */
static bd_err check_outputs(const bd_config *cfg)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(outputs); i++) {
		char tmp[4200], final[4200];
		struct stat st;
		output_paths(cfg, i, tmp, final);
		if (stat(final, &st) == 0 && S_ISDIR(st.st_mode))
			return bd_fail(BD_ERR_IO, "无法写入 %s：这是一个文件夹，请移走后重新运行 (a folder is in the way)",
				       final);
	}
	return BD_OK;
}

static bd_err publish_outputs(const bd_config *cfg)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(outputs); i++) {
		char tmp[4200], final[4200];
		output_paths(cfg, i, tmp, final);
		if (rename(tmp, final) != 0)
			return bd_fail(BD_ERR_IO, "无法写入 %s: %s", final, strerror(errno));
	}
	return BD_OK;
}

/* Flags [lo, hi) with their identities (an HMAC each). */
typedef struct idpart {
	const bd_facts *facts;
	bd_flags *fl;
	const int *order;
	sortflag *s;
	size_t lo, hi;
} idpart;

static void *flag_ids_part(void *arg)
{
	idpart *p = arg;
	for (size_t i = p->lo; i < p->hi; i++) {
		bd_flagrec *f = &p->fl->f[i];
		sortflag *x = &p->s[i];
		x->f = f;
		x->rule_order = p->order[i];
		if (f->has_subject)
			bd_hex(f->subject, 32, x->subject);
		bd_facts_flag_id(p->facts, f->rule, f->has_subject ? x->subject : f->evkey, f->evkey, x->id);
	}
	return NULL;
}

/* Every flag's identity, on all threads (a province has millions). */
static void flag_ids(const bd_facts *facts, bd_flags *fl, const int *order, sortflag *s, int threads)
{
	int nt = bd_parts_for(fl->n, threads, 4096);
	idpart parts[64];
	for (int t = 0; t < nt; t++)
		parts[t] = (idpart){ facts, fl, order, s, fl->n * (size_t)t / (size_t)nt,
				     fl->n * (size_t)(t + 1) / (size_t)nt };
	bd_run_parts(flag_ids_part, parts, sizeof(parts[0]), nt);
}

/* Writes .flags.csv.tmp and .lifecycle.csv.tmp; *hist_out is the run's
 * history transaction, to commit once every output is written. */
static bd_err write_flags(const bd_config *cfg, bd_facts *facts, bd_flags *fl,
			  const int *order, size_t *per_rule, histsum *sum, bd_history **hist_out)
{
	*hist_out = NULL;
	sortflag *s = calloc(fl->n ? fl->n : 1, sizeof(*s));
	if (!s)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	flag_ids(facts, fl, order, s, cfg->threads);
	qsort(s, fl->n, sizeof(*s), sortflag_id_cmp);
	char tmp[4200];
	bd_err me = bd_mkdirs(cfg->out, 0755);
	if (me) {
		free(s);
		return me;
	}
	output_paths(cfg, OUT_FLAGS, tmp, NULL);
	FILE *out = fopen(tmp, "wb");
	if (!out) {
		free(s);
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	}
	/* the same flag reached twice (a subject seen through two roll
	 * persons) is written once */
	size_t w = 0;
	for (size_t i = 0; i < fl->n; i++)
		if (!w || strcmp(s[w - 1].id, s[i].id) || strcmp(s[w - 1].f->rule, s[i].f->rule))
			s[w++] = s[i];
	size_t nflags = w;
	/* the history: status, first_seen, reviews; committed once the
	 * files are written */
	bd_history *hist = NULL;
	lifectx lc = { 0 };
	bd_err he = bd_history_begin(bd_facts_index(facts), cfg->period, nflags * 512 + ((size_t)4 << 20), &hist);
	if (!he)
		he = apply_history(cfg, hist, fl, s, nflags, &lc);
	if (!he)
		he = write_lifecycle(cfg, &lc);
	free(lc.ids);
	free(lc.lines);
	if (he) {
		bd_history_abort(hist);
		fclose(out);
		unlink(tmp);
		free(s);
		return he;
	}
	snprintf(sum->prev, sizeof(sum->prev), "%s", bd_history_prev(hist));
	sum->resolved = lc.resolved;
	w = 0;
	for (size_t i = 0; i < nflags; i++) {
		if (s[i].suppressed) {
			sum->suppressed++;
			continue;
		}
		sum->persisting += s[i].persisting;
		sum->added += !s[i].persisting;
		s[w++] = s[i];
	}
	nflags = w;
	for (size_t i = 0; i < nflags; i++)
		per_rule[s[i].rule_order]++;
	qsort(s, nflags, sizeof(*s), sortflag_cmp);
	bool ok = fputs("flag_id,rule,family,severity,status,township,village,household_id,"
			"subject_hid,name,id_masked,programme,monthly_amount,overpaid,evidence,"
			"source_dataset,source_row,first_seen\n", out) >= 0;
	for (size_t i = 0; ok && i < nflags; i++) {
		const bd_flagrec *f = s[i].f;
		const bd_matcher *m = &bd_matchers[s[i].rule_order];
		char row[16], idmask[32];
		snprintf(row, sizeof(row), "%u", f->source_row);
		snprintf(idmask, sizeof(idmask), "%s", f->idmask);
		if (!cfg->show_full_id)
			bd_id_remask(idmask, sizeof(idmask));
		ok = bd_csv_puts(out, s[i].id, ',') && bd_csv_puts(out, f->rule, ',') &&
		     bd_csv_puts(out, m ? bd_family_name(m->family) : "", ',') &&
		     bd_csv_puts(out, bd_severity_name(f->severity), ',') &&
		     bd_csv_puts(out, s[i].persisting ? "持续" : "新增", ',') &&
		     bd_csv_puts(out, f->township, ',') &&
		     bd_csv_puts(out, f->village, ',') && bd_csv_puts(out, f->household_id, ',') &&
		     bd_csv_puts(out, s[i].subject, ',') && bd_csv_puts(out, f->name, ',') &&
		     bd_csv_puts(out, idmask, ',') &&
		     bd_csv_puts(out, f->programme ? f->programme : "", ',');
		if (ok) {
			put_money(out, f->monthly, ',');
			put_money(out, f->overpaid, ',');
			char ev[1600];
			snprintf(ev, sizeof(ev), "%s%s", f->evidence,
				 f->recovered && strcmp(f->rule, "Q01") ? "；说明：号码已修复" : "");
			ok = bd_csv_puts(out, ev, ',') &&
			     bd_csv_puts(out, f->source_dataset ? f->source_dataset : "", ',') &&
			     bd_csv_puts(out, f->source_row ? row : "", ',') &&
			     bd_csv_puts(out, s[i].first_seen, '\n');
		}
	}
	free(s);
	if (fclose(out) != 0 || !ok) {
		bd_history_abort(hist);
		unlink(tmp);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	}
	*hist_out = hist;
	return BD_OK;
}

static void iso_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

/* manifest.json: tool, key fingerprint, dates, every input's snapshot,
 * every rule with its parameters and count or why it was skipped. */
static bd_err write_manifest(const bd_config *cfg, const bd_facts *facts, const char *started,
			     const size_t *per_rule, char **skipped, const char *(*params)[16],
			     const histsum *hs)
{
	bd_buf js = BD_BUF_INIT(0);
	char now[40];
	iso_now(now, sizeof(now));
	bd_buf_addstr(&js, "{\n  \"tool\": \"bidui\", \"version\": \"" BD_VERSION "\",\n  \"period\": ");
	bd_buf_add_json_str(&js, cfg->period);
	bd_buf_addf(&js, ",\n  \"as_of\": \"%04d-%02d-%02d\", \"roll_month\": \"%04d-%02d\",\n  \"jurisdiction\": ",
		    cfg->as_of / 10000, cfg->as_of / 100 % 100, cfg->as_of % 100, cfg->roll_month / 100,
		    cfg->roll_month % 100);
	bd_buf_add_json_str(&js, cfg->jurisdiction);
	bd_buf_addf(&js, ",\n  \"key_fingerprint\": \"%s\", \"threads\": %d, \"show_full_id\": %s,\n"
		    "  \"started_at\": \"%s\", \"finished_at\": \"%s\",\n  \"inputs\": [",
		    bd_facts_key_fingerprint(facts), cfg->threads, cfg->show_full_id ? "true" : "false",
		    started, now);
	bool first = true;
	for (int ds = 0; ds < BD_DS_MAX; ds++) {
		char *snap = NULL;
		bd_err e = bd_facts_snapshot(facts, (bd_ds)ds, &snap);
		if (e) {
			bd_buf_release(&js);
			return e;
		}
		if (snap) {
			bd_buf_addf(&js, "%s\n    %s", first ? "" : ",", snap);
			first = false;
		}
		free(snap);
	}
	bd_buf_addstr(&js, "\n  ],\n  \"rules\": [");
	size_t total = 0;
	for (size_t k = 0; k < bd_nmatchers; k++) {
		const bd_matcher *m = &bd_matchers[k];
		const char *const *vals = params[k];
		bd_buf_addf(&js, "%s\n    {\"id\": \"%s\", \"name\": ", k ? "," : "", m->id);
		bd_buf_add_json_str(&js, m->name);
		bd_buf_addf(&js, ", \"family\": \"%s\", ", bd_family_name(m->family));
		if (skipped[k]) {
			bd_buf_addstr(&js, "\"status\": \"skipped\", \"reason\": ");
			bd_buf_add_json_str(&js, skipped[k]);
		} else {
			bd_buf_addf(&js, "\"status\": \"ran\", \"flags\": %zu", per_rule[k]);
			total += per_rule[k];
		}
		bd_buf_addstr(&js, ", \"params\": {");
		int i = 0;
		for (const bd_param *p = m->params; p && p->name; p++, i++) {
			bd_buf_addf(&js, "%s\"%s\": ", i ? ", " : "", p->name);
			bd_buf_add_json_str(&js, vals[i]);
		}
		bd_buf_addstr(&js, "}}");
	}
	bd_buf_addf(&js, "\n  ],\n  \"flags_total\": %zu,\n  \"lifecycle\": {\"previous_period\": ", total);
	bd_buf_add_json_str(&js, hs->prev);
	bd_buf_addf(&js, ", \"new\": %zu, \"persisting\": %zu, \"resolved\": %zu, "
		    "\"not_shown_false_positive\": %zu}\n}\n", hs->added, hs->persisting, hs->resolved,
		    hs->suppressed);
	char tmp[4200];
	output_paths(cfg, OUT_MANIFEST, tmp, NULL);
	FILE *f = fopen(tmp, "wb");
	bool ok = f && fwrite(js.data, 1, js.len, f) == js.len;
	if (f && fclose(f) != 0)
		ok = false;
	bd_buf_release(&js);
	if (!ok) {
		unlink(tmp);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	}
	return BD_OK;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* BD_TIMING=1: one line per phase on stderr (bench/, docs/PERFORMANCE.md) */
static void timing(const char *what, double *t)
{
	static int on = -1;
	if (on < 0)
		on = getenv("BD_TIMING") != NULL;
	double now = now_s();
	if (on)
		fprintf(stderr, "[timing] match %s %.3fs\n", what, now - *t);
	*t = now;
}

bd_err bd_match(const bd_config *cfg, FILE *report)
{
	const bool progress = bd_progress_wanted();
	double t = now_s();
	char started[40];
	iso_now(started, sizeof(started));
	if (bd_nmatchers > 64)
		return bd_fail(BD_ERR_INTERNAL, "more than 64 rules: enlarge the per-rule arrays");
	char *skipped[64] = { NULL };
	bd_facts *facts;
	bd_err e = bd_facts_open(cfg, true, &facts);
	if (e)
		return e;
	if (report)
		fprintf(report, "比对规则:\n");
	/* validate every [rule] section first: a typo fails before any work */
	for (size_t r = 0; r < cfg->nrules && !e; r++) {
		bool known = false;
		for (size_t k = 0; k < bd_nmatchers; k++)
			known = known || !strcmp(bd_matchers[k].id, cfg->rules[r].rule);
		if (!known)
			e = bd_fail(BD_ERR_CONFIG, "%s: [rule %s] 尚未实现 (rule not implemented yet)",
				    cfg->path, cfg->rules[r].rule);
	}
	/* every rule's parameter values, once: run and manifest use them */
	const char *params[64][16];
	for (size_t k = 0; k < bd_nmatchers && !e; k++)
		e = rule_params(cfg, &bd_matchers[k], params[k]);
	bd_roll roll = { 0 };
	rollload L = { 0 };
	if (!e) {
		const char *names[64];
		size_t ns = 0;
		for (unsigned i = 0; i < 64; i++)
			names[ns++] = bd_facts_section_name(facts, BD_DS_ROLL, i);
		L.section_names = names;
		L.nsections = ns;
		bd_view *v;
		rollload B = { 0 };
		B.section_names = names;
		B.nsections = ns;
		e = bd_view_open(facts, &v);
		if (!e) {
			e = load_roll(facts, cfg->threads, &L);
			if (!e)
				e = bd_view_scan(v, BD_DS_ROLL, true, 0, 255, load_bad_row, &B);
			if (!e)
				e = recover_bad(v, &B, &L, &roll);
			bd_view_close(v);
		}
		free(B.rows);
		timing("roll read", &t);
		if (!e)
			e = build_households(&L, &roll);
		timing("households", &t);
		if (!e)
			e = learn_places(facts, &roll, cfg->threads);
		if (!e && cfg->ndivisions)
			e = load_divisions(cfg, &roll);
		/* an index built with show_full_id = yes holds full IDs where
		 * masks go: this run did not ask for them */
		for (size_t i = 0; !e && !cfg->show_full_id && i < roll.nbad; i++) {
			bd_id_remask(roll.bad[i].cand_mask, sizeof(roll.bad[i].cand_mask));
			bd_id_remask(roll.bad[i].row.idmask, sizeof(roll.bad[i].row.idmask));
		}
	}
	timing("places", &t);
	bd_flags all = { 0 };
	int *order = NULL;
	size_t order_cap = 0;
	/* which rules run: those whose datasets are all loaded */
	for (size_t k = 0; k < bd_nmatchers && !e; k++) {
		const bd_matcher *m = &bd_matchers[k];
		bd_buf missing = BD_BUF_INIT(1024);
		for (int ds = 0; ds < BD_DS_MAX; ds++)
			if ((m->needs & BD_NEEDS(ds)) && !bd_facts_loaded(facts, (bd_ds)ds))
				bd_buf_addf(&missing, "%s%s", missing.len ? "、" : "", bd_schemas[ds].name);
		if (missing.len) {
			if (report)
				fprintf(report, "  %s %s：跳过，缺少数据集 %s\n", m->id, m->name, missing.data);
			bd_buf_addstr(&missing, " 未导入");
			skipped[k] = bd_buf_detach(&missing, NULL);
			continue;
		}
		bd_buf_release(&missing);
	}
	/* the rules over roll persons run together, each person once */
	size_t group[64], ngroup = 0;
	bd_flags grouped[64];
	memset(grouped, 0, sizeof(grouped));
	for (size_t k = 0; k < bd_nmatchers; k++)
		if (!skipped[k] && bd_matchers[k].subject == BD_SUBJ_ROLLPERSON)
			group[ngroup++] = k;
	if (progress && !e)
		fprintf(stderr, "\r[比对] 名册对象 %zu 条规则\033[K", ngroup);
	if (!e)
		e = run_roll_group(group, ngroup, facts, &roll, params, cfg->threads, grouped);
	timing("rules over roll persons", &t);
	for (size_t k = 0, gi = 0; k < bd_nmatchers && !e; k++) {
		const bd_matcher *m = &bd_matchers[k];
		if (skipped[k])
			continue;
		size_t before = all.n;
		if (m->subject == BD_SUBJ_ROLLPERSON) {
			e = bd_flags_take(&all, &grouped[gi++]);
		} else {
			if (progress)
				fprintf(stderr, "\r[比对] %zu/%zu %s %s\033[K", k + 1, bd_nmatchers, m->id, m->name);
			e = run_matcher(m, facts, &roll, params[k], cfg->threads, &all);
			timing(m->id, &t);
		}
		if (!e && all.n > order_cap) {
			order_cap = all.n * 2;
			int *no = realloc(order, order_cap * sizeof(*no));
			if (!no)
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
			else
				order = no;
		}
		for (size_t i = before; !e && i < all.n; i++)
			order[i] = (int)k;
	}
	for (size_t i = 0; i < ngroup; i++)
		bd_flags_release(&grouped[i]);
	if (progress)
		fprintf(stderr, "\r[比对] 写出结果\033[K\n");
	size_t per_rule[64] = { 0 };
	histsum hs = { 0 };
	bd_history *hist = NULL;
	if (!e)
		e = write_flags(cfg, facts, &all, order ? order : (int[]){ 0 }, per_rule, &hs, &hist);
	timing("flags.csv, history, lifecycle", &t);
	if (!e)
		e = write_manifest(cfg, facts, started, per_rule, skipped, params, &hs);
	/* the run is recorded, then every output takes its name */
	if (!e)
		e = check_outputs(cfg);
	if (!e) {
		e = bd_history_commit(hist);
		hist = NULL;
	}
	if (!e)
		e = publish_outputs(cfg);
	bd_history_abort(hist);
	if (e)
		discard_outputs(cfg);
	if (!e && report)
		fprintf(report, "  与上期%s%s%s比：新增 %zu 条，持续 %zu 条，已消除 %zu 条；上期核实不属实、证据未变未再提示 %zu 条\n",
			hs.prev[0] ? "（" : "", hs.prev[0] ? hs.prev : "（无上期）", hs.prev[0] ? "）" : "",
			hs.added, hs.persisting, hs.resolved, hs.suppressed);
	for (size_t k = 0; !e && report && k < bd_nmatchers; k++)
		if (!skipped[k])
			fprintf(report, "  %s %s：%zu 条\n", bd_matchers[k].id, bd_matchers[k].name, per_rule[k]);
	for (size_t k = 0; k < 64; k++)
		free(skipped[k]);
	free(order);
	bd_flags_release(&all);
	free(L.rows);
	roll_release(&roll);
	bd_facts_close(facts);
	return e;
}
