# Bad input stops the ingest with a message naming the file, the row or
# the columns, and what to do; the index keeps its previous snapshot.
. tests/e2e/lib.inc
cd "$WORK"
"$BIN" keygen k.key >/dev/null
printf '[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=410102\nkey=k.key\n[dataset mz.roll]\nfile=roll.csv\nencoding=utf-8\n' > RUN.ini
expect_error() { # WHAT NEEDLE...
	what=$1; shift
	set +e
	"$BIN" ingest --config RUN.ini >/dev/null 2>err.txt
	rc=$?
	set -e
	[ "$rc" -eq 1 ] || fail "$what: exit $rc, expected 1"
	for n in "$@"; do
		grep -qF -- "$n" err.txt || { cat err.txt; fail "$what: message lacks '$n'"; }
	done
}
printf '家庭编号,保障类别,姓名,身份证号码,乡镇,村居\nH1,低保,张三,11010519491231002X,东街,东村\n' > roll.csv
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "good file"
printf '家庭编号,保障类别,姓名,身份证号码,乡镇,村居\nH1,困境儿童生活费,张三,11010519491231002X,东街,东村\nH2,低保,李四,11010519491231002X,东街,东村\nH3,困境儿童生活费,王五,11010519491231002X,东街,东村\n' > roll.csv
expect_error "unknown programme" "roll.csv" "「困境儿童生活费」2 行" "programme.取值 = 代码"
printf '家庭编号,类别,姓名,证件,乡镇,村居\nH1,低保,张三,11010519491231002X,东街,东村\n' > roll.csv
expect_error "missing column" "缺少必需的列" "保障类别 (programme)" "身份证号码 (id)" "家庭编号 | 类别 | 姓名 | 证件" "alias."
printf '家庭编号,保障类别,姓名,身份证号码,乡镇,村居\nH1,低保,张三,11010519491231002X,东街,东村\nH2,\265\315\261\243,\325\305,11010519491231002X,a,b\n' > roll.csv
expect_error "GBK bytes in a UTF-8 file" "roll.csv 第 3 行" "encoding ="
"$BIN" stats --config RUN.ini > stats.txt || fail "stats after failed ingests"
grep -q '^mz.roll *记录 1 条' stats.txt || { cat stats.txt; fail "the first snapshot did not survive"; }
