/* C06 残疾人补贴资格不符: a 护理补贴 recipient without a certificate of the
 * care set valid at D; a 生活补贴 recipient without any valid certificate,
 * or whose household is not on a qualifying programme. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_c06[] = {
	{ "care_set", "1-2", "护理补贴对应的残疾等级（等级或 类别:等级）", BD_VT_DISSET, 0, 0 },
	{ "living_programmes", "DIBAO", "生活补贴要求家庭享受的项目", BD_VT_PROGS, 1, 8 },
	{ 0 },
};

const bd_evcol bd_cols_c06[] = {
	{ "补贴类别", BD_COL_TEXT, 14, false },
	{ "残疾人证", BD_COL_TEXT, 30, false },
	{ "家庭享受项目", BD_COL_TEXT, 16, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

/* The household's programmes, named: "低保、高龄津贴" or "无". */
static void household_progs(const bd_roll *roll, uint32_t h, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int p = 1; p < BD_PROG_MAX; p++)
		if (bd_roll_household_on(roll, h, (bd_prog)p) && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "、" : "", bd_prog_name((bd_prog)p));
	if (!out[0])
		snprintf(out, n, "无");
}

bd_err bd_rule_c06(bd_ruleenv *env, const uint8_t *hid)
{
	bd_disset care;
	unsigned living;
	bd_err e = bd_disset_parse(env->params[0], &care);
	if (!e)
		e = bd_prog_set(env->params[1], &living);
	if (e)
		return bd_fail_ctx(e, "[rule C06]");
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	for (size_t i = 0; i < n && !e; i++) {
		const bd_rollrow *row = &env->roll->rows[first + i];
		if (row->prog != BD_PROG_CJ_HULI && row->prog != BD_PROG_CJ_SHENGHUO)
			continue;
		const bd_rec *any, *ok;
		if ((e = bd_view_cert(env->v, hid, 0, &any)))
			break;
		bd_flag f;
		bd_flag_from_roll(&f, "C06", row);
		snprintf(f.evkey, sizeof(f.evkey), "%s", bd_prog_code(row->prog));
		char ct[160] = "";
		if ((e = bd_cert_describe(env->v, bd_facts_as_of(env->facts), hid, ct, sizeof(ct))))
			break;
		if (row->prog == BD_PROG_CJ_HULI) {
			if ((e = bd_view_cert(env->v, hid, care, &ok)) || ok)
				continue;
			bd_ev(&f, "补贴类别", "重度残疾人护理补贴");
			bd_ev(&f, "残疾人证", "%s", ct);
			if (any)
				bd_ev(&f, "说明", "等级不在护理补贴范围（%s）", env->params[0]);
		} else {
			bool on = false;
			for (int p = 1; p < BD_PROG_MAX; p++)
				on = on || ((living & (1u << p)) &&
					    bd_roll_household_on(env->roll, row->household, (bd_prog)p));
			if (any && on)
				continue;
			char hp[160];
			household_progs(env->roll, row->household, hp, sizeof(hp));
			bd_ev(&f, "补贴类别", "困难残疾人生活补贴");
			bd_ev(&f, "残疾人证", "%s", ct);
			bd_ev(&f, "家庭享受项目", "%s", hp);
			if (any)
				bd_ev(&f, "说明", "家庭未享受%s", bd_prog_names(env->params[1], hp, sizeof(hp)));
		}
		e = bd_flags_add(env->out, &f);
	}
	return e;
}
