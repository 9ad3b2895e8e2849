/* ingest.c - files -> rows -> entries -> sorted runs -> LMDB (ingest.h). */
#include "bd/ingest.h"
#include "bd/csv.h"
#include "bd/history.h"
#include "bd/index.h"
#include "bd/json.h"
#include "bd/rowproc.h"
#include "bd/sheet.h"
#include "bd/sorter.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <zlib.h>

#define HEADER_SEARCH_ROWS 20
#define CSV_BLOCK ((size_t)1 << 20)
#define BATCH_ROWS 4096
#define BATCH_BYTES ((size_t)1 << 20)

/* ---- a batch of spreadsheet rows copied out of the reader ---- */

typedef struct rowbatch {
	bd_buf text;                 /* cell strings, NUL-terminated */
	uint32_t *cell_off, *cell_len;
	size_t ncells, capcells;
	uint32_t *row_no, *row_first, *row_ncell;
	size_t nrows, caprows;
} rowbatch;

static bd_err grow_u32(uint32_t **p, size_t cap)
{
	uint32_t *n = realloc(*p, cap * sizeof(**p));
	if (!n)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	*p = n;
	return BD_OK;
}

static bd_err batch_add(rowbatch *b, const bd_row *row)
{
	bd_err e = BD_OK;
	if (b->nrows == b->caprows) {
		size_t cap = b->caprows ? b->caprows * 2 : 1024;
		if ((e = grow_u32(&b->row_no, cap)) || (e = grow_u32(&b->row_first, cap)) ||
		    (e = grow_u32(&b->row_ncell, cap)))
			return e;
		b->caprows = cap;
	}
	if (b->ncells + row->ncell > b->capcells) {
		size_t cap = b->capcells ? b->capcells : 8192;
		while (cap < b->ncells + row->ncell)
			cap *= 2;
		if ((e = grow_u32(&b->cell_off, cap)) || (e = grow_u32(&b->cell_len, cap)))
			return e;
		b->capcells = cap;
	}
	b->row_no[b->nrows] = row->rowno;
	b->row_first[b->nrows] = (uint32_t)b->ncells;
	b->row_ncell[b->nrows] = row->ncell;
	b->nrows++;
	for (uint32_t i = 0; i < row->ncell; i++) {
		b->cell_off[b->ncells] = (uint32_t)b->text.len;
		b->cell_len[b->ncells] = row->cells[i].n |
					 (row->cells[i].s == bd_cell_unreadable ? BD_CELL_UNREADABLE_BIT : 0);
		b->ncells++;
		if ((e = bd_buf_add(&b->text, row->cells[i].s, row->cells[i].n)) ||
		    (e = bd_buf_addch(&b->text, '\0')))
			return e;
	}
	return BD_OK;
}

static void batch_reset(rowbatch *b)
{
	bd_buf_reset(&b->text);
	b->ncells = b->nrows = 0;
}

static void batch_release(rowbatch *b)
{
	bd_buf_release(&b->text);
	free(b->cell_off); free(b->cell_len);
	free(b->row_no); free(b->row_first); free(b->row_ncell);
	memset(b, 0, sizeof(*b));
}

/* ---- jobs and the worker pool ---- */

enum { JOB_FREE, JOB_PENDING, JOB_RUNNING, JOB_DONE };

typedef struct job {
	int state;
	bool is_csv;
	bd_csvblock blk;
	rowbatch rb;
	bd_rowout out;
	bd_err err;
	char errmsg[1024];
} job;

typedef struct worker {
	struct pool *pool;
	pthread_t th;
	bool started;
	bd_csvparser parser;
	unsigned parser_gen;
	bd_cell cells[BD_CSV_MAX_CELLS];
} worker;

/* Where workers put entries: one sorter per shard, each behind its lock.
 * A sorter's output depends only on its entries, not on the order they
 * arrive in, so workers add in whatever order they finish. */
typedef struct shardsink {
	int n;
	bd_sorter **sorter;
	pthread_mutex_t *mu;
} shardsink;

typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_done;
	job *jobs;
	size_t njobs;
	uint64_t submitted, taken, collected;
	bool stop;
	/* per file, set while no job is in flight */
	const bd_rowctx *ctx;
	const char *path;
	bd_enc enc;
	char delim;
	unsigned gen;
	int nworkers;
	worker *workers;
	shardsink *sink;
} pool;

typedef struct csvctx {
	const bd_rowctx *ctx;
	bd_rowout *out;
} csvctx;

static bd_err csv_row(void *arg, const bd_row *row)
{
	csvctx *c = arg;
	return bd_row_process(c->ctx, row, c->out);
}

/* Adds a job's entries, already split by shard (bd_rowout_shard), to the
 * shards' sorters: one lock per shard and job. */
static bd_err route(shardsink *k, bd_rowout *out)
{
	bd_err err = BD_OK;
	for (int s = 0; s < k->n && !err; s++) {
		const bd_buf *b = k->n > 1 ? &out->part[s] : &out->entries;
		if (!b->len)
			continue;
		pthread_mutex_lock(&k->mu[s]);
		err = bd_sorter_add(k->sorter[s], (const uint8_t *)b->data, b->len);
		pthread_mutex_unlock(&k->mu[s]);
	}
	return err;
}

static void run_job(pool *p, worker *w, job *j)
{
	bd_rowout_reset(&j->out);
	bd_clear_error();
	if (j->is_csv) {
		if (w->parser_gen != p->gen) {
			bd_csvparser_release(&w->parser);
			bd_csvparser_init(&w->parser, p->enc, p->delim);
			w->parser_gen = p->gen;
		}
		csvctx c = { p->ctx, &j->out };
		j->err = bd_csv_parse_block(&w->parser, &j->blk, p->path, csv_row, &c);
	} else {
		j->err = BD_OK;
		for (size_t r = 0; r < j->rb.nrows && !j->err; r++) {
			uint32_t first = j->rb.row_first[r], n = j->rb.row_ncell[r];
			for (uint32_t i = 0; i < n && i < BD_CSV_MAX_CELLS; i++) {
				w->cells[i].s = j->rb.text.data + j->rb.cell_off[first + i];
				uint32_t len = j->rb.cell_len[first + i];
				w->cells[i].n = len & ~BD_CELL_UNREADABLE_BIT;
				if (len & BD_CELL_UNREADABLE_BIT)
					w->cells[i].s = bd_cell_unreadable;
			}
			bd_row row = { j->rb.row_no[r], n < BD_CSV_MAX_CELLS ? n : BD_CSV_MAX_CELLS,
				       w->cells };
			j->err = bd_row_process(p->ctx, &row, &j->out);
		}
	}
	if (!j->err)
		j->err = route(p->sink, &j->out);
	if (j->err)
		snprintf(j->errmsg, sizeof(j->errmsg), "%s", bd_last_error());
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && (p->taken == p->submitted))
			pthread_cond_wait(&p->cv_work, &p->mu);
		if (p->stop)
			break;
		job *j = &p->jobs[p->taken % p->njobs];
		p->taken++;
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&p->mu);
		run_job(p, w, j);
		pthread_mutex_lock(&p->mu);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&p->cv_done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static bd_err pool_start(pool *p, int nworkers, shardsink *sink)
{
	memset(p, 0, sizeof(*p));
	p->sink = sink;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_work, NULL);
	pthread_cond_init(&p->cv_done, NULL);
	p->nworkers = nworkers > 1 ? nworkers : 0;
	p->njobs = p->nworkers ? (size_t)p->nworkers * 3 : 1;
	p->jobs = calloc(p->njobs, sizeof(job));
	p->workers = calloc((size_t)(p->nworkers ? p->nworkers : 1), sizeof(worker));
	if (!p->jobs || !p->workers)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < p->njobs; i++) {
		bd_rowout_init(&p->jobs[i].out);
		bd_err e = bd_rowout_shard(&p->jobs[i].out, sink->n);
		if (e)
			return e;
	}
	for (int i = 0; i < (p->nworkers ? p->nworkers : 1); i++) {
		p->workers[i].pool = p;
		p->workers[i].parser_gen = (unsigned)-1;
	}
	for (int i = 0; i < p->nworkers; i++) {
		if (pthread_create(&p->workers[i].th, NULL, worker_main, &p->workers[i]) != 0)
			return bd_fail(BD_ERR_INTERNAL, "无法创建线程: %s", strerror(errno));
		p->workers[i].started = true;
	}
	return BD_OK;
}

static void pool_stop(pool *p)
{
	if (!p->jobs && !p->workers)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv_work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nworkers; i++)
		if (p->workers[i].started)
			pthread_join(p->workers[i].th, NULL);
	for (int i = 0; p->workers && i < (p->nworkers ? p->nworkers : 1); i++) {
		bd_csvparser_release(&p->workers[i].parser);
	}
	for (size_t i = 0; p->jobs && i < p->njobs; i++) {
		bd_rowout_release(&p->jobs[i].out);
		batch_release(&p->jobs[i].rb);
		free(p->jobs[i].blk.data);
	}
	free(p->jobs);
	free(p->workers);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv_work);
	pthread_cond_destroy(&p->cv_done);
}

/* ---- the state of one dataset's ingest ---- */

typedef struct fileinfo {
	char sha256[65];
	const char *format;
	const char *encoding;
	uint32_t header_row;
	bool has_major;      /* wj.illness: the file has 重特大疾病 */
	bd_account acc;
	bd_unres unres;
} fileinfo;

typedef struct ing {
	const bd_config *cfg;
	const bd_ingest_opts *opts;
	bd_hasher hasher;
	pool pool;
	shardsink sink;
	FILE *rejects;
	uint16_t section;      /* current file's index in the dataset */
	fileinfo *fi;          /* current file */
	uint64_t rows_done;
	int32_t as_of_lo, as_of_hi; /* the dataset reads the same for D in these */
	time_t last_progress;
	const char *label;
} ing;

static void progress(ing *g, bool final)
{
	if (!g->opts->progress)
		return;
	time_t now = time(NULL);
	if (!final && now == g->last_progress)
		return;
	g->last_progress = now;
	fprintf(stderr, "\r[导入] %s: %llu 行%s", g->label, (unsigned long long)g->rows_done,
		final ? "\n" : "");
}

/* Takes the results of the oldest job: entries, rejects, counts. */
static bd_err collect_one(ing *g)
{
	pool *p = &g->pool;
	job *j = &p->jobs[p->collected % p->njobs];
	pthread_mutex_lock(&p->mu);
	while (j->state != JOB_DONE)
		pthread_cond_wait(&p->cv_done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	p->collected++;
	j->state = JOB_FREE;
	free(j->blk.data);
	j->blk.data = NULL;
	if (j->err)
		return bd_fail(j->err, "%s", j->errmsg);
	/* rejects: prefix each record with the section index */
	const char *r = j->out.rejects.data, *end = r + j->out.rejects.len;
	while (r && r < end) {
		const char *q = r + 4;
		for (int s = 0; s < 4; s++)
			q += strlen(q) + 1;
		uint8_t sec[2] = { (uint8_t)g->section, (uint8_t)(g->section >> 8) };
		if (fwrite(sec, 1, 2, g->rejects) != 2 ||
		    fwrite(r, 1, (size_t)(q - r), g->rejects) != (size_t)(q - r))
			return bd_fail(BD_ERR_IO, "写临时文件失败: %s", strerror(errno));
		r = q;
	}
	bd_account_add(&g->fi->acc, &j->out.acc);
	if (j->out.as_of_lo > g->as_of_lo)
		g->as_of_lo = j->out.as_of_lo;
	if (j->out.as_of_hi && (!g->as_of_hi || j->out.as_of_hi < g->as_of_hi))
		g->as_of_hi = j->out.as_of_hi;
	bd_unres_merge(&g->fi->unres, &j->out.unres);
	g->rows_done += j->out.acc.read + j->out.acc.skipped[BD_SK_BLANK] +
			j->out.acc.skipped[BD_SK_FOOTER];
	progress(g, false);
	return BD_OK;
}

/* Returns a free job slot, collecting finished jobs as needed. */
static bd_err next_slot(ing *g, job **out)
{
	pool *p = &g->pool;
	job *j = &p->jobs[p->submitted % p->njobs];
	while (j->state != JOB_FREE) {
		bd_err e = collect_one(g);
		if (e)
			return e;
	}
	*out = j;
	return BD_OK;
}

static bd_err submit(ing *g, job *j)
{
	pool *p = &g->pool;
	if (p->nworkers == 0) {
		run_job(p, &p->workers[0], j);
		j->state = JOB_DONE;
		p->submitted++;
		p->taken++;
		return collect_one(g);
	}
	pthread_mutex_lock(&p->mu);
	j->state = JOB_PENDING;
	p->submitted++;
	pthread_cond_signal(&p->cv_work);
	pthread_mutex_unlock(&p->mu);
	return BD_OK;
}

static bd_err drain(ing *g)
{
	bd_err first = BD_OK;
	while (g->pool.collected < g->pool.submitted) {
		bd_err e = collect_one(g);
		if (e && !first)
			first = e;
	}
	return first;
}

/* ---- sources ---- */

static bd_err detect(const char *path, bd_format *fmt)
{
	bd_err e = bd_format_of_file(path, fmt);
	if (e)
		return bd_fail_ctx(e, "输入文件（请检查 RUN.ini 中的 file）");
	if (*fmt == BD_FMT_GZIP) {
		unsigned char head[1024];
		gzFile gz = gzopen(path, "rb");
		int got = gz ? gzread(gz, head, sizeof(head)) : -1;
		if (gz)
			gzclose(gz);
		if (got < 0)
			return bd_fail(BD_ERR_FORMAT, "%s: gzip 文件已损坏 (corrupt gzip)", path);
		bd_format inner = bd_format_detect(head, (size_t)got);
		if (inner != BD_FMT_TEXT && inner != BD_FMT_UNKNOWN)
			return bd_fail(BD_ERR_FORMAT, "%s: gzip 中只支持 CSV/TSV 文本 (only CSV inside gzip)",
				       path);
		*fmt = BD_FMT_TEXT;
	}
	if (*fmt == BD_FMT_UNKNOWN)
		*fmt = BD_FMT_TEXT;
	return BD_OK;
}

/* Appends "a | b | c" of a row's cells to out (for header error messages). */
static void describe_row(const bd_row *row, bd_buf *out)
{
	bd_buf_reset(out);
	for (uint32_t i = 0; i < row->ncell && out->len < 800; i++) {
		if (i)
			bd_buf_addstr(out, " | ");
		bd_buf_add(out, row->cells[i].s, row->cells[i].n);
	}
}

/* Finds the header row; leaves the source positioned after it. */
static bd_err find_header(ing *g, bd_ds ds, const bd_section *sec, bd_source *src,
			  bd_colmap *map)
{
	bd_buf best = BD_BUF_INIT(4096), missing_best = BD_BUF_INIT(4096), missing = BD_BUF_INIT(4096);
	int best_missing = 1 << 30;
	uint32_t best_row = 0;
	bd_err e = BD_OK;
	uint32_t delivered = 0;
	int limit = sec->header_row ? sec->header_row : HEADER_SEARCH_ROWS;
	for (;;) {
		bd_row row;
		bool eof;
		if ((e = bd_source_next(src, &row, &eof)))
			break;
		if (eof || (int)row.rowno > limit) {
			if (sec->header_row)
				e = bd_fail(BD_ERR_HEADER,
					    "%s: 第 %d 行（header_row）不是表头：缺少 %s。该行内容: %s",
					    sec->file, sec->header_row, missing.len ? missing.data : "?",
					    best.len ? best.data : "(空)");
			else
				e = bd_fail(BD_ERR_HEADER,
					    "%s: 前 %d 行中找不到表头，缺少必需的列: %s。最接近的是第 %u 行: %s。"
					    "请检查列名，或在 RUN.ini 的 [dataset %s] 中用 alias.字段 = 列名、"
					    "column.字段 = 列号 或 header_row = 行号 指定 (required column missing)",
					    sec->file, HEADER_SEARCH_ROWS,
					    missing_best.len ? missing_best.data : "?", best_row,
					    best.len ? best.data : "(空)", sec->name);
			break;
		}
		delivered++;
		if (sec->header_row && (int)row.rowno < sec->header_row)
			continue;
		if ((e = bd_colmap_build(ds, sec, &row, map)))
			break;
		bd_buf_reset(&missing);
		int nmiss = bd_colmap_missing(ds, sec, map, &missing);
		if (nmiss == 0) {
			g->fi->header_row = row.rowno;
			g->fi->acc.skipped[BD_SK_PREAMBLE] = delivered - 1;
			break;
		}
		if (nmiss < best_missing || sec->header_row) {
			best_missing = nmiss;
			best_row = row.rowno;
			describe_row(&row, &best);
			bd_buf_reset(&missing_best);
			bd_buf_add(&missing_best, missing.data, missing.len);
		}
	}
	bd_buf_release(&best);
	bd_buf_release(&missing_best);
	bd_buf_release(&missing);
	return e;
}

static bd_err unresolved_error(bd_ds ds, const bd_section *sec, const bd_unres *u)
{
	bd_buf list = BD_BUF_INIT(8192);
	for (int i = 0; i < u->n; i++)
		bd_buf_addf(&list, "%s「%s」%llu 行", i ? "、" : "", u->value[i],
			    (unsigned long long)u->count[i]);
	if (u->more)
		bd_buf_addf(&list, "，另有 %llu 行其他取值", (unsigned long long)u->more);
	bd_err e;
	if (ds == BD_DS_ROLL)
		e = bd_fail(BD_ERR_VALUE,
			    "%s: 以下保障类别无法识别: %s。请在 RUN.ini 的 [dataset %s] 中加一行 "
			    "programme.取值 = 代码（DIBAO TEKUN BIANYUAN GUER SHISHI CJ_HULI CJ_SHENGHUO "
			    "GAOLING）(unresolved programme values)",
			    sec->file, list.data, sec->name);
	else
		e = bd_fail(BD_ERR_VALUE,
			    "%s: 以下机动车状态无法识别: %s。请核对状态代码（GA 24.17）或联系公安部门 "
			    "(unknown vehicle status)", sec->file, list.data);
	bd_buf_release(&list);
	return e;
}

static bd_err stream_rows(ing *g, bd_source *src)
{
	bd_err e = BD_OK;
	if (src->csv) {
		for (;;) {
			job *j;
			if ((e = next_slot(g, &j)))
				return e;
			bool eof;
			j->is_csv = true;
			if ((e = bd_csv_next_block(src->csv, CSV_BLOCK, &j->blk, &eof)))
				return e;
			if (eof)
				return BD_OK;
			if ((e = submit(g, j)))
				return e;
		}
	}
	job *j = NULL;
	for (;;) {
		if (!j) {
			if ((e = next_slot(g, &j)))
				return e;
			j->is_csv = false;
			batch_reset(&j->rb);
		}
		bd_row row;
		bool eof;
		if ((e = bd_source_next(src, &row, &eof)))
			return e;
		if (!eof && (e = batch_add(&j->rb, &row)))
			return e;
		if (eof || j->rb.nrows >= BATCH_ROWS || j->rb.text.len >= BATCH_BYTES) {
			if (j->rb.nrows && (e = submit(g, j)))
				return e;
			j = NULL;
			if (eof)
				return BD_OK;
		}
	}
}

static bd_err ingest_file(ing *g, bd_ds ds, const bd_section *sec)
{
	fileinfo *fi = g->fi;
	bd_format fmt;
	bd_err e;
	if ((e = detect(sec->file, &fmt)))
		return e;
	fi->format = bd_format_name(fmt);
	bd_source src;
	e = bd_source_open_as(&src, sec->file, fmt, sec->sheet, sec->encoding);
	fi->encoding = src.csv ? bd_csv_source_encoding(src.csv) : "";
	if (e)
		return e;
	bd_colmap map;
	bd_rowctx ctx;
	e = find_header(g, ds, sec, &src, &map);
	if (!e)
		e = bd_rowctx_init(&ctx, ds, sec, g->section, &map, &g->hasher, g->cfg->as_of);
	if (!e) {
		ctx.full_id = g->cfg->show_full_id;
		pool *p = &g->pool;
		fi->has_major = ctx.has_major;
		p->ctx = &ctx;
		p->path = sec->file;
		p->enc = src.csv ? bd_csv_encoding(src.csv) : BD_ENC_UTF8;
		p->delim = src.csv ? bd_csv_delimiter(src.csv) : ',';
		p->gen++;
		g->label = sec->name;
		g->rows_done = 0;
		e = stream_rows(g, &src);
		bd_err d = drain(g);
		if (!e)
			e = d;
		progress(g, true);
		/* cells a damaged .xls could not give: said, with where */
		const char *w = !e && src.sheet ? bd_sheet_warning(src.sheet) : NULL;
		if (w)
			fprintf(stderr, "注意：[dataset %s] %s\n", sec->name, w);
	}
	bd_source_close(&src);
	if (!e && fi->unres.n)
		e = unresolved_error(ds, sec, &fi->unres);
	if (!e && !bd_account_balanced(&fi->acc))
		e = bd_fail(BD_ERR_INTERNAL, "%s: 行数不平衡 (accounting does not balance)", sec->file);
	return e;
}

static uint64_t sink_count(const shardsink *k);

/* One input file of a snapshot. NULL when out of memory. */
static json_t *snapshot_file(bd_ds ds, const bd_section *sec, const fileinfo *fi)
{
	json_t *o = json_object();
	bool ok = o && bd_json_put(o, "section", bd_json_text(sec->name)) &&
		  bd_json_put(o, "path", bd_json_text(sec->file)) &&
		  bd_json_put(o, "sha256", bd_json_text(fi->sha256)) &&
		  bd_json_put(o, "format", bd_json_text(fi->format)) &&
		  bd_json_put(o, "encoding", bd_json_text(fi->encoding)) &&
		  bd_json_put(o, "header_row", json_integer(fi->header_row)) &&
		  bd_json_put(o, "rows", bd_account_json(&fi->acc)) &&
		  (ds != BD_DS_ILLNESS || bd_json_put(o, "has_major", json_boolean(fi->has_major)));
	if (ok)
		return o;
	json_decref(o);
	return NULL;
}

/* The ingest record of a dataset stored in the index (snapshot:<ds>),
 * compact JSON, into js. */
static bd_err snapshot_json(ing *g, bd_ds ds, const bd_section **secs, fileinfo *fis,
			    size_t nsec, const char *recipe, bd_buf *js)
{
	char when[40];
	bd_now_iso(when, sizeof(when));
	bd_account total = { 0 };
	json_t *o = json_object(), *files = json_array();
	bool ok = o && files && bd_json_put(o, "dataset", bd_json_text(bd_schemas[ds].name)) &&
		  bd_json_put(o, "period", bd_json_text(g->cfg->period)) &&
		  bd_json_put(o, "as_of", json_integer(g->cfg->as_of)) &&
		  bd_json_put(o, "ingested_at", bd_json_text(when)) &&
		  bd_json_put(o, "tool_version", bd_json_text(BD_VERSION)) &&
		  bd_json_put(o, "records", json_integer((json_int_t)sink_count(&g->sink)));
	for (size_t i = 0; ok && i < nsec; i++) {
		bd_account_add(&total, &fis[i].acc);
		ok = json_array_append_new(files, snapshot_file(ds, secs[i], &fis[i])) == 0;
	}
	ok = bd_json_put(o, "files", files) && ok; /* takes files, made or not */
	ok = ok && bd_json_put(o, "recipe", bd_json_text(recipe)) &&
	     bd_json_put(o, "as_of_from", json_integer(g->as_of_lo)) &&
	     bd_json_put(o, "as_of_to", json_integer(g->as_of_hi)) &&
	     bd_json_put(o, "rows", bd_account_json(&total));
	char *text = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	bd_err e = text ? bd_buf_addstr(js, text) : bd_fail(BD_ERR_NOMEM, "out of memory");
	free(text);
	return e;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Anonymous resident memory in MiB (excludes the LMDB file map). */
static long rss_anon_mb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "RssAnon:", 8))
			kb = strtol(line + 8, NULL, 10);
	if (f)
		fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

/* ---- the shard sorters of one dataset ---- */

/* The sort memory when BD_SORT_MB does not say: a quarter of the
 * machine's memory, at least 256 MiB and at most 8 GiB (a 2-million-person
 * registry sorts without spilling on a 16 GiB machine). */
static size_t default_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	size_t ram = pages > 0 && psz > 0 ? (size_t)pages * (size_t)psz : ((size_t)2 << 30);
	size_t b = ram / 4;
	if (b < ((size_t)256 << 20))
		b = (size_t)256 << 20;
	if (b > ((size_t)8 << 30))
		b = (size_t)8 << 30;
	return b;
}

static uint64_t sink_count(const shardsink *k)
{
	uint64_t n = 0;
	for (int s = 0; s < k->n; s++)
		n += bd_sorter_count(k->sorter[s]);
	return n;
}

static unsigned sink_spills(const shardsink *k)
{
	unsigned n = 0;
	for (int s = 0; s < k->n; s++)
		n += k->sorter[s] ? bd_sorter_spills(k->sorter[s]) : 0;
	return n;
}

/* Fresh sorters for the next dataset: the sort budget shared by shards. */
static bd_err sink_reset(shardsink *k, size_t budget, int threads)
{
	int per = threads / k->n > 1 ? threads / k->n : 1;
	for (int s = 0; s < k->n; s++) {
		bd_sorter_free(k->sorter[s]);
		k->sorter[s] = NULL;
		bd_err e = bd_sorter_new(budget / (size_t)k->n, per, NULL, &k->sorter[s]);
		if (e)
			return e;
	}
	return BD_OK;
}

static void sink_release(shardsink *k)
{
	for (int s = 0; s < k->n; s++) {
		bd_sorter_free(k->sorter ? k->sorter[s] : NULL);
		if (k->mu)
			pthread_mutex_destroy(&k->mu[s]);
	}
	free(k->sorter);
	free(k->mu);
	memset(k, 0, sizeof(*k));
}

static bd_err sink_init(shardsink *k, int shards)
{
	k->sorter = calloc((size_t)shards, sizeof(*k->sorter));
	k->mu = calloc((size_t)shards, sizeof(*k->mu));
	if (!k->sorter || !k->mu) {
		free(k->sorter);
		free(k->mu);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	k->n = shards;
	for (int s = 0; s < shards; s++)
		pthread_mutex_init(&k->mu[s], NULL);
	return BD_OK;
}

/* ---- incremental ingest ---- */

static void recipe_kv(EVP_MD_CTX *md, const char *k, const char *v)
{
	EVP_DigestUpdate(md, k, strlen(k) + 1);
	EVP_DigestUpdate(md, v ? v : "", strlen(v ? v : "") + 1);
}

/*
 * What an ingest of ds reads and how: the SHA-256 of every file and every
 * setting that changes a row's outcome (section, encoding, sheet, header
 * row, aliases, columns, programme maps, show_full_id, the program).
 * Equal recipes, with a D inside the snapshot's as_of_from..as_of_to, give equal
 * databases, so the dataset is not read again.
 */
static bd_err recipe_of(const bd_config *cfg, const bd_section **secs, size_t nsec,
			char (*sha)[65], char out[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return bd_fail(BD_ERR_NOMEM, "out of memory (sha256)");
	}
	/* D is not in the recipe: the snapshot says for which D the rows
	 * read the same (as_of_from, as_of_to) */
	char num[64];
	snprintf(num, sizeof(num), "%d", cfg->show_full_id);
	recipe_kv(md, "bidui " BD_VERSION " schema " BD_SCHEMA_VERSION, num);
	for (size_t i = 0; i < nsec; i++) {
		const bd_section *c = secs[i];
		recipe_kv(md, "section", c->name);
		recipe_kv(md, "sha256", sha[i]);
		recipe_kv(md, "encoding", c->encoding);
		recipe_kv(md, "sheet", c->sheet);
		snprintf(num, sizeof(num), "%d", c->header_row);
		recipe_kv(md, "header_row", num);
		recipe_kv(md, "programme", c->programme);
		recipe_kv(md, "custody_type", c->custody_type);
		for (size_t k = 0; k < c->nalias; k++)
			recipe_kv(md, c->alias[k].key, c->alias[k].value);
		for (size_t k = 0; k < c->ncolumn; k++)
			recipe_kv(md, c->column[k].key, c->column[k].value);
		for (size_t k = 0; k < c->nprogmap; k++)
			recipe_kv(md, c->progmap[k].key, c->progmap[k].value);
	}
	uint8_t d[32];
	unsigned dl = 0;
	int ok = EVP_DigestFinal_ex(md, d, &dl);
	EVP_MD_CTX_free(md);
	if (!ok)
		return bd_fail(BD_ERR_INTERNAL, "sha256 failed");
	bd_hex(d, 32, out);
	return BD_OK;
}

/* true when the snapshot of ds in the index was made from recipe and
 * reads the same at D (as_of_from <= D <= as_of_to, 0 = no bound). */
static bool unchanged(bd_index *ix, bd_ds ds, const char *recipe, int32_t as_of)
{
	char *js = NULL;
	if (bd_index_snapshot(ix, ds, &js) || !js)
		return false;
	json_t *snap = json_loads(js, 0, NULL);
	free(js);
	const char *was = json_string_value(json_object_get(snap, "recipe"));
	json_t *lo = json_object_get(snap, "as_of_from"), *hi = json_object_get(snap, "as_of_to");
	bool same = was && !strcmp(was, recipe) && json_is_integer(lo) && json_is_integer(hi) &&
		    as_of >= json_integer_value(lo) &&
		    (!json_integer_value(hi) || as_of <= json_integer_value(hi));
	json_decref(snap);
	return same;
}

/* A dataset read and loaded, waiting for the commit. */
typedef struct staged_ds {
	bd_ds ds;
	FILE *rejects;
	const char *names[BD_CFG_MAX_SECTIONS], *files[BD_CFG_MAX_SECTIONS];
	char *snapshot;
} staged_ds;

static bd_err ingest_dataset(ing *g, bd_index *ix, bd_ds ds, staged_ds *st, bool *done)
{
	double t0 = now_s(), t1 = 0, t2 = 0;
	const bd_config *cfg = g->cfg;
	const bd_section *secs[BD_CFG_MAX_SECTIONS];
	size_t nsec = 0;
	*done = false;
	for (size_t i = 0; i < cfg->nsections; i++)
		if (!strcmp(cfg->sections[i].dataset, bd_schemas[ds].name))
			secs[nsec++] = &cfg->sections[i];
	if (!nsec)
		return BD_OK;
	fileinfo *fis = calloc(nsec, sizeof(*fis));
	char (*sha)[65] = calloc(nsec, sizeof(*sha));
	if (!fis || !sha) {
		free(fis);
		free(sha);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	bd_err e = BD_OK;
	for (size_t i = 0; !e && i < nsec; i++)
		if ((e = bd_file_sha256(secs[i]->file, sha[i])))
			e = bd_fail_ctx(e, "[dataset %s]", secs[i]->name);
	char recipe[65];
	if (!e)
		e = recipe_of(cfg, secs, nsec, sha, recipe);
	if (!e && unchanged(ix, ds, recipe, cfg->as_of)) {
		fprintf(stderr, "[导入] %s 未变化（文件 SHA-256 与设置均与上次导入相同），沿用上次的导入结果\n",
			bd_schemas[ds].name);
		free(fis);
		free(sha);
		return BD_OK;
	}
	size_t budget = g->opts->sort_budget ? g->opts->sort_budget : default_budget();
	if (!e)
		e = sink_reset(&g->sink, budget, cfg->threads);
	g->as_of_lo = g->as_of_hi = 0;
	g->rejects = e ? NULL : tmpfile();
	if (!e && !g->rejects)
		e = bd_fail(BD_ERR_IO, "无法创建临时文件: %s", strerror(errno));
	for (size_t i = 0; !e && i < nsec; i++) {
		g->section = (uint16_t)i;
		g->fi = &fis[i];
		memcpy(fis[i].sha256, sha[i], sizeof(sha[i]));
		st->names[i] = secs[i]->name;
		st->files[i] = secs[i]->file;
		e = ingest_file(g, ds, secs[i]);
	}
	t1 = now_s();
	long anon = rss_anon_mb();
	if (!e)
		e = bd_index_load(ix, ds, g->sink.sorter, cfg->threads);
	t2 = now_s();
	bd_buf js = BD_BUF_INIT(0);
	if (!e)
		e = snapshot_json(g, ds, secs, fis, nsec, recipe, &js);
	if (!e && fflush(g->rejects) != 0)
		e = bd_fail(BD_ERR_IO, "写临时文件失败: %s", strerror(errno));
	if (getenv("BD_TIMING"))
		fprintf(stderr, "[timing] %s: read+hash %.2fs, sort+load %.2fs (%d shards), "
			"anonymous RSS after reading %ld MiB, spills %u\n", bd_schemas[ds].name, t1 - t0,
			t2 - t1, g->sink.n, anon, sink_spills(&g->sink));
	if (!e && g->opts->progress) {
		bd_account total = { 0 };
		for (size_t i = 0; i < nsec; i++)
			bd_account_add(&total, &fis[i].acc);
		fprintf(stderr, "[导入] %s 完成: 读入 %llu 行，接收 %llu，拒收 %llu\n",
			bd_schemas[ds].name, (unsigned long long)total.read,
			(unsigned long long)total.accepted,
			(unsigned long long)bd_account_rejected(&total));
	}
	if (!e) {
		st->ds = ds;
		st->rejects = g->rejects;
		st->snapshot = bd_buf_detach(&js, NULL);
		*done = true;
	} else if (g->rejects) {
		fclose(g->rejects);
	}
	g->rejects = NULL;
	bd_buf_release(&js);
	/* the sorters' memory goes back before the next dataset */
	for (int s = 0; s < g->sink.n; s++) {
		bd_sorter_free(g->sink.sorter[s]);
		g->sink.sorter[s] = NULL;
	}
	free(fis);
	free(sha);
	return e;
}

/*
 * rejected.csv as the commit will leave the index, into out/ under a
 * temporary name before the commit: a full disk under out/ fails the
 * ingest while the index is unchanged. *tmp is renamed by the caller.
 */
static bd_err write_rejected(const bd_config *cfg, bd_index *ix, const bd_staged *staged,
			     size_t n, char tmp[4200])
{
	bd_err me = bd_mkdirs(cfg->out, 0755);
	if (me)
		return me;
	if (snprintf(tmp, 4200, "%s/.rejected.csv.tmp", cfg->out) >= 4200)
		return bd_fail(BD_ERR_IO, "路径过长: %s", cfg->out);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	bd_err e = bd_index_write_rejected(ix, f, staged, n);
	if (!e && fflush(f) == 0 && fsync(fileno(f)) != 0 && errno != EINVAL)
		e = bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	if (fclose(f) != 0 && !e)
		e = bd_fail(BD_ERR_IO, "写入 %s 失败（磁盘空间不足？）: %s。索引未改变", tmp, strerror(errno));
	if (e)
		unlink(tmp);
	return e;
}

bd_err bd_ingest(const bd_config *cfg, const bd_ingest_opts *opts)
{
	for (size_t i = 0; i < opts->nonly; i++)
		if (bd_dataset_find(opts->only[i]) < 0)
			return bd_fail(BD_ERR_USAGE, "未知的数据集 %s", opts->only[i]);
	for (size_t i = 0; i < cfg->nsections; i++) {
		struct stat st;
		if (stat(cfg->sections[i].file, &st) != 0)
			return bd_fail(BD_ERR_IO, "[dataset %s] 输入文件 %s 不存在: %s",
				       cfg->sections[i].name, cfg->sections[i].file, strerror(errno));
	}
	bd_key key;
	bd_err e = bd_key_load(cfg->key, &key);
	if (e)
		return e;
	ing *g = calloc(1, sizeof(*g));
	staged_ds *st = calloc(BD_DS_MAX, sizeof(*st));
	bd_staged items[BD_DS_MAX];
	size_t nst = 0;
	if (!g || !st) {
		free(g);
		free(st);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	g->cfg = cfg;
	g->opts = opts;
	bd_hmac_init(&g->hasher, &key);
	bd_index *ix = NULL;
	e = bd_index_open(cfg->index, &key, BD_IX_INGEST, cfg->shards, &ix);
	memset(&key, 0, sizeof(key));
	if (!e)
		e = sink_init(&g->sink, bd_index_shards(ix));
	if (!e)
		e = pool_start(&g->pool, cfg->threads, &g->sink);
	/* every dataset is loaded into the next generation of every shard;
	 * one commit then makes all of them current at once */
	for (int ds = 0; !e && ds < BD_DS_MAX; ds++) {
		bool want = opts->nonly == 0;
		for (size_t i = 0; i < opts->nonly; i++)
			want = want || !strcmp(opts->only[i], bd_schemas[ds].name);
		bool done = false;
		if (want)
			e = ingest_dataset(g, ix, (bd_ds)ds, &st[nst], &done);
		nst += done;
	}
	pool_stop(&g->pool);
	for (size_t i = 0; i < nst; i++)
		items[i] = (bd_staged){ st[i].ds, st[i].rejects, st[i].names, st[i].files, st[i].snapshot };
	double t0 = now_s();
	char tmp[4200] = "", final[4200];
	snprintf(final, sizeof(final), "%s/rejected.csv", cfg->out);
	if (!e)
		e = write_rejected(cfg, ix, items, nst, tmp);
	if (!e)
		e = bd_index_commit(ix, items, nst, cfg->show_full_id);
	if (!e && rename(tmp, final) != 0)
		e = bd_fail(BD_ERR_IO, "无法写入 %s: %s（索引已更新：再运行一次 ingest 即可重写）", final,
			    strerror(errno));
	if (e && tmp[0])
		unlink(tmp);
	if (getenv("BD_TIMING"))
		fprintf(stderr, "[timing] rejected.csv + commit %.2fs\n", now_s() - t0);
	/* an index that held full IDs, re-read without them: no full ID may
	 * stay on disk, in the history or in pages of old generations */
	if (!e && !cfg->show_full_id && bd_index_full_ids(ix)) {
		if (!bd_index_all_loaded_now(ix)) {
			fprintf(stderr, "注意：索引 %s 中仍有以 show_full_id = yes 导入、本次未重新导入的数据集，"
				"其中的完整身份证号仍在：请在 RUN.ini 中列出全部数据集后重新导入\n", cfg->index);
		} else {
			if (g->opts->progress)
				fprintf(stderr, "[导入] 清除索引中的完整身份证号（整理索引文件）\n");
			e = bd_history_remask(ix);
			if (!e)
				e = bd_index_compact(ix);
		}
	}
	for (size_t i = 0; i < nst; i++) {
		fclose(st[i].rejects);
		free(st[i].snapshot);
	}
	free(st);
	sink_release(&g->sink);
	bd_index_close(ix);
	memset(&g->hasher, 0, sizeof(g->hasher));
	free(g);
	return e;
}
