/* index.c - the sharded LMDB index (layout in index.h and docs/INDEX.md). */
#include "bd/index.h"
#include "bd/config.h"
#include "bd/csvout.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct bd_index {
	bd_ixmode mode;
	MDB_env *env;            /* common */
	MDB_dbi meta;
	MDB_dbi rejected;
	char *dir;
	int nshards;
	MDB_env **shard;
	int lockfd;              /* writer.lock (INGEST) or gc.lock (readers) */
	uint64_t gen[BD_DS_MAX]; /* generation of each dataset, as opened */
	uint64_t gen_at_open[BD_DS_MAX];
	bool full_ids;           /* meta full_ids */
	uint64_t next_gen;       /* INGEST: the generation being loaded */
	bool loaded[BD_DS_MAX];  /* INGEST: loaded into next_gen */
	char *snap[BD_DS_MAX];   /* snapshot JSON of each dataset, as opened */
};

static bd_err mdb_fail(int rc, const char *what, const char *dir)
{
	if (rc == MDB_MAP_FULL)
		return bd_fail(BD_ERR_LIMIT, "索引 %s: %s 失败: 映射空间已满 (%s)。请设置环境变量 "
			       "BD_MAP_SIZE_GB 为更大的值（单位 GiB）后重试", dir, what, mdb_strerror(rc));
	if (rc == ENOSPC)
		return bd_fail(BD_ERR_IO, "索引 %s: %s 失败: 磁盘已满 (disk full)。请清理磁盘空间后重试，"
			       "上一次的导入结果保持不变", dir, what);
	return bd_fail(BD_ERR_INDEX, "索引 %s: %s 失败: %s", dir, what, mdb_strerror(rc));
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

void bd_index_dbname_gen(bd_ds ds, int i, uint64_t gen, char *buf, size_t n)
{
	const char *names[BD_MAX_DBS_PER_DS];
	int ndb = bd_index_dbnames(ds, names);
	snprintf(buf, n, "%s@%" PRIu64, i < ndb ? names[i] : "?", gen);
}

/*
 * The common environment's writers use a writable memory map
 * (MDB_WRITEMAP); LMDB then sizes the data file to the map, so the map
 * starts at what the file holds plus headroom and grows before each load
 * (reserve). Shards are written through LMDB's own page buffers instead
 * (see SHARD_FLAGS). BD_MAP_SIZE_GB fixes the map size.
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
	return have + ((size_t)8 << 20);
}

/* What env_reserve changed, to undo it. */
typedef struct envgrow {
	size_t oldmap;
	off_t oldsize;
	bool grown;
} envgrow;

/* Puts map and data file back to their size before env_reserve (the
 * grown part holds nothing yet). */
static void env_unreserve(MDB_env *env, envgrow *g)
{
	int fd;
	if (!g->grown)
		return;
	g->grown = false;
	mdb_env_set_mapsize(env, g->oldmap);
	if (mdb_env_get_fd(env, &fd) == 0 && ftruncate(fd, g->oldsize) != 0)
		return; /* only space is lost */
}

/*
 * Grows env's map so that about bytes more fit beside its data (an old
 * generation stays until the commit), and allocates the file's blocks:
 * with a writable map over a sparse file a full disk would otherwise
 * surface as SIGBUS in the middle of a load. On a full disk nothing is
 * left grown.
 */
static bd_err env_reserve(MDB_env *env, const char *dir, uint64_t bytes, envgrow *g)
{
	memset(g, 0, sizeof(*g));
	if (getenv("BD_MAP_SIZE_GB"))
		return BD_OK;
	MDB_envinfo info;
	MDB_stat st;
	mdb_env_info(env, &info);
	mdb_env_stat(env, &st);
	int fd;
	struct stat fs;
	if (mdb_env_get_fd(env, &fd) != 0 || fstat(fd, &fs) != 0)
		return bd_fail(BD_ERR_IO, "索引 %s: 无法读取数据文件大小", dir);
	g->oldmap = info.me_mapsize;
	g->oldsize = fs.st_size;
	size_t used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
	size_t want = used + (size_t)(bytes * 2) + ((size_t)8 << 20);
	if (want > info.me_mapsize) {
		int rc = mdb_env_set_mapsize(env, want);
		if (rc)
			return mdb_fail(rc, "扩大映射", dir);
		g->grown = true;
	} else {
		want = info.me_mapsize;
	}
	int rc = posix_fallocate(fd, 0, (off_t)want);
	if (rc == ENOSPC) {
		g->grown = true;
		env_unreserve(env, g);
		return bd_fail(BD_ERR_IO, "索引 %s: 磁盘已满 (disk full)：需要约 %zu MiB 空间。"
			       "请清理磁盘空间后重试，上一次的导入结果保持不变",
			       dir, (want - ((size_t)fs.st_blocks * 512 < want ? (size_t)fs.st_blocks * 512 : want) +
				     ((size_t)1 << 20) - 1) >> 20);
	}
	return BD_OK;
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

static uint64_t meta_u64(MDB_val v)
{
	char b[32];
	size_t n = v.mv_size < sizeof(b) - 1 ? v.mv_size : sizeof(b) - 1;
	memcpy(b, v.mv_data ? v.mv_data : "", n);
	b[n] = '\0';
	return strtoull(b, NULL, 10);
}

/* Readers map far more than the file holds (address space only, read
 * only): an ingest growing the file meanwhile cannot make their next read
 * transaction fail with MDB_MAP_RESIZED, which a process whose other
 * threads still read could not adopt. */
static size_t reader_map_size(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	struct stat st;
	size_t have = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
	size_t big = (size_t)64 << 30;
	return have * 2 > big ? have * 2 : big;
}

/*
 * A shard's writer: no MDB_WRITEMAP. A bulk load into a writable map
 * faults in every new page of the data file, and the kernel zeroes each
 * before LMDB fills it (a fifth of a cold ingest's time, docs/PERFORMANCE.md);
 * through LMDB's buffers the pages go to the file by pwrite and the
 * buffers are reused from one chunk of the load to the next
 * (LOAD_CHUNK). MDB_NOMETASYNC: each chunk's commit flushes its data
 * pages; the meta page is flushed once, by mdb_env_sync after the last.
 */
#define SHARD_FLAGS MDB_NOMETASYNC
/* bytes of entries a load commits at a time (see SHARD_FLAGS);
 * BD_TEST_LOAD_CHUNK sets it for tests (many chunks of a small county) */
#define LOAD_CHUNK ((uint64_t)64 << 20)

static uint64_t load_chunk(void)
{
	const char *e = getenv("BD_TEST_LOAD_CHUNK");
	long long n = e && *e ? strtoll(e, NULL, 10) : 0;
	return n > 0 ? (uint64_t)n : LOAD_CHUNK;
}

static bd_err env_open(const char *dir, bool writable, bool shard, MDB_env **out)
{
	int rc = mdb_env_create(out);
	if (!rc)
		rc = mdb_env_set_maxdbs(*out, 128);
	if (!rc)
		rc = mdb_env_set_mapsize(*out, writable ? map_size(dir) : reader_map_size(dir));
	if (!rc)
		rc = mdb_env_set_maxreaders(*out, 512);
	if (!rc)
		rc = mdb_env_open(*out, dir,
				  MDB_NOTLS | (!writable ? MDB_RDONLY : shard ? SHARD_FLAGS : MDB_WRITEMAP), 0600);
	return rc ? mdb_fail(rc, "打开", dir) : BD_OK;
}

static void shard_dir(const bd_index *ix, int s, char *buf, size_t n)
{
	snprintf(buf, n, "%s/shard-%03d", ix->dir, s);
}

/* Takes the lock file name in dir: exclusive or shared, waiting or not;
 * *fd stays open (and locked) until closed. false when busy. */
static bd_err take_lock(const char *dir, const char *name, int op, int *fd, bool *got)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0 && errno == EROFS)
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		/* a read-only copy of an index without its lock files */
		*got = true;
		return errno == ENOENT || errno == EACCES || errno == EROFS
			       ? BD_OK
			       : bd_fail(BD_ERR_IO, "索引 %s: 无法打开锁文件 %s: %s", dir, name, strerror(errno));
	}
	while (flock(*fd, op) != 0) {
		if (errno == EINTR)
			continue;
		*got = false;
		if (errno == EWOULDBLOCK)
			return BD_OK;
		return bd_fail(BD_ERR_IO, "索引 %s: 锁文件 %s: %s", dir, name, strerror(errno));
	}
	*got = true;
	return BD_OK;
}

/* Reads what a handle sees: generations and snapshots, in one transaction. */
static bd_err read_state(bd_index *ix, MDB_txn *txn)
{
	MDB_val fv;
	bd_err e = meta_get(txn, ix->meta, "full_ids", &fv);
	ix->full_ids = !e && fv.mv_size == 3 && !memcmp(fv.mv_data, "yes", 3);
	for (int ds = 0; ds < BD_DS_MAX && !e; ds++) {
		char k[64];
		MDB_val v;
		snprintf(k, sizeof(k), "gen:%s", bd_schemas[ds].name);
		if ((e = meta_get(txn, ix->meta, k, &v)))
			break;
		ix->gen[ds] = v.mv_size ? meta_u64(v) : 0;
		ix->gen_at_open[ds] = ix->gen[ds];
		snprintf(k, sizeof(k), "snapshot:%s", bd_schemas[ds].name);
		if ((e = meta_get(txn, ix->meta, k, &v)))
			break;
		if (v.mv_size && ix->gen[ds] && !(ix->snap[ds] = strndup(v.mv_data, v.mv_size)))
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	return e;
}

/* One shard per core, rounded up to a power of two, at most 64. */
static int default_shards(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int p = 1;
	while (p < n && p < 64)
		p *= 2;
	return p;
}

/* Checks key and schema of a common environment; writes them (and the
 * shard count) into a new one. */
static bd_err check_meta(bd_index *ix, MDB_txn *txn, const bd_key *key, int shards)
{
	MDB_val fp, ver, sh, g;
	bd_err e;
	if ((e = meta_get(txn, ix->meta, "key_fingerprint", &fp)) ||
	    (e = meta_get(txn, ix->meta, "schema_version", &ver)) ||
	    (e = meta_get(txn, ix->meta, "shards", &sh)) ||
	    (e = meta_get(txn, ix->meta, "generation", &g)))
		return e;
	const char *dir = ix->dir;
	if (fp.mv_size && (fp.mv_size != 16 || memcmp(fp.mv_data, key->fingerprint, 16)))
		return bd_fail(BD_ERR_KEY_MISMATCH,
			       "索引 %s 是用另一把密钥建立的（索引密钥指纹 %.*s，当前密钥指纹 %s）。"
			       "不同密钥的数据不能混用：请使用原密钥，或换一个新的 index 目录重新导入全部数据 "
			       "(index built under another key)",
			       dir, (int)fp.mv_size, (const char *)fp.mv_data, key->fingerprint);
	if (ver.mv_size && (ver.mv_size != strlen(BD_SCHEMA_VERSION) ||
			    memcmp(ver.mv_data, BD_SCHEMA_VERSION, ver.mv_size)))
		return bd_fail(BD_ERR_INDEX, "索引 %s 的格式版本 %.*s 与本程序 (%s) 不符：%s",
			       dir, (int)ver.mv_size, (const char *)ver.mv_data, BD_SCHEMA_VERSION,
			       ver.mv_size == 1 && *(const char *)ver.mv_data == '2'
				       ? "请先运行 bidui ingest，它会升级索引（保留比对历史和核查结论，重新导入各数据集）"
				       : "请换一个 index 目录重新导入");
	if (fp.mv_size && !sh.mv_size)
		return bd_fail(BD_ERR_INDEX, "索引 %s 损坏：缺少分片数 (shards)", dir);
	int have = sh.mv_size ? (int)meta_u64(sh) : 0;
	if (have && shards && have != shards)
		return bd_fail(BD_ERR_CONFIG,
			       "索引 %s 建立时分为 %d 个分片，RUN.ini 的 shards = %d 与之不符。分片数在建立索引时确定："
			       "请去掉 shards 或改为 %d，或换一个新的 index 目录重新导入", dir, have, shards, have);
	if (have < 1 || have > BD_MAX_SHARDS || (have & (have - 1))) {
		if (!have && ix->mode != BD_IX_INGEST)
			return bd_fail(BD_ERR_INDEX, "索引 %s 为空：请先运行 bidui ingest", dir);
		if (have)
			return bd_fail(BD_ERR_INDEX, "索引 %s 损坏：分片数 %d 无效", dir, have);
		have = shards ? shards : default_shards();
		char b[16];
		snprintf(b, sizeof(b), "%d", have);
		int rc = meta_put(txn, ix->meta, "key_fingerprint", key->fingerprint);
		if (!rc)
			rc = meta_put(txn, ix->meta, "schema_version", BD_SCHEMA_VERSION);
		if (!rc)
			rc = meta_put(txn, ix->meta, "shards", b);
		if (rc)
			return mdb_fail(rc, "写入", dir);
	}
	ix->nshards = have;
	ix->next_gen = (g.mv_size ? meta_u64(g) : 0) + 1;
	return BD_OK;
}

static bd_err open_shards(bd_index *ix)
{
	ix->shard = calloc((size_t)ix->nshards, sizeof(*ix->shard));
	if (!ix->shard)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	bool writable = ix->mode == BD_IX_INGEST;
	for (int s = 0; s < ix->nshards; s++) {
		char d[4300];
		shard_dir(ix, s, d, sizeof(d));
		bd_err e;
		struct stat st;
		if (writable) {
			if ((e = bd_mkdirs(d, 0700)))
				return e;
		} else if (stat(d, &st) != 0) {
			continue; /* a shard never loaded: no database to read */
		}
		if ((e = env_open(d, writable, true, &ix->shard[s])))
			return e;
	}
	return BD_OK;
}

static void gc(bd_index *ix);

/* Copies every entry of database name from one transaction to another. */
static int copy_db(MDB_txn *from, MDB_txn *to, const char *name, bool whole, const char *const *keys)
{
	MDB_dbi a, b;
	int rc = mdb_dbi_open(from, name, 0, &a);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = mdb_dbi_open(to, name, MDB_CREATE, &b)))
		return rc;
	MDB_cursor *c;
	if ((rc = mdb_cursor_open(from, a, &c)))
		return rc;
	MDB_val k, v;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		bool want = whole;
		for (size_t i = 0; !want && keys && keys[i]; i++)
			want = k.mv_size == strlen(keys[i]) && !memcmp(k.mv_data, keys[i], k.mv_size);
		if (want && (rc = mdb_put(to, b, &k, &v, 0)))
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/*
 * An index of schema 2 (one environment, datasets unsharded) becomes a
 * schema-3 index keeping what no file can give again: the run history and
 * the review outcomes (flags, history:runs, history:id). Its datasets are
 * read again by the ingest (no snapshot is kept). The new common
 * environment is built aside and swapped in by renames; an ingest killed
 * between them finds the old file back (schema2.mdb.old).
 */
static bd_err upgrade_schema2(const char *dir, const bd_key *key, int shards)
{
	char cur[4300], old[4300], tmp[4300], tmpf[4400];
	snprintf(cur, sizeof(cur), "%s/data.mdb", dir);
	snprintf(old, sizeof(old), "%s/schema2.mdb.old", dir);
	snprintf(tmp, sizeof(tmp), "%s/.upgrade", dir);
	snprintf(tmpf, sizeof(tmpf), "%s/data.mdb", tmp);
	struct stat st;
	if (stat(cur, &st) != 0 && stat(old, &st) == 0 && rename(old, cur) != 0)
		return bd_fail(BD_ERR_IO, "索引 %s: 无法恢复 %s: %s", dir, old, strerror(errno));
	if (stat(cur, &st) != 0)
		return BD_OK;
	MDB_env *env = NULL, *nenv = NULL;
	MDB_txn *t = NULL, *nt = NULL;
	MDB_dbi meta;
	MDB_val ver, fp;
	bd_err e = env_open(dir, false, false, &env);
	int rc = e ? 0 : mdb_txn_begin(env, NULL, MDB_RDONLY, &t);
	bool v2 = !e && !rc && !mdb_dbi_open(t, "meta", 0, &meta) && !meta_get(t, meta, "schema_version", &ver) &&
		  ver.mv_size == 1 && *(const char *)ver.mv_data == '2' && !meta_get(t, meta, "key_fingerprint", &fp) &&
		  fp.mv_size == 16 && !memcmp(fp.mv_data, key->fingerprint, 16);
	bd_clear_error();
	if (v2) {
		/* what an upgrade killed half-way left aside */
		char tmpl[4400];
		snprintf(tmpl, sizeof(tmpl), "%s/lock.mdb", tmp);
		unlink(tmpf);
		unlink(tmpl);
		rmdir(tmp);
		if (mkdir(tmp, 0700) != 0)
			e = bd_fail(BD_ERR_IO, "索引 %s: 无法创建 %s: %s", dir, tmp, strerror(errno));
		if (!e)
			e = env_open(tmp, true, false, &nenv);
		if (!e && (rc = mdb_txn_begin(nenv, NULL, 0, &nt)))
			e = mdb_fail(rc, "升级", dir);
		static const char *const keep[] = { "history:runs", "history:id", NULL };
		char sh[16];
		snprintf(sh, sizeof(sh), "%d", shards ? shards : default_shards());
		MDB_dbi nmeta;
		if (!e && ((rc = copy_db(t, nt, "flags", true, NULL)) || (rc = copy_db(t, nt, "meta", false, keep)) ||
			   (rc = mdb_dbi_open(nt, "meta", MDB_CREATE, &nmeta)) ||
			   (rc = meta_put(nt, nmeta, "key_fingerprint", key->fingerprint)) ||
			   (rc = meta_put(nt, nmeta, "schema_version", BD_SCHEMA_VERSION)) ||
			   (rc = meta_put(nt, nmeta, "shards", sh))))
			e = mdb_fail(rc, "升级", dir);
		if (nt) {
			rc = e ? (mdb_txn_abort(nt), 0) : mdb_txn_commit(nt);
			if (rc)
				e = mdb_fail(rc, "升级", dir);
		}
	}
	if (t)
		mdb_txn_abort(t);
	if (env)
		mdb_env_close(env);
	if (nenv)
		mdb_env_close(nenv);
	if (!v2 || e)
		return e;
	char lock[4400];
	snprintf(lock, sizeof(lock), "%s/lock.mdb", dir);
	if (rename(cur, old) != 0 || rename(tmpf, cur) != 0)
		return bd_fail(BD_ERR_IO, "索引 %s: 升级时无法替换 data.mdb: %s", dir, strerror(errno));
	unlink(lock);
	snprintf(lock, sizeof(lock), "%s/lock.mdb", tmp);
	unlink(lock);
	rmdir(tmp);
	unlink(old);
	fprintf(stderr, "注意：索引 %s 是旧格式（2），已升级为分片格式：比对历史和核查结论保留，各数据集重新导入\n", dir);
	return BD_OK;
}

bd_err bd_index_open(const char *dir, const bd_key *key, bd_ixmode mode, int shards,
		     bd_index **out)
{
	*out = NULL;
	bd_err e;
	bool writer = mode == BD_IX_INGEST;
	if (shards < 0 || shards > BD_MAX_SHARDS || (shards & (shards - 1)))
		return bd_fail(BD_ERR_CONFIG, "shards 应为 1-%d 之间 2 的幂: %d", BD_MAX_SHARDS, shards);
	if (writer && (e = bd_mkdirs(dir, 0700)))
		return e;
	struct stat st;
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/data.mdb", dir);
	if (!writer && stat(probe, &st) != 0)
		return bd_fail(BD_ERR_INDEX, "索引 %s 不存在：请先运行 bidui ingest (index not found)", dir);
	bd_index *ix = calloc(1, sizeof(*ix));
	if (!ix || !(ix->dir = strdup(dir))) {
		free(ix);
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	ix->mode = mode;
	ix->lockfd = -1;
	bool got;
	/* one writer of generations at a time; readers hold gc.lock shared
	 * so that the generation they read is not dropped under them */
	e = writer ? take_lock(dir, "writer.lock", LOCK_EX | LOCK_NB, &ix->lockfd, &got)
		   : take_lock(dir, "gc.lock", LOCK_SH, &ix->lockfd, &got);
	if (!e && !got)
		e = bd_fail(BD_ERR_INDEX, "索引 %s 正被另一个 bidui ingest 写入：请等它结束后再运行 "
			    "(another ingest holds the index)", dir);
	if (!e && writer)
		e = upgrade_schema2(dir, key, shards);
	if (!e)
		e = env_open(dir, mode != BD_IX_READ, false, &ix->env);
	MDB_txn *txn = NULL;
	int rc = 0;
	if (!e && (rc = bd_index_txn_begin(ix, mode == BD_IX_READ ? MDB_RDONLY : 0, &txn)))
		e = mdb_fail(rc, "开始事务", dir);
	unsigned fl = writer ? MDB_CREATE : 0;
	if (!e && ((rc = mdb_dbi_open(txn, "meta", fl, &ix->meta)) ||
		   (rc = mdb_dbi_open(txn, "rejected", fl, &ix->rejected))))
		e = rc == MDB_NOTFOUND ? bd_fail(BD_ERR_INDEX, "索引 %s 为空：请先运行 bidui ingest", dir)
				       : mdb_fail(rc, "打开数据库", dir);
	if (!e)
		e = check_meta(ix, txn, key, shards);
	if (!e)
		e = read_state(ix, txn);
	if (txn) {
		rc = e ? (mdb_txn_abort(txn), 0) : mdb_txn_commit(txn);
		if (rc)
			e = mdb_fail(rc, "提交", dir);
	}
	if (!e)
		e = open_shards(ix);
	if (e) {
		bd_index_close(ix);
		return e;
	}
	if (writer)
		gc(ix);
	*out = ix;
	return BD_OK;
}

void bd_index_close(bd_index *ix)
{
	if (!ix)
		return;
	for (int s = 0; ix->shard && s < ix->nshards; s++)
		if (ix->shard[s])
			mdb_env_close(ix->shard[s]);
	free(ix->shard);
	if (ix->env)
		mdb_env_close(ix->env);
	if (ix->lockfd >= 0)
		close(ix->lockfd); /* releases the lock */
	for (int ds = 0; ds < BD_DS_MAX; ds++)
		free(ix->snap[ds]);
	free(ix->dir);
	free(ix);
}

MDB_env *bd_index_env(bd_index *ix) { return ix->env; }

int bd_index_txn_begin(bd_index *ix, unsigned flags, MDB_txn **txn)
{
	int rc = mdb_txn_begin(ix->env, NULL, flags, txn);
	if (rc == MDB_MAP_RESIZED && !(rc = mdb_env_set_mapsize(ix->env, 0)))
		rc = mdb_txn_begin(ix->env, NULL, flags, txn);
	return rc;
}
int bd_index_shards(const bd_index *ix) { return ix->nshards; }
uint64_t bd_index_gen(const bd_index *ix, bd_ds ds) { return ix->gen[ds]; }
MDB_env *bd_index_shard_env(bd_index *ix, int s) { return ix->shard[s]; }
const char *bd_index_dir(const bd_index *ix) { return ix->dir; }

/* ---- dropping generations no reader uses ---- */

/* Drops, in shard env, every database "name@G" whose G is not the
 * current generation of its dataset (nor the one being committed). */
static bd_err gc_shard(bd_index *ix, MDB_env *env, const char *dir)
{
	MDB_txn *txn;
	int rc = mdb_txn_begin(env, NULL, 0, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", dir);
	MDB_dbi main;
	MDB_cursor *cur = NULL;
	char (*drop)[96] = NULL;
	size_t ndrop = 0, cap = 0;
	bd_err e = BD_OK;
	if ((rc = mdb_dbi_open(txn, NULL, 0, &main)) || (rc = mdb_cursor_open(txn, main, &cur)))
		e = mdb_fail(rc, "读取", dir);
	MDB_val k, v;
	for (rc = e ? MDB_NOTFOUND : mdb_cursor_get(cur, &k, &v, MDB_FIRST); !e && rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		char name[96];
		if (k.mv_size >= sizeof(name))
			continue;
		memcpy(name, k.mv_data, k.mv_size);
		name[k.mv_size] = '\0';
		char *at = strrchr(name, '@');
		if (!at)
			continue;
		uint64_t g = strtoull(at + 1, NULL, 10);
		*at = '\0';
		char *hash = strchr(name, '#');
		if (hash)
			*hash = '\0';
		int ds = bd_dataset_find(name);
		if (ds >= 0 && (g == ix->gen[ds] || (ix->loaded[ds] && g == ix->next_gen)))
			continue;
		if (ndrop == cap) {
			cap = cap ? cap * 2 : 16;
			char (*n)[96] = realloc(drop, cap * sizeof(*drop));
			if (!n) {
				e = bd_fail(BD_ERR_NOMEM, "out of memory");
				break;
			}
			drop = n;
		}
		memcpy(drop[ndrop], k.mv_data, k.mv_size);
		drop[ndrop++][k.mv_size] = '\0';
	}
	if (cur)
		mdb_cursor_close(cur);
	for (size_t i = 0; !e && i < ndrop; i++) {
		MDB_dbi d;
		if ((rc = mdb_dbi_open(txn, drop[i], 0, &d)) || (rc = mdb_drop(txn, d, 1)))
			e = mdb_fail(rc, "删除旧数据", dir);
	}
	free(drop);
	if (e || !ndrop) {
		mdb_txn_abort(txn);
		return e;
	}
	rc = mdb_txn_commit(txn);
	return rc ? mdb_fail(rc, "提交", dir) : BD_OK;
}

/*
 * Drops old generations when no reader holds gc.lock (else they wait for
 * the next ingest); failures only cost disk space, so they are ignored.
 */
static void gc(bd_index *ix)
{
	int fd;
	bool got;
	if (take_lock(ix->dir, "gc.lock", LOCK_EX | LOCK_NB, &fd, &got) || !got) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (int s = 0; s < ix->nshards; s++) {
		char d[4300];
		shard_dir(ix, s, d, sizeof(d));
		if (ix->shard[s])
			gc_shard(ix, ix->shard[s], d);
	}
	bd_clear_error();
	if (fd >= 0)
		close(fd);
}

/* ---- loading a generation ---- */

/* entries loaded by this process, for BD_TEST_KILL_AFTER */
static atomic_long loaded_total;

static long kill_after(void)
{
	const char *e = getenv("BD_TEST_KILL_AFTER");
	return e && *e ? strtol(e, NULL, 10) : -1;
}

typedef struct shardload {
	bd_index *ix;
	bd_ds ds;
	bd_sorter *const *entries;
	atomic_int next;
	long kill;
	pthread_mutex_t mu;
	bd_err err;
	char errmsg[1024];
} shardload;

/* Commits *txn and begins the next in the same environment, cursors
 * reopened: one chunk of a load (LOAD_CHUNK). The databases belong to a
 * generation no reader knows, so a chunk committed by an ingest killed
 * later is emptied by the next (load_shard). */
static int next_chunk(MDB_txn **txn, MDB_dbi *dbi, MDB_cursor **cur, int ndb)
{
	MDB_env *env = mdb_txn_env(*txn);
	for (int i = 0; i < ndb; i++) {
		mdb_cursor_close(cur[i]);
		cur[i] = NULL;
	}
	int rc = mdb_txn_commit(*txn);
	*txn = NULL;
	if (!rc)
		rc = mdb_txn_begin(env, NULL, 0, txn);
	for (int i = 0; i < ndb && !rc; i++)
		rc = mdb_cursor_open(*txn, dbi[i], &cur[i]);
	return rc;
}

/* Loads sorted entries into the dataset's databases of one shard, in
 * chunks; *txn is the open transaction (NULL if a chunk's commit failed). */
static bd_err load_entries(shardload *L, MDB_txn **txn, MDB_dbi *dbi, int ndb, bd_sorter *entries,
			   const char *dir)
{
	MDB_cursor *cur[BD_MAX_DBS_PER_DS] = { NULL };
	int rc = 0;
	bd_err e = BD_OK;
	for (int i = 0; i < ndb && !rc; i++)
		rc = mdb_cursor_open(*txn, dbi[i], &cur[i]);
	uint8_t lastkey[33];
	bool have_last = false;
	uint64_t chunk = 0, chunk_max = load_chunk();
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
		if (L->kill >= 0 && atomic_fetch_add(&loaded_total, 1) + 1 >= L->kill)
			raise(SIGKILL);
		if (!rc && (chunk += k.mv_size + v.mv_size) >= chunk_max) {
			chunk = 0;
			rc = next_chunk(txn, dbi, cur, ndb);
		}
	}
	for (int i = 0; i < ndb; i++)
		if (cur[i])
			mdb_cursor_close(cur[i]);
	if (!e && rc)
		e = mdb_fail(rc, "写入记录", dir);
	return e;
}

/* true when shard s holds a database of ds in the generation being
 * loaded (left by an ingest killed before its commit), or cannot tell. */
static bool stale_here(bd_index *ix, int s, bd_ds ds)
{
	MDB_txn *txn;
	if (mdb_txn_begin(ix->shard[s], NULL, MDB_RDONLY, &txn))
		return true;
	bool found = false;
	int ndb = bd_index_dbnames(ds, (const char *[BD_MAX_DBS_PER_DS]){ NULL });
	for (int i = 0; i < ndb && !found; i++) {
		char name[96];
		MDB_dbi d;
		bd_index_dbname_gen(ds, i, ix->next_gen, name, sizeof(name));
		int rc = mdb_dbi_open(txn, name, 0, &d);
		found = rc != MDB_NOTFOUND;
	}
	mdb_txn_abort(txn);
	return found;
}

static bd_err load_shard(shardload *L, int s)
{
	bd_index *ix = L->ix;
	char dir[4300];
	shard_dir(ix, s, dir, sizeof(dir));
	bd_sorter *entries = L->entries[s];
	bd_err e = bd_sorter_finish(entries);
	if (e)
		return e;
	const char *names[BD_MAX_DBS_PER_DS];
	int ndb = bd_index_dbnames(L->ds, names);
	MDB_dbi dbi[BD_MAX_DBS_PER_DS];
	MDB_txn *txn;
	/* a shard without entries of the dataset gets no database (readers
	 * take a missing one as empty) and no commit, unless a killed ingest
	 * left one of this generation there */
	if (bd_sorter_count(entries) == 0 && !stale_here(ix, s, L->ds))
		return BD_OK;
	int rc = mdb_txn_begin(ix->shard[s], NULL, 0, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", dir);
	/* a database of this generation may be left by an ingest killed
	 * before its commit: no reader knows it, so it is emptied */
	for (int i = 0; i < ndb && !rc; i++) {
		char name[96];
		bd_index_dbname_gen(L->ds, i, ix->next_gen, name, sizeof(name));
		rc = mdb_dbi_open(txn, name, MDB_CREATE | MDB_DUPSORT, &dbi[i]);
		if (!rc)
			rc = mdb_drop(txn, dbi[i], 0);
	}
	e = rc ? mdb_fail(rc, "清空旧数据", dir) : BD_OK;
	if (!e)
		e = load_entries(L, &txn, dbi, ndb, entries, dir);
	if (e) {
		if (txn)
			mdb_txn_abort(txn);
		return e;
	}
	rc = mdb_txn_commit(txn);
	if (!rc) /* the meta page too, before the common commit names the generation */
		rc = mdb_env_sync(ix->shard[s], 1);
	return rc ? mdb_fail(rc, "提交", dir) : BD_OK;
}

static void *load_thread(void *arg)
{
	shardload *L = arg;
	for (;;) {
		int s = atomic_fetch_add(&L->next, 1);
		if (s >= L->ix->nshards)
			break;
		pthread_mutex_lock(&L->mu);
		bool failed = L->err != BD_OK;
		pthread_mutex_unlock(&L->mu);
		if (failed)
			break;
		bd_clear_error();
		bd_err e = load_shard(L, s);
		if (e) {
			pthread_mutex_lock(&L->mu);
			if (!L->err) {
				L->err = e;
				snprintf(L->errmsg, sizeof(L->errmsg), "%s", bd_last_error());
			}
			pthread_mutex_unlock(&L->mu);
		}
	}
	return NULL;
}

bd_err bd_index_load(bd_index *ix, bd_ds ds, bd_sorter *const *entries, int threads)
{
	if (ix->mode != BD_IX_INGEST)
		return bd_fail(BD_ERR_INTERNAL, "index: load on a reader");
	shardload *L = calloc(1, sizeof(*L));
	if (!L)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	L->ix = ix;
	L->ds = ds;
	L->entries = entries;
	L->kill = kill_after();
	pthread_mutex_init(&L->mu, NULL);
	/* the space of every shard first: a full disk fails before any
	 * shard is loaded, and leaves no file grown */
	envgrow grow[BD_MAX_SHARDS];
	bd_err re = BD_OK;
	int ng = 0;
	for (; ng < ix->nshards && !re; ng++) {
		char dir[4300];
		shard_dir(ix, ng, dir, sizeof(dir));
		re = env_reserve(ix->shard[ng], dir, bd_sorter_bytes(entries[ng]), &grow[ng]);
	}
	if (re) {
		for (int s = 0; s < ng - 1; s++)
			env_unreserve(ix->shard[s], &grow[s]);
		pthread_mutex_destroy(&L->mu);
		free(L);
		return re;
	}
	int nt = threads < ix->nshards ? threads : ix->nshards;
	if (nt < 1)
		nt = 1;
	bd_run_parts(load_thread, L, 0, nt); /* threads share L's queue of shards */
	bd_err e = L->err ? bd_fail(L->err, "%s", L->errmsg) : BD_OK;
	pthread_mutex_destroy(&L->mu);
	free(L);
	if (!e)
		ix->loaded[ds] = true;
	return e;
}

/* ---- the commit ---- */

/*
 * The next row of an ingest's rejects file (u16 section | u32 row | field,
 * reason, masked, detail NUL-ended), packed as the index stores it:
 * section, file, field, reason, masked, detail, NUL-separated, into
 * val[2048] (*len bytes). *eof at the end of the file.
 */
static bd_err next_reject(FILE *f, const char *const *names, const char *const *files,
			  char val[2048], size_t *len, uint16_t *sec, uint32_t *row, bool *eof)
{
	uint8_t head[6];
	size_t got = fread(head, 1, 6, f);
	*eof = got == 0;
	if (*eof)
		return BD_OK;
	if (got != 6)
		return bd_fail(BD_ERR_IO, "读取临时文件失败 (rejects)");
	*sec = (uint16_t)(head[0] | head[1] << 8);
	*row = (uint32_t)head[2] | (uint32_t)head[3] << 8 | (uint32_t)head[4] << 16 | (uint32_t)head[5] << 24;
	size_t a = strlen(names[*sec]) + 1, b = strlen(files[*sec]) + 1;
	if (a + b > 1024)
		return bd_fail(BD_ERR_LIMIT, "文件名过长");
	memcpy(val, names[*sec], a);
	memcpy(val + a, files[*sec], b);
	size_t at = a + b;
	for (int k = 0; k < 4; k++) {
		int ch;
		while ((ch = getc(f)) != EOF && ch != 0)
			if (at < 2047 - (size_t)(3 - k))
				val[at++] = (char)ch;
		if (ch == EOF)
			return bd_fail(BD_ERR_IO, "读取临时文件失败 (rejects)");
		val[at++] = '\0';
	}
	*len = at;
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
		uint16_t sec;
		uint32_t row;
		size_t at;
		bool eof;
		bd_err e = next_reject(rejects, names, files, val, &at, &sec, &row, &eof);
		if (e || eof)
			return e;
		uint8_t key[7] = { first, (uint8_t)(sec >> 8), (uint8_t)sec, (uint8_t)(row >> 24),
				   (uint8_t)(row >> 16), (uint8_t)(row >> 8), (uint8_t)row };
		MDB_val kk = { 7, key }, vv = { at, val };
		rc = mdb_put(txn, ix->rejected, &kk, &vv, 0);
		if (rc)
			return mdb_fail(rc, "写入拒收记录", ix->dir);
	}
}

bd_err bd_index_reserve(bd_index *ix, uint64_t bytes)
{
	envgrow g;
	return env_reserve(ix->env, ix->dir, bytes, &g);
}

bool bd_index_full_ids(const bd_index *ix)
{
	return ix->full_ids;
}

bool bd_index_all_loaded_now(const bd_index *ix)
{
	for (int ds = 0; ds < BD_DS_MAX; ds++)
		if (ix->gen[ds] && ix->gen[ds] == ix->gen_at_open[ds])
			return false;
	return true;
}

bd_err bd_index_commit(bd_index *ix, const bd_staged *staged, size_t n, bool full_ids)
{
	if (ix->mode != BD_IX_INGEST)
		return bd_fail(BD_ERR_INTERNAL, "index: commit on a reader");
	if (!n)
		return BD_OK;
	/* rejected rows take about twice their temporary size in pages */
	uint64_t need = 0;
	for (size_t i = 0; i < n; i++) {
		long sz = -1;
		if (staged[i].rejects && fseek(staged[i].rejects, 0, SEEK_END) == 0)
			sz = ftell(staged[i].rejects);
		need += (uint64_t)(sz > 0 ? sz : 0) + strlen(staged[i].snapshot_json);
	}
	bd_err e = bd_index_reserve(ix, need);
	if (e)
		return e;
	MDB_txn *txn;
	int rc = bd_index_txn_begin(ix, 0, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	char gen[32];
	snprintf(gen, sizeof(gen), "%" PRIu64, ix->next_gen);
	for (size_t i = 0; i < n && !e; i++) {
		const bd_staged *st = &staged[i];
		if (!ix->loaded[st->ds]) {
			e = bd_fail(BD_ERR_INTERNAL, "index: commit of %s, never loaded", bd_schemas[st->ds].name);
			break;
		}
		e = load_rejects(ix, txn, st->ds, st->rejects, st->section_names, st->section_files);
		char k[64];
		snprintf(k, sizeof(k), "snapshot:%s", bd_schemas[st->ds].name);
		if (!e && (rc = meta_put(txn, ix->meta, k, st->snapshot_json)))
			e = mdb_fail(rc, "写入快照", ix->dir);
		snprintf(k, sizeof(k), "gen:%s", bd_schemas[st->ds].name);
		if (!e && (rc = meta_put(txn, ix->meta, k, gen)))
			e = mdb_fail(rc, "写入快照", ix->dir);
	}
	if (!e && (rc = meta_put(txn, ix->meta, "generation", gen)))
		e = mdb_fail(rc, "写入快照", ix->dir);
	if (!e && full_ids && (rc = meta_put(txn, ix->meta, "full_ids", "yes")))
		e = mdb_fail(rc, "写入快照", ix->dir);
	const char *ka = getenv("BD_TEST_KILL_AT");
	if (!e && ka && !strcmp(ka, "commit"))
		raise(SIGKILL);
	if (e) {
		mdb_txn_abort(txn);
		return e;
	}
	rc = mdb_txn_commit(txn);
	if (rc)
		return mdb_fail(rc, "提交", ix->dir);
	/* what this handle sees from now on */
	for (size_t i = 0; i < n; i++) {
		bd_ds ds = staged[i].ds;
		ix->gen[ds] = ix->next_gen;
		ix->loaded[ds] = false;
		free(ix->snap[ds]);
		ix->snap[ds] = strdup(staged[i].snapshot_json);
	}
	ix->next_gen++;
	ix->full_ids = ix->full_ids || full_ids;
	gc(ix);
	return BD_OK;
}

/* Copies env (folder dir) with its live pages only into dir/.compact/. */
static bd_err compact_copy(MDB_env *env, const char *dir)
{
	char tmp[4300], f[4400];
	snprintf(tmp, sizeof(tmp), "%s/.compact", dir);
	snprintf(f, sizeof(f), "%s/data.mdb", tmp);
	unlink(f);
	rmdir(tmp);
	if (mkdir(tmp, 0700) != 0)
		return bd_fail(BD_ERR_IO, "索引 %s: 无法创建 %s: %s", dir, tmp, strerror(errno));
	int rc = mdb_env_copy2(env, tmp, MDB_CP_COMPACT);
	return rc ? mdb_fail(rc, "整理（去除旧数据）", dir) : BD_OK;
}

/* Puts dir/.compact/data.mdb in place of dir/data.mdb; the lock file
 * goes with the old data (the next open makes a new one). */
static bd_err compact_swap(const char *dir)
{
	char tmp[4300], from[4400], to[4400], lock[4400];
	snprintf(tmp, sizeof(tmp), "%s/.compact", dir);
	snprintf(from, sizeof(from), "%s/data.mdb", tmp);
	snprintf(to, sizeof(to), "%s/data.mdb", dir);
	snprintf(lock, sizeof(lock), "%s/lock.mdb", dir);
	if (rename(from, to) != 0)
		return bd_fail(BD_ERR_IO, "索引 %s: 无法替换 data.mdb: %s", dir, strerror(errno));
	unlink(lock);
	rmdir(tmp);
	return BD_OK;
}

bd_err bd_index_compact(bd_index *ix)
{
	if (ix->mode != BD_IX_INGEST)
		return bd_fail(BD_ERR_INTERNAL, "index: compact on a reader");
	/* the history holds no full ID by now (bd_history_remask); the flag
	 * goes before the copies, which then carry it */
	MDB_txn *txn;
	int rc = bd_index_txn_begin(ix, 0, &txn);
	if (!rc) {
		MDB_val k = { 8, (void *)"full_ids" };
		rc = mdb_del(txn, ix->meta, &k, NULL);
		rc = rc && rc != MDB_NOTFOUND ? (mdb_txn_abort(txn), rc) : mdb_txn_commit(txn);
	}
	if (rc)
		return mdb_fail(rc, "写入", ix->dir);
	ix->full_ids = false;
	/* no reader may have an environment open while its file is swapped:
	 * wait for them, and keep new ones out until it is done */
	int fd = -1;
	bool got = false;
	bd_err e = take_lock(ix->dir, "gc.lock", LOCK_EX, &fd, &got);
	char d[4300];
	for (int s = 0; !e && s < ix->nshards; s++) {
		shard_dir(ix, s, d, sizeof(d));
		if (ix->shard[s])
			e = compact_copy(ix->shard[s], d);
	}
	if (!e)
		e = compact_copy(ix->env, ix->dir);
	for (int s = 0; s < ix->nshards; s++)
		if (ix->shard[s]) {
			mdb_env_close(ix->shard[s]);
			ix->shard[s] = NULL;
			shard_dir(ix, s, d, sizeof(d));
			if (!e)
				e = compact_swap(d);
		}
	mdb_env_close(ix->env);
	ix->env = NULL;
	if (!e)
		e = compact_swap(ix->dir);
	if (fd >= 0)
		close(fd);
	return e;
}

/* ---- derived facts ---- */

bd_err bd_index_cache_get(bd_index *ix, const char *name, const char *stamp, void **data,
			  size_t *n)
{
	*data = NULL;
	*n = 0;
	if (getenv("BD_NO_CACHE")) /* benchmarks: the cold path */
		return BD_OK;
	MDB_txn *txn;
	int rc = bd_index_txn_begin(ix, MDB_RDONLY, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	MDB_dbi dbi;
	MDB_val k = { strlen(name), (void *)name }, v;
	size_t sl = strlen(stamp) + 1;
	bd_err e = BD_OK;
	if (!mdb_dbi_open(txn, "cache", 0, &dbi) && !mdb_get(txn, dbi, &k, &v) && v.mv_size >= sl &&
	    !memcmp(v.mv_data, stamp, sl)) {
		*n = v.mv_size - sl;
		*data = malloc(*n ? *n : 1);
		if (*data)
			memcpy(*data, (const char *)v.mv_data + sl, *n);
		else
			e = bd_fail(BD_ERR_NOMEM, "out of memory");
	}
	mdb_txn_abort(txn);
	return e;
}

bd_err bd_index_cache_put(bd_index *ix, const char *name, const char *stamp, const void *data,
			  size_t n)
{
	if (ix->mode == BD_IX_READ)
		return BD_OK;
	size_t sl = strlen(stamp) + 1;
	bd_err e = bd_index_reserve(ix, n + sl + 4096);
	if (e)
		return e;
	MDB_txn *txn;
	int rc = bd_index_txn_begin(ix, 0, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	MDB_dbi dbi;
	MDB_val k = { strlen(name), (void *)name }, v = { n + sl, NULL };
	rc = mdb_dbi_open(txn, "cache", MDB_CREATE, &dbi);
	if (!rc)
		rc = mdb_put(txn, dbi, &k, &v, MDB_RESERVE);
	if (!rc) {
		memcpy(v.mv_data, stamp, sl);
		if (n)
			memcpy((char *)v.mv_data + sl, data, n);
		rc = mdb_txn_commit(txn);
	} else {
		mdb_txn_abort(txn);
	}
	return rc ? mdb_fail(rc, "写入", ix->dir) : BD_OK;
}

/* ---- reading ---- */

bd_err bd_index_snapshot(bd_index *ix, bd_ds ds, char **json)
{
	*json = NULL;
	if (!ix->snap[ds])
		return BD_OK;
	*json = strdup(ix->snap[ds]);
	return *json ? BD_OK : bd_fail(BD_ERR_NOMEM, "out of memory");
}

bd_err bd_index_count(bd_index *ix, bd_ds ds, int i, uint64_t *n)
{
	*n = 0;
	if (!ix->gen[ds])
		return BD_OK;
	char name[96];
	bd_index_dbname_gen(ds, i, ix->gen[ds], name, sizeof(name));
	for (int s = 0; s < ix->nshards; s++) {
		if (!ix->shard[s])
			continue;
		MDB_txn *txn;
		int rc = mdb_txn_begin(ix->shard[s], NULL, MDB_RDONLY, &txn);
		if (rc)
			return mdb_fail(rc, "开始事务", ix->dir);
		MDB_dbi dbi;
		MDB_stat st;
		rc = mdb_dbi_open(txn, name, 0, &dbi);
		if (!rc)
			rc = mdb_stat(txn, dbi, &st);
		mdb_txn_abort(txn);
		if (rc == MDB_NOTFOUND)
			continue;
		if (rc)
			return mdb_fail(rc, "统计", ix->dir);
		*n += st.ms_entries;
	}
	return BD_OK;
}

/* One line of rejected.csv from a row as the index stores it (section,
 * file, field, reason, masked, detail, NUL-separated). */
static bool put_rejected(FILE *out, const char *val, size_t len, uint32_t row)
{
	const char *p = val, *end = val + len, *f[6];
	for (int i = 0; i < 6; i++) {
		f[i] = p < end ? p : "";
		p += p < end ? strlen(p) + 1 : 0;
	}
	char rowbuf[16];
	snprintf(rowbuf, sizeof(rowbuf), "%u", row);
	return bd_csv_puts(out, f[1], ',') && bd_csv_puts(out, rowbuf, ',') && bd_csv_puts(out, f[2], ',') &&
	       bd_csv_puts(out, f[3], ',') && bd_csv_puts(out, f[4], ',') && bd_csv_puts(out, f[0], ',') &&
	       bd_csv_puts(out, f[5], '\n');
}

/* The rejected rows of a staged dataset, from its temporary file (file
 * order: sections in order, rows ascending, as the index keys them). */
static bd_err put_staged(FILE *out, const bd_staged *st)
{
	if (!st->rejects)
		return BD_OK;
	if (fseek(st->rejects, 0, SEEK_SET) != 0)
		return bd_fail(BD_ERR_IO, "临时文件: %s", strerror(errno));
	char val[2048];
	for (;;) {
		uint16_t sec;
		uint32_t row;
		size_t len;
		bool eof;
		bd_err e = next_reject(st->rejects, st->section_names, st->section_files, val, &len, &sec, &row,
				       &eof);
		if (e || eof)
			return e;
		if (!put_rejected(out, val, len, row))
			return bd_fail(BD_ERR_IO, "写 rejected.csv 失败: %s", strerror(errno));
	}
}

bd_err bd_index_write_rejected(bd_index *ix, FILE *out, const bd_staged *staged, size_t n)
{
	MDB_txn *txn;
	int rc = bd_index_txn_begin(ix, MDB_RDONLY, &txn);
	if (rc)
		return mdb_fail(rc, "开始事务", ix->dir);
	MDB_cursor *cur;
	rc = mdb_cursor_open(txn, ix->rejected, &cur);
	if (rc) {
		mdb_txn_abort(txn);
		return mdb_fail(rc, "打开游标", ix->dir);
	}
	bd_err e = BD_OK;
	if (fputs("\xef\xbb\xbf" "file,row,field,reason,masked_value,dataset,detail\n", out) < 0)
		e = bd_fail(BD_ERR_IO, "写 rejected.csv 失败: %s", strerror(errno));
	/* dataset by dataset, in key order: a staged one from its file */
	for (int ds = 0; ds < BD_DS_MAX && !e; ds++) {
		const bd_staged *st = NULL;
		for (size_t i = 0; i < n; i++)
			if (staged[i].ds == (bd_ds)ds)
				st = &staged[i];
		if (st) {
			e = put_staged(out, st);
			continue;
		}
		uint8_t first = (uint8_t)ds;
		MDB_val k = { 1, &first }, v;
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		     !e && !rc && ((const uint8_t *)k.mv_data)[0] == first;
		     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			const uint8_t *kb = k.mv_data;
			uint32_t row = (uint32_t)kb[3] << 24 | (uint32_t)kb[4] << 16 | (uint32_t)kb[5] << 8 | kb[6];
			if (!put_rejected(out, v.mv_data, v.mv_size, row))
				e = bd_fail(BD_ERR_IO, "写 rejected.csv 失败: %s", strerror(errno));
		}
		if (!e && rc && rc != MDB_NOTFOUND)
			e = mdb_fail(rc, "读取", ix->dir);
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return e;
}
