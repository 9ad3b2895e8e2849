/* codes.c - programme keywords and the code lists of the inputs. */
#include "bd/codes.h"

#include <string.h>

static bool contains(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);
	if (wl > n)
		return false;
	for (size_t i = 0; i + wl <= n; i++)
		if (!memcmp(s + i, word, wl))
			return true;
	return false;
}

/* Trimmed text with full-width ASCII folded into out; inner blanks are
 * dropped, or written as one ' ' when keep_blanks (they may separate
 * words). */
static size_t clean_sep(const char *s, size_t n, char *out, size_t cap, bool keep_blanks)
{
	size_t len;
	const char *t = bd_trim(s, n, &len);
	size_t at = 0;
	for (size_t i = 0; i < len && at + 4 < cap;) {
		unsigned char c = (unsigned char)t[i];
		if (c == 0xef && i + 2 < len) {
			unsigned cp = (unsigned)(c & 0x0f) << 12 | (unsigned)(t[i + 1] & 0x3f) << 6 |
				      (unsigned)(t[i + 2] & 0x3f);
			if (cp >= 0xff01 && cp <= 0xff5e) {
				out[at++] = (char)(cp - 0xfee0);
				i += 3;
				continue;
			}
		}
		size_t blank = 0;
		if (c == 0xe3 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
		    (unsigned char)t[i + 2] == 0x80) /* U+3000 */
			blank = 3;
		else if (c == 0xc2 && i + 1 < len && (unsigned char)t[i + 1] == 0xa0) /* NBSP */
			blank = 2;
		else if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			blank = 1;
		if (blank) {
			i += blank;
			if (keep_blanks && at && out[at - 1] != ' ')
				out[at++] = ' ';
			continue;
		}
		out[at++] = t[i++];
	}
	out[at] = '\0';
	return at;
}

static size_t clean(const char *s, size_t n, char *out, size_t cap)
{
	return clean_sep(s, n, out, cap, false);
}

static const char *const prog_codes[BD_PROG_MAX] = {
	"", "DIBAO", "TEKUN", "BIANYUAN", "GUER", "SHISHI", "CJ_HULI", "CJ_SHENGHUO", "GAOLING",
};
static const char *const prog_names[BD_PROG_MAX] = {
	"", "低保", "特困", "低保边缘", "孤儿", "事实无人抚养", "残疾人护理补贴",
	"困难残疾人生活补贴", "高龄津贴",
};

const char *bd_prog_code(bd_prog p)
{
	return p > BD_PROG_NONE && p < BD_PROG_MAX ? prog_codes[p] : "";
}

const char *bd_prog_name(bd_prog p)
{
	return p > BD_PROG_NONE && p < BD_PROG_MAX ? prog_names[p] : "";
}

bd_prog bd_prog_from_code(const char *s, size_t n)
{
	char b[64];
	size_t len = clean(s, n, b, sizeof(b));
	for (int p = 1; p < BD_PROG_MAX; p++)
		if (strlen(prog_codes[p]) == len && !strncasecmp(b, prog_codes[p], len))
			return (bd_prog)p;
	return BD_PROG_NONE;
}

bd_prog bd_prog_from_text(const char *s, size_t n)
{
	char b[256];
	size_t len = clean(s, n, b, sizeof(b));
	bd_prog code = bd_prog_from_code(b, len);
	if (code != BD_PROG_NONE)
		return code;
	/* strip a trailing system code: 特困人员-7131 */
	size_t k = len;
	while (k > 0 && b[k - 1] >= '0' && b[k - 1] <= '9')
		k--;
	if (k < len && k > 0 && (b[k - 1] == '-' || b[k - 1] == '_'))
		len = k - 1;
	static const struct { const char *word; bd_prog p; } kw[] = {
		{ "低保边缘", BD_PROG_BIANYUAN }, { "低收入", BD_PROG_BIANYUAN },
		{ "刚性支出", BD_PROG_BIANYUAN }, { "特困", BD_PROG_TEKUN },
		{ "分散供养", BD_PROG_TEKUN }, { "集中供养", BD_PROG_TEKUN },
		{ "低保", BD_PROG_DIBAO }, { "最低生活保障", BD_PROG_DIBAO },
		{ "事实无人抚养", BD_PROG_SHISHI }, { "孤儿", BD_PROG_GUER },
		{ "护理补贴", BD_PROG_CJ_HULI }, { "生活补贴", BD_PROG_CJ_SHENGHUO },
		{ "高龄", BD_PROG_GAOLING },
	};
	for (size_t i = 0; i < BD_ARRAY_LEN(kw); i++)
		if (contains(b, len, kw[i].word))
			return kw[i].p;
	return BD_PROG_NONE;
}

static bool eq(const char *b, const char *w)
{
	return !strcmp(b, w);
}

bd_pstatus bd_pstatus_parse(const char *s, size_t n)
{
	char b[64];
	clean(s, n, b, sizeof(b));
	if (eq(b, "0") || eq(b, "正常") || eq(b, "在册") || eq(b, "有效"))
		return BD_PS_NORMAL;
	if (eq(b, "1") || eq(b, "死亡") || eq(b, "注销(死亡)") || eq(b, "死亡注销"))
		return BD_PS_DEAD;
	if (eq(b, "2") || eq(b, "迁出") || eq(b, "注销(迁出)") || eq(b, "迁出注销"))
		return BD_PS_MOVED;
	static const char *const other[] = { "3", "4", "7", "8", "9", "服兵役", "出国境定居",
					     "出国(境)定居", "删除", "注销", "其它", "其他",
					     "注销(其他)", "注销(其它)" };
	for (size_t i = 0; i < BD_ARRAY_LEN(other); i++)
		if (eq(b, other[i]))
			return BD_PS_CANCELLED;
	return BD_PS_UNKNOWN;
}

const char *bd_pstatus_name(bd_pstatus st)
{
	switch (st) {
	case BD_PS_NORMAL: return "正常";
	case BD_PS_DEAD: return "死亡";
	case BD_PS_MOVED: return "迁出";
	case BD_PS_CANCELLED: return "注销";
	case BD_PS_UNKNOWN: break;
	}
	return "";
}

bd_cstatus bd_cstatus_parse(const char *s, size_t n)
{
	char b[64];
	clean(s, n, b, sizeof(b));
	if (eq(b, "有效") || eq(b, "正常") || eq(b, "1"))
		return BD_CS_VALID;
	if (eq(b, "注销") || eq(b, "已注销") || eq(b, "作废"))
		return BD_CS_CANCELLED;
	if (eq(b, "过期") || eq(b, "已过期") || eq(b, "失效"))
		return BD_CS_EXPIRED;
	return BD_CS_UNKNOWN;
}

const char *bd_cstatus_name(bd_cstatus st)
{
	switch (st) {
	case BD_CS_VALID: return "有效";
	case BD_CS_CANCELLED: return "注销";
	case BD_CS_EXPIRED: return "过期";
	case BD_CS_UNKNOWN: break;
	}
	return "";
}

static const char *const categories[8] = { "", "视力", "听力", "言语", "肢体", "智力", "精神", "多重" };
static const char *const grades[5] = { "", "一级", "二级", "三级", "四级" };

int bd_dis_category_parse(const char *s, size_t n)
{
	char b[64];
	size_t len = clean(s, n, b, sizeof(b));
	if (len == 1 && b[0] >= '1' && b[0] <= '7')
		return b[0] - '0';
	for (int i = 1; i <= 7; i++)
		if (!strncmp(b, categories[i], strlen(categories[i])))
			return i;
	/* 语言残疾 is the pre-2006 name of 言语残疾 */
	if (!strncmp(b, "语言", strlen("语言")))
		return 3;
	return 0;
}

/* Grade from the start of b: 1..4, 一..四, 壹..肆; optional 级. */
static int grade_at(const char *b, size_t len, size_t *used)
{
	static const char *const cn[5] = { "", "一", "二", "三", "四" };
	static const char *const big[5] = { "", "壹", "贰", "叁", "肆" };
	int g = 0;
	size_t u = 0;
	if (len >= 1 && b[0] >= '1' && b[0] <= '4') {
		g = b[0] - '0';
		u = 1;
	} else {
		for (int i = 1; i <= 4 && !g; i++)
			if (len >= 3 && (!memcmp(b, cn[i], 3) || !memcmp(b, big[i], 3))) {
				g = i;
				u = 3;
			}
	}
	if (g && len >= u + 3 && !memcmp(b + u, "级", 3))
		u += 3;
	*used = u;
	return g;
}

int bd_dis_grade_parse(const char *s, size_t n)
{
	char b[64];
	size_t len = clean(s, n, b, sizeof(b)), used;
	int g = grade_at(b, len, &used);
	return g && used == len ? g : 0;
}

bool bd_dis_combined_parse(const char *s, size_t n, int *category, int *grade)
{
	char b[64];
	size_t len = clean(s, n, b, sizeof(b));
	for (int c = 1; c <= 7; c++) {
		size_t cl = strlen(categories[c]);
		if (len > cl && !memcmp(b, categories[c], cl)) {
			size_t at = cl, used;
			if (len >= at + 6 && !memcmp(b + at, "残疾", 6))
				at += 6;
			int g = grade_at(b + at, len - at, &used);
			if (g && at + used == len) {
				*category = c;
				*grade = g;
				return true;
			}
		}
	}
	return false;
}

const char *bd_dis_category_name(int category)
{
	return category >= 1 && category <= 7 ? categories[category] : "";
}

const char *bd_dis_grade_name(int grade)
{
	return grade >= 1 && grade <= 4 ? grades[grade] : "";
}

/* One status word: 1 registered, 2 ended, 0 unknown. */
static int vstatus_word(const char *w, size_t n)
{
	static const char *const ended[] = { "转出", "被盗抢", "注销", "撤销", "强制注销",
					     "达到报废标准", "报废", "吊销", "已注销", "已报废" };
	static const char *const reg[] = { "正常", "停驶", "违法未处理", "违章未处理", "海关监管",
					   "事故未处理", "嫌疑车", "查封", "暂扣", "扣留",
					   "事故逃逸", "锁定", "逾期未检验", "其他", "其它",
					   "逾期未年检", "未年检" };
	for (size_t i = 0; i < BD_ARRAY_LEN(ended); i++)
		if (strlen(ended[i]) == n && !memcmp(w, ended[i], n))
			return 2;
	for (size_t i = 0; i < BD_ARRAY_LEN(reg); i++)
		if (strlen(reg[i]) == n && !memcmp(w, reg[i], n))
			return 1;
	/* run of GA letters: GQ */
	int r = 1;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (strchr("BCEFMP", c) && c)
			r = 2 > r ? 2 : r;
		else if (!(c && strchr("ADGHIJKLNOQZ", c)))
			return 0;
	}
	return n ? r : 0;
}

/* Splits b at , ; / | 、 ， ； (and ' ' when present) and rates each part. */
static bd_vstatus vstatus_parts(const char *b, size_t len)
{
	if (!len)
		return BD_VS_UNKNOWN;
	int worst = 0; /* separators alone say nothing */
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && b[j] != ',' && b[j] != ';' && b[j] != '/' && b[j] != '|' &&
		       b[j] != ' ' &&
		       !(j + 3 <= len && (!memcmp(b + j, "、", 3) || !memcmp(b + j, "，", 3) ||
					  !memcmp(b + j, "；", 3))))
			j++;
		if (j > i) {
			int w = vstatus_word(b + i, j - i);
			if (!w)
				return BD_VS_UNKNOWN;
			worst = w > worst ? w : worst;
		}
		if (j >= len)
			break;
		i = j + ((unsigned char)b[j] >= 0x80 ? 3 : 1);
	}
	return worst == 2 ? BD_VS_ENDED : worst == 1 ? BD_VS_REGISTERED : BD_VS_UNKNOWN;
}

bd_vstatus bd_vstatus_parse(const char *s, size_t n)
{
	/* A blank is either stray ("违法 未处理") or a separator ("违法未处理
	 * 逾期未检验"): try the word with blanks dropped first. */
	char b[256];
	bd_vstatus v = vstatus_parts(b, clean(s, n, b, sizeof(b)));
	if (v != BD_VS_UNKNOWN)
		return v;
	return vstatus_parts(b, clean_sep(s, n, b, sizeof(b), true));
}

bd_custody bd_custody_parse(const char *s, size_t n)
{
	char b[128];
	size_t len = clean(s, n, b, sizeof(b));
	if (!len)
		return BD_CU_UNKNOWN;
	if (contains(b, len, "戒毒"))
		return BD_CU_REHAB;
	if (contains(b, len, "服刑") || contains(b, len, "判刑") || contains(b, len, "监狱") ||
	    contains(b, len, "徒刑") || contains(b, len, "拘役"))
		return BD_CU_SENTENCE;
	if (contains(b, len, "拘留"))
		return BD_CU_DETENTION;
	if (contains(b, len, "羁押") || contains(b, len, "在押") || contains(b, len, "看守所") ||
	    contains(b, len, "逮捕"))
		return BD_CU_REMAND;
	return BD_CU_UNKNOWN;
}

const char *bd_custody_name(bd_custody c)
{
	switch (c) {
	case BD_CU_SENTENCE: return "服刑";
	case BD_CU_REHAB: return "强制隔离戒毒";
	case BD_CU_DETENTION: return "拘留";
	case BD_CU_REMAND: return "看守所羁押";
	case BD_CU_UNKNOWN: break;
	}
	return "";
}

bool bd_owner_kind_is_person(const char *s, size_t n)
{
	char b[64];
	size_t len = clean(s, n, b, sizeof(b));
	if (!len)
		return true;
	const char *w = b;
	/* "A:居民身份证", "A-居民身份证": code and name together */
	if ((b[0] == 'A' || b[0] == 'a') && len > 1 && (b[1] == ':' || b[1] == '-' || b[1] == '.'))
		w = b + 2;
	return eq(b, "A") || eq(b, "a") || eq(w, "居民身份证") || eq(w, "身份证") ||
	       eq(w, "中华人民共和国居民身份证") || eq(w, "二代身份证") ||
	       eq(w, "临时居民身份证") || eq(w, "居民身份证号码") || eq(w, "身份证号码");
}

/* GB/T 4761-2008 family relation codes. */
static const struct { char code[3]; const char *word; } relations[] = {
	{ "01", "本人" }, { "02", "户主" }, { "03", "小集体户户主" },
	{ "10", "配偶" }, { "11", "夫" }, { "12", "妻" },
	{ "20", "子" }, { "21", "独生子" }, { "22", "长子" }, { "23", "次子" },
	{ "24", "三子" }, { "25", "四子" }, { "26", "五子" }, { "27", "养子或继子" },
	{ "28", "女婿" }, { "29", "其他儿子" },
	{ "30", "女" }, { "31", "独生女" }, { "32", "长女" }, { "33", "次女" },
	{ "34", "三女" }, { "35", "四女" }, { "36", "五女" }, { "37", "养女或继女" },
	{ "38", "儿媳" }, { "39", "其他女儿" },
	{ "40", "孙子、孙女或外孙子、外孙女" }, { "41", "孙子" }, { "42", "孙女" },
	{ "43", "外孙子" }, { "44", "外孙女" }, { "45", "孙媳妇或外孙媳妇" },
	{ "46", "孙女婿或外孙女婿" }, { "47", "曾孙子或外曾孙子" },
	{ "48", "曾孙女或外曾孙女" }, { "49", "其他孙子、孙女或外孙子、外孙女" },
	{ "50", "父母" }, { "51", "父亲" }, { "52", "母亲" }, { "53", "公公" },
	{ "54", "婆婆" }, { "55", "岳父" }, { "56", "岳母" }, { "57", "继父或养父" },
	{ "58", "继母或养母" }, { "59", "其他父母关系" },
	{ "60", "祖父母或外祖父母" }, { "61", "祖父" }, { "62", "祖母" },
	{ "63", "外祖父" }, { "64", "外祖母" }, { "65", "配偶的祖父母或外祖父母" },
	{ "66", "曾祖父" }, { "67", "曾祖母" }, { "68", "配偶的曾祖父母或外曾祖父母" },
	{ "69", "其他祖父母或外祖父母关系" },
	{ "70", "兄弟姐妹" }, { "71", "兄" }, { "72", "嫂" }, { "73", "弟" },
	{ "74", "弟媳" }, { "75", "姐姐" }, { "76", "姐夫" }, { "77", "妹妹" },
	{ "78", "妹夫" }, { "79", "其他兄弟姐妹" },
	{ "80", "其他" }, { "81", "伯父" }, { "82", "伯母" }, { "83", "叔父" },
	{ "84", "婶母" }, { "85", "舅父" }, { "86", "舅母" }, { "87", "姨父" },
	{ "88", "姨母" }, { "89", "姑父" }, { "90", "姑母" }, { "91", "堂兄弟、堂姐妹" },
	{ "92", "表兄弟、表姐妹" }, { "93", "侄子" }, { "94", "侄女" }, { "95", "外甥" },
	{ "96", "外甥女" }, { "97", "其他亲属" }, { "99", "非亲属" },
};

size_t bd_relation_display(const char *s, size_t n, char *out, size_t outsz)
{
	if (!outsz)
		return 0;
	char b[16];
	size_t bl = clean(s, n, b, sizeof(b));
	char code[3] = { 0 };
	/* Excel drops the leading zero of "01" */
	if (bl == 1 && b[0] >= '1' && b[0] <= '9') {
		code[0] = '0';
		code[1] = b[0];
	} else if (bl == 2 && b[0] >= '0' && b[0] <= '9' && b[1] >= '0' && b[1] <= '9') {
		memcpy(code, b, 2);
	}
	size_t wl;
	const char *w = bd_trim(s, n, &wl);
	for (size_t i = 0; code[0] && i < BD_ARRAY_LEN(relations); i++)
		if (!memcmp(code, relations[i].code, 2)) {
			w = relations[i].word;
			wl = strlen(w);
		}
	return bd_utf8_copy(out, outsz, w, wl);
}
