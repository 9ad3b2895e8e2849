/* Q03 姓名不一致: the roll name differs from the registry name after
 * normalising (full-width, spaces, middle-dot variants). One flag per
 * person. */
#include "matchers.h"
#include "bd/normal.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_q03[] = { { 0 } };

const bd_evcol bd_cols_q03[] = {
	{ "名册姓名", BD_COL_TEXT, 14, false },
	{ "户籍姓名", BD_COL_TEXT, 14, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

bd_err bd_rule_q03(bd_ruleenv *env, const uint8_t *hid)
{
	const bd_rec *p;
	bd_err e = bd_view_person(env->v, hid, &p);
	if (e || !p)
		return e;
	char reg[128], roll[128];
	bd_name_normalise(p->str[BD_P_NAME].s, p->str[BD_P_NAME].n, reg, sizeof(reg));
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	for (size_t i = 0; i < n; i++) {
		const bd_rollrow *row = &env->roll->rows[first + i];
		bd_name_normalise(row->name, strlen(row->name), roll, sizeof(roll));
		if (!strcmp(reg, roll))
			continue;
		bd_flag f;
		bd_flag_from_roll(&f, "Q03", row);
		f.severity = BD_SEV_LOW;
		bd_ev(&f, "名册姓名", "%s", row->name);
		bd_ev(&f, "户籍姓名", "%.*s", (int)p->str[BD_P_NAME].n, p->str[BD_P_NAME].s);
		return bd_flags_add(env->out, &f);
	}
	return BD_OK;
}
