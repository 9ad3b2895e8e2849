/* review.c - filled township workbooks read back into the history. */
#include "bd/review.h"
#include "bd/csvout.h"
#include "bd/history.h"
#include "bd/key.h"
#include "bd/normal.h"
#include "bd/sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { C_FID, C_OUTCOME, C_NOTE, C_REVIEWER, C_DATE, C_NAME, C_MAX };
static const char *const col_names[C_MAX] = { "flag_id", "核查结论", "核查说明", "核查人", "核查日期", "姓名" };
enum { C_NEEDED = C_NAME }; /* 姓名 is checked where the sheet has it */

/* The review.csv header: one line per row read, every batch kept. */
static const char CSV_HEAD[] = "\xEF\xBB\xBF" "读回时间,文件,页,行,期次,flag_id,核查结论,处理结果\n";

typedef struct rctx {
	const bd_config *cfg;
	bd_history *h;
	FILE *csv, *report;
	bd_review_stats *st;
	const char *path, *base;
	char batch[32];           /* when this batch was read */
	int32_t today;            /* yyyymmdd: no review is dated later */
	/* the workbook's own identity, from its cover (report.c) */
	char period[16], index_id[32];
	bool has_ident;
} rctx;

static const char *cell(const bd_row *r, int col)
{
	return col >= 0 && (uint32_t)col < r->ncell ? r->cells[col].s : "";
}

/* Copies s without surrounding white space (full-width and line breaks
 * included: reviewers type them). */
static void trimmed(const char *s, char *out, size_t cap)
{
	size_t n;
	s = bd_trim(s, strlen(s), &n);
	bd_utf8_copy(out, cap, s, n);
}

typedef enum { L_OK, L_PROBLEM, L_WARNING } lkind;

/* One line of review.csv; problems and warnings also go to the screen,
 * named by file, sheet and row. */
static bd_err line(rctx *c, const char *sheet, uint32_t row, const char *fid, const char *outcome,
		   const char *result, lkind kind)
{
	char rs[16] = "";
	if (row)
		snprintf(rs, sizeof(rs), "%u", row);
	bool ok = bd_csv_puts(c->csv, c->batch, ',') && bd_csv_puts(c->csv, c->base, ',') &&
		  bd_csv_puts(c->csv, sheet, ',') && bd_csv_puts(c->csv, rs, ',') &&
		  bd_csv_puts(c->csv, c->period, ',') && bd_csv_puts(c->csv, fid, ',') &&
		  bd_csv_puts(c->csv, outcome, ',') && bd_csv_puts(c->csv, result, '\n');
	if (kind == L_PROBLEM)
		c->st->problems++;
	else if (kind == L_WARNING)
		c->st->warnings++;
	if (kind != L_OK && c->report) {
		if (row)
			fprintf(c->report, "  %s「%s」第 %u 行：%s\n", c->path, sheet, row, result);
		else
			fprintf(c->report, "  %s：%s\n", c->path, result);
	}
	return ok ? BD_OK : bd_fail(BD_ERR_IO, "写入 review.csv 失败: %s", strerror(errno));
}

/* Is anything written in the row? (a row a reviewer added has no flag_id) */
static bool row_has_text(const bd_row *r)
{
	for (uint32_t i = 0; i < r->ncell; i++) {
		size_t n;
		bd_trim(r->cells[i].s, r->cells[i].n, &n);
		if (n)
			return true;
	}
	return false;
}

/*
 * 核查日期 as the sheet's own validation has it: a date after 2000-01-01,
 * and not after the day of reading. A bare number is not a date (typed
 * into a text cell it would otherwise be taken as an Excel serial: 45 is
 * 1900-02-14). Returns 0 and a message in msg when it is not acceptable.
 */
static int32_t review_date(const rctx *c, const char *date, char *msg, size_t cap)
{
	size_t digits = strspn(date, "0123456789");
	int32_t ymd = 0;
	if (!date[digits] && digits != 8) {
		snprintf(msg, cap, "核查日期「%s」是一个数字，不是日期：请写成 2027-01-15 这样的日期后重新交回", date);
		return 0;
	}
	if (bd_date_parse(date, strlen(date), &ymd) != BD_PARSE_OK) {
		snprintf(msg, cap, "核查日期「%s」不是日期：请写成 2027-01-15 这样的日期后重新交回", date);
		return 0;
	}
	if (ymd <= 20000101 || ymd > c->today) {
		snprintf(msg, cap, "核查日期「%s」不在 2000-01-02 到今天（%04d-%02d-%02d）之间：请填写实际核查的日期后重新交回",
			 date, c->today / 10000, c->today / 100 % 100, c->today % 100);
		return 0;
	}
	return ymd;
}

/* Does the review change what the history holds? */
static bool same_review(const bd_hist *a, const bd_hist *b)
{
	return a->outcome == b->outcome && !strcmp(a->review_period, b->review_period) &&
	       !strcmp(a->reviewer, b->reviewer) && !strcmp(a->review_date, b->review_date) &&
	       !strcmp(a->note, b->note) && a->review_evhash == b->review_evhash;
}

/* Checks one row against its history entry x and fills the review into x;
 * a message in msg (and false) when the row cannot be recorded. */
static bool check_row(rctx *c, const bd_row *r, const int *col, bd_hist *x, const char *outcome, char *msg,
		      size_t cap)
{
	char name[64];
	trimmed(cell(r, col[C_NAME]), name, sizeof(name));
	if (!bd_hist_has(x, c->period)) {
		snprintf(msg, cap, "flag_id 不是 %s 期的提示：请不要把别的核查表的行复制到本表", c->period);
		return false;
	}
	if (col[C_NAME] >= 0 && strcmp(name, x->name)) {
		snprintf(msg, cap,
			 "姓名「%s」与这个 flag_id 的提示（%s）不符：可能排序时只选了部分列，或改动了证据列；"
			 "请在原表中重新填写这一行后交回",
			 name, x->name[0] ? x->name : "无姓名");
		return false;
	}
	bd_outcome o = bd_outcome_parse(outcome);
	if (o == BD_OUT_NONE) {
		snprintf(msg, cap, "核查结论「%s」不是 属实、不属实、已整改、其他 之一：请从下拉框中选择后重新交回",
			 outcome);
		return false;
	}
	char date[64], note[400], reviewer[64];
	trimmed(cell(r, col[C_DATE]), date, sizeof(date));
	trimmed(cell(r, col[C_NOTE]), note, sizeof(note));
	trimmed(cell(r, col[C_REVIEWER]), reviewer, sizeof(reviewer));
	int32_t ymd = 0;
	if (date[0] && !(ymd = review_date(c, date, msg, cap)))
		return false;
	x->outcome = o;
	snprintf(x->review_period, sizeof(x->review_period), "%s", c->period);
	snprintf(x->reviewer, sizeof(x->reviewer), "%s", reviewer);
	if (ymd)
		snprintf(x->review_date, sizeof(x->review_date), "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100,
			 ymd % 100);
	else
		x->review_date[0] = '\0';
	snprintf(x->note, sizeof(x->note), "%s", note);
	/* the evidence the reviewer saw: the latest, unless it changed after
	 * the workbook's period (a workbook returned late) */
	int seen = bd_history_run_order(c->h, c->period);
	bool replaced = x->ev_since[0] && bd_history_run_order(c->h, x->ev_since) > seen;
	x->review_evhash = replaced ? 0 : x->evhash;
	return true;
}

/* One data row of a rule sheet. */
static bd_err review_row(rctx *c, const char *sheet, const bd_row *r, const int *col)
{
	char fid[64], outcome[64], msg[600];
	trimmed(cell(r, col[C_FID]), fid, sizeof(fid));
	trimmed(cell(r, col[C_OUTCOME]), outcome, sizeof(outcome));
	if (!fid[0]) {
		if (!row_has_text(r))
			return BD_OK; /* blank rows below the table */
		c->st->rows++;
		return line(c, sheet, r->rowno, "", outcome,
			    "这一行没有 flag_id（是新加的行吗？）：核查结论只能填在表中原有的行里，这一行没有记录；"
			    "新发现的情况请另行报告",
			    L_PROBLEM);
	}
	c->st->rows++;
	bd_hist *x = malloc(2 * sizeof(*x));
	if (!x)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bool found;
	bd_err e = bd_history_get(c->h, fid, x, &found);
	if (e || !found) {
		free(x);
		return e ? e
			 : line(c, sheet, r->rowno, fid, outcome,
				"flag_id 在索引的历史记录中找不到：请交回由本索引生成的核查表，不要修改 flag_id 列",
				L_PROBLEM);
	}
	if (!outcome[0]) {
		free(x);
		c->st->blank++;
		return line(c, sheet, r->rowno, fid, "", "未填写核查结论（未记录）", L_OK);
	}
	x[1] = x[0];
	if (!check_row(c, r, col, &x[1], outcome, msg, sizeof(msg))) {
		free(x);
		return line(c, sheet, r->rowno, fid, outcome, msg, L_PROBLEM);
	}
	bool same = same_review(&x[0], &x[1]);
	if (!same)
		e = bd_history_put(c->h, fid, &x[1]);
	bd_hist *v = &x[1];
	if (e) {
		free(x);
		return e;
	}
	c->st->recorded++;
	c->st->unchanged += same;
	e = line(c, sheet, r->rowno, fid, outcome, same ? "已记录（与上次读回的相同）" : "已记录", L_OK);
	/* recorded, but the cover asks for these */
	if (!e && v->outcome == BD_OUT_OTHER && !v->note[0])
		e = line(c, sheet, r->rowno, fid, outcome, "提醒：结论为“其他”，但核查说明为空（已记录）", L_WARNING);
	if (!e && (!v->reviewer[0] || !v->review_date[0]))
		e = line(c, sheet, r->rowno, fid, outcome,
			 !v->reviewer[0] && !v->review_date[0] ? "提醒：没有填写核查人和核查日期（已记录）"
			 : !v->reviewer[0]		       ? "提醒：没有填写核查人（已记录）"
							       : "提醒：没有填写核查日期（已记录）",
			 L_WARNING);
	free(x);
	return e;
}

typedef enum { PASS_IDENT, PASS_ROWS } rpass;

/* The workbook's identity rows on its cover: 期次 | 2026Q4 and
 * 索引标识 | 16 hex digits (report.c writes them). */
static void ident_row(rctx *c, const bd_row *r)
{
	char label[64];
	trimmed(cell(r, 0), label, sizeof(label));
	if (!strcmp(label, "期次")) {
		trimmed(cell(r, 1), c->period, sizeof(c->period));
		c->has_ident = true;
	} else if (!strcmp(label, "索引标识")) {
		trimmed(cell(r, 1), c->index_id, sizeof(c->index_id));
		c->has_ident = true;
	}
}

/* Sheet k (1-based) of the workbook: true in *none when there is no such
 * sheet. A rule sheet's header is its first row; other sheets (说明) are
 * read for the workbook's identity in the first pass, rule rows in the
 * second. */
static bd_err review_sheet(rctx *c, int k, rpass pass, bool *none, bool *had_rules)
{
	char sk[16];
	snprintf(sk, sizeof(sk), "%d", k);
	bd_sheet *sh;
	bd_err e = bd_sheet_open(c->path, BD_FMT_XLSX, sk, NULL, &sh);
	if (e) {
		if (k == 1)
			return e;
		bd_clear_error();
		*none = true;
		return BD_OK;
	}
	bd_row r;
	bool eof;
	int col[C_MAX];
	bool header = false, rules = false;
	char sheet[128];
	if (*bd_sheet_name(sh))
		snprintf(sheet, sizeof(sheet), "%s", bd_sheet_name(sh));
	else
		snprintf(sheet, sizeof(sheet), "第 %d 页", k);
	while (!(e = bd_sheet_next(sh, &r, &eof)) && !eof) {
		if (!header) {
			for (int i = 0; i < C_MAX; i++) {
				col[i] = -1;
				for (uint32_t j = 0; j < r.ncell; j++)
					if (!strcmp(r.cells[j].s, col_names[i]))
						col[i] = (int)j;
			}
			header = rules = true;
			for (int i = 0; i < C_NEEDED; i++)
				rules = rules && col[i] >= 0;
			*had_rules = *had_rules || rules;
			if (rules && pass == PASS_IDENT)
				break;
			if (rules)
				continue;
		}
		if (!rules && pass == PASS_IDENT)
			ident_row(c, &r);
		else if (!rules)
			break; /* 说明, or a sheet someone added */
		else if ((e = review_row(c, sheet, &r, col)))
			break;
	}
	bd_sheet_close(sh);
	return e;
}

/* The workbook's identity against the index: false (and one line for the
 * whole file) when its rows cannot be recorded here. */
static bd_err check_ident(rctx *c, bool *usable)
{
	*usable = true;
	char msg[600];
	if (!c->has_ident) /* made before workbooks carried their identity */
		snprintf(c->period, sizeof(c->period), "%s", c->cfg->period);
	const char *id = bd_history_id(c->h);
	if (c->has_ident && strcmp(c->index_id, id)) {
		snprintf(msg, sizeof(msg),
			 "这份核查表由另一个索引生成（表格标识 %s，本索引 %s）：整个文件没有记录；"
			 "请交回用本 RUN.ini 的索引比对生成的核查表",
			 c->index_id[0] ? c->index_id : "空", id[0] ? id : "尚未比对");
		*usable = false;
	} else if (bd_history_run_order(c->h, c->period) < 0) {
		snprintf(msg, sizeof(msg), "这份核查表的期次「%s」没有在本索引上比对过：整个文件没有记录", c->period);
		*usable = false;
	}
	return *usable ? BD_OK : line(c, "", 0, "", "", msg, L_PROBLEM);
}

/* Reads one workbook: its identity, then its rule rows. */
static bd_err review_file(rctx *c, const char *path)
{
	c->path = path;
	const char *slash = strrchr(path, '/');
	c->base = slash ? slash + 1 : path;
	c->has_ident = false;
	c->period[0] = c->index_id[0] = '\0';
	bd_format fmt;
	bd_err e = bd_format_of_file(path, &fmt);
	if (e)
		return e;
	if (fmt != BD_FMT_XLSX)
		return bd_fail(BD_ERR_FORMAT, "%s 不是 xlsx 文件：请交回 bidui 生成的核查表原文件（不要另存为 xls 或 csv）",
			       path);
	bool none = false, had_rules = false, usable;
	for (int k = 1; !e && !none && k < 1000; k++)
		e = review_sheet(c, k, PASS_IDENT, &none, &had_rules);
	if (!e && !had_rules)
		return bd_fail(BD_ERR_FORMAT, "%s 中没有核查页（找不到 flag_id、核查结论 等列）：这不是 bidui 生成的核查表",
			       path);
	if (!e)
		e = check_ident(c, &usable);
	none = !usable;
	for (int k = 1; !e && !none && k < 1000; k++)
		e = review_sheet(c, k, PASS_ROWS, &none, &had_rules);
	return e;
}

/*
 * Opens <out>/.review.csv.tmp holding what review.csv holds (every earlier
 * batch), so that the batch is added in one rename. A review.csv of an
 * older layout is kept beside it as review_旧.csv.
 */
static bd_err csv_open(const bd_config *cfg, const char *tmp, const char *final, FILE **out)
{
	FILE *old = fopen(final, "rb"), *f = fopen(tmp, "wb");
	bd_err e = BD_OK;
	if (!f)
		e = bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	char buf[8192];
	size_t n = old ? fread(buf, 1, sizeof(buf), old) : 0;
	bool same = n >= sizeof(CSV_HEAD) - 1 && !memcmp(buf, CSV_HEAD, sizeof(CSV_HEAD) - 1);
	if (!e && old && same) {
		for (; n && !e; n = fread(buf, 1, sizeof(buf), old))
			if (fwrite(buf, 1, n, f) != n)
				e = bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	} else if (!e && fputs(CSV_HEAD, f) < 0) {
		e = bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	}
	if (old)
		fclose(old);
	if (!e && old && !same) {
		char keep[4300];
		snprintf(keep, sizeof(keep), "%s/review_旧.csv", cfg->out);
		if (rename(final, keep) != 0)
			e = bd_fail(BD_ERR_IO, "无法保留旧的 %s: %s", final, strerror(errno));
	}
	if (e && f) {
		fclose(f);
		unlink(tmp);
		f = NULL;
	}
	*out = f;
	return e;
}

bd_err bd_review(const bd_config *cfg, const char *const *paths, size_t n, bd_review_stats *st,
		 FILE *report)
{
	memset(st, 0, sizeof(*st));
	bd_key key;
	bd_err e = bd_key_load(cfg->key, &key);
	if (e)
		return e;
	bd_index *ix;
	e = bd_index_open(cfg->index, &key, BD_IX_HISTORY, 0, &ix);
	memset(&key, 0, sizeof(key));
	if (e)
		return e;
	if ((e = bd_mkdirs(cfg->out, 0755))) {
		bd_index_close(ix);
		return e;
	}
	char tmp[4200], final[4200];
	snprintf(tmp, sizeof(tmp), "%s/.review.csv.tmp", cfg->out);
	snprintf(final, sizeof(final), "%s/review.csv", cfg->out);
	rctx c = { .cfg = cfg, .report = report, .st = st };
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(c.batch, sizeof(c.batch), "%Y-%m-%d %H:%M:%S", &tm);
	c.today = (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
	if ((e = csv_open(cfg, tmp, final, &c.csv))) {
		bd_index_close(ix);
		return e;
	}
	e = bd_history_begin(ix, NULL, (size_t)1 << 20, &c.h);
	for (size_t i = 0; !e && i < n; i++) {
		e = review_file(&c, paths[i]);
		st->files += !e;
	}
	bool ok = fclose(c.csv) == 0;
	if (!e && !ok)
		e = bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	if (!e && rename(tmp, final) != 0)
		e = bd_fail(BD_ERR_IO, "无法写入 %s: %s", final, strerror(errno));
	if (e) {
		unlink(tmp);
		bd_history_abort(c.h);
	} else {
		e = bd_history_commit(c.h);
	}
	bd_index_close(ix);
	return e;
}
