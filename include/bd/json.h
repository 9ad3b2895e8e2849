/*
 * json.h - small helpers over jansson shared by the writers of JSON
 * (manifest.json, the ingest record stored in the index).
 */
#ifndef BD_JSON_H
#define BD_JSON_H

#include "bd/common.h"

#include <jansson.h>

/* s as a new JSON string (NULL: ""); a byte that is not UTF-8 (a path in
 * a legacy encoding) becomes "?". NULL when out of memory. The caller owns
 * the reference. */
json_t *bd_json_text(const char *s);
/* A copy of s[0..n) with each byte that is not UTF-8 made "?"; NULL when
 * out of memory. The caller frees it. */
char *bd_json_utf8_copy(const char *s, size_t n);
/* Sets o[key] = v, taking v's reference; false when v is NULL or out of
 * memory. */
bool bd_json_put(json_t *o, const char *key, json_t *v);

#endif
