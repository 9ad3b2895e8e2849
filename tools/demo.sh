#!/bin/sh
# make demo: two quarters of a generated county, as a clerk lives them:
# 2026Q4 is run, the townships fill and return their workbooks (scripted,
# fixtures/demo_quarter.py), `bidui review` reads them, the next exports
# arrive and 2027Q1 is run on the same index, so every status of the
# lifecycle appears in out/demo/out/2027Q1 (新增, 持续, 已消除,
# 不属实未再提示, 上期核实属实未整改).
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
quarter() {
	for step in ingest match report; do
		echo "== bidui $step --config $out/RUN.ini"
		"$bin" "$step" --config "$out/RUN.ini"
	done
}
echo "==== 第一季度：2026Q4"
quarter
echo "== bidui stats --config $out/RUN.ini"
"$bin" stats --config "$out/RUN.ini"
echo "==== 乡镇核查、交回，县里读回（脚本模拟）"
/usr/bin/python3 fixtures/demo_quarter.py review "$bin" "$out"
echo "==== 第二季度：2027Q1"
quarter
/usr/bin/python3 fixtures/demo_quarter.py check "$out"
echo
echo "演示完成：索引在 $out/var/index；$out/out/2026Q4/ 和 $out/out/2027Q1/ 下有各乡镇核查表、flags.csv（比对结果）、" \
	"lifecycle.csv（已消除、不属实未再提示）、manifest.json（运行清单）、rejected.csv（拒收明细）；" \
	"交回的核查表在 $out/returned/，读回明细在 $out/out/2026Q4/review.csv；生成数据的真值表在 $out/truth/"
