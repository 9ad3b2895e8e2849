/* C04 在押服刑仍在保: a roll person on a listed programme, in custody at D
 * (服刑 or 强制隔离戒毒) since before the roll month. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_c04[] = {
	{ "programmes", "DIBAO, TEKUN, BIANYUAN, GAOLING", "在押期间应停发的项目", BD_VT_PROGS, 1, 8 },
	{ 0 },
};

const bd_evcol bd_cols_c04[] = {
	{ "羁押类型", BD_COL_TEXT, 12, false },
	{ "入所日期", BD_COL_DATE, 12, false },
	{ "出所日期", BD_COL_DATE, 12, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

bd_err bd_rule_c04(bd_ruleenv *env, const uint8_t *hid)
{
	unsigned set;
	bd_err e = bd_prog_set(env->params[0], &set);
	if (e)
		return e;
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *row = NULL;
	for (size_t i = 0; i < n && !row; i++)
		if (set & (1u << env->roll->rows[first + i].prog))
			row = &env->roll->rows[first + i];
	if (!row)
		return BD_OK;
	bool in, longc;
	const bd_rec *c;
	if ((e = bd_view_custody(env->v, hid, &in, &longc, &c)) || !in)
		return e;
	int32_t start = (int32_t)c->num[BD_CU_START];
	if (start >= bd_facts_roll_month(env->facts) * 100 + 1)
		return BD_OK;
	bd_flag f;
	bd_flag_from_roll(&f, "C04", row);
	char d1[16], d2[16];
	bd_ev(&f, "羁押类型", "%s", bd_custody_name((bd_custody)c->num[BD_CU_TYPE]));
	bd_ev(&f, "入所日期", "%s", bd_fmt_date(start, d1));
	bd_ev(&f, "出所日期", "%s", c->num[BD_CU_END] ? bd_fmt_date((int32_t)c->num[BD_CU_END], d2) : "未出所");
	return bd_flags_add(env->out, &f);
}
