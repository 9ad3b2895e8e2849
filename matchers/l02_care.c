/* L02 重度残疾人未享受护理补贴: a resident, alive, with a certificate of the
 * care set valid at D, not on CJ_HULI. Subjects: certificate holders. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_l02[] = {
	{ "care_set", "1-2", "护理补贴对应的残疾等级（等级或 类别:等级）", BD_VT_DISSET, 0, 0 },
	{ 0 },
};

const bd_evcol bd_cols_l02[] = {
	{ "残疾类别", BD_COL_TEXT, 10, false },
	{ "残疾等级", BD_COL_TEXT, 8, false },
	{ "有效期至", BD_COL_DATE, 12, false },
	{ "户籍地区划", BD_COL_TEXT, 16, false },
	{ NULL, BD_COL_TEXT, 0, false },
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
	bd_ev(&f, "残疾类别", "%s残疾", bd_dis_category_name((int)c->num[BD_CE_CATEGORY]));
	bd_ev(&f, "残疾等级", "%s", bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
	char until[16];
	bd_ev(&f, "有效期至", "%s", c->num[BD_CE_VALID_UNTIL] ? bd_fmt_date((int32_t)c->num[BD_CE_VALID_UNTIL], until) : "长期");
	/* the registered place by name where the roll or RUN.ini divisions
	 * name it, the code beside it (what the registry system searches by) */
	char code[16];
	snprintf(code, sizeof(code), "%.*s", (int)(p->str[BD_P_REGION].n < 15 ? p->str[BD_P_REGION].n : 15),
		 p->str[BD_P_REGION].s);
	const char *place = bd_place_name(env->roll, code);
	if (place)
		bd_ev(&f, "户籍地区划", "%s（%s）", place, code);
	else
		bd_ev(&f, "户籍地区划", "%s", code);
	return bd_flags_add(env->out, &f);
}
