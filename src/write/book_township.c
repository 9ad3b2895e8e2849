/* book_township.c - a township's review workbook: the cover and a sheet
 * per rule (book_township.h). */
#include "bd/book_township.h"
#include "bd/book.h"
#include "bd/book_rule.h"

#include <stdio.h>
#include <string.h>

static void cover_sheet(lxw_workbook *wb, const bd_fmts *F, const bd_config *cfg, const char *index_id,
			const char *town, const bd_flagline *v, size_t a, size_t b)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "说明");
	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 1, 42, NULL);
	worksheet_set_column(ws, 2, 2, 8, NULL);
	worksheet_set_column(ws, 3, 3, 24, NULL);
	char t[256];
	snprintf(t, sizeof(t), "%s 社会救助数据比对核查表（%s）", town, cfg->period);
	worksheet_set_row(ws, 0, 24, NULL);
	worksheet_write_string(ws, 0, 0, t, F->title);
	snprintf(t, sizeof(t), "核查基准日：%04d-%02d-%02d　名册月份：%04d-%02d", cfg->as_of / 10000,
		 cfg->as_of / 100 % 100, cfg->as_of % 100, cfg->roll_month / 100, cfg->roll_month % 100);
	worksheet_write_string(ws, 1, 0, t, F->plain);
	worksheet_write_string(ws, 3, 0, "规则", F->head);
	worksheet_write_string(ws, 3, 1, "名称（每条规则一页，页名以规则编号开头）", F->head);
	worksheet_write_string(ws, 3, 2, "条数", F->head);
	worksheet_write_string(ws, 3, 3, "类别", F->head);
	lxw_row_t r = 4;
	for (size_t k = 0; k < bd_nmatchers; k++) {
		size_t n = 0;
		for (size_t i = a; i < b; i++)
			n += v[i].m == &bd_matchers[k];
		if (!n)
			continue;
		worksheet_write_string(ws, r, 0, bd_matchers[k].id, F->text);
		worksheet_write_string(ws, r, 1, bd_matchers[k].name, F->text);
		worksheet_write_number(ws, r, 2, (double)n, F->num);
		worksheet_write_string(ws, r++, 3, bd_family_name(bd_matchers[k].family), F->text);
	}
	/* what a township does with the workbook, in the order it does it
	 * (docs/USER_GUIDE.md says the same) */
	static const char *const howto[] = {
		"填写说明（按顺序）",
		"1. 打印：每条规则一页（一个页签），每行是一条需要核实的线索。直接打印即可：A4 横向，每页有表头、"
		"乡镇名和页码；条数多的页每个村从新的一页开始，可以按村分给入户人员。灰色表头的列供在电脑上筛选，"
		"不打印。",
		"2. 核实：入户或电话核实，“核查依据”一栏写明数据从哪里来（如死亡日期及来源、车辆类型、残疾等级）；"
		"规则的含义和核实方法见随表下发的《比对规则说明》。",
		"3. 记录：在纸上或直接在本文件黄色的四列填写：核查结论从下拉框选择 属实、不属实、已整改、其他"
		"（选“其他”的请在核查说明中写明情况）；核查人填姓名；核查日期填实际核查的日期，如 2027-01-15，"
		"不能晚于填写当天。",
		"4. 筛选和排序：可以按村、风险等级等筛选和排序。排序前请先全选整张表（点左上角），不要只选几列；"
		"不要修改 flag_id 和姓名，不要删除行。表中没有的新情况不要加行，请另行报告。",
		"5. 身份证号已脱敏，需要时请在业务系统中按姓名、家庭编号查询。",
		"6. 交回：把填好的本文件原样交回县民政局（xlsx 格式，不要另存为 xls 或 csv）。系统读回核查结论："
		"核实“不属实”且情况不变的，以后不再提示；核实“属实”仍未整改的，下期升为高风险。下面的“期次”和"
		"“索引标识”供系统核对，请勿修改。",
	};
	r++;
	for (size_t i = 0; i < BD_ARRAY_LEN(howto); i++, r++) {
		double tw = bd_text_width(howto[i]);
		int lines = (int)(tw / 80) + 1;
		worksheet_set_row(ws, r, lines * 16.0 + 4, NULL);
		worksheet_merge_range(ws, r, 0, r, 3, howto[i], i ? F->para : F->title);
	}
	/* the workbook's identity, which bidui review checks (review.h) */
	r++;
	worksheet_write_string(ws, r, 0, "期次", F->seq);
	worksheet_write_string(ws, r, 1, cfg->period, F->nowrap);
	worksheet_write_string(ws, r++, 3, "这两项供系统读回时核对，请勿修改", F->plain);
	worksheet_write_string(ws, r, 0, "索引标识", F->seq);
	worksheet_write_string(ws, r, 1, index_id, F->nowrap);
	worksheet_protect(ws, NULL, NULL);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.6, 0.6, 0.7, 0.7);
}

/* A township name as part of a file name that Windows, where the
 * workbooks go, accepts: \ / : * ? " < > | and control characters
 * become _, and a leading dot too (no hidden files). */
static void file_part(const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s", name);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || strchr("\\/:*?\"<>|", *p) || (p == out && *p == '.'))
			*p = '_';
}

/* The workbook of the township of flags [a, b); its path into final. */
bd_err bd_book_township(const bd_config *cfg, const char *index_id, const bd_flagline *v, size_t a, size_t b,
			char *final)
{
	const char *town = bd_town_name(v[a].f[BD_FC_TOWN]);
	char part[256], file[400], tmp[BD_BOOK_PATH + 100];
	file_part(town, part, sizeof(part));
	snprintf(file, sizeof(file), "%s_%s_核查表.xlsx", cfg->period, part);
	lxw_workbook *wb;
	bd_fmts F;
	bd_err e = bd_book_open(cfg, file, final, tmp, &wb, &F);
	if (e)
		return e;
	cover_sheet(wb, &F, cfg, index_id, town, v, a, b);
	for (size_t i = a; i < b;) {
		size_t j = i;
		while (j < b && !strcmp(v[j].f[BD_FC_RULE], v[i].f[BD_FC_RULE]))
			j++;
		bd_book_rule_sheet(wb, &F, cfg, town, v, i, j);
		i = j;
	}
	return bd_book_save(wb, tmp, final);
}
