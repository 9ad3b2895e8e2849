/* report.c - the report command: flags.csv by township, each
 * township's workbook and the summary written on all cores (report.h). */
#include "bd/report.h"
#include "bd/book.h"
#include "bd/book_summary.h"
#include "bd/book_township.h"
#include "bd/history.h"
#include "bd/key.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sheet order: by township, then rule, then where and who. */
static int by_town_rule(const void *a, const void *b)
{
	const bd_flagline *x = a, *y = b;
	int c = bd_town_cmp(x->f[BD_FC_TOWN], y->f[BD_FC_TOWN]);
	if (!c) {
		c = x->rank < y->rank ? -1 : x->rank > y->rank;
	}
	if (!c)
		c = strcmp(x->f[BD_FC_RULE], y->f[BD_FC_RULE]);
	if (!c)
		c = strcmp(x->f[BD_FC_VILLAGE], y->f[BD_FC_VILLAGE]);
	if (!c)
		c = strcmp(x->f[BD_FC_HH], y->f[BD_FC_HH]);
	if (!c)
		c = strcmp(x->f[BD_FC_NAME], y->f[BD_FC_NAME]);
	return c ? c : strcmp(x->f[BD_FC_ID], y->f[BD_FC_ID]);
}

/* The workbooks are independent: townships and the summary are written by
 * cfg->threads workers; what each wrote is reported in order afterwards. */
typedef struct rtask {
	size_t a, b;          /* flags of one township; a == b: the summary */
	bool summary;
	bd_err e;
	char msg[512];
	char path[BD_BOOK_PATH];  /* the workbook written */
} rtask;

typedef struct rpool {
	const bd_config *cfg;
	char index_id[17];   /* written on every cover (history.h) */
	const bd_flagfile *fs;
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
		t->e = t->summary ? bd_book_summary(p->cfg, p->fs->v, p->fs->n, t->path)
				  : bd_book_township(p->cfg, p->index_id, p->fs->v, t->a, t->b, t->path);
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
		char path[BD_BOOK_PATH + 300];
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
	bd_flagfile fs = { 0 };
	bd_err e = bd_flagfile_load(path, &fs);
	if (!e && fs.n)
		qsort(fs.v, fs.n, sizeof(*fs.v), by_town_rule);
	/* one task per township and the summary */
	size_t ntask = 1;
	for (size_t i = 1; !e && i <= fs.n; i++)
		ntask += i == fs.n || strcmp(fs.v[i].f[BD_FC_TOWN], fs.v[i - 1].f[BD_FC_TOWN]);
	rtask *t = e ? NULL : calloc(ntask, sizeof(*t));
	if (!e && !t)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	if (e) {
		bd_flagfile_free(&fs);
		return e;
	}
	size_t k = 0;
	for (size_t i = 0; i < fs.n;) {
		size_t j = i;
		while (j < fs.n && !strcmp(fs.v[j].f[BD_FC_TOWN], fs.v[i].f[BD_FC_TOWN]))
			j++;
		t[k].a = i;
		t[k++].b = j;
		i = j;
	}
	t[k++].summary = true;
	rpool p = { .cfg = cfg, .fs = &fs, .t = t, .n = k, .progress = bd_progress_wanted() };
	if ((e = index_identity(cfg, p.index_id))) {
		free(t);
		bd_flagfile_free(&fs);
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
	bd_flagfile_free(&fs);
	return e;
}
