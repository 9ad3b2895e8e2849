/*
 * gen_county.c - a synthetic county for the cold-run benchmark (bench/cold.sh): N persons
 * in three-generation families registered in the county's real villages, and every
 * department export of /work/shared/spec/DATA.md as plain UTF-8 CSV with Chinese headers
 * (ten files: the roll comes as two), in the proportions of a rural Chinese county, with
 * enough deliberate faults that each of the 18 rules of RULES.md has tens to thousands of
 * hits at 2 000 000 persons. Deterministic for (N, SEED). No dependencies.
 *
 *   cc -O2 -o gen_county bench/gen_county.c && ./gen_county N OUTDIR [SEED]
 *
 * Villages: OUTDIR/divisions.csv when it exists (township_code,township_name,village_code,
 * village_name, as fixtures/divisions/410102.csv; bench/cold.sh extracts a rural county
 * there), else fixtures/divisions/410102.csv. The jurisdiction is the first 6 digits of
 * the first village code. Writes OUTDIR/RUN.ini beside the files (key bench.key, index,
 * out). Roughly 1.39 rows per person in all (2.8 M rows at 2 M persons).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D_YMD 20261231 /* reference date D */
#define M0_YMD 20261201

/* ------------------------------------------------------------------ randomness */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }
static double unif(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
static int chance(double p) { return unif() < p; }
static int between(int a, int b) { return a + (int)below((unsigned)(b - a + 1)); }

static double sqrt_approx(double x) /* no libm: Newton on [0, 1] */
{
	double r = x > 0.25 ? x : 0.5;
	for (int i = 0; i < 30 && r > 0; i++)
		r = 0.5 * (r + x / r);
	return r;
}

/* ------------------------------------------------------------------ dates (yyyymmdd) */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
static int civil_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
	return (int)((y + (m <= 2)) * 10000 + m * 100 + d);
}
static long ymd_days(int ymd) { return days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100); }
static int add_days(int ymd, long n) { return civil_from_days(ymd_days(ymd) + n); }
/* a random date between two yyyymmdd dates, both included */
static int rdate(int a, int b)
{
	long x = ymd_days(a), y = ymd_days(b);
	return civil_from_days(x + (long)below((unsigned)(y - x + 1)));
}
static int age_at_d(int birth) { return D_YMD / 10000 - birth / 10000 - (birth % 10000 > D_YMD % 10000); }
static void put_date(FILE *f, int ymd)
{
	if (ymd)
		fprintf(f, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* ------------------------------------------------------------------ names, IDs */
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
	"何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
	"袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
	"叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚" };
static const char *const given_m[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "建国", "建军", "国强",
	"志强", "海涛", "俊杰", "浩然", "子轩", "宇航", "博文", "天宇", "家豪", "德明", "长江", "振华",
	"保国", "新民", "文斌", "建华", "红军" };
static const char *const given_f[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "桂英", "玉兰", "秀兰", "丽娟", "婷婷",
	"雪梅", "欣怡", "梓涵", "诗涵", "雨桐", "佳怡", "思琪", "桂芳", "凤英", "翠花", "春梅", "金凤",
	"淑珍", "玉梅", "小红", "晓燕", "海燕", "建英" };
#define NSUR (sizeof surnames / sizeof *surnames)
#define NGIV 32u

static char check_char(const char *id17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (id17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* ------------------------------------------------------------------ the county */
typedef struct {
	char code[13], tcode[10];
	char *name, *tname;
	double dibao_rate;
} village;

enum { ST_OK, ST_DEAD, ST_MOVED, ST_CANCEL };
enum { RL_HEAD, RL_SPOUSE, RL_SON, RL_DAUGHTER, RL_FATHER, RL_MOTHER, RL_GRANDSON, RL_GRANDDAUGHTER };

typedef struct {
	char id[19];
	uint8_t sex, status, rel, outside, gen, unreg_death;
	uint8_t sur, giv;
	uint32_t vil, hukou;
	int32_t father, mother, spouse; /* person index or -1 */
	int32_t spouse_named;           /* the spouse ID written in this person's row (-1: none) */
	int birth, status_date, death2; /* death2: date of death known to health only */
	int16_t cert;                    /* cat*10+grade, 0 none; negative: not valid */
	uint8_t on_dibao, on_bianyuan, on_tekun, ill_major, custody, nkids;
	uint32_t hh;                     /* roll household number (0: none) */
} person;

static village *vils;
static size_t nvils;
static person *P;
static size_t np, cap_p;
static uint16_t *day_seq; /* next sequence per (birth day, sex) */
static char J[7];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void load_divisions(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path);
	char line[1024];
	size_t cap = 0;
	if (!fgets(line, sizeof line, f))
		die("divisions: empty");
	while (fgets(line, sizeof line, f)) {
		char *fld[4], *p = line;
		int k = 0;
		for (; k < 4 && p; k++) {
			fld[k] = p;
			p = strpbrk(p, ",\r\n");
			if (p)
				*p++ = '\0';
		}
		if (k < 4 || strlen(fld[2]) != 12)
			continue;
		if (nvils == cap && !(vils = realloc(vils, (cap = cap ? 2 * cap : 256) * sizeof *vils)))
			die("realloc");
		village *v = &vils[nvils++];
		memcpy(v->code, fld[2], 13);
		memcpy(v->tcode, fld[0], 9);
		v->tcode[9] = '\0';
		v->tname = strdup(fld[1]);
		v->name = strdup(fld[3]);
		/* rates of a few villages are far above their township's (R02) */
		v->dibao_rate = (0.016 + 0.02 * unif()) * (chance(0.02) ? 4.5 : 1.0);
	}
	fclose(f);
	if (!nvils) {
		fprintf(stderr, "%s: no villages\n", path);
		exit(1);
	}
	memcpy(J, vils[0].code, 6);
	J[6] = '\0';
}

static void make_id(person *p, int ghost)
{
	long day = ymd_days(p->birth) - ymd_days(19000101);
	unsigned seq;
	if (ghost) {
		seq = 900 + below(50) * 2 + (p->sex == 1);
	} else {
		uint16_t *c = &day_seq[day * 2 + (p->sex == 1)];
		if (*c >= 440) { /* this birthday is full: the next day */
			p->birth = add_days(p->birth, 1);
			make_id(p, 0);
			return;
		}
		seq = (unsigned)(*c)++ * 2 + (p->sex == 1);
	}
	snprintf(p->id, sizeof p->id, "%s%08d%03u", J, p->birth, seq);
	p->id[17] = check_char(p->id);
	p->id[18] = '\0';
}

static int32_t new_person(int sex, int birth, uint32_t vil, uint32_t hukou, int rel, int sur, int gen)
{
	if (np == cap_p && !(P = realloc(P, (cap_p = cap_p ? 2 * cap_p : 1 << 16) * sizeof *P)))
		die("realloc");
	person *p = &P[np];
	memset(p, 0, sizeof *p);
	p->sex = (uint8_t)sex;
	p->birth = birth;
	p->vil = vil;
	p->hukou = hukou;
	p->rel = (uint8_t)rel;
	p->gen = (uint8_t)gen;
	p->sur = (uint8_t)(sur >= 0 ? sur : (int)below(NSUR));
	p->giv = (uint8_t)below(NGIV);
	p->father = p->mother = p->spouse = p->spouse_named = -1;
	make_id(p, 0);
	return (int32_t)np++;
}

static void marry(int32_t a, int32_t b)
{
	P[a].spouse = b;
	P[b].spouse = a;
	P[a].spouse_named = b;
	P[b].spouse_named = chance(0.08) ? -1 : a; /* one side does not name the spouse */
}

static uint32_t hukou_seq;

static void build(size_t n)
{
	while (np < n) {
		uint32_t v = below((unsigned)nvils), hk = ++hukou_seq;
		int sur = (int)below(NSUR), gy = 1936 + (int)(30.0 * sqrt_approx(unif()));
		int32_t gpa = new_person(1, rdate(gy * 10000 + 101, gy * 10000 + 1231), v, hk, RL_HEAD, sur, 0);
		int32_t gma = new_person(2, rdate((gy + 1) * 10000 + 101, (gy + 3) * 10000 + 1231), v, hk,
					 RL_SPOUSE, -1, 0);
		marry(gpa, gma);
		int nk = chance(0.07) ? 0 : between(1, 4);
		P[gpa].nkids = P[gma].nkids = (uint8_t)nk;
		for (int k = 0; k < nk; k++) {
			int sex = (int)below(2) + 1, py = gy + between(21, 34);
			if (py > 2008)
				py = 2008;
			int stays = chance(0.3);
			uint32_t khk = stays ? hk : ++hukou_seq;
			int32_t kid = new_person(sex, rdate(py * 10000 + 101, py * 10000 + 1231),
						 chance(0.9) ? v : below((unsigned)nvils), khk,
						 stays ? (sex == 1 ? RL_SON : RL_DAUGHTER) : RL_HEAD,
						 sex == 1 ? sur : -1, 1);
			P[kid].father = gpa;
			P[kid].mother = gma;
			if (py > 2002 || !chance(0.82))
				continue;
			int32_t sp = new_person(3 - sex, rdate((py - 2) * 10000 + 101, (py + 3) * 10000 + 1231),
						P[kid].vil, khk, RL_SPOUSE, -1, 1);
			marry(kid, sp);
			int32_t hus = sex == 1 ? kid : sp, wif = sex == 1 ? sp : kid;
			int ng = between(0, 3);
			P[kid].nkids = P[sp].nkids = (uint8_t)ng;
			for (int g = 0; g < ng; g++) {
				int cs = (int)below(2) + 1, cy = py + between(21, 36);
				if (cy > 2026)
					cy = 2026;
				int32_t c = new_person(cs, rdate(cy * 10000 + 101, cy == 2026 ? 20261130 : cy * 10000 + 1231),
						       P[kid].vil, khk, cs == 1 ? RL_GRANDSON : RL_GRANDDAUGHTER,
						       P[hus].sur, 2);
				P[c].father = hus;
				P[c].mother = chance(0.03) ? -1 : wif; /* one parent's ID missing */
			}
		}
	}
	/* statuses */
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int age = age_at_d(p->birth);
		double pd = age >= 85 ? 0.25 : age >= 75 ? 0.12 : age >= 60 ? 0.05 : 0.012;
		double x = unif();
		if (x < pd) {
			p->status = ST_DEAD;
			p->status_date = chance(0.02) ? 0 : rdate(20160101, 20261231);
			if (p->status_date && p->status_date < p->birth)
				p->status_date = add_days(p->birth, 30);
		} else if (x < pd + 0.018) {
			p->status = ST_MOVED;
			p->status_date = rdate(20120101, 20261231);
		} else if (x < pd + 0.023) {
			p->status = ST_CANCEL;
			p->status_date = rdate(20120101, 20261231);
		} else if (chance(0.012)) {
			p->outside = 1; /* 正常, but registered in a neighbouring county */
		} else if (age >= 60 && chance(0.004)) {
			p->unreg_death = 1; /* the registry does not know yet */
			p->death2 = rdate(20250101, 20261231);
		}
	}
	/* children who lost both parents, or one (孤儿, 事实无人抚养: L05) */
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		if (p->gen != 2 || age_at_d(p->birth) >= 18 || p->father < 0 || !chance(0.006))
			continue;
		int32_t who[2] = { p->father, p->mother };
		for (int k = 0; k < 2 - chance(0.5); k++)
			if (who[k] >= 0 && P[who[k]].status != ST_DEAD) {
				P[who[k]].status = ST_DEAD;
				P[who[k]].status_date = rdate(p->birth > 20180101 ? p->birth : 20180101, 20261231);
			}
	}
}

/* ------------------------------------------------------------------ CSV output */
static char outdir[4096];

static FILE *open_out(const char *name, const char *header)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		die(path);
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fputs(header, f);
	fputc('\n', f);
	return f;
}
static void close_out(FILE *f)
{
	if (fclose(f) != 0)
		die("write");
}
static void put_name(FILE *f, const person *p)
{
	fputs(surnames[p->sur], f);
	fputs((p->sex == 1 ? given_m : given_f)[p->giv], f);
}
static int is_resident(const person *p) { return p->status == ST_OK && !p->outside; }
static int is_dead(const person *p) { return p->status == ST_DEAD || p->unreg_death; }

static void write_person(void)
{
	static const char *const rel[] = { "02", "10", "20", "30", "51", "52", "41", "42" };
	static const char *const st_code[] = { "0", "1", "2", "8" };
	static const char *const st_word[] = { "正常", "死亡", "迁出", "注销" };
	FILE *f = open_out("公安_户籍人口.csv", "公民身份号码,姓名,性别,出生日期,户号,与户主关系,户籍地行政区划,"
						  "人员状态,变动日期,父亲公民身份号码,母亲公民身份号码,配偶公民身份号码");
	for (size_t i = 0; i < np; i++) {
		const person *p = &P[i];
		fprintf(f, "%s,", p->id);
		put_name(f, p);
		fprintf(f, ",%s,%08d,%s%09u,%s,", p->sex == 1 ? "男" : "女", p->birth, J, p->hukou, rel[p->rel]);
		if (p->outside)
			fprintf(f, "411526%s", vils[p->vil].code + 6);
		else
			fputs(vils[p->vil].code, f);
		fprintf(f, ",%s,", (i % 5 ? st_code : st_word)[p->status]);
		put_date(f, p->status_date);
		fprintf(f, ",%s,%s,%s\n", p->father >= 0 ? P[p->father].id : "", p->mother >= 0 ? P[p->mother].id : "",
			p->spouse_named >= 0 ? P[p->spouse_named].id : "");
	}
	close_out(f);
}

/* ------------------------------------------------------------------ roll selection */
enum { PG_DIBAO, PG_TEKUN, PG_BIANYUAN, PG_GUER, PG_SHISHI, PG_HULI, PG_SHENGHUO, PG_GAOLING };
typedef struct {
	int32_t who;
	uint32_t hh;
	uint8_t prog, file, filed;
	uint16_t amount;
	int start; /* yyyymm */
} rollrow;
static rollrow *R;
static size_t nr, cap_r;
static uint32_t hh_seq;

static void roll_add(int32_t who, uint32_t hh, int prog, int amount, int filed)
{
	if (nr == cap_r && !(R = realloc(R, (cap_r = cap_r ? 2 * cap_r : 1 << 14) * sizeof *R)))
		die("realloc");
	int sy = between(2012, 2026), sm = sy == 2026 ? between(1, 11) : between(1, 12);
	R[nr++] = (rollrow){ who, hh, (uint8_t)prog, (uint8_t)(prog <= PG_BIANYUAN ? 0 : 1), (uint8_t)filed,
			     (uint16_t)amount, sy * 100 + sm };
}

/* households: the persons of one hukou are consecutive within their family's range */
static void select_households(void)
{
	size_t i = 0;
	while (i < np) {
		/* a family: from a generation-0 head to the next one */
		size_t e = i + 1;
		while (e < np && !(P[e].gen == 0 && P[e].rel == RL_HEAD))
			e++;
		/* each hukou of the family */
		for (size_t a = i; a < e; a++) {
			if (P[a].rel != RL_HEAD)
				continue;
			uint32_t hk = P[a].hukou;
			double rate = vils[P[a].vil].dibao_rate * (P[a].gen == 0 ? 1.6 : 0.8);
			int prog = chance(rate) ? PG_DIBAO : chance(rate * 0.35) ? PG_BIANYUAN : -1;
			if (prog < 0)
				continue;
			uint32_t hh = ++hh_seq;
			int filed = chance(0.03);
			for (size_t b = i; b < e; b++) {
				person *m = &P[b];
				if (m->hukou != hk)
					continue;
				/* the dead stay on a roll for a while; some moved away */
				if (m->status == ST_DEAD && !(m->status_date >= 20250101 && chance(0.25)))
					continue;
				if ((m->status == ST_MOVED || m->status == ST_CANCEL) && !chance(0.25))
					continue;
				if (prog == PG_DIBAO)
					m->on_dibao = 1;
				else
					m->on_bianyuan = 1;
				m->hh = hh;
				roll_add((int32_t)b, hh, prog, prog == PG_DIBAO ? between(260, 520) : 0, filed);
				if (prog == PG_DIBAO && chance(0.002)) { /* also on the edge roll */
					m->on_bianyuan = 1;
					roll_add((int32_t)b, hh, PG_BIANYUAN, 0, filed);
				}
			}
		}
		i = e;
	}
}

static int care_set(int c) { return c > 0 && c % 10 <= 2; }

static void select_others(void)
{
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int age = age_at_d(p->birth);
		int alive = !is_dead(p) || (p->status == ST_DEAD && p->status_date >= 20260101 && chance(0.1));
		if (!alive)
			continue;
		/* 特困: old, no children, no living spouse; a few others */
		int alone = p->spouse < 0 || is_dead(&P[p->spouse]);
		if (age >= 60 && ((p->nkids == 0 && alone && chance(0.6)) || chance(0.01))) {
			if (!p->on_dibao || chance(0.08)) {
				p->on_tekun = 1;
				roll_add((int32_t)i, ++hh_seq, PG_TEKUN, between(600, 900), chance(0.03));
			}
		}
		/* 孤儿 / 事实无人抚养: both parents dead, or one dead and one held */
		if (age < 18 && p->father >= 0 && p->mother >= 0) {
			const person *f = &P[p->father], *m = &P[p->mother];
			int fd = is_dead(f), md = is_dead(m);
			if (fd && md && chance(0.8))
				roll_add((int32_t)i, p->hh ? p->hh : ++hh_seq, PG_GUER, between(1100, 1400), 0);
			else if ((fd || md) && (f->custody || m->custody || f->cert > 0 || m->cert > 0) && chance(0.6))
				roll_add((int32_t)i, p->hh ? p->hh : ++hh_seq, PG_SHISHI, between(900, 1200), 0);
		}
		/* 两项补贴 */
		if ((care_set(p->cert) && chance(0.85)) || (p->cert && !care_set(p->cert) && chance(0.01)))
			roll_add((int32_t)i, p->hh ? p->hh : ++hh_seq, PG_HULI, between(60, 100), 0);
		if ((p->cert > 0 && p->on_dibao && chance(0.75)) || (p->cert && !p->on_dibao && chance(0.006)))
			roll_add((int32_t)i, p->hh ? p->hh : ++hh_seq, PG_SHENGHUO, between(60, 100), 0);
		/* 高龄津贴 from 80; a few slipped in at 79 */
		if (is_resident(p) && (age >= 80 ? chance(0.9) : age == 79 && chance(0.03)))
			roll_add((int32_t)i, p->hh ? p->hh : ++hh_seq, PG_GAOLING, age >= 90 ? 300 : 100, 0);
	}
}

/* ------------------------------------------------------------------ department exports */
static void gen_cert(FILE *f)
{
	static const char *const cat_word[] = { "", "视力", "听力", "言语", "肢体", "智力", "精神", "多重" };
	static const char *const grade_cn[] = { "", "一级", "二级", "三级", "四级" };
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int age = age_at_d(p->birth);
		double pr = (age >= 60 ? 0.065 : 0.022) * (p->on_dibao || p->on_bianyuan ? 3.0 : 1.0);
		if (!chance(pr))
			continue;
		static const int catw[] = { 4, 4, 1, 4, 4, 4, 4, 4, 4, 5, 5, 6, 6, 7, 2, 1 };
		int cat = catw[below(16)], grade = between(1, 4);
		const char *status = "有效";
		int until = chance(0.1) ? 0 : rdate(20270101, 20361231), valid = 1;
		double x = unif();
		if (x < 0.03)
			status = "注销", valid = 0;
		else if (x < 0.07)
			status = "过期", valid = 0, until = rdate(20200101, 20261230);
		else if (x < 0.11)
			until = rdate(20240101, 20261230), valid = 0; /* 有效 but expired */
		else if (x < 0.112)
			until = D_YMD;
		p->cert = (int16_t)((cat * 10 + grade) * (valid ? 1 : -1));
		fprintf(f, "%s%d%d,", p->id, cat, grade);
		put_name(f, p);
		fprintf(f, ",%s,", p->id);
		if (i % 3)
			fprintf(f, "%s,%s,", cat_word[cat], grade_cn[grade]);
		else
			fprintf(f, "%d,%d,", cat, grade);
		put_date(f, rdate(20100101, 20261130));
		fputc(',', f);
		if (until)
			put_date(f, until);
		else if (i % 2)
			fputs("长期", f);
		fprintf(f, ",%s\n", status);
	}
}

static void gen_custody(FILE *f)
{
	static const char *const kind[] = { "服刑", "服刑", "服刑", "服刑", "强制隔离戒毒", "拘留", "看守所羁押", "服刑" };
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int age = age_at_d(p->birth);
		if (age < 18 || age > 75 || p->status != ST_OK)
			continue;
		double pr = (p->sex == 1 ? 0.0028 : 0.0005) * (p->on_dibao || p->on_bianyuan ? 2.0 : 1.0);
		if (age >= 20 && age <= 45 && p->gen == 2)
			pr *= 4.0; /* parents of young children too (L05) */
		if (!chance(pr))
			continue;
		const char *k = kind[below(8)];
		int start = rdate(20160101, 20261231), end = 0;
		if (!chance(0.3))
			end = add_days(start, between(20, 3600));
		if (end && end > 20301231)
			end = 20301231;
		p->custody = (uint8_t)(!strcmp(k, "服刑") || !strcmp(k, "强制隔离戒毒"));
		put_name(f, p);
		fprintf(f, ",%s,%s,", p->id, k);
		put_date(f, start);
		fputc(',', f);
		put_date(f, end);
		fputc('\n', f);
	}
}

static void gen_death_cremation(FILE *fd, FILE *fc)
{
	static const char *const cause[] = { "脑梗死", "冠心病", "肺癌", "慢性阻塞性肺病", "高血压", "胃癌", "肝癌", "意外跌落" };
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int when = p->status == ST_DEAD ? p->status_date : p->unreg_death ? p->death2 : -1;
		if (when < 0)
			continue;
		if (!when)
			when = chance(0.5) ? rdate(20200101, 20261231) : 0; /* no date anywhere */
		if (when && (p->unreg_death || chance(0.8))) {
			int d = chance(0.1) ? add_days(when, -between(1, 40)) : when;
			fprintf(fd, "%s,", p->id);
			put_name(fd, p);
			fputc(',', fd);
			put_date(fd, d);
			fprintf(fd, ",%s\n", cause[below(8)]);
		}
		if (when && chance(0.6)) {
			fprintf(fc, "%s,", p->id);
			put_name(fc, p);
			fputc(',', fc);
			if (!chance(0.3))
				put_date(fc, when);
			fputc(',', fc);
			put_date(fc, add_days(when, between(1, 4)));
			fputc('\n', fc);
		}
	}
}

static void gen_illness(FILE *f)
{
	static const char *const dx[] = { "冠心病", "肺癌", "白内障", "尿毒症", "脑梗死", "糖尿病", "乳腺癌", "骨折" };
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int age = age_at_d(p->birth);
		if (!chance(age >= 60 ? 0.08 : 0.025))
			continue;
		int heavy = chance(0.06), rows = between(1, 3);
		for (int k = 0; k < rows; k++) {
			int when = rdate(20240101, 20261231);
			double total = heavy ? 30000 + unif() * 250000 : 300 + unif() * unif() * 40000;
			double copay = total * (0.1 + 0.2 * unif()), unc = total * 0.08 * unif();
			int major = total > 50000 && chance(0.7);
			if (major)
				p->ill_major = 1;
			fprintf(f, "%s,", p->id);
			put_name(f, p);
			fputc(',', f);
			put_date(f, when);
			fprintf(f, ",%s,%s,%.2f,%.2f,%.2f\n", major ? "是" : "否", dx[below(8)], total, copay, unc);
		}
	}
}

static void gen_vehicle(FILE *f)
{
	static const char *const types[] = { "小型轿车", "小型轿车", "小型轿车", "小型轿车", "小型普通客车",
					     "小型普通客车", "轻型普通货车", "普通二轮摩托车", "普通二轮摩托车",
					     "普通二轮摩托车", "低速货车", "三轮汽车", "重型半挂牵引车",
					     "残疾人专用小型自动挡载客汽车", "中型普通客车", "小型越野客车" };
	static const char *const st[] = { "A", "A", "A", "A", "A", "A", "A", "A", "正常", "正常", "E",
					  "注销", "M", "P", "达到报废标准", "B", "G", "GQ", "Q", "D", "违法未处理",
					  "逾期未检验", "C", "K" };
	static const char plate_chars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	unsigned long org = 0;
	for (size_t i = 0; i < np; i++) {
		person *p = &P[i];
		int age = age_at_d(p->birth);
		if (age < 18 || age > 78 || p->status == ST_MOVED)
			continue;
		double pr = p->on_dibao || p->on_tekun ? 0.03 : 0.17;
		int nv = chance(pr) ? 1 + chance(0.08) : 0;
		for (int k = 0; k < nv; k++) {
			char plate[8];
			for (int c = 0; c < 5; c++)
				plate[c] = plate_chars[below(34)];
			plate[5] = '\0';
			fprintf(f, "%s,%s,豫S%s,%s,", i % 4 ? "A" : "居民身份证", p->id, plate, types[below(16)]);
			put_date(f, rdate(20050101, 20261130));
			fprintf(f, ",%s\n", st[below(24)]);
		}
		if (i % 40 == 0) { /* an organisation's vehicle: 统一社会信用代码 */
			org++;
			fprintf(f, "B,91%s%09lu%c,豫S%05lu,小型普通客车,", J, org, "0123456789ABCDEF"[org % 16], org % 100000);
			put_date(f, rdate(20100101, 20261130));
			fputs(",A\n", f);
		}
	}
}

static void gen_cadre(FILE *f)
{
	static const char *const roles[] = { "村党支部书记", "村委会主任", "村委会委员", "村委会委员", "村务监督委员会主任", "民政协理员" };
	/* per village up to six adults of 28..62 living there, found by a stride through the registry */
	int *have = calloc(nvils, sizeof *have);
	if (!have)
		die("calloc");
	size_t stride = np / 4000 + 1;
	for (size_t pass = 0; pass < stride; pass++)
		for (size_t i = pass; i < np; i += stride) {
			person *p = &P[i];
			int age = age_at_d(p->birth);
			if (age < 28 || age > 62 || !is_resident(p) || have[p->vil] >= 6 || !chance(0.5))
				continue;
			put_name(f, p);
			fprintf(f, ",%s,%s,%s,%s\n", p->id, roles[have[p->vil]], vils[p->vil].tname, vils[p->vil].name);
			have[p->vil]++;
		}
	free(have);
}

/* an ID as a damaged roll cell: Excel's 15 significant digits, scientific notation, a
 * typo in the check character, a digit lost */
static void damaged_id(char out[32], const char *id, unsigned kind)
{
	if (kind == 0 && id[17] != 'X') {
		unsigned long long v = 0;
		for (int i = 0; i < 15; i++)
			v = v * 10 + (unsigned long long)(id[i] - '0');
		if (id[15] >= '5')
			v++;
		snprintf(out, 32, "%llu000", v);
	} else if (kind == 1) {
		snprintf(out, 32, "%c.%.5sE+17", id[0], id + 1);
	} else if (kind == 2) {
		memcpy(out, id, 18);
		out[17] = id[17] == '0' ? '1' : '0';
		out[18] = '\0';
	} else {
		memcpy(out, id, 17); /* one digit lost: 17 characters */
		out[17] = '\0';
	}
}

static void write_roll(void)
{
	static const char *const text[] = { "", "特困人员-7131", "低保边缘家庭", "孤儿", "事实无人抚养儿童",
					    "重度残疾人护理补贴", "困难残疾人生活补贴", "高龄津贴" };
	FILE *f[2];
	f[0] = open_out("民政_低保特困边缘名册.csv", "序号,家庭编号,保障类别,姓名,身份证号码,与户主关系,"
						     "乡镇(街道),村(社区),月保障金额,起始年月,近亲属备案");
	f[1] = open_out("民政_补贴名册.csv", "序号,家庭编号,保障类别,姓名,身份证号码,与户主关系,乡镇(街道),"
					    "村(社区),月保障金额,起始年月");
	unsigned long seqno[2] = { 0, 0 };
	for (size_t k = 0; k < nr; k++) {
		const rollrow *r = &R[k];
		const person *p = &P[r->who];
		int copies = chance(0.003) ? 2 : 1; /* the same row entered twice */
		for (int c = 0; c < copies; c++) {
			FILE *o = f[r->file];
			char idbuf[32];
			const char *id = p->id;
			double x = unif();
			if (x < 0.003)
				damaged_id(idbuf, id, x < 0.0012 ? 0 : x < 0.0015 ? 1 : x < 0.0025 ? 2 : 3), id = idbuf;
			else if (x < 0.0035) { /* a person the registry does not know */
				person g = *p;
				g.birth = rdate(19400101, 20001231);
				make_id(&g, 1);
				memcpy(idbuf, g.id, 19);
				id = idbuf;
			}
			const village *v = &vils[p->vil];
			fprintf(o, "%lu,%s%010u,", ++seqno[r->file], J, r->hh);
			if (r->prog == PG_DIBAO)
				fputs(strstr(v->name, "社区") ? "城市低保" : (k % 3 ? "农村低保" : "农村最低生活保障"), o);
			else
				fputs(text[r->prog], o);
			fputc(',', o);
			double y = unif();
			if (y < 0.0015) { /* a different name */
				fputs(surnames[p->sur], o);
				fputs((p->sex == 1 ? given_m : given_f)[(p->giv + 1) % NGIV], o);
			} else if (y < 0.003) { /* spaces that do not count */
				fputs(surnames[p->sur], o);
				fputs(y < 0.0022 ? "\u3000" : " ", o);
				fputs((p->sex == 1 ? given_m : given_f)[p->giv], o);
			} else {
				put_name(o, p);
			}
			fprintf(o, ",%s,%s,%s,%s,", id, p->rel == RL_HEAD ? "户主" : "家庭成员", v->tname, v->name);
			if (r->amount)
				fprintf(o, "%u.00", r->amount);
			fprintf(o, ",%04d-%02d", r->start / 100, r->start % 100);
			if (r->file == 0)
				fputs(r->filed ? ",是" : (k % 2 ? ",否" : ","), o);
			fputc('\n', o);
		}
		/* now and then one person also on a second household of the same programme */
		if (r->prog == PG_DIBAO && chance(0.0005)) {
			const village *v = &vils[below((unsigned)nvils)];
			fprintf(f[0], "%lu,%s%010u,农村低保,", ++seqno[0], J, ++hh_seq);
			put_name(f[0], p);
			fprintf(f[0], ",%s,户主,%s,%s,300.00,2025-03,\n", p->id, v->tname, v->name);
		}
	}
	close_out(f[0]);
	close_out(f[1]);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen_county N OUTDIR [SEED]\n");
		return 2;
	}
	size_t n = strtoull(argv[1], NULL, 10);
	snprintf(outdir, sizeof outdir, "%s", argv[2]);
	rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) * 0x2545f4914f6cdd1dull : 1;
	char path[4200];
	snprintf(path, sizeof path, "%s/divisions.csv", outdir);
	FILE *t = fopen(path, "r");
	if (t)
		fclose(t);
	load_divisions(t ? path : "fixtures/divisions/410102.csv");
	if (!(day_seq = calloc(60000 * 2, sizeof *day_seq)))
		die("calloc");
	build(n);
	select_households();
	FILE *f = open_out("残联_残疾人证.csv", "残疾人证号,姓名,身份证号码,残疾类别,残疾等级,发证日期,有效期至,证件状态");
	gen_cert(f);
	close_out(f);
	f = open_out("公安_在押人员.csv", "姓名,身份证号码,羁押类型,入所日期,出所日期");
	gen_custody(f);
	close_out(f);
	FILE *fd = open_out("卫健_死亡医学证明.csv", "身份证号码,姓名,死亡日期,根本死因");
	FILE *fc = open_out("民政_火化记录.csv", "逝者身份证号,逝者姓名,死亡日期,火化日期");
	gen_death_cremation(fd, fc);
	close_out(fd);
	close_out(fc);
	f = open_out("医保_住院结算.csv", "身份证号码,姓名,结算日期,重特大疾病,病种,医疗总费用,个人自付,个人自费");
	gen_illness(f);
	close_out(f);
	select_others();
	f = open_out("公安_机动车.csv", "身份证明名称,身份证明号码,号牌号码,车辆类型,初次登记日期,机动车状态");
	gen_vehicle(f);
	close_out(f);
	f = open_out("民政_村两委名册.csv", "姓名,身份证号码,职务,乡镇(街道),村(社区)");
	gen_cadre(f);
	close_out(f);
	write_person();
	write_roll();
	snprintf(path, sizeof path, "%s/RUN.ini", outdir);
	if (!(f = fopen(path, "w")))
		die(path);
	fprintf(f, "[run]\nperiod = 2026Q4\nas_of = 2026-12-31\njurisdiction = %s\nkey = bench.key\n"
		   "index = index\nout = out\nthreads = %s\n%s\n",
		J, getenv("GEN_THREADS") ? getenv("GEN_THREADS") : "2", t ? "divisions = divisions.csv" : "");
	static const char *const ds[][2] = {
		{ "ga.person", "公安_户籍人口.csv" },   { "ga.vehicle", "公安_机动车.csv" },
		{ "ga.custody", "公安_在押人员.csv" },  { "cl.cert", "残联_残疾人证.csv" },
		{ "wj.death", "卫健_死亡医学证明.csv" }, { "wj.illness", "医保_住院结算.csv" },
		{ "mz.cremation", "民政_火化记录.csv" }, { "mz.cadre", "民政_村两委名册.csv" },
		{ "mz.roll 低保特困边缘", "民政_低保特困边缘名册.csv" }, { "mz.roll 补贴", "民政_补贴名册.csv" } };
	for (size_t i = 0; i < sizeof ds / sizeof *ds; i++)
		fprintf(f, "[dataset %s]\nfile = %s\nencoding = utf-8\n\n", ds[i][0], ds[i][1]);
	close_out(f);
	fprintf(stderr, "gen_county: %zu persons, %zu roll rows, jurisdiction %s, %zu villages\n", np, nr, J, nvils);
	return 0;
}
