/*
 * ingest.h - the ingest step: every configured input file of the chosen
 * datasets is read (all forms of DATA.md), each row accepted into the
 * index or rejected with its reason, and each dataset's snapshot replaced
 * atomically in the LMDB index. Then rejected.csv is rewritten in the
 * run's out folder from the index.
 */
#ifndef BD_INGEST_H
#define BD_INGEST_H

#include "bd/config.h"

typedef struct bd_ingest_opts {
	const char *const *only;  /* dataset names to ingest; NULL = all */
	size_t nonly;
	bool progress;            /* progress lines on stderr */
	size_t sort_budget;       /* bytes; 0 = a quarter of the RAM, 256 MiB-8 GiB */
} bd_ingest_opts;

/* Runs the ingest for cfg. Errors name the file, row and field. */
bd_err bd_ingest(const bd_config *cfg, const bd_ingest_opts *opts);

#endif
