# The .xls files that crashed, over-read or leaked inside FreeXL
# (tests/fuzz/crashes/, found by fuzz_xls) are read by bidui's own BIFF
# reader without a crash: peek shows them or says why not (exit 0 or 1,
# never a signal); under the sanitizer build, without a report.
. tests/e2e/lib.inc
n=0
for f in tests/fuzz/crashes/*.xls; do
	set +e
	"$BIN" peek "$f" --all >/dev/null 2>"$WORK/err"
	rc=$?
	set -e
	[ "$rc" -le 1 ] || { cat "$WORK/err"; fail "$f: exit $rc"; }
	[ "$rc" -eq 0 ] || grep -q "$(basename "$f")" "$WORK/err" || { cat "$WORK/err"; fail "$f: the message does not name the file"; }
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n reproducers"
# a damaged .xls whose cell a row needs: that row is rejected with its own
# reason (cell_unreadable, not required_empty), the others accepted, and
# the ingest says where the first unreadable cell is
mkdir -p "$WORK/r" && cd "$WORK/r"
cp "$OLDPWD/tests/data/xls_cadre_unreadable.xls" cadre.xls
cp "$FIX/bidui.key" . && chmod 600 bidui.key
printf '[run]\nperiod = 2026Q4\nas_of = 2026-12-31\njurisdiction = 410102\nkey = bidui.key\nindex = index\nout = out\n[dataset mz.cadre]\nfile = cadre.xls\n' > RUN.ini
"$BIN" ingest --config RUN.ini >/dev/null 2>err || { cat err; fail "ingest of a damaged .xls"; }
grep -q '第 3 行第 3 列' err || { cat err; fail "the unreadable cell is not named on stderr"; }
python3 - out/rejected.csv <<'PY' || fail "row 3 not rejected as cell_unreadable"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))
ok = len(rows) == 1 and rows[0]['row'] == '3' and rows[0]['reason'] == 'cell_unreadable'
print(rows if not ok else 'row 3: cell_unreadable')
sys.exit(0 if ok else 1)
PY
"$BIN" stats --config RUN.ini | grep -q '读入 2，接收 1，拒收 1' || fail "accounting"
