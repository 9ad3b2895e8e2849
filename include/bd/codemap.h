/*
 * codemap.h - an open-addressing map from a region code (a township's 9
 * digits, a village's 12) to a record of the caller's, for counting or
 * naming places: a county has hundreds of them, a province a few hundred
 * thousand.
 */
#ifndef BD_CODEMAP_H
#define BD_CODEMAP_H

#include "bd/common.h"

/* Records of `size` bytes, each beginning with its code as a NUL-ended
 * char[13] (an empty code: a free slot); `slots` holds `cap` of them
 * (a power of two, or 0), `n` in use. Owned by the map (bd_codemap_release);
 * a caller may reorder the slots once it has stopped adding. */
typedef struct bd_codemap {
	void *slots;
	size_t size, n, cap;
} bd_codemap;

/* An empty map of records of `size` bytes (at least 13). */
void bd_codemap_init(bd_codemap *m, size_t size);
/* The record of code[0..len) (len 1..12), added zeroed but for its code
 * when new; NULL when out of memory. Valid until the next get. */
void *bd_codemap_get(bd_codemap *m, const char *code, size_t len);
/* Slot i (i < m->cap), NULL when free. */
void *bd_codemap_slot(const bd_codemap *m, size_t i);
void bd_codemap_release(bd_codemap *m);

#endif
