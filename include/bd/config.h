/*
 * config.h - RUN.ini, parsed with libinih. Unknown sections and keys, a
 * key given twice in a section, and a value that does not fit its key's
 * type are errors naming the file, line, section, key and value: a typo
 * must not silently change a run.
 */
#ifndef BD_CONFIG_H
#define BD_CONFIG_H

#include "bd/common.h"

/*
 * The type of a RUN.ini value: every [run] and [dataset] key and every
 * rule parameter (bd_param in match.h) has one. min and max bound the
 * number for the numeric types and the number of items for the lists.
 */
typedef enum bd_vtype {
	BD_VT_TEXT = 0,   /* any text, may be empty */
	BD_VT_LABEL,      /* 1-40 bytes, no '/' '\\' or control characters */
	BD_VT_PATH,       /* a file or folder path, not empty */
	BD_VT_PATHS,      /* min..max comma-separated paths */
	BD_VT_INT,        /* decimal integer in [min, max] */
	BD_VT_NUMBER,     /* decimal number (3, 2.5) in [min, max] */
	BD_VT_MONEY,      /* yuan, at most two decimals, in [min, max] */
	BD_VT_DATE,       /* 2026-12-31, yyyymmdd in [min, max] */
	BD_VT_MONTH,      /* 2026-12, yyyymm in [min, max] */
	BD_VT_YESNO,      /* yes / no (是 / 否) */
	BD_VT_REGION,     /* region-code prefix: 2-12 digits */
	BD_VT_ENCODING,   /* auto, utf-8, gbk, gb18030 */
	BD_VT_PROG,       /* one programme: its code or its name */
	BD_VT_PROGCODE,   /* one programme code (DIBAO) */
	BD_VT_PROGS,      /* min..max comma-separated programme codes */
	BD_VT_PAIRS,      /* min..max comma-separated code pairs A+B */
	BD_VT_DISSET,     /* disability set: 1-2, 5:3 (not empty) */
	BD_VT_CUSTODY,    /* custody type: 服刑, 强制隔离戒毒, ... */
	BD_VT_TEXTS       /* min..max comma-separated texts */
} bd_vtype;

/*
 * Whether v fits type t bounded by [min, max]. BD_OK, or BD_ERR_CONFIG
 * with a message saying what is expected ("应为整数，范围 0 至 120 (expected
 * ...)"); the caller prefixes the file, section, key and value.
 */
bd_err bd_value_check(bd_vtype t, double min, double max, const char *v);

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
