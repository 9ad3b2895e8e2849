/* cmd_basic.c - keygen, ingest, stats, match, report, run, review. */
#include "bd/cmd.h"
#include "bd/config.h"
#include "bd/history.h"
#include "bd/index.h"
#include "bd/ingest.h"
#include "bd/key.h"
#include "bd/match.h"
#include "bd/report.h"
#include "bd/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

int bd_cmd_keygen(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		bd_cmd_usage("keygen", stderr);
		return 2;
	}
	bd_err e = bd_key_generate(argv[1]);
	if (e)
		return bd_cmd_error(e);
	bd_key k;
	if ((e = bd_key_load(argv[1], &k)))
		return bd_cmd_error(e);
	printf("已生成密钥 %s（指纹 %s）。请妥善保管：丢失后旧索引无法再用，泄露后须更换。\n",
	       argv[1], k.fingerprint);
	memset(&k, 0, sizeof(k));
	return bd_cmd_finish_stdout(0);
}

/* Parses --config FILE and up to max --dataset NAME options. */
static int parse_config_args(int argc, char **argv, const char *cmd, const char **config,
			     const char **datasets, size_t *ndatasets, size_t max)
{
	*config = NULL;
	if (ndatasets)
		*ndatasets = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			*config = argv[++i];
		} else if (!strncmp(argv[i], "--config=", 9)) {
			*config = argv[i] + 9;
		} else if (ndatasets && !strcmp(argv[i], "--dataset") && i + 1 < argc &&
			   *ndatasets < max) {
			datasets[(*ndatasets)++] = argv[++i];
		} else {
			fprintf(stderr, "bidui %s: 无法识别的参数 %s\n", cmd, argv[i]);
			bd_cmd_usage(cmd, stderr);
			return 2;
		}
	}
	if (!*config) {
		fprintf(stderr, "bidui %s: 缺少 --config RUN.ini\n", cmd);
		bd_cmd_usage(cmd, stderr);
		return 2;
	}
	return 0;
}

/* --config RUN.ini as the only option, loaded: 0 with *cfg set (caller
 * frees with bd_config_free), else the exit status. */
static int load_config_only(int argc, char **argv, const char *cmd, bd_config **cfg)
{
	const char *config;
	int rc = parse_config_args(argc, argv, cmd, &config, NULL, NULL, 0);
	if (rc)
		return rc;
	bd_err e = bd_config_load(config, cfg);
	return e ? bd_cmd_error(e) : 0;
}

int bd_cmd_ingest(int argc, char **argv)
{
	const char *config, *only[16];
	size_t nonly;
	int rc = parse_config_args(argc, argv, "ingest", &config, only, &nonly, 16);
	if (rc)
		return rc;
	bd_config *cfg;
	bd_err e = bd_config_load(config, &cfg);
	if (e)
		return bd_cmd_error(e);
	if (cfg->show_full_id)
		fprintf(stderr, "注意：show_full_id = yes，索引 %s 和输出 %s 中将保存完整身份证号，请按涉密数据保管"
				"（show full IDs: the index and outputs hold raw ID numbers）\n",
			cfg->index, cfg->out);
	bd_ingest_opts opts = { only, nonly, bd_progress_wanted(), 0 };
	const char *budget = getenv("BD_SORT_MB");
	if (budget)
		opts.sort_budget = (size_t)strtoul(budget, NULL, 10) << 20;
	e = bd_ingest(cfg, &opts);
	if (e) {
		bd_config_free(cfg);
		return bd_cmd_error(e);
	}
	printf("导入完成。索引: %s；拒收明细: %s/rejected.csv\n", cfg->index, cfg->out);
	bd_config_free(cfg);
	return bd_cmd_finish_stdout(0);
}

/* A snapshot's string member, "" when absent or not a string. */
static const char *snap_str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* A snapshot's count, 0 when absent or not an integer. */
static unsigned long long snap_num(const json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));
	return v > 0 ? (unsigned long long)v : 0;
}

/* Prints the counts of rows.<key> (reason code -> rows) in the snapshot's
 * own order, as "code":n separated by commas; nothing when there are none. */
static void print_counts(json_t *rows, const char *key)
{
	const char *code;
	json_t *n;
	const char *sep = "";
	json_object_foreach(json_object_get(rows, key), code, n) {
		printf("%s\"%s\":%lld", sep, code, (long long)json_integer_value(n));
		sep = ",";
	}
}

int bd_cmd_stats(int argc, char **argv)
{
	bd_config *cfg;
	int rc = load_config_only(argc, argv, "stats", &cfg);
	if (rc)
		return rc;
	bd_err e;
	bd_key key;
	bd_index *ix = NULL;
	if (!(e = bd_key_load(cfg->key, &key)))
		e = bd_index_open(cfg->index, &key, BD_IX_READ, 0, &ix);
	if (e) {
		bd_config_free(cfg);
		return bd_cmd_error(e);
	}
	printf("索引 %s（密钥指纹 %s，%d 个分片）\n", cfg->index, key.fingerprint, bd_index_shards(ix));
	for (int ds = 0; ds < BD_DS_MAX && !e; ds++) {
		char *js = NULL;
		if ((e = bd_index_snapshot(ix, (bd_ds)ds, &js)))
			break;
		const char *name = bd_schemas[ds].name;
		if (!js) {
			printf("\n%-13s 未导入\n", name);
			continue;
		}
		const char *dbs[BD_MAX_DBS_PER_DS];
		int ndb = bd_index_dbnames((bd_ds)ds, dbs);
		uint64_t n = 0;
		bd_index_count(ix, (bd_ds)ds, 0, &n);
		json_error_t jerr;
		json_t *snap = json_loads(js, 0, &jerr);
		free(js);
		if (!json_is_object(snap)) {
			json_decref(snap);
			e = bd_fail(BD_ERR_INDEX, "%s: snapshot of %s unreadable: %s", cfg->index, name,
				    jerr.text);
			break;
		}
		const char *at = json_string_value(json_object_get(snap, "ingested_at"));
		printf("\n%-13s 记录 %llu 条，导入于 %.19s，期次 %s\n", name, (unsigned long long)n,
		       at ? at : "?", snap_str(snap, "period"));
		for (int i = 1; i < ndb; i++) {
			bd_index_count(ix, (bd_ds)ds, i, &n);
			printf("  %-20s %llu 条\n", dbs[i], (unsigned long long)n);
		}
		size_t fi;
		json_t *f;
		json_array_foreach(json_object_get(snap, "files"), fi, f) {
			printf("  [%s] %s\n", snap_str(f, "section"), snap_str(f, "path"));
			json_t *rows = json_object_get(f, "rows");
			if (!rows)
				continue;
			printf("    表头第 %llu 行；读入 %llu，接收 %llu，拒收 %llu", snap_num(f, "header_row"),
			       snap_num(rows, "read"), snap_num(rows, "accepted"), snap_num(rows, "rejected_total"));
			printf("\n    拒收: ");
			print_counts(rows, "rejected");
			printf("\n    跳过: ");
			print_counts(rows, "skipped");
			printf("\n    提示: ");
			print_counts(rows, "warnings");
			printf("\n");
		}
		json_decref(snap);
	}
	bd_history_info hi;
	if (!e && !(e = bd_history_info_get(ix, &hi))) {
		printf("\n比对历史：%s%s%s\n", hi.runs[0] ? "" : "尚未比对", hi.id[0] ? "索引标识 " : "", hi.id);
		if (hi.runs[0])
			printf("  已比对的期次 %s；记住的提示 %zu 条，已读回核查结论 %zu 条"
			       "（属实 %zu，不属实 %zu，已整改 %zu，其他 %zu）\n",
			       hi.runs, hi.flags, hi.reviewed, hi.by_outcome[BD_OUT_TRUE], hi.by_outcome[BD_OUT_FALSE],
			       hi.by_outcome[BD_OUT_FIXED], hi.by_outcome[BD_OUT_OTHER]);
	}
	bd_index_close(ix);
	bd_config_free(cfg);
	if (e)
		return bd_cmd_error(e);
	return bd_cmd_finish_stdout(0);
}

int bd_cmd_match(int argc, char **argv)
{
	bd_config *cfg;
	int rc = load_config_only(argc, argv, "match", &cfg);
	if (rc)
		return rc;
	bd_err e = bd_match(cfg, stdout);
	if (!e)
		printf("比对完成：%s/flags.csv\n", cfg->out);
	bd_config_free(cfg);
	return e ? bd_cmd_error(e) : bd_cmd_finish_stdout(0);
}
int bd_cmd_report(int argc, char **argv)
{
	bd_config *cfg;
	int rc = load_config_only(argc, argv, "report", &cfg);
	if (rc)
		return rc;
	printf("乡镇核查表:\n");
	bd_err e = bd_report(cfg, stdout);
	bd_config_free(cfg);
	return e ? bd_cmd_error(e) : bd_cmd_finish_stdout(0);
}
int bd_cmd_review(int argc, char **argv)
{
	const char *config = NULL, **files = calloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0;
	if (!files)
		return bd_cmd_error(bd_fail(BD_ERR_NOMEM, "out of memory"));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			config = argv[i] + 9;
		else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "bidui review: 无法识别的参数 %s\n", argv[i]);
			config = NULL;
			nfiles = 0;
			break;
		} else
			files[nfiles++] = argv[i];
	}
	if (!config || !nfiles) {
		free(files);
		fprintf(stderr, "bidui review: 需要 --config RUN.ini 和至少一个填好的核查表\n");
		bd_cmd_usage("review", stderr);
		return 2;
	}
	bd_config *cfg;
	bd_err e = bd_config_load(config, &cfg);
	if (e) {
		free(files);
		return bd_cmd_error(e);
	}
	bd_review_stats st;
	e = bd_review(cfg, files, nfiles, &st, stderr);
	free(files);
	if (e) {
		bd_config_free(cfg);
		return bd_cmd_error(e);
	}
	printf("读回 %zu 个核查表、%zu 行：记录核查结论 %zu 行（其中与上次读回相同 %zu 行），未填写 %zu 行，"
	       "有问题 %zu 处，提醒 %zu 处。明细：%s/review.csv\n",
	       st.files, st.rows, st.recorded, st.unchanged, st.blank, st.problems, st.warnings, cfg->out);
	if (st.problems)
		fprintf(stderr, "bidui review: %zu 处有问题（见上，文件、页、行都已写明），这些没有记录；%s"
				"改正后可以重新读回，已记录的行会被覆盖为最新结果。\n",
			st.problems, st.recorded ? "其余各行已记录。" : "没有记录任何核查结论。");
	bd_config_free(cfg);
	return bd_cmd_finish_stdout(st.problems ? 1 : 0);
}

int bd_cmd_run(int argc, char **argv)
{
	int rc = bd_cmd_ingest(argc, argv);
	if (!rc)
		rc = bd_cmd_match(argc, argv);
	if (!rc)
		rc = bd_cmd_report(argc, argv);
	return rc;
}
