#!/bin/sh
# Reader speed (issue 9.7): a 100,000-row roll as .xls (two sheets: BIFF8
# holds 65,536 rows a sheet) and the same rows as .xlsx, each read whole
# with `bidui peek --all`; the two readings must be identical. Not part of
# make test. Usage: tools/reader_speed.sh [BIDUI] [ROWS]
set -eu
BIN=${1:-build/bidui}
ROWS=${2:-100000}
DIR=$(mktemp -d /tmp/bidui-speed.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
PY=${PYTHON:-python3}
$PY tests/data/make_xls_fixtures.py --big "$ROWS" "$DIR/roll.xls"
$PY - "$DIR/roll.xlsx" "$ROWS" <<'PY'
import datetime, sys, openpyxl
wb = openpyxl.Workbook(write_only=True)
n, done, k = int(sys.argv[2]), 0, 0
names = ["姓名", "身份证号", "金额", "日期", "合计"]
while done < n:
    m = min(65535, n - done); k += 1
    ws = wb.create_sheet("名册%d" % k)
    ws.append(names)
    for r in range(1, m + 1):
        i = done + r
        d = datetime.date(1899, 12, 30) + datetime.timedelta(days=40000 + i % 9000)
        ws.append(["居民%d" % (i % 1000), "4105021958%08d" % i, 300 + i % 500, d,
                   float(300 + i % 500) * 2])
    done += m
wb.save(sys.argv[1])
PY
$PY - "$BIN" "$DIR" "$ROWS" <<'PY'
import os, subprocess, sys, time
bin_, d, rows = sys.argv[1:4]
outs = []
for f in ("roll.xls", "roll.xlsx"):
    best = None
    for _ in range(3):
        t0 = time.time()
        out = subprocess.run([bin_, "peek", os.path.join(d, f), "--all", "--show-id"],
                             check=True, capture_output=True).stdout
        t = time.time() - t0
        best = t if best is None or t < best else best
    outs.append(out)
    print("%s: %d bytes, %s rows, bidui peek --all best of 3: %.2f s"
          % (f, os.path.getsize(os.path.join(d, f)), rows, best))
print("readings identical" if outs[0] == outs[1] else "readings DIFFER")
sys.exit(0 if outs[0] == outs[1] else 1)
PY
