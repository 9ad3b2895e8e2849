/* L05 孤儿或事实无人抚养儿童候选: a resident child (under 18 at D), alive,
 * not on GUER, SHISHI or TEKUN, with both parents' IDs recorded, each
 * parent deceased, in long custody, with a certificate of the child-care
 * set, or with a major illness. Both parents deceased: 孤儿; otherwise
 * 事实无人抚养. Subjects: registry persons. */
#include "matchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const bd_param bd_params_l05[] = {
	{ "childcare_set", "1-2, 5:3-4, 6:3-4", "父母重残的认定等级（民发〔2019〕62号）", BD_VT_DISSET, 0, 0 },
	{ "adult_age", "18", "未成年的年龄上限（周岁）", BD_VT_INT, 14, 25 },
	{ 0 },
};

const bd_evcol bd_cols_l05[] = {
	{ "类型", BD_COL_TEXT, 14, false },
	{ "周岁", BD_COL_INT, 8, true },
	{ "父亲情况", BD_COL_TEXT, 34, false },
	{ "母亲情况", BD_COL_TEXT, 34, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

/* Why a parent cannot raise the child, or NULL; *dead tells which. */
static bd_err parent_unable(bd_ruleenv *env, const uint8_t p[32], bd_disset set, char *why,
			    size_t n, bool *unable, bool *dead)
{
	*unable = *dead = false;
	bd_death d;
	bd_err e = bd_view_death(env->v, p, &d);
	if (e)
		return e;
	if (d.deceased) {
		char date[16], src[96];
		snprintf(why, n, "死亡（%s，来源：%s）", bd_fmt_date(d.date, date),
			 bd_death_sources(d.sources, src, sizeof(src)));
		*unable = *dead = true;
		return BD_OK;
	}
	bool in, longc;
	const bd_rec *c;
	if ((e = bd_view_custody(env->v, p, &in, &longc, &c)))
		return e;
	if (in && longc) {
		char date[16];
		snprintf(why, n, "%s（入所 %s）", bd_custody_name((bd_custody)c->num[BD_CU_TYPE]),
			 bd_fmt_date((int32_t)c->num[BD_CU_START], date));
		*unable = true;
		return BD_OK;
	}
	if ((e = bd_view_cert(env->v, p, set, &c)))
		return e;
	if (c) {
		snprintf(why, n, "重度残疾（%s残疾%s）", bd_dis_category_name((int)c->num[BD_CE_CATEGORY]),
			 bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
		*unable = true;
		return BD_OK;
	}
	int year = bd_facts_as_of(env->facts) / 10000;
	for (int y = year; y >= year - 1; y--) {
		int64_t sp;
		bool major;
		size_t rows;
		if ((e = bd_view_illness(env->v, p, y, &sp, &major, &rows)))
			return e;
		if (major) {
			snprintf(why, n, "%d 年患重特大疾病", y);
			*unable = true;
			return BD_OK;
		}
	}
	return BD_OK;
}

/*
 * The persons who may be unable to raise a child: everyone with a record
 * in wj.death, mz.cremation, ga.custody, cl.cert or wj.illness, and
 * everyone the registry says is dead (the sources of parent_unable). A
 * child whose parents are not both in it is no candidate, without a
 * lookup.
 */
static bd_err collect_key(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)rec;
	bd_hidset *u = ctx;
	if (u->n && !memcmp(u->h[u->n - 1], key, 32))
		return BD_OK;
	return bd_hidset_add(u, key);
}

static bd_err collect_dead(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	bd_hidset *u = ctx;
	if (rec->num[BD_P_STATUS] != BD_PS_DEAD || (u->n && !memcmp(u->h[u->n - 1], key, 32)))
		return BD_OK;
	return bd_hidset_add(u, key);
}

/* The persons the registry says are dead, in key order: counted on all
 * threads, kept in the index while ga.person is unchanged. */
static bd_err registry_dead(bd_ruleenv *env, bd_hidset *u)
{
	void *data = NULL;
	size_t n = 0;
	bd_err e = bd_facts_cache_get(env->facts, "L05:dead", BD_NEEDS(BD_DS_PERSON), "", &data, &n);
	for (size_t i = 0; !e && data && i < n / 32; i++)
		e = bd_hidset_add(u, (const uint8_t *)data + 32 * i);
	free(data);
	if (e || data)
		return e;
	int np = env->threads < 1 ? 1 : env->threads > 64 ? 64 : env->threads;
	bd_hidset parts[64];
	void *ctxs[64];
	memset(parts, 0, sizeof(parts));
	for (int p = 0; p < np; p++)
		ctxs[p] = &parts[p];
	e = bd_facts_scan_parts(env->facts, BD_DS_PERSON, np, np, collect_dead, ctxs);
	bd_buf all = BD_BUF_INIT(BD_BUF_DEFAULT_MAX);
	for (int p = 0; p < np; p++) {
		if (!e && parts[p].n)
			e = bd_buf_add(&all, parts[p].h, parts[p].n * 32);
		free(parts[p].h);
	}
	for (size_t i = 0; !e && i < all.len / 32; i++)
		e = bd_hidset_add(u, (const uint8_t *)all.data + 32 * i);
	if (!e)
		e = bd_facts_cache_put(env->facts, "L05:dead", BD_NEEDS(BD_DS_PERSON), "", all.data ? all.data : "",
				       all.len);
	bd_buf_release(&all);
	return e;
}

bd_err bd_prep_l05(bd_ruleenv *env, void **state)
{
	static const bd_ds src[] = { BD_DS_DEATH, BD_DS_CREMATION, BD_DS_CUSTODY, BD_DS_CERT,
				     BD_DS_ILLNESS };
	bd_hidset *u = bd_hidset_new();
	bd_err e = u ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < sizeof(src) / sizeof(src[0]) && !e; i++)
		e = bd_view_scan(env->v, src[i], false, 0, 255, collect_key, u);
	if (!e)
		e = registry_dead(env, u);
	if (e) {
		bd_hidset_free(u);
		return e;
	}
	bd_hidset_seal(u);
	*state = u;
	return BD_OK;
}

/* false when the parent cannot be unable: in none of the sources. */
static bool maybe_unable(const bd_ruleenv *env, const uint8_t p[32])
{
	return !env->state || bd_hidset_has(env->state, p);
}

/* What L05 knows of a child once every condition but the roll holds. */
typedef struct child {
	const bd_rec *p;
	int age;
	char why[2][200];
	bool dead[2];
} child;

/* Every condition of L05 that does not involve the roll: a resident
 * child under adult_age, alive, both parents recorded and both unable. */
static bd_err eligible(bd_ruleenv *env, const uint8_t *hid, child *c, bool *yes)
{
	*yes = false;
	bd_disset set;
	bd_err e = bd_disset_parse(env->params[0], &set);
	if (e)
		return bd_fail_ctx(e, "[rule L05]");
	int adult = 18;
	sscanf(env->params[1], "%d", &adult);
	const bd_rec *p;
	if ((e = bd_view_person(env->v, hid, &p)) || !p)
		return e;
	if (!bd_rec_hashid(p, BD_P_FATHER) || !bd_rec_hashid(p, BD_P_MOTHER))
		return BD_OK;
	c->age = bd_age_at((int32_t)p->num[BD_P_BIRTH], bd_facts_as_of(env->facts));
	if (c->age < 0 || c->age >= adult)
		return BD_OK;
	uint8_t parents[2][32];
	memcpy(parents[0], p->hid[BD_P_FATHER], 32);
	memcpy(parents[1], p->hid[BD_P_MOTHER], 32);
	if (!maybe_unable(env, parents[0]) || !maybe_unable(env, parents[1]))
		return BD_OK;
	bool res;
	bd_death d;
	if ((e = bd_view_resident(env->v, hid, &res)) || !res)
		return e;
	if ((e = bd_view_death(env->v, hid, &d)) || d.deceased)
		return e;
	for (int i = 0; i < 2; i++) {
		bool unable;
		if ((e = parent_unable(env, parents[i], set, c->why[i], sizeof(c->why[i]), &unable,
				       &c->dead[i])))
			return e;
		if (!unable)
			return BD_OK;
	}
	/* the view's person slot was reused by the parents' lookups */
	if ((e = bd_view_person(env->v, hid, &c->p)))
		return e;
	*yes = c->p != NULL;
	return BD_OK;
}

bd_err bd_cand_l05(bd_ruleenv *env, const uint8_t *hid, bool *yes)
{
	child c;
	return eligible(env, hid, &c, yes);
}

bd_err bd_rule_l05(bd_ruleenv *env, const uint8_t *hid)
{
	if (bd_roll_person_on(env->roll, hid, BD_PROG_GUER) ||
	    bd_roll_person_on(env->roll, hid, BD_PROG_SHISHI) ||
	    bd_roll_person_on(env->roll, hid, BD_PROG_TEKUN))
		return BD_OK;
	child c;
	bool yes;
	bd_err e = eligible(env, hid, &c, &yes);
	if (e || !yes)
		return e;
	bd_flag f;
	bd_flag_from_person(&f, "L05", hid, c.p);
	bd_flag_name_places(&f, env->roll);
	f.severity = BD_SEV_HIGH;
	bool orphan = c.dead[0] && c.dead[1];
	snprintf(f.evkey, sizeof(f.evkey), "%s", orphan ? "孤儿" : "事实无人抚养");
	bd_ev(&f, "类型", "%s候选", orphan ? "孤儿" : "事实无人抚养儿童");
	bd_ev(&f, "周岁", "%d", c.age);
	bd_ev(&f, "父亲情况", "%s", c.why[0]);
	bd_ev(&f, "母亲情况", "%s", c.why[1]);
	return bd_flags_add(env->out, &f);
}
