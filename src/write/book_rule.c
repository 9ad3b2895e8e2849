/* book_rule.c - the review sheet of one rule (book_rule.h). */
#include "bd/book_rule.h"
#include "bd/idnum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A review sheet has two blocks. The printed block, what goes to the
 * households on A4 landscape at a size that can be read and with boxes that
 * can be written in: 序号, flag_id, 风险等级, 村(社区), 对象 (name, household
 * and masked ID stacked), 保障项目, 核查依据 (the evidence, one 标签：值 a
 * line), and the reviewer's four columns. Right of it, not printed, the same
 * facts one per typed column, to filter and sort by on screen: 状态, 姓名,
 * 家庭编号, 身份证号(脱敏), 月保障金额, the rule's evidence columns
 * (bd_matcher.cols), 说明 (segments without a column of their own) and the
 * source row. The sheet is not protected: a protected sheet cannot be
 * sorted in Excel or LibreOffice; review checks each row's 姓名 against
 * its flag_id instead (review.h).
 */
enum { P_NO, P_ID, P_SEV, P_VILLAGE, P_WHO, P_PROG, P_EVIDENCE, P_OUTCOME, P_NOTE, P_REVIEWER, P_DATE, NPRINT };
static const char *const print_head[NPRINT] = {
	"序号", "flag_id", "风险等级", "村(社区)", "对象（姓名 家庭编号 身份证号）", "保障项目", "核查依据",
	"核查结论", "核查说明", "核查人", "核查日期",
};
/* Widths (characters of the sheet's default font) chosen so that the
 * block fits A4 landscape at about 93 %: 10-point text prints at 9 pt or
 * more, 核查说明 is over 50 mm wide (tools/print_measure.py measures it);
 * flag_id and the masked ID fit on one line even where 宋体's Latin
 * glyphs are replaced by a wider font (LibreOffice on Linux). */
static const double print_w[NPRINT] = { 4.5, 19, 4.5, 10, 21, 7.5, 28, 7.5, 29.5, 7, 10.5 };
enum { S_STATUS, S_NAME, S_HH, S_IDMASK, S_MONTHLY, NSCREEN };
static const char *const screen_head[NSCREEN] = { "状态", "姓名", "家庭编号", "身份证号(脱敏)", "月保障金额" };
static const int screen_field[NSCREEN] = { BD_FC_STATUS, BD_FC_NAME, BD_FC_HH, BD_FC_IDMASK, BD_FC_MONTHLY };
enum { MAXCOLS = 48, MAXEV = 24 };
#define SCREEN_MAX_W 30.0 /* screen columns: text longer than this is cut on screen, whole in the cell */
#define ROW_MIN_PT 40.0   /* a box 12 mm high at the printed scale */
/* a rule sheet of more rows than fit on a printed page starts each
 * village on a new page, so that each village's pages can go to the person
 * who visits it */
enum { VILLAGE_PAGES_FROM = 10 };

/* The evidence "标签：值；标签：值" of one flag, split into the rule's
 * columns (val[k] for cols[k]) and the rest (other, "；"-joined); lines
 * receives every segment on a line of its own, for print. The pointers go
 * into buf. */
static void split_evidence(const char *ev, const bd_evcol *cols, size_t ncols, char *buf, size_t cap,
			   const char *val[MAXEV], char *other, size_t ocap, char *lines, size_t lcap)
{
	for (size_t k = 0; k < ncols; k++)
		val[k] = "";
	other[0] = lines[0] = '\0';
	snprintf(buf, cap, "%s", ev);
	static const char sep[] = "\xEF\xBC\x9B", colon[] = "\xEF\xBC\x9A"; /* ； ： */
	for (char *seg = buf; seg && *seg;) {
		char *next = strstr(seg, sep);
		if (next) {
			*next = '\0';
			next += 3;
		}
		size_t ll = strlen(lines);
		snprintf(lines + ll, lcap - ll, "%s%s", ll ? "\n" : "", seg);
		char *c = strstr(seg, colon);
		bool placed = false;
		if (c) {
			*c = '\0';
			for (size_t k = 0; k < ncols && !placed; k++)
				if (!strcmp(cols[k].label, seg) && !val[k][0]) {
					val[k] = c + 3;
					placed = true;
				}
			if (!placed) {
				size_t len = strlen(other);
				if (!strcmp(seg, "说明"))
					snprintf(other + len, ocap - len, "%s%s", len ? "；" : "", c + 3);
				else
					snprintf(other + len, ocap - len, "%s%s：%s", len ? "；" : "", seg, c + 3);
			}
		} else {
			size_t len = strlen(other);
			snprintf(other + len, ocap - len, "%s%s", len ? "；" : "", seg);
		}
		seg = next;
	}
}

static bool parse_date(const char *s, lxw_datetime *dt)
{
	int y, m, d;
	char end;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return false;
	*dt = (lxw_datetime){ y, m, d, 0, 0, 0 };
	return true;
}

/* Writes v typed as the column says; text when it does not parse. */
static void put_typed(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *v, bd_coltype t,
		      const bd_fmts *F)
{
	char *end;
	lxw_datetime dt;
	if (!v[0]) {
		worksheet_write_blank(ws, r, c, F->nowrap);
		return;
	}
	switch (t) {
	case BD_COL_DATE:
		if (parse_date(v, &dt)) {
			worksheet_write_datetime(ws, r, c, &dt, F->date);
			return;
		}
		break;
	case BD_COL_MONEY:
	case BD_COL_INT: {
		double x = strtod(v, &end);
		if (end != v && !*end) {
			worksheet_write_number(ws, r, c, x, t == BD_COL_MONEY ? F->money : F->num);
			return;
		}
		break;
	}
	case BD_COL_PCT: {
		double x = strtod(v, &end);
		if (end != v && !strcmp(end, "%")) {
			worksheet_write_number(ws, r, c, x / 100, F->pct);
			return;
		}
		break;
	}
	case BD_COL_TEXT:
		break;
	}
	worksheet_write_string(ws, r, c, v, F->nowrap);
}

static void put_money(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *v, const bd_fmts *F)
{
	if (v[0])
		worksheet_write_number(ws, r, c, atof(v), F->money);
	else
		worksheet_write_blank(ws, r, c, F->nowrap);
}

/* A village's name for 村(社区): R02 keeps the 12-digit code in flags.csv
 * (OUTPUT.md) and names the village in its evidence (村名称). */
static void village_shown(const bd_flagline *x, char *out, size_t cap)
{
	const char *v = x->f[BD_FC_VILLAGE], *ev = x->f[BD_FC_EVIDENCE], *n = strstr(ev, "村名称：");
	snprintf(out, cap, "%s", v);
	if (strlen(v) == 12 && strspn(v, "0123456789") == 12 && n) {
		n += strlen("村名称：");
		const char *end = strstr(n, "；");
		snprintf(out, cap, "%.*s", (int)(end ? (size_t)(end - n) : strlen(n)), n);
	}
}

/* One sheet for rule flags [a, b) of a township. */
void bd_book_rule_sheet(lxw_workbook *wb, const bd_fmts *F, const bd_config *cfg, const char *town,
			const bd_flagline *v, size_t a, size_t b)
{
	const bool village_pages = b - a > VILLAGE_PAGES_FROM;
	const bd_matcher *m = v[a].m;
	char name[64];
	snprintf(name, sizeof(name), "%s %s", v[a].f[BD_FC_RULE], m ? m->name : "");
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
	const bd_evcol *cols = m && m->cols ? m->cols : (const bd_evcol[]){ { NULL, BD_COL_TEXT, 0, false } };
	size_t nev = 0;
	while (nev < MAXEV && cols[nev].label)
		nev++;
	/* columns: printed block, screen block, evidence columns, 说明, source */
	const size_t c_ev = NPRINT + NSCREEN, c_other = c_ev + nev, c_src = c_other + 1, ncols = c_src + 1;
	const char *hd[MAXCOLS];
	double w[MAXCOLS] = { 0 };
	for (size_t c = 0; c < NPRINT; c++) {
		hd[c] = print_head[c];
		w[c] = print_w[c];
	}
	for (size_t c = 0; c < NSCREEN; c++)
		hd[NPRINT + c] = screen_head[c];
	if (cfg->show_full_id)
		hd[NPRINT + S_IDMASK] = "身份证号";
	for (size_t c = 0; c < nev; c++)
		hd[c_ev + c] = cols[c].label;
	hd[c_other] = "说明";
	hd[c_src] = "来源（文件 行）";
	/* screen columns fit their longest value, up to SCREEN_MAX_W */
	char buf[sizeof(((bd_flag *)0)->evidence) + 64], other[sizeof(buf)], lines[sizeof(buf) + 64];
	const char *val[MAXEV];
	for (size_t c = NPRINT; c < ncols; c++)
		w[c] = bd_text_width(hd[c]) + 2;
	for (size_t i = a; i < b; i++) {
		for (size_t c = 0; c < NSCREEN; c++) {
			double x = bd_text_width(v[i].f[screen_field[c]]) + 2;
			w[NPRINT + c] = x > w[NPRINT + c] ? x : w[NPRINT + c];
		}
		split_evidence(v[i].f[BD_FC_EVIDENCE], cols, nev, buf, sizeof(buf), val, other, sizeof(other), lines,
			       sizeof(lines));
		for (size_t c = 0; c < nev; c++) {
			double x = bd_text_width(val[c]) + 2;
			w[c_ev + c] = x > w[c_ev + c] ? x : w[c_ev + c];
		}
		double x = bd_text_width(other) + 2;
		w[c_other] = x > w[c_other] ? x : w[c_other];
		x = bd_text_width(v[i].f[BD_FC_SRC]) + bd_text_width(v[i].f[BD_FC_ROW]) + 4;
		w[c_src] = x > w[c_src] ? x : w[c_src];
	}
	for (size_t c = 0; c < ncols; c++) {
		if (c >= NPRINT)
			w[c] = w[c] > SCREEN_MAX_W ? SCREEN_MAX_W : w[c];
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w[c], NULL);
	}
	int hl = 1;
	for (size_t c = 0; c < NPRINT; c++) {
		int l = bd_text_lines(hd[c], w[c]);
		hl = l > hl ? l : hl;
	}
	worksheet_set_row(ws, 0, hl * BD_LINE_PT + 6, NULL);
	for (size_t c = 0; c < ncols; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, hd[c], c < NPRINT ? F->head : F->screen_head);
	lxw_row_t r = 1;
	lxw_row_t breaks[1024];
	size_t nbreaks = 0;
	for (size_t i = a; i < b; i++, r++) {
		const bd_flagline *x = &v[i];
		char src[160], idm[64], who[256], vil[128];
		const char *row = x->f[BD_FC_ROW];
		/* R02 counts a village: no row to point at */
		snprintf(src, sizeof(src), row[0] ? "%s %s" : "%s（按村统计）", x->f[BD_FC_SRC], row);
		snprintf(idm, sizeof(idm), "%s", x->f[BD_FC_IDMASK]);
		if (!cfg->show_full_id)
			bd_id_remask(idm, sizeof(idm));
		village_shown(x, vil, sizeof(vil));
		snprintf(who, sizeof(who), "%s%s%s%s%s", x->f[BD_FC_NAME], x->f[BD_FC_HH][0] ? "\n" : "", x->f[BD_FC_HH],
			 idm[0] ? "\n" : "", idm);
		bd_prog p = bd_prog_from_code(x->f[BD_FC_PROG], strlen(x->f[BD_FC_PROG]));
		const char *prog = p ? bd_prog_name(p) : "";
		split_evidence(x->f[BD_FC_EVIDENCE], cols, nev, buf, sizeof(buf), val, other, sizeof(other), lines,
			       sizeof(lines));
		if (village_pages && i > a && strcmp(x->f[BD_FC_VILLAGE], v[i - 1].f[BD_FC_VILLAGE]) && nbreaks < 1023)
			breaks[nbreaks++] = r;
		/* the row is as tall as its longest wrapped printed text, and
		 * never less than the room a handwritten note needs */
		const char *printed[] = { vil, who, prog, lines };
		const size_t pc[] = { P_VILLAGE, P_WHO, P_PROG, P_EVIDENCE };
		int nl = 1;
		for (size_t k = 0; k < BD_ARRAY_LEN(printed); k++) {
			int l = bd_text_lines(printed[k], w[pc[k]]);
			nl = l > nl ? l : nl;
		}
		double ht = nl * BD_LINE_PT + 6;
		worksheet_set_row(ws, r, ht > ROW_MIN_PT ? ht : ROW_MIN_PT, NULL);
		worksheet_write_number(ws, r, P_NO, (double)(i - a + 1), F->seq);
		worksheet_write_string(ws, r, P_ID, x->f[BD_FC_ID], F->code);
		worksheet_write_string(ws, r, P_SEV, x->f[BD_FC_SEV], F->text);
		worksheet_write_string(ws, r, P_VILLAGE, vil, F->text);
		worksheet_write_string(ws, r, P_WHO, who, F->text);
		worksheet_write_string(ws, r, P_PROG, prog, F->text);
		worksheet_write_string(ws, r, P_EVIDENCE, lines, F->text);
		for (size_t c = P_OUTCOME; c <= P_DATE; c++)
			worksheet_write_blank(ws, r, (lxw_col_t)c, c == P_DATE ? F->unlocked_date : F->unlocked);
		for (size_t c = 0; c < NSCREEN; c++) {
			lxw_col_t col = (lxw_col_t)(NPRINT + c);
			if (c == S_MONTHLY)
				put_money(ws, r, col, x->f[BD_FC_MONTHLY], F);
			else
				worksheet_write_string(ws, r, col, c == S_IDMASK ? idm : x->f[screen_field[c]], F->nowrap);
		}
		for (size_t c = 0; c < nev; c++)
			put_typed(ws, r, (lxw_col_t)(c_ev + c), val[c], cols[c].type, F);
		worksheet_write_string(ws, r, (lxw_col_t)c_other, other, F->nowrap);
		worksheet_write_string(ws, r, (lxw_col_t)c_src, src, F->nowrap);
	}
	lxw_row_t last = r > 1 ? r - 1 : 1;
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, last, (lxw_col_t)(ncols - 1));
	lxw_data_validation dv;
	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	const char *choices[] = { "属实", "不属实", "已整改", "其他", NULL };
	dv.value_list = (char **)choices;
	dv.show_error = LXW_VALIDATION_ON;
	dv.error_title = "核查结论";
	dv.error_message = "请从 属实、不属实、已整改、其他 中选择";
	worksheet_data_validation_range(ws, 1, P_OUTCOME, last, P_OUTCOME, &dv);
	/* the same bounds as bidui review: after 2000-01-01, not after today */
	lxw_data_validation dd;
	memset(&dd, 0, sizeof(dd));
	dd.validate = LXW_VALIDATION_TYPE_DATE_FORMULA;
	dd.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
	dd.minimum_formula = "=DATE(2000,1,2)";
	dd.maximum_formula = "=TODAY()";
	dd.error_title = "核查日期";
	dd.error_message = "请填写实际核查的日期，例如 2027-01-15（不能晚于今天）";
	worksheet_data_validation_range(ws, 1, P_DATE, last, P_DATE, &dd);
	/* printing: A4 landscape, the printed block one page wide, header row
	 * on every page, the township on every page, a large township's
	 * villages each on their own pages */
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_set_margins(ws, 0.25, 0.25, 0.55, 0.55);
	worksheet_print_area(ws, 0, 0, last, NPRINT - 1);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	if (nbreaks) {
		breaks[nbreaks] = 0;
		worksheet_set_h_pagebreaks(ws, breaks);
	}
	char header[300];
	snprintf(header, sizeof(header), "&L&10%s %s&C&10%s", town, cfg->period, name);
	worksheet_set_header(ws, header);
	worksheet_set_footer(ws, "&L&10第 &P 页，共 &N 页&R&10核查人签字：__________　　");
}
