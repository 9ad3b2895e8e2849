#!/bin/sh
# Runs every unit test binary given as arguments, then every end-to-end
# script in tests/e2e/, and closes with "N passed, N failed".
# Unit binaries are cmocka programs; each test case counts once. An e2e
# script counts once: exit 0 passes. Run from the repository root.
set -u
BUILD=${BUILD:-build}
export BD_BIN="$PWD/$BUILD/bidui"
export BD_FIXTURES="$PWD/$BUILD/fixtures/county"
# the shared sample district: beside this checkout, else beside the
# checkout it was cloned from (a clean clone in /tmp for CI)
if [ -z "${BD_SAMPLES:-}" ]; then
	BD_SAMPLES="$PWD/../shared/data/samples"
	origin=$(git config --get remote.origin.url 2>/dev/null || true)
	if [ ! -d "$BD_SAMPLES" ] && [ -n "$origin" ] && [ -d "$origin/../shared/data/samples" ]; then
		BD_SAMPLES=$(cd "$origin/../shared/data/samples" && pwd)
	fi
fi
export BD_SAMPLES
passed=0 failed=0
log=$(mktemp)
for t in "$@"; do
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		echo "FAILED: $t exited $rc" ; failed=$((failed + 1))
	fi
done
for s in tests/e2e/*.sh; do
	[ -f "$s" ] || continue
	if sh "$s" >"$log" 2>&1; then
		echo "[ E2E OK   ] $s"; passed=$((passed + 1))
	else
		cat "$log"; echo "[ E2E FAIL ] $s"; failed=$((failed + 1))
	fi
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
