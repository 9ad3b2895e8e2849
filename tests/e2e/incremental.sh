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
# a first match keeps the roll-independent facts (R02's residents per
# village, L05's candidates) in the index; the match after the roll-only
# quarter below uses them and must still equal a fresh index's flags
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "first match"
python3 - var/index <<'PY' || fail "no derived facts kept after a match"
import subprocess, sys
out = subprocess.run(['mdb_dump', '-s', 'cache', '-p', sys.argv[1]], capture_output=True, text=True).stdout
for name in ('R02:residents', 'candidates:L05'):
    if name not in out:
        print(name, 'not kept'); sys.exit(1)
PY
# only the roll changes (a row dropped): the roll alone is read again
drop_records in/民政_其他救助名册.csv 25
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
# the incremental index gives the flags of a fresh one (the match uses the
# kept facts: the registry and the other datasets did not change)
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "match"
sed -e 's|^index .*|index = var/fresh|' -e 's|^out .*|out = out/fresh|' RUN.ini > RUN-fresh.ini
"$BIN" run --config RUN-fresh.ini >/dev/null 2>&1 || fail "fresh run"
cmp out/2026Q4/flags.csv out/fresh/flags.csv || fail "incremental and fresh indexes give different flags"
# the next quarter's D: the same files read the same unless an ID's birth
# date lies between the two reference dates. A prisoner born on 2027-02-01
# (a typing error) is rejected at D = 2026-12-31 and valid at 2027-03-31:
# only ga.custody is read again then; at 2027-01-15 nothing is.
python3 - in/公安_监狱服刑人员.csv <<'PY'
import sys
p = sys.argv[1]
rows = open(p, encoding='gbk').read().splitlines()
last = rows[-1].split(',')
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
i17 = '41010220270201001'
last[2] = i17 + '10X98765432'[sum(int(c) * k for c, k in zip(i17, w)) % 11]
rows.append(','.join(last))
open(p, 'w', encoding='gbk').write('\n'.join(rows) + '\n')
PY
"$BIN" ingest --config RUN.ini >/dev/null 2>err || { cat err; fail "ingest with a prisoner born after D"; }
grep -q '2027' out/2026Q4/rejected.csv 2>/dev/null || grep -q 'id_' out/2026Q4/rejected.csv || fail "no rejected rows"
before=$(grep -c . out/2026Q4/rejected.csv)
for q in 2027-01-15:9 2027-03-31:8; do
	d=${q%:*} skipped=${q#*:}
	sed -e "s/^as_of .*/as_of = $d/" -e 's/^roll_month .*//' RUN.ini > RUN-next.ini
	"$BIN" ingest --config RUN-next.ini >/dev/null 2>err || { cat err; fail "ingest at D = $d"; }
	[ "$(grep -c '未变化' err)" -eq "$skipped" ] || { cat err; fail "D = $d: expected $skipped datasets unchanged"; }
done
grep '未变化' err | grep -q 'ga.custody' && fail "ga.custody not read again at D = 2027-03-31"
after=$(grep -c . out/2026Q4/rejected.csv)
[ "$after" -eq $((before - 1)) ] || fail "the prisoner born 2027-02-01 is still rejected at D = 2027-03-31 ($before -> $after rows)"
