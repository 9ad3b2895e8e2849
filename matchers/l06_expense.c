/* L06 支出型困难家庭候选: a resident, alive, whose out-of-pocket medical
 * cost reached the threshold in year(D) or year(D)-1 (years never added),
 * with nobody co-registered (nor the subject) on DIBAO, TEKUN, BIANYUAN.
 * Subjects: persons with medical rows. */
#include "matchers.h"

#include <stdio.h>
#include <stdlib.h>

const bd_param bd_params_l06[] = {
	{ "self_pay_threshold", "20000", "一年个人负担医疗费达到此数（元）", BD_VT_MONEY, 1, 10000000 },
	{ "programmes", "DIBAO, TEKUN, BIANYUAN", "家庭已享受这些项目时不提示", BD_VT_PROGS, 1, 8 },
	{ 0 },
};

const bd_evcol bd_cols_l06[] = {
	{ "年度", BD_COL_INT, 8, false },
	{ "个人负担医疗费", BD_COL_MONEY, 14, false },
	{ "病种", BD_COL_TEXT, 16, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

static bool on_any(const bd_roll *r, const uint8_t hid[32], unsigned set)
{
	for (int p = 1; p < BD_PROG_MAX; p++)
		if ((set & (1u << p)) && bd_roll_person_on(r, hid, (bd_prog)p))
			return true;
	return false;
}

bd_err bd_rule_l06(bd_ruleenv *env, const uint8_t *hid)
{
	int64_t threshold = (int64_t)(atof(env->params[0]) * 100 + 0.5);
	unsigned set;
	bd_err e = bd_prog_set(env->params[1], &set);
	if (e)
		return bd_fail_ctx(e, "[rule L06]");
	int year = bd_facts_as_of(env->facts) / 10000, hit_year = 0;
	int64_t pay = 0;
	for (int y = year; y >= year - 1 && !hit_year; y--) {
		int64_t sp;
		bool major;
		size_t rows;
		if ((e = bd_view_illness(env->v, hid, y, &sp, &major, &rows)))
			return e;
		if (sp >= threshold) {
			hit_year = y;
			pay = sp;
		}
	}
	if (!hit_year || on_any(env->roll, hid, set))
		return BD_OK;
	bool res;
	bd_death d;
	if ((e = bd_view_resident(env->v, hid, &res)) || !res)
		return e;
	if ((e = bd_view_death(env->v, hid, &d)) || d.deceased)
		return e;
	bd_hids co;
	if ((e = bd_view_kin(env->v, hid, BD_KIN_COREGISTERED, &co)))
		return e;
	for (size_t i = 0; i < co.n; i++)
		if (on_any(env->roll, co.h[i], set))
			return BD_OK;
	const bd_rec *p, *rows;
	size_t n;
	if ((e = bd_view_person(env->v, hid, &p)))
		return e;
	bd_flag f;
	bd_flag_from_person(&f, "L06", hid, p);
	bd_flag_name_places(&f, env->roll);
	bd_ev(&f, "年度", "%d", hit_year);
	bd_ev(&f, "个人负担医疗费", "%lld.%02lld", (long long)(pay / 100), (long long)(pay % 100));
	if (!(e = bd_view_records(env->v, BD_DS_ILLNESS, hid, &rows, &n)))
		for (size_t i = 0; i < n; i++)
			if (rows[i].num[BD_I_YEAR] == hit_year && rows[i].str[BD_I_DIAGNOSIS].n) {
				bd_ev(&f, "病种", "%.*s", (int)rows[i].str[BD_I_DIAGNOSIS].n,
				      rows[i].str[BD_I_DIAGNOSIS].s);
				break;
			}
	char pn[96];
	bd_ev(&f, "说明", "本人及同户人员均未享受%s", bd_prog_names(env->params[1], pn, sizeof(pn)));
	return e ? e : bd_flags_add(env->out, &f);
}
