/* C02 保障家庭拥有机动车: a member of a roll household on DIBAO or TEKUN (its
 * roll persons, whatever their programme, and their spouses) owns a
 * registered vehicle of a type that is not exempt. Subject: the owner;
 * evidence key: the plate. */
#include "matchers.h"

#include <stdio.h>
#include <string.h>

const bd_param bd_params_c02[] = {
	{ "exempt_types", "摩托, 残疾人, 低速, 三轮汽车", "车辆类型含这些词的不算（逗号分隔）", BD_VT_TEXTS, 0, 64 },
	{ "programmes", "DIBAO, TEKUN", "家庭享受这些项目时检查", BD_VT_PROGS, 1, 8 },
	{ 0 },
};

const bd_evcol bd_cols_c02[] = {
	{ "车主", BD_COL_TEXT, 22, false },
	{ "号牌号码", BD_COL_TEXT, 12, false },
	{ "车辆类型", BD_COL_TEXT, 18, false },
	{ "初次登记日期", BD_COL_DATE, 12, false },
	{ "车辆状态", BD_COL_TEXT, 10, false },
	{ NULL, BD_COL_TEXT, 0, false },
};

static bool exempt(const bd_str *type, const char *list)
{
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n && p[n - 1] == ' ')
			n--;
		for (size_t i = 0; n && i + n <= type->n; i++)
			if (!memcmp(type->s + i, p, n))
				return true;
		p += strcspn(p, ",");
	}
	return false;
}

static void mask_plate(const bd_str *plate, char *out, size_t n)
{
	/* first two and last two characters (a plate opens with a Chinese one) */
	size_t chars = 0, starts[32];
	for (size_t i = 0; i < plate->n && chars < 32; i++)
		if (((unsigned char)plate->s[i] & 0xc0) != 0x80)
			starts[chars++] = i;
	if (chars < 5) {
		snprintf(n > 0 ? out : out, n, "***");
		return;
	}
	snprintf(out, n, "%.*s***%.*s", (int)starts[2], plate->s,
		 (int)(plate->n - starts[chars - 2]), plate->s + starts[chars - 2]);
}

/* Flags the registered, non-exempt vehicles of owner. */
static bd_err check_owner(bd_ruleenv *env, const uint8_t owner[32], const bd_rollrow *via,
			  const char *relation)
{
	const bd_rec *v;
	size_t n;
	bd_err e = bd_view_records(env->v, BD_DS_VEHICLE, owner, &v, &n);
	for (size_t i = 0; i < n && !e; i++) {
		if (v[i].num[BD_V_STATUS] != BD_VS_REGISTERED || exempt(&v[i].str[BD_V_TYPE], env->params[0]))
			continue;
		bd_flag f;
		bd_flag_from_roll(&f, "C02", via);
		memcpy(f.subject, owner, 32);
		if (memcmp(owner, via->hid, 32)) {
			const bd_rec *p;
			if ((e = bd_view_person(env->v, owner, &p)))
				break;
			if (p)
				snprintf(f.name, sizeof(f.name), "%.*s", (int)p->str[BD_P_NAME].n, p->str[BD_P_NAME].s);
			snprintf(f.idmask, sizeof(f.idmask), "%.*s", (int)v[i].str[BD_V_IDMASK].n,
				 v[i].str[BD_V_IDMASK].s);
			f.programme = "";
			f.monthly = -1;
		}
		snprintf(f.evkey, sizeof(f.evkey), "%.*s", (int)v[i].str[BD_V_PLATE].n, v[i].str[BD_V_PLATE].s);
		char plate[64], d[16];
		mask_plate(&v[i].str[BD_V_PLATE], plate, sizeof(plate));
		if (via == NULL || !memcmp(owner, via->hid, 32))
			bd_ev(&f, "车主", "本人");
		else
			bd_ev(&f, "车主", "%s（保障对象 %s 的%s）", f.name, via->name, relation);
		bd_ev(&f, "号牌号码", "%s", plate);
		bd_ev(&f, "车辆类型", "%.*s", (int)v[i].str[BD_V_TYPE].n, v[i].str[BD_V_TYPE].s);
		bd_ev(&f, "初次登记日期", "%s", bd_fmt_date((int32_t)v[i].num[BD_V_REG_DATE], d));
		bd_ev(&f, "车辆状态", "%.*s", (int)v[i].str[BD_V_STATUS_TEXT].n, v[i].str[BD_V_STATUS_TEXT].s);
		e = bd_flags_add(env->out, &f);
	}
	return e;
}

bd_err bd_rule_c02(bd_ruleenv *env, const uint8_t *hid)
{
	unsigned progs;
	bd_err e = bd_prog_set(env->params[1], &progs);
	if (e)
		return bd_fail_ctx(e, "[rule C02]");
	size_t n, first = bd_roll_find(env->roll, hid, &n);
	const bd_rollrow *row = NULL;
	for (size_t i = 0; i < n && !row; i++)
		for (int p = 1; p < BD_PROG_MAX && !row; p++)
			if ((progs & (1u << p)) &&
			    bd_roll_household_on(env->roll, env->roll->rows[first + i].household, (bd_prog)p))
				row = &env->roll->rows[first + i];
	if (!row)
		return BD_OK;
	if ((e = check_owner(env, hid, row, "本人")))
		return e;
	/* spouses, whether or not on a roll themselves (the engine writes a
	 * flag reached twice once) */
	bd_hids sp;
	if ((e = bd_view_kin(env->v, hid, BD_KIN_SPOUSE, &sp)))
		return e;
	uint8_t list[8][32];
	size_t ns = sp.n < 8 ? sp.n : 8;
	if (ns)
		memcpy(list, sp.h, ns * 32);
	for (size_t i = 0; i < ns && !e; i++)
		e = check_owner(env, list[i], row, "配偶");
	return e;
}
