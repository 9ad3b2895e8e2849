/* Q02 户籍库查无此人: a roll person with a valid ID and no registry record. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_q02[] = { { 0 } };

const bd_evcol bd_cols_q02[] = { { NULL, BD_COL_TEXT, 0, false } };

bd_err bd_rule_q02(bd_ruleenv *env, const uint8_t *hid)
{
	const bd_rec *p;
	bd_err e = bd_view_person(env->v, hid, &p);
	if (e || p)
		return e;
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	bd_flag f;
	bd_flag_from_roll(&f, "Q02", &env->roll->rows[first]);
	f.severity = BD_SEV_LOW;
	bd_ev(&f, "说明", "户籍人口库中没有此身份证号，请核对号码或户籍");
	return bd_flags_add(env->out, &f);
}
