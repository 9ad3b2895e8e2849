/* L02 重度残疾人未享受护理补贴: a resident, alive, with a certificate of the
 * care set valid at D, not on CJ_HULI. Subjects: certificate holders. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_l02[] = {
	{ "care_set", "1-2", "护理补贴对应的残疾等级（等级或 类别:等级）" },
	{ NULL, NULL, NULL },
};

bd_err bd_rule_l02(bd_ruleenv *env, const uint8_t *hid)
{
	bd_disset care;
	bd_err e = bd_disset_parse(env->params[0], &care);
	if (e)
		return bd_fail_ctx(e, "[rule L02]");
	if (bd_roll_person_on(env->roll, hid, BD_PROG_CJ_HULI))
		return BD_OK;
	const bd_rec *c, *p;
	bool res;
	bd_death d;
	if ((e = bd_view_cert(env->v, hid, care, &c)) || !c)
		return e;
	if ((e = bd_view_resident(env->v, hid, &res)) || !res)
		return e;
	if ((e = bd_view_death(env->v, hid, &d)) || d.deceased)
		return e;
	if ((e = bd_view_person(env->v, hid, &p)))
		return e;
	bd_flag f;
	bd_flag_from_person(&f, "L02", hid, p);
	bd_flag_name_places(&f, env->roll);
	snprintf(f.evidence, sizeof(f.evidence),
		 "持有效残疾人证（%s残疾%s），户籍在 %.*s，未享受重度残疾人护理补贴",
		 bd_dis_category_name((int)c->num[BD_CE_CATEGORY]),
		 bd_dis_grade_name((int)c->num[BD_CE_GRADE]), (int)p->str[BD_P_REGION].n,
		 p->str[BD_P_REGION].s);
	return bd_flags_add(env->out, &f);
}
