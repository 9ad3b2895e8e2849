/* csvout.h - writing CSV fields (RFC 4180 quoting) to a stdio stream. */
#ifndef BD_CSVOUT_H
#define BD_CSVOUT_H

#include "bd/common.h"
#include <stdio.h>

/* Writes s[0..n) quoted when it holds a comma, quote, CR or LF; then sep
 * (',' or '\n'; '\0' writes none). Returns false on a write error. */
bool bd_csv_put(FILE *f, const char *s, size_t n, char sep);
/* Same for a NUL-terminated string. */
bool bd_csv_puts(FILE *f, const char *s, char sep);

#endif
