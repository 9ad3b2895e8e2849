# Issue 10.3/10.4: a cut .csv.gz, a CSV that ends inside quotes, a FIFO and
# a device stop the ingest with the file named; the snapshot is kept and
# nothing hangs (each ingest runs under a timeout).
. tests/e2e/lib.inc
cd "$WORK"
"$BIN" keygen k.key >/dev/null
conf() { # FILE
	printf '[run]\nperiod=1\nas_of=2026-12-31\njurisdiction=410102\nkey=k.key\n[dataset mz.roll]\nfile=%s\nencoding=utf-8\n' "$1" > RUN.ini
}
expect_error() { # WHAT NEEDLE...
	what=$1; shift
	set +e
	timeout 20 "$BIN" ingest --config RUN.ini >/dev/null 2>err.txt
	rc=$?
	set -e
	[ "$rc" -eq 1 ] || { cat err.txt; fail "$what: exit $rc, expected 1"; }
	for n in "$@"; do
		grep -qF -- "$n" err.txt || { cat err.txt; fail "$what: message lacks '$n'"; }
	done
}
python3 - <<'PY'
import gzip
rows = ["家庭编号,保障类别,姓名,身份证号码,乡镇,村居"]
rows += ["H%d,低保,张%d,11010519491231002X,东街,东村" % (i, i) for i in range(3000)]
data = gzip.compress(("\n".join(rows) + "\n").encode())
open("roll.csv.gz", "wb").write(data)
open("cut.csv.gz", "wb").write(data[: len(data) * 6 // 10])
open("quote.csv", "w").write("\n".join(rows[:50]) + '\nH9,低保,"王五,1,东街,东村\n')
PY
conf roll.csv.gz
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "good file"
conf cut.csv.gz
expect_error "truncated gzip" "cut.csv.gz" "gzip"
conf quote.csv
expect_error "open quote at the end" "quote.csv" "第 51 行" "引号"
mkfifo fifo.csv
conf fifo.csv
expect_error "FIFO" "fifo.csv" "不是普通文件"
conf /dev/zero
expect_error "device" "/dev/zero" "不是普通文件"
"$BIN" stats --config RUN.ini > stats.txt || fail "stats after failed ingests"
grep -q '^mz.roll *记录 3000 条' stats.txt || { cat stats.txt; fail "the first snapshot did not survive"; }
