/* book_summary.c - the county's summary workbook (book_summary.h). */
#include "bd/book_summary.h"
#include "bd/account.h"
#include "bd/book.h"
#include "bd/csv.h"
#include "bd/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double money(const char *s)
{
	return s[0] ? atof(s) : 0;
}

static void write_row_strings(lxw_worksheet *ws, lxw_row_t r, const char *const *cells, int n,
			      lxw_format *f)
{
	for (int c = 0; c < n; c++)
		worksheet_write_string(ws, r, (lxw_col_t)c, cells[c], f);
}

static int lifetown_cmp(const void *a, const void *b)
{
	return bd_town_cmp(((const bd_lifetown *)a)->town, ((const bd_lifetown *)b)->town);
}

#define OVERPAID_HEAD "死亡后多发金额(元，C01)"

/* 汇总: township x family counts, overpayment, lifecycle (新增, 持续 from
 * flags.csv; 已消除, 不属实 from lifecycle.csv), two native charts. */
static void summary_sheet(lxw_workbook *wb, const bd_fmts *F, const bd_config *cfg, const bd_flagline *v,
			  size_t n, const bd_lifetown *lv, size_t nl)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
	/* only C01 has an overpayment RULES.md defines (months paid after
	 * death x monthly amount): the column says so */
	static const char *const head[] = { "乡镇(街道)", "错保", "漏保", "人情保", "数据质量", "合计",
					    OVERPAID_HEAD, "新增", "持续", "已消除", "不属实" };
	enum { NH = 11 };
	char t[200];
	snprintf(t, sizeof(t), "%s 社会救助数据比对汇总（基准日 %04d-%02d-%02d）", cfg->period,
		 cfg->as_of / 10000, cfg->as_of / 100 % 100, cfg->as_of % 100);
	worksheet_write_string(ws, 0, 0, t, F->title);
	/* rows in order: the workbook is written in constant-memory mode */
	worksheet_write_string(ws, 1, 0,
			       "运行清单（本次比对用了哪些数据、各规则的参数和结果）是隐藏页，不打印：在页签上右键，"
			       "选“取消隐藏”即可查看。",
			       F->plain);
	worksheet_set_row(ws, 2, 2 * BD_LINE_PT + 6, NULL);
	write_row_strings(ws, 2, head, NH, F->head);
	worksheet_set_column(ws, 0, 0, 18, NULL);
	worksheet_set_column(ws, 1, 5, 9, NULL);
	worksheet_set_column(ws, 6, 6, 16, NULL);
	worksheet_set_column(ws, 7, NH - 1, 9, NULL);
	lxw_row_t r = 3;
	double tot[NH] = { 0 };
	/* both lists are sorted by township: walk them together */
	for (size_t i = 0, li = 0; i < n || li < nl;) {
		const char *town = i < n && (li >= nl || bd_town_cmp(v[i].f[BD_FC_TOWN], lv[li].town) <= 0)
					   ? v[i].f[BD_FC_TOWN] : lv[li].town;
		double c[NH] = { 0 };
		for (; i < n && !strcmp(v[i].f[BD_FC_TOWN], town); i++) {
			const bd_matcher *m = v[i].m;
			if (m)
				c[1 + m->family]++;
			c[5]++;
			c[6] += money(v[i].f[BD_FC_OVERPAID]);
			c[7] += !strcmp(v[i].f[BD_FC_STATUS], "新增");
			c[8] += !strcmp(v[i].f[BD_FC_STATUS], "持续");
		}
		for (; li < nl && !strcmp(lv[li].town, town); li++)
			c[lv[li].resolved ? 9 : 10]++;
		worksheet_write_string(ws, r, 0, bd_town_name(town), F->text);
		for (int k = 1; k < NH; k++) {
			worksheet_write_number(ws, r, (lxw_col_t)k, c[k], k == 6 ? F->money : F->num);
			tot[k] += c[k];
		}
		r++;
	}
	lxw_row_t last = r - 1;
	worksheet_write_string(ws, r, 0, "合计", F->head);
	for (int k = 1; k < NH; k++)
		worksheet_write_number(ws, r, (lxw_col_t)k, tot[k], k == 6 ? F->money_head : F->head);
	worksheet_freeze_panes(ws, 3, 1);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	/* no repeated header: the page after the table holds the charts */
	worksheet_set_footer(ws, "&C&10第 &P 页，共 &N 页");

	if (last < 3)
		return;
	/* the charts below the table, the width of the page, one label per
	 * township in the table's order */
	/* chart text at 10 pt: it prints at full size */
	lxw_chart_font axis_font = { .rotation = -45, .size = 10 }, font = { .size = 10 },
		       title_font = { .size = 12, .bold = LXW_TRUE };
	lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_COLUMN_STACKED);
	for (int k = 1; k <= 4; k++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, "汇总", 3, 0, last, 0);
		chart_series_set_values(se, "汇总", 3, (lxw_col_t)k, last, (lxw_col_t)k);
		chart_series_set_name(se, head[k]);
	}
	chart_title_set_name(ch, "各乡镇提示条数（按类别）");
	chart_axis_set_name(ch->y_axis, "条数");
	chart_axis_set_interval_unit(ch->x_axis, 1);
	chart_axis_set_num_font(ch->x_axis, &axis_font);
	chart_axis_set_num_font(ch->y_axis, &font);
	chart_axis_set_name_font(ch->y_axis, &font);
	chart_title_set_name_font(ch, &title_font);
	chart_legend_set_font(ch, &font);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_TOP);
	lxw_chart_options at = { .x_offset = 4, .y_offset = 8, .x_scale = 1.95, .y_scale = 1.5 };
	worksheet_insert_chart_opt(ws, r + 3, 0, ch, &at);
	lxw_chart *ch2 = workbook_add_chart(wb, LXW_CHART_COLUMN);
	lxw_chart_series *se = chart_add_series(ch2, NULL, NULL);
	chart_series_set_categories(se, "汇总", 3, 0, last, 0);
	chart_series_set_values(se, "汇总", 3, 6, last, 6);
	chart_series_set_name(se, OVERPAID_HEAD);
	chart_title_set_name(ch2, "各乡镇死亡人员仍在保多发金额（元，C01）");
	chart_axis_set_name(ch2->y_axis, "元");
	chart_axis_set_interval_unit(ch2->x_axis, 1);
	chart_axis_set_num_font(ch2->x_axis, &axis_font);
	chart_axis_set_num_font(ch2->y_axis, &font);
	chart_axis_set_name_font(ch2->y_axis, &font);
	chart_title_set_name_font(ch2, &title_font);
	chart_legend_set_font(ch2, &font);
	chart_legend_set_position(ch2, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart_opt(ws, r + 27, 0, ch2, &at);
}

/* 按规则: township x rule counts. */
static void by_rule_sheet(lxw_workbook *wb, const bd_fmts *F, const bd_flagline *v, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "按规则");
	worksheet_set_row(ws, 0, 120, NULL);
	worksheet_write_string(ws, 0, 0, "乡镇(街道)", F->head);
	worksheet_set_column(ws, 0, 0, 16, NULL);
	const lxw_col_t tc = (lxw_col_t)(bd_nmatchers + 1);
	for (size_t k = 0; k < bd_nmatchers; k++) {
		char h[96];
		snprintf(h, sizeof(h), "%s %s", bd_matchers[k].id, bd_matchers[k].name);
		worksheet_write_string(ws, 0, (lxw_col_t)(k + 1), h, F->head);
	}
	/* narrow enough for 18 rules on A4 landscape at full size; the rule's
	 * name wraps in the tall header row */
	worksheet_set_column(ws, 1, (lxw_col_t)bd_nmatchers, 6.2, NULL);
	worksheet_write_string(ws, 0, tc, "合计", F->head);
	worksheet_set_column(ws, tc, tc, 7, NULL);
	lxw_row_t r = 1;
	size_t tot[64] = { 0 };
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(v[j].f[BD_FC_TOWN], v[i].f[BD_FC_TOWN]))
			j++;
		worksheet_write_string(ws, r, 0, bd_town_name(v[i].f[BD_FC_TOWN]), F->text);
		for (size_t k = 0; k < bd_nmatchers; k++) {
			size_t c = 0;
			for (size_t x = i; x < j; x++)
				c += v[x].m == &bd_matchers[k];
			worksheet_write_number(ws, r, (lxw_col_t)(k + 1), (double)c, F->num);
			tot[k] += c;
		}
		worksheet_write_number(ws, r, tc, (double)(j - i), F->num);
		r++;
		i = j;
	}
	worksheet_write_string(ws, r, 0, "合计", F->head);
	for (size_t k = 0; k < bd_nmatchers; k++)
		worksheet_write_number(ws, r, (lxw_col_t)(k + 1), (double)tot[k], F->head);
	worksheet_write_number(ws, r, tc, (double)n, F->head);
	worksheet_freeze_panes(ws, 1, 1);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}

/* ---- 运行清单: manifest.json flattened into 键 / 值 rows ---- */

typedef struct jflat {
	const char *p, *end;
	char key[512];
	lxw_worksheet *ws;
	const bd_fmts *F;
	lxw_row_t r;
	bool bad;
	char input[96], file[96], rule[128]; /* what the rows below belong to */
} jflat;

static void jskip(jflat *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

/* A JSON string at j->p into out (escapes of our own writer: \" \\ \n
 * \uXXXX kept as written). */
static void jstring(jflat *j, char *out, size_t cap)
{
	size_t n = 0;
	j->p++; /* the quote */
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c == '\\' && j->p < j->end) {
			c = *j->p++;
			c = c == 'n' ? ' ' : c == 't' ? ' ' : c;
		}
		if (n + 1 < cap)
			out[n++] = c;
	}
	j->p++;
	out[n] = '\0';
}

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
static void jrow(jflat *j, const char *value)
{
	if (j->r >= 1048575)
		return;
	const char *k = j->key, *last = strrchr(k, '.');
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
	worksheet_write_string(j->ws, j->r, 0, group, j->F->text);
	worksheet_write_string(j->ws, j->r, 1, item, j->F->text);
	worksheet_write_string(j->ws, j->r++, 2, mword(value), j->F->text);
}

static void jvalue(jflat *j, int depth)
{
	jskip(j);
	if (j->p >= j->end || depth > 32) {
		j->bad = true;
		return;
	}
	size_t klen = strlen(j->key);
	if (*j->p == '{' || *j->p == '[') {
		bool obj = *j->p == '{';
		j->p++;
		for (int i = 0; !j->bad; i++) {
			jskip(j);
			if (j->p < j->end && (*j->p == '}' || *j->p == ']')) {
				j->p++;
				break;
			}
			if (obj) {
				char k[128];
				if (j->p >= j->end || *j->p != '"') {
					j->bad = true;
					break;
				}
				jstring(j, k, sizeof(k));
				snprintf(j->key + klen, sizeof(j->key) - klen, "%s%s", klen ? "." : "", k);
				jskip(j);
				if (j->p < j->end && *j->p == ':')
					j->p++;
			} else {
				snprintf(j->key + klen, sizeof(j->key) - klen, "[%d]", i + 1);
			}
			jvalue(j, depth + 1);
			j->key[klen] = '\0';
			jskip(j);
			if (j->p < j->end && *j->p == ',')
				j->p++;
		}
		return;
	}
	char v[1024];
	if (*j->p == '"') {
		jstring(j, v, sizeof(v));
	} else {
		size_t n = 0;
		while (j->p < j->end && !strchr(",}] \n\r\t", *j->p) && n + 1 < sizeof(v))
			v[n++] = *j->p++;
		v[n] = '\0';
	}
	jrow(j, v);
}

/* The manifest in Chinese words, as rows of 类别 | 项目 | 内容, filterable;
 * a hidden sheet, not printed with the summary; the raw file stays beside
 * the workbooks. */
static void manifest_sheet(lxw_workbook *wb, const bd_fmts *F, const char *path)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "运行清单");
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 2, 50, NULL);
	worksheet_write_string(ws, 0, 0, "类别", F->head);
	worksheet_write_string(ws, 0, 1, "项目", F->head);
	worksheet_write_string(ws, 0, 2, "内容", F->head);
	FILE *f = fopen(path, "rb");
	bd_buf b = BD_BUF_INIT((size_t)64 << 20);
	char chunk[65536];
	size_t got;
	while (f && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (bd_buf_add(&b, chunk, got)) {
			bd_clear_error();
			break;
		}
	if (f)
		fclose(f);
	jflat j = { .p = b.data, .end = b.data + b.len, .ws = ws, .F = F, .r = 1 };
	if (b.len)
		jvalue(&j, 0);
	if (!b.len || j.bad)
		worksheet_write_string(ws, j.r, 0, "（manifest.json 缺失或无法读取，请看输出目录中的原文件）", F->nowrap);
	bd_buf_release(&b);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, j.r > 1 ? j.r - 1 : 1, 2);
	worksheet_hide(ws);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}

/* rejected.csv as the 拒收明细 sheet: Chinese headers, the reason
 * explained beside its code, the file by its name. */
static bd_err rejected_sheet(lxw_workbook *wb, const bd_fmts *F, const char *path)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "拒收明细");
	bd_csv *c;
	bd_err e = bd_csv_open(path, "utf-8", &c);
	if (e) {
		bd_clear_error();
		worksheet_write_string(ws, 0, 0, "（无）", NULL);
		return BD_OK;
	}
	static const char *const en[] = { "file", "row", "field", "reason", "masked_value", "dataset", "detail" };
	static const char *const zh[] = { "文件", "行", "字段", "原因", "值（脱敏）", "数据集", "说明" };
	/* printable on A4 landscape at full size: long cells wrap */
	static const double wd[] = { 24, 6, 10, 24, 20, 12, 30 };
	double cw[64] = { 0 };
	int reason_col = -1, file_col = -1;
	bd_row row;
	bool eof;
	lxw_row_t r = 0;
	while (!(e = bd_csv_next(c, &row, &eof)) && !eof && r < 1048575) {
		char both[512];
		const char *cell[64];
		uint32_t nc = row.ncell < 64 ? row.ncell : 64;
		int lines = 1;
		for (uint32_t i = 0; i < nc; i++) {
			const char *s = row.cells[i].s;
			if (!r) {
				cw[i] = 12;
				for (size_t k = 0; k < BD_ARRAY_LEN(en); k++)
					if (!strcmp(s, en[k])) {
						cw[i] = wd[k];
						reason_col = k == 3 ? (int)i : reason_col;
						file_col = k == 0 ? (int)i : file_col;
						s = zh[k];
					}
				worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, cw[i], NULL);
			} else if ((int)i == reason_col) {
				for (int k = 0; k < BD_RJ_MAX; k++)
					if (!strcmp(s, bd_reason_code((bd_reason)k))) {
						snprintf(both, sizeof(both), "%s（%s）", bd_reason_zh((bd_reason)k),
							 bd_reason_code((bd_reason)k));
						s = both;
						break;
					}
			} else if ((int)i == file_col && strrchr(s, '/')) {
				s = strrchr(s, '/') + 1;
			}
			cell[i] = s;
			int l = bd_text_lines(s, cw[i]);
			lines = l > lines ? l : lines;
		}
		worksheet_set_row(ws, r, lines * BD_LINE_PT + 4, NULL);
		for (uint32_t i = 0; i < nc; i++)
			worksheet_write_string(ws, r, (lxw_col_t)i, cell[i], r ? F->text : F->head);
		r++;
	}
	bd_csv_close(c);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	return e;
}

/* The county summary; its path into final. Constant memory like the
 * townships': 拒收明细 may hold a province's rejected rows. */
bd_err bd_book_summary(const bd_config *cfg, const bd_flagline *v, size_t n, char *final)
{
	char file[400], tmp[BD_BOOK_PATH + 100], path[BD_BOOK_PATH];
	snprintf(file, sizeof(file), "%s_汇总.xlsx", cfg->period);
	lxw_workbook *wb;
	bd_fmts F;
	bd_err e = bd_book_open(cfg, file, final, tmp, &wb, &F);
	if (e)
		return e;
	bd_lifetown *lv;
	size_t nl;
	snprintf(path, sizeof(path), "%s/lifecycle.csv", cfg->out);
	if (!(e = bd_lifecycle_towns(path, &lv, &nl))) {
		if (nl)
			qsort(lv, nl, sizeof(*lv), lifetown_cmp);
		summary_sheet(wb, &F, cfg, v, n, lv, nl);
	}
	for (size_t i = 0; i < nl; i++)
		free(lv[i].town);
	free(lv);
	if (e) {
		bd_book_discard(wb, tmp);
		return e;
	}
	by_rule_sheet(wb, &F, v, n);
	/* the manifest, one line per row, and the rejected rows */
	snprintf(path, sizeof(path), "%s/manifest.json", cfg->out);
	manifest_sheet(wb, &F, path);
	snprintf(path, sizeof(path), "%s/rejected.csv", cfg->out);
	if ((e = rejected_sheet(wb, &F, path))) {
		bd_book_discard(wb, tmp);
		return e;
	}
	return bd_book_save(wb, tmp, final);
}
