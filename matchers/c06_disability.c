/* C06 残疾人补贴资格不符: a 护理补贴 recipient without a certificate of the
 * care set valid at D; a 生活补贴 recipient without any valid certificate,
 * or whose household is not on a qualifying programme. */
#include "matchers.h"

#include <stdio.h>

const bd_param bd_params_c06[] = {
	{ "care_set", "1-2", "护理补贴对应的残疾等级（等级或 类别:等级）" },
	{ "living_programmes", "DIBAO", "生活补贴要求家庭享受的项目" },
	{ NULL, NULL, NULL },
};

static void cert_text(const bd_rec *c, char *out, size_t n)
{
	snprintf(out, n, "%s残疾%s", bd_dis_category_name((int)c->num[BD_CE_CATEGORY]),
		 bd_dis_grade_name((int)c->num[BD_CE_GRADE]));
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
		char ct[64] = "";
		if (any)
			cert_text(any, ct, sizeof(ct));
		if (row->prog == BD_PROG_CJ_HULI) {
			if ((e = bd_view_cert(env->v, hid, care, &ok)) || ok)
				continue;
			if (any)
				snprintf(f.evidence, sizeof(f.evidence),
					 "领取护理补贴，但有效残疾人证为%s，不在护理补贴范围（%s）", ct,
					 env->params[0]);
			else
				snprintf(f.evidence, sizeof(f.evidence),
					 "领取护理补贴，但基准日无有效残疾人证（注销、过期或查无证件）");
		} else {
			bool on = false;
			for (int p = 1; p < BD_PROG_MAX; p++)
				on = on || ((living & (1u << p)) &&
					    bd_roll_household_on(env->roll, row->household, (bd_prog)p));
			if (any && on)
				continue;
			if (!any)
				snprintf(f.evidence, sizeof(f.evidence),
					 "领取生活补贴，但基准日无有效残疾人证（注销、过期或查无证件）");
			else
				snprintf(f.evidence, sizeof(f.evidence),
					 "领取生活补贴（%s），但家庭不在 %s 名册中", ct, env->params[1]);
		}
		e = bd_flags_add(env->out, &f);
	}
	return e;
}
