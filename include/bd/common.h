/*
 * common.h - project-wide error codes and error context.
 *
 * Every fallible function returns a bd_err. BD_OK is 0. Library code never
 * exits: it records a human-readable message with bd_fail() (thread-local)
 * and returns the code; only main() prints the message and exits.
 */
#ifndef BD_COMMON_H
#define BD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BD_VERSION "0.1.0"

/* Error codes. Numbers are stable; add new ones before BD_ERR_MAX. */
typedef enum bd_err {
	BD_OK = 0,            /* success */
	BD_ERR_NOMEM,         /* out of memory */
	BD_ERR_IO,            /* a file could not be opened, read or written */
	BD_ERR_USAGE,         /* bad command line */
	BD_ERR_CONFIG,        /* RUN.ini is invalid */
	BD_ERR_KEY,           /* key file missing, malformed or too open */
	BD_ERR_KEY_MISMATCH,  /* index was built under another key */
	BD_ERR_FORMAT,        /* input file structure cannot be parsed */
	BD_ERR_ENCODING,      /* input bytes invalid in the chosen encoding */
	BD_ERR_HEADER,        /* a required column was not found */
	BD_ERR_VALUE,         /* values no rule resolves (programme, status) */
	BD_ERR_INDEX,         /* LMDB failure */
	BD_ERR_LIMIT,         /* a bounded buffer would exceed its limit */
	BD_ERR_INTERNAL,      /* a bug: an invariant did not hold */
	BD_ERR_MAX            /* sentinel, not an error */
} bd_err;

/* Returns a static Chinese/English description of code; never NULL. */
const char *bd_strerror(bd_err code);

/*
 * Records a formatted message as this thread's last error and returns code,
 * so callers can write `return bd_fail(BD_ERR_IO, "...%s", path);`.
 */
bd_err bd_fail(bd_err code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepends "context: " to this thread's last message; returns code. */
bd_err bd_fail_ctx(bd_err code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* This thread's last error message ("" if none). Owned by the library. */
const char *bd_last_error(void);

/* Clears this thread's last error message. */
void bd_clear_error(void);

/* Largest prefix of s[0..n) not longer than max bytes that ends on a
 * UTF-8 character boundary (s[max] is only read when n > max). */
size_t bd_utf8_cut(const char *s, size_t n, size_t max);
/* Copies s[0..n) into out (cap >= 1 bytes, NUL included), cut with
 * bd_utf8_cut when it does not fit; returns the bytes copied. */
size_t bd_utf8_copy(char *out, size_t cap, const char *s, size_t n);

/* Whether steps show a progress line on stderr: when stderr is a
 * terminal, or BD_PROGRESS is set (CLI.md: any step over a second). */
bool bd_progress_wanted(void);

/* The local time now, ISO 8601 with its offset ("2026-12-04T21:30:00+0800"),
 * into out[n] (n >= 25). */
void bd_now_iso(char *out, size_t n);
/* Seconds on a monotonic clock. */
double bd_clock_s(void);
/* BD_TIMING=1: "[timing] <what> <seconds>" on stderr, the seconds since
 * *t (a bd_clock_s), which becomes now (bench/, docs/PERFORMANCE.md). */
void bd_timing(const char *what, double *t);

/* BD_OK when path names a regular file (following links); otherwise an
 * error naming it: missing, a directory, or a FIFO, device or socket,
 * which would block or never end. Inputs are checked before opening. */
bd_err bd_input_check(const char *path);

#define BD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Runs fn(args + i * size) for i in 0..n-1 (n <= 64), each on its own
 * thread, the first on the caller's; a part whose thread cannot start runs
 * on the caller's after the others. Returns when all are done. The parts
 * report their own errors through their arguments.
 */
void bd_run_parts(void *(*fn)(void *), void *args, size_t size, int n);

/* Parts for n items on threads threads: 1..64, and 1 below min items. */
int bd_parts_for(size_t n, int threads, size_t min);

#endif
