# The .xls files that crashed, over-read or leaked inside FreeXL
# (tests/fuzz/crashes/, found by fuzz_xls) are read by bidui's own BIFF
# reader without a crash: peek shows them or says why not (exit 0 or 1,
# never a signal); under the sanitizer build, without a report.
. tests/e2e/lib.inc
n=0
for f in tests/fuzz/crashes/*.xls; do
	set +e
	"$BIN" peek "$f" --all >/dev/null 2>"$WORK/err"
	rc=$?
	set -e
	[ "$rc" -le 1 ] || { cat "$WORK/err"; fail "$f: exit $rc"; }
	[ "$rc" -eq 0 ] || grep -q "$(basename "$f")" "$WORK/err" || { cat "$WORK/err"; fail "$f: the message does not name the file"; }
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n reproducers"
