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

/* 第一条 and 第二条 say what the two rows are; where they sit in the files
 * (名册位置) changes with every export's order, so it is not evidence of
 * the flag (varies: a 不属实 stays suppressed when only the rows moved). */
const bd_evcol bd_cols_c05[] = {
	{ "情形", BD_COL_TEXT, 10, false },
	{ "第一条", BD_COL_TEXT, 40, false },
	{ "第二条", BD_COL_TEXT, 40, false },
	{ "名册位置", BD_COL_TEXT, 30, true },
	{ NULL, BD_COL_TEXT, 0, false },
};

static void describe(bd_flag *f, const char *kind, const bd_rollrow *a, const bd_rollrow *b)
{
	bd_ev(f, "情形", "%s", kind);
	bd_ev(f, "第一条", "%s（%s，家庭编号 %s，%s）", bd_prog_name(a->prog), a->township,
	      a->household_id[0] ? a->household_id : "按户主", a->section_name);
	bd_ev(f, "第二条", "%s（%s，家庭编号 %s，%s）", bd_prog_name(b->prog), b->township,
	      b->household_id[0] ? b->household_id : "按户主", b->section_name);
	bd_ev(f, "名册位置", "%s 第 %u 行、%s 第 %u 行", a->section_name, a->row, b->section_name, b->row);
}

/* Orders a person's rows by what they say, not where they sit, so that the
 * rows a flag names do not change when an export is sorted differently. */
static int content_cmp(const bd_rollrow *a, const bd_rollrow *b)
{
	int c = strcmp(a->section_name, b->section_name);
	if (!c)
		c = strcmp(a->household_id, b->household_id);
	if (!c)
		c = strcmp(a->township, b->township);
	if (!c)
		c = strcmp(a->village, b->village);
	return c ? c : (a->row > b->row) - (a->row < b->row);
}

/* The first of rows[0..n) on programme p by content, not taking skip. */
static const bd_rollrow *first_on(const bd_rollrow *rows, size_t n, bd_prog p, const bd_rollrow *skip)
{
	const bd_rollrow *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (rows[i].prog == p && &rows[i] != skip && (!best || content_cmp(&rows[i], best) < 0))
			best = &rows[i];
	return best;
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
		const bd_rollrow *a = first_on(rows, n, rows[i].prog, NULL);
		const bd_rollrow *b = first_on(rows, n, rows[i].prog, a);
		if (!b)
			continue;
		bd_flag f;
		bd_flag_from_roll(&f, "C05", a);
		snprintf(f.evkey, sizeof(f.evkey), "%s", bd_prog_code(a->prog));
		describe(&f, "重复享受", a, b);
		e = bd_flags_add(env->out, &f);
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
		const bd_rollrow *ra = first_on(rows, n, pa, NULL), *rb = first_on(rows, n, pb, NULL);
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
