/* account.c - reason codes and per-file row accounting. */
#include "bd/account.h"
#include "bd/json.h"

const char *bd_reason_code(bd_reason r)
{
	switch (r) {
	case BD_RJ_ID_INVALID: return "id_invalid";
	case BD_RJ_EXCEL_MANGLED: return "excel_mangled";
	case BD_RJ_REQUIRED_EMPTY: return "required_empty";
	case BD_RJ_DATE_INVALID: return "date_invalid";
	case BD_RJ_DATE_MISSING: return "date_missing";
	case BD_RJ_CODE_INVALID: return "code_invalid";
	case BD_RJ_MONEY_INVALID: return "money_invalid";
	case BD_RJ_CELL_UNREADABLE: return "cell_unreadable";
	case BD_RJ_MAX: break;
	}
	return "unknown";
}

const char *bd_reason_zh(bd_reason r)
{
	switch (r) {
	case BD_RJ_ID_INVALID: return "身份证号码无效（长度、字符、出生日期或校验位不对）";
	case BD_RJ_EXCEL_MANGLED: return "身份证号码被 Excel 当作数字损坏（末三位变 000 或科学计数法）";
	case BD_RJ_REQUIRED_EMPTY: return "必填项为空";
	case BD_RJ_DATE_INVALID: return "日期无法识别";
	case BD_RJ_DATE_MISSING: return "死亡日期和火化日期都为空";
	case BD_RJ_CODE_INVALID: return "代码或取值无法识别（如残疾类别、等级、证件状态、人员状态）";
	case BD_RJ_MONEY_INVALID: return "金额无法识别";
	case BD_RJ_CELL_UNREADABLE: return "单元格的值无法读取（文件损坏）";
	case BD_RJ_MAX: break;
	}
	return "未知原因";
}

const char *bd_skip_code(bd_skip s)
{
	switch (s) {
	case BD_SK_PREAMBLE: return "preamble";
	case BD_SK_BLANK: return "blank";
	case BD_SK_FOOTER: return "footer";
	case BD_SK_OWNER_NOT_PERSON: return "owner_not_person";
	case BD_SK_MAX: break;
	}
	return "unknown";
}

const char *bd_skip_zh(bd_skip s)
{
	switch (s) {
	case BD_SK_PREAMBLE: return "表头以上的标题行";
	case BD_SK_BLANK: return "空行";
	case BD_SK_FOOTER: return "合计、制表人等表尾行";
	case BD_SK_OWNER_NOT_PERSON: return "单位所有的车辆";
	case BD_SK_MAX: break;
	}
	return "未知";
}

const char *bd_warn_code(bd_warn w)
{
	switch (w) {
	case BD_WN_CERT_NO_MISMATCH: return "cert_no_mismatch";
	case BD_WN_LINK_ID_INVALID: return "link_id_invalid";
	case BD_WN_OPTIONAL_INVALID: return "optional_invalid";
	case BD_WN_TRUNCATED: return "field_truncated";
	case BD_WN_ID_UPGRADED15: return "id_upgraded15";
	case BD_WN_MAX: break;
	}
	return "unknown";
}

const char *bd_warn_zh(bd_warn w)
{
	switch (w) {
	case BD_WN_CERT_NO_MISMATCH: return "残疾人证号中的类别或等级与类别、等级列不一致（以列为准）";
	case BD_WN_LINK_ID_INVALID: return "父亲、母亲、配偶或户主身份证号无效，该关联未建立";
	case BD_WN_OPTIONAL_INVALID: return "选填项无法识别，按空值处理";
	case BD_WN_TRUNCATED: return "显示字段过长被截断";
	case BD_WN_ID_UPGRADED15: return "15 位身份证号已升位为 18 位";
	case BD_WN_MAX: break;
	}
	return "未知";
}

void bd_account_add(bd_account *into, const bd_account *from)
{
	into->read += from->read;
	into->accepted += from->accepted;
	for (int i = 0; i < BD_RJ_MAX; i++)
		into->rejected[i] += from->rejected[i];
	for (int i = 0; i < BD_SK_MAX; i++)
		into->skipped[i] += from->skipped[i];
	for (int i = 0; i < BD_WN_MAX; i++)
		into->warnings[i] += from->warnings[i];
}

uint64_t bd_account_rejected(const bd_account *a)
{
	uint64_t n = 0;
	for (int i = 0; i < BD_RJ_MAX; i++)
		n += a->rejected[i];
	return n;
}

bool bd_account_balanced(const bd_account *a)
{
	return a->read == a->accepted + bd_account_rejected(a) +
			  a->skipped[BD_SK_OWNER_NOT_PERSON];
}

json_t *bd_account_json(const bd_account *a)
{
	json_t *o = json_object(), *rj = json_object(), *sk = json_object(), *wn = json_object();
	bool ok = o && rj && sk && wn && bd_json_put(o, "read", json_integer((json_int_t)a->read)) &&
		  bd_json_put(o, "accepted", json_integer((json_int_t)a->accepted)) &&
		  bd_json_put(o, "rejected_total", json_integer((json_int_t)bd_account_rejected(a)));
	for (int i = 0; ok && i < BD_RJ_MAX; i++)
		if (a->rejected[i])
			ok = bd_json_put(rj, bd_reason_code((bd_reason)i), json_integer((json_int_t)a->rejected[i]));
	for (int i = 0; ok && i < BD_SK_MAX; i++)
		if (a->skipped[i])
			ok = bd_json_put(sk, bd_skip_code((bd_skip)i), json_integer((json_int_t)a->skipped[i]));
	for (int i = 0; ok && i < BD_WN_MAX; i++)
		if (a->warnings[i])
			ok = bd_json_put(wn, bd_warn_code((bd_warn)i), json_integer((json_int_t)a->warnings[i]));
	/* each put takes its value's reference, made or not */
	ok = bd_json_put(o, "rejected", rj) && ok;
	ok = bd_json_put(o, "skipped", sk) && ok;
	ok = bd_json_put(o, "warnings", wn) && ok;
	if (ok)
		return o;
	json_decref(o);
	return NULL;
}
