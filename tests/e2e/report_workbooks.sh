# bidui report: township workbooks read back with openpyxl agree with flags.csv.
. tests/e2e/lib.inc
copy_run "$FIX"
"$BIN" run --config "$WORK/run/RUN.ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "run"; }
/usr/bin/python3 tests/e2e/report_check.py "$WORK/run/out/2026Q4" 2026Q4 || fail "workbooks"
ls "$WORK"/run/out/2026Q4/.*tmp 2>/dev/null && fail "temporary files left behind"
# a township name with characters Windows forbids in file names still gets
# its workbook, named with _ for them, and its real name on the cover
python3 - "$WORK/run/out/2026Q4/flags.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
t = rows[0].index('township')
rows[1][t] = '东/西街道:一*二'
csv.writer(open(sys.argv[1], 'w', encoding='utf-8', newline='')).writerows(rows)
PY
"$BIN" report --config "$WORK/run/RUN.ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "report"; }
[ -f "$WORK/run/out/2026Q4/2026Q4_东_西街道_一_二_核查表.xlsx" ] || fail "township file name not made safe"
xlsx_cat "$WORK/run/out/2026Q4/2026Q4_东_西街道_一_二_核查表.xlsx" xl/worksheets/sheet1.xml | grep -q '东/西街道:一\*二 ' ||
	fail "the cover must keep the township's real name"
exit 0
