#!/bin/sh
# make demo: a quarterly run on the generated fixture county.
#   tools/demo.sh BIN FIXTURE_DIR OUT_DIR
set -eu
bin=$1 fix=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
cp -r "$fix/in" "$out/in"
install -m 600 "$fix/bidui.key" "$out/bidui.key"
sed -e "s#^out *=.*#out = report#" -e "s#^index *=.*#index = var/index#" "$fix/RUN.ini" > "$out/RUN.ini"
echo "== bidui ingest --config $out/RUN.ini"
"$bin" ingest --config "$out/RUN.ini"
echo "== bidui stats --config $out/RUN.ini"
"$bin" stats --config "$out/RUN.ini"
echo
echo "演示完成：索引在 $out/var/index，拒收明细在 $out/report/rejected.csv"
