/*
 * gen_person.c - writes N synthetic ga.person rows (UTF-8 CSV) for the
 * ingest benchmark: valid 18-digit IDs with check characters, families of
 * four with father/mother/spouse links, a few statuses. Deterministic.
 *   gen_person N OUT.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
				     "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂英", "建国" };

static char check_char(const char *id17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (id17[i] - '0') * w[i];
	return map[s % 11];
}

static void make_id(unsigned long long person, int year, char out[19])
{
	unsigned long long x = person * 6364136223846793005ull + 1442695040888963407ull;
	int month = (int)(x % 12) + 1, day = (int)(x / 12 % 28) + 1;
	unsigned seq = (unsigned)(person % 1000);
	snprintf(out, 19, "4101%02u%04d%02d%02d%03u", (unsigned)(person / 1000 % 100), year, month,
		 day, seq);
	out[17] = check_char(out);
	out[18] = '\0';
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_person N OUT.csv\n");
		return 2;
	}
	unsigned long long n = strtoull(argv[1], NULL, 10);
	FILE *f = fopen(argv[2], "w");
	if (!f)
		return 1;
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fputs("公民身份号码,姓名,性别,出生日期,户号,与户主关系,户籍地行政区划,人员状态,变动日期,"
	      "父亲公民身份号码,母亲公民身份号码,配偶公民身份号码\n", f);
	for (unsigned long long i = 0; i < n; i++) {
		unsigned long long fam = i / 4, role = i % 4;
		char id[19], fa[19] = "", mo[19] = "", sp[19] = "";
		int ybase = 1950 + (int)(fam % 20);
		int year = role < 2 ? ybase : ybase + 25;
		make_id(i, year, id);
		if (role == 0)
			make_id(i + 1, ybase, sp);
		if (role == 1)
			make_id(i - 1, ybase, sp);
		if (role >= 2) {
			make_id(fam * 4, ybase, fa);
			make_id(fam * 4 + 1, ybase, mo);
		}
		const char *status = i % 97 == 0 ? "1" : i % 89 == 0 ? "2" : "0";
		fprintf(f, "%s,%s%s,%d,%.8s,%011llu,%s,4101%02u%03u%03u,%s,%s,%s,%s,%s\n", id,
			surnames[i % 10], given[i / 10 % 20], role == 1 || role == 3 ? 2 : 1, id + 6,
			fam, role == 0 ? "02" : role == 1 ? "10" : "20", (unsigned)(i / 1000 % 100),
			(unsigned)(fam % 40), (unsigned)(fam % 300), status,
			status[0] == '0' ? "" : "2024-05-01", fa, mo, sp);
	}
	if (fclose(f) != 0)
		return 1;
	return 0;
}
