#!/bin/sh
# bench/report.sh BIN [PERSONS] [ROLL_EVERY] - time `bidui report` on the flags
# of a large run and compare it with the time of the `bidui match` that made
# them (target: writing the workbooks never takes longer than matching did).
# The county is bench/match.sh's (PERSONS registry rows from bench/gen_person.c,
# every ROLL_EVERY-th person on a roll, every 50th with a disability
# certificate), but the roll spreads its rows over 20 townships and their
# villages, named consistently with the registry's region codes, so report
# writes 20 township workbooks, as for a real county, not one. Peak RSS from
# /usr/bin/time -v; times are medians of REPEAT runs (default 3). Figures go
# into docs/PERFORMANCE.md.
set -eu
BIN=$(readlink -f "$1")
N=${2:-1000000}
EVERY=${3:-30}
W=${BENCH_DIR:-/tmp/bidui-bench-report}
mkdir -p "$W"
. bench/lib.inc
gen_persons "$W" "$N" "$W/person_$N.csv"
# township: from the registry code's 5th-6th digits (20 names); village: from
# its 7th-9th and 10th-12th digits. Every 90th roll person GAOLING, else DIBAO.
awk -F, -v every="$EVERY" '
	BEGIN {
		split("城关镇 东关街道 西关街道 南关街道 北关街道 新华街道 人民路街道 解放路街道 " \
		      "建设路街道 和平街道 胜利街道 红旗街道 东风镇 向阳镇 柳林镇 杨庄乡 李营乡 " \
		      "王村镇 张店镇 马庄乡", T, " ")
		print "家庭编号,保障类别,姓名,身份证号码,乡镇,村居,月保障金额,起始年月"
	}
	NR > 1 && NR % every == 0 {
		t = T[substr($7, 5, 2) % 20 + 1]
		v = "第" (substr($7, 7, 3) + 0) "片区" (substr($7, 10, 3) + 0) "村"
		print "H" NR "," (NR % 90 == 0 ? "高龄津贴" : "低保") "," $2 "," $1 "," t "," v ",500,2020-01"
	}' "$W/person_$N.csv" > "$W/roll.csv.new"
awk -F, 'NR > 1 && NR % 50 == 0 { print $1 "," $2 ",肢体" (NR % 4 + 1 == 1 ? "一" : "二") "级,长期,有效" }
	BEGIN { print "身份证号码,姓名,残疾类别等级,有效期至,证件状态" }' "$W/person_$N.csv" > "$W/cert.csv.new"
# a new index whenever the inputs change
if ! cmp -s "$W/roll.csv.new" "$W/roll.csv" || ! cmp -s "$W/cert.csv.new" "$W/cert.csv" ||
	[ "$(cat "$W/persons" 2>/dev/null)" != "$N" ]; then
	rm -rf "$W/index"
fi
mv "$W/roll.csv.new" "$W/roll.csv"
mv "$W/cert.csv.new" "$W/cert.csv"
echo "$N" > "$W/persons"
[ -f "$W/bench.key" ] || "$BIN" keygen "$W/bench.key" >/dev/null
T=$(nproc)
{ run_section "$T"; cat <<INI
[dataset ga.person]
file = person_$N.csv
[dataset mz.roll]
file = roll.csv
[dataset cl.cert]
file = cert.csv
INI
} > "$W/RUN.ini"
[ -d "$W/index" ] || "$BIN" ingest --config "$W/RUN.ini" >/dev/null
# wall seconds and max RSS (MiB) from /usr/bin/time -v
tv() {
	awk '/Elapsed \(wall clock\)/ { n = split($NF, a, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f ", s }
	/Maximum resident set size/ { printf "%.0f\n", $NF / 1024 }' "$1"
}
# REPEAT runs of match then report (default 3; the VM is noisy): medians
R=${REPEAT:-3}
: > "$W/times"
i=0
while [ "$i" -lt "$R" ]; do
	rm -rf "$W/out"
	/usr/bin/time -v -o "$W/match.time" "$BIN" match --config "$W/RUN.ini" >/dev/null
	/usr/bin/time -v -o "$W/report.time" "$BIN" report --config "$W/RUN.ini" >/dev/null
	echo "$(tv "$W/match.time") $(tv "$W/report.time")" >> "$W/times"
	i=$((i + 1))
done
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ms=$(cut -d' ' -f1 "$W/times" | med)
mr=$(cut -d' ' -f2 "$W/times" | sort -n | tail -n 1)
rs=$(cut -d' ' -f3 "$W/times" | med)
rr=$(cut -d' ' -f4 "$W/times" | sort -n | tail -n 1)
flags=$(($(wc -l < "$W/out/flags.csv") - 1))
books=$(ls "$W/out"/*_核查表.xlsx | wc -l)
biggest=$(ls -S "$W/out"/*_核查表.xlsx | head -n 1)
bytes=$(cat "$W/out"/*.xlsx | wc -c)
echo "report: persons $N, roll every $EVERY, threads $T: $flags flags, $books township workbooks + 汇总 ($((bytes / 1024)) KiB in all; largest $(basename "$biggest"), $(($(wc -c < "$biggest") / 1024)) KiB)"
echo "match:  $ms s (median of $R: $(cut -d' ' -f1 "$W/times" | tr '\n' ' ')), max RSS $mr MiB"
echo "report: $rs s (median of $R: $(cut -d' ' -f3 "$W/times" | tr '\n' ' ')), max RSS $rr MiB"
awk -v m="$ms" -v r="$rs" 'BEGIN {
	printf "report/match = %.2f: %s\n", r / m, r <= m ? "target met (report <= match)" : "target NOT met (report takes longer than match)" }'
