/* test_config.c - RUN.ini: values, sections, unknown keys are errors. */
#include "testutil.h"
#include "bd/config.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[128];

static const char *write_ini(const char *text)
{
	snprintf(path, sizeof(path), "/tmp/bd_test_cfg_%d/RUN.ini", (int)getpid());
	char dir[128];
	snprintf(dir, sizeof(dir), "/tmp/bd_test_cfg_%d", (int)getpid());
	mkdir(dir, 0700);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static const char good[] =
	"[run]\n"
	"period       = 2026Q4          ; label\n"
	"as_of        = 2026-12-31\n"
	"jurisdiction = 410102\n"
	"key          = keys/bidui.key\n"
	"threads      = 3\n"
	"divisions    = streets.csv, /data/villages.csv.gz\n"
	"\n[dataset mz.roll 特困]\n"
	"file      = in/特困人员查询.xls\n"
	"programme = TEKUN\n"
	"header_row = 3\n"
	"alias.id = 身份证号(新), 证件号\n"
	"column.township = 3\n"
	"programme.困境儿童生活费 = SHISHI\n"
	"\n[dataset ga.person]\nfile = /abs/户籍.csv.gz\nencoding = gbk\n"
	"\n[rule C02]\nexempt_types = 摩托, 残疾人\n";

static void test_full_config(void **state)
{
	(void)state;
	bd_config *c;
	assert_int_equal(bd_config_load(write_ini(good), &c), BD_OK);
	assert_string_equal(c->period, "2026Q4");
	assert_int_equal(c->as_of, 20261231);
	assert_int_equal(c->roll_month, 202612);
	assert_int_equal(c->threads, 3);
	assert_false(c->show_full_id);
	assert_int_equal(c->ndivisions, 2);
	assert_non_null(strstr(c->divisions[0], "/tmp/bd_test_cfg_"));
	assert_non_null(strstr(c->divisions[0], "/streets.csv"));
	assert_string_equal(c->divisions[1], "/data/villages.csv.gz");
	assert_non_null(strstr(c->key, "/tmp/bd_test_cfg_"));
	assert_non_null(strstr(c->key, "/keys/bidui.key"));
	assert_non_null(strstr(c->index, "/var/index"));
	assert_int_equal(c->nsections, 2);
	bd_section *s = &c->sections[0];
	assert_string_equal(s->name, "mz.roll 特困");
	assert_string_equal(s->dataset, "mz.roll");
	assert_string_equal(s->label, "特困");
	assert_string_equal(s->programme, "TEKUN");
	assert_int_equal(s->header_row, 3);
	assert_string_equal(s->encoding, "auto");
	assert_int_equal(s->nalias, 1);
	assert_string_equal(s->alias[0].key, "id");
	assert_int_equal(s->ncolumn, 1);
	assert_int_equal(s->nprogmap, 1);
	assert_string_equal(s->progmap[0].key, "困境儿童生活费");
	assert_string_equal(c->sections[1].file, "/abs/户籍.csv.gz");
	assert_null(c->sections[1].label);
	assert_int_equal(c->nrules, 1);
	assert_string_equal(c->rules[0].kv[0].value, "摩托, 残疾人");
	bd_config_free(c);
}

static void expect_error(const char *text, const char *needle)
{
	bd_config *c = NULL;
	assert_int_equal(bd_config_load(write_ini(text), &c), BD_ERR_CONFIG);
	assert_null(c);
	if (!strstr(bd_last_error(), needle))
		fail_msg("error '%s' lacks '%s'", bd_last_error(), needle);
}

static void test_unknown_things_are_errors(void **state)
{
	(void)state;
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\nthredas=2\n",
		     "RUN.ini:6: [run] 中未知的键 thredas");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n[dataset mz.rol]\nfile=x\n",
		     "未知的数据集 [dataset mz.rol]");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n[dataset ga.person]\nfile=x\nprogramme=DIBAO\n",
		     "未知的键 programme");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n[rules C02]\nx=1\n",
		     "未知的节 [rules C02]");
	expect_error("[run]\nperiod=1\nas_of=2026-13-31\njurisdiction=41\nkey=k\n", "as_of 不是有效日期");
	expect_error("[run]\nperiod=1\njurisdiction=41\nkey=k\n", "缺少 as_of");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41a\nkey=k\n", "jurisdiction");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n[dataset ga.person]\nencoding=gbk\n",
		     "缺少 file");
}

static void test_samples_config(void **state)
{
	(void)state;
	char p[512];
	snprintf(p, sizeof(p), "%s/RUN.ini", test_samples_dir());
	bd_config *c;
	assert_int_equal(bd_config_load(p, &c), BD_OK);
	assert_int_equal(c->nsections, 15);
	assert_string_equal(c->jurisdiction, "410502");
	bd_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_config),
		cmocka_unit_test(test_unknown_things_are_errors),
		cmocka_unit_test(test_samples_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
