# Issue 10 point 7: a rule parameter or [run] value that does not fit its
# type (text, negative, overflowing) or a key given twice is a usage error
# (exit 2) naming the file, line, section, key, value and what is expected,
# before anything is read or written; before, `self_pay_threshold = abc`
# ran L06 with a threshold of 0.
. tests/e2e/lib.inc
cd "$WORK"
"$BIN" keygen k.key >/dev/null
printf '家庭编号,保障类别,姓名,身份证号码,乡镇,村居\nH1,低保,张三,11010519491231002X,东街,东村\n' > roll.csv
run_ini() { # EXTRA: RUN.ini with a roll and EXTRA appended
	printf '[run]\nperiod=2026Q4\nas_of=2026-12-31\njurisdiction=110105\nkey=k.key\nout=out\n'
	printf '[dataset mz.roll]\nfile=roll.csv\nencoding=utf-8\n%b' "$1"
}
run_ini '' > RUN.ini
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "good ingest"
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "good match"
[ -f out/flags.csv ] || fail "good match wrote no flags.csv"
rm -rf out
expect_usage() { # COMMAND EXTRA NEEDLE...
	cmd=$1 extra=$2; shift 2
	run_ini "$extra" > RUN.ini
	set +e
	"$BIN" "$cmd" --config RUN.ini >/dev/null 2>err.txt
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || { cat err.txt; fail "$cmd with '$extra': exit $rc, expected 2"; }
	for n in "$@"; do
		grep -qF -- "$n" err.txt || { cat err.txt; fail "$cmd with '$extra': message lacks '$n'"; }
	done
	[ ! -e out/flags.csv ] || fail "$cmd with '$extra' wrote flags.csv"
}
for v in abc -5 1e400; do
	expect_usage match "[rule L06]\nself_pay_threshold = $v\n" \
		"RUN.ini:11: [rule L06] self_pay_threshold = $v: 应为金额" "范围 1 至 10000000 元"
done
expect_usage match "[rule C07]\nmin_age = 8O\n" "RUN.ini:11: [rule C07] min_age = 8O: 应为整数，范围 60 至 120"
expect_usage match "[rule C04]\nprogrammes = DIBAO, 低保\n" "[rule C04] programmes = DIBAO, 低保: 低保 不是保障项目代码"
expect_usage report "[rule L03]\nsevere_set = 1-5\n" "[rule L03] severe_set = 1-5: 应为残疾等级集合"
# the whole run stops before its ingest
expect_usage run "[rule R02]\nfactor = 三\n" "[rule R02] factor = 三: 应为数"
# a key given twice: the last one silently won before
expect_usage ingest "[rule L06]\nself_pay_threshold = 1000\nself_pay_threshold = 2000\n" \
	"RUN.ini:12: [rule L06] 中的键 self_pay_threshold 重复（第 11 行已设置"
printf '[run]\nperiod=2026Q4\nas_of=2026-12-31\njurisdiction=110105\nkey=k.key\nthreads=2\nthreads=8\n' > RUN.ini
set +e
"$BIN" stats --config RUN.ini >/dev/null 2>err.txt; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -qF "RUN.ini:7: [run] 中的键 threads 重复（第 6 行已设置" err.txt ||
	{ cat err.txt; fail "duplicate [run] key: exit $rc"; }
# a good value is taken
run_ini "[rule L06]\nself_pay_threshold = 15000.50\n" > RUN.ini
"$BIN" match --config RUN.ini >/dev/null 2>err.txt || { cat err.txt; fail "good parameter refused"; }
grep -q '"self_pay_threshold": "15000.50"' out/manifest.json || fail "manifest lacks the parameter"
echo "config_params: bad values and duplicate keys are usage errors"
