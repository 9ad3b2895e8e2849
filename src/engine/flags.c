/* flags.c - the flags rules raise: family and severity names, the arena
 * that keeps them, evidence lines (bd_ev), the common columns from a roll
 * row or a registry person, and every flag's identity (flags.h). */
#include "bd/flags.h"
#include "bd/key.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A copy of s in fl's arena (a new chunk when the last is full). */
char *bd_flags_strdup(bd_flags *fl, const char *s)
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
	if (!(r->evkey = bd_flags_strdup(fl, f->evkey)) || !(r->township = bd_flags_strdup(fl, f->township)) ||
	    !(r->village = bd_flags_strdup(fl, f->village)) ||
	    !(r->household_id = bd_flags_strdup(fl, f->household_id)) || !(r->name = bd_flags_strdup(fl, f->name)) ||
	    !(r->idmask = bd_flags_strdup(fl, f->idmask)) || !(r->evidence = bd_flags_strdup(fl, f->evidence)))
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
void bd_ev_value(char *v)
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
	bd_ev_value(v);
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

/* Identity order: duplicates of one flag become neighbours; among them the
 * one of the first township/village/household/source row stays. */
static int runflag_id_cmp(const void *a, const void *b)
{
	const bd_runflag *x = a, *y = b;
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

/* Flags [lo, hi) with their identities (an HMAC each). */
typedef struct idpart {
	const bd_facts *facts;
	bd_flags *fl;
	const int *order;
	bd_runflag *s;
	size_t lo, hi;
} idpart;

static void *flag_ids_part(void *arg)
{
	idpart *p = arg;
	for (size_t i = p->lo; i < p->hi; i++) {
		bd_flagrec *f = &p->fl->f[i];
		bd_runflag *x = &p->s[i];
		x->f = f;
		x->rule_order = p->order[i];
		if (f->has_subject)
			bd_hex(f->subject, 32, x->subject);
		bd_facts_flag_id(p->facts, f->rule, f->has_subject ? x->subject : f->evkey, f->evkey, x->id);
	}
	return NULL;
}

/* Every flag's identity, on all threads (a province has millions). */
bd_err bd_flags_identify(const bd_facts *facts, bd_flags *fl, const int *order, int threads,
			 bd_runflag **out, size_t *n)
{
	*n = 0;
	bd_runflag *s = *out = calloc(fl->n ? fl->n : 1, sizeof(*s));
	if (!s)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	int nt = bd_parts_for(fl->n, threads, 4096);
	idpart parts[64];
	for (int t = 0; t < nt; t++)
		parts[t] = (idpart){ facts, fl, order, s, fl->n * (size_t)t / (size_t)nt,
				     fl->n * (size_t)(t + 1) / (size_t)nt };
	bd_run_parts(flag_ids_part, parts, sizeof(parts[0]), nt);
	qsort(s, fl->n, sizeof(*s), runflag_id_cmp);
	/* the same flag reached twice (a subject seen through two roll
	 * persons) is kept once */
	size_t w = 0;
	for (size_t i = 0; i < fl->n; i++)
		if (!w || strcmp(s[w - 1].id, s[i].id) || strcmp(s[w - 1].f->rule, s[i].f->rule))
			s[w++] = s[i];
	*n = w;
	return BD_OK;
}
