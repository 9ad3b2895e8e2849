# A full disk under the index: the ingest stops with "磁盘已满", the space
# it needs and exit 1 (never SIGBUS), and the previous generation stays
# whole. Also an out/ that cannot be written fails the ingest before its
# commit. Needs root to mount a small tmpfs; skipped (passes) without.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
mkdir -p small
if ! mount -t tmpfs -o size=64m tmpfs small 2>/dev/null; then
	echo "SKIP: cannot mount a tmpfs here (not root?)"
	exit 0
fi
trap 'umount "$WORK/run/small" 2>/dev/null; rm -rf "$WORK"' EXIT
sed -i -e 's|^index .*|index = small/index|' -e "s|^\[run\]|[run]\nshards = 2|" RUN.ini
"$BIN" run --config RUN.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "first run on a 64 MiB disk"; }
cp out/2026Q4/flags.csv flags-before
# a registry of 150 000 persons needs far more than what is left
cc -O2 -o gen_person "$OLDPWD/bench/gen_person.c" || fail "cc gen_person"
./gen_person 150000 persons.csv
gzip -c persons.csv > in/公安_户籍人口.csv.gz
set +e
"$BIN" ingest --config RUN.ini >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$WORK/err"; fail "ingest on a full disk: exit $rc (135 = SIGBUS)"; }
grep -q '磁盘已满' "$WORK/err" && grep -q 'MiB' "$WORK/err" || { cat "$WORK/err"; fail "message does not say the disk is full and how much is needed"; }
"$BIN" match --config RUN.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "match after the failed ingest"; }
cmp -s out/2026Q4/flags.csv flags-before || fail "the failed ingest changed the index"
# an output folder that cannot be written: the ingest fails before its commit
cp "$FIX/in/公安_户籍人口.csv.gz" in/
drop_records in/民政_其他救助名册.csv 30
"$BIN" stats --config RUN.ini > stats-before
sed -e 's|^out .*|out = flags-before/out|' RUN.ini > RUN-badout.ini
set +e
"$BIN" ingest --config RUN-badout.ini >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$WORK/err"; fail "ingest with an unwritable out/: exit $rc"; }
"$BIN" stats --config RUN.ini > stats-after
cmp -s stats-before stats-after || { diff stats-before stats-after; fail "the index changed although rejected.csv could not be written"; }
# report on a full disk: "磁盘空间不足", not a zip library's error code
cd "$WORK/run"
sed -e 's|^index .*|index = var/index2|' RUN.ini > RUN2.ini
"$BIN" ingest --config RUN2.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "ingest on a normal disk"; }
"$BIN" match --config RUN2.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "match"; }
mkdir -p smallout
mount -t tmpfs -o size=300k tmpfs smallout || fail "mount"
trap 'umount "$WORK/run/smallout" 2>/dev/null; umount "$WORK/run/small" 2>/dev/null; rm -rf "$WORK"' EXIT
cp out/2026Q4/flags.csv out/2026Q4/manifest.json smallout/
[ -f out/2026Q4/lifecycle.csv ] && cp out/2026Q4/lifecycle.csv smallout/
sed -e 's|^out .*|out = smallout|' RUN2.ini > RUN-smallout.ini
set +e
"$BIN" report --config RUN-smallout.ini >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$WORK/err"; fail "report on a full disk: exit $rc"; }
grep -q '磁盘空间不足' "$WORK/err" || { cat "$WORK/err"; fail "report on a full disk does not say 磁盘空间不足"; }
