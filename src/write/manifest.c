/* manifest.c - manifest.json written and read back with jansson
 * (manifest.h). */
#include "bd/manifest.h"
#include "bd/json.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What bd_manifest_read allocated: the document the strings point into,
 * the inputs as text, the rules and their parameters. */
struct bd_manifest_doc {
	json_t *root;
	char **inputs;
	bd_manifest_rule *rules;
	bd_manifest_param *params;
};

static json_t *date_text(int32_t ymd)
{
	char s[16];
	snprintf(s, sizeof(s), "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	return json_string(s);
}

static json_t *month_text(int32_t ym)
{
	char s[16];
	snprintf(s, sizeof(s), "%04d-%02d", ym / 100, ym % 100);
	return json_string(s);
}

static json_t *count(size_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *rule_json(const bd_manifest_rule *r)
{
	json_t *o = json_object(), *p = json_object();
	bool ok = o && p && bd_json_put(o, "id", bd_json_text(r->id)) && bd_json_put(o, "name", bd_json_text(r->name)) &&
		  bd_json_put(o, "family", bd_json_text(r->family));
	if (ok && r->skipped)
		ok = bd_json_put(o, "status", json_string("skipped")) && bd_json_put(o, "reason", bd_json_text(r->skipped));
	else if (ok)
		ok = bd_json_put(o, "status", json_string("ran")) && bd_json_put(o, "flags", count(r->flags));
	for (size_t i = 0; ok && i < r->nparams; i++)
		ok = bd_json_put(p, r->params[i].name, bd_json_text(r->params[i].value));
	if (ok && bd_json_put(o, "params", p))
		return o;
	json_decref(o);
	return NULL;
}

/* The document of m into *out, keys in the order they are written. */
static bd_err to_json(const bd_manifest *m, json_t **out)
{
	*out = NULL;
	json_t *o = json_object(), *in = json_array(), *rules = json_array(), *life = json_object();
	bool ok = o && in && rules && life && bd_json_put(o, "tool", bd_json_text(m->tool)) && bd_json_put(o, "version", bd_json_text(m->version)) &&
		  bd_json_put(o, "period", bd_json_text(m->period)) && bd_json_put(o, "as_of", date_text(m->as_of)) &&
		  bd_json_put(o, "roll_month", month_text(m->roll_month)) && bd_json_put(o, "jurisdiction", bd_json_text(m->jurisdiction)) &&
		  bd_json_put(o, "key_fingerprint", bd_json_text(m->key_fingerprint)) && bd_json_put(o, "threads", json_integer(m->threads)) &&
		  bd_json_put(o, "show_full_id", json_boolean(m->show_full_id)) &&
		  bd_json_put(o, "started_at", bd_json_text(m->started_at)) && bd_json_put(o, "finished_at", bd_json_text(m->finished_at)) &&
		  bd_json_put(life, "previous_period", bd_json_text(m->previous_period)) && bd_json_put(life, "new", count(m->added)) &&
		  bd_json_put(life, "persisting", count(m->persisting)) && bd_json_put(life, "resolved", count(m->resolved)) &&
		  bd_json_put(life, "not_shown_false_positive", count(m->suppressed));
	bd_err e = ok ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
	for (size_t i = 0; !e && i < m->ninputs; i++) {
		char *snap = bd_json_utf8_copy(m->inputs[i], strlen(m->inputs[i]));
		json_error_t err;
		json_t *s = snap ? json_loads(snap, 0, &err) : NULL;
		if (!s)
			e = snap ? bd_fail(BD_ERR_INTERNAL, "索引中的输入记录不是 JSON (snapshot %zu: %s)", i + 1, err.text)
				 : bd_fail(BD_ERR_NOMEM, "out of memory");
		else if (json_array_append_new(in, s))
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
		free(snap);
	}
	for (size_t i = 0; !e && i < m->nrules; i++)
		if (json_array_append_new(rules, rule_json(&m->rules[i])))
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
	if (!e && !(json_object_set(o, "inputs", in) == 0 && json_object_set(o, "rules", rules) == 0 &&
		    bd_json_put(o, "flags_total", count(m->flags_total)) && json_object_set(o, "lifecycle", life) == 0))
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	json_decref(in);
	json_decref(rules);
	json_decref(life);
	if (e)
		json_decref(o);
	else
		*out = o;
	return e;
}

bd_err bd_manifest_write(const bd_manifest *m, const char *path)
{
	json_t *o;
	bd_err e = to_json(m, &o);
	if (e)
		return e;
	FILE *f = fopen(path, "wb");
	bool ok = f && json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', f) != EOF;
	if (f && fclose(f) != 0)
		ok = false;
	json_decref(o);
	if (!ok) {
		int err = errno;
		unlink(path);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", path, strerror(err));
	}
	return BD_OK;
}

static const char *str_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)); /* NULL when not a string */
}

static bool size_at(json_t *o, const char *key, size_t *n)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*n = (size_t)json_integer_value(v);
	return true;
}

/* "yyyy-mm-dd" (or "yyyy-mm" when !day) as yyyymmdd (yyyymm). */
static bool date_at(json_t *o, const char *key, bool day, int32_t *out)
{
	const char *s = str_at(o, key);
	int y, m, d = 0;
	char end;
	if (!s || (day ? sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 : sscanf(s, "%4d-%2d%c", &y, &m, &end) != 2))
		return false;
	*out = day ? y * 10000 + m * 100 + d : y * 100 + m;
	return true;
}

static bool read_rule(json_t *o, bd_manifest_rule *r, bd_manifest_param *params)
{
	const char *status = str_at(o, "status");
	json_t *p = json_object_get(o, "params"), *v;
	const char *k;
	r->id = str_at(o, "id");
	r->name = str_at(o, "name");
	r->family = str_at(o, "family");
	r->skipped = str_at(o, "reason");
	r->params = params;
	bool ok = r->id && r->name && r->family && status && json_is_object(p) &&
		  (strcmp(status, "skipped") ? !strcmp(status, "ran") && !r->skipped && size_at(o, "flags", &r->flags)
					     : r->skipped != NULL);
	json_object_foreach(p, k, v) {
		params[r->nparams].name = k;
		ok = ok && (params[r->nparams++].value = json_string_value(v)) != NULL;
	}
	return ok;
}

static bd_err read_doc(const char *path, bd_manifest *m)
{
	bd_manifest_doc *d = m->doc;
	json_t *r = d->root, *in = json_object_get(r, "inputs"), *rules = json_object_get(r, "rules");
	json_t *life = json_object_get(r, "lifecycle"), *threads = json_object_get(r, "threads");
	json_t *full = json_object_get(r, "show_full_id"), *x;
	m->tool = str_at(r, "tool");
	m->version = str_at(r, "version");
	m->period = str_at(r, "period");
	m->jurisdiction = str_at(r, "jurisdiction");
	m->key_fingerprint = str_at(r, "key_fingerprint");
	m->started_at = str_at(r, "started_at");
	m->finished_at = str_at(r, "finished_at");
	m->previous_period = str_at(life, "previous_period");
	bool ok = m->tool && m->version && m->period && m->jurisdiction && m->key_fingerprint && m->started_at &&
		  m->finished_at && m->previous_period && json_is_integer(threads) && json_is_boolean(full) &&
		  json_is_array(in) && json_is_array(rules) && date_at(r, "as_of", true, &m->as_of) &&
		  date_at(r, "roll_month", false, &m->roll_month) && size_at(r, "flags_total", &m->flags_total) &&
		  size_at(life, "new", &m->added) && size_at(life, "persisting", &m->persisting) &&
		  size_at(life, "resolved", &m->resolved) && size_at(life, "not_shown_false_positive", &m->suppressed);
	if (!ok)
		return bd_fail(BD_ERR_FORMAT, "%s: 不是 bidui match 写的运行清单 (not a bidui manifest)", path);
	m->threads = (int)json_integer_value(threads);
	m->show_full_id = json_is_true(full);
	size_t i, nparams = 0;
	json_array_foreach(rules, i, x)
		nparams += json_object_size(json_object_get(x, "params"));
	d->inputs = calloc(json_array_size(in) + 1, sizeof(*d->inputs));
	d->rules = calloc(json_array_size(rules) + 1, sizeof(*d->rules));
	d->params = calloc(nparams + 1, sizeof(*d->params));
	if (!d->inputs || !d->rules || !d->params)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	m->inputs = (const char *const *)d->inputs;
	m->rules = d->rules;
	json_array_foreach(in, i, x) {
		if (!json_is_object(x))
			return bd_fail(BD_ERR_FORMAT, "%s: inputs[%zu] 不是对象 (not an object)", path, i + 1);
		if (!(d->inputs[m->ninputs++] = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER)))
			return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	nparams = 0;
	json_array_foreach(rules, i, x) {
		if (!json_is_object(x) || !read_rule(x, &d->rules[i], d->params + nparams))
			return bd_fail(BD_ERR_FORMAT, "%s: rules[%zu] 不完整 (incomplete)", path, i + 1);
		nparams += d->rules[i].nparams;
		m->nrules++;
	}
	return BD_OK;
}

bd_err bd_manifest_read(const char *path, bd_manifest *m)
{
	memset(m, 0, sizeof(*m));
	if (!(m->doc = calloc(1, sizeof(*m->doc))))
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	json_error_t err;
	if (!(m->doc->root = json_load_file(path, 0, &err)))
		return bd_fail(BD_ERR_FORMAT, "%s: %s", path, err.text);
	if (!json_is_object(m->doc->root))
		return bd_fail(BD_ERR_FORMAT, "%s: 不是 bidui match 写的运行清单 (not a bidui manifest)", path);
	return read_doc(path, m);
}

void bd_manifest_release(bd_manifest *m)
{
	bd_manifest_doc *d = m->doc;
	if (d) {
		for (size_t i = 0; d->inputs && d->inputs[i]; i++)
			free(d->inputs[i]);
		free(d->inputs);
		free(d->rules);
		free(d->params);
		json_decref(d->root);
		free(d);
	}
	memset(m, 0, sizeof(*m));
}

/* The key path of the value being walked, and where the leaves go. */
typedef struct walk {
	char key[512];
	void (*fn)(void *ctx, const char *key, const char *value);
	void *ctx;
} walk;

static void walk_value(walk *w, json_t *v, int depth)
{
	size_t klen = strlen(w->key);
	const char *k;
	json_t *x;
	size_t i;
	char num[48];
	if (depth > 32)
		return;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, k, x) {
			snprintf(w->key + klen, sizeof(w->key) - klen, "%s%s", klen ? "." : "", k);
			walk_value(w, x, depth + 1);
			w->key[klen] = '\0';
		}
		return;
	case JSON_ARRAY:
		json_array_foreach(v, i, x) {
			snprintf(w->key + klen, sizeof(w->key) - klen, "[%zu]", i + 1);
			walk_value(w, x, depth + 1);
			w->key[klen] = '\0';
		}
		return;
	case JSON_STRING:
		w->fn(w->ctx, w->key, json_string_value(v));
		return;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		snprintf(num, sizeof(num), "%s", json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null");
		break;
	}
	w->fn(w->ctx, w->key, num);
}

bd_err bd_manifest_leaves(const bd_manifest *m, void (*fn)(void *ctx, const char *key, const char *value),
			  void *ctx)
{
	json_t *o;
	bd_err e = to_json(m, &o);
	if (e)
		return e;
	walk w = { .key = "", .fn = fn, .ctx = ctx };
	walk_value(&w, o, 0);
	json_decref(o);
	return BD_OK;
}
