/*
 * flagfile.h - flags.csv (OUTPUT.md): its columns, written by match in
 * review order (rule, township, village, household, subject), read back
 * by report. The one place its columns are named.
 */
#ifndef BD_FLAGFILE_H
#define BD_FLAGFILE_H

#include "bd/match.h"

/* The columns of flags.csv, in file order. */
enum bd_fcol {
	BD_FC_ID, BD_FC_RULE, BD_FC_FAMILY, BD_FC_SEV, BD_FC_STATUS, BD_FC_TOWN, BD_FC_VILLAGE, BD_FC_HH,
	BD_FC_SUBJ, BD_FC_NAME, BD_FC_IDMASK, BD_FC_PROG, BD_FC_MONTHLY, BD_FC_OVERPAID, BD_FC_EVIDENCE,
	BD_FC_SRC, BD_FC_ROW, BD_FC_FIRST, BD_FC_MAX
};
/* Their names, as the header row spells them ("flag_id", "rule", ...). */
extern const char *const bd_flag_cols[BD_FC_MAX];

/* Writes the flags s[0..n) to path as flags.csv, in review order (s is
 * sorted so); IDs re-masked unless cfg->show_full_id. A failed file is
 * removed. */
bd_err bd_flagfile_write(const bd_config *cfg, bd_runflag *s, size_t n, const char *path);

/* A row of flags.csv as read back: f[k] is column k (f[0] owns the
 * row's one allocation). */
typedef struct bd_flagline {
	char *f[BD_FC_MAX];
	const bd_matcher *m;   /* the rule's table entry, NULL if unknown */
	size_t rank;           /* its place in the table: sheet order */
} bd_flagline;

/* Zero-initialise; bd_flagfile_free. */
typedef struct bd_flagfile {
	bd_flagline *v;
	size_t n, cap;
} bd_flagfile;

/* Appends the rows of the flags.csv at path to fs (columns found by
 * name; every one must be there). Free fs also after an error. */
bd_err bd_flagfile_load(const char *path, bd_flagfile *fs);
void bd_flagfile_free(bd_flagfile *fs);

#endif
