/* codemap.c - region code -> record (codemap.h). */
#include "bd/codemap.h"

#include <stdlib.h>
#include <string.h>

void bd_codemap_init(bd_codemap *m, size_t size)
{
	memset(m, 0, sizeof(*m));
	m->size = size < 13 ? 13 : size;
}

static char *at(const bd_codemap *m, size_t i)
{
	return (char *)m->slots + i * m->size;
}

static size_t code_hash(const char *c, size_t len)
{
	size_t h = 14695981039346656037u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)c[i]) * 1099511628211u;
	return h;
}

/* The slot of code[0..len) in slots of cap: its own or the free one where
 * it goes. */
static size_t find(const bd_codemap *m, const char *code, size_t len)
{
	size_t k = code_hash(code, len) & (m->cap - 1);
	for (;;) {
		const char *s = at(m, k);
		if (!s[0] || (!memcmp(s, code, len) && !s[len]))
			return k;
		k = (k + 1) & (m->cap - 1);
	}
}

void *bd_codemap_get(bd_codemap *m, const char *code, size_t len)
{
	if (len < 1 || len > 12)
		return NULL;
	if ((m->n + 1) * 2 > m->cap) {
		bd_codemap g = { NULL, m->size, m->n, m->cap ? m->cap * 2 : 256 };
		if (!(g.slots = calloc(g.cap, g.size)))
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			const char *s = at(m, i);
			if (s[0])
				memcpy(at(&g, find(&g, s, strlen(s))), s, m->size);
		}
		free(m->slots);
		*m = g;
	}
	char *s = at(m, find(m, code, len));
	if (!s[0]) {
		memcpy(s, code, len);
		s[len] = '\0';
		m->n++;
	}
	return s;
}

void *bd_codemap_slot(const bd_codemap *m, size_t i)
{
	char *s = at(m, i);
	return s[0] ? s : NULL;
}

void bd_codemap_release(bd_codemap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
