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
#include <unistd.h>

enum { C_FID, C_OUTCOME, C_NOTE, C_REVIEWER, C_DATE, C_MAX };
static const char *const col_names[C_MAX] = { "flag_id", "核查结论", "核查说明", "核查人", "核查日期" };

typedef struct rctx {
	const bd_config *cfg;
	bd_history *h;
	FILE *csv, *report;
	bd_review_stats *st;
	const char *path, *base;
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

static bd_err line(rctx *c, const char *sheet, uint32_t row, const char *fid, const char *outcome,
		   const char *result, bool problem)
{
	char rs[16];
	snprintf(rs, sizeof(rs), "%u", row);
	bool ok = bd_csv_puts(c->csv, c->base, ',') && bd_csv_puts(c->csv, sheet, ',') &&
		  bd_csv_puts(c->csv, rs, ',') && bd_csv_puts(c->csv, fid, ',') &&
		  bd_csv_puts(c->csv, outcome, ',') && bd_csv_puts(c->csv, result, '\n');
	if (problem) {
		c->st->problems++;
		if (c->report)
			fprintf(c->report, "  %s「%s」第 %u 行：%s\n", c->path, sheet, row, result);
	}
	return ok ? BD_OK : bd_fail(BD_ERR_IO, "写入 review.csv 失败: %s", strerror(errno));
}

/* One data row of a rule sheet. */
static bd_err review_row(rctx *c, const char *sheet, const bd_row *r, const int *col)
{
	char fid[64], outcome[64], note[400], reviewer[64], date[64];
	trimmed(cell(r, col[C_FID]), fid, sizeof(fid));
	if (!fid[0])
		return BD_OK; /* blank rows below the table */
	c->st->rows++;
	trimmed(cell(r, col[C_OUTCOME]), outcome, sizeof(outcome));
	trimmed(cell(r, col[C_NOTE]), note, sizeof(note));
	trimmed(cell(r, col[C_REVIEWER]), reviewer, sizeof(reviewer));
	trimmed(cell(r, col[C_DATE]), date, sizeof(date));
	bd_hist *x = malloc(sizeof(*x));
	if (!x)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bool found;
	bd_err e = bd_history_get(c->h, fid, x, &found);
	if (e) {
		free(x);
		return e;
	}
	if (!found) {
		free(x);
		return line(c, sheet, r->rowno, fid, outcome,
			    "flag_id 在索引的历史记录中找不到：请交回由本索引生成的核查表，不要修改 flag_id 列", true);
	}
	if (!outcome[0]) {
		free(x);
		c->st->blank++;
		return line(c, sheet, r->rowno, fid, "", "未填写核查结论（未记录）", false);
	}
	bd_outcome o = bd_outcome_parse(outcome);
	if (o == BD_OUT_NONE) {
		free(x);
		char msg[200];
		snprintf(msg, sizeof(msg), "核查结论「%s」不是 属实、不属实、已整改、其他 之一：请从下拉框中选择后重新交回",
			 outcome);
		return line(c, sheet, r->rowno, fid, outcome, msg, true);
	}
	int32_t ymd = 0;
	if (date[0]) {
		bd_parse p = bd_date_parse(date, strlen(date), &ymd);
		if (p != BD_PARSE_OK) {
			free(x);
			char msg[200];
			snprintf(msg, sizeof(msg), "核查日期「%s」不是日期：请写成 2027-01-15 这样的日期后重新交回", date);
			return line(c, sheet, r->rowno, fid, outcome, msg, true);
		}
	}
	x->outcome = o;
	snprintf(x->review_period, sizeof(x->review_period), "%s", c->cfg->period);
	snprintf(x->reviewer, sizeof(x->reviewer), "%s", reviewer);
	if (ymd)
		snprintf(x->review_date, sizeof(x->review_date), "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100,
			 ymd % 100);
	else
		x->review_date[0] = '\0';
	snprintf(x->note, sizeof(x->note), "%s", note);
	x->review_evhash = x->evhash; /* the evidence the reviewer saw */
	e = bd_history_put(c->h, fid, x);
	free(x);
	if (e)
		return e;
	c->st->recorded++;
	return line(c, sheet, r->rowno, fid, outcome,
		    o == BD_OUT_OTHER && !note[0] ? "已记录（结论为“其他”，但核查说明为空）" : "已记录", false);
}

/* Sheet k (1-based) of the workbook: false in *none when there is no such
 * sheet. The 说明 sheet and sheets without the reviewer's header are
 * skipped; a rule sheet's header is its first row. */
static bd_err review_sheet(rctx *c, int k, bool *none, bool *had_rules)
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
	bool header = false;
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
			header = true;
			bool all = true;
			for (int i = 0; i < C_MAX; i++)
				all = all && col[i] >= 0;
			if (!all)
				break; /* 说明, or a sheet someone added */
			*had_rules = true;
			continue;
		}
		if ((e = review_row(c, sheet, &r, col)))
			break;
	}
	bd_sheet_close(sh);
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
	c.csv = fopen(tmp, "wb");
	if (!c.csv) {
		bd_index_close(ix);
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	}
	fputs("\xEF\xBB\xBF" "文件,页,行,flag_id,核查结论,处理结果\n", c.csv);
	e = bd_history_begin(ix, cfg->period, (size_t)1 << 20, &c.h);
	for (size_t i = 0; !e && i < n; i++) {
		c.path = paths[i];
		const char *slash = strrchr(paths[i], '/');
		c.base = slash ? slash + 1 : paths[i];
		bd_format fmt;
		if ((e = bd_format_of_file(paths[i], &fmt)))
			break;
		if (fmt != BD_FMT_XLSX) {
			e = bd_fail(BD_ERR_FORMAT, "%s 不是 xlsx 文件：请交回 bidui 生成的核查表原文件（不要另存为 xls 或 csv）",
				    paths[i]);
			break;
		}
		bool none = false, had_rules = false;
		for (int k = 1; !e && !none && k < 1000; k++)
			e = review_sheet(&c, k, &none, &had_rules);
		if (!e && !had_rules)
			e = bd_fail(BD_ERR_FORMAT, "%s 中没有核查页（找不到 flag_id、核查结论 等列）：这不是 bidui 生成的核查表",
				    paths[i]);
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
