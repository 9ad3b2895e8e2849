/* L01 低保家庭残疾人未享受生活补贴: on DIBAO, alive, a valid certificate at D,
 * not on CJ_SHENGHUO. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_l01[] = { { 0 } };

const bd_evcol bd_cols_l01[] = {
	{ "残疾类别", BD_COL_TEXT, 10, false },
	{ "残疾等级", BD_COL_TEXT, 8, false },
	{ "有效期至", BD_COL_DATE, 12, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

bd_err bd_rule_l01(bd_ruleenv *env, const uint8_t *hid)
{
	if (!bd_roll_person_on(env->roll, hid, BD_PROG_DIBAO) ||
	    bd_roll_person_on(env->roll, hid, BD_PROG_CJ_SHENGHUO))
		return BD_OK;
	bd_death d;
	const bd_rec *c;
	bd_err e = bd_view_death(env->v, hid, &d);
	if (e || d.deceased || (e = bd_view_cert(env->v, hid, 0, &c)) || !c)
		return e;
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *row = &env->roll->rows[first];
	for (size_t i = 0; i < n; i++)
		if (env->roll->rows[first + i].prog == BD_PROG_DIBAO)
			row = &env->roll->rows[first + i];
	bd_flag f;
	bd_flag_from_roll(&f, "L01", row);
	f.monthly = -1;
	bd_ev(&f, "残疾类别", "%s残疾", bd_dis_category_name((int)c->num[BD_CE_CATEGORY]));
	bd_ev(&f, "残疾等级", "%s", bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
	char until[16];
	bd_ev(&f, "有效期至", "%s", c->num[BD_CE_VALID_UNTIL] ? bd_fmt_date((int32_t)c->num[BD_CE_VALID_UNTIL], until) : "长期");
	return bd_flags_add(env->out, &f);
}
