/*
 * runner.h - runs the rules (bd_matchers) on all cores: a rule over its
 * subjects in partitions by the leading byte of the hid, each partition on
 * its own thread with its own bd_view; the rules over roll persons
 * together, so a person's records are read once for all of them. Flags
 * come out in partition order, which never depends on the thread count
 * once sorted. Rule parameters come from RUN.ini.
 */
#ifndef BD_RUNNER_H
#define BD_RUNNER_H

#include "bd/match.h"

/* The parameter values of m into vals (NULL-terminated, at most 15):
 * defaults overridden by [rule ID] of cfg; an unknown key is an error
 * naming the known ones. The strings are owned by m and cfg. */
bd_err bd_rule_params(const bd_config *cfg, const bd_matcher *m, const char *vals[16]);

/* Runs the BD_SUBJ_ROLLPERSON rules bd_matchers[rules[0..n)] over the
 * roll in nthreads partitions (params: every rule's values, by index into
 * bd_matchers); out[r] gets rule r's flags as if each rule had run alone
 * (bd_run_matcher). */
bd_err bd_run_roll_group(const size_t *rules, size_t n, bd_facts *facts, const bd_roll *roll,
			 const char *(*params)[16], int nthreads, bd_flags *out);

/* Runs matcher m over its subjects in nthreads partitions (one for
 * BD_SUBJ_BADROW and BD_SUBJ_ONCE) and appends its flags to out. A
 * BD_SUBJ_KEYS rule with a candidate test runs on the candidates kept in
 * the index while its other datasets and parameters are unchanged, and
 * keeps those of a full scan (bd_facts_cache_put). */
bd_err bd_run_matcher(const bd_matcher *m, bd_facts *facts, const bd_roll *roll,
		      const char *const *params, int nthreads, bd_flags *out);

#endif
