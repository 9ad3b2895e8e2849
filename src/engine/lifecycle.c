/* lifecycle.c - flags across quarters: this run against the history,
 * lifecycle.csv written and read back (lifecycle.h). */
#include "bd/lifecycle.h"
#include "bd/csv.h"
#include "bd/csvout.h"
#include "bd/idnum.h"
#include "bd/match.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* FNV-1a over the evidence fields that do not change by themselves (an
 * age, months paid: bd_evcol.varies), so that a flag reviewed 不属实 comes
 * back only when what it says changes. */
static uint64_t stable_evidence_hash(const bd_matcher *m, const char *ev)
{
	uint64_t h = 1469598103934665603ull;
	const char *seg = ev;
	while (*seg) {
		const char *end = strstr(seg, "；");
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		const char *colon = strstr(seg, "：");
		size_t ln = colon && colon < seg + n ? (size_t)(colon - seg) : 0;
		bool varies = false;
		for (const bd_evcol *c = m->cols; c && c->label && ln; c++)
			varies = varies || (c->varies && strlen(c->label) == ln && !memcmp(c->label, seg, ln));
		for (size_t i = 0; !varies && i < n; i++)
			h = (h ^ (unsigned char)seg[i]) * 1099511628211ull;
		h = (h ^ 0x1f) * 1099511628211ull;
		seg += n + (end ? strlen("；") : 0);
	}
	return h;
}


static int id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bd_err life_add(bd_lifecycle *c, const char *id, const bd_hist *h, const char *event, const char *last)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		bd_lifeline *nl = realloc(c->lines, cap * sizeof(*nl));
		if (!nl)
			return bd_fail(BD_ERR_NOMEM, "out of memory");
		c->lines = nl;
		c->cap = cap;
	}
	bd_lifeline *l = &c->lines[c->n++];
	snprintf(l->id, sizeof(l->id), "%s", id);
	snprintf(l->rule, sizeof(l->rule), "%s", h->rule);
	snprintf(l->event, sizeof(l->event), "%s", event);
	snprintf(l->township, sizeof(l->township), "%s", h->township);
	snprintf(l->village, sizeof(l->village), "%s", h->village);
	snprintf(l->name, sizeof(l->name), "%s", h->name);
	snprintf(l->idmask, sizeof(l->idmask), "%s", h->idmask);
	if (!c->cfg->show_full_id)
		bd_id_remask(l->idmask, sizeof(l->idmask));
	snprintf(l->first_seen, sizeof(l->first_seen), "%s", h->periods[0]);
	snprintf(l->last_seen, sizeof(l->last_seen), "%s", last);
	snprintf(l->outcome, sizeof(l->outcome), "%s", bd_outcome_name(h->outcome));
	snprintf(l->reviewer, sizeof(l->reviewer), "%s", h->reviewer);
	snprintf(l->review_date, sizeof(l->review_date), "%s", h->review_date);
	return BD_OK;
}

/* Entries not flagged in this run: an earlier run of this period is
 * forgotten; flagged in the previous run means 已消除. */
static bd_err life_scan(void *ctx, const char *fid, bd_hist *h, bool *changed)
{
	bd_lifecycle *c = ctx;
	if (bsearch(fid, c->ids, c->nids, sizeof(*c->ids), id_cmp))
		return BD_OK;
	if (bd_hist_has(h, c->cfg->period)) {
		bd_hist_drop(h, c->cfg->period);
		*changed = true;
	}
	if (c->prev[0] && bd_hist_has(h, c->prev)) {
		c->resolved++;
		return life_add(c, fid, h, "已消除", c->prev);
	}
	return BD_OK;
}

/* Sets status, first_seen and the review's consequences of every flag
 * from the index's history, and records this run there (not committed). */
bd_err bd_lifecycle_apply(const bd_config *cfg, bd_history *h, bd_flags *fl, bd_runflag *s, size_t n,
			  bd_lifecycle *lc)
{
	lc->cfg = cfg;
	lc->prev = bd_history_prev(h);
	lc->ids = malloc((n ? n : 1) * sizeof(*lc->ids));
	if (!lc->ids)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_hist *x = malloc(sizeof(*x));
	if (!x)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bd_err e = BD_OK;
	for (size_t i = 0; i < n && !e; i++) {
		bd_flagrec *f = s[i].f;
		const bd_matcher *m = &bd_matchers[s[i].rule_order];
		snprintf(lc->ids[i], sizeof(lc->ids[i]), "%s", s[i].id);
		bool found;
		if ((e = bd_history_get(h, s[i].id, x, &found)))
			break;
		bd_hist_drop(x, cfg->period);
		s[i].persisting = lc->prev[0] && bd_hist_has(x, lc->prev);
		snprintf(s[i].first_seen, sizeof(s[i].first_seen), "%s", x->periods[0][0] ? x->periods[0] : cfg->period);
		uint64_t evh = stable_evidence_hash(m, f->evidence);
		/* what the last review said, for the reviewer of this run */
		char note[700] = "", who[120] = "";
		snprintf(who, sizeof(who), "%s%s%s", x->review_period, x->reviewer[0] ? "，核查人 " : "", x->reviewer);
		if (x->outcome == BD_OUT_FALSE && x->review_evhash == evh) {
			s[i].suppressed = true;
		} else if (x->outcome == BD_OUT_TRUE) {
			f->severity = BD_SEV_HIGH;
			snprintf(note, sizeof(note), "上期核实属实未整改（%s）", who);
		} else if (x->outcome == BD_OUT_FALSE) {
			snprintf(note, sizeof(note), "上期核查为不属实（%s），证据已有变化，重新提示", who);
		} else if (x->outcome == BD_OUT_FIXED) {
			snprintf(note, sizeof(note), "上期核查为已整改（%s），本期数据仍显示此情况", who);
		} else if (x->outcome == BD_OUT_OTHER) {
			snprintf(note, sizeof(note), "上期核查为其他（%s）%s%s", who, x->note[0] ? "：" : "", x->note);
			bd_ev_value(note); /* the reviewer's words must not split the line */
		}
		if (note[0]) {
			char ev[1536];
			snprintf(ev, sizeof(ev), "%s%s说明：%s", f->evidence, f->evidence[0] ? "；" : "", note);
			char *d = bd_flags_strdup(fl, ev);
			if (!d) {
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
				break;
			}
			f->evidence = d;
		}
		bd_hist_add(x, cfg->period);
		if (!found || x->evhash != evh) /* when the evidence a late review saw was replaced */
			snprintf(x->ev_since, sizeof(x->ev_since), "%s", cfg->period);
		x->evhash = evh;
		snprintf(x->rule, sizeof(x->rule), "%s", f->rule);
		snprintf(x->township, sizeof(x->township), "%s", f->township);
		snprintf(x->village, sizeof(x->village), "%s", f->village);
		snprintf(x->name, sizeof(x->name), "%s", f->name);
		snprintf(x->idmask, sizeof(x->idmask), "%s", f->idmask);
		bd_id_remask(x->idmask, sizeof(x->idmask)); /* the history never keeps a full ID */
		if ((e = bd_history_put(h, s[i].id, x)))
			break;
		if (s[i].suppressed)
			e = life_add(lc, s[i].id, x, "不属实未再提示", cfg->period);
	}
	free(x);
	lc->nids = n;
	if (!e) {
		qsort(lc->ids, n, sizeof(*lc->ids), id_cmp);
		e = bd_history_scan(h, life_scan, lc);
	}
	return e;
}
size_t bd_lifecycle_shown(const bd_lifecycle *lc, bd_runflag *s, size_t n, bd_lifesum *sum)
{
	snprintf(sum->prev, sizeof(sum->prev), "%s", lc->prev);
	sum->resolved = lc->resolved;
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].suppressed) {
			sum->suppressed++;
			continue;
		}
		sum->persisting += s[i].persisting;
		sum->added += !s[i].persisting;
		s[w++] = s[i];
	}
	return w;
}

static int lifeline_cmp(const void *a, const void *b)
{
	const bd_lifeline *x = a, *y = b;
	int c = strcmp(x->township, y->township);
	if (!c)
		c = strcmp(x->rule, y->rule);
	if (!c)
		c = strcmp(x->event, y->event);
	return c ? c : strcmp(x->id, y->id);
}

/* lifecycle.csv: 已消除 and 不属实未再提示, for the summary and auditors. */
bd_err bd_lifecycle_write(bd_lifecycle *lc, const char *tmp)
{
	FILE *out = fopen(tmp, "wb");
	if (!out)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	if (lc->n)
		qsort(lc->lines, lc->n, sizeof(*lc->lines), lifeline_cmp);
	bool ok = fputs("flag_id,rule,event,township,village,name,id_masked,first_seen,last_seen,"
			"review_outcome,reviewer,review_date\n", out) >= 0;
	for (size_t i = 0; ok && i < lc->n; i++) {
		const bd_lifeline *l = &lc->lines[i];
		ok = bd_csv_puts(out, l->id, ',') && bd_csv_puts(out, l->rule, ',') &&
		     bd_csv_puts(out, l->event, ',') && bd_csv_puts(out, l->township, ',') &&
		     bd_csv_puts(out, l->village, ',') && bd_csv_puts(out, l->name, ',') &&
		     bd_csv_puts(out, l->idmask, ',') && bd_csv_puts(out, l->first_seen, ',') &&
		     bd_csv_puts(out, l->last_seen, ',') && bd_csv_puts(out, l->outcome, ',') &&
		     bd_csv_puts(out, l->reviewer, ',') && bd_csv_puts(out, l->review_date, '\n');
	}
	if (fclose(out) != 0 || !ok) {
		unlink(tmp);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	}
	return BD_OK;
}

void bd_lifecycle_release(bd_lifecycle *lc)
{
	free(lc->ids);
	free(lc->lines);
	memset(lc, 0, sizeof(*lc));
}

bd_err bd_lifecycle_towns(const char *path, bd_lifetown **out, size_t *n)
{
	*out = NULL;
	*n = 0;
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
			bd_lifetown *nv = realloc(*out, cap * sizeof(*nv));
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
	return e;
}
