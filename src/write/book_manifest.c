/* book_manifest.c - 运行清单, the manifest in Chinese words
 * (book_manifest.h). */
#include "bd/book_manifest.h"
#include "bd/account.h"
#include "bd/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows written so far, and what the rows below belong to. */
typedef struct mrows {
	lxw_worksheet *ws;
	const bd_fmts *F;
	lxw_row_t r;
	char input[96], file[96], rule[128];
} mrows;

/* manifest.json's words in the words of a county supervisor */
static const char *const mwords[][2] = {
	{ "tool", "程序" }, { "version", "程序版本" }, { "period", "期次" }, { "as_of", "核查基准日" },
	{ "roll_month", "名册月份" }, { "jurisdiction", "辖区代码" }, { "key_fingerprint", "密钥指纹" },
	{ "threads", "并行线程数" }, { "show_full_id", "显示完整身份证号" }, { "started_at", "开始时间" },
	{ "finished_at", "结束时间" }, { "flags_total", "提示总数" }, { "dataset", "数据集" },
	{ "ingested_at", "导入时间" }, { "tool_version", "导入时的程序版本" }, { "records", "入库记录数" },
	{ "section", "文件节" }, { "path", "文件" }, { "sha256", "文件校验值（SHA-256）" }, { "format", "格式" },
	{ "encoding", "编码" }, { "header_row", "表头所在行" }, { "read", "读入行数" }, { "accepted", "接收行数" },
	{ "rejected_total", "拒收行数" }, { "id", "规则编号" }, { "name", "规则名称" }, { "family", "类别" },
	{ "status", "运行情况" }, { "flags", "提示条数" }, { "reason", "原因" },
	{ "previous_period", "上期期次" }, { "new", "新增" }, { "persisting", "持续" }, { "resolved", "已消除" },
	{ "not_shown_false_positive", "不属实未再提示" }, { "ran", "已运行" }, { "skipped", "跳过" },
	{ "true", "是" }, { "false", "否" }, { "recipe", "导入配方校验值（文件与设置的 SHA-256）" },
	{ "as_of_from", "导入结果适用的核查基准日（起）" }, { "as_of_to", "导入结果适用的核查基准日（止，0 为不限）" },
};

static const char *mword(const char *w)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(mwords); i++)
		if (!strcmp(mwords[i][0], w))
			return mwords[i][1];
	return w;
}

/* A reason, skip or warning code of the accounting, in Chinese. */
static const char *account_word(const char *kind, const char *code)
{
	for (int k = 0; !strcmp(kind, "rejected") && k < BD_RJ_MAX; k++)
		if (!strcmp(code, bd_reason_code((bd_reason)k)))
			return bd_reason_zh((bd_reason)k);
	for (int k = 0; !strcmp(kind, "skipped") && k < BD_SK_MAX; k++)
		if (!strcmp(code, bd_skip_code((bd_skip)k)))
			return bd_skip_zh((bd_skip)k);
	for (int k = 0; !strcmp(kind, "warnings") && k < BD_WN_MAX; k++)
		if (!strcmp(code, bd_warn_code((bd_warn)k)))
			return bd_warn_zh((bd_warn)k);
	return code;
}

/* One leaf of the manifest as 类别 | 项目 | 内容: the key path
 * (inputs[2].files[1].rows.rejected.id_invalid) becomes the input and file
 * it is about and the item in Chinese. */
static void manifest_row(void *ctx, const char *k, const char *value)
{
	mrows *j = ctx;
	if (j->r >= 1048575)
		return;
	const char *last = strrchr(k, '.');
	last = last ? last + 1 : k;
	char group[256] = "本次比对", item[256];
	bool in_file = strstr(k, ".files[") != NULL, in_rows = strstr(k, ".rows.") != NULL;
	if (!strncmp(k, "inputs[", 7)) {
		if (!strcmp(last, "dataset") && !in_file)
			snprintf(j->input, sizeof(j->input), "%s", value);
		if (!strcmp(last, "section") && in_file)
			snprintf(j->file, sizeof(j->file), "%s", value);
		snprintf(group, sizeof(group), "输入 %s%s", in_file ? j->file : j->input, in_file ? "" : "（合计）");
	} else if (!strncmp(k, "rules[", 6)) {
		if (!strcmp(last, "id"))
			snprintf(j->rule, sizeof(j->rule), "规则 %s", value);
		else if (!strcmp(last, "name") && strlen(j->rule) + strlen(value) + 2 < sizeof(j->rule))
			strcat(strcat(j->rule, " "), value);
		snprintf(group, sizeof(group), "%s", j->rule);
	} else if (!strncmp(k, "lifecycle.", 10)) {
		snprintf(group, sizeof(group), "与上期相比");
	}
	const char *kinds[] = { "rejected", "skipped", "warnings" }, *kind_zh[] = { "拒收", "跳过", "提示" };
	snprintf(item, sizeof(item), "%s", mword(last));
	for (size_t i = 0; in_rows && i < BD_ARRAY_LEN(kinds); i++) {
		char pat[32];
		snprintf(pat, sizeof(pat), ".%s.", kinds[i]);
		if (strstr(k, pat))
			snprintf(item, sizeof(item), "%s：%s", kind_zh[i], account_word(kinds[i], last));
	}
	if (strstr(k, ".params."))
		snprintf(item, sizeof(item), "参数 %s", last);
	if (!strcmp(last, "path") && strrchr(value, '/'))
		value = strrchr(value, '/') + 1;
	/* one line in a cell */
	char *clean = strpbrk(value, "\n\r\t") ? strdup(value) : NULL;
	for (char *c = clean; c && *c; c++)
		*c = (unsigned char)*c < 0x20 ? ' ' : *c;
	worksheet_write_string(j->ws, j->r, 0, group, j->F->text);
	worksheet_write_string(j->ws, j->r, 1, item, j->F->text);
	worksheet_write_string(j->ws, j->r++, 2, mword(clean ? clean : value), j->F->text);
	free(clean);
}

void bd_book_manifest_sheet(lxw_workbook *wb, const bd_fmts *F, const char *path)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "运行清单");
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 2, 50, NULL);
	worksheet_write_string(ws, 0, 0, "类别", F->head);
	worksheet_write_string(ws, 0, 1, "项目", F->head);
	worksheet_write_string(ws, 0, 2, "内容", F->head);
	mrows j = { .ws = ws, .F = F, .r = 1 };
	bd_manifest m;
	bd_err e = bd_manifest_read(path, &m);
	if (!e)
		e = bd_manifest_leaves(&m, manifest_row, &j);
	bd_manifest_release(&m);
	if (e) {
		bd_clear_error();
		worksheet_write_string(ws, j.r, 0, "（manifest.json 缺失或无法读取，请看输出目录中的原文件）", F->nowrap);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, j.r > 1 ? j.r - 1 : 1, 2);
	worksheet_hide(ws);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}
