# The key guards the index: a group-readable key is refused, and an index
# built under one key refuses another key (an error, not zero matches).
. tests/e2e/lib.inc
copy_run "$SAMPLES"
ini="$WORK/run/RUN.ini"
"$BIN" ingest --config "$ini" --dataset mz.cadre >/dev/null 2>&1 || fail "ingest"
chmod 644 "$WORK/run/sample.key"
set +e
"$BIN" ingest --config "$ini" --dataset mz.cadre >/dev/null 2>"$WORK/err1"; rc1=$?
chmod 600 "$WORK/run/sample.key"
rm "$WORK/run/sample.key"
"$BIN" keygen "$WORK/run/sample.key" >/dev/null || exit 1
"$BIN" ingest --config "$ini" --dataset mz.cadre >/dev/null 2>"$WORK/err2"; rc2=$?
"$BIN" stats --config "$ini" >/dev/null 2>"$WORK/err3"; rc3=$?
set -e
[ "$rc1" -eq 1 ] && grep -q 'chmod 600' "$WORK/err1" || { cat "$WORK/err1"; fail "open key accepted"; }
[ "$rc2" -eq 1 ] && grep -q '另一把密钥' "$WORK/err2" || { cat "$WORK/err2"; fail "other key accepted by ingest"; }
[ "$rc3" -eq 1 ] && grep -q '另一把密钥' "$WORK/err3" || { cat "$WORK/err3"; fail "other key accepted by stats"; }
