/* key.c - key files and precomputed HMAC-SHA256. */
/* The low-level SHA256_* API is deprecated in OpenSSL 3 but is the only way
 * to keep a precomputed HMAC state without per-message allocation. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "bd/key.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void bd_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool bd_unhex(const char *hex, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static void key_fingerprint(bd_key *k)
{
	uint8_t d[SHA256_DIGEST_LENGTH];
	SHA256(k->k, sizeof(k->k), d);
	bd_hex(d, 8, k->fingerprint);
}

bd_err bd_key_generate(const char *path)
{
	uint8_t raw[32];
	char hex[66];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return bd_fail(BD_ERR_KEY, "无法生成随机密钥 (RAND_bytes failed)");
	bd_hex(raw, sizeof(raw), hex);
	hex[64] = '\n';
	hex[65] = '\0';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return bd_fail(BD_ERR_KEY, "无法创建密钥文件 %s: %s%s", path,
			       strerror(errno),
			       errno == EEXIST ? "（文件已存在，不会覆盖 — file exists, not overwritten）" : "");
	bd_err e = BD_OK;
	if (fchmod(fd, 0600) != 0 || write(fd, hex, 65) != 65)
		e = bd_fail(BD_ERR_IO, "写入密钥文件 %s 失败: %s", path, strerror(errno));
	if (close(fd) != 0 && !e)
		e = bd_fail(BD_ERR_IO, "写入密钥文件 %s 失败: %s", path, strerror(errno));
	memset(raw, 0, sizeof(raw));
	memset(hex, 0, sizeof(hex));
	if (e)
		unlink(path);
	return e;
}

bd_err bd_key_load(const char *path, bd_key *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bd_fail(BD_ERR_KEY, "无法打开密钥文件 %s: %s（用 bidui keygen 生成）",
			       path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return bd_fail(BD_ERR_KEY, "无法读取密钥文件 %s: %s", path, strerror(errno));
	}
	if (st.st_mode & 077) {
		close(fd);
		return bd_fail(BD_ERR_KEY,
			       "密钥文件 %s 的权限 %03o 过宽：同组或其他用户可读写，拒绝使用。"
			       "请执行 chmod 600 %s (key file readable by group/others)",
			       path, (unsigned)(st.st_mode & 0777), path);
	}
	char buf[130];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return bd_fail(BD_ERR_KEY, "无法读取密钥文件 %s: %s", path, strerror(errno));
	size_t len = (size_t)n;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
		       buf[len - 1] == ' '))
		len--;
	if (len != 64 || !bd_unhex(buf, 32, out->k)) {
		memset(buf, 0, sizeof(buf));
		return bd_fail(BD_ERR_KEY,
			       "密钥文件 %s 格式错误：应为 64 个十六进制字符 (expected 64 hex chars)",
			       path);
	}
	memset(buf, 0, sizeof(buf));
	key_fingerprint(out);
	return BD_OK;
}

void bd_hmac_init(bd_hasher *h, const bd_key *k)
{
	uint8_t pad[SHA256_CBLOCK];
	memset(pad, 0x36, sizeof(pad));
	for (size_t i = 0; i < sizeof(k->k); i++)
		pad[i] ^= k->k[i];
	SHA256_Init(&h->inner);
	SHA256_Update(&h->inner, pad, sizeof(pad));
	memset(pad, 0x5c, sizeof(pad));
	for (size_t i = 0; i < sizeof(k->k); i++)
		pad[i] ^= k->k[i];
	SHA256_Init(&h->outer);
	SHA256_Update(&h->outer, pad, sizeof(pad));
	memset(pad, 0, sizeof(pad));
}

static void hmac_finish(const bd_hasher *h, SHA256_CTX *inner, uint8_t out[BD_HID_LEN])
{
	uint8_t d[SHA256_DIGEST_LENGTH];
	SHA256_Final(d, inner);
	SHA256_CTX o = h->outer;
	SHA256_Update(&o, d, sizeof(d));
	SHA256_Final(out, &o);
}

void bd_hmac(const bd_hasher *h, const void *msg, size_t n, uint8_t out[BD_HID_LEN])
{
	SHA256_CTX c = h->inner;
	SHA256_Update(&c, msg, n);
	hmac_finish(h, &c, out);
}

void bd_hmac_parts(const bd_hasher *h, const char *const *parts,
		   const size_t *lens, size_t nparts, uint8_t out[BD_HID_LEN])
{
	static const uint8_t sep = 0x1f;
	SHA256_CTX c = h->inner;
	for (size_t i = 0; i < nparts; i++) {
		SHA256_Update(&c, parts[i], lens[i]);
		SHA256_Update(&c, &sep, 1);
	}
	hmac_finish(h, &c, out);
}

bd_err bd_file_sha256(const char *path, char out[65])
{
	bd_err e = bd_input_check(path);
	if (e)
		return e;
	FILE *f = fopen(path, "rb");
	if (!f)
		return bd_fail(BD_ERR_IO, "无法打开 %s: %s", path, strerror(errno));
	SHA256_CTX c;
	SHA256_Init(&c);
	static _Thread_local unsigned char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		SHA256_Update(&c, buf, n);
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad)
		return bd_fail(BD_ERR_IO, "读取 %s 失败", path);
	uint8_t d[SHA256_DIGEST_LENGTH];
	SHA256_Final(d, &c);
	bd_hex(d, sizeof(d), out);
	return BD_OK;
}
