/* L05 孤儿或事实无人抚养儿童候选: a resident child (under 18 at D), alive,
 * not on GUER, SHISHI or TEKUN, with both parents' IDs recorded, each
 * parent deceased, in long custody, with a certificate of the child-care
 * set, or with a major illness. Both parents deceased: 孤儿; otherwise
 * 事实无人抚养. Subjects: registry persons. */
#include "matchers.h"

#include <stdio.h>
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

bd_err bd_rule_l05(bd_ruleenv *env, const uint8_t *hid)
{
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
	int age = bd_age_at((int32_t)p->num[BD_P_BIRTH], bd_facts_as_of(env->facts));
	if (age < 0 || age >= adult)
		return BD_OK;
	if (bd_roll_person_on(env->roll, hid, BD_PROG_GUER) ||
	    bd_roll_person_on(env->roll, hid, BD_PROG_SHISHI) ||
	    bd_roll_person_on(env->roll, hid, BD_PROG_TEKUN))
		return BD_OK;
	bool res;
	bd_death d;
	if ((e = bd_view_resident(env->v, hid, &res)) || !res)
		return e;
	if ((e = bd_view_death(env->v, hid, &d)) || d.deceased)
		return e;
	uint8_t parents[2][32];
	memcpy(parents[0], p->hid[BD_P_FATHER], 32);
	memcpy(parents[1], p->hid[BD_P_MOTHER], 32);
	bd_flag f;
	bd_flag_from_person(&f, "L05", hid, p); /* before other lookups reuse p's storage */
	bd_flag_name_places(&f, env->roll);
	char why[2][200];
	bool dead[2];
	for (int i = 0; i < 2; i++) {
		bool unable;
		if ((e = parent_unable(env, parents[i], set, why[i], sizeof(why[i]), &unable, &dead[i])))
			return e;
		if (!unable)
			return BD_OK;
	}
	f.severity = BD_SEV_HIGH;
	snprintf(f.evkey, sizeof(f.evkey), "%s", dead[0] && dead[1] ? "孤儿" : "事实无人抚养");
	bd_ev(&f, "类型", "%s候选", dead[0] && dead[1] ? "孤儿" : "事实无人抚养儿童");
	bd_ev(&f, "周岁", "%d", age);
	bd_ev(&f, "父亲情况", "%s", why[0]);
	bd_ev(&f, "母亲情况", "%s", why[1]);
	return bd_flags_add(env->out, &f);
}
