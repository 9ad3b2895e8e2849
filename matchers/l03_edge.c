/* L03 低保边缘家庭重残重病成员单独施保候选: a roll person of a household on
 * BIANYUAN, alive, with a certificate of the severe set or a major illness
 * in year(D) or year(D)-1, not on DIBAO or TEKUN. */
#include "matchers.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_l03[] = {
	{ "severe_set", "1-2, 5:3, 6:3", "重度残疾的认定等级（民发〔2021〕57号）", BD_VT_DISSET, 0, 0 },
	{ 0 },
};

const bd_evcol bd_cols_l03[] = {
	{ "重度残疾", BD_COL_TEXT, 24, false },
	{ "重特大疾病", BD_COL_TEXT, 14, false },
	{ "个人负担医疗费", BD_COL_MONEY, 12, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

bd_err bd_rule_l03(bd_ruleenv *env, const uint8_t *hid)
{
	bd_disset severe;
	bd_err e = bd_disset_parse(env->params[0], &severe);
	if (e)
		return bd_fail_ctx(e, "[rule L03]");
	if (bd_roll_person_on(env->roll, hid, BD_PROG_DIBAO) || bd_roll_person_on(env->roll, hid, BD_PROG_TEKUN))
		return BD_OK;
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *row = NULL;
	for (size_t i = 0; i < n && !row; i++)
		if (bd_roll_household_on(env->roll, env->roll->rows[first + i].household, BD_PROG_BIANYUAN))
			row = &env->roll->rows[first + i];
	if (!row)
		return BD_OK;
	bd_death d;
	if ((e = bd_view_death(env->v, hid, &d)) || d.deceased)
		return e;
	const bd_rec *c;
	if ((e = bd_view_cert(env->v, hid, severe, &c)))
		return e;
	bd_flag f;
	bd_flag_from_roll(&f, "L03", row);
	if (c)
		bd_ev(&f, "重度残疾", "%s残疾%s", bd_dis_category_name((int)c->num[BD_CE_CATEGORY]),
		      bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
	bool ill = false;
	int year = bd_facts_as_of(env->facts) / 10000;
	for (int y = year; y >= year - 1; y--) {
		int64_t sp;
		bool major;
		size_t rows;
		if ((e = bd_view_illness(env->v, hid, y, &sp, &major, &rows)))
			return e;
		if (major) {
			bd_ev(&f, "重特大疾病", "%d 年", y);
			bd_ev(&f, "个人负担医疗费", "%lld.%02lld", (long long)(sp / 100), (long long)(sp % 100));
			ill = true;
			break;
		}
	}
	if (!c && !ill)
		return BD_OK;
	bd_ev(&f, "说明", "低保边缘家庭成员，可考虑单人户纳入低保");
	return bd_flags_add(env->out, &f);
}
