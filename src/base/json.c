/* json.c - helpers over jansson (json.h). */
#include "bd/json.h"
#include "bd/csv.h"

#include <stdlib.h>
#include <string.h>

char *bd_json_utf8_copy(const char *s, size_t n)
{
	char *c = malloc(n + 1);
	if (!c)
		return NULL;
	memcpy(c, s, n);
	c[n] = '\0';
	size_t at = 0, bad;
	while (at < n && !bd_utf8_valid((const unsigned char *)c + at, n - at, false, &bad)) {
		c[at + bad] = '?';
		at += bad + 1;
	}
	return c;
}

json_t *bd_json_text(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (!j && s) {
		char *c = bd_json_utf8_copy(s, strlen(s));
		j = c ? json_string(c) : NULL;
		free(c);
	}
	return j;
}

bool bd_json_put(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) == 0;
}
