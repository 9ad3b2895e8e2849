# bidui review and the lifecycle across two quarters (see review_lifecycle.py).
. tests/e2e/lib.inc
copy_run "$FIX"
/usr/bin/python3 tests/e2e/review_lifecycle.py "$BIN" "$WORK/run" || fail "review and lifecycle"
