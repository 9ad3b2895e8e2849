/* R01 干部近亲属享受未备案: a roll person on DIBAO, TEKUN or BIANYUAN whose
 * household is not filed, who is a cadre, or kin or co-registered with one.
 * The closest tie is reported; the evidence key is that cadre. */
#include "matchers.h"
#include "bd/key.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_r01[] = {
	{ "programmes", "DIBAO, TEKUN, BIANYUAN", "检查这些项目的对象", BD_VT_PROGS, 1, 8 },
	{ 0 },
};

const bd_evcol bd_cols_r01[] = {
	{ "干部姓名", BD_COL_TEXT, 10, false },
	{ "干部职务", BD_COL_TEXT, 14, false },
	{ "干部所在乡镇", BD_COL_TEXT, 14, false },
	{ "干部所在村", BD_COL_TEXT, 18, false },
	{ "关系", BD_COL_TEXT, 10, false },
	{ "另有关联干部", BD_COL_TEXT, 30, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

static const struct tie { bd_kin kind; const char *name; } ties[] = {
	{ BD_KIN_SPOUSE, "配偶" }, { BD_KIN_PARENTS, "父母" }, { BD_KIN_CHILDREN, "子女" },
	{ BD_KIN_SIBLINGS, "兄弟姐妹" }, { BD_KIN_GRANDPARENTS, "祖父母" },
	{ BD_KIN_GRANDCHILDREN, "孙子女" }, { BD_KIN_COREGISTERED, "同户" },
};

/* A family known only by its head's ID: no household_id of its own, shown
 * as 户主 <name> when the head is on the roll. */
static bool head_keyed(const bd_rollrow *r)
{
	return !r->household_id[0] || !strncmp(r->household_id, "户主 ", strlen("户主 "));
}

/*
 * Is r's household filed (RULES.md "Filed household")? Households are
 * unified across files through their heads, so one person heading two
 * households joins them; filing is still judged per household_id: only rows
 * with r's household_id, or head-keyed rows linked to it, can file it.
 */
static bool household_filed(const bd_roll *roll, const bd_rollrow *r)
{
	for (uint32_t k = roll->hh_first[r->household]; k < roll->hh_first[r->household + 1]; k++) {
		const bd_rollrow *o = &roll->rows[roll->hh_rows[k]];
		if (o->filed && (head_keyed(o) || head_keyed(r) || !strcmp(o->household_id, r->household_id)))
			return true;
	}
	return false;
}

static bd_err add_cadre(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)rec;
	bd_hidset *s = ctx;
	return s->n && !memcmp(s->h[s->n - 1], key, 32) ? BD_OK : bd_hidset_add(s, key);
}

/*
 * Everyone a cadre is kin of or co-registered with, and the cadres: each
 * tie is symmetric (a spouse's spouse, a child's parent, a grandchild's
 * grandparent, the same 户号), so a roll person outside this set has no tie
 * to any cadre and needs no kin lookups. Built from the few cadres once.
 */
bd_err bd_prep_r01(bd_ruleenv *env, void **state)
{
	bd_hidset *cadres = bd_hidset_new(), *near = bd_hidset_new();
	bd_err e = cadres && near ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
	if (!e)
		e = bd_view_scan(env->v, BD_DS_CADRE, false, 0, 255, add_cadre, cadres);
	for (size_t c = 0; !e && c < cadres->n; c++) {
		e = bd_hidset_add(near, cadres->h[c]);
		for (size_t t = 0; !e && t < BD_ARRAY_LEN(ties); t++) {
			bd_hids k;
			if ((e = bd_view_kin(env->v, cadres->h[c], ties[t].kind, &k)))
				break;
			for (size_t i = 0; !e && i < k.n; i++)
				e = bd_hidset_add(near, k.h[i]);
		}
	}
	bd_hidset_free(cadres);
	if (e) {
		bd_hidset_free(near);
		return e;
	}
	bd_hidset_seal(near);
	*state = near;
	return BD_OK;
}

bd_err bd_rule_r01(bd_ruleenv *env, const uint8_t *hid)
{
	unsigned set;
	bd_err e = bd_prog_set(env->params[0], &set);
	if (e)
		return bd_fail_ctx(e, "[rule R01]");
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *row = NULL;
	for (size_t i = 0; i < n && !row; i++) {
		const bd_rollrow *r = &env->roll->rows[first + i];
		if ((set & (1u << r->prog)) && !household_filed(env->roll, r))
			row = r;
	}
	if (!row || (env->state && !bd_hidset_has(env->state, hid)))
		return BD_OK;
	const bd_rec *c;
	size_t nc;
	const char *tie = NULL;
	uint8_t cadre[32], seen[16][32];
	size_t nseen = 0;
	bd_buf others = BD_BUF_INIT(2048);
	if (!(e = bd_view_records(env->v, BD_DS_CADRE, hid, &c, &nc)) && nc) {
		tie = "本人";
		memcpy(cadre, hid, 32);
	}
	for (size_t t = 0; !e && t < BD_ARRAY_LEN(ties); t++) {
		bd_hids k;
		if ((e = bd_view_kin(env->v, hid, ties[t].kind, &k)))
			break;
		uint8_t list[16][32];
		size_t nk = k.n < 16 ? k.n : 16;
		if (nk)
			memcpy(list, k.h, nk * 32);
		for (size_t i = 0; !e && i < nk; i++) {
			if ((e = bd_view_records(env->v, BD_DS_CADRE, list[i], &c, &nc)) || !nc)
				continue;
			if (!tie) {
				tie = ties[t].name;
				memcpy(cadre, list[i], 32);
				continue;
			}
			bool dup = !memcmp(cadre, list[i], 32);
			for (size_t s = 0; s < nseen && !dup; s++)
				dup = !memcmp(seen[s], list[i], 32);
			if (!dup) { /* each other cadre once, with the closest tie */
				if (nseen < 16)
					memcpy(seen[nseen++], list[i], 32);
				bd_buf_addf(&others, "%s%s %.*s（%.*s）", others.len ? "、" : "", ties[t].name,
					    (int)c[0].str[BD_CA_NAME].n, c[0].str[BD_CA_NAME].s,
					    (int)c[0].str[BD_CA_ROLE].n, c[0].str[BD_CA_ROLE].s);
			}
		}
	}
	if (!e && tie && !(e = bd_view_records(env->v, BD_DS_CADRE, cadre, &c, &nc)) && nc) {
		bd_flag f;
		bd_flag_from_roll(&f, "R01", row);
		f.severity = BD_SEV_HIGH;
		bd_hex(cadre, 16, f.evkey);
		bd_ev(&f, "干部姓名", "%.*s", (int)c[0].str[BD_CA_NAME].n, c[0].str[BD_CA_NAME].s);
		bd_ev(&f, "干部职务", "%.*s", (int)c[0].str[BD_CA_ROLE].n, c[0].str[BD_CA_ROLE].s);
		bd_ev(&f, "干部所在乡镇", "%.*s", (int)c[0].str[BD_CA_TOWNSHIP].n, c[0].str[BD_CA_TOWNSHIP].s);
		bd_ev(&f, "干部所在村", "%.*s", (int)c[0].str[BD_CA_VILLAGE].n, c[0].str[BD_CA_VILLAGE].s);
		bd_ev(&f, "关系", "%s", tie);
		if (others.len)
			bd_ev(&f, "另有关联干部", "%s", others.data);
		bd_ev(&f, "说明", "家庭未做近亲属备案");
		e = bd_flags_add(env->out, &f);
	}
	bd_buf_release(&others);
	return e;
}
