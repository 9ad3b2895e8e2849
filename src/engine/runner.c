/* runner.c - the rules run on all cores: each over its subjects in
 * partitions by the leading byte of the hid, the rules over roll persons
 * together; rule parameters from RUN.ini (runner.h). */
#include "bd/runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rulerun {
	const bd_matcher *m;
	bd_facts *facts;
	const bd_roll *roll;
	const char *params[16];
	/* one partition */
	size_t row_lo, row_hi;     /* ROLLPERSON: roll rows [lo, hi) */
	int threads;               /* ONCE: threads the rule may use */
	const void *state;         /* the rule's prepare made it */
	unsigned key_lo, key_hi;   /* PERSON: first key byte range */
	/* KEYS with a candidate test: the candidates kept from an earlier
	 * scan (cand, ncand: this partition's), or those found now */
	const uint8_t (*cand)[32];
	size_t ncand;
	bool cached;
	bd_buf found;
	bd_flags out;
	bd_err err;
	char errmsg[1024];
} rulerun;

typedef struct scanctx {
	bd_ruleenv *env;
	const bd_matcher *m;
	bd_buf *found;       /* candidates found, when the rule has a test */
	uint8_t last[32];
	bool have_last;
} scanctx;

static bd_err person_subject(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)rec;
	scanctx *s = ctx;
	if (s->have_last && !memcmp(s->last, key, 32))
		return BD_OK;
	memcpy(s->last, key, 32);
	s->have_last = true;
	if (s->m->candidate) {
		bool yes;
		bd_err e = s->m->candidate(s->env, key, &yes);
		if (e || !yes)
			return e;
		if ((e = bd_buf_add(s->found, key, 32)))
			return e;
	}
	return s->m->run(s->env, key);
}

static bd_err bad_subject(void *ctx, const uint8_t key[32], const bd_rec *rec)
{
	(void)key;
	scanctx *s = ctx;
	return s->m->run(s->env, (const uint8_t *)rec);
}

static void *run_partition(void *arg)
{
	rulerun *rr = arg;
	bd_view *v = NULL;
	bd_clear_error();
	rr->err = bd_view_open(rr->facts, &v);
	bd_ruleenv env = { v, rr->facts, rr->roll, rr->params, &rr->out, rr->threads, rr->state };
	scanctx sc = { &env, rr->m, &rr->found, { 0 }, false };
	if (!rr->err) {
		switch (rr->m->subject) {
		case BD_SUBJ_ROLLPERSON:
			for (size_t i = rr->row_lo; i < rr->row_hi && !rr->err; i++)
				if (i == rr->row_lo || memcmp(rr->roll->rows[i].hid, rr->roll->rows[i - 1].hid, 32))
					rr->err = rr->m->run(&env, rr->roll->rows[i].hid);
			break;
		case BD_SUBJ_KEYS:
			if (rr->cached) {
				for (size_t i = 0; i < rr->ncand && !rr->err; i++)
					rr->err = rr->m->run(&env, rr->cand[i]);
				break;
			}
			rr->err = bd_view_scan(v, rr->m->over, false, rr->key_lo, rr->key_hi,
					       person_subject, &sc);
			break;
		case BD_SUBJ_BADROW:
			rr->err = bd_view_scan(v, BD_DS_ROLL, true, 0, 255, bad_subject, &sc);
			break;
		case BD_SUBJ_ONCE:
			rr->err = rr->m->run(&env, NULL);
			break;
		}
	}
	if (rr->err)
		snprintf(rr->errmsg, sizeof(rr->errmsg), "%s", bd_last_error());
	bd_view_close(v);
	return NULL;
}

/* Rows [*lo, *hi) of the roll (sorted by hid) whose hid's first byte lies
 * in [key_lo, key_hi]. */
static void roll_range(const bd_roll *roll, unsigned key_lo, unsigned key_hi, size_t *lo, size_t *hi)
{
	*lo = 0;
	*hi = roll->n;
	while (*lo < *hi && roll->rows[*lo].hid[0] < key_lo)
		(*lo)++;
	while (*hi > *lo && roll->rows[*hi - 1].hid[0] > key_hi)
		(*hi)--;
}

/* m's prepared state (bd_matcher.prepare), NULL when it has none. */
static bd_err prepare_rule(const bd_matcher *m, bd_facts *facts, const bd_roll *roll,
			   const char *const *params, int nthreads, void **state)
{
	*state = NULL;
	if (!m->prepare)
		return BD_OK;
	bd_view *v;
	bd_flags none = { 0 };
	bd_err e = bd_view_open(facts, &v);
	if (!e) {
		bd_ruleenv env = { v, facts, roll, params, &none, nthreads, NULL };
		e = m->prepare(&env, state);
		bd_view_close(v);
	}
	return e ? bd_fail_ctx(e, "[rule %s]", m->id) : BD_OK;
}

/* ---- the rules over roll persons, run together ---- */

/* One partition of the roll persons: every rule of the group runs on each
 * subject in turn, so a person's records are read once for all of them
 * (the view keeps the last records of each dataset). */
typedef struct grouprun {
	const size_t *rules;        /* indices into bd_matchers */
	size_t nrules;
	const char *(*params)[16];  /* every rule's parameters, by index */
	void *const *state;         /* prepared state, by position in rules */
	bd_facts *facts;
	const bd_roll *roll;
	int threads;
	size_t row_lo, row_hi;
	bd_flags *out;              /* one per rule of the group */
	bd_err err;
	char errmsg[1024];
} grouprun;

static void *run_group_partition(void *arg)
{
	grouprun *g = arg;
	bd_view *v = NULL;
	bd_clear_error();
	g->err = bd_view_open(g->facts, &v);
	const bd_matcher *failed = NULL;
	for (size_t i = g->row_lo; i < g->row_hi && !g->err; i++) {
		const uint8_t *hid = g->roll->rows[i].hid;
		if (i > g->row_lo && !memcmp(g->roll->rows[i - 1].hid, hid, 32))
			continue;
		for (size_t r = 0; r < g->nrules && !g->err; r++) {
			const bd_matcher *m = &bd_matchers[g->rules[r]];
			bd_ruleenv env = { v, g->facts, g->roll, g->params[g->rules[r]], &g->out[r], g->threads,
					   g->state[r] };
			if ((g->err = m->run(&env, hid)))
				failed = m;
		}
	}
	if (g->err)
		snprintf(g->errmsg, sizeof(g->errmsg), "[rule %s] %s", failed ? failed->id : "?",
			 bd_last_error());
	bd_view_close(v);
	return NULL;
}

/* Runs the BD_SUBJ_ROLLPERSON rules rules[0..n) over the roll in nthreads
 * partitions; out[r] gets rule r's flags in partition order, as if each
 * rule had run alone (bd_run_matcher). */
bd_err bd_run_roll_group(const size_t *rules, size_t n, bd_facts *facts, const bd_roll *roll,
			 const char *(*params)[16], int nthreads, bd_flags *out)
{
	int parts = bd_parts_for(1, nthreads, 0);
	grouprun *g = calloc((size_t)parts, sizeof(*g));
	void **state = calloc(n ? n : 1, sizeof(*state));
	bd_flags *outs = calloc((size_t)parts * (n ? n : 1), sizeof(*outs));
	bd_err e = g && state && outs ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
	for (size_t r = 0; r < n && !e; r++)
		e = prepare_rule(&bd_matchers[rules[r]], facts, roll, params[rules[r]], nthreads, &state[r]);
	for (int p = 0; p < parts && !e; p++) {
		g[p] = (grouprun){ rules, n, params, state, facts, roll, nthreads, 0, 0, outs + (size_t)p * n,
				   BD_OK, "" };
		roll_range(roll, (unsigned)(256 * p / parts), (unsigned)(256 * (p + 1) / parts - 1), &g[p].row_lo,
			   &g[p].row_hi);
	}
	if (!e)
		bd_run_parts(run_group_partition, g, sizeof(*g), parts);
	for (int p = 0; g && p < parts; p++) {
		if (!e && g[p].err)
			e = bd_fail(g[p].err, "%s", g[p].errmsg);
	}
	for (size_t r = 0; r < n; r++)
		for (int p = 0; outs && p < parts; p++) {
			if (!e)
				e = bd_flags_take(&out[r], &outs[(size_t)p * n + r]);
			bd_flags_release(&outs[(size_t)p * n + r]);
		}
	for (size_t r = 0; state && r < n; r++)
		if (state[r] && bd_matchers[rules[r]].release)
			bd_matchers[rules[r]].release(state[r]);
	free(outs);
	free(state);
	free(g);
	return e;
}

/* The name and key under which the candidates of m are kept: the rule's
 * parameters (its other inputs are in the stamp of bd_facts_cache_put). */
static void cand_key(const bd_facts *facts, const bd_matcher *m, const char *const *params,
		     char name[32], bd_buf *key)
{
	snprintf(name, 32, "candidates:%s", m->id);
	bd_buf_addf(key, "D=%d", (int)bd_facts_as_of(facts));
	for (int i = 0; i < 16 && params[i]; i++)
		bd_buf_addf(key, "\x1f%s", params[i]);
	bd_buf_addch(key, '\0');
}

/* Runs matcher m over its subjects in nthreads partitions; appends its
 * flags to out in partition order (so the order never depends on the
 * thread count once sorted). */
bd_err bd_run_matcher(const bd_matcher *m, bd_facts *facts, const bd_roll *roll,
		      const char *const *params, int nthreads, bd_flags *out)
{
	int parts = m->subject == BD_SUBJ_BADROW || m->subject == BD_SUBJ_ONCE ? 1 : bd_parts_for(1, nthreads, 0);
	rulerun *rr = calloc((size_t)parts, sizeof(*rr));
	if (!rr)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	/* the candidates of an earlier scan, while the rule's datasets other
	 * than the roll and its parameters are unchanged */
	bool cands = m->subject == BD_SUBJ_KEYS && m->candidate;
	unsigned cneeds = m->needs & ~BD_NEEDS(BD_DS_ROLL);
	char cname[32];
	bd_buf ckey = BD_BUF_INIT(1 << 16);
	void *kept = NULL;
	size_t nkept = 0;
	bd_err e = BD_OK;
	if (cands) {
		cand_key(facts, m, params, cname, &ckey);
		e = ckey.data ? bd_facts_cache_get(facts, cname, cneeds, ckey.data, &kept, &nkept)
			      : bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	void *state = NULL;
	if (!e)
		e = prepare_rule(m, facts, roll, params, nthreads, &state);
	const uint8_t (*kh)[32] = kept;
	size_t nk = nkept / 32, at = 0;
	for (int p = 0; p < parts; p++) {
		rr[p].m = m;
		rr[p].facts = facts;
		rr[p].roll = roll;
		rr[p].threads = nthreads;
		rr[p].state = state;
		rr[p].found = (bd_buf)BD_BUF_INIT(BD_BUF_DEFAULT_MAX);
		for (int i = 0; i < 16 && params[i]; i++)
			rr[p].params[i] = params[i];
		/* partitions by the leading byte of the hid */
		rr[p].key_lo = (unsigned)(256 * p / parts);
		rr[p].key_hi = (unsigned)(256 * (p + 1) / parts - 1);
		roll_range(roll, rr[p].key_lo, rr[p].key_hi, &rr[p].row_lo, &rr[p].row_hi);
		if (kept) {
			rr[p].cached = true;
			rr[p].cand = kh + at;
			while (at < nk && kh[at][0] <= rr[p].key_hi)
				at++;
			rr[p].ncand = (size_t)(kh + at - rr[p].cand);
		}
	}
	if (!e)
		bd_run_parts(run_partition, rr, sizeof(*rr), parts);
	bd_buf all = BD_BUF_INIT(BD_BUF_DEFAULT_MAX);
	for (int p = 0; p < parts; p++) {
		if (rr[p].err && !e)
			e = bd_fail(rr[p].err, "[rule %s] %s", m->id, rr[p].errmsg);
		if (!e)
			e = bd_flags_take(out, &rr[p].out);
		if (!e && cands && !kept && rr[p].found.len)
			e = bd_buf_add(&all, rr[p].found.data, rr[p].found.len);
		bd_flags_release(&rr[p].out);
		bd_buf_release(&rr[p].found);
	}
	/* partitions are consecutive key ranges, scanned in key order: the
	 * candidates are kept sorted */
	if (!e && cands && !kept)
		e = bd_facts_cache_put(facts, cname, cneeds, ckey.data, all.data ? all.data : "", all.len);
	bd_buf_release(&all);
	bd_buf_release(&ckey);
	if (state && m->release)
		m->release(state);
	free(kept);
	free(rr);
	return e;
}

/* Parameter values of m: defaults overridden by [rule ID]; unknown keys
 * are errors. */
bd_err bd_rule_params(const bd_config *cfg, const bd_matcher *m, const char *vals[16])
{
	int np = 0;
	for (const bd_param *p = m->params; p && p->name; p++)
		vals[np++] = p->def;
	vals[np] = NULL;
	for (size_t r = 0; r < cfg->nrules; r++) {
		if (strcmp(cfg->rules[r].rule, m->id))
			continue;
		for (size_t k = 0; k < cfg->rules[r].nkv; k++) {
			int i = 0;
			while (m->params && m->params[i].name && strcmp(m->params[i].name, cfg->rules[r].kv[k].key))
				i++;
			if (!m->params || !m->params[i].name) {
				bd_buf known = BD_BUF_INIT(4096);
				for (const bd_param *p = m->params; p && p->name; p++)
					bd_buf_addf(&known, " %s", p->name);
				bd_err e = bd_fail(BD_ERR_CONFIG, "%s: [rule %s] 没有参数 %s（可用:%s）",
						   cfg->path, m->id, cfg->rules[r].kv[k].key,
						   known.len ? known.data : " 无");
				bd_buf_release(&known);
				return e;
			}
			vals[i] = cfg->rules[r].kv[k].value;
		}
	}
	return BD_OK;
}
