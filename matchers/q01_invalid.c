/* Q01 身份证号无效: every roll row whose ID is invalid. Where exactly one
 * registry person matches (same first 15 digits and name for an Excel-15
 * ID; same first 14 characters and name for another invalid ID whose
 * first 14 are digits with a valid date; never scientific notation) the row
 * is recovered: the person is suggested (masked) and all rules ran on it. */
#include "matchers.h"
#include "bd/idnum.h"

#include <stdio.h>

const bd_param bd_params_q01[] = { { 0 } };

const bd_evcol bd_cols_q01[] = {
	{ "问题", BD_COL_TEXT, 30, false },
	{ "名册号码", BD_COL_TEXT, 20, false },
	{ "修复结果", BD_COL_TEXT, 40, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0x1f) * 1099511628211ull;
}

/*
 * A bad row's identity across quarters: its file section and what the row
 * says (household, name, the ID as written, masked), never its position,
 * which changes with every export's order. Two rows saying the same are one
 * flag.
 */
static void row_identity(const bd_rollrow *r, char *out, size_t size)
{
	char id[sizeof(r->idmask)];
	snprintf(id, sizeof(id), "%s", r->idmask);
	bd_id_remask(id, sizeof(id)); /* the same key whether or not full IDs are shown */
	uint64_t h = fnv(fnv(fnv(1469598103934665603ull, r->household_id), r->name), id);
	snprintf(out, size, "%.40s:%016llx", r->section_name, (unsigned long long)h);
}

bd_err bd_rule_q01(bd_ruleenv *env, const uint8_t *subject)
{
	(void)subject;
	bd_err e = BD_OK;
	for (size_t i = 0; i < env->roll->nbad && !e; i++) {
		const bd_badrow *b = &env->roll->bad[i];
		bd_flag f;
		bd_flag_from_roll(&f, "Q01", &b->row);
		f.has_subject = b->recovered;
		f.severity = BD_SEV_LOW;
		row_identity(&b->row, f.evkey, sizeof(f.evkey));
		const char *why = bd_id_detail((bd_id_status)b->idstatus);
		bd_ev(&f, "问题", "%s", why);
		bd_ev(&f, "名册号码", "%s", b->row.idmask);
		if (b->recovered)
			bd_ev(&f, "修复结果", "号码已修复：户籍库中唯一匹配 %s %s，其余规则已按此人比对",
			      b->cand_name, b->cand_mask);
		else if (b->tried && b->candidates > 1)
			bd_ev(&f, "修复结果", "户籍库中有 %zu 个可能的人员，无法确定，请核对原始证件",
			      b->candidates);
		else
			bd_ev(&f, "修复结果", "%s",
			      b->tried ? "户籍库中找不到可能的人员，请核对原始证件" : "无法自动修复，请核对原始证件");
		e = bd_flags_add(env->out, &f);
	}
	return e;
}
