# The generated fixture county, in every form (GBK CSV, gzip+GBK+CRLF,
# BOM+CRLF, GB18030, TSV, XLSX with numeric ID cells, HTML .xls), ingests;
# every file's accounting equals the generator's expectation (truth/rows.csv)
# reason by reason; no raw ID of the inputs is in the index or rejected.csv;
# the health department's pre-hashed IDs join the registry; and the index is
# the same for 1 and 2 threads.
. tests/e2e/lib.inc
[ -f "$FIX/RUN.ini" ] || fail "fixture county not generated ($FIX)"
copy_run "$FIX"
ini="$WORK/run/RUN.ini"
"$BIN" ingest --config "$ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "ingest"; }
python3 tests/e2e/check_index.py "$WORK/run/var/index" "$WORK/run/out/2026Q4/rejected.csv" \
	--samples "$WORK/run/in" --expect "$WORK/run/truth/rows.csv" \
	--join wj.death:ga.person --join mz.cremation:ga.person --join mz.cadre:ga.person ||
	fail "index checks"
# the rejected rows carry the right reasons at the right rows
grep -q '民政_低保名册.xlsx,[0-9]*,id,excel_mangled,410102\*\*\*\*\*\*\*\*[0-9]000,mz.roll 低保' \
	"$WORK/run/out/2026Q4/rejected.csv" || fail "numeric ID cells not reported as excel_mangled"
grep -q ',id,excel_mangled,4.1010\*E+17,mz.roll 其他' "$WORK/run/out/2026Q4/rejected.csv" ||
	fail "scientific notation not reported as excel_mangled"
# thread count does not change the index
dump() {
	for db in ga.person ga.person#child ga.person#spouse ga.person#hukou \
		ga.person#b14 ga.vehicle ga.custody cl.cert wj.death wj.illness mz.cremation \
		mz.cadre mz.roll mz.roll#bad rejected; do
		mdb_dump -s "$db" "$1" | sed 1,/HEADER=END/d
	done | sha256sum
}
a=$(dump "$WORK/run/var/index")
sed -i 's/^out .*/&\nthreads = 1/' "$ini"
rm -rf "$WORK/run/var"
"$BIN" ingest --config "$ini" >/dev/null 2>&1 || fail "ingest with 1 thread"
b=$(dump "$WORK/run/var/index")
[ "$a" = "$b" ] || fail "index differs between thread counts"
