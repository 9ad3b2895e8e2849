/* report.c - township review workbooks and the county summary. */
#include "bd/report.h"
#include "bd/csv.h"
#include "bd/match.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum { F_ID, F_RULE, F_FAMILY, F_SEV, F_STATUS, F_TOWN, F_VILLAGE, F_HH, F_SUBJ, F_NAME,
       F_IDMASK, F_PROG, F_MONTHLY, F_OVERPAID, F_EVIDENCE, F_SRC, F_ROW, F_FIRST, F_MAX };
static const char *const flag_cols[F_MAX] = {
	"flag_id", "rule", "family", "severity", "status", "township", "village", "household_id",
	"subject_hid", "name", "id_masked", "programme", "monthly_amount", "overpaid", "evidence",
	"source_dataset", "source_row", "first_seen",
};

typedef struct rflag {
	char *f[F_MAX];
} rflag;

typedef struct flagset {
	rflag *v;
	size_t n, cap;
} flagset;

static bd_err load_flags(const char *path, flagset *fs)
{
	bd_csv *c;
	bd_err e = bd_csv_open(path, "utf-8", &c);
	if (e)
		return bd_fail_ctx(e, "请先运行 bidui match");
	bd_row row;
	bool eof;
	int map[F_MAX];
	if ((e = bd_csv_next(c, &row, &eof)) || eof) {
		bd_csv_close(c);
		return e ? e : bd_fail(BD_ERR_FORMAT, "%s 为空", path);
	}
	for (int k = 0; k < F_MAX; k++) {
		map[k] = -1;
		for (uint32_t i = 0; i < row.ncell; i++)
			if (!strcmp(row.cells[i].s, flag_cols[k]))
				map[k] = (int)i;
		if (map[k] < 0) {
			bd_csv_close(c);
			return bd_fail(BD_ERR_HEADER, "%s 缺少列 %s", path, flag_cols[k]);
		}
	}
	while (!(e = bd_csv_next(c, &row, &eof)) && !eof) {
		if (fs->n == fs->cap) {
			size_t cap = fs->cap ? fs->cap * 2 : 256;
			rflag *nv = realloc(fs->v, cap * sizeof(*nv));
			if (!nv) {
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
				break;
			}
			fs->v = nv;
			fs->cap = cap;
		}
		rflag *r = &fs->v[fs->n++];
		for (int k = 0; k < F_MAX; k++)
			r->f[k] = strdup((uint32_t)map[k] < row.ncell ? row.cells[map[k]].s : "");
	}
	bd_csv_close(c);
	return e;
}

static void free_flags(flagset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		for (int k = 0; k < F_MAX; k++)
			free(fs->v[i].f[k]);
	free(fs->v);
}

static int by_town_rule(const void *a, const void *b)
{
	const rflag *x = a, *y = b;
	int c = strcmp(x->f[F_TOWN], y->f[F_TOWN]);
	if (!c)
		c = strcmp(x->f[F_RULE], y->f[F_RULE]);
	if (!c)
		c = strcmp(x->f[F_VILLAGE], y->f[F_VILLAGE]);
	return c;
}

static const bd_matcher *matcher(const char *id)
{
	for (size_t k = 0; k < bd_nmatchers; k++)
		if (!strcmp(bd_matchers[k].id, id))
			return &bd_matchers[k];
	return NULL;
}

typedef struct fmts {
	lxw_format *title, *head, *text, *money, *unlocked, *unlocked_date, *wrap;
} fmts;

static void make_formats(lxw_workbook *wb, fmts *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	f->text = workbook_add_format(wb);
	format_set_border(f->text, LXW_BORDER_THIN);
	f->wrap = workbook_add_format(wb);
	format_set_border(f->wrap, LXW_BORDER_THIN);
	format_set_text_wrap(f->wrap);
	f->money = workbook_add_format(wb);
	format_set_num_format(f->money, "0.00");
	format_set_border(f->money, LXW_BORDER_THIN);
	f->unlocked = workbook_add_format(wb);
	format_set_unlocked(f->unlocked);
	format_set_border(f->unlocked, LXW_BORDER_THIN);
	format_set_bg_color(f->unlocked, 0xFFF2CC);
	f->unlocked_date = workbook_add_format(wb);
	format_set_unlocked(f->unlocked_date);
	format_set_num_format(f->unlocked_date, "yyyy-mm-dd");
	format_set_border(f->unlocked_date, LXW_BORDER_THIN);
	format_set_bg_color(f->unlocked_date, 0xFFF2CC);
}

static const char *const headers[] = {
	"序号", "flag_id", "风险等级", "状态", "村(社区)", "家庭编号", "姓名", "身份证号(脱敏)", "保障项目",
	"月保障金额", "多发金额", "核查依据", "来源（文件 行）", "核查结论", "核查说明", "核查人", "核查日期",
};
static const double widths[] = { 6, 18, 8, 6, 20, 18, 10, 20, 12, 11, 11, 60, 24, 12, 30, 10, 12 };
enum { COL_REVIEW = 13, NCOLS = 17 };

static void put_money(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *v, lxw_format *f,
		      lxw_format *text)
{
	if (v[0])
		worksheet_write_number(ws, r, c, atof(v), f);
	else
		worksheet_write_blank(ws, r, c, text);
}

/* One sheet for rule flags [a, b). */
static void rule_sheet(lxw_workbook *wb, const fmts *F, const rflag *v, size_t a, size_t b)
{
	const bd_matcher *m = matcher(v[a].f[F_RULE]);
	char name[64];
	snprintf(name, sizeof(name), "%s %s", v[a].f[F_RULE], m ? m->name : "");
	/* sheet names: at most 31 characters */
	size_t chars = 0, cut = 0;
	for (size_t i = 0; name[i]; i++)
		if (((unsigned char)name[i] & 0xc0) != 0x80 && ++chars > 31) {
			cut = i;
			break;
		}
	if (cut)
		name[cut] = '\0';
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	for (int c = 0; c < NCOLS; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)c, headers[c], F->head);
	}
	worksheet_set_row(ws, 0, 30, NULL);
	lxw_row_t r = 1;
	for (size_t i = a; i < b; i++, r++) {
		const rflag *x = &v[i];
		char src[160];
		snprintf(src, sizeof(src), "%s %s", x->f[F_SRC], x->f[F_ROW]);
		worksheet_write_number(ws, r, 0, (double)(i - a + 1), F->text);
		worksheet_write_string(ws, r, 1, x->f[F_ID], F->text);
		worksheet_write_string(ws, r, 2, x->f[F_SEV], F->text);
		worksheet_write_string(ws, r, 3, x->f[F_STATUS], F->text);
		worksheet_write_string(ws, r, 4, x->f[F_VILLAGE], F->text);
		worksheet_write_string(ws, r, 5, x->f[F_HH], F->text);
		worksheet_write_string(ws, r, 6, x->f[F_NAME], F->text);
		worksheet_write_string(ws, r, 7, x->f[F_IDMASK], F->text);
		bd_prog p = bd_prog_from_code(x->f[F_PROG], strlen(x->f[F_PROG]));
		worksheet_write_string(ws, r, 8, p ? bd_prog_name(p) : "", F->text);
		put_money(ws, r, 9, x->f[F_MONTHLY], F->money, F->text);
		put_money(ws, r, 10, x->f[F_OVERPAID], F->money, F->text);
		worksheet_write_string(ws, r, 11, x->f[F_EVIDENCE], F->wrap);
		worksheet_write_string(ws, r, 12, src, F->text);
		for (int c = COL_REVIEW; c < NCOLS; c++)
			worksheet_write_blank(ws, r, (lxw_col_t)c, c == NCOLS - 1 ? F->unlocked_date : F->unlocked);
	}
	lxw_row_t last = r > 1 ? r - 1 : 1;
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, last, NCOLS - 1);
	lxw_data_validation dv;
	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	const char *choices[] = { "属实", "不属实", "已整改", "其他", NULL };
	dv.value_list = (char **)choices;
	dv.show_error = LXW_VALIDATION_ON;
	dv.error_title = "核查结论";
	dv.error_message = "请从 属实、不属实、已整改、其他 中选择";
	worksheet_data_validation_range(ws, 1, COL_REVIEW, last, COL_REVIEW, &dv);
	lxw_data_validation dd;
	memset(&dd, 0, sizeof(dd));
	dd.validate = LXW_VALIDATION_TYPE_DATE;
	dd.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN;
	lxw_datetime epoch = { 2000, 1, 1, 0, 0, 0 };
	dd.minimum_datetime = epoch;
	dd.value_datetime = epoch;
	worksheet_data_validation_range(ws, 1, NCOLS - 1, last, NCOLS - 1, &dd);
	lxw_protection prot;
	memset(&prot, 0, sizeof(prot));
	prot.autofilter = 1;
	prot.sort = 1;
	prot.format_columns = 1;
	prot.format_rows = 1;
	worksheet_protect(ws, NULL, &prot);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}

static void cover_sheet(lxw_workbook *wb, const fmts *F, const bd_config *cfg, const char *town,
			const rflag *v, size_t a, size_t b)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "说明");
	worksheet_set_column(ws, 0, 0, 12, NULL);
	worksheet_set_column(ws, 1, 1, 40, NULL);
	worksheet_set_column(ws, 2, 2, 10, NULL);
	char t[256];
	snprintf(t, sizeof(t), "%s 社会救助数据比对核查表（%s）", town, cfg->period);
	worksheet_write_string(ws, 0, 0, t, F->title);
	snprintf(t, sizeof(t), "核查基准日：%04d-%02d-%02d　名册月份：%04d-%02d", cfg->as_of / 10000,
		 cfg->as_of / 100 % 100, cfg->as_of % 100, cfg->roll_month / 100, cfg->roll_month % 100);
	worksheet_write_string(ws, 1, 0, t, NULL);
	worksheet_write_string(ws, 3, 0, "规则", F->head);
	worksheet_write_string(ws, 3, 1, "名称", F->head);
	worksheet_write_string(ws, 3, 2, "条数", F->head);
	lxw_row_t r = 4;
	for (size_t k = 0; k < bd_nmatchers; k++) {
		size_t n = 0;
		for (size_t i = a; i < b; i++)
			n += !strcmp(v[i].f[F_RULE], bd_matchers[k].id);
		if (!n)
			continue;
		worksheet_write_string(ws, r, 0, bd_matchers[k].id, F->text);
		worksheet_write_string(ws, r, 1, bd_matchers[k].name, F->text);
		worksheet_write_number(ws, r++, 2, (double)n, F->text);
	}
	static const char *const howto[] = {
		"填写说明：",
		"1. 每个规则一页，每行一条需要核查的线索；“核查依据”写明数据来源，入户或电话核实后填写黄色各列。",
		"2. 核查结论从下拉框选择：属实、不属实、已整改、其他；“其他”请在核查说明中写明情况。",
		"3. 核查日期填实际核查的日期；核查人填姓名。其他各列已锁定，请勿修改。",
		"4. 身份证号已脱敏，需要时请在业务系统中按姓名、家庭编号查询。",
		"5. 填好后将本文件原样交回县民政局（不要改文件名和页名），系统将读回核查结论。",
	};
	r++;
	for (size_t i = 0; i < BD_ARRAY_LEN(howto); i++)
		worksheet_write_string(ws, r++, 0, howto[i], NULL);
}

static bd_err save(lxw_workbook *wb, const char *tmp, const char *final)
{
	lxw_error le = workbook_close(wb);
	if (le != LXW_NO_ERROR) {
		unlink(tmp);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", final, lxw_strerror(le));
	}
	if (rename(tmp, final) != 0)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", final, strerror(errno));
	return BD_OK;
}

static bd_err township_workbook(const bd_config *cfg, const rflag *v, size_t a, size_t b, FILE *report)
{
	const char *town = v[a].f[F_TOWN][0] ? v[a].f[F_TOWN] : "未知乡镇";
	char final[4200], tmp[4300];
	snprintf(final, sizeof(final), "%s/%s_%s_核查表.xlsx", cfg->out, cfg->period, town);
	snprintf(tmp, sizeof(tmp), "%s/.%s_%s_核查表.xlsx.tmp", cfg->out, cfg->period, town);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(tmp, &opt);
	if (!wb)
		return bd_fail(BD_ERR_IO, "无法创建 %s", tmp);
	fmts F;
	make_formats(wb, &F);
	cover_sheet(wb, &F, cfg, town, v, a, b);
	for (size_t i = a; i < b;) {
		size_t j = i;
		while (j < b && !strcmp(v[j].f[F_RULE], v[i].f[F_RULE]))
			j++;
		rule_sheet(wb, &F, v, i, j);
		i = j;
	}
	bd_err e = save(wb, tmp, final);
	if (!e && report)
		fprintf(report, "  %s（%zu 条）\n", final, b - a);
	return e;
}

/* ---- the county summary ---- */

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

/* 汇总: township x family counts, overpayment, lifecycle (zeros until the
 * lifecycle work fills them), two native charts. */
static void summary_sheet(lxw_workbook *wb, const fmts *F, const bd_config *cfg, const rflag *v,
			  size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "汇总");
	static const char *const head[] = { "乡镇(街道)", "错保", "漏保", "人情保", "数据质量", "合计",
					    "多发金额(元)", "新增", "持续", "已消除", "不属实" };
	enum { NH = 11 };
	char t[200];
	snprintf(t, sizeof(t), "%s 社会救助数据比对汇总（基准日 %04d-%02d-%02d）", cfg->period,
		 cfg->as_of / 10000, cfg->as_of / 100 % 100, cfg->as_of % 100);
	worksheet_write_string(ws, 0, 0, t, F->title);
	write_row_strings(ws, 2, head, NH, F->head);
	worksheet_set_column(ws, 0, 0, 18, NULL);
	worksheet_set_column(ws, 1, NH - 1, 10, NULL);
	worksheet_set_column(ws, 6, 6, 14, NULL);
	lxw_row_t r = 3;
	double tot[NH] = { 0 };
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double c[NH] = { 0 };
		while (j < n && !strcmp(v[j].f[F_TOWN], v[i].f[F_TOWN])) {
			const bd_matcher *m = matcher(v[j].f[F_RULE]);
			if (m)
				c[1 + m->family]++;
			c[5]++;
			c[6] += money(v[j].f[F_OVERPAID]);
			c[7] += !strcmp(v[j].f[F_STATUS], "新增");
			c[8] += !strcmp(v[j].f[F_STATUS], "持续");
			j++;
		}
		worksheet_write_string(ws, r, 0, v[i].f[F_TOWN][0] ? v[i].f[F_TOWN] : "未知乡镇", F->text);
		for (int k = 1; k < NH; k++) {
			worksheet_write_number(ws, r, (lxw_col_t)k, c[k], k == 6 ? F->money : F->text);
			tot[k] += c[k];
		}
		r++;
		i = j;
	}
	lxw_row_t last = r - 1;
	worksheet_write_string(ws, r, 0, "合计", F->head);
	for (int k = 1; k < NH; k++)
		worksheet_write_number(ws, r, (lxw_col_t)k, tot[k], k == 6 ? F->money : F->head);
	worksheet_freeze_panes(ws, 3, 1);
	if (last < 3)
		return;
	lxw_chart *ch = workbook_add_chart(wb, LXW_CHART_COLUMN_STACKED);
	for (int k = 1; k <= 4; k++) {
		lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
		chart_series_set_categories(se, "汇总", 3, 0, last, 0);
		chart_series_set_values(se, "汇总", 3, (lxw_col_t)k, last, (lxw_col_t)k);
		chart_series_set_name(se, head[k]);
	}
	chart_title_set_name(ch, "各乡镇提示条数（按类别）");
	chart_axis_set_name(ch->y_axis, "条数");
	worksheet_insert_chart(ws, r + 2, 0, ch);
	lxw_chart *ch2 = workbook_add_chart(wb, LXW_CHART_BAR);
	lxw_chart_series *se = chart_add_series(ch2, NULL, NULL);
	chart_series_set_categories(se, "汇总", 3, 0, last, 0);
	chart_series_set_values(se, "汇总", 3, 6, last, 6);
	chart_series_set_name(se, "多发金额(元)");
	chart_title_set_name(ch2, "各乡镇死亡人员多发金额（元）");
	chart_legend_set_position(ch2, LXW_CHART_LEGEND_NONE);
	worksheet_insert_chart(ws, r + 2, 7, ch2);
}

/* 按规则: township x rule counts. */
static void by_rule_sheet(lxw_workbook *wb, const fmts *F, const rflag *v, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "按规则");
	worksheet_write_string(ws, 0, 0, "乡镇(街道)", F->head);
	worksheet_set_column(ws, 0, 0, 18, NULL);
	for (size_t k = 0; k < bd_nmatchers; k++) {
		char h[96];
		snprintf(h, sizeof(h), "%s %s", bd_matchers[k].id, bd_matchers[k].name);
		worksheet_write_string(ws, 0, (lxw_col_t)(k + 1), h, F->head);
		worksheet_set_column(ws, (lxw_col_t)(k + 1), (lxw_col_t)(k + 1), 12, NULL);
	}
	worksheet_set_row(ws, 0, 60, NULL);
	lxw_row_t r = 1;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(v[j].f[F_TOWN], v[i].f[F_TOWN]))
			j++;
		worksheet_write_string(ws, r, 0, v[i].f[F_TOWN][0] ? v[i].f[F_TOWN] : "未知乡镇", F->text);
		for (size_t k = 0; k < bd_nmatchers; k++) {
			size_t c = 0;
			for (size_t x = i; x < j; x++)
				c += !strcmp(v[x].f[F_RULE], bd_matchers[k].id);
			worksheet_write_number(ws, r, (lxw_col_t)(k + 1), (double)c, F->text);
		}
		r++;
		i = j;
	}
	worksheet_freeze_panes(ws, 1, 1);
}

/* A CSV file as a sheet (manifest lines, rejected rows). */
static bd_err csv_sheet(lxw_workbook *wb, const fmts *F, const char *name, const char *path)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	bd_csv *c;
	bd_err e = bd_csv_open(path, "utf-8", &c);
	if (e) {
		bd_clear_error();
		worksheet_write_string(ws, 0, 0, "（无）", NULL);
		return BD_OK;
	}
	bd_row row;
	bool eof;
	lxw_row_t r = 0;
	while (!(e = bd_csv_next(c, &row, &eof)) && !eof && r < 1048575) {
		for (uint32_t i = 0; i < row.ncell; i++)
			worksheet_write_string(ws, r, (lxw_col_t)i, row.cells[i].s, r ? NULL : F->head);
		r++;
	}
	worksheet_set_column(ws, 0, 0, 40, NULL);
	worksheet_set_column(ws, 1, 8, 16, NULL);
	bd_csv_close(c);
	return e;
}

static bd_err summary_workbook(const bd_config *cfg, const rflag *v, size_t n, FILE *report)
{
	char final[4200], tmp[4300], path[4200];
	snprintf(final, sizeof(final), "%s/%s_汇总.xlsx", cfg->out, cfg->period);
	snprintf(tmp, sizeof(tmp), "%s/.%s_汇总.xlsx.tmp", cfg->out, cfg->period);
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(tmp, &opt);
	if (!wb)
		return bd_fail(BD_ERR_IO, "无法创建 %s", tmp);
	fmts F;
	make_formats(wb, &F);
	summary_sheet(wb, &F, cfg, v, n);
	by_rule_sheet(wb, &F, v, n);
	/* the manifest, one line per row, and the rejected rows */
	lxw_worksheet *ms = workbook_add_worksheet(wb, "运行清单");
	snprintf(path, sizeof(path), "%s/manifest.json", cfg->out);
	FILE *mf = fopen(path, "r");
	char line[8192];
	lxw_row_t r = 0;
	worksheet_set_column(ms, 0, 0, 120, NULL);
	while (mf && fgets(line, sizeof(line), mf) && r < 1048575) {
		line[strcspn(line, "\n")] = '\0';
		worksheet_write_string(ms, r++, 0, line, NULL);
	}
	if (mf)
		fclose(mf);
	snprintf(path, sizeof(path), "%s/rejected.csv", cfg->out);
	bd_err e = csv_sheet(wb, &F, "拒收明细", path);
	if (e) {
		workbook_close(wb);
		unlink(tmp);
		return e;
	}
	e = save(wb, tmp, final);
	if (!e && report)
		fprintf(report, "  %s（汇总）\n", final);
	return e;
}

bd_err bd_report(const bd_config *cfg, FILE *report)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/flags.csv", cfg->out);
	flagset fs = { 0 };
	bd_err e = load_flags(path, &fs);
	if (!e && fs.n)
		qsort(fs.v, fs.n, sizeof(*fs.v), by_town_rule);
	for (size_t i = 0; !e && i < fs.n;) {
		size_t j = i;
		while (j < fs.n && !strcmp(fs.v[j].f[F_TOWN], fs.v[i].f[F_TOWN]))
			j++;
		e = township_workbook(cfg, fs.v, i, j, report);
		i = j;
	}
	if (!e)
		e = summary_workbook(cfg, fs.v, fs.n, report);
	free_flags(&fs);
	return e;
}
