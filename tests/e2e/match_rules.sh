# Boundary positives and near misses of the implemented rules.
. tests/e2e/lib.inc
python3 tests/e2e/match_rules.py "$BIN" "$WORK" || fail "rule boundaries"
