/* matchers.h - the rule functions (one file each) and shared helpers. */
#ifndef BD_MATCHERS_H
#define BD_MATCHERS_H

#include "bd/match.h"

/* "2026-03-05" (or "不详" for 0) into out. */
const char *bd_fmt_date(int32_t ymd, char out[16]);
/* Parses a comma-separated programme list ("DIBAO, TEKUN") into a bitmask
 * of 1 << bd_prog. */
bd_err bd_prog_set(const char *list, unsigned *set);
/* The person's disability certificate as a reviewer checks it, into out:
 * the valid one at D ("肢体残疾一级，有效期至 长期"), else the latest that is
 * not ("视力残疾一级，有效期至 2026-12-30，已过期" / "…，证件状态 注销"), else
 * "查无残疾人证". */
bd_err bd_cert_describe(bd_view *v, int32_t as_of, const uint8_t hid[32], char *out, size_t n);
/* A programme list parameter ("DIBAO, TEKUN") as reviewers read it
 * ("低保、特困"); an unparsable list is copied as written. */
const char *bd_prog_names(const char *list, char *out, size_t n);
/* Names of the sources in a death (公安户籍、卫健死亡证明、民政火化记录). */
const char *bd_death_sources(unsigned sources, char *out, size_t n);

/* A set of hids a rule's prepare builds once per run (bd_matcher.prepare):
 * add, then seal (sort, drop repeats), then ask. */
typedef struct bd_hidset {
	size_t n, cap;
	uint8_t (*h)[32];
} bd_hidset;

bd_err bd_hidset_add(bd_hidset *s, const uint8_t h[32]);
void bd_hidset_seal(bd_hidset *s);
bool bd_hidset_has(const bd_hidset *s, const uint8_t h[32]);
/* A new empty set on the heap; NULL when out of memory. */
bd_hidset *bd_hidset_new(void);
/* Frees a set made by bd_hidset_new (a bd_matcher.release). */
void bd_hidset_free(void *s);

bd_err bd_rule_c01(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_c02(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_c03(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_c04(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_c07(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_c05(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_c06(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_l01(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_l02(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_l03(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_l04(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_l05(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_cand_l05(bd_ruleenv *env, const uint8_t *subject, bool *yes);
bd_err bd_prep_l05(bd_ruleenv *env, void **state);
bd_err bd_prep_r01(bd_ruleenv *env, void **state);
bd_err bd_rule_l06(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_r01(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_r02(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_q01(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_q02(bd_ruleenv *env, const uint8_t *subject);
bd_err bd_rule_q03(bd_ruleenv *env, const uint8_t *subject);

extern const bd_param bd_params_c02[];
extern const bd_param bd_params_c01[], bd_params_c03[], bd_params_c04[], bd_params_c05[],
	bd_params_c06[], bd_params_c07[], bd_params_l01[],
	bd_params_l02[], bd_params_l03[], bd_params_l04[], bd_params_l05[], bd_params_l06[], bd_params_r01[], bd_params_r02[], bd_params_q01[], bd_params_q02[], bd_params_q03[];
extern const bd_evcol bd_cols_c01[], bd_cols_c02[], bd_cols_c03[], bd_cols_c04[], bd_cols_c05[],
	bd_cols_c06[], bd_cols_c07[], bd_cols_l01[], bd_cols_l02[], bd_cols_l03[], bd_cols_l04[],
	bd_cols_l05[], bd_cols_l06[], bd_cols_r01[], bd_cols_r02[], bd_cols_q01[], bd_cols_q02[],
	bd_cols_q03[];

#endif
