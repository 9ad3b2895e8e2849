/* buf.c - bounded growable buffer (see buf.h for ownership). */
#include "bd/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t buf_max(const bd_buf *b)
{
	return b->max ? b->max : BD_BUF_DEFAULT_MAX;
}

bd_err bd_buf_grow(bd_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (extra > buf_max(b) || need > buf_max(b) + 1)
		return bd_fail(BD_ERR_LIMIT, "缓冲区超过上限 %zu 字节 (buffer limit)",
			       buf_max(b));
	if (need <= b->cap)
		return BD_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return bd_fail(BD_ERR_NOMEM, "内存不足 (out of memory, %zu bytes)", cap);
	b->data = p;
	b->cap = cap;
	return BD_OK;
}

bd_err bd_buf_add(bd_buf *b, const void *p, size_t n)
{
	bd_err e = bd_buf_grow(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return BD_OK;
}

bd_err bd_buf_addstr(bd_buf *b, const char *s)
{
	return bd_buf_add(b, s, strlen(s));
}

bd_err bd_buf_addch(bd_buf *b, char c)
{
	return bd_buf_add(b, &c, 1);
}

bd_err bd_buf_addf(bd_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return bd_fail(BD_ERR_INTERNAL, "formatting failed");
	if ((size_t)n < sizeof(small))
		return bd_buf_add(b, small, (size_t)n);
	bd_err e = bd_buf_grow(b, (size_t)n);
	if (e)
		return e;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return BD_OK;
}

void bd_buf_reset(bd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void bd_buf_release(bd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *bd_buf_detach(bd_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p) {
		p = calloc(1, 1);
		if (len)
			*len = 0;
		return p;
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
