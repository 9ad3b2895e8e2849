# Runs beside an ingest see one generation: matches run in a loop while
# ingests switch the county between two quarters' inputs, and every
# flags.csv is one quarter's, byte for byte. A second ingest while one
# holds the index is refused with a clear message.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
mv in in-a
cp -r in-a in-b
zcat in-a/公安_户籍人口.csv.gz | head -n -1500 | gzip > in-b/公安_户籍人口.csv.gz
drop_records in-b/民政_其他救助名册.csv 60
for q in a b; do
	ln -sfn "in-$q" in
	sed -e "s|^index .*|index = var/index-$q|" -e "s|^out .*|out = out/$q|" RUN.ini > "RUN-$q.ini"
	"$BIN" run --config "RUN-$q.ini" >/dev/null 2>&1 || fail "run on quarter $q"
	cp "out/$q/flags.csv" "flags-$q"
done
cmp -s flags-a flags-b && fail "the two quarters give the same flags: the test is too weak"
ln -sfn in-a in
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "first ingest"
# the writer: alternates the inputs, ingesting each
(
	for i in $(seq 1 "${BD_TEST_ROUNDS:-8}"); do
		if [ $((i % 2)) -eq 1 ]; then ln -sfn in-b in; else ln -sfn in-a in; fi
		"$BIN" ingest --config RUN.ini >/dev/null 2>"$WORK/ingest.err" || { cat "$WORK/ingest.err"; touch "$WORK/ingest.failed"; }
	done
	touch "$WORK/writer.done"
) &
n=0 a=0 b=0
while [ ! -f "$WORK/writer.done" ] || [ "$n" -lt 5 ]; do
	sed -e "s|^out .*|out = out/m$n|" RUN.ini > RUN-m.ini
	"$BIN" match --config RUN-m.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "match $n beside an ingest"; }
	if cmp -s "out/m$n/flags.csv" flags-a; then a=$((a + 1))
	elif cmp -s "out/m$n/flags.csv" flags-b; then b=$((b + 1))
	else diff "out/m$n/flags.csv" flags-a | head -5; fail "match $n saw neither quarter"; fi
	rm -rf "out/m$n"
	n=$((n + 1))
done
wait
[ ! -f "$WORK/ingest.failed" ] || fail "an ingest failed beside the matches"
echo "$n matches beside ${BD_TEST_ROUNDS:-8} ingests: $a saw quarter a, $b quarter b"
# two writers: the second is refused while the first holds the index
python3 - var/index/writer.lock "$BIN" RUN.ini <<'PY' || fail "second writer"
import fcntl, subprocess, sys
lock, binary, ini = sys.argv[1:]
with open(lock, 'a') as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    r = subprocess.run([binary, 'ingest', '--config', ini], capture_output=True, text=True)
if r.returncode != 1 or '正被另一个 bidui ingest 写入' not in r.stderr:
    print('second writer: exit', r.returncode, r.stderr); sys.exit(1)
PY
