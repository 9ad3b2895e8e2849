/*
 * cmd_hash.c - `bidui hash`: the department-side step. Replaces every ID
 * column (id, owner_id, head_id, father_id, mother_id, spouse_id) by its
 * hid, adds a masked-ID column 身份证号(脱敏) after the main ID column, masks
 * certificate numbers (they embed the ID), and copies every other cell
 * unchanged. The output is UTF-8 CSV; raw IDs never leave the department.
 */
#include "bd/cmd.h"
#include "bd/csv.h"
#include "bd/csvout.h"
#include "bd/idnum.h"
#include "bd/key.h"
#include "bd/normal.h"
#include "bd/schema.h"
#include "bd/sheet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define MASK_HEADER "身份证号(脱敏)"

typedef struct hasher_state {
	bd_hasher h;
	bd_ds ds;
	bd_colmap map;
	bool is_id_col[BD_CSV_COLS_MAX];
	int main_col;        /* column after which the masked column goes */
	int certno_col;      /* cl.cert: certificate number column, or -1 */
	bool add_id_col;     /* cl.cert without an id column */
	uint64_t rows, hashed, invalid;
} hasher_state;

static bd_err open_source(const char *path, bd_csv **csv, bd_sheet **sheet)
{
	bd_format fmt;
	bd_err e = bd_format_of_file(path, &fmt);
	if (e)
		return e;
	if (fmt == BD_FMT_XLSX || fmt == BD_FMT_XLS || fmt == BD_FMT_HTML)
		return bd_sheet_open(path, fmt, NULL, "auto", sheet);
	return bd_csv_open(path, "auto", csv);
}

static bool put_row(FILE *out, const bd_row *row)
{
	bool ok = true;
	for (uint32_t i = 0; i < row->ncell && ok; i++)
		ok = bd_csv_put(out, row->cells[i].s, row->cells[i].n,
				i + 1 == row->ncell ? '\n' : ',');
	if (row->ncell == 0)
		ok = putc('\n', out) != EOF;
	return ok;
}

static void plan_columns(hasher_state *st, const bd_row *hdr)
{
	static const char *const idf[] = { "id", "owner_id", "head_id", "father_id",
					   "mother_id", "spouse_id" };
	const bd_schema *s = &bd_schemas[st->ds];
	st->main_col = -1;
	st->certno_col = -1;
	for (size_t i = 0; i < BD_ARRAY_LEN(idf); i++) {
		int f = bd_schema_field(s, idf[i]);
		if (f >= 0 && st->map.col[f] >= 0) {
			st->is_id_col[st->map.col[f]] = true;
			if ((i == 0 || i == 1) && st->main_col < 0)
				st->main_col = st->map.col[f];
		}
	}
	if (st->ds == BD_DS_CERT) {
		st->certno_col = st->map.col[BD_F_CE_CERTNO];
		st->add_id_col = st->map.col[BD_F_CE_ID] < 0;
	}
	if (st->main_col < 0)
		st->main_col = (int)hdr->ncell - 1;
}

static bool put_cell(FILE *out, const char *s, size_t n, bool *first)
{
	bool ok = *first || putc(',', out) != EOF;
	*first = false;
	return ok && bd_csv_put(out, s, n, '\0');
}

static bool write_header(hasher_state *st, FILE *out, const bd_row *hdr)
{
	bool first = true, ok = true;
	for (uint32_t i = 0; i < hdr->ncell && ok; i++) {
		ok = put_cell(out, hdr->cells[i].s, hdr->cells[i].n, &first);
		if (ok && (int)i == st->main_col)
			ok = put_cell(out, MASK_HEADER, strlen(MASK_HEADER), &first);
	}
	if (ok && st->add_id_col)
		ok = put_cell(out, "身份证号码", strlen("身份证号码"), &first);
	return ok && putc('\n', out) != EOF;
}

static bool write_data(hasher_state *st, FILE *out, const bd_row *row)
{
	bool first = true, ok = true;
	char mask[64] = "", hex[65];
	char certmask[128];
	char derived_hex[65] = "";
	uint32_t ncell = row->ncell;
	if ((uint32_t)st->main_col >= ncell && st->main_col >= 0)
		ncell = (uint32_t)st->main_col + 1;
	st->rows++;
	/* a certificate number embeds the holder's ID: it stands in for an
	 * empty ID cell, and is itself written masked */
	char derived_mask[64] = "";
	if (st->certno_col >= 0 && (uint32_t)st->certno_col < row->ncell) {
		size_t tn;
		const char *t = bd_trim(row->cells[st->certno_col].s, row->cells[st->certno_col].n, &tn);
		bd_id id;
		if (tn >= 18 && bd_id_normalise(t, 18, 0, &id) == BD_ID_OK) {
			uint8_t hid[32];
			bd_hmac(&st->h, id.id, 18, hid);
			bd_hex(hid, 32, derived_hex);
			bd_id_mask(id.id, 18, derived_mask, sizeof(derived_mask));
		}
	}
	for (uint32_t i = 0; i < ncell && ok; i++) {
		const char *s = i < row->ncell ? row->cells[i].s : "";
		size_t n = i < row->ncell ? row->cells[i].n : 0;
		if (i < BD_CSV_COLS_MAX && st->is_id_col[i]) {
			bd_id id;
			size_t tn;
			const char *t = bd_trim(s, n, &tn);
			bd_id_status rs = bd_id_normalise(t, tn, 0, &id);
			const char *outs = "";
			char m[64];
			if (rs == BD_ID_OK) {
				uint8_t hid[32];
				bd_hmac(&st->h, id.id, 18, hid);
				bd_hex(hid, 32, hex);
				outs = hex;
				bd_id_mask(id.id, 18, m, sizeof(m));
				st->hashed++;
			} else if (rs == BD_ID_HASHED) {
				outs = id.hex;
				m[0] = '\0';
			} else if (rs == BD_ID_EMPTY && (int)i == st->main_col && derived_hex[0]) {
				outs = derived_hex;
				snprintf(m, sizeof(m), "%s", derived_mask);
				st->hashed++;
			} else if (rs == BD_ID_EMPTY) {
				m[0] = '\0';
			} else {
				bd_id_mask(t, tn, m, sizeof(m));
				outs = m;
				st->invalid++;
			}
			if ((int)i == st->main_col)
				snprintf(mask, sizeof(mask), "%s", m);
			ok = put_cell(out, outs, strlen(outs), &first);
		} else if ((int)i == st->certno_col && n >= 18) {
			size_t tn;
			const char *t = bd_trim(s, n, &tn);
			if (!mask[0] && derived_mask[0] && (int)i == st->main_col)
				snprintf(mask, sizeof(mask), "%s", derived_mask);
			bd_id_mask(t, tn >= 18 ? 18 : tn, certmask, sizeof(certmask));
			size_t cl = strlen(certmask);
			if (tn > 18 && cl + tn - 18 < sizeof(certmask)) {
				memcpy(certmask + cl, t + 18, tn - 18);
				certmask[cl + tn - 18] = '\0';
			}
			ok = put_cell(out, certmask, strlen(certmask), &first);
		} else {
			ok = put_cell(out, s, n, &first);
		}
		if (ok && (int)i == st->main_col)
			ok = put_cell(out, mask, strlen(mask), &first);
	}
	if (ok && st->add_id_col)
		ok = put_cell(out, derived_hex, strlen(derived_hex), &first);
	return ok && putc('\n', out) != EOF;
}

static bd_err hash_file(hasher_state *st, const char *in, const char *outpath)
{
	bd_csv *csv = NULL;
	bd_sheet *sheet = NULL;
	bd_err e = open_source(in, &csv, &sheet);
	if (e)
		return e;
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", outpath);
	FILE *out = fopen(tmp, "wb");
	if (!out) {
		bd_csv_close(csv);
		bd_sheet_close(sheet);
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", tmp, strerror(errno));
	}
	bool ok = fputs("\xef\xbb\xbf", out) >= 0;
	bool header = false;
	const bd_schema *s = &bd_schemas[st->ds];
	int idf = bd_schema_field(s, "id");
	if (idf < 0)
		idf = bd_schema_field(s, "owner_id");
	int altf = st->ds == BD_DS_CERT ? BD_F_CE_CERTNO : idf;
	for (;;) {
		bd_row row;
		bool eof;
		e = csv ? bd_csv_next(csv, &row, &eof) : bd_sheet_next(sheet, &row, &eof);
		if (e || eof || !ok)
			break;
		if (!header && row.rowno <= 20) {
			if ((e = bd_colmap_build(st->ds, NULL, &row, &st->map)))
				break;
			if (st->map.col[idf] >= 0 || st->map.col[altf] >= 0) {
				header = true;
				plan_columns(st, &row);
				ok = write_header(st, out, &row);
			} else {
				ok = put_row(out, &row);
			}
			continue;
		}
		if (!header) {
			e = bd_fail(BD_ERR_HEADER, "%s: 前 20 行中找不到身份证号列 (no ID column found)", in);
			break;
		}
		ok = write_data(st, out, &row);
	}
	bd_csv_close(csv);
	bd_sheet_close(sheet);
	if (!e && !header)
		e = bd_fail(BD_ERR_HEADER, "%s: 找不到身份证号列 (no ID column found)", in);
	if (fclose(out) != 0 || !ok)
		e = e ? e : bd_fail(BD_ERR_IO, "写入 %s 失败: %s", tmp, strerror(errno));
	if (!e && rename(tmp, outpath) != 0)
		e = bd_fail(BD_ERR_IO, "无法写入 %s: %s", outpath, strerror(errno));
	if (e)
		unlink(tmp);
	return e;
}

int bd_cmd_hash(int argc, char **argv)
{
	const char *keyfile = NULL, *dataset = NULL, *pos[2];
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--key") && i + 1 < argc)
			keyfile = argv[++i];
		else if (!strcmp(argv[i], "--dataset") && i + 1 < argc)
			dataset = argv[++i];
		else if (argv[i][0] != '-' && npos < 2)
			pos[npos++] = argv[i];
		else {
			bd_cmd_usage("hash", stderr);
			return 2;
		}
	}
	if (!keyfile || !dataset || npos != 2) {
		bd_cmd_usage("hash", stderr);
		return 2;
	}
	int ds = bd_dataset_find(dataset);
	if (ds < 0) {
		fprintf(stderr, "bidui hash: 未知的数据集 %s\n", dataset);
		return 2;
	}
	hasher_state *st = calloc(1, sizeof(*st));
	if (!st)
		return bd_cmd_error(bd_fail(BD_ERR_NOMEM, "out of memory"));
	st->ds = (bd_ds)ds;
	bd_key key;
	bd_err e = bd_key_load(keyfile, &key);
	if (!e) {
		bd_hmac_init(&st->h, &key);
		memset(&key, 0, sizeof(key));
		e = hash_file(st, pos[0], pos[1]);
	}
	if (e) {
		free(st);
		return bd_cmd_error(e);
	}
	fprintf(stderr, "已处理 %llu 行：哈希 %llu 个身份证号，%llu 个无效号码已脱敏保留。输出: %s\n",
		(unsigned long long)st->rows, (unsigned long long)st->hashed,
		(unsigned long long)st->invalid, pos[1]);
	free(st);
	return 0;
}
