/* index.c - the LMDB index (layout in index.h and docs/INDEX.md). */
#include "bd/index.h"
#include "bd/config.h"
#include "bd/csvout.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bd_index {
	MDB_env *env;
	MDB_dbi meta;
	MDB_dbi rejected;
	char *dir;
};

static bd_err mdb_fail(int rc, const char *what, const char *dir)
{
	return bd_fail(rc == MDB_MAP_FULL ? BD_ERR_LIMIT : BD_ERR_INDEX,
		       "索引 %s: %s 失败: %s", dir, what, mdb_strerror(rc));
}

int bd_index_dbnames(bd_ds ds, const char *names[BD_MAX_DBS_PER_DS])
{
	static const char *const person[] = { "ga.person", "ga.person#child", "ga.person#spouse",
					      "ga.person#hukou", "ga.person#b14" };
	static const char *const roll[] = { "mz.roll", "mz.roll#bad" };
	if (ds == BD_DS_PERSON) {
		memcpy(names, person, sizeof(person));
		return (int)BD_ARRAY_LEN(person);
	}
	if (ds == BD_DS_ROLL) {
		memcpy(names, roll, sizeof(roll));
		return 2;
	}
	names[0] = bd_schemas[ds].name;
	return 1;
}

/*
 * Writers use a writable memory map (MDB_WRITEMAP: no malloc and copy per
 * dirty page, several times faster for bulk loads); LMDB then sizes the
 * data file to the map, so the map starts at what the file holds plus
 * headroom and grows before each dataset load (bd_index_reserve).
 * BD_MAP_SIZE_GB fixes it instead.
 */
static size_t map_size(const char *dir)
{
	const char *e = getenv("BD_MAP_SIZE_GB");
	long gb = e ? strtol(e, NULL, 10) : 0;
	if (gb > 0)
		return (size_t)gb << 30;
	char path[4200];
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	struct stat st;
	size_t have = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
	return have + ((size_t)64 << 20);
}

static bd_err meta_get(MDB_txn *txn, MDB_dbi dbi, const char *k, MDB_val *v)
{
	MDB_val key = { strlen(k), (void *)k };
	int rc = mdb_get(txn, dbi, &key, v);
	if (rc == MDB_NOTFOUND) {
		v->mv_size = 0;
		v->mv_data = NULL;
		return BD_OK;
	}
	return rc ? bd_fail(BD_ERR_INDEX, "索引读取失败: %s", mdb_strerror(rc)) : BD_OK;
}

static int meta_put(MDB_txn *txn, MDB_dbi dbi, const char *k, const char *v)
{
	MDB_val key = { strlen(k), (void *)k }, val = { strlen(v), (void *)v };
	return mdb_put(txn, dbi, &key, &val, 0);
}

bd_err bd_index_open(const char *dir, const bd_key *key, bool writable, bd_index **out)
{
	*out = NULL;
	bd_err e;
	if (writable && (e = bd_mkdirs(dir, 0700)))
		return e;
	struct stat st;
	if (!writable && stat(dir, &st) != 0)
		return bd_fail(BD_ERR_INDEX, "索引 %s 不存在：请先运行 bidui ingest (index not found)", dir);
	bd_index *ix = calloc(1, sizeof(*ix));
	if (!ix || !(ix->dir = strdup(dir))) {
		free(ix);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	int rc = mdb_env_create(&ix->env);
	if (!rc)
		rc = mdb_env_set_maxdbs(ix->env, 64);
	if (!rc)
		rc = mdb_env_set_mapsize(ix->env, writable ? map_size(dir) : 0);
	if (!rc)
		rc = mdb_env_set_maxreaders(ix->env, 256);
	if (!rc)
		rc = mdb_env_open(ix->env, dir, MDB_NOTLS | (writable ? MDB_WRITEMAP : MDB_RDONLY), 0600);
	if (rc) {
		e = mdb_fail(rc, "打开", dir);
		bd_index_close(ix);
		return e;
	}
	MDB_txn *txn;
	rc = mdb_txn_begin(ix->env, NULL, writable ? 0 : MDB_RDONLY, &txn);
	if (rc) {
		e = mdb_fail(rc, "开始事务", dir);
		bd_index_close(ix);
		return e;
	}
	unsigned fl = writable ? MDB_CREATE : 0;
	rc = mdb_dbi_open(txn, "meta", fl, &ix->meta);
	if (!rc)
		rc = mdb_dbi_open(txn, "rejected", fl, &ix->rejected);
	if (rc) {
		mdb_txn_abort(txn);
		e = rc == MDB_NOTFOUND ? bd_fail(BD_ERR_INDEX, "索引 %s 为空：请先运行 bidui ingest", dir)
				       : mdb_fail(rc, "打开数据库", dir);
		bd_index_close(ix);
		return e;
	}
	MDB_val fp, ver;
	if ((e = meta_get(txn, ix->meta, "key_fingerprint", &fp)) ||
	    (e = meta_get(txn, ix->meta, "schema_version", &ver))) {
		mdb_txn_abort(txn);
		bd_index_close(ix);
		return e;
	}
	if (fp.mv_size && (fp.mv_size != 16 || memcmp(fp.mv_data, key->fingerprint, 16))) {
		mdb_txn_abort(txn);
		e = bd_fail(BD_ERR_KEY_MISMATCH,
			    "索引 %s 是用另一把密钥建立的（索引密钥指纹 %.*s，当前密钥指纹 %s）。"
			    "不同密钥的数据不能混用：请使用原密钥，或换一个新的 index 目录重新导入全部数据 "
			    "(index built under another key)",
			    dir, (int)fp.mv_size, (const char *)fp.mv_data, key->fingerprint);
		bd_index_close(ix);
		return e;
	}
	if (ver.mv_size && (ver.mv_size != strlen(BD_SCHEMA_VERSION) ||
			    memcmp(ver.mv_data, BD_SCHEMA_VERSION, ver.mv_size))) {
		mdb_txn_abort(txn);
		e = bd_fail(BD_ERR_INDEX, "索引 %s 的格式版本 %.*s 与本程序 (%s) 不符：请换一个 index 目录重新导入",
			    dir, (int)ver.mv_size, (const char *)ver.mv_data, BD_SCHEMA_VERSION);
		bd_index_close(ix);
		return e;
	}
	if (writable && !fp.mv_size) {
		rc = meta_put(txn, ix->meta, "key_fingerprint", key->fingerprint);
		if (!rc)
			rc = meta_put(txn, ix->meta, "schema_version", BD_SCHEMA_VERSION);
		if (rc) {
			mdb_txn_abort(txn);
			e = mdb_fail(rc, "写入", dir);
			bd_index_close(ix);
			return e;
		}
	}
	rc = mdb_txn_commit(txn);
	if (rc) {
		e = mdb_fail(rc, "提交", dir);
		bd_index_close(ix);
		return e;
	}
	*out = ix;
	return BD_OK;
}

void bd_index_close(bd_index *ix)
{
	if (!ix)
		return;
	if (ix->env)
		mdb_env_close(ix->env);
	free(ix->dir);
	free(ix);
}

MDB_env *bd_index_env(bd_index *ix)
{
	return ix->env;
}

static long kill_after(void)
{
	const char *e = getenv("BD_TEST_KILL_AFTER");
	return e && *e ? strtol(e, NULL, 10) : -1;
}

/* Loads sorted entries into the dataset's databases. */
static bd_err load_entries(bd_index *ix, MDB_txn *txn, MDB_dbi *dbi, int ndb,
			   bd_sorter *entries)
{
	MDB_cursor *cur[BD_MAX_DBS_PER_DS] = { NULL };
	int rc = 0;
	bd_err e = BD_OK;
	for (int i = 0; i < ndb && !rc; i++)
		rc = mdb_cursor_open(txn, dbi[i], &cur[i]);
	uint8_t lastkey[33];
	bool have_last = false;
	long kill = kill_after();
	uint64_t loaded = 0;
	while (!rc && !e) {
		const uint8_t *en;
		bool eof;
		if ((e = bd_sorter_next(entries, &en, &eof)) || eof)
			break;
		int tag = en[0];
		if (tag >= ndb) {
			e = bd_fail(BD_ERR_INTERNAL, "bad entry tag %d", tag);
			break;
		}
		MDB_val k = { 32, (void *)(en + 1) };
		MDB_val v = { bd_entry_size(en) - BD_ENTRY_HEAD, (void *)(en + BD_ENTRY_HEAD) };
		bool same = have_last && !memcmp(lastkey, en, 33);
		rc = mdb_cursor_put(cur[tag], &k, &v, same ? MDB_APPENDDUP : MDB_APPEND);
		memcpy(lastkey, en, 33);
		have_last = true;
		if (kill >= 0 && (long)++loaded >= kill)
			raise(SIGKILL);
	}
	for (int i = 0; i < ndb; i++)
		if (cur[i])
			mdb_cursor_close(cur[i]);
	if (!e && rc)
		e = mdb_fail(rc, "写入记录", ix->dir);
	return e;
}

static bd_err read_exact(FILE *f, void *p, size_t n)
{
	if (fread(p, 1, n, f) != n)
		return bd_fail(BD_ERR_IO, "读取临时文件失败 (rejects)");
	return BD_OK;
}

/* Replaces the rejected rows of ds. */
static bd_err load_rejects(bd_index *ix, MDB_txn *txn, bd_ds ds, FILE *rejects,
			   const char *const *names, const char *const *files)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, ix->rejected, &cur);
	if (rc)
		return mdb_fail(rc, "打开游标", ix->dir);
	uint8_t first = (uint8_t)ds;
	for (;;) {
		MDB_val k = { 1, &first }, v;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc || ((const uint8_t *)k.mv_data)[0] != first)
			break;
		if ((rc = mdb_cursor_del(cur, 0)))
			break;
	}
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND)
		return mdb_fail(rc, "删除旧记录", ix->dir);
	if (!rejects)
		return BD_OK;
	if (fseek(rejects, 0, SEEK_SET) != 0)
		return bd_fail(BD_ERR_IO, "临时文件: %s", strerror(errno));
	char val[2048];
	for (;;) {
		uint8_t head[6];
		size_t got = fread(head, 1, 6, rejects);
		if (got == 0)
			break;
		if (got != 6)
			return bd_fail(BD_ERR_IO, "读取临时文件失败 (rejects)");
		uint16_t sec = (uint16_t)(head[0] | head[1] << 8);
		uint32_t row = (uint32_t)head[2] | (uint32_t)head[3] << 8 |
			       (uint32_t)head[4] << 16 | (uint32_t)head[5] << 24;
		size_t at = 0;
		const char *nm = names[sec], *fl = files[sec];
		size_t a = strlen(nm) + 1, b = strlen(fl) + 1;
		if (a + b > sizeof(val) / 2)
			return bd_fail(BD_ERR_LIMIT, "文件名过长");
		memcpy(val, nm, a);
		memcpy(val + a, fl, b);
		at = a + b;
		for (int s = 0; s < 4; s++) {
			int ch;
			while ((ch = getc(rejects)) != EOF && ch != 0)
				if (at < sizeof(val) - 1)
					val[at++] = (char)ch;
			if (ch == EOF)
				return bd_fail(BD_ERR_IO, "读取临时文件失败 (rejects)");
			val[at++] = '\0';
		}
		uint8_t key[7] = { first, (uint8_t)(sec >> 8), (uint8_t)sec, (uint8_t)(row >> 24),
				   (uint8_t)(row >> 16), (uint8_t)(row >> 8), (uint8_t)row };
		MDB_val kk = { 7, key }, vv = { at, val };
		rc = mdb_put(txn, ix->rejected, &kk, &vv, 0);
		if (rc)
			return mdb_fail(rc, "写入拒收记录", ix->dir);
	}
	(void)read_exact;
	return BD_OK;
}

/* Grows the map so that a dataset of about bytes of entries fits beside
 * the current data (the old snapshot stays until the commit). */
static bd_err reserve(bd_index *ix, uint64_t bytes)
{
	if (getenv("BD_MAP_SIZE_GB"))
		return BD_OK;
	MDB_envinfo info;
	MDB_stat st;
	mdb_env_info(ix->env, &info);
	mdb_env_stat(ix->env, &st);
	size_t used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
	size_t want = used + (size_t)(bytes * 2) + ((size_t)64 << 20);
	if (want <= info.me_mapsize)
		return BD_OK;
	int rc = mdb_env_set_mapsize(ix->env, want);
	return rc ? mdb_fail(rc, "扩大映射", ix->dir) : BD_OK;
}

bd_err bd_index_reserve(bd_index *ix, uint64_t bytes)
{
	return reserve(ix, bytes);
}

const char *bd_index_dir(const bd_index *ix)
{
	return ix->dir;
}

bd_err bd_index_replace(bd_index *ix, bd_ds ds, bd_sorter *entries, FILE *rejects,
			const char *const *section_names, const char *const *section_files,
			const char *snapshot_json)
{
	bd_err re = reserve(ix, bd_sorter_bytes(entries));
	if (re)
		return re;
	const char *names[BD_MAX_DBS_PER_DS];
	int ndb = bd_index_dbnames(ds, names);
	MDB_dbi dbi[BD_MAX_DBS_PER_DS];
	MDB_txn *txn;
	int rc = mdb_txn_begin(ix->env, NULL, 0, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	for (int i = 0; i < ndb && !rc; i++) {
		rc = mdb_dbi_open(txn, names[i], MDB_CREATE | MDB_DUPSORT, &dbi[i]);
		if (!rc)
			rc = mdb_drop(txn, dbi[i], 0);
	}
	bd_err e = rc ? mdb_fail(rc, "清空旧数据", ix->dir) : BD_OK;
	if (!e)
		e = load_entries(ix, txn, dbi, ndb, entries);
	if (!e)
		e = load_rejects(ix, txn, ds, rejects, section_names, section_files);
	if (!e) {
		char k[64];
		snprintf(k, sizeof(k), "snapshot:%s", bd_schemas[ds].name);
		rc = meta_put(txn, ix->meta, k, snapshot_json);
		if (rc)
			e = mdb_fail(rc, "写入快照", ix->dir);
	}
	if (e) {
		mdb_txn_abort(txn);
		return e;
	}
	rc = mdb_txn_commit(txn);
	return rc ? mdb_fail(rc, "提交", ix->dir) : BD_OK;
}

bd_err bd_index_snapshot(bd_index *ix, bd_ds ds, char **json)
{
	*json = NULL;
	MDB_txn *txn;
	int rc = mdb_txn_begin(ix->env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	char k[64];
	snprintf(k, sizeof(k), "snapshot:%s", bd_schemas[ds].name);
	MDB_val v;
	bd_err e = meta_get(txn, ix->meta, k, &v);
	if (!e && v.mv_size) {
		*json = strndup(v.mv_data, v.mv_size);
		if (!*json)
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	mdb_txn_abort(txn);
	return e;
}

bd_err bd_index_count(bd_index *ix, const char *name, uint64_t *n)
{
	*n = 0;
	MDB_txn *txn;
	int rc = mdb_txn_begin(ix->env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	MDB_dbi dbi;
	rc = mdb_dbi_open(txn, name, 0, &dbi);
	if (rc == MDB_NOTFOUND) {
		mdb_txn_abort(txn);
		return BD_OK;
	}
	MDB_stat st;
	if (!rc)
		rc = mdb_stat(txn, dbi, &st);
	mdb_txn_abort(txn);
	if (rc)
		return mdb_fail(rc, "统计", ix->dir);
	*n = st.ms_entries;
	return BD_OK;
}

bd_err bd_index_write_rejected(bd_index *ix, FILE *out)
{
	MDB_txn *txn;
	int rc = mdb_txn_begin(ix->env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	MDB_cursor *cur;
	rc = mdb_cursor_open(txn, ix->rejected, &cur);
	if (rc) {
		mdb_txn_abort(txn);
		return mdb_fail(rc, "打开游标", ix->dir);
	}
	bool ok = fputs("\xef\xbb\xbf" "file,row,field,reason,masked_value,dataset,detail\n", out) >= 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); ok && !rc;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const uint8_t *kb = k.mv_data;
		uint32_t row = (uint32_t)kb[3] << 24 | (uint32_t)kb[4] << 16 | (uint32_t)kb[5] << 8 | kb[6];
		const char *p = v.mv_data, *end = p + v.mv_size;
		const char *f[6];
		for (int i = 0; i < 6; i++) {
			f[i] = p < end ? p : "";
			p += p < end ? strlen(p) + 1 : 0;
		}
		/* f: section, file, field, reason, masked, detail */
		char rowbuf[16];
		snprintf(rowbuf, sizeof(rowbuf), "%u", row);
		ok = bd_csv_puts(out, f[1], ',') && bd_csv_puts(out, rowbuf, ',') &&
		     bd_csv_puts(out, f[2], ',') && bd_csv_puts(out, f[3], ',') &&
		     bd_csv_puts(out, f[4], ',') && bd_csv_puts(out, f[0], ',') &&
		     bd_csv_puts(out, f[5], '\n');
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	if (!ok)
		return bd_fail(BD_ERR_IO, "写 rejected.csv 失败: %s", strerror(errno));
	if (rc && rc != MDB_NOTFOUND)
		return mdb_fail(rc, "读取", ix->dir);
	return BD_OK;
}
