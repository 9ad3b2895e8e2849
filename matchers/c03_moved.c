/* C03 户籍迁出或不在辖区: the registry shows the roll person moved out or
 * cancelled before the roll month, or registered outside the jurisdiction. */
#include "matchers.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_c03[] = { { 0 } };

const bd_evcol bd_cols_c03[] = {
	{ "户籍状态", BD_COL_TEXT, 10, false },
	{ "变动日期", BD_COL_DATE, 12, false },
	{ "户籍地区划", BD_COL_TEXT, 16, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

bd_err bd_rule_c03(bd_ruleenv *env, const uint8_t *hid)
{
	const bd_rec *p;
	bd_err e = bd_view_person(env->v, hid, &p);
	if (e || !p)
		return e;
	int64_t st = p->num[BD_P_STATUS];
	int32_t sd = (int32_t)p->num[BD_P_STATUS_DATE];
	int32_t m0 = bd_facts_roll_month(env->facts) * 100 + 1;
	const char *j = bd_facts_jurisdiction(env->facts);
	const bd_str *region = &p->str[BD_P_REGION];
	char date[16];
	bd_flag f;
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	bd_flag_from_roll(&f, "C03", &env->roll->rows[first]);
	if ((st == BD_PS_MOVED || st == BD_PS_CANCELLED) && (!sd || sd < m0)) {
		bd_ev(&f, "户籍状态", "%s", bd_pstatus_name((bd_pstatus)st));
		bd_ev(&f, "变动日期", "%s", bd_fmt_date(sd, date));
		bd_ev(&f, "户籍地区划", "%.*s", (int)region->n, region->s);
	} else if (st == BD_PS_NORMAL && (region->n < strlen(j) || memcmp(region->s, j, strlen(j)))) {
		bd_ev(&f, "户籍状态", "正常");
		bd_ev(&f, "户籍地区划", "%.*s", (int)region->n, region->s);
		bd_ev(&f, "说明", "户籍地不在本辖区（%s）", j);
	} else {
		return BD_OK;
	}
	return bd_flags_add(env->out, &f);
}
