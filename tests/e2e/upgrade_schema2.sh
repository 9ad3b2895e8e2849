# An index of schema 2 (one environment, before shards) is upgraded by the
# next ingest: the run history and the review outcomes are kept, every
# dataset is read again, readers are told to run ingest first. The old
# index is made with mdb_load (lmdb-utils), as an old bidui left it.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
mkdir -p var/index
fp=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(bytes.fromhex(open(sys.argv[1]).read().strip())).hexdigest()[:16])' bidui.key)
hdr='VERSION=3\nformat=print\ntype=btree\nHEADER=END\n'
printf "$hdr schema_version\n 2\n key_fingerprint\n $fp\n history:runs\n 2026Q3\nDATA=END\n" | mdb_load -s meta var/index
printf "${hdr}DATA=END\n" | mdb_load -s rejected var/index
printf "$hdr\n" | sed '/^$/d' > flags.txt
# one remembered flag, reviewed 不属实 in 2026Q3 (history.c's fields, 0x1F apart)
printf ' \\01\\02\\03\\04\\05\\06\\07\\08\n 1\\1f2026Q3\\1f0000000000000001\\1fC01\\1f城关镇\\1f东村\\1f张三\\1f410102********1234\\1f2\\1f2026Q3\\1f李四\\1f2026-10-01\\1f\\1f0000000000000001\\1f\nDATA=END\n' >> flags.txt
mdb_load -s flags -f flags.txt var/index || fail "mdb_load"
set +e
"$BIN" match --config RUN.ini >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q '请先运行 bidui ingest，它会升级索引' "$WORK/err" || { cat "$WORK/err"; fail "match on a schema-2 index: exit $rc"; }
"$BIN" ingest --config RUN.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "ingest upgrading a schema-2 index"; }
grep -q '已升级为分片格式' "$WORK/err" || fail "the upgrade is not said"
[ "$(grep -c '未变化' "$WORK/err")" -eq 0 ] || fail "a dataset was taken as unchanged from an old index"
"$BIN" stats --config RUN.ini > stats.txt || fail "stats"
grep -q '已比对的期次 2026Q3；记住的提示 1 条' stats.txt || { tail -3 stats.txt; fail "the history was not kept"; }
grep -q '^ga.person *记录 [1-9]' stats.txt || fail "ga.person not read again"
[ ! -e var/index/schema2.mdb.old ] || fail "the old file was left"
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "match after the upgrade"
