# An export whose ID column is broken on every row: each of 1 000 000 rows is
# rejected, the commit makes room for them in the index (before, the map
# was sized for accepted rows only and the commit failed with
# MDB_MAP_FULL), and rejected.csv lists every one.
. tests/e2e/lib.inc
cd "$WORK"
cp "$FIX/bidui.key" . && chmod 600 bidui.key
python3 - <<'PY'
with open('p.csv', 'w', encoding='utf-8') as f:
    f.write('公民身份号码,姓名,性别,出生日期,户号,与户主关系,户籍地行政区划,人员状态\n')
    for i in range(1000000):
        f.write('4101%014d,张三,男,19800101,1,02,410102001001,正常\n' % i)
PY
cat > RUN.ini <<'INI'
[run]
period = 2026Q4
as_of = 2026-12-31
jurisdiction = 4101
key = bidui.key
index = index
out = out
shards = 2
[dataset ga.person]
file = p.csv
INI
"$BIN" ingest --config RUN.ini >/dev/null 2>err || { cat err; fail "ingest of 1 000 000 rejected rows"; }
[ "$(wc -l < out/rejected.csv)" -eq 1000001 ] || fail "rejected.csv has $(wc -l < out/rejected.csv) lines"
"$BIN" stats --config RUN.ini | grep -q '拒收 1000000' || fail "stats does not count 1000000 rejected rows"
