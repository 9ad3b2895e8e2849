# A match that fails leaves the previous outputs as they were: no new
# lifecycle.csv, flags.csv or manifest.json under their final names, no
# temporary file, and the run is not recorded in the history.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "ingest"
out=out/2026Q4
# flags.csv cannot take its name (a folder is in the way)
mkdir -p "$out/flags.csv"
set +e
"$BIN" match --config RUN.ini >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$WORK/err"; fail "match with flags.csv blocked: exit $rc"; }
[ ! -e "$out/lifecycle.csv" ] || fail "a failed match left lifecycle.csv"
[ ! -e "$out/manifest.json" ] || fail "a failed match left manifest.json"
[ -z "$(ls -A "$out" | grep '\.tmp$')" ] || fail "temporary files left: $(ls -A "$out")"
"$BIN" stats --config RUN.ini | grep -q '尚未比对' || fail "the failed run was recorded in the history"
rmdir "$out/flags.csv"
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "match"
for f in flags.csv lifecycle.csv manifest.json; do [ -s "$out/$f" ] || fail "$f missing after a good match"; done
# report: a township workbook of this period that this run does not write
# (the township has no flag any more) is removed; other periods' are kept
echo stale > "$out/2026Q4_旧乡镇_核查表.xlsx"
echo other > "$out/2026Q3_旧乡镇_核查表.xlsx"
"$BIN" report --config RUN.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "report"; }
[ ! -e "$out/2026Q4_旧乡镇_核查表.xlsx" ] || fail "a stale workbook of the period was kept"
[ -e "$out/2026Q3_旧乡镇_核查表.xlsx" ] || fail "another period's workbook was removed"
[ "$(ls "$out"/2026Q4_*_核查表.xlsx | wc -l)" -ge 10 ] || fail "this run's workbooks are missing"
