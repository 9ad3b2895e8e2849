/*
 * numfmt.h - numeric cells as Excel shows them: integral values to 15
 * significant digits (4.10502195809029e17 -> "410502195809029000"), other
 * values with up to 15 significant digits ("1234.5"), date-formatted
 * cells as "YYYY-MM-DD" (time dropped), times as HH:MM:SS; what kind of
 * value a number format code or built-in format id shows. Used by the
 * XLSX and XLS readers.
 */
#ifndef BD_NUMFMT_H
#define BD_NUMFMT_H

#include "bd/common.h"

/*
 * Renders a numeric cell value as Excel displays it (see above) into out
 * (at most outsz bytes incl. NUL); is_date renders the serial as
 * YYYY-MM-DD (1900 system). Returns the length.
 */
size_t bd_number_render(double v, bool is_date, char *out, size_t outsz);

/* What a cell's number format makes of its value. */
typedef enum bd_numfmt {
	BD_NF_NUMBER = 0,  /* a number */
	BD_NF_DATE,        /* a date (or date-time): YYYY-MM-DD */
	BD_NF_TIME,        /* a time of day (h:mm, h:mm:ss AM/PM, mm:ss): HH:MM:SS */
	BD_NF_DURATION     /* elapsed time ([h]:mm:ss): total hours, H:MM:SS */
} bd_numfmt;

/* What a number format code shows: a date when it has y, d, or m without
 * h/s, outside quotes, brackets and escapes; a duration with [h], [m] or
 * [s]; a time with h or s; else a number. */
bd_numfmt bd_numfmt_of(const char *code);
/* The same for built-in format id (XLSX numFmtId, BIFF ifmt). */
bd_numfmt bd_numfmt_builtin(uint32_t id);

/* bd_number_render for a value whose format is of kind k: a time renders
 * the fraction of the day (to the second), a duration the whole value in
 * hours; negative times and durations render as numbers. */
size_t bd_number_render_fmt(double v, bd_numfmt k, char *out, size_t outsz);

#endif
