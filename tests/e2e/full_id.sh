# show_full_id: full IDs in flags.csv and the workbooks only when the run asks,
# and they are the subjects' own; a later run that does not ask masks them
# again even though the index (built asking) holds them.
. tests/e2e/lib.inc
copy_run "$FIX"
ini="$WORK/run/RUN.ini"
out="$WORK/run/out/2026Q4"
sed -i 's/^\[run\]$/[run]\nshow_full_id = yes/' "$ini"
grep -q '^show_full_id = yes' "$ini" || fail "RUN.ini not edited"
"$BIN" run --config "$ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "run asking for full IDs"; }
python3 - "$WORK/run/bidui.key" "$out/flags.csv" <<'PY' || fail "full IDs are not the subjects' own"
import csv, hashlib, hmac, re, sys
key = bytes.fromhex(open(sys.argv[1]).read().strip())
full = 0
for f in csv.DictReader(open(sys.argv[2], encoding='utf-8')):
    i = f['id_masked']
    if re.fullmatch(r'\d{17}[\dX]', i):
        full += 1
        if f['subject_hid'] and hmac.new(key, i.encode(), hashlib.sha256).hexdigest() != f['subject_hid']:
            print('ID does not hash to the subject', f['rule'], f['flag_id']); sys.exit(1)
print(full, 'full IDs')
sys.exit(0 if full > 50 else 1)
PY
xlsx_cat "$(ls "$out"/*_核查表.xlsx | head -1)" xl/worksheets/sheet2.xml | grep -q '身份证号<' ||
	fail "the ID column must not say 脱敏 when IDs are full"
sed -i 's/^show_full_id = yes$/show_full_id = no/' "$ini"
"$BIN" match --config "$ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "match"; }
"$BIN" report --config "$ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "report"; }
if grep -qE '(^|[^0-9*])[0-9]{17}[0-9X]([^0-9]|$)' "$out/flags.csv"; then fail "full ID in flags.csv"; fi
for b in "$out"/*.xlsx; do
	if xlsx_cat "$b" | grep -qE '>[0-9]{17}[0-9X]<'; then fail "full ID in $b"; fi
done
exit 0
