#!/usr/bin/python3
"""Review read-back and the lifecycle across two quarters, as a county office
lives it: 2026Q4 is run, reviewers fill their township workbooks (openpyxl
writes them, as Excel would), `bidui review` records the outcomes and reports
the bad rows, then 2027Q1 is run on the same index. Expected from RULES.md:
不属实 with unchanged evidence is not shown again (counted in the summary);
不属实 whose evidence changed comes back; 属实 still present is raised to 高
and marked 上期核实属实未整改; flags of both runs are 持续 with their first
period; flags gone are 已消除."""
import csv, datetime, glob, json, os, re, shutil, subprocess, sys
import openpyxl

BIN, run = sys.argv[1], sys.argv[2]
ini = f'{run}/RUN.ini'
def sh(*args, ok=(0,)):
    r = subprocess.run([BIN, *args, '--config', ini] if args[0] != 'review' else
                       [BIN, 'review', '--config', ini, *args[1:]], capture_output=True, text=True)
    if r.returncode not in ok:
        print(r.stdout, r.stderr); sys.exit(1)
    return r
def flags(period):
    return {f['flag_id']: f for f in csv.DictReader(open(f'{run}/out/{period}/flags.csv', encoding='utf-8'))}
bad = []
sh('run')
q4 = flags('2026Q4')
if {f['status'] for f in q4.values()} != {'新增'} or {f['first_seen'] for f in q4.values()} != {'2026Q4'}:
    bad.append('first run: every flag is 新增, first seen 2026Q4')
def pick(rule, cond=lambda f: True, skip=()):
    for f in q4.values():
        if f['rule'] == rule and f['flag_id'] not in skip and cond(f):
            return f
    sys.exit(f'no {rule} flag to review')
age = lambda f: int(re.search(r'周岁：(\d+)', f['evidence']).group(1))
f_false = pick('L06')                                   # 不属实, evidence unchanged -> hidden
f_c07 = pick('C07', lambda f: age(f) < 70)              # 不属实, evidence changes -> back
f_true = pick('C01')                                    # 属实 -> 高, marked
f_fixed = pick('C06')                                   # 已整改 -> just 持续
f_badval = pick('L02')                                  # not one of the four values
f_baddate = pick('L02', skip={f_badval['flag_id']})     # date not a date
f_unknown = pick('C06', skip={f_fixed['flag_id']})      # its flag_id altered
f_c05 = pick('C05', lambda f: f['source_dataset'] == 'mz.roll 低保')  # 不属实; next export reordered
# review dates: days before today (review refuses a date after the day of reading)
day = lambda n: (datetime.date.today() - datetime.timedelta(days=n)).isoformat()
plan = {f_false['flag_id']: ('不属实', '核实为单位统一报销，个人负担不实', '王芳', day(3)),
        f_c07['flag_id']: ('不属实', '', '李强', day(2)),
        f_true['flag_id']: ('属实', '已死亡，家属未报', '张伟', day(1)),
        f_fixed['flag_id']: ('已整改\u3000', '已停发', '张伟', ''),   # a full-width space typed after it
        f_badval['flag_id']: ('是', '', '', ''),
        f_baddate['flag_id']: ('属实', '', '赵敏', '下周'),
        f_unknown['flag_id']: ('属实', '', '', ''),
        f_c05['flag_id']: ('不属实', '特困已于上月停发', '王芳', day(3))}
filled, done = [], set()
for path in sorted(glob.glob(f'{run}/out/2026Q4/2026Q4_*_核查表.xlsx')):
    wb = openpyxl.load_workbook(path)
    touched = False
    for ws in wb.worksheets[1:]:
        head = [c.value for c in ws[1]]
        col = {h: i + 1 for i, h in enumerate(head)}
        for r in range(2, ws.max_row + 1):
            fid = ws.cell(r, col['flag_id']).value
            if fid in plan:
                o, note, who, day = plan[fid]
                ws.cell(r, col['核查结论']).value = o
                ws.cell(r, col['核查说明']).value = note or None
                ws.cell(r, col['核查人']).value = who or None
                ws.cell(r, col['核查日期']).value = day or None
                if fid == f_unknown['flag_id']:
                    ws.cell(r, col['flag_id']).value = '0123456789abcdef'
                done.add(fid)
                touched = True
    if touched:
        out = f'{run}/filled_{os.path.basename(path)}'
        wb.save(out)
        filled.append(out)
if done != set(plan):
    sys.exit(f'could not find every planned flag in the workbooks: {set(plan) - done}')
r = sh('review', *filled, ok=(1,))
for fid, what in ((f_badval['flag_id'], '不是 属实、不属实、已整改、其他'), (f_baddate['flag_id'], '核查日期「下周」'),
                  ('0123456789abcdef', '找不到')):
    if what not in r.stderr:
        bad.append(f'review must report {what}: {r.stderr}')
if '「L02 重度残疾人未享受护理补贴」' not in r.stderr:
    bad.append('a problem row must name its sheet')
if '记录核查结论 5 行' not in r.stdout or '有问题 3 处' not in r.stdout:
    bad.append(f'review counts: {r.stdout}')
rows = list(csv.DictReader(open(f'{run}/out/2026Q4/review.csv', encoding='utf-8-sig')))
if sum(x['处理结果'].startswith('已记录') for x in rows) != 5:
    bad.append('review.csv must list the 5 recorded rows')
# the bad file: not a workbook
open(f'{run}/junk.xlsx', 'w').write('not a workbook')
r = sh('review', f'{run}/junk.xlsx', ok=(1,))
if 'junk.xlsx' not in r.stderr:
    bad.append(f'a file that is not a workbook must be named: {r.stderr}')

# ---- next quarter on the same index, with the GAOLING age lowered to 75,
# and the 低保 roll exported in another order (RULES.md: positions in a file
# are not evidence, so no flag changes identity and 不属实 stays hidden)
dibao = f'{run}/in/民政_低保名册.xlsx'
wb = openpyxl.load_workbook(dibao)
ws = wb.worksheets[0]
data = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or '').isdigit()]
vals = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in data]
for r, v in zip(data, reversed(vals)):
    for c, x in enumerate(v, 1):
        ws.cell(r, c).value = x
wb.save(dibao)
sh('ingest')
text = open(ini, encoding='utf-8').read()
text = re.sub(r'(?m)^period *=.*$', 'period = 2027Q1', text)
text = re.sub(r'(?m)^out *=.*$', 'out = out/2027Q1', text)
open(ini, 'w', encoding='utf-8').write(text + '\n[rule C07]\nmin_age = 75\n')
sh('match'); sh('report')
q1 = flags('2027Q1')
life = list(csv.DictReader(open(f'{run}/out/2027Q1/lifecycle.csv', encoding='utf-8')))
events = {(x['flag_id'], x['event']) for x in life}
if f_false['flag_id'] in q1 or (f_false['flag_id'], '不属实未再提示') not in events:
    bad.append('不属实 with unchanged evidence must not be shown again, and be listed')
if f_c05['flag_id'] in q1 or (f_c05['flag_id'], '不属实未再提示') not in events:
    bad.append('不属实 must stay hidden when only the rows of the roll moved')
pos = lambda f: re.findall(r'第 (\d+) 行', f['evidence'])
moved = [x for x in q1.values() if x['rule'] == 'C05' and x['flag_id'] in q4 and pos(x) != pos(q4[x['flag_id']])]
if not moved:
    bad.append('the reordered export must move the rows of a C05 flag still shown (持续)')
if f_c07['flag_id'] not in q1:
    bad.append('不属实 whose evidence changed (起领年龄) must come back')
t = q1.get(f_true['flag_id'], {})
if t.get('severity') != '高' or '上期核实属实未整改' not in t.get('evidence', '') or t.get('status') != '持续':
    bad.append(f'属实 still present: 高, marked, 持续: {t}')
fx = q1.get(f_fixed['flag_id'], {})
if fx.get('status') != '持续' or '上期核查为已整改（2026Q4，核查人 张伟），本期数据仍显示此情况' not in fx.get('evidence', '') \
   or fx.get('severity') == '高' and q4[f_fixed['flag_id']]['severity'] != '高':
    bad.append(f'已整改 still present is 持续, says so, and is not raised: {fx}')
if '上期核查为不属实（2026Q4，核查人 李强），证据已有变化，重新提示' not in q1.get(f_c07['flag_id'], {}).get('evidence', ''):
    bad.append('a 不属实 flag that comes back must say why')
for fid, f in q1.items():
    want = '持续' if fid in q4 else '新增'
    if f['status'] != want or f['first_seen'] != ('2026Q4' if fid in q4 else '2027Q1'):
        bad.append(f'{fid} status {f["status"]} first_seen {f["first_seen"]}, want {want}'); break
gone = {fid for fid in q4 if fid not in q1 and fid not in (f_false['flag_id'], f_c05['flag_id'])}
if not gone or gone != {x['flag_id'] for x in life if x['event'] == '已消除'}:
    bad.append(f'已消除 must list exactly the flags gone: {len(gone)}')
if not all(q4[fid]['rule'] == 'C07' and 75 <= age(q4[fid]) < 80 for fid in gone):
    bad.append('only C07 flags of ages 75..79 may be gone')
man = json.load(open(f'{run}/out/2027Q1/manifest.json', encoding='utf-8'))['lifecycle']
if man != {'previous_period': '2026Q4', 'new': sum(f['status'] == '新增' for f in q1.values()),
           'persisting': sum(f['status'] == '持续' for f in q1.values()), 'resolved': len(gone),
           'not_shown_false_positive': 2}:
    bad.append(f'manifest lifecycle {man}')
ws = openpyxl.load_workbook(f'{run}/out/2027Q1/2027Q1_汇总.xlsx')['汇总']
head = [c.value for c in ws[3]]
total = [[c.value for c in r] for r in ws.iter_rows(min_row=4) if r[0].value == '合计'][0]
got = {h: total[i] for i, h in enumerate(head)}
if (got['新增'], got['持续'], got['已消除'], got['不属实']) != (man['new'], man['persisting'], len(gone), 2):
    bad.append(f'summary lifecycle columns {got}')
st = sh('stats').stdout
if '已比对的期次 2026Q4,2027Q1' not in st or '已读回核查结论 5 条（属实 1，不属实 3，已整改 1，其他 0）' not in st:
    bad.append(f'stats must show the history: {st[-300:]}')
for b in bad:
    print(b)
print(f'{len(q4)} flags in 2026Q4, {len(q1)} in 2027Q1: {man}')
sys.exit(1 if bad else 0)
