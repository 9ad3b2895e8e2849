# Incremental ingest: a dataset whose files (SHA-256) and settings are
# those of its snapshot is not read again; a quarter in which only the
# roll changed re-reads the roll alone, and its flags equal those of a
# fresh index built from the same inputs.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "first ingest"
"$BIN" stats --config RUN.ini > stats1
"$BIN" ingest --config RUN.ini >/dev/null 2>err || { cat err; fail "second ingest"; }
[ "$(grep -c '未变化' err)" -eq 9 ] || { cat err; fail "not every dataset was skipped as unchanged"; }
"$BIN" stats --config RUN.ini > stats2
cmp -s stats1 stats2 || { diff stats1 stats2; fail "an unchanged ingest changed the index"; }
# only the roll changes (a row dropped): the roll alone is read again
head -n -25 in/民政_其他救助名册.csv > x && mv x in/民政_其他救助名册.csv
"$BIN" ingest --config RUN.ini >/dev/null 2>err || { cat err; fail "roll-only ingest"; }
[ "$(grep -c '未变化' err)" -eq 8 ] || { cat err; fail "expected 8 datasets unchanged"; }
grep '未变化' err | grep -q 'mz.roll' && fail "the changed roll was skipped"
"$BIN" stats --config RUN.ini > stats3
diff stats2 stats3 | grep -q '^> mz.roll' || fail "the roll's snapshot did not change"
[ "$(diff stats2 stats3 | grep -c '^> [a-z]')" -eq 1 ] || { diff stats2 stats3; fail "other datasets changed"; }
# a changed setting is a change too: the same file read with a column alias
sed -i 's|^\[dataset mz.cadre\]|[dataset mz.cadre]\nalias.role = 任职岗位|' RUN.ini
grep -q 'alias.role' RUN.ini || fail "fixture RUN.ini has no [dataset mz.cadre]"
"$BIN" ingest --config RUN.ini >/dev/null 2>err || { cat err; fail "ingest after a setting changed"; }
grep '未变化' err | grep -q 'mz.cadre' && fail "a changed setting did not re-read the dataset"
# the incremental index gives the flags of a fresh one
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "match"
sed -e 's|^index .*|index = var/fresh|' -e 's|^out .*|out = out/fresh|' RUN.ini > RUN-fresh.ini
"$BIN" run --config RUN-fresh.ini >/dev/null 2>&1 || fail "fresh run"
cmp out/2026Q4/flags.csv out/fresh/flags.csv || fail "incremental and fresh indexes give different flags"
