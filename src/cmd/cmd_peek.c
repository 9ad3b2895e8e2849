/*
 * cmd_peek.c - bidui peek: how bidui reads one input file. Shows the
 * detected format and encoding, the worksheets, the header row found for
 * a dataset (and why), which column maps to which field and which
 * required field is missing, and the first rows exactly as the readers
 * deliver them (tab-separated, one line a row). For county staff writing
 * RUN.ini, and for tests. ID numbers are masked unless --show-id.
 */
#include "bd/cmd.h"
#include "bd/config.h"
#include "bd/csv.h"
#include "bd/idnum.h"
#include "bd/schema.h"
#include "bd/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* As ingest: the header is searched in the first 20 rows. */
#define PEEK_HEADER_ROWS 20

typedef struct peek_opts {
	const char *file, *dataset, *config, *sheet, *encoding;
	unsigned long rows;
	bool all, show_id;
} peek_opts;


/* A copy of the first rows, for the header search over every dataset. */
typedef struct head_rows {
	bd_buf text;                 /* cell texts, NUL-ended */
	uint32_t n;
	uint32_t rowno[PEEK_HEADER_ROWS];
	uint32_t ncell[PEEK_HEADER_ROWS];
	size_t first[PEEK_HEADER_ROWS];  /* index of the row's first cell */
	size_t *off;                 /* offset of each cell in text */
	uint32_t *len;
	size_t ncells, cap;
} head_rows;

static bd_err head_add(head_rows *h, const bd_row *r)
{
	if (h->ncells + r->ncell > h->cap) {
		size_t cap = (h->ncells + r->ncell) * 2 + 64;
		size_t *off = realloc(h->off, cap * sizeof(*off));
		if (off)
			h->off = off;
		uint32_t *len = off ? realloc(h->len, cap * sizeof(*len)) : NULL;
		if (!len)
			return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
		h->len = len;
		h->cap = cap;
	}
	h->rowno[h->n] = r->rowno;
	h->ncell[h->n] = r->ncell;
	h->first[h->n] = h->ncells;
	for (uint32_t i = 0; i < r->ncell; i++) {
		h->off[h->ncells] = h->text.len;
		h->len[h->ncells] = r->cells[i].n;
		bd_err e = bd_buf_add(&h->text, r->cells[i].s, r->cells[i].n);
		if (!e)
			e = bd_buf_addch(&h->text, '\0');
		if (e)
			return e;
		h->ncells++;
	}
	h->n++;
	return BD_OK;
}

/* Row k of h as a bd_row; cells in the caller's array (>= ncell). */
static void head_row(const head_rows *h, uint32_t k, bd_cell *cells, bd_row *r)
{
	for (uint32_t i = 0; i < h->ncell[k]; i++) {
		size_t j = h->first[k] + i;
		cells[i].s = h->text.data + h->off[j];
		cells[i].n = h->len[j];
	}
	r->rowno = h->rowno[k];
	r->ncell = h->ncell[k];
	r->cells = cells;
}

static void head_free(head_rows *h)
{
	bd_buf_release(&h->text);
	free(h->off);
	free(h->len);
}

/* Prints s[0..n) on one line: tab, newline, CR and backslash escaped. */
static void put_cell(const char *s, size_t n, bool show_id)
{
	char masked[64];
	if (!show_id && n < sizeof(masked)) {
		memcpy(masked, s, n);
		masked[n] = '\0';
		bd_id_remask(masked, sizeof(masked));
		s = masked;
		n = strlen(masked);
	}
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(s[i]); break;
		}
	}
}

static void put_row(const bd_row *r, bool show_id)
{
	printf("%u", r->rowno);
	for (uint32_t i = 0; i < r->ncell; i++) {
		putchar('\t');
		put_cell(r->cells[i].s, r->cells[i].n, show_id);
	}
	putchar('\n');
}

/* The header row of ds among h: 0 and *missing filled when none. */
static bd_err find_header(const head_rows *h, bd_ds ds, const bd_section *sec,
			  bd_colmap *map, uint32_t *at, bd_buf *missing)
{
	bd_cell *cells = NULL;
	bd_err e = BD_OK;
	int best = 1 << 30;
	*at = 0;
	for (uint32_t k = 0; k < h->n && !e; k++) {
		if (sec->header_row && h->rowno[k] != (uint32_t)sec->header_row)
			continue;
		bd_cell *c = realloc(cells, (h->ncell[k] + 1) * sizeof(*c));
		if (!c) {
			e = bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
			break;
		}
		cells = c;
		bd_row r;
		head_row(h, k, cells, &r);
		bd_colmap m;
		if ((e = bd_colmap_build(ds, sec, &r, &m)))
			break;
		bd_buf miss = BD_BUF_INIT(4096);
		int nm = bd_colmap_missing(ds, sec, &m, &miss);
		if (nm < best) {
			best = nm;
			*map = m;
			bd_buf_reset(missing);
			if (miss.len)
				e = bd_buf_addf(missing, "第 %u 行缺少 %s", r.rowno, miss.data);
		}
		bd_buf_release(&miss);
		if (nm == 0) {
			*at = r.rowno;
			break;
		}
	}
	free(cells);
	return e;
}

/* The header text of column col in row rowno of h ("" if none). */
static const char *head_cell(const head_rows *h, uint32_t rowno, int col)
{
	for (uint32_t k = 0; k < h->n; k++)
		if (h->rowno[k] == rowno)
			return col >= 0 && (uint32_t)col < h->ncell[k]
				       ? h->text.data + h->off[h->first[k] + (uint32_t)col] : "";
	return "";
}

static void print_mapping(const head_rows *h, bd_ds ds, const bd_section *sec)
{
	bd_colmap map;
	uint32_t at = 0;
	bd_buf missing = BD_BUF_INIT(8192);
	bd_err e = find_header(h, ds, sec, &map, &at, &missing);
	if (e) {
		printf("表头: 无法判断: %s\n", bd_last_error());
	} else if (!at) {
		printf("表头: 前 %d 行中找不到 %s 的表头 (no header row): %s\n"
		       "      可在 RUN.ini 的 [dataset %s] 中用 alias.字段 = 列名、"
		       "column.字段 = 列号 或 header_row = 行号 指定\n",
		       PEEK_HEADER_ROWS, bd_schemas[ds].name,
		       missing.len ? missing.data : "没有数据行", sec->name);
	} else {
		printf("表头: 第 %u 行 (%s)\n", at,
		       sec->header_row ? "RUN.ini 的 header_row 指定"
				       : "前 20 行中第一个含有全部必需列的行");
		printf("列映射 (%s):\n", bd_schemas[ds].name);
		const bd_schema *s = &bd_schemas[ds];
		for (int f = 0; f < s->nfields; f++) {
			const char *al = s->fields[f].aliases;
			const char *bar = strchr(al, '|');
			int alen = bar ? (int)(bar - al) : (int)strlen(al);
			if (map.col[f] >= 0)
				printf("  %-14s %-10.*s <- 第 %d 列 \"%s\"\n", s->fields[f].name,
				       alen, al, map.col[f] + 1, head_cell(h, at, map.col[f]));
			else
				printf("  %-14s %-10.*s    (无此列)\n", s->fields[f].name, alen, al);
		}
		printf("必需的列: 齐全\n");
	}
	if (!e && !at && missing.len == 0)
		printf("必需的列: 无法检查 (文件为空)\n");
	bd_buf_release(&missing);
}

/* Without --dataset: every dataset whose header is found. */
static void print_candidates(const head_rows *h, const char *path)
{
	bool any = false;
	for (size_t d = 0; d < bd_dataset_count && d < BD_DS_MAX; d++) {
		bd_section sec;
		memset(&sec, 0, sizeof(sec));
		sec.name = sec.dataset = (char *)(uintptr_t)bd_dataset_names[d];
		sec.file = (char *)(uintptr_t)path;
		bd_colmap map;
		uint32_t at = 0;
		bd_buf missing = BD_BUF_INIT(4096);
		if (!find_header(h, (bd_ds)d, &sec, &map, &at, &missing) && at) {
			printf("%s%s (表头第 %u 行)", any ? ", " : "可作为数据集: ",
			       bd_dataset_names[d], at);
			any = true;
		}
		bd_buf_release(&missing);
	}
	if (any)
		printf("\n");
	else
		printf("可作为数据集: 按默认列名都找不到表头; 用 --dataset NAME 查看缺少哪些列\n");
}

static void describe_source(const bd_source *s, const char *path)
{
	printf("文件: %s\n", path);
	switch (s->fmt) {
	case BD_FMT_TEXT: {
		char d = bd_csv_delimiter(s->csv);
		printf("格式: %s (%s), 编码: %s, 行尾: %s\n",
		       d == '\t' ? "TSV" : "CSV", d == '\t' ? "制表符分隔" : "逗号分隔",
		       bd_csv_source_encoding(s->csv),
		       bd_csv_cr_only(s->csv) ? "CR (旧 Mac)" : "LF 或 CRLF");
		break;
	}
	case BD_FMT_XLSX:
		printf("格式: xlsx (Excel 2007 及以后)\n");
		break;
	case BD_FMT_XLS:
		printf("格式: xls (Excel 97-2003 / 5.0-95)\n");
		break;
	case BD_FMT_HTML:
		printf("格式: html (网页表格另存为 .xls)\n");
		break;
	default:
		printf("格式: %s\n", bd_format_name(s->fmt));
		break;
	}
	uint32_t n = s->sheet ? bd_sheet_count(s->sheet) : 0;
	if (n) {
		printf("工作表 (%u):", n);
		const char *cur = bd_sheet_name(s->sheet);
		for (uint32_t i = 0; i < n; i++) {
			const char *nm = bd_sheet_name_at(s->sheet, i);
			printf(" %u \"%s\"%s", i + 1, nm ? nm : "",
			       nm && !strcmp(nm, cur) ? " (读取)" : "");
		}
		printf("\n");
	}
}

static void print_warning(bd_source *s)
{
	const char *w = s->sheet ? bd_sheet_warning(s->sheet) : NULL;
	if (w) {
		printf("警告: %s\n", w);
		fprintf(stderr, "bidui: 警告: %s\n", w);
	}
}

/* Prints every row of the open source; returns the first error. */
static bd_err print_rows(bd_source *s, unsigned long max, bool show_id)
{
	bd_row r;
	bool eof = false;
	bd_err e = BD_OK;
	for (unsigned long k = 0; (max == 0 || k < max); k++) {
		if ((e = bd_source_next(s, &r, &eof)) || eof)
			break;
		put_row(&r, show_id);
	}
	return e;
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "bidui peek: %s%s\n", msg, arg ? arg : "");
	bd_cmd_usage("peek", stderr);
	return 2;
}

static int parse_opts(int argc, char **argv, peek_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rows = 10;
	o->encoding = "auto";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(a, "--dataset") && more) {
			o->dataset = argv[++i];
		} else if (!strcmp(a, "--config") && more) {
			o->config = argv[++i];
		} else if (!strcmp(a, "--sheet") && more) {
			o->sheet = argv[++i];
		} else if (!strcmp(a, "--encoding") && more) {
			o->encoding = argv[++i];
		} else if (!strcmp(a, "--rows") && more) {
			char *end;
			o->rows = strtoul(argv[++i], &end, 10);
			if (*end || argv[i][0] == '-' || !argv[i][0])
				return usage_error("--rows 需要一个非负整数: ", argv[i]);
		} else if (!strcmp(a, "--all")) {
			o->all = true;
		} else if (!strcmp(a, "--show-id")) {
			o->show_id = true;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("无法识别的参数 ", a);
		} else if (!o->file) {
			o->file = a;
		} else {
			return usage_error("只能查看一个文件: ", a);
		}
	}
	if (!o->file)
		return usage_error("缺少文件名", NULL);
	if (o->config && !o->dataset)
		return usage_error("--config 需要与 --dataset 一起使用", NULL);
	return 0;
}

/* The section --dataset names: from --config, or a default one. */
static int pick_section(const peek_opts *o, bd_config **cfg, bd_section *def,
			const bd_section **sec, bd_ds *ds)
{
	*sec = NULL;
	if (o->config) {
		bd_err e = bd_config_load(o->config, cfg);
		if (e)
			return bd_cmd_error(e);
		for (size_t i = 0; i < (*cfg)->nsections && !*sec; i++)
			if (!strcmp((*cfg)->sections[i].name, o->dataset))
				*sec = &(*cfg)->sections[i];
		for (size_t i = 0; i < (*cfg)->nsections && !*sec; i++)
			if (!strcmp((*cfg)->sections[i].dataset, o->dataset))
				*sec = &(*cfg)->sections[i];
		if (!*sec) {
			fprintf(stderr, "bidui peek: %s 中没有 [dataset %s] 节\n", o->config,
				o->dataset);
			return 2;
		}
	}
	const char *name = *sec ? (*sec)->dataset : o->dataset;
	int d = bd_dataset_find(name);
	if (d < 0 || d >= BD_DS_MAX) {
		fprintf(stderr, "bidui peek: 未知数据集 %s (可用:", name);
		for (size_t i = 0; i < bd_dataset_count; i++)
			fprintf(stderr, " %s", bd_dataset_names[i]);
		fprintf(stderr, ")\n");
		return 2;
	}
	*ds = (bd_ds)d;
	if (!*sec) {
		memset(def, 0, sizeof(*def));
		def->name = def->dataset = (char *)(uintptr_t)o->dataset;
		def->file = (char *)(uintptr_t)o->file;
		def->encoding = (char *)(uintptr_t)o->encoding;
		def->sheet = (char *)(uintptr_t)o->sheet;
		*sec = def;
	}
	return 0;
}

/* --all: every row of every sheet (one table for CSV and HTML). */
static int peek_all(const peek_opts *o, const char *sheet0, const char *enc)
{
	bd_source s;
	bd_err e = bd_source_open(&s, o->file, sheet0, enc);
	if (e)
		return bd_cmd_error(e);
	uint32_t n = s.sheet ? bd_sheet_count(s.sheet) : 0;
	if (n == 0) {
		e = print_rows(&s, 0, o->show_id);
		print_warning(&s);
		bd_source_close(&s);
		return e ? bd_cmd_error(e) : bd_cmd_finish_stdout(0);
	}
	/* a sheet that cannot be read (a chart sheet) is named, the others
	 * are still printed; the exit status says that one failed */
	char **names = calloc(n, sizeof(*names));
	for (uint32_t i = 0; names && i < n; i++) {
		const char *nm = bd_sheet_name_at(s.sheet, i);
		names[i] = strdup(nm ? nm : "");
	}
	bd_source_close(&s);
	if (!names)
		return bd_cmd_error(bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)"));
	bd_err first = BD_OK;
	for (uint32_t i = 0; i < n; i++) {
		char num[16];
		snprintf(num, sizeof(num), "%u", i + 1);
		printf("== 工作表 %u \"%s\"\n", i + 1, names[i] ? names[i] : "");
		if (!(e = bd_source_open(&s, o->file, num, enc))) {
			e = print_rows(&s, 0, o->show_id);
			print_warning(&s);
			bd_source_close(&s);
		}
		if (e) {
			printf("!! %s\n", bd_last_error());
			fprintf(stderr, "bidui: %s\n", bd_last_error());
			if (!first)
				first = e;
		}
		free(names[i]);
	}
	free(names);
	return bd_cmd_finish_stdout(first ? (first == BD_ERR_USAGE ? 2 : 1) : 0);
}

int bd_cmd_peek(int argc, char **argv)
{
	peek_opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	bd_config *cfg = NULL;
	bd_section def;
	const bd_section *sec = NULL;
	bd_ds ds = BD_DS_PERSON;
	if (o.dataset && (rc = pick_section(&o, &cfg, &def, &sec, &ds))) {
		bd_config_free(cfg);
		return rc;
	}
	const char *sheet = o.sheet ? o.sheet : sec ? sec->sheet : NULL;
	const char *enc = o.encoding;
	if (sec && sec != &def && sec->encoding && !strcmp(o.encoding, "auto"))
		enc = sec->encoding;
	if (o.all) {
		rc = peek_all(&o, sheet, enc);
		bd_config_free(cfg);
		return rc;
	}

	bd_source s;
	bd_err e = bd_source_open(&s, o.file, sheet, enc);
	if (e) {
		bd_config_free(cfg);
		return bd_cmd_error(e);
	}
	describe_source(&s, o.file);
	/* the first rows, kept for the header search, then printed */
	head_rows h;
	memset(&h, 0, sizeof(h));
	bd_row r;
	bool eof = false;
	while (h.n < PEEK_HEADER_ROWS && !(e = bd_source_next(&s, &r, &eof)) && !eof)
		e = head_add(&h, &r);
	if (!e) {
		if (sec)
			print_mapping(&h, ds, sec);
		else
			print_candidates(&h, o.file);
		print_warning(&s);
		printf("前 %lu 行 (按 bidui 读取的样子; 行号, 制表符分隔%s):\n", o.rows,
		       o.show_id ? "" : "; 身份证号已脱敏, --show-id 显示原值");
		bd_cell *cells = NULL;
		for (uint32_t k = 0; k < h.n && k < o.rows && !e; k++) {
			bd_cell *c = realloc(cells, (h.ncell[k] + 1) * sizeof(*c));
			if (!c) {
				e = bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory)");
				break;
			}
			cells = c;
			head_row(&h, k, cells, &r);
			put_row(&r, o.show_id);
		}
		free(cells);
		if (!e && !eof && o.rows > h.n)
			e = print_rows(&s, o.rows - h.n, o.show_id);
	}
	head_free(&h);
	bd_source_close(&s);
	bd_config_free(cfg);
	return e ? bd_cmd_error(e) : bd_cmd_finish_stdout(0);
}
