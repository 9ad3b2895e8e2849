/* match.c - the match command: the roll, every rule on all cores, then
 * flags.csv, lifecycle.csv and manifest.json published together with the
 * run recorded in the index (match.h). */
#include "bd/match.h"
#include "bd/flagfile.h"
#include "bd/history.h"
#include "bd/lifecycle.h"
#include "bd/manifest.h"
#include "bd/runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The outputs of a match are written under temporary names and take
 * their final names only once all are written and the run is recorded in
 * the index (manifest.json last): a failed match leaves the previous
 * outputs, never a mix. */
enum { OUT_LIFECYCLE, OUT_FLAGS, OUT_MANIFEST };
static const char *const outputs[] = { "lifecycle.csv", "flags.csv", "manifest.json" };

static void output_paths(const bd_config *cfg, size_t i, char tmp[4200], char final[4200])
{
	snprintf(tmp, 4200, "%s/.%s.tmp", cfg->out, outputs[i]);
	if (final)
		snprintf(final, 4200, "%s/%s", cfg->out, outputs[i]);
}

static void discard_outputs(const bd_config *cfg)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(outputs); i++) {
		char tmp[4200];
		output_paths(cfg, i, tmp, NULL);
		unlink(tmp);
	}
}

/* What would stop an output from taking its name, checked before the run
 * is recorded (renames in one folder fail for little else). */
static bd_err check_outputs(const bd_config *cfg)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(outputs); i++) {
		char tmp[4200], final[4200];
		struct stat st;
		output_paths(cfg, i, tmp, final);
		if (stat(final, &st) == 0 && S_ISDIR(st.st_mode))
			return bd_fail(BD_ERR_IO, "无法写入 %s：这是一个文件夹，请移走后重新运行 (a folder is in the way)",
				       final);
	}
	return BD_OK;
}

static bd_err publish_outputs(const bd_config *cfg)
{
	for (size_t i = 0; i < BD_ARRAY_LEN(outputs); i++) {
		char tmp[4200], final[4200];
		output_paths(cfg, i, tmp, final);
		if (rename(tmp, final) != 0)
			return bd_fail(BD_ERR_IO, "无法写入 %s: %s", final, strerror(errno));
	}
	return BD_OK;
}

/* Writes .lifecycle.csv.tmp and .flags.csv.tmp, counting each rule's
 * flags shown into per_rule; *hist_out is the run's history transaction,
 * to commit once every output is written. */
static bd_err write_flags(const bd_config *cfg, bd_facts *facts, bd_flags *fl,
			  const int *order, size_t *per_rule, bd_lifesum *sum, bd_history **hist_out)
{
	*hist_out = NULL;
	bd_runflag *s;
	size_t n;
	bd_err e = bd_flags_identify(facts, fl, order, cfg->threads, &s, &n);
	if (!e)
		e = bd_mkdirs(cfg->out, 0755);
	/* the history: status, first_seen, reviews; committed once the
	 * files are written */
	bd_history *hist = NULL;
	bd_lifecycle lc = { 0 };
	char tmp[4200];
	if (!e)
		e = bd_history_begin(bd_facts_index(facts), cfg->period, n * 512 + ((size_t)4 << 20), &hist);
	if (!e)
		e = bd_lifecycle_apply(cfg, hist, fl, s, n, &lc);
	if (!e) {
		output_paths(cfg, OUT_LIFECYCLE, tmp, NULL);
		e = bd_lifecycle_write(&lc, tmp);
	}
	if (!e) {
		n = bd_lifecycle_shown(&lc, s, n, sum);
		for (size_t i = 0; i < n; i++)
			per_rule[s[i].rule_order]++;
		output_paths(cfg, OUT_FLAGS, tmp, NULL);
		e = bd_flagfile_write(cfg, s, n, tmp);
	}
	bd_lifecycle_release(&lc);
	free(s);
	if (e)
		bd_history_abort(hist);
	else
		*hist_out = hist;
	return e;
}

/* manifest.json: tool, key fingerprint, dates, every input's snapshot,
 * every rule with its parameters and count or why it was skipped. */
static bd_err write_manifest(const bd_config *cfg, const bd_facts *facts, const char *started,
			     const size_t *per_rule, char **skipped, const char *(*params)[16],
			     const bd_lifesum *hs)
{
	char now[40], tmp[4200], *snaps[BD_DS_MAX];
	bd_manifest_rule rules[64];
	bd_manifest_param vals[64][16];
	bd_manifest m = { .tool = "bidui", .version = BD_VERSION, .period = cfg->period,
			  .jurisdiction = cfg->jurisdiction, .key_fingerprint = bd_facts_key_fingerprint(facts),
			  .as_of = cfg->as_of, .roll_month = cfg->roll_month, .threads = cfg->threads,
			  .show_full_id = cfg->show_full_id, .started_at = started, .finished_at = now,
			  .inputs = (const char *const *)snaps, .rules = rules, .nrules = bd_nmatchers,
			  .previous_period = hs->prev, .added = hs->added, .persisting = hs->persisting,
			  .resolved = hs->resolved, .suppressed = hs->suppressed };
	bd_now_iso(now, sizeof(now));
	bd_err e = BD_OK;
	for (int ds = 0; ds < BD_DS_MAX && !e; ds++) {
		char *snap = NULL;
		e = bd_facts_snapshot(facts, (bd_ds)ds, &snap);
		if (snap)
			snaps[m.ninputs++] = snap;
	}
	for (size_t k = 0; k < bd_nmatchers; k++) {
		const bd_matcher *mt = &bd_matchers[k];
		rules[k] = (bd_manifest_rule){ .id = mt->id, .name = mt->name, .family = bd_family_name(mt->family),
					       .skipped = skipped[k], .flags = per_rule[k], .params = vals[k] };
		for (const bd_param *p = mt->params; p && p->name; p++, rules[k].nparams++)
			vals[k][rules[k].nparams] = (bd_manifest_param){ p->name, params[k][rules[k].nparams] };
		m.flags_total += skipped[k] ? 0 : per_rule[k];
	}
	output_paths(cfg, OUT_MANIFEST, tmp, NULL);
	if (!e)
		e = bd_manifest_write(&m, tmp);
	for (size_t i = 0; i < m.ninputs; i++)
		free(snaps[i]);
	return e;
}

bd_err bd_match(const bd_config *cfg, FILE *report)
{
	const bool progress = bd_progress_wanted();
	double t = bd_clock_s();
	char started[40];
	bd_now_iso(started, sizeof(started));
	if (bd_nmatchers > 64)
		return bd_fail(BD_ERR_INTERNAL, "more than 64 rules: enlarge the per-rule arrays");
	char *skipped[64] = { NULL };
	bd_facts *facts;
	bd_err e = bd_facts_open(cfg, true, &facts);
	if (e)
		return e;
	if (report)
		fprintf(report, "比对规则:\n");
	/* validate every [rule] section first: a typo fails before any work */
	for (size_t r = 0; r < cfg->nrules && !e; r++) {
		bool known = false;
		for (size_t k = 0; k < bd_nmatchers; k++)
			known = known || !strcmp(bd_matchers[k].id, cfg->rules[r].rule);
		if (!known)
			e = bd_fail(BD_ERR_CONFIG, "%s: [rule %s] 尚未实现 (rule not implemented yet)",
				    cfg->path, cfg->rules[r].rule);
	}
	/* every rule's parameter values, once: run and manifest use them */
	const char *params[64][16];
	for (size_t k = 0; k < bd_nmatchers && !e; k++)
		e = bd_rule_params(cfg, &bd_matchers[k], params[k]);
	bd_roll roll = { 0 };
	if (!e)
		e = bd_roll_load(cfg, facts, &roll);
	t = bd_clock_s();
	bd_flags all = { 0 };
	int *order = NULL;
	size_t order_cap = 0;
	/* which rules run: those whose datasets are all loaded */
	for (size_t k = 0; k < bd_nmatchers && !e; k++) {
		const bd_matcher *m = &bd_matchers[k];
		bd_buf missing = BD_BUF_INIT(1024);
		for (int ds = 0; ds < BD_DS_MAX; ds++)
			if ((m->needs & BD_NEEDS(ds)) && !bd_facts_loaded(facts, (bd_ds)ds))
				bd_buf_addf(&missing, "%s%s", missing.len ? "、" : "", bd_schemas[ds].name);
		if (missing.len) {
			if (report)
				fprintf(report, "  %s %s：跳过，缺少数据集 %s\n", m->id, m->name, missing.data);
			bd_buf_addstr(&missing, " 未导入");
			skipped[k] = bd_buf_detach(&missing, NULL);
			continue;
		}
		bd_buf_release(&missing);
	}
	/* the rules over roll persons run together, each person once */
	size_t group[64], ngroup = 0;
	bd_flags grouped[64];
	memset(grouped, 0, sizeof(grouped));
	for (size_t k = 0; k < bd_nmatchers; k++)
		if (!skipped[k] && bd_matchers[k].subject == BD_SUBJ_ROLLPERSON)
			group[ngroup++] = k;
	if (progress && !e)
		fprintf(stderr, "\r[比对] 名册对象 %zu 条规则\033[K", ngroup);
	if (!e)
		e = bd_run_roll_group(group, ngroup, facts, &roll, params, cfg->threads, grouped);
	bd_timing("match rules over roll persons", &t);
	for (size_t k = 0, gi = 0; k < bd_nmatchers && !e; k++) {
		const bd_matcher *m = &bd_matchers[k];
		if (skipped[k])
			continue;
		size_t before = all.n;
		if (m->subject == BD_SUBJ_ROLLPERSON) {
			e = bd_flags_take(&all, &grouped[gi++]);
		} else {
			if (progress)
				fprintf(stderr, "\r[比对] %zu/%zu %s %s\033[K", k + 1, bd_nmatchers, m->id, m->name);
			e = bd_run_matcher(m, facts, &roll, params[k], cfg->threads, &all);
			char what[32];
			snprintf(what, sizeof(what), "match %s", m->id);
			bd_timing(what, &t);
		}
		if (!e && all.n > order_cap) {
			order_cap = all.n * 2;
			int *no = realloc(order, order_cap * sizeof(*no));
			if (!no)
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
			else
				order = no;
		}
		for (size_t i = before; !e && i < all.n; i++)
			order[i] = (int)k;
	}
	for (size_t i = 0; i < ngroup; i++)
		bd_flags_release(&grouped[i]);
	if (progress)
		fprintf(stderr, "\r[比对] 写出结果\033[K\n");
	size_t per_rule[64] = { 0 };
	bd_lifesum hs = { 0 };
	bd_history *hist = NULL;
	if (!e)
		e = write_flags(cfg, facts, &all, order ? order : (int[]){ 0 }, per_rule, &hs, &hist);
	bd_timing("match flags.csv, history, lifecycle", &t);
	if (!e)
		e = write_manifest(cfg, facts, started, per_rule, skipped, params, &hs);
	/* the run is recorded, then every output takes its name */
	if (!e)
		e = check_outputs(cfg);
	if (!e) {
		e = bd_history_commit(hist);
		hist = NULL;
	}
	if (!e)
		e = publish_outputs(cfg);
	bd_history_abort(hist);
	if (e)
		discard_outputs(cfg);
	if (!e && report)
		fprintf(report, "  与上期%s%s%s比：新增 %zu 条，持续 %zu 条，已消除 %zu 条；上期核实不属实、证据未变未再提示 %zu 条\n",
			hs.prev[0] ? "（" : "", hs.prev[0] ? hs.prev : "（无上期）", hs.prev[0] ? "）" : "",
			hs.added, hs.persisting, hs.resolved, hs.suppressed);
	for (size_t k = 0; !e && report && k < bd_nmatchers; k++)
		if (!skipped[k])
			fprintf(report, "  %s %s：%zu 条\n", bd_matchers[k].id, bd_matchers[k].name, per_rule[k]);
	for (size_t k = 0; k < 64; k++)
		free(skipped[k]);
	free(order);
	bd_flags_release(&all);
	bd_roll_release(&roll);
	bd_facts_close(facts);
	return e;
}
