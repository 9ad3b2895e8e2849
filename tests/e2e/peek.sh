# bidui peek: format, encoding, sheets, header and column mapping, and the
# rows exactly as the readers deliver them; IDs masked unless --show-id.
. tests/e2e/lib.inc
D=$PWD/tests/data
cd "$WORK"
"$BIN" peek "$D/xls_formula.xls" --all --show-id > all.txt 2> err.txt || fail "peek --all"
python3 - all.txt <<'PY' || exit 1
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
want = [
    '== 工作表 1 "名册"',
    "2\t1\t张三\t410502195809029318\t450.5\t2023-03-15\tTRUE\t正常\t",
    "3\t2\t李四\t#DIV/0!\t#NULL!\tFALSE\tFALSE\t\t#N/A",
    "4\t\t\t\t381\t2024-01-01\t36:00:00",
    "5",
    "6\t共享公式\t\t\t\t\t\t\t-0.25",
    '== 工作表 2 "Sheet2"',
    "1\t7",
]
for w in want:
    if not any(l == w or (w.endswith("\t") and l.startswith(w)) for l in lines):
        sys.exit("FAIL: peek --all lacks line %r" % w)
PY
grep -q "第 6 行第 7 列" err.txt || fail "unreadable cell not warned on stderr"
# masked by default
"$BIN" peek "$D/xls_formula.xls" --rows 2 > two.txt || fail "peek --rows 2"
grep -q "410502195809029318" two.txt && fail "raw ID printed without --show-id"
grep -q "410502\*\*\*\*\*\*\*\*9318" two.txt || fail "masked ID missing"
grep -q '^工作表 (2): 1 "名册" (读取) 2 "Sheet2"' two.txt || { cat two.txt; fail "sheet list"; }
[ "$(grep -c '^[0-9]' two.txt)" -eq 2 ] || fail "--rows 2 printed another count"
# a UTF-16 TSV (Excel's "Unicode 文本") with the mapping for a dataset
printf '\377\376' > roll.txt
printf '家庭编号\t保障类别\t姓名\t身份证号码\t乡镇\t村居\r\nH1\t低保\t张三\t11010519491231002X\t东街\t东村\r\n' |
	iconv -f UTF-8 -t UTF-16LE >> roll.txt
"$BIN" peek roll.txt --dataset mz.roll > map.txt || fail "peek --dataset"
grep -q "编码: utf-16le" map.txt || { cat map.txt; fail "encoding not shown"; }
grep -q "^表头: 第 1 行" map.txt || { cat map.txt; fail "header row"; }
grep -q '^  id .*<- 第 4 列 "身份证号码"' map.txt || { cat map.txt; fail "id mapping"; }
grep -q "^必需的列: 齐全" map.txt || fail "required columns"
grep -q "^2	H1	低保	张三	110105\*\*\*\*\*\*\*\*002X	东街	东村$" map.txt || { cat map.txt; fail "row 2"; }
# a header that lacks a required column says which
printf '姓名,证件\n张三,1\n' > bad.csv
"$BIN" peek bad.csv --dataset mz.roll > bad.txt || fail "peek on a headerless file"
grep -q "找不到 mz.roll 的表头" bad.txt && grep -q "身份证号码 (id)" bad.txt || { cat bad.txt; fail "missing column not named"; }
# usage errors exit 2; an unreadable file exits 1 naming it
set +e
"$BIN" peek >/dev/null 2>&1; [ $? -eq 2 ] || fail "no file: exit 2"
"$BIN" peek bad.csv --dataset no.such >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad dataset: exit 2"
"$BIN" peek "$D/xls_password.xls" >/dev/null 2>pw.txt; rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q "xls_password.xls" pw.txt || fail "password .xls: exit $rc"
