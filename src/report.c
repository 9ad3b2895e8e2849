/* report.c - township review workbooks and the county summary. */
#include "bd/report.h"
#include "bd/account.h"
#include "bd/csv.h"
#include "bd/history.h"
#include "bd/idnum.h"
#include "bd/key.h"
#include "bd/match.h"

#include <dirent.h>
#include <sys/statvfs.h>
#include <errno.h>
#include <pthread.h>
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
	const bd_matcher *m;   /* the rule's table entry, NULL if unknown */
	size_t rank;           /* its place in the table: sheet order */
} rflag;

static const bd_matcher *matcher(const char *id)
{
	for (size_t k = 0; k < bd_nmatchers; k++)
		if (!strcmp(bd_matchers[k].id, id))
			return &bd_matchers[k];
	return NULL;
}

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
		/* one allocation per flag: the fields end to end (f[0] owns it) */
		size_t len = 0;
		for (int k = 0; k < F_MAX; k++)
			len += ((uint32_t)map[k] < row.ncell ? row.cells[map[k]].n : 0) + 1;
		char *block = malloc(len);
		if (!block) {
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
			break;
		}
		rflag *r = &fs->v[fs->n++];
		for (int k = 0; k < F_MAX; k++) {
			uint32_t n = (uint32_t)map[k] < row.ncell ? row.cells[map[k]].n : 0;
			r->f[k] = block;
			if (n)
				memcpy(block, row.cells[map[k]].s, n);
			block[n] = '\0';
			block += n + 1;
		}
		r->m = matcher(r->f[F_RULE]);
		r->rank = r->m ? (size_t)(r->m - bd_matchers) : bd_nmatchers;
	}
	bd_csv_close(c);
	return e;
}

static void free_flags(flagset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].f[0]); /* the row's block */
	free(fs->v);
}

/* What a township without a name is called in file names and sheets. */
static const char *town_name(const char *t)
{
	return t[0] ? t : "未知乡镇";
}

/* Townships by name, the unknown one ("") last. */
static int town_cmp(const char *a, const char *b)
{
	if (!*a || !*b)
		return (!*a) - (!*b);
	return strcmp(a, b);
}

static int by_town_rule(const void *a, const void *b)
{
	const rflag *x = a, *y = b;
	int c = town_cmp(x->f[F_TOWN], y->f[F_TOWN]);
	if (!c) {
		c = x->rank < y->rank ? -1 : x->rank > y->rank;
	}
	if (!c)
		c = strcmp(x->f[F_RULE], y->f[F_RULE]);
	if (!c)
		c = strcmp(x->f[F_VILLAGE], y->f[F_VILLAGE]);
	if (!c)
		c = strcmp(x->f[F_HH], y->f[F_HH]);
	if (!c)
		c = strcmp(x->f[F_NAME], y->f[F_NAME]);
	return c ? c : strcmp(x->f[F_ID], y->f[F_ID]);
}

typedef struct fmts {
	lxw_format *title, *head, *text, *money, *num, *date, *pct, *unlocked, *unlocked_date;
	lxw_format *plain, *para, *money_head, *nowrap;
	lxw_format *seq, *code, *screen_head;
} fmts;

/* A cell format: 宋体 10 (what Chinese offices print with; other systems
 * substitute their CJK font), thin border, centred vertically. */
static lxw_format *cell_format(lxw_workbook *wb, const char *num, bool wrap)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, "宋体");
	format_set_font_size(f, 10);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (num)
		format_set_num_format(f, num);
	if (wrap)
		format_set_text_wrap(f);
	return f;
}

/* Text is indented by one character and numbers end with a space, so that
 * a right-aligned value never runs into a left-aligned neighbour (a
 * flag_id read over the phone must come out right). */
static void make_formats(lxw_workbook *wb, fmts *f)
{
	f->title = workbook_add_format(wb);
	format_set_font_name(f->title, "宋体");
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = cell_format(wb, NULL, true);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	f->screen_head = cell_format(wb, NULL, true);
	format_set_bold(f->screen_head);
	format_set_bg_color(f->screen_head, 0xE7E6E6); /* grey: not printed */
	format_set_align(f->screen_head, LXW_ALIGN_CENTER);
	f->money_head = cell_format(wb, "#,##0.00_ ", false);
	format_set_bold(f->money_head);
	format_set_bg_color(f->money_head, 0xDDEBF7);
	f->text = cell_format(wb, NULL, true);
	format_set_indent(f->text, 1);
	f->nowrap = cell_format(wb, NULL, false);
	format_set_indent(f->nowrap, 1);
	f->code = cell_format(wb, NULL, false);
	format_set_indent(f->code, 1);
	f->money = cell_format(wb, "#,##0.00_ ", false);
	f->num = cell_format(wb, "0_ ", false);
	f->seq = cell_format(wb, "0", false);
	format_set_align(f->seq, LXW_ALIGN_CENTER);
	f->date = cell_format(wb, "yyyy-mm-dd", false);
	format_set_align(f->date, LXW_ALIGN_CENTER);
	f->pct = cell_format(wb, "0.0%_ ", false);
	f->unlocked = cell_format(wb, NULL, true);
	format_set_unlocked(f->unlocked);
	format_set_bg_color(f->unlocked, 0xFFF2CC);
	f->unlocked_date = cell_format(wb, "yyyy-mm-dd", false);
	format_set_unlocked(f->unlocked_date);
	format_set_align(f->unlocked_date, LXW_ALIGN_CENTER);
	format_set_bg_color(f->unlocked_date, 0xFFF2CC);
	/* text outside tables: no border */
	f->plain = workbook_add_format(wb);
	format_set_font_name(f->plain, "宋体");
	format_set_font_size(f->plain, 11);
	f->para = workbook_add_format(wb);
	format_set_font_name(f->para, "宋体");
	format_set_font_size(f->para, 11);
	format_set_text_wrap(f->para);
	format_set_align(f->para, LXW_ALIGN_VERTICAL_TOP);
}

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
static const int screen_field[NSCREEN] = { F_STATUS, F_NAME, F_HH, F_IDMASK, F_MONTHLY };
enum { MAXCOLS = 48, MAXEV = 24 };
#define SCREEN_MAX_W 30.0 /* screen columns: text longer than this is cut on screen, whole in the cell */
#define LINE_PT 13.5      /* one line of 10-point text */
#define ROW_MIN_PT 40.0   /* a box 12 mm high at the printed scale */
/* a rule sheet of more rows than fit on a printed page starts each
 * village on a new page, so that each village's pages can go to the person
 * who visits it */
enum { VILLAGE_PAGES_FROM = 10 };

/* Display width of UTF-8 text: CJK and full-width characters count 2. */
static double text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if (*u < 0x80)
			w += 1;
		else if ((*u & 0xc0) != 0x80)
			w += *u >= 0xe0 ? 2 : 1;
	return w;
}

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
		      const fmts *F)
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

static void put_money(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *v, const fmts *F)
{
	if (v[0])
		worksheet_write_number(ws, r, c, atof(v), F->money);
	else
		worksheet_write_blank(ws, r, c, F->nowrap);
}

/* Lines text takes in a column of width w (characters of the sheet), each
 * of its own lines wrapped; one character of indent. */
static int lines_in(const char *text, double w)
{
	int n = 0;
	char one[1024];
	for (const char *s = text;;) {
		size_t len = strcspn(s, "\n");
		snprintf(one, sizeof(one), "%.*s", (int)(len < sizeof(one) - 1 ? len : sizeof(one) - 1), s);
		double t = text_width(one);
		int k = 1;
		while (t > (w - 2) * k && k < 20)
			k++;
		n += k;
		if (!s[len])
			break;
		s += len + 1;
	}
	return n;
}

/* A village's name for 村(社区): R02 keeps the 12-digit code in flags.csv
 * (OUTPUT.md) and names the village in its evidence (村名称). */
static void village_shown(const rflag *x, char *out, size_t cap)
{
	const char *v = x->f[F_VILLAGE], *ev = x->f[F_EVIDENCE], *n = strstr(ev, "村名称：");
	snprintf(out, cap, "%s", v);
	if (strlen(v) == 12 && strspn(v, "0123456789") == 12 && n) {
		n += strlen("村名称：");
		const char *end = strstr(n, "；");
		snprintf(out, cap, "%.*s", (int)(end ? (size_t)(end - n) : strlen(n)), n);
	}
}

/* One sheet for rule flags [a, b) of a township. */
static void rule_sheet(lxw_workbook *wb, const fmts *F, const bd_config *cfg, const char *town,
		       bool village_pages, const rflag *v, size_t a, size_t b)
{
	const bd_matcher *m = v[a].m;
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
		w[c] = text_width(hd[c]) + 2;
	for (size_t i = a; i < b; i++) {
		for (size_t c = 0; c < NSCREEN; c++) {
			double x = text_width(v[i].f[screen_field[c]]) + 2;
			w[NPRINT + c] = x > w[NPRINT + c] ? x : w[NPRINT + c];
		}
		split_evidence(v[i].f[F_EVIDENCE], cols, nev, buf, sizeof(buf), val, other, sizeof(other), lines,
			       sizeof(lines));
		for (size_t c = 0; c < nev; c++) {
			double x = text_width(val[c]) + 2;
			w[c_ev + c] = x > w[c_ev + c] ? x : w[c_ev + c];
		}
		double x = text_width(other) + 2;
		w[c_other] = x > w[c_other] ? x : w[c_other];
		x = text_width(v[i].f[F_SRC]) + text_width(v[i].f[F_ROW]) + 4;
		w[c_src] = x > w[c_src] ? x : w[c_src];
	}
	for (size_t c = 0; c < ncols; c++) {
		if (c >= NPRINT)
			w[c] = w[c] > SCREEN_MAX_W ? SCREEN_MAX_W : w[c];
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w[c], NULL);
	}
	int hl = 1;
	for (size_t c = 0; c < NPRINT; c++) {
		int l = lines_in(hd[c], w[c]);
		hl = l > hl ? l : hl;
	}
	worksheet_set_row(ws, 0, hl * LINE_PT + 6, NULL);
	for (size_t c = 0; c < ncols; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, hd[c], c < NPRINT ? F->head : F->screen_head);
	lxw_row_t r = 1;
	lxw_row_t breaks[1024];
	size_t nbreaks = 0;
	for (size_t i = a; i < b; i++, r++) {
		const rflag *x = &v[i];
		char src[160], idm[64], who[256], vil[128];
		const char *row = x->f[F_ROW];
		/* R02 counts a village: no row to point at */
		snprintf(src, sizeof(src), row[0] ? "%s %s" : "%s（按村统计）", x->f[F_SRC], row);
		snprintf(idm, sizeof(idm), "%s", x->f[F_IDMASK]);
		if (!cfg->show_full_id)
			bd_id_remask(idm, sizeof(idm));
		village_shown(x, vil, sizeof(vil));
		snprintf(who, sizeof(who), "%s%s%s%s%s", x->f[F_NAME], x->f[F_HH][0] ? "\n" : "", x->f[F_HH],
			 idm[0] ? "\n" : "", idm);
		bd_prog p = bd_prog_from_code(x->f[F_PROG], strlen(x->f[F_PROG]));
		const char *prog = p ? bd_prog_name(p) : "";
		split_evidence(x->f[F_EVIDENCE], cols, nev, buf, sizeof(buf), val, other, sizeof(other), lines,
			       sizeof(lines));
		if (village_pages && i > a && strcmp(x->f[F_VILLAGE], v[i - 1].f[F_VILLAGE]) && nbreaks < 1023)
			breaks[nbreaks++] = r;
		/* the row is as tall as its longest wrapped printed text, and
		 * never less than the room a handwritten note needs */
		const char *printed[] = { vil, who, prog, lines };
		const size_t pc[] = { P_VILLAGE, P_WHO, P_PROG, P_EVIDENCE };
		int nl = 1;
		for (size_t k = 0; k < BD_ARRAY_LEN(printed); k++) {
			int l = lines_in(printed[k], w[pc[k]]);
			nl = l > nl ? l : nl;
		}
		double ht = nl * LINE_PT + 6;
		worksheet_set_row(ws, r, ht > ROW_MIN_PT ? ht : ROW_MIN_PT, NULL);
		worksheet_write_number(ws, r, P_NO, (double)(i - a + 1), F->seq);
		worksheet_write_string(ws, r, P_ID, x->f[F_ID], F->code);
		worksheet_write_string(ws, r, P_SEV, x->f[F_SEV], F->text);
		worksheet_write_string(ws, r, P_VILLAGE, vil, F->text);
		worksheet_write_string(ws, r, P_WHO, who, F->text);
		worksheet_write_string(ws, r, P_PROG, prog, F->text);
		worksheet_write_string(ws, r, P_EVIDENCE, lines, F->text);
		for (size_t c = P_OUTCOME; c <= P_DATE; c++)
			worksheet_write_blank(ws, r, (lxw_col_t)c, c == P_DATE ? F->unlocked_date : F->unlocked);
		for (size_t c = 0; c < NSCREEN; c++) {
			lxw_col_t col = (lxw_col_t)(NPRINT + c);
			if (c == S_MONTHLY)
				put_money(ws, r, col, x->f[F_MONTHLY], F);
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

static void cover_sheet(lxw_workbook *wb, const fmts *F, const bd_config *cfg, const char *index_id,
			const char *town, const rflag *v, size_t a, size_t b)
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
		double tw = text_width(howto[i]);
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

/* libxlsxwriter stamps docProps/core.xml with gmtime(), which is not
 * reentrant: workbooks are filled in parallel but closed one at a time. */
static pthread_mutex_t close_mu = PTHREAD_MUTEX_INITIALIZER;

/* Closes a workbook that failed half-way and removes its temporary file. */
static void discard(lxw_workbook *wb, const char *tmp)
{
	pthread_mutex_lock(&close_mu);
	workbook_close(wb);
	pthread_mutex_unlock(&close_mu);
	unlink(tmp);
}

static bd_err save(lxw_workbook *wb, const char *tmp, const char *final)
{
	pthread_mutex_lock(&close_mu);
	lxw_error le = workbook_close(wb);
	pthread_mutex_unlock(&close_mu);
	if (le != LXW_NO_ERROR) {
		int err = errno;
		unlink(tmp);
		/* libxlsxwriter says ZIP_ERRNO and the like; a full disk is what
		 * the clerk can act on */
		char dir[4400];
		snprintf(dir, sizeof(dir), "%s", final);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		struct statvfs vs;
		if (err == ENOSPC || (statvfs(slash ? dir : ".", &vs) == 0 &&
				      (unsigned long long)vs.f_bavail * vs.f_frsize < ((unsigned long long)16 << 20)))
			return bd_fail(BD_ERR_IO, "写入 %s 失败：磁盘空间不足 (disk full)。请清理 %s 所在磁盘后重新运行 "
				       "bidui report", final, slash ? dir : ".");
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", final, lxw_strerror(le));
	}
	if (rename(tmp, final) != 0)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", final, strerror(errno));
	return BD_OK;
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

/* Starts the workbook <out>/<file> under a temporary name (save renames
 * it), in constant-memory mode, with the formats; final receives the
 * path (PATH_CAP bytes). */
enum { PATH_CAP = 4200 };
static bd_err book_open(const bd_config *cfg, const char *file, char *final, char tmp[PATH_CAP + 100],
			lxw_workbook **wb, fmts *F)
{
	snprintf(final, PATH_CAP, "%s/%s", cfg->out, file);
	snprintf(tmp, PATH_CAP + 100, "%s/.%s.tmp", cfg->out, file);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	if (!(*wb = workbook_new_opt(tmp, &opt)))
		return bd_fail(BD_ERR_IO, "无法创建 %s", tmp);
	make_formats(*wb, F);
	return BD_OK;
}

/* The workbook of the township of flags [a, b); its path into final. */
static bd_err township_workbook(const bd_config *cfg, const char *index_id, const rflag *v, size_t a, size_t b,
				char *final)
{
	const char *town = town_name(v[a].f[F_TOWN]);
	char part[256], file[400], tmp[PATH_CAP + 100];
	file_part(town, part, sizeof(part));
	snprintf(file, sizeof(file), "%s_%s_核查表.xlsx", cfg->period, part);
	lxw_workbook *wb;
	fmts F;
	bd_err e = book_open(cfg, file, final, tmp, &wb, &F);
	if (e)
		return e;
	cover_sheet(wb, &F, cfg, index_id, town, v, a, b);
	for (size_t i = a; i < b;) {
		size_t j = i;
		while (j < b && !strcmp(v[j].f[F_RULE], v[i].f[F_RULE]))
			j++;
		rule_sheet(wb, &F, cfg, town, j - i > VILLAGE_PAGES_FROM, v, i, j);
		i = j;
	}
	return save(wb, tmp, final);
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

/* lifecycle.csv (written by match): flags gone since the previous run
 * (已消除) and flags reviewed 不属实 not shown again, by township. */
typedef struct lifeev {
	char *town;
	bool resolved;      /* else: 不属实, not shown */
} lifeev;

static int lifeev_cmp(const void *a, const void *b)
{
	return town_cmp(((const lifeev *)a)->town, ((const lifeev *)b)->town);
}

/* Reads <out>/lifecycle.csv into *out (sorted by township; caller frees
 * each town and the array); none when the file is absent. */
static bd_err load_lifecycle(const bd_config *cfg, lifeev **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char path[4200];
	snprintf(path, sizeof(path), "%s/lifecycle.csv", cfg->out);
	if (access(path, R_OK) != 0)
		return BD_OK;
	bd_csv *c;
	bd_err e = bd_csv_open(path, "utf-8", &c);
	if (e)
		return e;
	bd_row row;
	bool eof;
	int ct = -1, ce = -1;
	size_t cap = 0;
	while (!(e = bd_csv_next(c, &row, &eof)) && !eof) {
		if (ct < 0 && ce < 0) {
			for (uint32_t i = 0; i < row.ncell; i++) {
				if (!strcmp(row.cells[i].s, "township"))
					ct = (int)i;
				if (!strcmp(row.cells[i].s, "event"))
					ce = (int)i;
			}
			if (ct < 0 || ce < 0) {
				e = bd_fail(BD_ERR_HEADER, "%s 缺少 township 或 event 列", path);
				break;
			}
			continue;
		}
		if ((uint32_t)ct >= row.ncell || (uint32_t)ce >= row.ncell)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			lifeev *nv = realloc(*out, cap * sizeof(*nv));
			if (!nv) {
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
				break;
			}
			*out = nv;
		}
		(*out)[*n].town = strdup(row.cells[ct].s);
		(*out)[*n].resolved = !strcmp(row.cells[ce].s, "已消除");
		if (!(*out)[(*n)++].town) {
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
			break;
		}
	}
	bd_csv_close(c);
	if (!e && *n)
		qsort(*out, *n, sizeof(**out), lifeev_cmp);
	return e;
}

#define OVERPAID_HEAD "死亡后多发金额(元，C01)"

/* 汇总: township x family counts, overpayment, lifecycle (新增, 持续 from
 * flags.csv; 已消除, 不属实 from lifecycle.csv), two native charts. */
static void summary_sheet(lxw_workbook *wb, const fmts *F, const bd_config *cfg, const rflag *v,
			  size_t n, const lifeev *lv, size_t nl)
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
	worksheet_set_row(ws, 2, 2 * LINE_PT + 6, NULL);
	write_row_strings(ws, 2, head, NH, F->head);
	worksheet_set_column(ws, 0, 0, 18, NULL);
	worksheet_set_column(ws, 1, 5, 9, NULL);
	worksheet_set_column(ws, 6, 6, 16, NULL);
	worksheet_set_column(ws, 7, NH - 1, 9, NULL);
	lxw_row_t r = 3;
	double tot[NH] = { 0 };
	/* both lists are sorted by township: walk them together */
	for (size_t i = 0, li = 0; i < n || li < nl;) {
		const char *town = i < n && (li >= nl || town_cmp(v[i].f[F_TOWN], lv[li].town) <= 0)
					   ? v[i].f[F_TOWN] : lv[li].town;
		double c[NH] = { 0 };
		for (; i < n && !strcmp(v[i].f[F_TOWN], town); i++) {
			const bd_matcher *m = v[i].m;
			if (m)
				c[1 + m->family]++;
			c[5]++;
			c[6] += money(v[i].f[F_OVERPAID]);
			c[7] += !strcmp(v[i].f[F_STATUS], "新增");
			c[8] += !strcmp(v[i].f[F_STATUS], "持续");
		}
		for (; li < nl && !strcmp(lv[li].town, town); li++)
			c[lv[li].resolved ? 9 : 10]++;
		worksheet_write_string(ws, r, 0, town_name(town), F->text);
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
static void by_rule_sheet(lxw_workbook *wb, const fmts *F, const rflag *v, size_t n)
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
		while (j < n && !strcmp(v[j].f[F_TOWN], v[i].f[F_TOWN]))
			j++;
		worksheet_write_string(ws, r, 0, town_name(v[i].f[F_TOWN]), F->text);
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

/* A CSV file as a sheet (manifest lines, rejected rows). */
/* ---- 运行清单: manifest.json flattened into 键 / 值 rows ---- */

typedef struct jflat {
	const char *p, *end;
	char key[512];
	lxw_worksheet *ws;
	const fmts *F;
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
static void manifest_sheet(lxw_workbook *wb, const fmts *F, const char *path)
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
static bd_err rejected_sheet(lxw_workbook *wb, const fmts *F, const char *path)
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
			int l = lines_in(s, cw[i]);
			lines = l > lines ? l : lines;
		}
		worksheet_set_row(ws, r, lines * LINE_PT + 4, NULL);
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
static bd_err summary_workbook(const bd_config *cfg, const rflag *v, size_t n, char *final)
{
	char file[400], tmp[PATH_CAP + 100], path[PATH_CAP];
	snprintf(file, sizeof(file), "%s_汇总.xlsx", cfg->period);
	lxw_workbook *wb;
	fmts F;
	bd_err e = book_open(cfg, file, final, tmp, &wb, &F);
	if (e)
		return e;
	lifeev *lv;
	size_t nl;
	bd_err le = load_lifecycle(cfg, &lv, &nl);
	if (le) {
		discard(wb, tmp);
		return le;
	}
	summary_sheet(wb, &F, cfg, v, n, lv, nl);
	for (size_t i = 0; i < nl; i++)
		free(lv[i].town);
	free(lv);
	by_rule_sheet(wb, &F, v, n);
	/* the manifest, one line per row, and the rejected rows */
	snprintf(path, sizeof(path), "%s/manifest.json", cfg->out);
	manifest_sheet(wb, &F, path);
	snprintf(path, sizeof(path), "%s/rejected.csv", cfg->out);
	if ((e = rejected_sheet(wb, &F, path))) {
		discard(wb, tmp);
		return e;
	}
	return save(wb, tmp, final);
}

/* The workbooks are independent: townships and the summary are written by
 * cfg->threads workers; what each wrote is reported in order afterwards. */
typedef struct rtask {
	size_t a, b;          /* flags of one township; a == b: the summary */
	bool summary;
	bd_err e;
	char msg[512];
	char path[PATH_CAP];  /* the workbook written */
} rtask;

typedef struct rpool {
	const bd_config *cfg;
	char index_id[17];   /* written on every cover (history.h) */
	const flagset *fs;
	rtask *t;
	size_t n, next, done;
	bool progress;
	pthread_mutex_t mu;
} rpool;

static void *report_worker(void *arg)
{
	rpool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t k = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->mu);
		if (k == p->n)
			return NULL;
		rtask *t = &p->t[k];
		t->e = t->summary ? summary_workbook(p->cfg, p->fs->v, p->fs->n, t->path)
				  : township_workbook(p->cfg, p->index_id, p->fs->v, t->a, t->b, t->path);
		if (t->e) /* messages are per thread: carry it to the caller */
			snprintf(t->msg, sizeof(t->msg), "%s", bd_last_error());
		pthread_mutex_lock(&p->mu);
		p->done++;
		if (p->progress)
			fprintf(stderr, "\r[核查表] %zu/%zu%s", p->done, p->n, p->done == p->n ? "\n" : "");
		pthread_mutex_unlock(&p->mu);
	}
}

/* The index's identity (history:id), which the workbooks carry. */
static bd_err index_identity(const bd_config *cfg, char id[17])
{
	bd_key key;
	bd_index *ix;
	bd_history_info hi;
	bd_err e = bd_key_load(cfg->key, &key);
	if (e)
		return e;
	e = bd_index_open(cfg->index, &key, BD_IX_READ, 0, &ix);
	memset(&key, 0, sizeof(key));
	if (e)
		return e;
	e = bd_history_info_get(ix, &hi);
	bd_index_close(ix);
	if (!e && !hi.id[0])
		e = bd_fail(BD_ERR_USAGE, "索引 %s 还没有比对过：请先运行 bidui match", cfg->index);
	if (!e)
		snprintf(id, 17, "%s", hi.id);
	return e;
}

/* Removes <period>_*_核查表.xlsx files of cfg->out that this run did not
 * write (tasks t[0..k)). */
static bd_err remove_stale(const bd_config *cfg, const rtask *t, size_t k, FILE *report)
{
	DIR *d = opendir(cfg->out);
	if (!d)
		return bd_fail(BD_ERR_IO, "无法读取 %s: %s", cfg->out, strerror(errno));
	char prefix[128];
	snprintf(prefix, sizeof(prefix), "%s_", cfg->period);
	static const char suffix[] = "_核查表.xlsx";
	bd_err e = BD_OK;
	for (struct dirent *de; !e && (de = readdir(d)) != NULL;) {
		size_t n = strlen(de->d_name), sl = sizeof(suffix) - 1;
		if (strncmp(de->d_name, prefix, strlen(prefix)) || n < sl || strcmp(de->d_name + n - sl, suffix))
			continue;
		char path[PATH_CAP + 300];
		snprintf(path, sizeof(path), "%s/%s", cfg->out, de->d_name);
		bool ours = false;
		for (size_t i = 0; i < k && !ours; i++)
			ours = !strcmp(t[i].path, path);
		if (ours)
			continue;
		if (unlink(path) != 0)
			e = bd_fail(BD_ERR_IO, "无法删除过期的核查表 %s: %s", path, strerror(errno));
		else if (report)
			fprintf(report, "  删除本期已无提示的乡镇核查表 %s\n", de->d_name);
	}
	closedir(d);
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
	/* one task per township and the summary */
	size_t ntask = 1;
	for (size_t i = 1; !e && i <= fs.n; i++)
		ntask += i == fs.n || strcmp(fs.v[i].f[F_TOWN], fs.v[i - 1].f[F_TOWN]);
	rtask *t = e ? NULL : calloc(ntask, sizeof(*t));
	if (!e && !t)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	if (e) {
		free_flags(&fs);
		return e;
	}
	size_t k = 0;
	for (size_t i = 0; i < fs.n;) {
		size_t j = i;
		while (j < fs.n && !strcmp(fs.v[j].f[F_TOWN], fs.v[i].f[F_TOWN]))
			j++;
		t[k].a = i;
		t[k++].b = j;
		i = j;
	}
	t[k++].summary = true;
	rpool p = { .cfg = cfg, .fs = &fs, .t = t, .n = k, .progress = bd_progress_wanted() };
	if ((e = index_identity(cfg, p.index_id))) {
		free(t);
		free_flags(&fs);
		return e;
	}
	pthread_mutex_init(&p.mu, NULL);
	int nth = cfg->threads < (int)k ? cfg->threads : (int)k;
	pthread_t th[64];
	int started = 0;
	for (; started < nth - 1 && started < 64; started++)
		if (pthread_create(&th[started], NULL, report_worker, &p))
			break;
	report_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
	for (size_t i = 0; i < k && !e; i++) {
		if (t[i].e) {
			e = bd_fail(t[i].e, "%s", t[i].msg);
		} else if (report && t[i].summary) {
			fprintf(report, "  %s（汇总）\n", t[i].path);
		} else if (report) {
			fprintf(report, "  %s（%zu 条）\n", t[i].path, t[i].b - t[i].a);
		}
	}
	/* a township with no flag this time keeps no workbook of this period
	 * from an earlier run (it could hold full IDs the run no longer
	 * shows, and a reviewer would fill in flags that are gone) */
	if (!e)
		e = remove_stale(cfg, t, k, report);
	free(t);
	free_flags(&fs);
	return e;
}
