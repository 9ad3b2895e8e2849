/* C05 重复或冲突享受: two or more rows of one programme, or both programmes
 * of an exclusive pair. One flag per programme (pair): the evidence key. */
#include "matchers.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_c05[] = {
	{ "exclusive_pairs", "DIBAO+TEKUN, DIBAO+BIANYUAN, GUER+SHISHI, GUER+TEKUN, SHISHI+TEKUN",
	  "不得同时享受的项目组合", BD_VT_PAIRS, 1, 28 },
	{ 0 },
};

const bd_evcol bd_cols_c05[] = {
	{ "情形", BD_COL_TEXT, 10, false },
	{ "第一条", BD_COL_TEXT, 40, false },
	{ "第二条", BD_COL_TEXT, 40, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

static void describe(bd_flag *f, const char *kind, const bd_rollrow *a, const bd_rollrow *b)
{
	bd_ev(f, "情形", "%s", kind);
	bd_ev(f, "第一条", "%s（%s，家庭编号 %s，%s 第 %u 行）", bd_prog_name(a->prog), a->township,
	      a->household_id[0] ? a->household_id : "按户主", a->section_name, a->row);
	bd_ev(f, "第二条", "%s（%s，家庭编号 %s，%s 第 %u 行）", bd_prog_name(b->prog), b->township,
	      b->household_id[0] ? b->household_id : "按户主", b->section_name, b->row);
}

bd_err bd_rule_c05(bd_ruleenv *env, const uint8_t *hid)
{
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *rows = &env->roll->rows[first];
	bd_err e = BD_OK;
	/* duplicates of one programme */
	for (size_t i = 0; i < n && !e; i++) {
		bool seen_before = false;
		for (size_t k = 0; k < i; k++)
			seen_before = seen_before || rows[k].prog == rows[i].prog;
		if (seen_before)
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (rows[j].prog == rows[i].prog) {
				bd_flag f;
				bd_flag_from_roll(&f, "C05", &rows[i]);
				snprintf(f.evkey, sizeof(f.evkey), "%s", bd_prog_code(rows[i].prog));
				describe(&f, "重复享受", &rows[i], &rows[j]);
				e = bd_flags_add(env->out, &f);
				break;
			}
	}
	/* exclusive pairs */
	const char *p = env->params[0];
	while (*p && !e) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t len = strcspn(p, ",");
		char pair[64];
		snprintf(pair, sizeof(pair), "%.*s", (int)len, p);
		p += len;
		char *plus = strchr(pair, '+');
		if (!plus)
			return bd_fail(BD_ERR_CONFIG, "[rule C05] exclusive_pairs: 组合应写成 A+B: %s", pair);
		*plus = '\0';
		char *a = pair, *b = plus + 1;
		while (*b == ' ')
			b++;
		for (char *t = a + strlen(a); t > a && t[-1] == ' ';)
			*--t = '\0';
		for (char *t = b + strlen(b); t > b && t[-1] == ' ';)
			*--t = '\0';
		bd_prog pa = bd_prog_from_code(a, strlen(a)), pb = bd_prog_from_code(b, strlen(b));
		if (!pa || !pb)
			return bd_fail(BD_ERR_CONFIG, "[rule C05] exclusive_pairs: 未知的项目代码 %s+%s", a, b);
		const bd_rollrow *ra = NULL, *rb = NULL;
		for (size_t i = 0; i < n; i++) {
			if (!ra && rows[i].prog == pa)
				ra = &rows[i];
			if (!rb && rows[i].prog == pb)
				rb = &rows[i];
		}
		if (!ra || !rb)
			continue;
		bd_flag f;
		bd_flag_from_roll(&f, "C05", ra);
		snprintf(f.evkey, sizeof(f.evkey), "%s+%s", bd_prog_code(pa), bd_prog_code(pb));
		describe(&f, "冲突享受", ra, rb);
		e = bd_flags_add(env->out, &f);
	}
	return e;
}
