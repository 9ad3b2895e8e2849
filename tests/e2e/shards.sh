# The sharded index: flags.csv, rejected.csv and every workbook's rows are
# byte-identical whatever the shard count (fixed when an index is created)
# and the thread count; stats shows the shard count; a RUN.ini asking for
# another shard count than the index's is refused with a clear message.
. tests/e2e/lib.inc
copy_run "$FIX"
ini="$WORK/run/RUN.ini"
base=""
# index_id S: the identity of the index with S shards (bidui stats)
index_id() {
	"$BIN" stats --config "$WORK/run/RUN-$1.ini" | grep -o '索引标识 [0-9a-f]*' | cut -d' ' -f2
}
for st in 1:1 2:2 4:3 8:2 16:1; do
	s=${st%:*} t=${st#*:}
	sed -e "s|^index .*|index = var/index-$s|" -e "s|^out .*|out = out/$s-$t|" \
		-e "s|^\[run\]|[run]\nshards = $s\nthreads = $t|" "$ini" > "$WORK/run/RUN-$s.ini"
	"$BIN" run --config "$WORK/run/RUN-$s.ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "run with $s shards, $t threads"; }
	[ "$(ls -d "$WORK/run/var/index-$s"/shard-* | wc -l)" -eq "$s" ] || fail "$s shards asked, $(ls -d "$WORK/run/var/index-$s"/shard-* | wc -l) folders"
	"$BIN" stats --config "$WORK/run/RUN-$s.ini" | grep -q "，$s 个分片）" || fail "stats does not show $s shards"
	out="$WORK/run/out/$s-$t"
	n=$(wc -l < "$out/flags.csv")
	[ "$n" -gt 300 ] || fail "only $n lines in flags.csv with $s shards"
	if [ -z "$base" ]; then
		base=$out
		continue
	fi
	cmp "$base/flags.csv" "$out/flags.csv" || fail "flags.csv differs between 1 shard/1 thread and $s shards/$t threads"
	cmp "$base/rejected.csv" "$out/rejected.csv" || fail "rejected.csv differs with $s shards"
	cmp "$base/lifecycle.csv" "$out/lifecycle.csv" 2>/dev/null || [ ! -f "$base/lifecycle.csv" ] ||
		fail "lifecycle.csv differs with $s shards"
	# township workbooks: the sheet XML (core.xml carries the time of
	# writing; the summary's run sheet the thread count and times)
	for b in "$base"/*核查表.xlsx; do
		o="$out/$(basename "$b")"
		[ -f "$o" ] || fail "$(basename "$b") missing with $s shards"
		# each index has its own identity (索引标识), on the cover
		[ "$(xlsx_cat "$b" | grep -v '<dcterms:' | sed "s/$(index_id 1)/ID/g" | cksum)" = \
		  "$(xlsx_cat "$o" | grep -v '<dcterms:' | sed "s/$(index_id "$s")/ID/g" | cksum)" ] ||
			fail "$(basename "$b") differs with $s shards"
	done
done
# the shard count is the index's: another one is refused, naming both
sed -e "s|^index .*|index = var/index-4|" -e "s|^\[run\]|[run]\nshards = 8|" "$ini" > "$WORK/run/RUN-x.ini"
set +e
"$BIN" ingest --config "$WORK/run/RUN-x.ini" >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "ingest with shards = 8 on a 4-shard index: exit $rc (a RUN.ini error: 2)"
grep -q "4 个分片" "$WORK/err" && grep -q "shards = 8" "$WORK/err" || { cat "$WORK/err"; fail "message does not name both shard counts"; }
# a bad value is a RUN.ini error naming the key
sed -e "s|^\[run\]|[run]\nshards = 3|" "$ini" > "$WORK/run/RUN-y.ini"
set +e
"$BIN" ingest --config "$WORK/run/RUN-y.ini" >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "shards = 3: exit $rc"
grep -q "shards" "$WORK/err" || { cat "$WORK/err"; fail "shards = 3 not named"; }
