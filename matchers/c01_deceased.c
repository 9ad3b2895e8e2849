/* C01 死亡人员仍在保: a roll person any source reports dead before the roll
 * month (or at an unknown date). Overpayment: months paid after death. */
#include "matchers.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_c01[] = {
	{ "grace_months", "3", "死亡后多发超过此月数即为高风险（处理死亡的时限）", BD_VT_INT, 0, 120 },
	{ 0 },
};

const bd_evcol bd_cols_c01[] = {
	{ "死亡日期", BD_COL_DATE, 12, false },
	{ "死亡信息来源", BD_COL_TEXT, 24, false },
	{ "死亡后发放月数", BD_COL_INT, 10, true },
	{ "多发金额", BD_COL_MONEY, 12, true },
	{ NULL, BD_COL_TEXT, 0, false },
};

static int month_index(int32_t ym)
{
	return ym / 100 * 12 + ym % 100 - 1;
}

bd_err bd_rule_c01(bd_ruleenv *env, const uint8_t *hid)
{
	bd_death d;
	bd_err e = bd_view_death(env->v, hid, &d);
	if (e || !d.deceased)
		return e;
	int32_t m = bd_facts_roll_month(env->facts);
	if (d.date && d.date >= m * 100 + 1)
		return BD_OK; /* died in the roll month or later: nothing paid after death yet */
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *rows = &env->roll->rows[first];
	int max_months = 0;
	int64_t overpaid = 0, monthly = 0;
	bool estimated = false;
	for (size_t i = 0; i < n && d.date; i++) {
		int from = month_index(d.date / 100) + 1;
		if (rows[i].start_month && month_index(rows[i].start_month) > from)
			from = month_index(rows[i].start_month);
		int months = month_index(m) - from + 1;
		if (months < 0)
			months = 0;
		max_months = months > max_months ? months : max_months;
		overpaid += months * rows[i].monthly;
		monthly += rows[i].monthly;
		estimated = estimated || rows[i].monthly_estimated;
	}
	bd_flag f;
	bd_flag_from_roll(&f, "C01", &rows[0]);
	int grace = 3;
	sscanf(env->params[0], "%d", &grace);
	int nsrc = __builtin_popcount(d.sources);
	f.severity = nsrc >= 2 || max_months > grace ? BD_SEV_HIGH : BD_SEV_MID;
	char date[16], src[96];
	bd_death_sources(d.sources, src, sizeof(src));
	bd_ev(&f, "死亡日期", "%s", bd_fmt_date(d.date, date));
	bd_ev(&f, "死亡信息来源", "%s", src);
	if (d.date) {
		f.monthly = monthly;
		f.overpaid = overpaid;
		bd_ev(&f, "死亡后发放月数", "%d", max_months);
		bd_ev(&f, "多发金额", "%lld.%02lld", (long long)(overpaid / 100), (long long)(overpaid % 100));
		if (d.date == d.mz_date && d.mz_from_cremation)
			bd_ev(&f, "说明", "死亡日期以火化日期代替，实际死亡不晚于此日");
		if (estimated)
			bd_ev(&f, "说明", "金额按户均估算");
	} else {
		bd_ev(&f, "说明", "死亡日期不详，无法计算多发月数和金额");
	}
	return bd_flags_add(env->out, &f);
}
