/* test_config.c - RUN.ini: values, sections, unknown keys are errors;
 * every key and rule parameter has a type and a range, a key given twice
 * is an error. */
#include "testutil.h"
#include "bd/config.h"
#include "bd/match.h"

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
	expect_error("[run]\nperiod=1\nas_of=2026-13-31\njurisdiction=41\nkey=k\n",
		     "RUN.ini:3: [run] as_of = 2026-13-31: 应为日期");
	expect_error("[run]\nperiod=1\njurisdiction=41\nkey=k\n", "缺少 as_of");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41a\nkey=k\n", "jurisdiction");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n[dataset ga.person]\nencoding=gbk\n",
		     "缺少 file");
}

#define RUN "[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n"

/* The cases: text, negative and overflowing numbers in a rule
 * parameter ran as 0 before; each is now an error naming the line, the
 * section, the key, the value and what is expected. */
static void test_rule_param_types(void **state)
{
	(void)state;
	expect_error(RUN "[rule L06]\nself_pay_threshold = abc\n",
		     "RUN.ini:7: [rule L06] self_pay_threshold = abc: 应为金额（元，最多两位小数），"
		     "范围 1 至 10000000 元");
	expect_error(RUN "[rule L06]\nself_pay_threshold = -5\n", "self_pay_threshold = -5: 应为金额");
	expect_error(RUN "[rule L06]\nself_pay_threshold = 1e400\n", "self_pay_threshold = 1e400: 应为金额");
	expect_error(RUN "[rule L06]\nself_pay_threshold = 20000.005\n", "应为金额");
	expect_error(RUN "[rule L06]\nself_pay_threshold = "
		     "1000000000000000000000000000000000000000000000000000000000000000000000000000000\n",
		     "应为金额");
	expect_error(RUN "[rule L06]\nself_pay_threshold =\n", "self_pay_threshold = : 应为金额");
	expect_error(RUN "[rule C01]\ngrace_months = 3.5\n", "[rule C01] grace_months = 3.5: 应为整数，范围 0 至 120");
	expect_error(RUN "[rule C01]\ngrace_months = 121\n", "应为整数，范围 0 至 120");
	expect_error(RUN "[rule C07]\nmin_age = 八十\n", "[rule C07] min_age = 八十: 应为整数");
	expect_error(RUN "[rule R02]\nfactor = 0.5\n", "[rule R02] factor = 0.5: 应为数（可有小数），范围 1 至 100");
	expect_error(RUN "[rule R02]\nmin_recipients = 10 人\n", "min_recipients = 10 人: 应为整数");
	expect_error(RUN "[rule C04]\nprogrammes = DIBAO, 低保\n",
		     "[rule C04] programmes = DIBAO, 低保: 低保 不是保障项目代码");
	expect_error(RUN "[rule C04]\nprogrammes =\n", "应为逗号分隔的保障项目代码，1 至 8 项");
	expect_error(RUN "[rule C05]\nexclusive_pairs = DIBAO+TEKUN, DIBAO\n",
		     "DIBAO 不是项目组合，应写成 代码+代码");
	expect_error(RUN "[rule C05]\nexclusive_pairs = DIBAO+TEKUN+GUER\n", "不是项目组合");
	/* the matchers split lists on ASCII commas only */
	expect_error(RUN "[rule C02]\nexempt_types = 摩托，残疾人\n",
		     "[rule C02] exempt_types = 摩托，残疾人: 应为逗号分隔的文字，请用英文逗号 , 分隔");
	expect_error(RUN "[rule L06]\nprogrammes = DIBAO，TEKUN\n", "请用英文逗号 , 分隔");
	expect_error(RUN "[rule L03]\nsevere_set = 1-5\n", "[rule L03] severe_set = 1-5: 应为残疾等级集合");
	expect_error(RUN "[rule L03]\nsevere_set = \n", "应为残疾等级集合");
	expect_error(RUN "[rule L03]\nsevere_st = 1-2\n", "[rule L03] 没有参数 severe_st（可用: severe_set）");
	expect_error(RUN "[rule Q01]\nx = 1\n", "[rule Q01] 没有参数 x（可用: 无）");
	expect_error(RUN "[rule Z09]\nx = 1\n", "未知的规则 [rule Z09]");

	bd_config *c;
	assert_int_equal(bd_config_load(write_ini(RUN "[rule L06]\nself_pay_threshold = 15000.50\n"
						  "[rule R02]\nfactor = 2.5\n[rule C02]\nexempt_types =\n"
						  "[rule C05]\nexclusive_pairs = dibao + tekun,GUER+SHISHI\n"
						  "[rule L05]\nchildcare_set = 1-2, 5:3-4\n"),
					&c), BD_OK);
	assert_int_equal(c->nrules, 5);
	assert_string_equal(c->rules[0].kv[0].value, "15000.50");
	assert_int_equal(c->rules[0].kv[0].line, 7);
	bd_config_free(c);
}

/* Every default of every rule fits its own type: a bad table entry would
 * make the documented default a usage error. */
static void test_rule_defaults_fit_their_types(void **state)
{
	(void)state;
	size_t n = 0;
	for (size_t i = 0; i < bd_nmatchers; i++)
		for (const bd_param *p = bd_matchers[i].params; p->name; p++, n++) {
			if (bd_value_check(p->type, p->min, p->max, p->def))
				fail_msg("[rule %s] %s = %s: %s", bd_matchers[i].id, p->name, p->def,
					 bd_last_error());
			/* and the check is not vacuous (free texts aside) */
			if (p->type != BD_VT_TEXTS)
				assert_int_not_equal(bd_value_check(p->type, p->min, p->max, "x?"), BD_OK);
		}
	assert_true(n >= 20);
}

static void test_run_and_dataset_types(void **state)
{
	(void)state;
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\nthreads=1e400\n",
		     "RUN.ini:6: [run] threads = 1e400: 应为整数，范围 1 至 1024");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\nthreads=-5\n",
		     "[run] threads = -5: 应为整数");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\nshow_full_id=maybe\n",
		     "[run] show_full_id = maybe: 应为 yes 或 no");
	expect_error("[run]\nperiod=../x\nas_of=2026-12-31\njurisdiction=41\nkey=k\n",
		     "RUN.ini:2: [run] period = ../x: 应为 1 至 40 字节的名称");
	expect_error("[run]\nperiod=1\nas_of=1899-12-31\njurisdiction=41\nkey=k\n",
		     "范围 2000-01-01 至 2099-12-31");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\nroll_month=2026-13\njurisdiction=41\nkey=k\n",
		     "[run] roll_month = 2026-13: 应为月份");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=\n", "[run] key = : 应为文件或目录路径");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\ndivisions=a,b,c,d,e\n",
		     "[run] divisions = a,b,c,d,e: 应为逗号分隔的文件路径，1 至 4 项");
	expect_error(RUN "[dataset mz.roll]\nfile=x\nheader_row=0\n",
		     "RUN.ini:8: [dataset mz.roll] header_row = 0: 应为整数，范围 1 至 1000");
	expect_error(RUN "[dataset mz.roll]\nfile=x\ncolumn.id=C\n", "[dataset mz.roll] column.id = C: 应为整数");
	expect_error(RUN "[dataset mz.roll]\nfile=x\nprogramme=扶贫\n", "programme = 扶贫: 应为保障项目代码");
	expect_error(RUN "[dataset mz.roll]\nfile=x\nprogramme.困境儿童 = 事实孤儿\n",
		     "programme.困境儿童 = 事实孤儿: 应为保障项目代码");
	expect_error(RUN "[dataset ga.custody]\nfile=x\ncustody_type=在家\n", "custody_type = 在家: 应为羁押类型");
	expect_error(RUN "[dataset ga.person]\nfile=x\nencoding=big5\n", "encoding = big5: 只能是 auto");
	expect_error(RUN "[dataset ga.person]\nfile=x\nalias.id= , \n", "alias.id = ,: 应为逗号分隔的文字，1 至 64 项");
	/* found by fuzz_ini: the check counted items split on Chinese commas
	 * too, the loader did not, and a fifth file overflowed divisions[4] */
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n"
		     "divisions = ,,,,，,,,,,，,,<,,,,es..gll_,,ule g0\n",
		     "divisions = ,,,,，,,,,,，,,<,,,,es..gll_,,ule g0: 应为逗号分隔的文件路径，1 至 4 项");
	bd_config *c;
	assert_int_equal(bd_config_load(write_ini("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\n"
						  "key=k\ndivisions = 街道，乡镇.csv, ,/d/村.csv,\n"), &c), BD_OK);
	assert_int_equal(c->ndivisions, 2);
	assert_non_null(strstr(c->divisions[0], "/街道，乡镇.csv"));
	assert_string_equal(c->divisions[1], "/d/村.csv");
	bd_config_free(c);
	/* a line longer than libinih's buffer would be cut: an error */
	char big[600];
	snprintf(big, sizeof(big), RUN "[dataset ga.person]\nfile=x\nalias.id=%0400d\n", 7);
	expect_error(big, "RUN.ini:8: 这一行太长");
}

/* A key given twice in one section: libinih passes both, and the last
 * silently won. */
static void test_duplicate_keys(void **state)
{
	(void)state;
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\nthreads=2\nthreads=4\n",
		     "RUN.ini:7: [run] 中的键 threads 重复（第 6 行已设置");
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\n[run]\nperiod=2\n",
		     "[run] 中的键 period 重复（第 2 行已设置");
	expect_error(RUN "[dataset mz.roll]\nfile=x\n[rule L06]\nprogrammes=DIBAO\n[run]\nthreads=2\n",
		     "RUN.ini:11: 重复的节 [run]（第 10 行）");
	expect_error(RUN "[rule L06]\nself_pay_threshold = 1000\nself_pay_threshold = 2000\n",
		     "RUN.ini:8: [rule L06] 中的键 self_pay_threshold 重复（第 7 行已设置");
	expect_error(RUN "[dataset mz.roll 特困]\nfile=x\nalias.id=a\nalias.id=b\n",
		     "RUN.ini:9: [dataset mz.roll 特困] 中的键 alias.id 重复");
	/* a continuation line of a multi-line value is the same key again */
	expect_error("[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=41\nkey=k\ndivisions=a.csv\n  b.csv\n",
		     "RUN.ini:7: [run] 中的键 divisions 重复");
	/* the same key in two sections is fine */
	bd_config *c;
	assert_int_equal(bd_config_load(write_ini(RUN "[dataset mz.roll]\nfile=a\n[dataset mz.roll 特困]\n"
						  "file=b\n[dataset mz.roll 孤儿]\nfile=c\n"), &c), BD_OK);
	assert_int_equal(c->nsections, 3);
	assert_int_equal(c->sections[2].line, 10);
	bd_config_free(c);
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
		cmocka_unit_test(test_rule_param_types),
		cmocka_unit_test(test_rule_defaults_fit_their_types),
		cmocka_unit_test(test_run_and_dataset_types),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_samples_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
