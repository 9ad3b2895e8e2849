/* csvout.c - RFC 4180 field writing. */
#include "bd/csvout.h"

#include <string.h>

bool bd_csv_put(FILE *f, const char *s, size_t n, char sep)
{
	bool quote = false;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		if (n && fwrite(s, 1, n, f) != n)
			return false;
	} else {
		if (putc('"', f) == EOF)
			return false;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '"' && putc('"', f) == EOF)
				return false;
			if (putc(s[i], f) == EOF)
				return false;
		}
		if (putc('"', f) == EOF)
			return false;
	}
	return sep == '\0' || putc(sep, f) != EOF;
}

bool bd_csv_puts(FILE *f, const char *s, char sep)
{
	return bd_csv_put(f, s, strlen(s), sep);
}
