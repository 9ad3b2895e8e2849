#!/bin/sh
# make demo: a quarterly run on a generated county, as a clerk would do it.
#   tools/demo.sh BIN OUT_DIR
set -eu
bin=$1 out=$2
py=${PYTHON:-python3}
rm -rf "$out"
mkdir -p "$out"
echo "== bidui keygen $out/bidui.key"
"$bin" keygen "$out/bidui.key"
echo "== 生成示例县数据 (fixtures/gen_county.py; 卫健数据用此密钥预先脱敏)"
"$py" fixtures/gen_county.py --out "$out" --key "$out/bidui.key"
echo "== bidui ingest --config $out/RUN.ini"
"$bin" ingest --config "$out/RUN.ini"
echo "== bidui stats --config $out/RUN.ini"
"$bin" stats --config "$out/RUN.ini"
echo "== bidui match --config $out/RUN.ini"
"$bin" match --config "$out/RUN.ini"
echo "== bidui report --config $out/RUN.ini"
"$bin" report --config "$out/RUN.ini"
echo
echo "演示完成：索引在 $out/var/index；$out/out/2026Q4/ 下有各乡镇核查表、flags.csv（比对结果）、" \
	"manifest.json（运行清单）、rejected.csv（拒收明细）；生成数据的真值表在 $out/truth/"
