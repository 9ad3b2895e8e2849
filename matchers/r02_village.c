/* R02 村级保障率异常: a village (12-digit region code of registry residents)
 * whose share of DIBAO+TEKUN recipients among its residents is more than
 * factor × the median of its township's villages (itself and zero-rate
 * villages included), with at least min_recipients recipients. */
#include "matchers.h"
#include "bd/codemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const bd_param bd_params_r02[] = {
	{ "factor", "3", "高于乡镇中位数的倍数", BD_VT_NUMBER, 1, 100 },
	{ "min_recipients", "10", "至少有这么多保障对象才提示", BD_VT_INT, 1, 100000 },
	{ "programmes", "DIBAO, TEKUN", "计入保障率的项目", BD_VT_PROGS, 1, 8 },
	{ 0 },
};

typedef struct village {
	char code[13];
	uint64_t residents, recipients;
	double rate;
} village;

typedef struct vmap {
	bd_codemap map;  /* village code -> village */
	const bd_roll *roll;
	unsigned progs;
	const char *j;
	size_t jl;
	uint8_t last[32];
	bool have_last;
} vmap;

static village *vmap_get(vmap *m, const char *code)
{
	return bd_codemap_get(&m->map, code, 12);
}

static bd_err count_person(void *ctx, const uint8_t key[32], const bd_rec *p)
{
	vmap *m = ctx;
	if (m->have_last && !memcmp(m->last, key, 32))
		return BD_OK;
	memcpy(m->last, key, 32);
	m->have_last = true;
	const bd_str *reg = &p->str[BD_P_REGION];
	if (p->num[BD_P_STATUS] != BD_PS_NORMAL || reg->n != 12 || memcmp(reg->s, m->j, m->jl))
		return BD_OK;
	char code[13];
	memcpy(code, reg->s, 12);
	code[12] = '\0';
	village *v = vmap_get(m, code);
	if (!v)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	v->residents++;
	return BD_OK;
}

/* A village's residents as kept between runs (bd_facts_cache_*). */
typedef struct kept {
	char code[12];
	uint64_t residents;
} kept;

static int by_kept_code(const void *a, const void *b)
{
	return memcmp(((const kept *)a)->code, ((const kept *)b)->code, 12);
}

/*
 * Residents per village: counted over the registry in parts on all
 * threads and merged (a sum, so the counts do not depend on the parts),
 * and kept in the index while ga.person and J are unchanged, so a quarter
 * in which only the roll changed does not scan the registry again.
 */
static bd_err residents(bd_ruleenv *env, vmap *m)
{
	void *data = NULL;
	size_t n = 0;
	bd_err e = bd_facts_cache_get(env->facts, "R02:residents", BD_NEEDS(BD_DS_PERSON), "", &data, &n);
	const kept *k = data;
	for (size_t i = 0; !e && data && i < n / sizeof(*k); i++) {
		char code[13];
		memcpy(code, k[i].code, 12);
		code[12] = '\0';
		village *v = vmap_get(m, code);
		if (!v)
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
		else
			v->residents = k[i].residents;
	}
	free(data);
	if (e || data)
		return e;
	int np = env->threads < 1 ? 1 : env->threads > 64 ? 64 : env->threads;
	vmap parts[64];
	void *ctxs[64];
	for (int p = 0; p < np; p++) {
		parts[p] = *m;
		ctxs[p] = &parts[p];
	}
	e = bd_facts_scan_parts(env->facts, BD_DS_PERSON, np, np, count_person, ctxs);
	for (int p = 0; p < np; p++) {
		for (size_t i = 0; !e && i < parts[p].map.cap; i++) {
			const village *pv = bd_codemap_slot(&parts[p].map, i);
			village *v = pv ? vmap_get(m, pv->code) : NULL;
			if (pv && !v)
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
			if (v)
				v->residents += pv->residents;
		}
		bd_codemap_release(&parts[p].map);
	}
	/* kept in code order: the same bytes whatever the parts */
	kept *out = e ? NULL : calloc(m->map.n ? m->map.n : 1, sizeof(*out));
	if (!e && !out)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	size_t w = 0;
	for (size_t i = 0; !e && i < m->map.cap; i++) {
		const village *v = bd_codemap_slot(&m->map, i);
		if (v) {
			memcpy(out[w].code, v->code, 12);
			out[w++].residents = v->residents;
		}
	}
	if (!e && w)
		qsort(out, w, sizeof(*out), by_kept_code);
	if (!e)
		e = bd_facts_cache_put(env->facts, "R02:residents", BD_NEEDS(BD_DS_PERSON), "", out,
				       w * sizeof(*out));
	free(out);
	return e;
}

/* Recipients per village: each roll person on one of the programmes,
 * counted once, in the village of their registry record when resident. */
static bd_err recipients(bd_ruleenv *env, vmap *m)
{
	const bd_roll *roll = env->roll;
	bd_err e = BD_OK;
	for (size_t i = 0; i < roll->n && !e; i++) {
		const uint8_t *hid = roll->rows[i].hid;
		if (i && !memcmp(roll->rows[i - 1].hid, hid, 32))
			continue;
		bool on = false;
		for (int g = 1; g < BD_PROG_MAX && !on; g++)
			on = (m->progs & (1u << g)) && bd_roll_person_on(roll, hid, (bd_prog)g);
		const bd_rec *p;
		if (!on || (e = bd_view_person(env->v, hid, &p)) || !p)
			continue;
		const bd_str *reg = &p->str[BD_P_REGION];
		if (p->num[BD_P_STATUS] != BD_PS_NORMAL || reg->n != 12 || memcmp(reg->s, m->j, m->jl))
			continue;
		char code[13];
		memcpy(code, reg->s, 12);
		code[12] = '\0';
		village *v = vmap_get(m, code);
		if (!v)
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
		else
			v->recipients++;
	}
	return e;
}

const bd_evcol bd_cols_r02[] = {
	{ "村名称", BD_COL_TEXT, 18, false },
	{ "保障率", BD_COL_PCT, 10, true },
	{ "乡镇各村中位数", BD_COL_PCT, 12, true },
	{ "保障人数", BD_COL_INT, 10, true },
	{ "户籍人数", BD_COL_INT, 10, true },
	{ NULL, BD_COL_TEXT, 0, false },
};

static int by_code(const void *a, const void *b)
{
	return strcmp(((const village *)a)->code, ((const village *)b)->code);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

bd_err bd_rule_r02(bd_ruleenv *env, const uint8_t *subject)
{
	(void)subject;
	double factor = atof(env->params[0]);
	unsigned long min_rec = strtoul(env->params[1], NULL, 10);
	vmap m = { 0 };
	bd_codemap_init(&m.map, sizeof(village));
	m.roll = env->roll;
	m.j = bd_facts_jurisdiction(env->facts);
	m.jl = strlen(m.j);
	bd_err e = bd_prog_set(env->params[2], &m.progs);
	if (e)
		return bd_fail_ctx(e, "[rule R02]");
	if (!e)
		e = residents(env, &m);
	if (!e)
		e = recipients(env, &m);
	/* compact, sort by code: villages of a township are then adjacent
	 * (the map is not asked again) */
	village *vs = m.map.slots;
	size_t n = 0;
	for (size_t i = 0; i < m.map.cap; i++)
		if (vs[i].code[0]) {
			vs[n] = vs[i];
			vs[n].rate = (double)vs[n].recipients / (double)vs[n].residents;
			n++;
		}
	if (n)
		qsort(vs, n, sizeof(*vs), by_code);
	double *rates = malloc((n ? n : 1) * sizeof(double));
	if (!rates && !e)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n && !e;) {
		size_t j = i;
		while (j < n && !memcmp(vs[j].code, vs[i].code, 9))
			j++;
		for (size_t k = i; k < j; k++)
			rates[k - i] = vs[k].rate;
		qsort(rates, j - i, sizeof(double), by_double);
		size_t c = j - i;
		double median = c % 2 ? rates[c / 2] : (rates[c / 2 - 1] + rates[c / 2]) / 2;
		for (size_t k = i; k < j && !e; k++) {
			village *v = &vs[k];
			if (v->recipients < min_rec || !(v->rate > factor * median))
				continue;
			bd_flag f;
			memset(&f, 0, sizeof(f));
			f.rule = "R02";
			f.severity = BD_SEV_MID;
			f.programme = "";
			f.monthly = f.overpaid = -1;
			f.source_dataset = "ga.person";
			/* the township by name where known; the village column
			 * keeps the code (OUTPUT.md), its name goes to evidence */
			char town[10];
			snprintf(town, sizeof(town), "%.9s", v->code);
			const char *tn = bd_place_name(env->roll, town), *vn = bd_place_name(env->roll, v->code);
			snprintf(f.township, sizeof(f.township), "%s", tn ? tn : town);
			snprintf(f.village, sizeof(f.village), "%s", v->code);
			snprintf(f.evkey, sizeof(f.evkey), "%s", v->code);
			bd_ev(&f, "村名称", "%s", vn ? vn : "未知（名册中无此村人员）");
			bd_ev(&f, "保障率", "%.1f%%", v->rate * 100);
			bd_ev(&f, "乡镇各村中位数", "%.1f%%", median * 100);
			bd_ev(&f, "保障人数", "%llu", (unsigned long long)v->recipients);
			bd_ev(&f, "户籍人数", "%llu", (unsigned long long)v->residents);
			char pn[96];
			bd_prog_names(env->params[2], pn, sizeof(pn));
			/* a sentence true for a zero median too (most villages of
			 * the township have nobody on the programmes) */
			if (median > 0)
				bd_ev(&f, "说明", "本村保障率超过本乡镇各村中位数的 %g 倍（保障人数为%s名册中户籍在本村的人数）",
				      factor, pn);
			else
				bd_ev(&f, "说明", "本乡镇半数以上的村保障率为 0，本村保障人数却不少于 %lu 人（保障人数为%s名册中"
				      "户籍在本村的人数）", min_rec, pn);
			e = bd_flags_add(env->out, &f);
		}
		i = j;
	}
	free(rates);
	bd_codemap_release(&m.map);
	return e;
}
