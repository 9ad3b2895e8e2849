/* test_facts.c - the facts API over the fixture county's index, checked
 * against the generator's truth tables (read here directly, not through
 * the index): kin of every kind, deaths with their sources, residency. */
#include "testutil.h"
#include "bd/csv.h"
#include "bd/facts.h"
#include "bd/ingest.h"
#include "bd/key.h"
#include "bd/normal.h"

#include <stdio.h>
#include <unistd.h>

#define MAXP 20000

typedef struct tperson {
	char id[19], father[19], mother[19], spouse[19], hukou[32], region[16], status[16];
	bool ga_dead;          /* registry status 死亡, with or without a date */
	int32_t ga_death;
	int32_t wj_death, mz_death;
	uint8_t hid[32];
} tperson;

static tperson *P;
static size_t NP;
static bd_config *cfg;
static bd_facts *facts;
static bd_hasher H;
static char dir[256];

static int32_t iso(const char *s)
{
	int32_t d = 0;
	bd_date_parse(s, strlen(s), &d);
	return d;
}

static tperson **BYID; /* P sorted by id, for lookups */

static int byid_cmp(const void *a, const void *b)
{
	return strcmp((*(tperson *const *)a)->id, (*(tperson *const *)b)->id);
}

static tperson *find(const char *id)
{
	tperson key, *kp = &key;
	snprintf(key.id, sizeof(key.id), "%s", id);
	tperson **hit = bsearch(&kp, BYID, NP, sizeof(*BYID), byid_cmp);
	return hit ? *hit : NULL;
}

static void read_truth(const char *name, void (*fn)(char **cells, char **names, uint32_t n))
{
	char path[512];
	snprintf(path, sizeof(path), "%s/truth/%s", dir, name);
	bd_csv *c;
	assert_int_equal(bd_csv_open(path, "utf-8", &c), BD_OK);
	bd_row row;
	bool eof;
	char *names[32] = { 0 }, *cells[32];
	uint32_t nn = 0;
	assert_int_equal(bd_csv_next(c, &row, &eof), BD_OK);
	for (uint32_t i = 0; i < row.ncell && i < 32; i++)
		names[nn++] = strdup(row.cells[i].s);
	while (bd_csv_next(c, &row, &eof) == BD_OK && !eof) {
		uint32_t n = row.ncell < nn ? row.ncell : nn;
		for (uint32_t i = 0; i < n; i++)
			cells[i] = (char *)row.cells[i].s;
		for (uint32_t i = n; i < nn; i++)
			cells[i] = (char *)"";
		fn(cells, names, nn);
	}
	for (uint32_t i = 0; i < nn; i++)
		free(names[i]);
	bd_csv_close(c);
}

static const char *get(char **cells, char **names, uint32_t n, const char *k)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(names[i], k))
			return cells[i];
	return "";
}

static void on_person(char **c, char **nm, uint32_t n)
{
	tperson *p = &P[NP++];
	memset(p, 0, sizeof(*p));
	snprintf(p->id, sizeof(p->id), "%s", get(c, nm, n, "id"));
	snprintf(p->father, sizeof(p->father), "%s", get(c, nm, n, "father"));
	snprintf(p->mother, sizeof(p->mother), "%s", get(c, nm, n, "mother"));
	snprintf(p->spouse, sizeof(p->spouse), "%s", get(c, nm, n, "spouse"));
	snprintf(p->hukou, sizeof(p->hukou), "%s", get(c, nm, n, "hukou"));
	snprintf(p->region, sizeof(p->region), "%s", get(c, nm, n, "region"));
	snprintf(p->status, sizeof(p->status), "%s", get(c, nm, n, "status"));
	if (!strcmp(p->status, "死亡")) {
		p->ga_dead = true;
		p->ga_death = iso(get(c, nm, n, "status_date"));
	}
	bd_hmac(&H, p->id, 18, p->hid);
}

static void on_death(char **c, char **nm, uint32_t n)
{
	tperson *p = find(get(c, nm, n, "id"));
	assert_non_null(p);
	int32_t d = iso(get(c, nm, n, "death_date"));
	if (!p->wj_death || d < p->wj_death)
		p->wj_death = d;
}

static void on_cremation(char **c, char **nm, uint32_t n)
{
	tperson *p = find(get(c, nm, n, "id"));
	assert_non_null(p);
	int32_t d = iso(get(c, nm, n, "death_date"));
	if (!d)
		d = iso(get(c, nm, n, "cremation_date"));
	if (!p->mz_death || d < p->mz_death)
		p->mz_death = d;
}

static int setup(void **state)
{
	(void)state;
	const char *fix = getenv("BD_FIXTURES");
	if (!fix)
		fix = "build/fixtures/county";
	snprintf(dir, sizeof(dir), "/tmp/bd_test_facts_%d", (int)getpid());
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf %s && cp -r %s %s && chmod 600 %s/bidui.key", dir, fix, dir, dir);
	if (system(cmd) != 0)
		return -1;
	char ini[300];
	snprintf(ini, sizeof(ini), "%s/RUN.ini", dir);
	if (bd_config_load(ini, &cfg)) {
		fprintf(stderr, "config: %s\n", bd_last_error());
		return -1;
	}
	bd_ingest_opts o = { NULL, 0, false, 0 };
	if (bd_ingest(cfg, &o)) {
		fprintf(stderr, "%s\n", bd_last_error());
		return -1;
	}
	bd_key k;
	if (bd_key_load(cfg->key, &k))
		return -1;
	bd_hmac_init(&H, &k);
	P = calloc(MAXP, sizeof(*P));
	read_truth("person.csv", on_person);
	BYID = calloc(NP, sizeof(*BYID));
	for (size_t i = 0; i < NP; i++)
		BYID[i] = &P[i];
	qsort(BYID, NP, sizeof(*BYID), byid_cmp);
	read_truth("death.csv", on_death);
	read_truth("cremation.csv", on_cremation);
	if (bd_facts_open(cfg, false, &facts)) {
		fprintf(stderr, "facts: %s\n", bd_last_error());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bd_facts_close(facts);
	bd_config_free(cfg);
	free(P);
	free(BYID);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool has(const bd_hids *h, const uint8_t x[32])
{
	for (size_t i = 0; i < h->n; i++)
		if (!memcmp(h->h[i], x, 32))
			return true;
	return false;
}

static void hid_of(const char *id, uint8_t out[32])
{
	bd_hmac(&H, id, 18, out);
}

/* Expected kin of P[i] computed from the truth table by brute force. */
static size_t expected(size_t i, bd_kin kind, uint8_t (*out)[32])
{
	tperson *p = &P[i];
	size_t n = 0;
	for (size_t j = 0; j < NP; j++) {
		tperson *q = &P[j];
		if (j == i)
			continue;
		bool k = false;
		switch (kind) {
		case BD_KIN_SPOUSE:
			k = !strcmp(p->spouse, q->id) || !strcmp(q->spouse, p->id);
			break;
		case BD_KIN_CHILDREN:
			k = !strcmp(q->father, p->id) || !strcmp(q->mother, p->id);
			break;
		case BD_KIN_SIBLINGS:
			k = (p->father[0] && !strcmp(q->father, p->father)) ||
			    (p->mother[0] && !strcmp(q->mother, p->mother));
			break;
		case BD_KIN_COREGISTERED:
			k = !strcmp(q->hukou, p->hukou);
			break;
		default:
			break;
		}
		if (k)
			memcpy(out[n++], q->hid, 32);
	}
	if (kind == BD_KIN_PARENTS) {
		if (p->father[0])
			hid_of(p->father, out[n++]);
		if (p->mother[0])
			hid_of(p->mother, out[n++]);
	}
	return n;
}

static void test_kin_matches_truth(void **state)
{
	(void)state;
	bd_view *v;
	assert_int_equal(bd_view_open(facts, &v), BD_OK);
	static uint8_t want[MAXP][32];
	static const bd_kin kinds[] = { BD_KIN_SPOUSE, BD_KIN_PARENTS, BD_KIN_CHILDREN,
					BD_KIN_SIBLINGS, BD_KIN_COREGISTERED };
	size_t nonempty[BD_KIN_MAX] = { 0 };
	for (size_t i = 0; i < NP; i += 7) {
		for (size_t k = 0; k < BD_ARRAY_LEN(kinds); k++) {
			size_t n = expected(i, kinds[k], want);
			bd_hids got;
			assert_int_equal(bd_view_kin(v, P[i].hid, kinds[k], &got), BD_OK);
			if (got.n != n)
				fail_msg("person %zu kin %d: %zu from the index, %zu in truth", i,
					 (int)kinds[k], got.n, n);
			for (size_t j = 0; j < n; j++)
				assert_true(has(&got, want[j]));
			nonempty[kinds[k]] += n > 0;
		}
	}
	for (size_t k = 0; k < BD_ARRAY_LEN(kinds); k++)
		assert_true(nonempty[kinds[k]] > 20); /* the check saw real families */
	/* grandchildren of a grandparent are the children of its children */
	size_t seen = 0;
	for (size_t i = 0; i < NP && seen < 50; i++) {
		bd_hids kids, grand;
		assert_int_equal(bd_view_kin(v, P[i].hid, BD_KIN_CHILDREN, &kids), BD_OK);
		if (!kids.n)
			continue;
		assert_int_equal(bd_view_kin(v, P[i].hid, BD_KIN_GRANDCHILDREN, &grand), BD_OK);
		size_t want_n = 0;
		for (size_t j = 0; j < NP; j++) {
			tperson *q = &P[j];
			tperson *f = q->father[0] ? find(q->father) : NULL, *m = q->mother[0] ? find(q->mother) : NULL;
			bool g = (f && (!strcmp(f->father, P[i].id) || !strcmp(f->mother, P[i].id))) ||
				 (m && (!strcmp(m->father, P[i].id) || !strcmp(m->mother, P[i].id)));
			if (g) {
				want_n++;
				assert_true(has(&grand, q->hid));
			}
		}
		assert_int_equal(grand.n, want_n);
		seen += want_n > 0;
	}
	assert_true(seen > 5);
	bd_view_close(v);
}

static void test_deaths_and_residency(void **state)
{
	(void)state;
	bd_view *v;
	assert_int_equal(bd_view_open(facts, &v), BD_OK);
	size_t dead = 0, multi = 0;
	for (size_t i = 0; i < NP; i++) {
		tperson *p = &P[i];
		bd_death d;
		assert_int_equal(bd_view_death(v, p->hid, &d), BD_OK);
		bool want = p->ga_dead || p->wj_death || p->mz_death;
		assert_int_equal(d.deceased, want);
		if (!want)
			continue;
		int32_t e = 0;
		int32_t src[3] = { p->ga_death, p->wj_death, p->mz_death };
		for (int k = 0; k < 3; k++)
			if (src[k] && (!e || src[k] < e))
				e = src[k];
		assert_int_equal(d.date, e);
		assert_int_equal(!!(d.sources & BD_SRC_WJ), !!p->wj_death);
		assert_int_equal(!!(d.sources & BD_SRC_MZ), !!p->mz_death);
		dead++;
		multi += __builtin_popcount(d.sources) >= 2;
		bool res;
		assert_int_equal(bd_view_resident(v, p->hid, &res), BD_OK);
		if (p->ga_dead)
			assert_false(res); /* dead in the registry is not resident */
	}
	assert_true(dead > 100);
	assert_true(multi > 50);
	for (size_t i = 0; i < NP; i += 3) {
		bool res;
		assert_int_equal(bd_view_resident(v, P[i].hid, &res), BD_OK);
		assert_int_equal(res, !strcmp(P[i].status, "正常") && !strncmp(P[i].region, "410102", 6));
	}
	bd_view_close(v);
}

static void test_disability_sets(void **state)
{
	(void)state;
	bd_disset s;
	assert_int_equal(bd_disset_parse("1-2, 5:3, 6:3", &s), BD_OK);
	assert_true(bd_disset_has(s, 4, 1));
	assert_true(bd_disset_has(s, 7, 2));
	assert_true(bd_disset_has(s, 5, 3));
	assert_false(bd_disset_has(s, 5, 4));
	assert_false(bd_disset_has(s, 4, 3));
	assert_int_equal(bd_disset_parse("1:1, 4:1-2, 5:1-3, 6:1-3", &s), BD_OK);
	assert_true(bd_disset_has(s, 4, 2));
	assert_false(bd_disset_has(s, 1, 2));
	assert_int_equal(bd_disset_parse("8:1", &s), BD_ERR_CONFIG);
	assert_int_equal(bd_disset_parse("1-5", &s), BD_ERR_CONFIG);
	assert_int_equal(bd_disset_parse("二级", &s), BD_ERR_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kin_matches_truth),
		cmocka_unit_test(test_deaths_and_residency),
		cmocka_unit_test(test_disability_sets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
