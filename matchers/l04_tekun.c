/* L04 特困供养候选: a roll person on DIBAO or BIANYUAN with a registry
 * record, alive, not on TEKUN, aged 18 or more and (aged 60 or more, or a
 * certificate of the unable-to-work set), whose every obligor (spouse, and
 * children aged 18 or more) is unable to support (民发〔2021〕43号 §8, the
 * parts data can show); no obligor at all counts as all unable. */
#include "matchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const bd_param bd_params_l04[] = {
	{ "unable_set", "1:1, 4:1-2, 5:1-3, 6:1-3", "无劳动能力的认定等级（民发〔2021〕43号 §5）",
	  BD_VT_DISSET, 0, 0 },
	{ "severe_set", "1-2, 5:3, 6:3", "重度残疾的认定等级", BD_VT_DISSET, 0, 0 },
	{ "old_age", "60", "老年人年龄（周岁）", BD_VT_INT, 50, 100 },
	{ 0 },
};

const bd_evcol bd_cols_l04[] = {
	{ "周岁", BD_COL_INT, 8, true },
	{ "无劳动能力", BD_COL_TEXT, 18, false },
	{ "义务人情况", BD_COL_TEXT, 48, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

/* Why obligor o cannot support, or "" when it can. */
static bd_err obligor_unable(bd_ruleenv *env, const uint8_t o[32], bd_disset severe, int old,
			     char *why, size_t n)
{
	why[0] = '\0';
	bd_death d;
	bd_err e = bd_view_death(env->v, o, &d);
	if (e || d.deceased) {
		if (!e)
			snprintf(why, n, "已死亡");
		return e;
	}
	bool in, longc;
	const bd_rec *c;
	if ((e = bd_view_custody(env->v, o, &in, &longc, &c)) || in) {
		if (!e)
			snprintf(why, n, "在押");
		return e;
	}
	if (bd_roll_person_on(env->roll, o, BD_PROG_TEKUN)) {
		snprintf(why, n, "本人是特困人员");
		return BD_OK;
	}
	bool dibao = bd_roll_person_on(env->roll, o, BD_PROG_DIBAO);
	bool edge = bd_roll_person_on(env->roll, o, BD_PROG_BIANYUAN);
	if (!dibao && !edge)
		return BD_OK;
	int age;
	if ((e = bd_view_age(env->v, o, 0, &age)))
		return e;
	if (dibao && age >= old) {
		snprintf(why, n, "低保对象，%d 周岁", age);
		return BD_OK;
	}
	if (age >= 70) {
		snprintf(why, n, "%s，%d 周岁", dibao ? "低保对象" : "低保边缘", age);
		return BD_OK;
	}
	if ((e = bd_view_cert(env->v, o, severe, &c)) || !c)
		return e;
	snprintf(why, n, "%s，重度残疾", dibao ? "低保对象" : "低保边缘");
	return BD_OK;
}

bd_err bd_rule_l04(bd_ruleenv *env, const uint8_t *hid)
{
	bd_disset unable_set, severe;
	bd_err e = bd_disset_parse(env->params[0], &unable_set);
	if (!e)
		e = bd_disset_parse(env->params[1], &severe);
	if (e)
		return bd_fail_ctx(e, "[rule L04]");
	int old = atoi(env->params[2]);
	if (bd_roll_person_on(env->roll, hid, BD_PROG_TEKUN))
		return BD_OK;
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *row = NULL;
	for (size_t i = 0; i < n && !row; i++) {
		bd_prog g = env->roll->rows[first + i].prog;
		if (g == BD_PROG_DIBAO || g == BD_PROG_BIANYUAN)
			row = &env->roll->rows[first + i];
	}
	if (!row)
		return BD_OK;
	const bd_rec *p, *c = NULL;
	if ((e = bd_view_person(env->v, hid, &p)) || !p)
		return e;
	int age = bd_age_at((int32_t)p->num[BD_P_BIRTH], bd_facts_as_of(env->facts));
	if (age < 18)
		return BD_OK;
	if (age < old && ((e = bd_view_cert(env->v, hid, unable_set, &c)) || !c))
		return e;
	bd_death d;
	if ((e = bd_view_death(env->v, hid, &d)) || d.deceased)
		return e;
	/* obligors: spouses and adult children */
	uint8_t ob[24][32];
	size_t nob = 0;
	bd_hids k;
	if ((e = bd_view_kin(env->v, hid, BD_KIN_SPOUSE, &k)))
		return e;
	for (size_t i = 0; i < k.n && nob < 24; i++)
		memcpy(ob[nob++], k.h[i], 32);
	size_t nspouses = nob;
	if ((e = bd_view_kin(env->v, hid, BD_KIN_CHILDREN, &k)))
		return e;
	uint8_t kids[16][32];
	size_t nk = k.n < 16 ? k.n : 16;
	if (nk)
		memcpy(kids, k.h, nk * 32);
	for (size_t i = 0; i < nk && nob < 24; i++) {
		int ca;
		if ((e = bd_view_age(env->v, kids[i], 0, &ca)))
			return e;
		if (ca >= 18)
			memcpy(ob[nob++], kids[i], 32);
	}
	bd_buf ev = BD_BUF_INIT(4096);
	for (size_t i = 0; i < nob && !e; i++) {
		char why[96];
		if ((e = obligor_unable(env, ob[i], severe, old, why, sizeof(why))))
			break;
		if (!why[0]) {
			bd_buf_release(&ev);
			return BD_OK;
		}
		const bd_rec *op;
		if ((e = bd_view_person(env->v, ob[i], &op)))
			break;
		bd_buf_addf(&ev, "%s%.*s（%s，%s）", ev.len ? "、" : "", op ? (int)op->str[BD_P_NAME].n : 0,
			    op ? op->str[BD_P_NAME].s : "", i < nspouses ? "配偶" : "子女", why);
	}
	if (!e) {
		if ((e = bd_view_person(env->v, hid, &p)) || !p) {
			bd_buf_release(&ev);
			return e;
		}
		bd_flag f;
		bd_flag_from_roll(&f, "L04", row);
		bd_ev(&f, "周岁", "%d", age);
		if (age < old)
			bd_ev(&f, "无劳动能力", "%s残疾%s", bd_dis_category_name((int)c->num[BD_CE_CATEGORY]),
			      bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
		if (nob)
			bd_ev(&f, "义务人情况", "均无赡养能力：%s", ev.data);
		else
			bd_ev(&f, "义务人情况", "无法定赡养抚养义务人（配偶、成年子女）");
		e = bd_flags_add(env->out, &f);
	}
	bd_buf_release(&ev);
	return e;
}
