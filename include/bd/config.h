/*
 * config.h - RUN.ini, parsed with libinih. Unknown sections and keys are
 * errors naming the line: a typo must not silently change a run.
 */
#ifndef BD_CONFIG_H
#define BD_CONFIG_H

#include "bd/common.h"

#define BD_CFG_MAX_SECTIONS 64
#define BD_CFG_MAX_KV 64

typedef struct bd_kv {
	char *key;
	char *value;
	int line;
} bd_kv;

typedef struct bd_section {
	char *name;        /* "mz.roll 特困": the text after "dataset " */
	char *dataset;     /* "mz.roll" */
	char *label;       /* "特困", or NULL for a plain section */
	char *file;        /* resolved against the RUN.ini folder */
	char *encoding;    /* "auto" (default), "utf-8", "gbk", "gb18030" */
	char *sheet;       /* XLSX/XLS sheet: index or name; NULL = first */
	int header_row;    /* 1-based, 0 = find automatically */
	char *programme;   /* mz.roll: programme for every row, or NULL */
	char *custody_type;/* ga.custody: type for every row, or NULL */
	int line;          /* line of the section header in RUN.ini */
	bd_kv alias[BD_CFG_MAX_KV];    /* alias.FIELD = a, b */
	size_t nalias;
	bd_kv column[BD_CFG_MAX_KV];   /* column.FIELD = N */
	size_t ncolumn;
	bd_kv progmap[BD_CFG_MAX_KV];  /* programme.VALUE = CODE */
	size_t nprogmap;
} bd_section;

typedef struct bd_rule_cfg {
	char *rule;                    /* "C02" */
	int line;
	bd_kv kv[BD_CFG_MAX_KV];
	size_t nkv;
} bd_rule_cfg;

typedef struct bd_config {
	char *path;          /* the RUN.ini path as given */
	char *dir;           /* its folder */
	char *period;        /* "2026Q4" */
	int32_t as_of;       /* D, yyyymmdd */
	int32_t roll_month;  /* M, yyyymm */
	char *jurisdiction;  /* region-code prefix J */
	char *key;           /* resolved path */
	char *index;         /* resolved path */
	char *out;           /* resolved path */
	int threads;         /* >= 1 */
	int shards;          /* index shards when it is created: a power of
				two, 0 = one per core (rounded up) */
	bool show_full_id;
	char *divisions[4];  /* resolved paths of region-code name tables */
	size_t ndivisions;
	bd_section sections[BD_CFG_MAX_SECTIONS];
	size_t nsections;
	bd_rule_cfg rules[32];
	size_t nrules;
} bd_config;

/*
 * Parses path. On success *out is owned by the caller (bd_config_free).
 * Errors name the file and line.
 */
bd_err bd_config_load(const char *path, bd_config **out);
void bd_config_free(bd_config *c);

/* Creates dir and its missing parents (mkdir -p) with mode. */
bd_err bd_mkdirs(const char *dir, unsigned mode);

/* Resolves rel against dir unless absolute; caller frees. NULL on OOM. */
char *bd_path_join(const char *dir, const char *rel);

/* Datasets known to the engine, in processing order. */
extern const char *const bd_dataset_names[];
extern const size_t bd_dataset_count;
/* Index into bd_dataset_names, or -1. */
int bd_dataset_find(const char *name);

#endif
