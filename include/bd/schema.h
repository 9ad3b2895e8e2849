/*
 * schema.h - the canonical fields of each dataset with their default
 * Chinese header aliases (DATA.md), and the mapping of a file's header
 * row onto them (aliases, RUN.ini alias.FIELD and column.FIELD).
 */
#ifndef BD_SCHEMA_H
#define BD_SCHEMA_H

#include "bd/buf.h"
#include "bd/config.h"
#include "bd/sheet.h"

typedef enum bd_ds {
	BD_DS_PERSON = 0, BD_DS_VEHICLE, BD_DS_CUSTODY, BD_DS_CERT, BD_DS_DEATH,
	BD_DS_ILLNESS, BD_DS_CREMATION, BD_DS_CADRE, BD_DS_ROLL, BD_DS_MAX
} bd_ds; /* same order as bd_dataset_names */

#define BD_MAX_FIELDS 20
#define BD_CSV_COLS_MAX 512

typedef struct bd_field {
	const char *name;     /* canonical name, e.g. "household_id" */
	const char *aliases;  /* default header aliases separated by '|' */
} bd_field;

typedef struct bd_schema {
	const char *name;     /* "mz.roll" */
	const bd_field *fields;
	int nfields;
} bd_schema;

extern const bd_schema bd_schemas[BD_DS_MAX];

/* Field index by canonical name, or -1. */
int bd_schema_field(const bd_schema *s, const char *name);

/* Field slots; these follow the order of each schema's table in schema.c. */
enum { BD_F_P_ID, BD_F_P_NAME, BD_F_P_SEX, BD_F_P_BIRTH, BD_F_P_HUKOU, BD_F_P_RELATION,
       BD_F_P_REGION, BD_F_P_STATUS, BD_F_P_STATUS_DATE, BD_F_P_DEATH_DATE,
       BD_F_P_MOVE_DATE, BD_F_P_FATHER, BD_F_P_MOTHER, BD_F_P_SPOUSE, BD_F_P_IDMASK };
enum { BD_F_V_OWNER, BD_F_V_KIND, BD_F_V_PLATE, BD_F_V_TYPE, BD_F_V_REG_DATE,
       BD_F_V_STATUS, BD_F_V_IDMASK };
enum { BD_F_CU_ID, BD_F_CU_NAME, BD_F_CU_TYPE, BD_F_CU_START, BD_F_CU_END, BD_F_CU_IDMASK };
enum { BD_F_CE_CERTNO, BD_F_CE_ID, BD_F_CE_NAME, BD_F_CE_CATEGORY, BD_F_CE_GRADE,
       BD_F_CE_CATGRADE, BD_F_CE_ISSUE, BD_F_CE_VALID, BD_F_CE_STATUS, BD_F_CE_IDMASK };
enum { BD_F_D_ID, BD_F_D_NAME, BD_F_D_DATE, BD_F_D_CAUSE, BD_F_D_IDMASK };
enum { BD_F_I_ID, BD_F_I_NAME, BD_F_I_YEAR, BD_F_I_SETTLE, BD_F_I_MAJOR, BD_F_I_DIAG,
       BD_F_I_TOTAL, BD_F_I_BURDEN, BD_F_I_COPAY, BD_F_I_UNCOVERED, BD_F_I_IDMASK };
enum { BD_F_CR_ID, BD_F_CR_NAME, BD_F_CR_DEATH, BD_F_CR_CREMATION, BD_F_CR_IDMASK };
enum { BD_F_CA_ID, BD_F_CA_NAME, BD_F_CA_ROLE, BD_F_CA_TOWNSHIP, BD_F_CA_VILLAGE,
       BD_F_CA_IDMASK };
enum { BD_F_R_PROG, BD_F_R_HOUSEHOLD, BD_F_R_HEAD, BD_F_R_ID, BD_F_R_NAME,
       BD_F_R_RELATION, BD_F_R_TOWNSHIP, BD_F_R_VILLAGE, BD_F_R_MONTHLY,
       BD_F_R_HH_AMOUNT, BD_F_R_START, BD_F_R_FILED, BD_F_R_IDMASK };

/* Column of each field in a file (0-based), -1 when absent. */
typedef struct bd_colmap {
	int col[BD_MAX_FIELDS];
} bd_colmap;

/*
 * Maps the header row hdr onto the schema of ds, using the section's
 * alias.FIELD and column.FIELD settings. Unknown FIELD names in the
 * section are BD_ERR_CONFIG. Never fails for missing columns: see
 * bd_colmap_missing.
 */
bd_err bd_colmap_build(bd_ds ds, const bd_section *sec, const bd_row *hdr,
		       bd_colmap *m);

/*
 * Appends to out a readable list of the required fields that m lacks
 * ("身份证号码 (id)", ...), taking into account what the section sets
 * (programme, custody_type) and alternatives (household_id or head_id,
 * year or settle_date, category+grade or combined). Returns the count.
 */
int bd_colmap_missing(bd_ds ds, const bd_section *sec, const bd_colmap *m,
		      bd_buf *out);

#endif
