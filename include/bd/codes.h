/*
 * codes.h - code lists of the input data: programmes, person and
 * certificate statuses, disability category and grade, vehicle status,
 * custody type, GB/T 4761 relations. Pure functions; no allocation.
 */
#ifndef BD_CODES_H
#define BD_CODES_H

#include "bd/common.h"
#include "bd/normal.h"

typedef enum bd_prog {
	BD_PROG_NONE = 0,
	BD_PROG_DIBAO,
	BD_PROG_TEKUN,
	BD_PROG_BIANYUAN,
	BD_PROG_GUER,
	BD_PROG_SHISHI,
	BD_PROG_CJ_HULI,
	BD_PROG_CJ_SHENGHUO,
	BD_PROG_GAOLING,
	BD_PROG_MAX
} bd_prog;

/* "DIBAO"... for a code; "" for NONE. */
const char *bd_prog_code(bd_prog p);
/* Chinese name: 低保, 特困, 低保边缘, 孤儿, 事实无人抚养, 残疾人护理补贴,
 * 困难残疾人生活补贴, 高龄津贴. */
const char *bd_prog_name(bd_prog p);
/* Exact code text ("DIBAO", case-insensitive) -> programme, else NONE. */
bd_prog bd_prog_from_code(const char *s, size_t n);
/*
 * Programme cell value by keyword (DATA.md): strip a trailing system code
 * ("特困人员-7131"), then first keyword match in the order BIANYUAN,
 * TEKUN, DIBAO, SHISHI, GUER, CJ_HULI, CJ_SHENGHUO, GAOLING. A value equal
 * to a code ("TEKUN") also resolves. NONE when nothing matches.
 */
bd_prog bd_prog_from_text(const char *s, size_t n);

/* ga.person status */
typedef enum bd_pstatus {
	BD_PS_UNKNOWN = 0,
	BD_PS_NORMAL,     /* 0 正常 */
	BD_PS_DEAD,       /* 1 死亡 */
	BD_PS_MOVED,      /* 2 迁出 */
	BD_PS_CANCELLED   /* everything else: 3 服兵役 4 出国境定居 7 删除 8 注销 9 其它 */
} bd_pstatus;
/* word or code -> status; UNKNOWN when neither word nor code matches
 * (codes 5 and 6 are not in the list and are UNKNOWN). Also read:
 * 出国(境)定居, 注销(其它), 死亡注销 / 注销(死亡) -> DEAD, 迁出注销 -> MOVED. */
bd_pstatus bd_pstatus_parse(const char *s, size_t n);
const char *bd_pstatus_name(bd_pstatus st); /* 正常 死亡 迁出 注销 */

/* cl.cert status */
typedef enum bd_cstatus {
	BD_CS_UNKNOWN = 0,
	BD_CS_VALID,      /* 有效, 正常 */
	BD_CS_CANCELLED,  /* 注销 */
	BD_CS_EXPIRED     /* 过期 */
} bd_cstatus;
bd_cstatus bd_cstatus_parse(const char *s, size_t n);
const char *bd_cstatus_name(bd_cstatus st);

/* Disability category 1..7 from number or word (视力 听力 言语 肢体 智力
 * 精神 多重, also with 残疾 suffix); 0 when unknown. */
int bd_dis_category_parse(const char *s, size_t n);
/* Grade 1..4 from 1, 一级, 1级, 二级, 三, 四级 ...; 0 when unknown. */
int bd_dis_grade_parse(const char *s, size_t n);
/* Combined "肢体二级", "视力一级", "智力3级": both or false. */
bool bd_dis_combined_parse(const char *s, size_t n, int *category, int *grade);
const char *bd_dis_category_name(int category); /* 视力 ... ; "" if bad */
const char *bd_dis_grade_name(int grade);       /* 一级 ... ; "" if bad */

/* Vehicle status (GA 24.17): BD_VS_UNKNOWN if any word/letter is unknown. */
typedef enum bd_vstatus {
	BD_VS_UNKNOWN = 0,
	BD_VS_REGISTERED,  /* still belongs to its owner */
	BD_VS_ENDED        /* 转出 B, 被盗抢 C, 注销 E, 撤销 F, 强制注销 / 达到报废标准
			      M P, 报废, 吊销: any one ends it */
} bd_vstatus;
/*
 * Parses a status that may combine several codes ("GQ", "G Q"), words
 * separated by , ; / | 、 or blanks ("违法未处理,逾期未检验", "违法未处理
 * 逾期未检验") with stray spaces ("违法 未处理": blanks are first read as
 * stray, then as separators). Ended if any part ends ownership; UNKNOWN
 * if any part is unknown, or there is no part at all.
 */
bd_vstatus bd_vstatus_parse(const char *s, size_t n);

/* Custody type */
typedef enum bd_custody {
	BD_CU_UNKNOWN = 0,
	BD_CU_SENTENCE,   /* 服刑 */
	BD_CU_REHAB,      /* 强制隔离戒毒 */
	BD_CU_DETENTION,  /* 拘留 (行政拘留, 刑事拘留) */
	BD_CU_REMAND      /* 看守所羁押 */
} bd_custody;
bd_custody bd_custody_parse(const char *s, size_t n);
const char *bd_custody_name(bd_custody c);

/* Vehicle owner id kind: true when the cell says a resident ID
 * ("A", "居民身份证", "身份证"), false for any other non-empty kind. */
bool bd_owner_kind_is_person(const char *s, size_t n);

/* GB/T 4761 relation: a 2-digit code -> Chinese word ("01" 本人, "02" 户主,
 * "10" 配偶, "20" 子 ...; "1" reads as "01", Excel having dropped the
 * zero); a word, or a code the standard lacks, is returned trimmed but
 * otherwise unchanged. Writes at most outsz bytes incl. NUL into out,
 * cut at a character boundary; returns the length written. */
size_t bd_relation_display(const char *s, size_t n, char *out, size_t outsz);

#endif
