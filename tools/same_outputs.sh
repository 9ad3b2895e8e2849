#!/bin/sh
# Behaviour unchanged? Runs the fixture county's two quarters (as make demo:
# 2026Q4, a scripted review, 2027Q1; the generator's seeded key) with two
# builds of bidui, each in the same folder, and compares what they leave:
# flags.csv, lifecycle.csv, rejected.csv and review.csv byte for byte (the
# review's time of day aside), every
# XML part of every workbook, an mdb_dump of every LMDB environment of the
# index, and manifest.json by content (keys, values, key order).
# Wall-clock times and the index's random identity (history:id) are
# replaced by placeholders first: they differ between any two runs.
#   tools/same_outputs.sh BIN_BEFORE BIN_AFTER [WORK_DIR]
# Exits 1 and shows the differences when there are any. Needs python3
# (openpyxl for the review step) and mdb_dump (lmdb-utils).
set -eu
before=$1 after=$2 work=${3:-/tmp/bidui-same-outputs}
py=${PYTHON:-python3}

# snapshot BIN SNAP: runs the quarters in $work/run, keeps what to compare in SNAP
snapshot() {
	bin=$1 snap=$2 run=$work/run
	rm -rf "$run" "$snap"
	mkdir -p "$run" "$snap"
	"$py" fixtures/gen_county.py --out "$run" >/dev/null
	for q in 1 2; do
		for step in ingest match report; do
			"$bin" $step --config "$run/RUN.ini" >/dev/null 2>&1
		done
		[ $q = 2 ] || /usr/bin/python3 fixtures/demo_quarter.py review "$bin" "$run" >/dev/null 2>&1
	done
	(cd "$run" && find out -type f | sort) >"$snap/files"
	"$py" - "$run" "$snap" <<'PY'
import json, os, re, subprocess, sys, zipfile
run, snap = sys.argv[1:]
ts = re.compile(rb'20\d\d-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\+0000|Z|[+-]\d{4})?')
dump = lambda d: subprocess.run(['mdb_dump', '-a', '-p', d], check=True, capture_output=True).stdout
common = dump(os.path.join(run, 'var/index')).split(b'\n')
hid = common[common.index(b' history:id') + 1].strip()
def keep(rel, data, raw=False):
    p = os.path.join(snap, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'wb').write(data if raw else ts.sub(b'TIME', data).replace(hid, b'HISTORY_ID'))
for top, _, names in os.walk(os.path.join(run, 'out')):
    for n in names:
        path = os.path.join(top, n)
        rel = os.path.relpath(path, run)
        if n.endswith('.csv'):
            keep(rel, open(path, 'rb').read(), raw=n != 'review.csv')
        elif n == 'manifest.json':
            m = json.load(open(path, encoding='utf-8'))
            keep(rel + '.content', json.dumps(m, ensure_ascii=False, indent=1).encode())
        elif n.endswith('.xlsx'):
            z = zipfile.ZipFile(path)
            for part in z.namelist():
                keep(os.path.join(rel + '.d', part), z.read(part))
for top, _, names in os.walk(os.path.join(run, 'var')):
    if 'data.mdb' in names:
        keep(os.path.join('index-dump', os.path.relpath(top, run), 'dump'), dump(top))
PY
}
snapshot "$before" "$work/before"
snapshot "$after" "$work/after"
if diff -r "$work/before" "$work/after" >"$work/diff"; then
	echo "same outputs: $(wc -l <"$work/after/files") files of two quarters ($work/before, $work/after)"
else
	head -n 40 "$work/diff"
	echo "outputs differ: $work/diff" >&2
	exit 1
fi
