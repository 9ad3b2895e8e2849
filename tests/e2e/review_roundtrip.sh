# bidui review reports every row it cannot record and keeps every batch (see review_roundtrip.py).
. tests/e2e/lib.inc
copy_run "$FIX"
/usr/bin/python3 tests/e2e/review_roundtrip.py "$BIN" "$WORK/run" || fail "review round trip"
