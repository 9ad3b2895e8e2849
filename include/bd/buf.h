/*
 * buf.h - growable byte buffer with a hard size limit (after git's strbuf
 * and curl's dynbuf).
 *
 * A bd_buf owns its storage. Initialise with BD_BUF_INIT(max) (max = 0 means
 * BD_BUF_DEFAULT_MAX), release with bd_buf_release(). bd_buf_detach() hands
 * the storage to the caller, who must free() it. data is always
 * NUL-terminated when non-NULL, so it can be used as a C string.
 */
#ifndef BD_BUF_H
#define BD_BUF_H

#include "bd/common.h"

#define BD_BUF_DEFAULT_MAX ((size_t)1 << 30)

typedef struct bd_buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* growth beyond this fails with BD_ERR_LIMIT */
} bd_buf;

#define BD_BUF_INIT(m) { NULL, 0, 0, (m) }

/* Ensures room for extra more bytes plus NUL. */
bd_err bd_buf_grow(bd_buf *b, size_t extra);
bd_err bd_buf_add(bd_buf *b, const void *p, size_t n);
bd_err bd_buf_addstr(bd_buf *b, const char *s);
bd_err bd_buf_addch(bd_buf *b, char c);
bd_err bd_buf_addf(bd_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets len to 0, keeps the storage. */
void bd_buf_reset(bd_buf *b);
/* Frees the storage; the buffer can be reused. */
void bd_buf_release(bd_buf *b);
/* Returns the storage (caller frees; never NULL) and resets the buffer. */
char *bd_buf_detach(bd_buf *b, size_t *len);

#endif
