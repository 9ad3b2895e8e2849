/* numfmt.c - numbers as Excel shows them, by their number format
 * (numfmt.h). */
#include "bd/numfmt.h"
#include "bd/normal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- number rendering ---------------------------------------------- */

/* Excel 1900-system serial (>= 1) -> "YYYY-MM-DD" in tmp (>= 16 bytes). */
static size_t render_date(double v, char *tmp, size_t tsz)
{
	/* Half a millisecond of slack against binary noise in date-times. */
	long s = (long)floor(v + 0.5 / 86400000.0);
	if (s == 60)
		return (size_t)snprintf(tmp, tsz, "1900-02-29");
	/* Serial 1 = 1900-01-01; Excel's fake 1900-02-29 shifts later days. */
	long days = s < 60 ? s - 1 : s - 2;
	int32_t ymd = bd_ymd_from_days((int32_t)(days - 25567));
	return (size_t)snprintf(tmp, tsz, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* v to 15 significant digits, plain decimal notation where reasonable. */
static size_t render_num(double v, char *tmp, size_t tsz)
{
	char e[48];
	if (v == 0)
		return (size_t)snprintf(tmp, tsz, "0");
	snprintf(e, sizeof(e), "%.14e", v);
	const char *p = e;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	char dig[16];
	int nd = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && nd < 15)
			dig[nd++] = *p;
	if (*p != 'e')
		return (size_t)snprintf(tmp, tsz, "%.15g", v);
	int ex = atoi(p + 1);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (ex >= 21 || ex < -20)
		return (size_t)snprintf(tmp, tsz, "%.15G", v);
	size_t o = 0;
	char buf[64];
	if (neg)
		buf[o++] = '-';
	if (ex >= 0) {
		for (int k = 0; k <= ex; k++)
			buf[o++] = k < nd ? dig[k] : '0';
		if (nd > ex + 1) {
			buf[o++] = '.';
			for (int k = ex + 1; k < nd; k++)
				buf[o++] = dig[k];
		}
	} else {
		buf[o++] = '0';
		buf[o++] = '.';
		for (int k = 0; k < -ex - 1; k++)
			buf[o++] = '0';
		for (int k = 0; k < nd; k++)
			buf[o++] = dig[k];
	}
	buf[o] = '\0';
	return (size_t)snprintf(tmp, tsz, "%s", buf);
}

size_t bd_number_render(double v, bool is_date, char *out, size_t outsz)
{
	char tmp[64];
	size_t n;
	if (!out || outsz == 0)
		return 0;
	if (!isfinite(v))
		n = (size_t)snprintf(tmp, sizeof(tmp), "#NUM!");
	else if (is_date && v >= 1 && v < 2958466.0)
		n = render_date(v, tmp, sizeof(tmp));
	else
		n = render_num(v, tmp, sizeof(tmp));
	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return n;
}

/* ---- number formats ------------------------------------------------ */

bd_numfmt bd_numfmt_of(const char *code)
{
	bool y = false, m = false, d = false, h = false, s = false, elapsed = false;
	for (const char *p = code; *p; p++) {
		char c = *p;
		if (c == '"') {
			p = strchr(p + 1, '"');
			if (!p)
				break;
		} else if (c == '[') {
			const char *e = strchr(p + 1, ']');
			if (!e)
				break;
			/* [h], [mm], [ss]: elapsed time; [Red], [$-409]: ignored */
			bool all = e > p + 1;
			for (const char *q = p + 1; q < e; q++)
				all = all && strchr("hHmMsS", *q);
			elapsed = elapsed || all;
			p = e;
		} else if (c == '\\' || c == '_' || c == '*') {
			if (!p[1])
				break;
			p++;
		} else {
			switch (tolower((unsigned char)c)) {
			case 'y': y = true; break;
			case 'd': d = true; break;
			case 'm': m = true; break;
			case 'h': h = true; break;
			case 's': s = true; break;
			default: break;
			}
		}
	}
	if (y || d)
		return BD_NF_DATE;
	if (elapsed)
		return BD_NF_DURATION;
	if (h || s)
		return BD_NF_TIME;
	return m ? BD_NF_DATE : BD_NF_NUMBER;
}

/*
 * Built-in formats: 14-17 and 22 are dates, 27-31, 36, 50-54, 57-58 the
 * CJK locales' dates; 18-21, 45 (mm:ss), 47 (mmss.0) and the CJK 32-35,
 * 55-56 are times; 46 ([h]:mm:ss) is a duration.
 */
bd_numfmt bd_numfmt_builtin(uint32_t id)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
	    (id >= 50 && id <= 54) || id == 57 || id == 58)
		return BD_NF_DATE;
	if ((id >= 18 && id <= 21) || id == 45 || id == 47 || (id >= 32 && id <= 35) ||
	    id == 55 || id == 56)
		return BD_NF_TIME;
	return id == 46 ? BD_NF_DURATION : BD_NF_NUMBER;
}

size_t bd_number_render_fmt(double v, bd_numfmt k, char *out, size_t outsz)
{
	if ((k != BD_NF_TIME && k != BD_NF_DURATION) || !isfinite(v) || v < 0 ||
	    v >= 2958466.0 || !out || outsz == 0)
		return bd_number_render(v, k == BD_NF_DATE, out, outsz);
	double secs = floor(v * 86400.0 + 0.5);
	if (k == BD_NF_TIME)
		secs = fmod(secs, 86400.0);
	long t = (long)secs;
	int n = snprintf(out, outsz, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}
