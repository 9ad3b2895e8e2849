/* book_summary.c - the county's summary workbook (book_summary.h). */
#include "bd/book_summary.h"
#include "bd/account.h"
#include "bd/book.h"
#include "bd/book_manifest.h"
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
	bd_book_manifest_sheet(wb, &F, path);
	snprintf(path, sizeof(path), "%s/rejected.csv", cfg->out);
	if ((e = rejected_sheet(wb, &F, path))) {
		bd_book_discard(wb, tmp);
		return e;
	}
	return bd_book_save(wb, tmp, final);
}
