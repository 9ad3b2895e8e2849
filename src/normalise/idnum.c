/* idnum.c - GB 11643 identity numbers and GB 32100 credit codes. */
#include "bd/idnum.h"
#include "bd/normal.h"

#include <string.h>

static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };

char bd_id_check_char(const char first17[17])
{
	static const char map[] = "10X98765432";
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (first17[i] - '0') * id_weights[i];
	return map[s % 11];
}

/* Decodes one UTF-8 character at s[i]; returns its length (>=1). */
static size_t utf8_next(const unsigned char *s, size_t n, size_t i, unsigned *cp)
{
	unsigned c = s[i];
	if (c < 0x80 || i + 1 >= n) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		*cp = (c & 0x1f) << 6 | (s[i + 1] & 0x3f);
		return 2;
	}
	if ((c & 0xf0) == 0xe0 && i + 2 < n) {
		*cp = (c & 0x0f) << 12 | (unsigned)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
		return 3;
	}
	if ((c & 0xf8) == 0xf0 && i + 3 < n) {
		*cp = (c & 0x07) << 18 | (unsigned)(s[i + 1] & 0x3f) << 12 |
		      (unsigned)(s[i + 2] & 0x3f) << 6 | (s[i + 3] & 0x3f);
		return 4;
	}
	*cp = c;
	return 1;
}

static bool is_hex_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Scientific notation as Excel shows a big number: 4.10102E+17. */
static bool is_sci(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (!digits)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i >= n || (s[i] != 'E' && s[i] != 'e'))
		return false;
	i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	size_t exp = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, exp++;
	return exp > 0 && i == n;
}

static int32_t parse8(const char *s)
{
	int32_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bd_id_status bd_id_normalise(const char *s, size_t n, int32_t as_of, bd_id *out)
{
	memset(out, 0, sizeof(*out));
	/* normalise into buf: strip blanks, full-width to ASCII, drop a leading ' */
	char buf[80];
	size_t len = 0;
	const unsigned char *u = (const unsigned char *)s;
	/* the common case, 17 digits and a digit or X, is already normal */
	size_t plain = 0;
	while (n == 18 && plain < 17 && u[plain] >= '0' && u[plain] <= '9')
		plain++;
	if (plain == 17 && ((u[17] >= '0' && u[17] <= '9') || u[17] == 'X' || u[17] == 'x')) {
		memcpy(buf, s, 17);
		buf[17] = u[17] == 'x' ? 'X' : (char)u[17];
		len = 18;
		n = 0; /* nothing left for the general loop */
	}
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += utf8_next(u, n, i, &cp);
		if (cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xa0 || cp == '\r' || cp == '\n')
			continue;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xfee0;
		if (len == 0 && (cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == '`'))
			continue;
		if (cp == 'x')
			cp = 'X';
		if (len < sizeof(buf) - 1)
			buf[len++] = cp < 0x80 ? (char)cp : '?';
	}
	buf[len] = '\0';
	size_t keep = len < 18 ? len : 18;
	memcpy(out->id, buf, keep);
	out->id[keep] = '\0';
	if (len == 0)
		return BD_ID_EMPTY;
	if (len == 64 && is_hex_lower(buf, 64)) {
		memcpy(out->hex, buf, 64);
		out->hex[64] = '\0';
		return BD_ID_HASHED;
	}
	if (is_sci(buf, len))
		return BD_ID_EXCEL_SCI;
	char id[19];
	if (len == 15) {
		for (size_t i = 0; i < 15; i++)
			if (buf[i] < '0' || buf[i] > '9')
				return BD_ID_BAD_CHAR;
		memcpy(id, buf, 6);
		id[6] = '1';
		id[7] = '9';
		memcpy(id + 8, buf + 6, 9);
		id[17] = bd_id_check_char(id);
		out->upgraded15 = true;
	} else if (len == 18) {
		for (size_t i = 0; i < 17; i++)
			if (buf[i] < '0' || buf[i] > '9')
				return BD_ID_BAD_CHAR;
		if (!((buf[17] >= '0' && buf[17] <= '9') || buf[17] == 'X'))
			return BD_ID_BAD_CHAR;
		memcpy(id, buf, 18);
	} else {
		return BD_ID_BAD_LENGTH;
	}
	id[18] = '\0';
	memcpy(out->id, id, 19);
	int32_t birth = parse8(id + 6);
	if (!bd_date_valid(birth / 10000, birth / 100 % 100, birth % 100) || birth < 18000101)
		return BD_ID_BAD_DATE;
	if (as_of && birth > as_of)
		return BD_ID_FUTURE_DATE;
	if (bd_id_check_char(id) != id[17]) {
		if (!out->upgraded15 && !memcmp(id + 15, "000", 3))
			return BD_ID_EXCEL_15;
		return BD_ID_BAD_CHECK;
	}
	out->birth = birth;
	out->sex = (uint8_t)((id[16] - '0') % 2 ? 1 : 2);
	return BD_ID_OK;
}

bool bd_id_is_mangled(bd_id_status st)
{
	return st == BD_ID_EXCEL_15 || st == BD_ID_EXCEL_SCI;
}

const char *bd_id_reason(bd_id_status st)
{
	switch (st) {
	case BD_ID_OK:
	case BD_ID_HASHED:
		return NULL;
	case BD_ID_EMPTY:
		return "required_empty";
	case BD_ID_EXCEL_15:
	case BD_ID_EXCEL_SCI:
		return "excel_mangled";
	case BD_ID_BAD_LENGTH:
	case BD_ID_BAD_CHAR:
	case BD_ID_BAD_DATE:
	case BD_ID_FUTURE_DATE:
	case BD_ID_BAD_CHECK:
		return "id_invalid";
	}
	return "id_invalid";
}

const char *bd_id_detail(bd_id_status st)
{
	switch (st) {
	case BD_ID_OK: return "有效";
	case BD_ID_HASHED: return "已哈希";
	case BD_ID_EMPTY: return "身份证号为空";
	case BD_ID_BAD_LENGTH: return "身份证号长度不是 15 或 18 位";
	case BD_ID_BAD_CHAR: return "身份证号含非数字字符";
	case BD_ID_BAD_DATE: return "身份证号中的出生日期不存在";
	case BD_ID_FUTURE_DATE: return "身份证号中的出生日期晚于基准日";
	case BD_ID_BAD_CHECK: return "身份证号校验位错误";
	case BD_ID_EXCEL_15: return "Excel 数字化损坏：只保留了 15 位有效数字，末三位为 000";
	case BD_ID_EXCEL_SCI: return "Excel 数字化损坏：科学计数法";
	}
	return "身份证号无效";
}

char *bd_id_mask(const char *s, size_t n, char *out, size_t outsz)
{
	if (!outsz)
		return out;
	/* mask by characters, not bytes */
	size_t chars = 0, i;
	const unsigned char *u = (const unsigned char *)s;
	for (i = 0; i < n; i++)
		chars += (u[i] & 0xc0) != 0x80;
	if (chars == n && n > 10 && n + 6 <= outsz) { /* ASCII, the common case */
		memcpy(out, s, 6);
		memset(out + 6, '*', n - 10);
		memcpy(out + n - 4, s + n - 4, 4);
		out[n] = '\0';
		return out;
	}
	size_t at = 0, c = 0;
	for (i = 0; i < n && at + 5 < outsz;) {
		size_t l = 1;
		while (i + l < n && (u[i + l] & 0xc0) == 0x80)
			l++;
		bool keep = chars > 10 && (c < 6 || c >= chars - 4);
		if (keep) {
			memcpy(out + at, s + i, l);
			at += l;
		} else {
			out[at++] = '*';
		}
		i += l;
		c++;
	}
	out[at] = '\0';
	return out;
}

bool bd_uscc_valid(const char *s, size_t n)
{
	static const char chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	if (n != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 18; i++) {
		const char *p = s[i] ? strchr(chars, s[i]) : NULL;
		if (!p)
			return false;
		if (i < 17)
			sum += (int)(p - chars) * w[i];
		else {
			int check = (31 - sum % 31) % 31;
			return (int)(p - chars) == check;
		}
	}
	return false;
}

void bd_id_remask(char *s, size_t cap)
{
	size_t n = strlen(s);
	if (n != 15 && n != 18)
		return;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && !(i == n - 1 && (s[i] == 'X' || s[i] == 'x')))
			return;
	char tmp[24];
	memcpy(tmp, s, n);
	bd_id_mask(tmp, n, s, cap);
}
