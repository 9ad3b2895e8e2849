/* registry.c - the one table of rules. Adding a rule: its file, a line
 * here, its tests. */
#include "matchers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D(ds) BD_NEEDS(BD_DS_##ds)

#define RULE(ID, FAM, NAME, NEEDS, SUBJ, OVER, FN)                                          \
	{ .id = ID, .family = FAM, .name = NAME, .needs = NEEDS, .subject = SUBJ, .over = OVER, \
	  .params = bd_params_##FN, .cols = bd_cols_##FN, .run = bd_rule_##FN }

const bd_matcher bd_matchers[] = {
	RULE("C01", BD_FAM_C, "死亡人员仍在保", D(ROLL), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c01),
	RULE("C02", BD_FAM_C, "保障家庭拥有机动车", D(ROLL) | D(VEHICLE), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c02),
	RULE("C03", BD_FAM_C, "户籍迁出或不在辖区", D(ROLL) | D(PERSON), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c03),
	RULE("C04", BD_FAM_C, "在押服刑仍在保", D(ROLL) | D(CUSTODY), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c04),
	RULE("C05", BD_FAM_C, "重复或冲突享受", D(ROLL), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c05),
	RULE("C06", BD_FAM_C, "残疾人补贴资格不符", D(ROLL) | D(CERT), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c06),
	RULE("C07", BD_FAM_C, "高龄津贴年龄不符", D(ROLL), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, c07),
	RULE("L01", BD_FAM_L, "低保家庭残疾人未享受生活补贴", D(ROLL) | D(CERT), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, l01),
	RULE("L02", BD_FAM_L, "重度残疾人未享受护理补贴", D(ROLL) | D(CERT) | D(PERSON),
	     BD_SUBJ_KEYS, BD_DS_CERT, l02),
	RULE("L03", BD_FAM_L, "低保边缘家庭重残重病成员单独施保候选", D(ROLL) | D(CERT) | D(ILLNESS),
	     BD_SUBJ_ROLLPERSON,
	     BD_DS_ROLL, l03),
	RULE("L04", BD_FAM_L, "特困供养候选", D(ROLL) | D(PERSON) | D(CUSTODY) | D(CERT),
	     BD_SUBJ_ROLLPERSON, BD_DS_ROLL, l04),
	{ .id = "L05", .family = BD_FAM_L, .name = "孤儿或事实无人抚养儿童候选",
	  .needs = D(ROLL) | D(PERSON) | D(CUSTODY) | D(CERT) | D(ILLNESS), .subject = BD_SUBJ_KEYS,
	  .over = BD_DS_PERSON, .params = bd_params_l05, .cols = bd_cols_l05, .run = bd_rule_l05,
	  .candidate = bd_cand_l05, .prepare = bd_prep_l05, .release = bd_hidset_free },
	RULE("L06", BD_FAM_L, "支出型困难家庭候选", D(ROLL) | D(ILLNESS) | D(PERSON),
	     BD_SUBJ_KEYS, BD_DS_ILLNESS, l06),
	{ .id = "R01", .family = BD_FAM_R, .name = "干部近亲属享受未备案",
	  .needs = D(ROLL) | D(CADRE) | D(PERSON), .subject = BD_SUBJ_ROLLPERSON, .over = BD_DS_ROLL,
	  .params = bd_params_r01, .cols = bd_cols_r01, .run = bd_rule_r01, .prepare = bd_prep_r01,
	  .release = bd_hidset_free },
	RULE("R02", BD_FAM_R, "村级保障率异常", D(ROLL) | D(PERSON), BD_SUBJ_ONCE, BD_DS_PERSON, r02),
	RULE("Q01", BD_FAM_Q, "身份证号无效", D(ROLL), BD_SUBJ_ONCE, BD_DS_ROLL, q01),
	RULE("Q02", BD_FAM_Q, "户籍库查无此人", D(ROLL) | D(PERSON), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, q02),
	RULE("Q03", BD_FAM_Q, "姓名不一致", D(ROLL) | D(PERSON), BD_SUBJ_ROLLPERSON, BD_DS_ROLL, q03),
};
const size_t bd_nmatchers = BD_ARRAY_LEN(bd_matchers);

const char *bd_fmt_date(int32_t ymd, char out[16])
{
	if (!ymd)
		snprintf(out, 16, "不详");
	else
		snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	return out;
}

bd_err bd_prog_set(const char *list, unsigned *set)
{
	*set = 0;
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '+')
			p++;
		size_t n = strcspn(p, " ,+");
		if (!n)
			break;
		bd_prog g = bd_prog_from_code(p, n);
		if (g == BD_PROG_NONE)
			return bd_fail(BD_ERR_CONFIG, "未知的保障项目代码 %.*s（可用 DIBAO TEKUN BIANYUAN "
				       "GUER SHISHI CJ_HULI CJ_SHENGHUO GAOLING）", (int)n, p);
		*set |= 1u << g;
		p += n;
	}
	return BD_OK;
}

const char *bd_death_sources(unsigned sources, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s%s%s", sources & BD_SRC_GA ? "公安户籍" : "",
		 (sources & BD_SRC_GA) && (sources & (BD_SRC_WJ | BD_SRC_MZ)) ? "、" : "",
		 sources & BD_SRC_WJ ? "卫健死亡证明" : "",
		 (sources & BD_SRC_WJ) && (sources & BD_SRC_MZ) ? "、" : "",
		 sources & BD_SRC_MZ ? "民政火化记录" : "");
	return out;
}

bd_err bd_cert_describe(bd_view *v, int32_t as_of, const uint8_t hid[32], char *out, size_t n)
{
	const bd_rec *c;
	size_t nc;
	bd_err e = bd_view_records(v, BD_DS_CERT, hid, &c, &nc);
	if (e)
		return e;
	const bd_rec *best = NULL;
	bool best_valid = false;
	for (size_t i = 0; i < nc; i++) {
		int32_t until = (int32_t)c[i].num[BD_CE_VALID_UNTIL];
		bool valid = c[i].num[BD_CE_STATUS] == BD_CS_VALID && (!until || until >= as_of);
		if (!best || (valid && !best_valid) ||
		    (valid == best_valid && c[i].num[BD_CE_ISSUE] > best->num[BD_CE_ISSUE])) {
			best = &c[i];
			best_valid = valid;
		}
	}
	if (!best) {
		snprintf(out, n, "查无残疾人证");
		return BD_OK;
	}
	char d[16];
	int32_t until = (int32_t)best->num[BD_CE_VALID_UNTIL];
	int len = snprintf(out, n, "%s残疾%s，有效期至 %s", bd_dis_category_name((int)best->num[BD_CE_CATEGORY]),
			   bd_dis_grade_name((int)best->num[BD_CE_GRADE]), until ? bd_fmt_date(until, d) : "长期");
	if (len < 0 || (size_t)len >= n || best_valid)
		return BD_OK;
	if (best->num[BD_CE_STATUS] != BD_CS_VALID)
		snprintf(out + len, n - (size_t)len, "，证件状态 %s", bd_cstatus_name((bd_cstatus)best->num[BD_CE_STATUS]));
	else
		snprintf(out + len, n - (size_t)len, "，已过期");
	return BD_OK;
}

const char *bd_prog_names(const char *list, char *out, size_t n)
{
	unsigned set;
	if (bd_prog_set(list, &set)) {
		bd_clear_error();
		snprintf(out, n, "%s", list);
		return out;
	}
	size_t len = 0;
	out[0] = '\0';
	for (int p = 1; p < BD_PROG_MAX && len < n; p++)
		if (set & (1u << p))
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "、" : "", bd_prog_name((bd_prog)p));
	return out;
}

bd_hidset *bd_hidset_new(void)
{
	return calloc(1, sizeof(bd_hidset));
}

void bd_hidset_free(void *p)
{
	bd_hidset *s = p;
	if (s)
		free(s->h);
	free(s);
}

bd_err bd_hidset_add(bd_hidset *s, const uint8_t h[32])
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		uint8_t (*n)[32] = realloc(s->h, cap * 32);
		if (!n)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		s->h = n;
		s->cap = cap;
	}
	memcpy(s->h[s->n++], h, 32);
	return BD_OK;
}

static int hid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

void bd_hidset_seal(bd_hidset *s)
{
	if (s->n > 1)
		qsort(s->h, s->n, 32, hid_cmp);
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!w || memcmp(s->h[w - 1], s->h[i], 32))
			memmove(s->h[w++], s->h[i], 32);
	s->n = w;
}

bool bd_hidset_has(const bd_hidset *s, const uint8_t h[32])
{
	return s->n && bsearch(h, s->h, s->n, 32, hid_cmp) != NULL;
}
