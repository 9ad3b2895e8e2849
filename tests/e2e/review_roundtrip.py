#!/usr/bin/python3
"""`bidui review` misses nothing a township sends back (issue 12, points 5,
9-12): a row a reviewer added, dates outside the sheet's own bounds or typed
as bare numbers, rows misaligned by sorting some columns only, a workbook of
another index or of a period never run, a workbook returned after the next
quarter was run (recorded under its own period), every batch kept in
review.csv, reading the same workbook twice changes nothing, and warnings
for what the cover asks but is missing. Workbooks are filled with openpyxl,
as Excel would save them."""
import csv, datetime, glob, os, re, subprocess, sys
import openpyxl

BIN, run = sys.argv[1], sys.argv[2]
ini = f'{run}/RUN.ini'
bad = []
def sh(*args, ok=(0,)):
    cmd = [BIN, 'review', '--config', ini, *args[1:]] if args[0] == 'review' else [BIN, *args, '--config', ini]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in ok:
        print(' '.join(cmd), r.returncode, r.stdout, r.stderr); sys.exit(1)
    return r
sh('run')
today = datetime.date.today()
day = lambda n: (today - datetime.timedelta(days=n)).isoformat()
books = sorted(glob.glob(f'{run}/out/2026Q4/2026Q4_*_核查表.xlsx'))
# the biggest township: enough rows on its sheets
book = max(books, key=os.path.getsize)

def sheets(wb):
    """rule sheets with their column numbers"""
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        if 'flag_id' in head:
            yield ws, {h: i + 1 for i, h in enumerate(head) if h}

def rows_of(ws, col):
    return [r for r in range(2, ws.max_row + 1) if ws.cell(r, col['flag_id']).value]

def fill(ws, col, r, outcome, note=None, who=None, date=None):
    ws.cell(r, col['核查结论']).value = outcome
    ws.cell(r, col['核查说明']).value = note
    ws.cell(r, col['核查人']).value = who
    ws.cell(r, col['核查日期']).value = date

def csv_rows():
    return list(csv.DictReader(open(f'{run}/out/2026Q4/review.csv', encoding='utf-8-sig')))

# ---- the rule sheets can be sorted: not protected (point 5); the cover is
wb = openpyxl.load_workbook(book)
if wb.worksheets[0].protection.sheet is not True:
    bad.append('the cover sheet must stay protected')
for ws, col in sheets(wb):
    if ws.protection.sheet:
        bad.append(f'{ws.title}: a protected sheet cannot be sorted in Excel or LibreOffice')

# ---- one workbook filled with every kind of row
ws, col = max(sheets(wb), key=lambda x: len(rows_of(*x)))
rs = rows_of(ws, col)
if len(rs) < 12:
    sys.exit(f'{ws.title} has {len(rs)} rows, too few for this test')
name = lambda r: ws.cell(r, col['姓名']).value
fid = lambda r: ws.cell(r, col['flag_id']).value
good = {fid(rs[0]): '属实', fid(rs[1]): '不属实'}
fill(ws, col, rs[0], '属实', '已核实', '张伟', day(1))
fill(ws, col, rs[1], '不属实', '户籍信息有误', '李强', datetime.datetime(today.year, today.month, today.day))
# warnings: recorded, but the cover asks for these
fill(ws, col, rs[2], '已整改', '已停发', None, day(2))                 # no 核查人
fill(ws, col, rs[3], '其他', None, '王芳', day(2))                     # 其他 without a note
good.update({fid(rs[2]): '已整改', fid(rs[3]): '其他'})
# dates the sheet's own validation refuses, and bare numbers
fill(ws, col, rs[4], '属实', None, '赵敏', '45')                       # a number typed as text
fill(ws, col, rs[5], '属实', None, '赵敏', 45)                          # a number in the date cell: 1900-02-14
fill(ws, col, rs[6], '属实', None, '赵敏', '1999-01-01')
fill(ws, col, rs[7], '属实', None, '赵敏', (today + datetime.timedelta(days=400)).isoformat())
fill(ws, col, rs[8], '属实', None, '赵敏', 2027)
# two rows whose flag_ids were sorted apart from the rest of the row
a, b = rs[9], rs[10]
ws.cell(a, col['flag_id']).value, ws.cell(b, col['flag_id']).value = fid(b), fid(a)
fill(ws, col, a, '不属实', None, '赵敏', day(1))
fill(ws, col, b, '属实', None, '赵敏', day(1))
# a row the reviewer added below the table: a conclusion and a name, no flag_id
added = ws.max_row + 2
ws.cell(added, col['姓名']).value = '新发现'
ws.cell(added, col['核查结论']).value = '属实'
ws.cell(added, col['核查说明']).value = '邻居反映另有一户'
filled = f'{run}/filled.xlsx'
wb.save(filled)
r = sh('review', filled, ok=(1,))
err = r.stderr
def expect(what, where=None):
    line = [x for x in err.splitlines() if what in x and (where is None or f'第 {where} 行' in x)]
    if not line or 'filled.xlsx' not in line[0] or f'「{ws.title}」' not in line[0]:
        bad.append(f'review must say {what!r} for row {where}, naming file and sheet: {err}')
expect('没有 flag_id', added)
expect('是一个数字，不是日期', rs[4])
expect('不在 2000-01-02 到今天', rs[5])
expect('不在 2000-01-02 到今天', rs[6])
expect('不在 2000-01-02 到今天', rs[7])
expect('不在 2000-01-02 到今天', rs[8])                                  # 2027 in a date cell: 1905-07-19
expect('姓名', a)
expect('姓名', b)
expect('提醒：没有填写核查人', rs[2])
expect('提醒：结论为“其他”，但核查说明为空', rs[3])
if '其余各行已记录' not in err:
    bad.append('some rows were recorded: say so')
if '记录核查结论 4 行（其中与上次读回相同 0 行）' not in r.stdout or '有问题 8 处' not in r.stdout \
   or '提醒 2 处' not in r.stdout:
    bad.append(f'review counts: {r.stdout}')
first = csv_rows()
rec = {x['flag_id']: x['核查结论'] for x in first if x['处理结果'].startswith('已记录')}
if rec != good or {x['期次'] for x in first} != {'2026Q4'}:
    bad.append(f'recorded rows {rec} != {good}')

# ---- reading it again records nothing new, and keeps the first batch
stats1 = sh('stats').stdout
r = sh('review', filled, ok=(1,))
if '记录核查结论 4 行（其中与上次读回相同 4 行）' not in r.stdout:
    bad.append(f'a second read must find the same outcomes: {r.stdout}')
if sh('stats').stdout != stats1:
    bad.append('reading a workbook twice must not change the history')
second = csv_rows()
if second[:len(first)] != first or len(second) != 2 * len(first):
    bad.append(f'review.csv must keep every batch: {len(first)} then {len(second)} lines')

# ---- sorted as a reviewer would (whole rows, by village descending): read back
wb = openpyxl.load_workbook(book)
ws5, col5 = max(sheets(wb), key=lambda x: len(rows_of(*x)))
rs5 = rows_of(ws5, col5)
vals = sorted(([ws5.cell(r, c).value for c in range(1, ws5.max_column + 1)] for r in rs5),
              key=lambda v: (str(v[col5['村(社区)'] - 1]), str(v[col5['flag_id'] - 1])), reverse=True)
for r, v in zip(rs5, vals):
    for c, x in enumerate(v, 1):
        ws5.cell(r, c).value = x
fill(ws5, col5, rs5[0], '已整改', '已停发', '张伟', day(1))
wb.save(f'{run}/sorted.xlsx')
r = sh('review', f'{run}/sorted.xlsx')
if '记录核查结论 1 行' not in r.stdout or '有问题 0 处' not in r.stdout:
    bad.append(f'a workbook sorted by village must read back: {r.stdout} {r.stderr}')

# ---- a workbook of another index: one message, nothing recorded
wb = openpyxl.load_workbook(book)
cover = wb.worksheets[0]
ids = [r for r in range(1, cover.max_row + 1) if cover.cell(r, 1).value == '索引标识']
if len(ids) != 1 or not re.fullmatch(r'[0-9a-f]{16}', str(cover.cell(ids[0], 2).value)) or \
   '请勿修改' not in str(cover.cell(ids[0] - 1, 4).value):
    bad.append('the cover must carry the index identity (索引标识)')
else:
    cover.cell(ids[0], 2).value = '0123456789abcdef'
    ws2, col2 = next(sheets(wb))
    for x in rows_of(ws2, col2):
        fill(ws2, col2, x, '属实', None, '赵敏', day(1))
    wb.save(f'{run}/other.xlsx')
    r = sh('review', f'{run}/other.xlsx', ok=(1,))
    if err.count('另一个索引') > 1 or r.stderr.count('另一个索引') != 1 or '有问题 1 处' not in r.stdout:
        bad.append(f'another index: one message for the file: {r.stdout} {r.stderr}')
    if '其余各行已记录' in r.stderr or '没有记录任何核查结论' not in r.stderr:
        bad.append(f'nothing was recorded: say so: {r.stderr}')
    # a period this index never ran
    cover.cell(ids[0], 2).value = str(openpyxl.load_workbook(book).worksheets[0].cell(ids[0], 2).value)
    per = [r for r in range(1, cover.max_row + 1) if cover.cell(r, 1).value == '期次'][0]
    cover.cell(per, 2).value = '2031Q1'
    wb.save(f'{run}/other.xlsx')
    r = sh('review', f'{run}/other.xlsx', ok=(1,))
    if '期次「2031Q1」没有在本索引上比对过' not in r.stderr:
        bad.append(f'a period never run must be refused: {r.stderr}')

# ---- next quarter (GAOLING's age lowered to 79: C07's evidence 起领年龄
# changes); then a township returns its 2026Q4 workbook late: recorded under
# 2026Q4, and a 不属实 about evidence since replaced does not hide the flag
text = open(ini, encoding='utf-8').read()
text = re.sub(r'(?m)^period *=.*$', 'period = 2027Q1', text)
open(ini, 'w', encoding='utf-8').write(re.sub(r'(?m)^out *=.*$', 'out = out/2027Q1', text) +
                                         '\n[rule C07]\nmin_age = 79\n')
sh('match')
def has_c07(path):
    return any(w.title.startswith('C07') and len(rows_of(w, c)) for w, c in sheets(openpyxl.load_workbook(path)))
late = next(b for b in books if b != book and has_c07(b))
wb = openpyxl.load_workbook(late)
ws3, col3 = next(sheets(wb))
r3 = rows_of(ws3, col3)[0]
late_id = ws3.cell(r3, col3['flag_id']).value
fill(ws3, col3, r3, '属实', '已核实', '周杰', day(1))
ws4, col4 = next((w, c) for w, c in sheets(wb) if w.title.startswith('C07'))
age = lambda r: int(re.search(r'周岁：(\d+)', ws4.cell(r, col4['核查依据']).value).group(1))
r4 = next(r for r in rows_of(ws4, col4) if age(r) < 78)
c07_id = ws4.cell(r4, col4['flag_id']).value
fill(ws4, col4, r4, '不属实', '', '周杰', day(1))
wb.save(f'{run}/late.xlsx')
r = sh('review', f'{run}/late.xlsx')
rows = list(csv.DictReader(open(f'{run}/out/2027Q1/review.csv', encoding='utf-8-sig')))
if [x['期次'] for x in rows if x['flag_id'] == late_id] != ['2026Q4']:
    bad.append('a 2026Q4 workbook read under the 2027Q1 RUN.ini is recorded under 2026Q4')
sh('match')
q1 = {f['flag_id']: f for f in csv.DictReader(open(f'{run}/out/2027Q1/flags.csv', encoding='utf-8'))}
if '上期核实属实未整改（2026Q4，核查人 周杰）' not in q1.get(late_id, {}).get('evidence', ''):
    bad.append(f'the late 属实 must be recorded under 2026Q4: {q1.get(late_id)}')
if '上期核查为不属实（2026Q4，核查人 周杰），证据已有变化' not in q1.get(c07_id, {}).get('evidence', ''):
    bad.append(f'a late 不属实 about evidence replaced since must not hide the flag: {q1.get(c07_id)}')
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
