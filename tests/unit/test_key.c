/* test_key.c - key files and the precomputed HMAC state. */
#include "testutil.h"
#include "bd/key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void tmpname(char *buf, size_t n)
{
	snprintf(buf, n, "/tmp/bd_test_key_%d_%u", (int)getpid(), (unsigned)rand());
}

static void test_keygen_mode_and_load(void **state)
{
	(void)state;
	char path[128];
	tmpname(path, sizeof(path));
	assert_int_equal(bd_key_generate(path), BD_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	bd_key k;
	assert_int_equal(bd_key_load(path, &k), BD_OK);
	assert_int_equal(strlen(k.fingerprint), 16);
	/* never overwrites */
	assert_int_equal(bd_key_generate(path), BD_ERR_KEY);
	/* refuses a key others can read */
	chmod(path, 0644);
	assert_int_equal(bd_key_load(path, &k), BD_ERR_KEY);
	assert_non_null(strstr(bd_last_error(), "chmod 600"));
	chmod(path, 0640);
	assert_int_equal(bd_key_load(path, &k), BD_ERR_KEY);
	unlink(path);
}

static void test_key_malformed(void **state)
{
	(void)state;
	char path[128];
	tmpname(path, sizeof(path));
	FILE *f = fopen(path, "w");
	fputs("24cedfaed6b2896fa4110193b5344d2a24ffe285dae014048ca6db4ce39e98f\n", f); /* 63 */
	fclose(f);
	chmod(path, 0600);
	bd_key k;
	assert_int_equal(bd_key_load(path, &k), BD_ERR_KEY);
	unlink(path);
}

/* The precomputed state gives exactly OpenSSL's one-shot HMAC. */
static void test_hmac_matches_openssl(void **state)
{
	(void)state;
	bd_key k;
	for (int i = 0; i < 32; i++)
		k.k[i] = (uint8_t)(i * 37 + 11);
	bd_hasher h;
	bd_hmac_init(&h, &k);
	const char *msgs[] = { "", "410102199003072017", "x", "a longer message that spans "
			       "more than one sha-256 block of sixty-four bytes, certainly" };
	for (size_t i = 0; i < BD_ARRAY_LEN(msgs); i++) {
		uint8_t a[32], b[32];
		unsigned blen = 0;
		bd_hmac(&h, msgs[i], strlen(msgs[i]), a);
		HMAC(EVP_sha256(), k.k, 32, (const unsigned char *)msgs[i], strlen(msgs[i]), b, &blen);
		assert_int_equal(blen, 32);
		assert_memory_equal(a, b, 32);
	}
}

/* A known value: the sample district's key and the hid of one of its IDs
 * as the health department computed it (shared/data/samples). */
static void test_hmac_sample_vector(void **state)
{
	(void)state;
	bd_key k;
	assert_true(bd_unhex("24cedfaed6b2896fa4110193b5344d2a24ffe285dae014048ca6db4ce39e98f0", 32, k.k));
	bd_hasher h;
	bd_hmac_init(&h, &k);
	uint8_t hid[32];
	char hex[65];
	bd_hmac(&h, "410502194805157430", 18, hid);
	bd_hex(hid, 32, hex);
	assert_string_equal(hex, "7111743feae6f21e7fa9bdf43f01437c93207f0bc4b7bd0aa5c280dd8fc9d275");
}

static void test_parts_are_separated(void **state)
{
	(void)state;
	bd_key k = { { 1 }, "" };
	bd_hasher h;
	bd_hmac_init(&h, &k);
	uint8_t a[32], b[32];
	const char *p1[] = { "ab", "c" }, *p2[] = { "a", "bc" };
	const size_t l1[] = { 2, 1 }, l2[] = { 1, 2 };
	bd_hmac_parts(&h, p1, l1, 2, a);
	bd_hmac_parts(&h, p2, l2, 2, b);
	assert_memory_not_equal(a, b, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keygen_mode_and_load),
		cmocka_unit_test(test_key_malformed),
		cmocka_unit_test(test_hmac_matches_openssl),
		cmocka_unit_test(test_hmac_sample_vector),
		cmocka_unit_test(test_parts_are_separated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
