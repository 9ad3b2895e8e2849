/* flagfile.c - flags.csv: its columns, the writer and the reader
 * (flagfile.h). */
#include "bd/flagfile.h"
#include "bd/csv.h"
#include "bd/csvout.h"
#include "bd/idnum.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const bd_flag_cols[BD_FC_MAX] = {
	"flag_id", "rule", "family", "severity", "status", "township", "village", "household_id",
	"subject_hid", "name", "id_masked", "programme", "monthly_amount", "overpaid", "evidence",
	"source_dataset", "source_row", "first_seen",
};

/* Review order: by rule, then where the flag is, then who it is about. */
static int review_cmp(const void *a, const void *b)
{
	const bd_runflag *x = a, *y = b;
	if (x->rule_order != y->rule_order)
		return x->rule_order < y->rule_order ? -1 : 1;
	int c = strcmp(x->f->township, y->f->township);
	if (!c)
		c = strcmp(x->f->village, y->f->village);
	if (!c)
		c = strcmp(x->f->household_id, y->f->household_id);
	if (!c)
		c = strcmp(x->subject, y->subject);
	if (!c)
		c = strcmp(x->f->evkey, y->f->evkey);
	if (!c)
		c = strcmp(x->id, y->id);
	return c;
}

static void put_money(FILE *f, int64_t cents, char sep)
{
	char b[32] = "";
	if (cents >= 0)
		snprintf(b, sizeof(b), "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
	bd_csv_puts(f, b, sep);
}

static bool put_header(FILE *out)
{
	bool ok = true;
	for (int k = 0; ok && k < BD_FC_MAX; k++)
		ok = fputs(bd_flag_cols[k], out) >= 0 && fputc(k + 1 < BD_FC_MAX ? ',' : '\n', out) != EOF;
	return ok;
}

bd_err bd_flagfile_write(const bd_config *cfg, bd_runflag *s, size_t nflags, const char *tmp)
{
	FILE *out = fopen(tmp, "wb");
	if (!out)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	qsort(s, nflags, sizeof(*s), review_cmp);
	bool ok = put_header(out);
	for (size_t i = 0; ok && i < nflags; i++) {
		const bd_flagrec *f = s[i].f;
		const bd_matcher *m = &bd_matchers[s[i].rule_order];
		char row[16], idmask[32];
		snprintf(row, sizeof(row), "%u", f->source_row);
		snprintf(idmask, sizeof(idmask), "%s", f->idmask);
		if (!cfg->show_full_id)
			bd_id_remask(idmask, sizeof(idmask));
		ok = bd_csv_puts(out, s[i].id, ',') && bd_csv_puts(out, f->rule, ',') &&
		     bd_csv_puts(out, m ? bd_family_name(m->family) : "", ',') &&
		     bd_csv_puts(out, bd_severity_name(f->severity), ',') &&
		     bd_csv_puts(out, s[i].persisting ? "持续" : "新增", ',') &&
		     bd_csv_puts(out, f->township, ',') &&
		     bd_csv_puts(out, f->village, ',') && bd_csv_puts(out, f->household_id, ',') &&
		     bd_csv_puts(out, s[i].subject, ',') && bd_csv_puts(out, f->name, ',') &&
		     bd_csv_puts(out, idmask, ',') &&
		     bd_csv_puts(out, f->programme ? f->programme : "", ',');
		if (ok) {
			put_money(out, f->monthly, ',');
			put_money(out, f->overpaid, ',');
			char ev[1600];
			snprintf(ev, sizeof(ev), "%s%s", f->evidence,
				 f->recovered && strcmp(f->rule, "Q01") ? "；说明：号码已修复" : "");
			ok = bd_csv_puts(out, ev, ',') &&
			     bd_csv_puts(out, f->source_dataset ? f->source_dataset : "", ',') &&
			     bd_csv_puts(out, f->source_row ? row : "", ',') &&
			     bd_csv_puts(out, s[i].first_seen, '\n');
		}
	}
	if (fclose(out) != 0 || !ok) {
		unlink(tmp);
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	}
	return BD_OK;
}

static const bd_matcher *matcher(const char *id)
{
	for (size_t k = 0; k < bd_nmatchers; k++)
		if (!strcmp(bd_matchers[k].id, id))
			return &bd_matchers[k];
	return NULL;
}

bd_err bd_flagfile_load(const char *path, bd_flagfile *fs)
{
	bd_csv *c;
	bd_err e = bd_csv_open(path, "utf-8", &c);
	if (e)
		return bd_fail_ctx(e, "请先运行 bidui match");
	bd_row row;
	bool eof;
	int map[BD_FC_MAX];
	if ((e = bd_csv_next(c, &row, &eof)) || eof) {
		bd_csv_close(c);
		return e ? e : bd_fail(BD_ERR_FORMAT, "%s 为空", path);
	}
	for (int k = 0; k < BD_FC_MAX; k++) {
		map[k] = -1;
		for (uint32_t i = 0; i < row.ncell; i++)
			if (!strcmp(row.cells[i].s, bd_flag_cols[k]))
				map[k] = (int)i;
		if (map[k] < 0) {
			bd_csv_close(c);
			return bd_fail(BD_ERR_HEADER, "%s 缺少列 %s", path, bd_flag_cols[k]);
		}
	}
	while (!(e = bd_csv_next(c, &row, &eof)) && !eof) {
		if (fs->n == fs->cap) {
			size_t cap = fs->cap ? fs->cap * 2 : 256;
			bd_flagline *nv = realloc(fs->v, cap * sizeof(*nv));
			if (!nv) {
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
				break;
			}
			fs->v = nv;
			fs->cap = cap;
		}
		/* one allocation per flag: the fields end to end (f[0] owns it) */
		size_t len = 0;
		for (int k = 0; k < BD_FC_MAX; k++)
			len += ((uint32_t)map[k] < row.ncell ? row.cells[map[k]].n : 0) + 1;
		char *block = malloc(len);
		if (!block) {
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
			break;
		}
		bd_flagline *r = &fs->v[fs->n++];
		for (int k = 0; k < BD_FC_MAX; k++) {
			uint32_t n = (uint32_t)map[k] < row.ncell ? row.cells[map[k]].n : 0;
			r->f[k] = block;
			if (n)
				memcpy(block, row.cells[map[k]].s, n);
			block[n] = '\0';
			block += n + 1;
		}
		r->m = matcher(r->f[BD_FC_RULE]);
		r->rank = r->m ? (size_t)(r->m - bd_matchers) : bd_nmatchers;
	}
	bd_csv_close(c);
	return e;
}

void bd_flagfile_free(bd_flagfile *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].f[0]); /* the row's block */
	free(fs->v);
}
