/* record.c - packing of index records (layout in record.h). */
#include "bd/record.h"

#include <string.h>

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t i = 0;
	while (v >= 0x80) {
		p[i++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[i++] = (uint8_t)v;
	return i;
}

static bool get_varint(const uint8_t *p, size_t n, size_t *at, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*at >= n)
			return false;
		uint8_t b = p[(*at)++];
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

size_t bd_rec_pack(const bd_rec *r, uint8_t *out, size_t cap, bool *truncated)
{
	uint8_t tmp[1024];
	size_t at = 0;
	bool cut = false;
	tmp[at++] = (uint8_t)(r->section >> 8);
	tmp[at++] = (uint8_t)r->section;
	for (int s = 24; s >= 0; s -= 8)
		tmp[at++] = (uint8_t)(r->row >> s);
	tmp[at++] = r->nnum;
	tmp[at++] = r->nstr;
	tmp[at++] = r->hidmask;
	for (unsigned i = 0; i < r->nnum && i < BD_REC_MAXNUM; i++) {
		int64_t v = r->num[i];
		at += put_varint(tmp + at, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
	}
	for (unsigned i = 0; i < r->nstr && i < BD_REC_MAXSTR; i++) {
		size_t n = bd_utf8_cut(r->str[i].s, r->str[i].n, BD_REC_MAXSTRLEN);
		cut = cut || n < r->str[i].n;
		at += put_varint(tmp + at, n);
		if (n)
			memcpy(tmp + at, r->str[i].s, n);
		at += n;
	}
	for (int i = 0; i < BD_REC_MAXHID; i++)
		if (r->hidmask & (1u << i)) {
			memcpy(tmp + at, r->hid[i], 32);
			at += 32;
		}
	if (truncated)
		*truncated = cut;
	if (at > cap || at > BD_REC_MAXSIZE)
		return 0;
	memcpy(out, tmp, at);
	return at;
}

bd_err bd_rec_unpack(const uint8_t *p, size_t n, bd_rec *r)
{
	memset(r, 0, sizeof(*r));
	if (n < 9)
		return bd_fail(BD_ERR_INDEX, "索引记录损坏 (record too short)");
	r->section = (uint16_t)(p[0] << 8 | p[1]);
	r->row = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
	r->nnum = p[6];
	r->nstr = p[7];
	r->hidmask = p[8];
	if (r->nnum > BD_REC_MAXNUM || r->nstr > BD_REC_MAXSTR)
		return bd_fail(BD_ERR_INDEX, "索引记录损坏 (bad counts)");
	size_t at = 9;
	for (unsigned i = 0; i < r->nnum; i++) {
		uint64_t v;
		if (!get_varint(p, n, &at, &v))
			return bd_fail(BD_ERR_INDEX, "索引记录损坏 (number)");
		r->num[i] = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
	}
	for (unsigned i = 0; i < r->nstr; i++) {
		uint64_t len;
		if (!get_varint(p, n, &at, &len) || len > n - at)
			return bd_fail(BD_ERR_INDEX, "索引记录损坏 (string)");
		r->str[i].s = (const char *)p + at;
		r->str[i].n = (uint32_t)len;
		at += len;
	}
	for (int i = 0; i < BD_REC_MAXHID; i++)
		if (r->hidmask & (1u << i)) {
			if (n - at < 32)
				return bd_fail(BD_ERR_INDEX, "索引记录损坏 (hid)");
			memcpy(r->hid[i], p + at, 32);
			at += 32;
		}
	return BD_OK;
}

void bd_rec_setstr(bd_rec *r, int i, const char *s, size_t n)
{
	r->str[i].s = s;
	r->str[i].n = (uint32_t)n;
	if ((unsigned)i + 1 > r->nstr)
		r->nstr = (uint8_t)(i + 1);
}

void bd_rec_sethid(bd_rec *r, int i, const uint8_t hid[32])
{
	memcpy(r->hid[i], hid, 32);
	r->hidmask = (uint8_t)(r->hidmask | (1u << i));
}

bool bd_rec_hashid(const bd_rec *r, int i)
{
	return (r->hidmask >> i) & 1u;
}
