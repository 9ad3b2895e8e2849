/* schema.c - dataset fields, default aliases and header mapping. */
#include "bd/schema.h"
#include "bd/normal.h"

#include <stdlib.h>
#include <string.h>

#define IDMASK_ALIASES "身份证号(脱敏)|身份证号码(脱敏)|公民身份号码(脱敏)|证件号码(脱敏)"

static const bd_field person_fields[] = {
	{ "id", "公民身份号码|身份证号码|身份证号" },
	{ "name", "姓名" },
	{ "sex", "性别" },
	{ "birth_date", "出生日期" },
	{ "hukou_id", "户号|户编号" },
	{ "relation", "与户主关系|和户主关系" },
	{ "region_code", "户籍地行政区划|行政区划代码|户籍地区划|户籍区划" },
	{ "status", "人员状态|户口状态|人口状态" },
	{ "status_date", "变动日期|注销日期" },
	{ "death_date", "死亡日期" },
	{ "move_date", "迁出日期" },
	{ "father_id", "父亲公民身份号码|父亲身份证号" },
	{ "mother_id", "母亲公民身份号码|母亲身份证号" },
	{ "spouse_id", "配偶公民身份号码|配偶身份证号" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field vehicle_fields[] = {
	{ "owner_id", "所有人身份证明号码|车主身份证明号码|身份证明号码|车主身份证号|身份证号码" },
	{ "owner_id_kind", "身份证明名称" },
	{ "plate", "号牌号码|车牌号" },
	{ "vehicle_type", "车辆类型|号牌种类" },
	{ "reg_date", "初次登记日期|登记日期" },
	{ "status", "机动车状态|状态" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field custody_fields[] = {
	{ "id", "身份证号码|公民身份号码|证件号" },
	{ "name", "姓名" },
	{ "custody_type", "羁押类型|类型" },
	{ "start_date", "入所日期|收押日期|入所时间" },
	{ "end_date", "出所日期|出所时间|刑满日期" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field cert_fields[] = {
	{ "cert_no", "残疾人证号|残疾证号|残疾证编号|残疾证号码" },
	{ "id", "身份证号码|公民身份号码" },
	{ "name", "姓名" },
	{ "category", "残疾类别" },
	{ "grade", "残疾等级" },
	{ "category_grade", "残疾类别等级" },
	{ "issue_date", "发证日期" },
	{ "valid_until", "有效期至" },
	{ "status", "证件状态" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field death_fields[] = {
	{ "id", "身份证号码|公民身份号码|死者身份证号" },
	{ "name", "姓名|死者姓名" },
	{ "death_date", "死亡日期|死亡时间" },
	{ "cause", "根本死因|根本死亡原因|死亡原因" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field illness_fields[] = {
	{ "id", "身份证号码|公民身份号码" },
	{ "name", "姓名" },
	{ "year", "年度" },
	{ "settle_date", "结算时间|结算日期|出院日期" },
	{ "major", "重特大疾病" },
	{ "diagnosis", "病种|诊断" },
	{ "total_cost", "医疗总费用|医疗费总额" },
	{ "burden", "个人负担总金额|个人负担金额" },
	{ "copay", "个人自付|自付金额|个人自付金额" },
	{ "uncovered", "个人自费|全自费金额|个人自费金额" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field cremation_fields[] = {
	{ "id", "身份证号码|逝者身份证号|身份证号|证件号码|逝者证件号" },
	{ "name", "姓名|逝者姓名" },
	{ "death_date", "死亡日期|死亡时间" },
	{ "cremation_date", "火化日期|火化时间" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field cadre_fields[] = {
	{ "id", "身份证号码|身份证号|公民身份号码" },
	{ "name", "姓名" },
	{ "role", "职务|岗位" },
	{ "township", "乡镇(街道)|乡镇|街道" },
	{ "village", "村(社区)|村居|社区" },
	{ "id_masked", IDMASK_ALIASES },
};
static const bd_field roll_fields[] = {
	{ "programme", "保障类别|救助类别|救助类型|项目|保障类型|人员类型" },
	{ "household_id", "家庭编号|户编号|户编码|救助证号|救助证编号|低保证号|特困证号|低保(特困)证号" },
	{ "head_id", "户主身份证号|户主身份证号码" },
	{ "id", "身份证号码|身份证号|公民身份号码|证件号码" },
	{ "name", "姓名|成员姓名|老人姓名" },
	{ "relation", "与户主关系|与申请人关系" },
	{ "township", "乡镇(街道)|乡镇|街道|乡镇街道|所属街道|所属乡镇(街道)" },
	{ "village", "村(社区)|村居|社区|村委会|所属社区|所属村(社区)" },
	{ "monthly_amount", "月保障金额|保障金额|月救助金|发放金额|救助金额|个人月保障金额" },
	{ "household_amount", "户月保障金额|户月金额" },
	{ "start_month", "起始年月|享受起始时间|批准时间|最初享受月份|最初享受月|纳入月份|救助开始日期" },
	{ "filed", "近亲属备案|是否备案" },
	{ "id_masked", IDMASK_ALIASES },
};

#define SCHEMA(n, f) { n, f, (int)BD_ARRAY_LEN(f) }
const bd_schema bd_schemas[BD_DS_MAX] = {
	SCHEMA("ga.person", person_fields),
	SCHEMA("ga.vehicle", vehicle_fields),
	SCHEMA("ga.custody", custody_fields),
	SCHEMA("cl.cert", cert_fields),
	SCHEMA("wj.death", death_fields),
	SCHEMA("wj.illness", illness_fields),
	SCHEMA("mz.cremation", cremation_fields),
	SCHEMA("mz.cadre", cadre_fields),
	SCHEMA("mz.roll", roll_fields),
};

int bd_schema_field(const bd_schema *s, const char *name)
{
	for (int i = 0; i < s->nfields; i++)
		if (!strcmp(s->fields[i].name, name))
			return i;
	return -1;
}

/* Does normalised header h equal one of the aliases in list (separated by
 * sep)? Aliases are normalised the same way before comparing. */
static bool alias_match(const char *h, const char *list, char sep)
{
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char norm[256];
		bd_header_normalise(p, n, norm, sizeof(norm));
		if (norm[0] && !strcmp(norm, h))
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

bd_err bd_colmap_build(bd_ds ds, const bd_section *sec, const bd_row *hdr, bd_colmap *m)
{
	const bd_schema *s = &bd_schemas[ds];
	for (int i = 0; i < BD_MAX_FIELDS; i++)
		m->col[i] = -1;
	for (size_t k = 0; sec && k < sec->nalias; k++)
		if (bd_schema_field(s, sec->alias[k].key) < 0)
			return bd_fail(BD_ERR_CONFIG, "[dataset %s] alias.%s: 数据集 %s 没有字段 %s",
				       sec->name, sec->alias[k].key, s->name, sec->alias[k].key);
	bool taken[BD_CSV_COLS_MAX] = { false };
	/* explicit positions first */
	for (size_t k = 0; sec && k < sec->ncolumn; k++) {
		int f = bd_schema_field(s, sec->column[k].key);
		if (f < 0)
			return bd_fail(BD_ERR_CONFIG, "[dataset %s] column.%s: 数据集 %s 没有字段 %s",
				       sec->name, sec->column[k].key, s->name, sec->column[k].key);
		char *end;
		long c = strtol(sec->column[k].value, &end, 10);
		if (*end || c < 1 || c > BD_CSV_COLS_MAX)
			return bd_fail(BD_ERR_CONFIG, "[dataset %s] column.%s = %s: 应为列序号 (1 起)",
				       sec->name, sec->column[k].key, sec->column[k].value);
		m->col[f] = (int)c - 1;
		taken[c - 1] = true;
	}
	for (uint32_t c = 0; c < hdr->ncell && c < BD_CSV_COLS_MAX; c++) {
		if (taken[c])
			continue;
		char h[256];
		bd_header_normalise(hdr->cells[c].s, hdr->cells[c].n, h, sizeof(h));
		if (!h[0])
			continue;
		for (int f = 0; f < s->nfields; f++) {
			if (m->col[f] >= 0)
				continue;
			bool hit = alias_match(h, s->fields[f].aliases, '|');
			for (size_t k = 0; !hit && sec && k < sec->nalias; k++)
				if (!strcmp(sec->alias[k].key, s->fields[f].name)) {
					hit = alias_match(h, sec->alias[k].value, ',');
				}
			if (hit) {
				m->col[f] = (int)c;
				taken[c] = true;
				break;
			}
		}
	}
	return BD_OK;
}

static void need(bd_buf *out, int *count, const bd_schema *s, int f)
{
	const char *a = s->fields[f].aliases;
	const char *bar = strchr(a, '|');
	size_t n = bar ? (size_t)(bar - a) : strlen(a);
	bd_buf_addf(out, "%s%.*s (%s)", *count ? "、" : "", (int)n, a, s->fields[f].name);
	(*count)++;
}

static void need_one_of(bd_buf *out, int *count, const bd_schema *s, int f1, int f2)
{
	need(out, count, s, f1);
	bd_buf_addstr(out, " 或 ");
	int dummy = 0;
	need(out, &dummy, s, f2);
}

int bd_colmap_missing(bd_ds ds, const bd_section *sec, const bd_colmap *m, bd_buf *out)
{
	const bd_schema *s = &bd_schemas[ds];
	int count = 0;
	const int *c = m->col;
#define REQ(f) do { if (c[f] < 0) need(out, &count, s, f); } while (0)
	switch (ds) {
	case BD_DS_PERSON:
		REQ(BD_F_P_ID); REQ(BD_F_P_NAME); REQ(BD_F_P_HUKOU); REQ(BD_F_P_REGION);
		REQ(BD_F_P_STATUS);
		break;
	case BD_DS_VEHICLE:
		REQ(BD_F_V_OWNER); REQ(BD_F_V_PLATE); REQ(BD_F_V_TYPE); REQ(BD_F_V_STATUS);
		break;
	case BD_DS_CUSTODY:
		REQ(BD_F_CU_ID); REQ(BD_F_CU_NAME);
		if (!sec || !sec->custody_type)
			REQ(BD_F_CU_TYPE);
		REQ(BD_F_CU_START);
		break;
	case BD_DS_CERT:
		if (c[BD_F_CE_ID] < 0 && c[BD_F_CE_CERTNO] < 0)
			need_one_of(out, &count, s, BD_F_CE_ID, BD_F_CE_CERTNO);
		REQ(BD_F_CE_NAME);
		if (c[BD_F_CE_CATGRADE] < 0) {
			REQ(BD_F_CE_CATEGORY);
			REQ(BD_F_CE_GRADE);
		}
		REQ(BD_F_CE_STATUS);
		break;
	case BD_DS_DEATH:
		REQ(BD_F_D_ID); REQ(BD_F_D_NAME); REQ(BD_F_D_DATE);
		break;
	case BD_DS_ILLNESS:
		REQ(BD_F_I_ID); REQ(BD_F_I_NAME);
		if (c[BD_F_I_YEAR] < 0 && c[BD_F_I_SETTLE] < 0)
			need_one_of(out, &count, s, BD_F_I_YEAR, BD_F_I_SETTLE);
		if (c[BD_F_I_BURDEN] < 0 && c[BD_F_I_COPAY] < 0 && c[BD_F_I_UNCOVERED] < 0) {
			need_one_of(out, &count, s, BD_F_I_BURDEN, BD_F_I_COPAY);
			bd_buf_addstr(out, " 或 个人自费 (uncovered)");
		}
		break;
	case BD_DS_CREMATION:
		REQ(BD_F_CR_ID); REQ(BD_F_CR_NAME);
		break;
	case BD_DS_CADRE:
		REQ(BD_F_CA_ID); REQ(BD_F_CA_NAME); REQ(BD_F_CA_ROLE); REQ(BD_F_CA_TOWNSHIP);
		break;
	case BD_DS_ROLL:
		if (!sec || !sec->programme)
			REQ(BD_F_R_PROG);
		if (c[BD_F_R_HOUSEHOLD] < 0 && c[BD_F_R_HEAD] < 0)
			need_one_of(out, &count, s, BD_F_R_HOUSEHOLD, BD_F_R_HEAD);
		REQ(BD_F_R_ID); REQ(BD_F_R_NAME); REQ(BD_F_R_TOWNSHIP); REQ(BD_F_R_VILLAGE);
		break;
	case BD_DS_MAX:
		break;
	}
#undef REQ
	return count;
}
