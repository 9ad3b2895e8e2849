/* config.c - RUN.ini parsing with libinih (see config.h). */
#include "bd/config.h"
#include "bd/codes.h"
#include "bd/facts.h"
#include "bd/match.h"
#include "bd/normal.h"

#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const bd_dataset_names[] = {
	"ga.person", "ga.vehicle", "ga.custody", "cl.cert", "wj.death",
	"wj.illness", "mz.cremation", "mz.cadre", "mz.roll",
};
const size_t bd_dataset_count = BD_ARRAY_LEN(bd_dataset_names);

int bd_dataset_find(const char *name)
{
	for (size_t i = 0; i < bd_dataset_count; i++)
		if (strcmp(bd_dataset_names[i], name) == 0)
			return (int)i;
	return -1;
}

bd_err bd_mkdirs(const char *dir, unsigned mode)
{
	char tmp[4096];
	size_t n = strlen(dir);
	if (n >= sizeof(tmp))
		return bd_fail(BD_ERR_IO, "路径过长: %s", dir);
	memcpy(tmp, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (tmp[i] == '/' || tmp[i] == '\0') {
			char c = tmp[i];
			tmp[i] = '\0';
			if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
				return bd_fail(BD_ERR_IO, "无法创建目录 %s: %s", tmp, strerror(errno));
			tmp[i] = c;
		}
	}
	return BD_OK;
}

char *bd_path_join(const char *dir, const char *rel)
{
	if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
		return strdup(rel);
	size_t a = strlen(dir), b = strlen(rel);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, rel, b + 1);
	return p;
}

/* ---- value types ---- */

static bd_err expect(const char *what)
{
	return bd_fail(BD_ERR_CONFIG, "%s", what);
}

static const char prog_codes[] = "DIBAO TEKUN BIANYUAN GUER SHISHI CJ_HULI CJ_SHENGHUO GAOLING";

/* "12", "-5", "2.50": optional '-', digits, optional '.' and 1..maxfrac
 * digits (none when maxfrac is 0). strtod then reads it exactly as
 * atof/strtol in the matchers will. */
static bool decimal_syntax(const char *v, int maxfrac)
{
	const char *p = v + (*v == '-');
	size_t n = strspn(p, "0123456789");
	if (!n)
		return false;
	p += n;
	if (*p == '.' && maxfrac > 0) {
		size_t f = strspn(p + 1, "0123456789");
		if (!f || f > (size_t)maxfrac)
			return false;
		p += 1 + f;
	}
	return *p == '\0';
}

static bd_err check_number(const char *v, double min, double max, int maxfrac,
			   const char *kind, const char *unit)
{
	char what[256];
	snprintf(what, sizeof(what), "应为%s，范围 %.15g 至 %.15g%s (expected %s from %.15g to %.15g)",
		 kind, min, max, unit, maxfrac == 0 ? "an integer" : "a number", min, max);
	if (!decimal_syntax(v, maxfrac))
		return expect(what);
	double d = strtod(v, NULL); /* 400 digits give HUGE_VAL: out of range */
	if (!(d >= min && d <= max))
		return expect(what);
	return BD_OK;
}

/* Calls item(ctx, s, n) for every item of v between separators (any
 * character of seps), spaces around it trimmed, empty ones skipped; counts
 * them into *count. Stops at the first item that fails. The matchers and
 * the [run] divisions split their lists the same way. */
typedef bd_err (*item_fn)(void *ctx, const char *s, size_t n);
static bd_err each_item(const char *v, const char *seps, size_t *count, item_fn item, void *ctx)
{
	*count = 0;
	for (const char *p = v; *p;) {
		if (*p == ' ' || strchr(seps, *p)) {
			p++;
			continue;
		}
		size_t n = strcspn(p, seps);
		const char *next = p + n;
		while (n && p[n - 1] == ' ')
			n--;
		bd_err e = item ? item(ctx, p, n) : BD_OK;
		if (e)
			return e;
		(*count)++;
		p = next;
	}
	return BD_OK;
}

static bd_err prog_code_item(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (bd_prog_from_code(s, n) == BD_PROG_NONE)
		return bd_fail(BD_ERR_CONFIG, "%.*s 不是保障项目代码，应为逗号分隔的代码（可用 %s）"
			       "(expected programme codes)", (int)n, s, prog_codes);
	return BD_OK;
}

/* A+B, spaces around either code allowed (as C05 reads it). */
static bd_err pair_item(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	const char *plus = memchr(s, '+', n);
	size_t na = plus ? (size_t)(plus - s) : 0, nb = plus ? n - na - 1 : 0;
	const char *b = plus ? plus + 1 : s;
	while (na && s[na - 1] == ' ')
		na--;
	while (nb && *b == ' ') {
		b++;
		nb--;
	}
	if (!plus || memchr(b, '+', nb) || bd_prog_from_code(s, na) == BD_PROG_NONE ||
	    bd_prog_from_code(b, nb) == BD_PROG_NONE)
		return bd_fail(BD_ERR_CONFIG, "%.*s 不是项目组合，应写成 代码+代码，如 DIBAO+TEKUN（可用 %s）"
			       "(expected code pairs A+B)", (int)n, s, prog_codes);
	return BD_OK;
}

/* A list of min..max items. Paths may hold a Chinese comma (a file name);
 * other lists may not: the matchers split on ASCII commas, so "摩托，残疾人"
 * would be one item that never matches. */
static bd_err check_list(const char *v, double min, double max, const char *seps,
			 item_fn item, bool paths, const char *what)
{
	if (!paths && strstr(v, "，"))
			return bd_fail(BD_ERR_CONFIG, "%s，请用英文逗号 , 分隔（不是中文逗号 ，）"
				       "(separate items with ASCII commas)", what);
	size_t count;
	bd_err e = each_item(v, seps, &count, item, NULL);
	if (e)
		return e;
	if ((double)count < min || (double)count > max)
		return bd_fail(BD_ERR_CONFIG, "%s，%.0f 至 %.0f 项 (expected %.0f to %.0f items)", what,
			       min, max, min, max);
	return BD_OK;
}

static bool has_control(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

bd_err bd_value_check(bd_vtype t, double min, double max, const char *v)
{
	size_t n = strlen(v);
	char what[256];
	switch (t) {
	case BD_VT_TEXT:
		return BD_OK;
	case BD_VT_LABEL:
		if (!n || n > 40 || strpbrk(v, "/\\") || has_control(v))
			return expect("应为 1 至 40 字节的名称，不含 / 和 \\ (expected a short label)");
		return BD_OK;
	case BD_VT_PATH:
		if (!n || has_control(v))
			return expect("应为文件或目录路径，不能为空 (expected a path)");
		return BD_OK;
	case BD_VT_PATHS:
		return check_list(v, min, max, ",", NULL, true, "应为逗号分隔的文件路径");
	case BD_VT_INT:
		return check_number(v, min, max, 0, "整数", "");
	case BD_VT_NUMBER:
		return check_number(v, min, max, 6, "数（可有小数）", "");
	case BD_VT_MONEY:
		return check_number(v, min, max, 2, "金额（元，最多两位小数）", " 元");
	case BD_VT_DATE: {
		int32_t ymd;
		int lo = (int)min, hi = (int)max;
		snprintf(what, sizeof(what), "应为日期，如 2026-12-31，范围 %04d-%02d-%02d 至 %04d-%02d-%02d "
			 "(expected a date)", lo / 10000, lo / 100 % 100, lo % 100, hi / 10000,
			 hi / 100 % 100, hi % 100);
		if (bd_date_parse(v, n, &ymd) != BD_PARSE_OK || ymd < min || ymd > max)
			return expect(what);
		return BD_OK;
	}
	case BD_VT_MONTH: {
		int32_t ym;
		int lo = (int)min, hi = (int)max;
		snprintf(what, sizeof(what), "应为月份，如 2026-12，范围 %04d-%02d 至 %04d-%02d "
			 "(expected a month)", lo / 100, lo % 100, hi / 100, hi % 100);
		if (bd_month_parse(v, n, &ym) != BD_PARSE_OK || ym < min || ym > max)
			return expect(what);
		return BD_OK;
	}
	case BD_VT_YESNO: {
		bool yes;
		if (bd_yesno_parse(v, n, &yes) != BD_PARSE_OK)
			return expect("应为 yes 或 no（是 或 否）(expected yes or no)");
		return BD_OK;
	}
	case BD_VT_REGION:
		if (n < 2 || n > 12 || strspn(v, "0123456789") != n)
			return expect("应为行政区划代码前缀（2-12 位数字）(expected a region-code prefix)");
		return BD_OK;
	case BD_VT_ENCODING: {
		static const char *const ok[] = { "auto", "utf-8", "utf8", "gbk", "gb18030", "gb2312" };
		for (size_t i = 0; i < BD_ARRAY_LEN(ok); i++)
			if (!strcasecmp(v, ok[i]))
				return BD_OK;
		return expect("只能是 auto、utf-8、gbk 或 gb18030 (expected an encoding)");
	}
	case BD_VT_PROG:
		if (bd_prog_from_code(v, n) == BD_PROG_NONE && bd_prog_from_text(v, n) == BD_PROG_NONE)
			return bd_fail(BD_ERR_CONFIG, "应为保障项目代码（%s）或项目名称 (expected a programme)",
				       prog_codes);
		return BD_OK;
	case BD_VT_PROGCODE:
		if (bd_prog_from_code(v, n) == BD_PROG_NONE)
			return bd_fail(BD_ERR_CONFIG, "应为保障项目代码（%s）(expected a programme code)",
				       prog_codes);
		return BD_OK;
	case BD_VT_PROGS:
		return check_list(v, min, max, ", ", prog_code_item, false, "应为逗号分隔的保障项目代码");
	case BD_VT_PAIRS:
		return check_list(v, min, max, ",", pair_item, false, "应为逗号分隔的项目组合 代码+代码");
	case BD_VT_DISSET: {
		bd_disset set = 0;
		if (bd_disset_parse(v, &set) || !set)
			return expect("应为残疾等级集合，如 1-2, 5:3（等级 1-4，或 类别:等级，类别 1-7）"
				      "(expected disability grades)");
		return BD_OK;
	}
	case BD_VT_CUSTODY:
		if (bd_custody_parse(v, n) == BD_CU_UNKNOWN)
			return expect("应为羁押类型：服刑、强制隔离戒毒、拘留 或 看守所羁押 (expected a custody type)");
		return BD_OK;
	case BD_VT_TEXTS:
		return check_list(v, min, max, ",", NULL, false, "应为逗号分隔的文字");
	}
	return bd_fail(BD_ERR_INTERNAL, "unknown value type %d", (int)t);
}

/* ---- parsing ---- */

typedef struct seen_key {
	char *key;        /* "<section>\n<key>" */
	int line;
} seen_key;

typedef struct parse_state {
	bd_config *c;
	FILE *f;
	int line;             /* line being parsed (our reader counts them) */
	bool line_done;       /* the last chunk read ended its line */
	int header_line;      /* line of the last [section] header read */
	char err[768];
	int err_line;
	bool in_run;
	bool seen_run;
	bd_section *sec;
	bd_rule_cfg *rule;
	const bd_matcher *matcher;
	char cur[256];
	seen_key *seen;
	size_t nseen, capseen;
} parse_state;

static int fail(parse_state *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(parse_state *ps, const char *fmt, ...)
{
	if (!ps->err[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
		va_end(ap);
		ps->err_line = ps->line;
	}
	return 0;
}

/* The section as the user wrote it, for messages: "run", "rule L06". */
static int bad_value(parse_state *ps, const char *k, const char *v)
{
	return fail(ps, "[%s] %s = %s: %s", ps->cur, k, v, bd_last_error());
}

/* Records k as given in the current section; a second time is an error
 * naming the first line (libinih keeps the last silently, and a
 * continuation line of a multi-line value calls again with the same key). */
static int note_key(parse_state *ps, const char *k)
{
	size_t a = strlen(ps->cur), b = strlen(k);
	for (size_t i = 0; i < ps->nseen; i++) {
		const char *s = ps->seen[i].key;
		if (!strncmp(s, ps->cur, a) && s[a] == '\n' && !strcmp(s + a + 1, k))
			return fail(ps, "[%s] 中的键 %s 重复（第 %d 行已设置；每个键只能写一次，值写在一行内）"
				    "(duplicate key)", ps->cur, k, ps->seen[i].line);
	}
	if (ps->nseen == ps->capseen) {
		size_t cap = ps->capseen ? ps->capseen * 2 : 64;
		seen_key *n = realloc(ps->seen, cap * sizeof(*n));
		if (!n)
			return 0;
		ps->seen = n;
		ps->capseen = cap;
	}
	char *key = malloc(a + b + 2);
	if (!key)
		return 0;
	memcpy(key, ps->cur, a);
	key[a] = '\n';
	memcpy(key + a + 1, k, b + 1);
	ps->seen[ps->nseen].key = key;
	ps->seen[ps->nseen++].line = ps->line;
	return 1;
}

static bool set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst != NULL;
}

/* The [run] keys and their types (CLI.md). */
typedef struct keyspec {
	const char *key;
	bd_vtype type;
	double min, max;
} keyspec;

static const keyspec run_keys[] = {
	{ "period", BD_VT_LABEL, 0, 0 },
	{ "as_of", BD_VT_DATE, 20000101, 20991231 },
	{ "roll_month", BD_VT_MONTH, 200001, 209912 },
	{ "jurisdiction", BD_VT_REGION, 0, 0 },
	{ "key", BD_VT_PATH, 0, 0 },
	{ "index", BD_VT_PATH, 0, 0 },
	{ "out", BD_VT_PATH, 0, 0 },
	{ "threads", BD_VT_INT, 1, 1024 },
	{ "shards", BD_VT_INT, 1, 256 },
	{ "divisions", BD_VT_PATHS, 1, 4 },
	{ "show_full_id", BD_VT_YESNO, 0, 0 },
};

/* The [dataset] keys: plain ones, then the prefixed families. */
static const keyspec dataset_keys[] = {
	{ "file", BD_VT_PATH, 0, 0 },
	{ "encoding", BD_VT_ENCODING, 0, 0 },
	{ "sheet", BD_VT_PATH, 0, 0 },          /* an index or a name: not empty */
	{ "header_row", BD_VT_INT, 1, 1000 },
	{ "programme", BD_VT_PROG, 0, 0 },      /* mz.roll only */
	{ "custody_type", BD_VT_CUSTODY, 0, 0 },/* ga.custody only */
	{ "alias.", BD_VT_TEXTS, 1, 64 },
	{ "column.", BD_VT_INT, 1, 16384 },     /* XLSX has 16384 columns */
	{ "programme.", BD_VT_PROGCODE, 0, 0 }, /* mz.roll only */
};

static const keyspec *find_key(const keyspec *t, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(t[i].key);
		if (t[i].key[len - 1] == '.' ? !strncmp(k, t[i].key, len) && k[len] : !strcmp(k, t[i].key))
			return &t[i];
	}
	return NULL;
}

static int check_key(parse_state *ps, const keyspec *ks, const char *k, const char *v)
{
	if (!note_key(ps, k))
		return 0;
	if (bd_value_check(ks->type, ks->min, ks->max, v))
		return bad_value(ps, k, v);
	return 1;
}

static bd_err add_division(void *ctx, const char *s, size_t n)
{
	bd_config *c = ctx;
	if (c->ndivisions == BD_ARRAY_LEN(c->divisions))
		return BD_ERR_INTERNAL; /* the type check allows 4 */
	if (!(c->divisions[c->ndivisions] = strndup(s, n)))
		return BD_ERR_NOMEM;
	c->ndivisions++;
	return BD_OK;
}

static int run_key(parse_state *ps, const char *k, const char *v)
{
	bd_config *c = ps->c;
	const keyspec *ks = find_key(run_keys, BD_ARRAY_LEN(run_keys), k);
	if (!ks)
		return fail(ps, "[run] 中未知的键 %s（请检查拼写）", k);
	if (!check_key(ps, ks, k, v))
		return 0;
	size_t n = strlen(v);
	if (!strcmp(k, "period"))
		return set_str(&c->period, v);
	if (!strcmp(k, "as_of"))
		return bd_date_parse(v, n, &c->as_of) == BD_PARSE_OK;
	if (!strcmp(k, "roll_month"))
		return bd_month_parse(v, n, &c->roll_month) == BD_PARSE_OK;
	if (!strcmp(k, "jurisdiction"))
		return set_str(&c->jurisdiction, v);
	if (!strcmp(k, "key"))
		return set_str(&c->key, v);
	if (!strcmp(k, "index"))
		return set_str(&c->index, v);
	if (!strcmp(k, "out"))
		return set_str(&c->out, v);
	if (!strcmp(k, "threads")) {
		c->threads = atoi(v);
		return 1;
	}
	if (!strcmp(k, "shards")) {
		long t = atol(v);
		if (t & (t - 1))
			return fail(ps, "shards = %s: 应为 2 的幂（1、2、4、8…256）", v);
		c->shards = (int)t;
		return 1;
	}
	if (!strcmp(k, "show_full_id"))
		return bd_yesno_parse(v, n, &c->show_full_id) == BD_PARSE_OK;
	/* divisions: 1-4 files, split as the check above counted them */
	size_t count;
	return each_item(v, ",", &count, add_division, c) == BD_OK;
}

static int add_kv(parse_state *ps, bd_kv *arr, size_t *n, const char *k,
		  const char *v)
{
	if (*n >= BD_CFG_MAX_KV)
		return fail(ps, "[%s] 中配置项太多（最多 %d 个）: %s", ps->cur, BD_CFG_MAX_KV, k);
	arr[*n].key = strdup(k);
	arr[*n].value = strdup(v);
	arr[*n].line = ps->line;
	if (!arr[*n].key || !arr[*n].value)
		return 0;
	(*n)++;
	return 1;
}

static int dataset_key(parse_state *ps, const char *k, const char *v)
{
	bd_section *s = ps->sec;
	const keyspec *ks = find_key(dataset_keys, BD_ARRAY_LEN(dataset_keys), k);
	bool roll = !strcmp(s->dataset, "mz.roll");
	if (!ks || (!strncmp(k, "programme", 9) && !roll) ||
	    (!strcmp(k, "custody_type") && strcmp(s->dataset, "ga.custody")))
		return fail(ps, "[dataset %s] 中未知的键 %s（请检查拼写）", s->name, k);
	if (!check_key(ps, ks, k, v))
		return 0;
	if (!strcmp(k, "file"))
		return set_str(&s->file, v);
	if (!strcmp(k, "encoding"))
		return set_str(&s->encoding, v);
	if (!strcmp(k, "sheet"))
		return set_str(&s->sheet, v);
	if (!strcmp(k, "header_row")) {
		s->header_row = atoi(v);
		return 1;
	}
	if (!strcmp(k, "programme"))
		return set_str(&s->programme, v);
	if (!strcmp(k, "custody_type"))
		return set_str(&s->custody_type, v);
	if (!strncmp(k, "alias.", 6))
		return add_kv(ps, s->alias, &s->nalias, k + 6, v);
	if (!strncmp(k, "column.", 7))
		return add_kv(ps, s->column, &s->ncolumn, k + 7, v);
	return add_kv(ps, s->progmap, &s->nprogmap, k + 10, v);
}

/* A [rule ID] parameter: one the rule's table names, of its type. */
static int rule_key(parse_state *ps, const char *k, const char *v)
{
	const bd_matcher *m = ps->matcher;
	const bd_param *p = m->params;
	while (p && p->name && strcmp(p->name, k))
		p++;
	if (!p || !p->name) {
		char known[512] = "";
		size_t at = 0;
		for (const bd_param *q = m->params; q && q->name && at < sizeof(known); q++)
			at += (size_t)snprintf(known + at, sizeof(known) - at, " %s", q->name);
		return fail(ps, "[rule %s] 没有参数 %s（可用:%s）", m->id, k, at ? known : " 无");
	}
	if (!note_key(ps, k))
		return 0;
	if (bd_value_check(p->type, p->min, p->max, v))
		return bad_value(ps, k, v);
	return add_kv(ps, ps->rule->kv, &ps->rule->nkv, k, v);
}

static int start_section(parse_state *ps, const char *section)
{
	bd_config *c = ps->c;
	ps->in_run = false;
	ps->sec = NULL;
	ps->rule = NULL;
	ps->matcher = NULL;
	snprintf(ps->cur, sizeof(ps->cur), "%s", section);
	if (!strcmp(section, "run")) {
		if (ps->seen_run)
			return fail(ps, "重复的节 [run]（第 %d 行）", ps->header_line);
		ps->in_run = true;
		ps->seen_run = true;
		return 1;
	}
	if (!strncmp(section, "dataset ", 8)) {
		const char *name = section + 8;
		while (*name == ' ')
			name++;
		char ds[64];
		size_t n = strcspn(name, " ");
		if (n >= sizeof(ds))
			return fail(ps, "未知的数据集 %s", name);
		memcpy(ds, name, n);
		ds[n] = '\0';
		if (bd_dataset_find(ds) < 0)
			return fail(ps, "未知的数据集 [dataset %s]（可用: ga.person ga.vehicle "
				    "ga.custody cl.cert wj.death wj.illness mz.cremation mz.cadre mz.roll）",
				    ds);
		for (size_t i = 0; i < c->nsections; i++)
			if (!strcmp(c->sections[i].name, name))
				return fail(ps, "重复的节 [dataset %s]", name);
		if (c->nsections >= BD_CFG_MAX_SECTIONS)
			return fail(ps, "数据集节太多%s", "");
		bd_section *s = &c->sections[c->nsections++];
		s->name = strdup(name);
		s->dataset = strdup(ds);
		const char *lab = name + n;
		while (*lab == ' ')
			lab++;
		s->label = *lab ? strdup(lab) : NULL;
		s->line = ps->header_line;
		ps->sec = s;
		return s->name && s->dataset;
	}
	if (!strncmp(section, "rule ", 5)) {
		const char *id = section + 5;
		while (*id == ' ')
			id++;
		const bd_matcher *m = NULL;
		for (size_t i = 0; i < bd_nmatchers && !m; i++)
			if (!strcmp(bd_matchers[i].id, id))
				m = &bd_matchers[i];
		if (!m)
			return fail(ps, "未知的规则 [rule %s]", id);
		for (size_t i = 0; i < c->nrules; i++)
			if (!strcmp(c->rules[i].rule, id))
				return fail(ps, "重复的节 [rule %s]", id);
		bd_rule_cfg *r = &c->rules[c->nrules++];
		r->rule = strdup(id);
		r->line = ps->header_line;
		ps->rule = r;
		ps->matcher = m;
		return r->rule != NULL;
	}
	return fail(ps, "未知的节 [%s]（可用: [run] [dataset 名称] [rule 编号]）", section);
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	parse_state *ps = user;
	if (ps->err[0])
		return 0;
	if (strcmp(section, ps->cur) != 0 || (!name && !value)) {
		if (!start_section(ps, section))
			return 0;
		if (!name)
			return 1;
	}
	if (!name)
		return 1;
	if (!section[0])
		return fail(ps, "配置项 %s 不在任何节中", name);
	if (ps->in_run)
		return run_key(ps, name, value);
	if (ps->sec)
		return dataset_key(ps, name, value);
	if (ps->rule)
		return rule_key(ps, name, value);
	return 0;
}

/* libinih's line reader (fgets), counting lines for the messages: the
 * library's build does not pass line numbers to the handler. A line
 * longer than libinih's buffer would be cut and its rest read as a line
 * of its own; that is an error here. */
static char *read_line(char *str, int num, void *stream)
{
	parse_state *ps = stream;
	if (ps->err[0] || !fgets(str, num, ps->f))
		return NULL;
	size_t n = strlen(str);
	if (ps->line_done)
		ps->line++;
	ps->line_done = n > 0 && str[n - 1] == '\n';
	const char *t = strncmp(str, "\xEF\xBB\xBF", 3) ? str : str + 3; /* BOM */
	if (t[strspn(t, " \t")] == '[')
		ps->header_line = ps->line;
	if (!ps->line_done && !feof(ps->f)) {
		fail(ps, "这一行太长（libinih 每行最多 %d 字节），请缩短（列名别名可改用 "
		     "column.字段 = 列号）(line too long)",
		     num - 2);
		return NULL;
	}
	return str;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static bd_err resolve(bd_config *c, char **p, const char *what, const char *def)
{
	if (!*p) {
		if (!def)
			return bd_fail(BD_ERR_CONFIG, "%s: [run] 缺少 %s (missing key)", c->path, what);
		*p = strdup(def);
	}
	char *r = *p ? bd_path_join(c->dir, *p) : NULL;
	if (!r)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	free(*p);
	*p = r;
	return BD_OK;
}

static bd_err finish(bd_config *c)
{
	bd_err e;
	if (!c->as_of)
		return bd_fail(BD_ERR_CONFIG, "%s: [run] 缺少 as_of（核查基准日）", c->path);
	if (!c->roll_month)
		c->roll_month = c->as_of / 100;
	if (!c->period)
		return bd_fail(BD_ERR_CONFIG, "%s: [run] 缺少 period（期次，如 2026Q4）", c->path);
	if (!c->jurisdiction)
		return bd_fail(BD_ERR_CONFIG, "%s: [run] 缺少 jurisdiction（辖区行政区划代码）", c->path);
	if ((e = resolve(c, &c->key, "key", NULL)) || (e = resolve(c, &c->index, "index", "var/index")) ||
	    (e = resolve(c, &c->out, "out", "out")))
		return e;
	for (size_t i = 0; i < c->ndivisions; i++)
		if ((e = resolve(c, &c->divisions[i], "divisions", NULL)))
			return e;
	if (!c->threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		c->threads = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
	}
	for (size_t i = 0; i < c->nsections; i++) {
		bd_section *s = &c->sections[i];
		if (!s->file)
			return bd_fail(BD_ERR_CONFIG, "%s:%d: [dataset %s] 缺少 file", c->path, s->line, s->name);
		if ((e = resolve(c, &s->file, "file", NULL)))
			return e;
		if (!s->encoding && !(s->encoding = strdup("auto")))
			return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	return BD_OK;
}

bd_err bd_config_load(const char *path, bd_config **out)
{
	*out = NULL;
	bd_config *c = calloc(1, sizeof(*c));
	parse_state *ps = calloc(1, sizeof(*ps));
	if (!c || !ps) {
		free(c);
		free(ps);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	c->path = strdup(path);
	c->dir = dir_of(path);
	ps->c = c;
	ps->line_done = true;
	bd_err e = BD_OK;
	int rc = -1;
	if ((ps->f = fopen(path, "r"))) {
		rc = ini_parse_stream(read_line, ps, handler, ps);
		fclose(ps->f);
	}
	if (rc == -1)
		e = bd_fail(BD_ERR_CONFIG, "无法打开运行配置 %s: %s (cannot open RUN.ini)", path,
			    strerror(errno));
	else if (rc == -2)
		e = bd_fail(BD_ERR_NOMEM, "out of memory reading %s", path);
	else if (ps->err[0])
		e = bd_fail(BD_ERR_CONFIG, "%s:%d: %s", path, ps->err_line, ps->err);
	else if (rc > 0)
		e = bd_fail(BD_ERR_CONFIG, "%s:%d: 无法解析这一行 (syntax error)", path, rc);
	else if (!ps->seen_run)
		e = bd_fail(BD_ERR_CONFIG, "%s: 缺少 [run] 节", path);
	else
		e = finish(c);
	for (size_t i = 0; i < ps->nseen; i++)
		free(ps->seen[i].key);
	free(ps->seen);
	free(ps);
	if (e) {
		bd_config_free(c);
		return e;
	}
	*out = c;
	return BD_OK;
}

static void free_kvs(bd_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
}

void bd_config_free(bd_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsections; i++) {
		bd_section *s = &c->sections[i];
		free(s->name); free(s->dataset); free(s->label); free(s->file);
		free(s->encoding); free(s->sheet); free(s->programme); free(s->custody_type);
		free_kvs(s->alias, s->nalias);
		free_kvs(s->column, s->ncolumn);
		free_kvs(s->progmap, s->nprogmap);
	}
	for (size_t i = 0; i < c->nrules; i++) {
		free(c->rules[i].rule);
		free_kvs(c->rules[i].kv, c->rules[i].nkv);
	}
	free(c->path); free(c->dir); free(c->period); free(c->jurisdiction);
	free(c->key); free(c->index); free(c->out);
	for (size_t i = 0; i < c->ndivisions; i++)
		free(c->divisions[i]);
	free(c);
}
