# bidui hash (department side): the output holds no raw ID, every other
# column is unchanged, and ingesting the hashed file gives the same index
# keys and display fields as ingesting the raw file.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
key=bidui.key
"$BIN" hash --key "$key" --dataset mz.cadre in/民政_村两委名册.csv "$WORK/cadre_hashed.csv" 2>"$WORK/h.err" ||
	{ cat "$WORK/h.err"; fail "hash cadre"; }
"$BIN" hash --key "$key" --dataset cl.cert in/残联_残疾人证.xlsx "$WORK/cert_hashed.csv" 2>>"$WORK/h.err" ||
	{ cat "$WORK/h.err"; fail "hash cert"; }
python3 - "$WORK" <<'PY' || fail "hashed output"
import csv, re, sys, io
w = sys.argv[1]
raw = open(f'{w}/run/in/民政_村两委名册.csv', encoding='gbk', newline='').read()
hashed = open(f'{w}/cadre_hashed.csv', encoding='utf-8-sig', newline='').read()
ids = set(re.findall(r'(?<!\d)\d{17}[\dX](?!\d)', raw))
assert len(ids) > 100, len(ids)
assert not any(i in hashed for i in ids), 'raw ID left in the hashed file'
r = list(csv.reader(io.StringIO(raw)))
h = list(csv.reader(io.StringIO(hashed)))
assert len(r) == len(h)
assert h[0] == r[0][:2] + ['身份证号(脱敏)'] + r[0][2:], h[0]
for a, b in zip(r[1:], h[1:]):
    assert re.fullmatch(r'[0-9a-f]{64}', b[1]), b[1]
    assert b[2] == a[1][:6] + '********' + a[1][-4:]
    assert a[:1] + a[2:] == b[:1] + b[3:]
cert = open(f'{w}/cert_hashed.csv', encoding='utf-8-sig').read()
assert not any(i in cert for i in ids)
assert not re.search(r'(?<!\d)\d{17}[\dX](?!\d)', cert), 'raw ID in hashed certificates'
PY
# same index either way
cp "$WORK/cadre_hashed.csv" in/cadre_hashed.csv
cp "$WORK/cert_hashed.csv" in/cert_hashed.csv
"$BIN" ingest --config RUN.ini --dataset mz.cadre --dataset cl.cert >/dev/null 2>&1 || fail "raw ingest"
mdb_dump -s mz.cadre var/index | sed 1,/HEADER=END/d > "$WORK/raw.dump"
mdb_dump -s cl.cert var/index | sed 1,/HEADER=END/d >> "$WORK/raw.dump"
sed -i 's#民政_村两委名册.csv#cadre_hashed.csv#; s#残联_残疾人证.xlsx#cert_hashed.csv#' RUN.ini
"$BIN" ingest --config RUN.ini --dataset mz.cadre --dataset cl.cert >/dev/null 2>&1 || fail "hashed ingest"
mdb_dump -s mz.cadre var/index | sed 1,/HEADER=END/d > "$WORK/hashed.dump"
mdb_dump -s cl.cert var/index | sed 1,/HEADER=END/d >> "$WORK/hashed.dump"
cmp -s "$WORK/raw.dump" "$WORK/hashed.dump" || fail "hashed file ingests differently from the raw one"
