/* L01 低保家庭残疾人未享受生活补贴: on DIBAO, alive, a valid certificate at D,
 * not on CJ_SHENGHUO. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_l01[] = { { NULL, NULL, NULL } };

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
	snprintf(f.evidence, sizeof(f.evidence), "低保对象，持有效残疾人证（%s残疾%s），未享受困难残疾人生活补贴",
		 bd_dis_category_name((int)c->num[BD_CE_CATEGORY]),
		 bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
	return bd_flags_add(env->out, &f);
}
