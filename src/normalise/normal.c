/* normal.c - dates, months, money, yes/no, sex, names, headers. */
#include "bd/normal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small UTF-8 helpers ---- */

static size_t u8next(const char *s, size_t n, size_t i, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c = u[i];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0 && i + 1 < n) {
		*cp = (c & 0x1f) << 6 | (u[i + 1] & 0x3f);
		return 2;
	}
	if ((c & 0xf0) == 0xe0 && i + 2 < n) {
		*cp = (c & 0x0f) << 12 | (unsigned)(u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f);
		return 3;
	}
	if ((c & 0xf8) == 0xf0 && i + 3 < n) {
		*cp = (c & 0x07) << 18 | (unsigned)(u[i + 1] & 0x3f) << 12 |
		      (unsigned)(u[i + 2] & 0x3f) << 6 | (u[i + 3] & 0x3f);
		return 4;
	}
	*cp = 0xfffd;
	return 1;
}

static size_t u8put(char *out, size_t at, size_t cap, unsigned cp)
{
	char b[4];
	size_t l;
	if (cp < 0x80) {
		b[0] = (char)cp;
		l = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		l = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		l = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		l = 4;
	}
	if (at + l >= cap)
		return at;
	memcpy(out + at, b, l);
	return at + l;
}

static bool is_space_cp(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xa0;
}

const char *bd_trim(const char *s, size_t n, size_t *len)
{
	size_t a = 0, b = n;
	while (a < b) {
		unsigned cp;
		size_t l = u8next(s, b, a, &cp);
		if (!is_space_cp(cp))
			break;
		a += l;
	}
	while (b > a) {
		size_t k = b - 1;
		while (k > a && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		unsigned cp;
		u8next(s, b, k, &cp);
		if (!is_space_cp(cp))
			break;
		b = k;
	}
	*len = b - a;
	return s + a;
}

#define FOLD_CUT ((size_t)-1)

/* ASCII view of a cell: full-width forms folded, blanks trimmed; other
 * characters kept as UTF-8. Returns the length, or FOLD_CUT when the cell
 * does not fit: a cut value could parse as something it is not. */
static size_t fold(const char *s, size_t n, char *out, size_t cap)
{
	size_t len;
	s = bd_trim(s, n, &len);
	size_t at = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += u8next(s, len, i, &cp);
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xfee0;
		else if (cp == 0x3000)
			cp = ' ';
		size_t next = u8put(out, at, cap, cp);
		if (next == at) {
			out[at] = '\0';
			return FOLD_CUT;
		}
		at = next;
	}
	out[at] = '\0';
	return at;
}

bool bd_date_valid(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1800 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int32_t bd_days_from_ymd(int32_t ymd)
{
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int32_t bd_ymd_from_days(int32_t z)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	return y * 10000 + m * 100 + d;
}

int bd_age_at(int32_t birth, int32_t as_of)
{
	if (!birth || !as_of || as_of < birth)
		return -1;
	int by = birth / 10000, bm = birth / 100 % 100, bd = birth % 100;
	int ay = as_of / 10000, am = as_of / 100 % 100, ad = as_of % 100;
	int age = ay - by;
	/* 29 Feb birthdays complete on 1 March in non-leap years: comparing
	 * (month, day) pairs does exactly that. */
	if (am < bm || (am == bm && ad < bd))
		age--;
	return age;
}

/* Reads up to maxd digits at s[*i]; returns the count read. */
static int digits(const char *s, size_t n, size_t *i, int maxd, int *v)
{
	int k = 0;
	*v = 0;
	while (*i < n && k < maxd && s[*i] >= '0' && s[*i] <= '9') {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k;
}

static bool skip_str(const char *s, size_t n, size_t *i, const char *lit)
{
	size_t l = strlen(lit);
	if (*i + l <= n && !memcmp(s + *i, lit, l)) {
		*i += l;
		return true;
	}
	return false;
}

/* Separator between date parts: - / . 年 月 */
static bool skip_sep(const char *s, size_t n, size_t *i)
{
	if (*i < n && (s[*i] == '-' || s[*i] == '/' || s[*i] == '.')) {
		(*i)++;
		return true;
	}
	return skip_str(s, n, i, "年") || skip_str(s, n, i, "月");
}

/* What may follow a date: nothing, 日, or a time part. */
static bool date_tail_ok(const char *s, size_t n, size_t i)
{
	skip_str(s, n, &i, "日");
	skip_str(s, n, &i, "号");
	if (i == n)
		return true;
	return s[i] == ' ' || s[i] == 'T';
}

static bd_parse excel_serial(const char *s, size_t n, int32_t *ymd)
{
	/* 1..2958465 with an optional fraction */
	size_t i = 0;
	int v;
	int k = digits(s, n, &i, 7, &v);
	if (k == 0 || k > 7)
		return BD_PARSE_INVALID;
	if (i < n && s[i] == '.') {
		/* the fraction is the time of day: ignored */
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	/* 60 is Excel's 1900-02-29, a day that never was: invalid rather than
	 * guessed */
	if (i != n || v < 1 || v > 2958465 || v == 60)
		return BD_PARSE_INVALID;
	/* serial 1 = 1900-01-01; serials after 60 are one day late (Excel
	 * counts the missing 1900-02-29) */
	int32_t days = bd_days_from_ymd(18991231) + v - (v > 60 ? 1 : 0);
	int32_t d = bd_ymd_from_days(days);
	if (d / 10000 > 2200)
		return BD_PARSE_INVALID;
	*ymd = d;
	return BD_PARSE_OK;
}

bd_parse bd_date_parse(const char *s, size_t n, int32_t *ymd)
{
	char b[96];
	size_t len = fold(s, n, b, sizeof(b));
	*ymd = 0;
	if (len == FOLD_CUT)
		return BD_PARSE_INVALID;
	if (!len)
		return BD_PARSE_EMPTY;
	if (!strcmp(b, "长期") || !strcmp(b, "长期有效") || !strcmp(b, "永久") ||
	    !strcmp(b, "永久有效"))
		return BD_PARSE_NONE;
	size_t i = 0;
	int y, m, d;
	int k = digits(b, len, &i, 8, &y);
	size_t t = i;
	int hms;
	/* yyyymmddHHMMSS, as police systems stamp records */
	bool stamp = k == 8 && digits(b, len, &t, 6, &hms) == 6 && t == len &&
		     hms / 10000 < 24 && hms / 100 % 100 < 60 && hms % 100 < 60;
	if (k == 8 && (stamp || i == len || date_tail_ok(b, len, i))) {
		m = y / 100 % 100;
		d = y % 100;
		y /= 10000;
	} else if (k == 4 && skip_sep(b, len, &i)) {
		if (!digits(b, len, &i, 2, &m) || !skip_sep(b, len, &i) || !digits(b, len, &i, 2, &d) ||
		    !date_tail_ok(b, len, i))
			return BD_PARSE_INVALID;
	} else if (k >= 1 && k <= 7 && i == len) {
		return excel_serial(b, len, ymd);
	} else if (k >= 1 && k <= 7 && i < len && b[i] == '.') {
		bd_parse p = excel_serial(b, len, ymd);
		if (p == BD_PARSE_OK)
			return p;
		return BD_PARSE_INVALID;
	} else {
		return BD_PARSE_INVALID;
	}
	if (!bd_date_valid(y, m, d) || y < 1800 || y > 2200)
		return BD_PARSE_INVALID;
	*ymd = y * 10000 + m * 100 + d;
	return BD_PARSE_OK;
}

bd_parse bd_month_parse(const char *s, size_t n, int32_t *ym)
{
	char b[96];
	size_t len = fold(s, n, b, sizeof(b));
	*ym = 0;
	if (len == FOLD_CUT)
		return BD_PARSE_INVALID;
	if (!len)
		return BD_PARSE_EMPTY;
	size_t i = 0;
	int y, m;
	int k = digits(b, len, &i, 8, &y);
	if (k == 6 && i == len) {
		m = y % 100;
		y /= 100;
	} else if (k == 8) {
		int32_t ymd;
		if (bd_date_parse(s, n, &ymd) != BD_PARSE_OK)
			return BD_PARSE_INVALID;
		*ym = ymd / 100;
		return BD_PARSE_OK;
	} else if (k == 4 && skip_sep(b, len, &i)) {
		if (!digits(b, len, &i, 2, &m))
			return BD_PARSE_INVALID;
		size_t j = i;
		skip_str(b, len, &j, "月");
		if (j != len) {
			int32_t ymd;
			if (bd_date_parse(s, n, &ymd) != BD_PARSE_OK)
				return BD_PARSE_INVALID;
			*ym = ymd / 100;
			return BD_PARSE_OK;
		}
	} else {
		return BD_PARSE_INVALID;
	}
	if (m < 1 || m > 12 || y < 1800 || y > 2200)
		return BD_PARSE_INVALID;
	*ym = y * 100 + m;
	return BD_PARSE_OK;
}

bd_parse bd_money_parse(const char *s, size_t n, int64_t *cents)
{
	char b[96];
	size_t len = fold(s, n, b, sizeof(b));
	*cents = 0;
	if (len == FOLD_CUT)
		return BD_PARSE_INVALID;
	if (!len)
		return BD_PARSE_EMPTY;
	size_t i = 0;
	bool neg = false;
	if (b[i] == '-') {
		neg = true;
		i++;
	}
	/* "¥ 1,234.50": a blank may follow the currency sign */
	if (skip_str(b, len, &i, "¥") || skip_str(b, len, &i, "￥"))
		while (i < len && b[i] == ' ')
			i++;
	if (i < len && b[i] == '-' && !neg) {
		neg = true;
		i++;
	}
	int64_t whole = 0;
	int nd = 0;
	while (i < len && ((b[i] >= '0' && b[i] <= '9') || b[i] == ',')) {
		if (b[i] != ',') {
			if (whole > 100000000000000LL)
				return BD_PARSE_INVALID;
			whole = whole * 10 + (b[i] - '0');
			nd++;
		}
		i++;
	}
	int64_t frac = 0;
	int fd = 0;
	bool round_up = false;
	if (i < len && b[i] == '.') {
		i++;
		while (i < len && b[i] >= '0' && b[i] <= '9') {
			if (fd < 2)
				frac = frac * 10 + (b[i] - '0');
			else if (fd == 2)
				round_up = b[i] >= '5';
			fd++;
			i++;
		}
	}
	if (fd == 1)
		frac *= 10;
	size_t unit = i;
	while (unit < len && b[unit] == ' ')
		unit++;
	if (skip_str(b, len, &unit, "元")) /* "1234.50 元" */
		i = unit;
	if (i != len || (nd == 0 && fd == 0))
		return BD_PARSE_INVALID;
	int64_t v = whole * 100 + frac + (round_up ? 1 : 0);
	*cents = neg ? -v : v;
	return BD_PARSE_OK;
}

bd_parse bd_yesno_parse(const char *s, size_t n, bool *yes)
{
	char b[64];
	size_t len = fold(s, n, b, sizeof(b));
	*yes = false;
	if (len == FOLD_CUT)
		return BD_PARSE_INVALID;
	if (!len)
		return BD_PARSE_EMPTY;
	static const char *const y[] = { "是", "y", "Y", "yes", "YES", "Yes", "1", "true", "TRUE",
					 "√", "已备案", "有" };
	static const char *const no[] = { "否", "n", "N", "no", "NO", "No", "0", "false", "FALSE",
					  "×", "未备案", "无" };
	for (size_t i = 0; i < BD_ARRAY_LEN(y); i++)
		if (!strcmp(b, y[i])) {
			*yes = true;
			return BD_PARSE_OK;
		}
	for (size_t i = 0; i < BD_ARRAY_LEN(no); i++)
		if (!strcmp(b, no[i]))
			return BD_PARSE_OK;
	return BD_PARSE_INVALID;
}

bd_parse bd_sex_parse(const char *s, size_t n, uint8_t *sex)
{
	char b[64];
	size_t len = fold(s, n, b, sizeof(b));
	if (len == FOLD_CUT)
		return BD_PARSE_INVALID;
	if (!len)
		return BD_PARSE_EMPTY;
	if (!strcmp(b, "男") || !strcmp(b, "1") || !strcasecmp(b, "M") || !strcmp(b, "男性")) {
		*sex = 1;
		return BD_PARSE_OK;
	}
	if (!strcmp(b, "女") || !strcmp(b, "2") || !strcasecmp(b, "F") || !strcmp(b, "女性")) {
		*sex = 2;
		return BD_PARSE_OK;
	}
	return BD_PARSE_INVALID;
}

static bool is_dot_cp(unsigned cp)
{
	return cp == 0x2022 || cp == 0x30fb || cp == 0x2027 || cp == 0x2219 || cp == 0xff65 ||
	       cp == 0x00b7;
}

size_t bd_name_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	size_t at = 0;
	if (!outsz)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += u8next(s, n, i, &cp);
		if (is_space_cp(cp))
			continue;
		if (cp >= 0xff01 && cp <= 0xff5e && cp != 0xff65)
			cp -= 0xfee0;
		if (is_dot_cp(cp))
			cp = 0x00b7;
		size_t next = u8put(out, at, outsz, cp);
		if (next == at)
			break; /* full: never skip a character and keep later ones */
		at = next;
	}
	out[at] = '\0';
	return at;
}

size_t bd_header_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	size_t at = 0;
	if (!outsz)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += u8next(s, n, i, &cp);
		if (is_space_cp(cp))
			continue;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xfee0;
		if (cp >= 'A' && cp <= 'Z')
			cp += 32;
		size_t next = u8put(out, at, outsz, cp);
		if (next == at)
			break;
		at = next;
	}
	out[at] = '\0';
	/* trailing '*' (required marker) and a unit "(元)" */
	for (;;) {
		if (at && out[at - 1] == '*') {
			out[--at] = '\0';
			continue;
		}
		static const char unit[] = "(元)";
		size_t ul = sizeof(unit) - 1;
		if (at > ul && !memcmp(out + at - ul, unit, ul)) {
			at -= ul;
			out[at] = '\0';
			continue;
		}
		break;
	}
	return at;
}
