/* config.c - RUN.ini parsing with libinih (see config.h). */
#include "bd/config.h"
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

static const char *const rule_ids[] = {
	"C01", "C02", "C03", "C04", "C05", "C06", "C07",
	"L01", "L02", "L03", "L04", "L05", "L06",
	"R01", "R02", "Q01", "Q02", "Q03",
};

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

typedef struct parse_state {
	bd_config *c;
	char err[512];
	int err_line;
	bool in_run;
	bool seen_run;
	bd_section *sec;
	bd_rule_cfg *rule;
	char cur[256];
} parse_state;

static int fail(parse_state *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(parse_state *ps, int line, const char *fmt, ...)
{
	if (!ps->err[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
		va_end(ap);
		ps->err_line = line;
	}
	return 0;
}

static bool set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst != NULL;
}

static bool parse_ymd(const char *v, int32_t *ymd)
{
	return bd_date_parse(v, strlen(v), ymd) == BD_PARSE_OK;
}

static int run_key(parse_state *ps, const char *k, const char *v, int line)
{
	bd_config *c = ps->c;
	if (!strcmp(k, "period"))
		return set_str(&c->period, v);
	if (!strcmp(k, "as_of")) {
		if (!parse_ymd(v, &c->as_of))
			return fail(ps, line, "as_of 不是有效日期: %s", v);
		return 1;
	}
	if (!strcmp(k, "roll_month")) {
		if (bd_month_parse(v, strlen(v), &c->roll_month) != BD_PARSE_OK)
			return fail(ps, line, "roll_month 不是有效月份: %s", v);
		return 1;
	}
	if (!strcmp(k, "jurisdiction")) {
		size_t n = strlen(v);
		bool digits = n >= 2 && n <= 12;
		for (size_t i = 0; i < n; i++)
			digits = digits && isdigit((unsigned char)v[i]);
		if (!digits)
			return fail(ps, line, "jurisdiction 应为行政区划代码前缀（2-12 位数字）: %s", v);
		return set_str(&c->jurisdiction, v);
	}
	if (!strcmp(k, "key"))
		return set_str(&c->key, v);
	if (!strcmp(k, "index"))
		return set_str(&c->index, v);
	if (!strcmp(k, "out"))
		return set_str(&c->out, v);
	if (!strcmp(k, "threads")) {
		char *end;
		long t = strtol(v, &end, 10);
		if (*end || t < 1 || t > 1024)
			return fail(ps, line, "threads 应为 1-1024 的整数: %s", v);
		c->threads = (int)t;
		return 1;
	}
	if (!strcmp(k, "shards")) {
		char *end;
		long t = strtol(v, &end, 10);
		if (*end || t < 1 || t > 256 || (t & (t - 1)))
			return fail(ps, line, "shards 应为 1-256 之间 2 的幂（1、2、4、8…）: %s", v);
		c->shards = (int)t;
		return 1;
	}
	if (!strcmp(k, "divisions")) {
		/* one or more files, comma-separated */
		for (size_t i = 0; i < c->ndivisions; i++)
			free(c->divisions[i]);
		c->ndivisions = 0;
		for (const char *p = v; *p;) {
			while (*p == ' ' || *p == ',')
				p++;
			size_t n = strcspn(p, ",");
			while (n && p[n - 1] == ' ')
				n--;
			if (!n)
				break;
			if (c->ndivisions == BD_ARRAY_LEN(c->divisions))
				return fail(ps, line, "divisions 最多 %zu 个文件", BD_ARRAY_LEN(c->divisions));
			if (!(c->divisions[c->ndivisions++] = strndup(p, n)))
				return 0;
			p += strcspn(p, ",");
		}
		return 1;
	}
	if (!strcmp(k, "show_full_id")) {
		bool yes;
		if (bd_yesno_parse(v, strlen(v), &yes) != BD_PARSE_OK)
			return fail(ps, line, "show_full_id 应为 yes 或 no: %s", v);
		c->show_full_id = yes;
		return 1;
	}
	return fail(ps, line, "[run] 中未知的键 %s（请检查拼写）", k);
}

static int add_kv(parse_state *ps, bd_kv *arr, size_t *n, const char *k,
		  const char *v, int line)
{
	if (*n >= BD_CFG_MAX_KV)
		return fail(ps, line, "太多配置项: %s", k);
	arr[*n].key = strdup(k);
	arr[*n].value = strdup(v);
	arr[*n].line = line;
	if (!arr[*n].key || !arr[*n].value)
		return 0;
	(*n)++;
	return 1;
}

static int dataset_key(parse_state *ps, const char *k, const char *v, int line)
{
	bd_section *s = ps->sec;
	if (!strcmp(k, "file"))
		return set_str(&s->file, v);
	if (!strcmp(k, "encoding")) {
		const char *ok[] = { "auto", "utf-8", "utf8", "gbk", "gb18030", "gb2312" };
		for (size_t i = 0; i < BD_ARRAY_LEN(ok); i++)
			if (!strcasecmp(v, ok[i]))
				return set_str(&s->encoding, v);
		return fail(ps, line, "encoding 只能是 auto、utf-8、gbk 或 gb18030: %s", v);
	}
	if (!strcmp(k, "sheet"))
		return set_str(&s->sheet, v);
	if (!strcmp(k, "header_row")) {
		char *end;
		long r = strtol(v, &end, 10);
		if (*end || r < 1 || r > 1000)
			return fail(ps, line, "header_row 应为正整数: %s", v);
		s->header_row = (int)r;
		return 1;
	}
	if (!strcmp(k, "programme") && !strcmp(s->dataset, "mz.roll"))
		return set_str(&s->programme, v);
	if (!strcmp(k, "custody_type") && !strcmp(s->dataset, "ga.custody"))
		return set_str(&s->custody_type, v);
	if (!strncmp(k, "alias.", 6) && k[6])
		return add_kv(ps, s->alias, &s->nalias, k + 6, v, line);
	if (!strncmp(k, "column.", 7) && k[7])
		return add_kv(ps, s->column, &s->ncolumn, k + 7, v, line);
	if (!strncmp(k, "programme.", 10) && k[10] && !strcmp(s->dataset, "mz.roll"))
		return add_kv(ps, s->progmap, &s->nprogmap, k + 10, v, line);
	return fail(ps, line, "[dataset %s] 中未知的键 %s（请检查拼写）", s->name, k);
}

static int start_section(parse_state *ps, const char *section, int line)
{
	bd_config *c = ps->c;
	ps->in_run = false;
	ps->sec = NULL;
	ps->rule = NULL;
	snprintf(ps->cur, sizeof(ps->cur), "%s", section);
	if (!strcmp(section, "run")) {
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
			return fail(ps, line, "未知的数据集 %s", name);
		memcpy(ds, name, n);
		ds[n] = '\0';
		if (bd_dataset_find(ds) < 0)
			return fail(ps, line, "未知的数据集 [dataset %s]（可用: ga.person ga.vehicle "
				    "ga.custody cl.cert wj.death wj.illness mz.cremation mz.cadre mz.roll）",
				    ds);
		for (size_t i = 0; i < c->nsections; i++)
			if (!strcmp(c->sections[i].name, name))
				return fail(ps, line, "重复的节 [dataset %s]", name);
		if (c->nsections >= BD_CFG_MAX_SECTIONS)
			return fail(ps, line, "数据集节太多%s", "");
		bd_section *s = &c->sections[c->nsections++];
		s->name = strdup(name);
		s->dataset = strdup(ds);
		const char *lab = name + n;
		while (*lab == ' ')
			lab++;
		s->label = *lab ? strdup(lab) : NULL;
		s->line = line;
		ps->sec = s;
		return s->name && s->dataset;
	}
	if (!strncmp(section, "rule ", 5)) {
		const char *id = section + 5;
		while (*id == ' ')
			id++;
		bool known = false;
		for (size_t i = 0; i < BD_ARRAY_LEN(rule_ids); i++)
			known = known || !strcmp(rule_ids[i], id);
		if (!known)
			return fail(ps, line, "未知的规则 [rule %s]", id);
		for (size_t i = 0; i < c->nrules; i++)
			if (!strcmp(c->rules[i].rule, id))
				return fail(ps, line, "重复的节 [rule %s]", id);
		bd_rule_cfg *r = &c->rules[c->nrules++];
		r->rule = strdup(id);
		r->line = line;
		ps->rule = r;
		return r->rule != NULL;
	}
	return fail(ps, line, "未知的节 [%s]（可用: [run] [dataset 名称] [rule 编号]）", section);
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	const int line = 0; /* inih reports the failing line through ini_parse */
	parse_state *ps = user;
	if (ps->err[0])
		return 0;
	if (strcmp(section, ps->cur) != 0 || (!name && !value)) {
		if (!start_section(ps, section, line))
			return 0;
		if (!name)
			return 1;
	}
	if (!name)
		return 1;
	if (!section[0])
		return fail(ps, line, "配置项 %s 不在任何节中", name);
	if (ps->in_run)
		return run_key(ps, name, value, line);
	if (ps->sec)
		return dataset_key(ps, name, value, line);
	if (ps->rule)
		return add_kv(ps, ps->rule->kv, &ps->rule->nkv, name, value, line);
	return 0;
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
	int rc = ini_parse(path, handler, ps);
	bd_err e = BD_OK;
	if (rc == -1)
		e = bd_fail(BD_ERR_CONFIG, "无法打开运行配置 %s (cannot open RUN.ini)", path);
	else if (rc == -2)
		e = bd_fail(BD_ERR_NOMEM, "out of memory reading %s", path);
	else if (ps->err[0])
		e = bd_fail(BD_ERR_CONFIG, "%s:%d: %s", path, rc, ps->err);
	else if (rc > 0)
		e = bd_fail(BD_ERR_CONFIG, "%s:%d: 无法解析这一行 (syntax error)", path, rc);
	else if (!ps->seen_run)
		e = bd_fail(BD_ERR_CONFIG, "%s: 缺少 [run] 节", path);
	else
		e = finish(c);
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
