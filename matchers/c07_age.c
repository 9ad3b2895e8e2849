/* C07 高龄津贴年龄不符: a GAOLING recipient younger than min_age at D. An
 * unknown age never flags. */
#include "matchers.h"

#include <stdio.h>
#include <stdlib.h>

const bd_param bd_params_c07[] = {
	{ "min_age", "80", "高龄津贴起领年龄（周岁）", BD_VT_INT, 60, 120 },
	{ 0 },
};

const bd_evcol bd_cols_c07[] = {
	{ "周岁", BD_COL_INT, 8, true },
	{ "出生日期", BD_COL_DATE, 12, false },
	{ "起领年龄", BD_COL_INT, 8, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

bd_err bd_rule_c07(bd_ruleenv *env, const uint8_t *hid)
{
	int min_age = atoi(env->params[0]);
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	for (size_t i = 0; i < n; i++) {
		const bd_rollrow *row = &env->roll->rows[first + i];
		if (row->prog != BD_PROG_GAOLING)
			continue;
		int age;
		bd_err e = bd_view_age(env->v, hid, row->id_birth, &age);
		if (e || age < 0 || age >= min_age)
			return e;
		bd_flag f;
		bd_flag_from_roll(&f, "C07", row);
		char d[16];
		bd_ev(&f, "周岁", "%d", age);
		if (row->id_birth)
			bd_ev(&f, "出生日期", "%s", bd_fmt_date(row->id_birth, d));
		bd_ev(&f, "起领年龄", "%d", min_age);
		return bd_flags_add(env->out, &f);
	}
	return BD_OK;
}
