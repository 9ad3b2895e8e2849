#!/usr/bin/python3
"""Reads every township workbook back with openpyxl (an independent reader) and
compares it with flags.csv: the same flags per township and rule, the same
values, every evidence field in its own column (or in 说明) with its type
(dates as dates, money and counts as numbers, rates as percentages); the
核查结论 drop-down, sheet protection, frozen header, unlocked reviewer
columns, masked IDs."""
import csv, datetime, glob, os, re, sys
import openpyxl
from openpyxl.utils import get_column_letter

out, period = sys.argv[1], sys.argv[2]
flags = list(csv.DictReader(open(f'{out}/flags.csv', encoding='utf-8')))
want = {}
for f in flags:
    want.setdefault(f['township'] or '未知乡镇', {}).setdefault(f['rule'], {})[f['flag_id']] = f
books = sorted(glob.glob(f'{out}/{period}_*_核查表.xlsx'))
assert os.path.exists(f'{out}/{period}_汇总.xlsx'), 'no summary workbook' 
ok = True
def bad(msg):
    global ok
    print(msg); ok = False
if len(books) != len(want):
    bad(f'{len(books)} workbooks for {len(want)} townships')
for path in books:
    town = os.path.basename(path)[len(period) + 1:-len('_核查表.xlsx')]
    wb = openpyxl.load_workbook(path)
    if wb.sheetnames[0] != '说明':
        bad(f'{path}: first sheet {wb.sheetnames[0]}')
    rules = want.get(town, {})
    seen = set()
    for ws in wb.worksheets[1:]:
        rule = ws.title.split(' ')[0]
        seen.add(rule)
        head = [c.value for c in ws[1]]
        if head[:2] != ['序号', 'flag_id'] or head[-5:] != ['核查结论', '核查说明', '核查人', '核查日期', '来源（文件 行）']:
            bad(f'{path} {ws.title}: header {head}')
        # printed: A4 landscape, header row on every page, the source column left out
        if ws.page_setup.orientation != 'landscape' or ws.print_title_rows != '$1:$1' or \
           f'{get_column_letter(len(head) - 1)}${ws.max_row}' not in str(ws.print_area):
            bad(f'{path} {ws.title}: print setup {ws.page_setup.orientation} {ws.print_title_rows} {ws.print_area}')
        if min((ws.row_dimensions[i].height or 0) for i in range(2, ws.max_row + 1)) < 30:
            bad(f'{path} {ws.title}: rows must leave room to write by hand')
        if not ws.protection.sheet:
            bad(f'{path} {ws.title}: not protected')
        if ws.freeze_panes != 'A2':
            bad(f'{path} {ws.title}: freeze panes {ws.freeze_panes}')
        col = {h: i for i, h in enumerate(head)}
        lead = ['序号', 'flag_id', '风险等级', '状态', '村(社区)', '家庭编号', '姓名', '身份证号(脱敏)', '保障项目', '月保障金额']
        if head[:10] != lead or '说明' not in col:
            bad(f'{path} {ws.title}: common columns {head[:10]}'); continue
        evcols = head[10:col['说明']]
        review = col['核查结论']
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == 'list']
        if not lists or '属实' not in lists[0].formula1 or f'{get_column_letter(review + 1)}2' not in str(lists[0].sqref):
            bad(f'{path} {ws.title}: no 核查结论 drop-down')
        rows = list(ws.iter_rows(min_row=2, values_only=False))
        got = {}
        for r in rows:
            fid = r[1].value
            got[fid] = r
            if any(r[c].protection.locked for c in range(review, review + 4)) or \
               any(not r[c].protection.locked for c in list(range(review)) + [review + 4]):
                bad(f'{path} {ws.title}: reviewer columns must be the only unlocked ones')
        exp = rules.get(rule, {})
        if set(got) != set(exp):
            bad(f'{path} {ws.title}: {len(got)} rows, flags.csv has {len(exp)}')
            continue
        for fid, r in got.items():
            f = exp[fid]
            if r[6].value != (f['name'] or None):
                bad(f'{path} {fid}: name differs'); break
            if re.fullmatch(r'\d{17}[\dX]', r[7].value or ''):
                bad(f'{path} {fid}: a full ID in the sheet'); break
            # every "标签：值" of the evidence is in its column, typed, or in 说明
            note = r[col['说明']].value or ''
            for seg in f['evidence'].split('；'):
                label, _, value = seg.partition('：')
                if label in evcols:
                    c = r[col[label]]
                    v = c.value
                    if isinstance(v, datetime.datetime):
                        shown = v.strftime('%Y-%m-%d')
                    elif isinstance(v, (int, float)):
                        fmt = c.number_format
                        shown = (f'{v * 100:.1f}%' if '%' in fmt else f'{v:.2f}' if '0.00' in fmt
                                 else f'{v:.0f}')
                    else:
                        shown = v or ''
                    if shown != value:
                        bad(f'{path} {fid}: {label} {shown!r} vs {value!r}'); break
                    if re.fullmatch(r'\d{4}-\d{2}-\d{2}', value) and not isinstance(v, datetime.datetime):
                        bad(f'{path} {fid}: {label} is not a date cell'); break
                    # amounts, rates and counts are numbers; codes (9+ digits) stay text
                    if re.fullmatch(r'-?\d{1,8}(\.\d+)?%?', value) and not isinstance(v, (int, float)):
                        bad(f'{path} {fid}: {label} is not a number cell'); break
                    if re.fullmatch(r'\d{9,}', value) and not isinstance(v, str):
                        bad(f'{path} {fid}: {label} (a code) became a number'); break
                elif (value if label == '说明' else seg) not in note:
                    bad(f'{path} {fid}: {seg!r} neither in a column nor in 说明 {note!r}'); break
            if f['monthly_amount'] and (not isinstance(r[9].value, (int, float))
                                        or abs(r[9].value - float(f['monthly_amount'])) > 0.001):
                bad(f'{path} {fid}: money {r[9].value!r} vs {f["monthly_amount"]}'); break
    if seen != set(rules):
        bad(f'{path}: rule sheets {sorted(seen)} vs {sorted(rules)}')
# the county summary: totals, per-township counts, two native charts
import zipfile
sp = f'{out}/{period}_汇总.xlsx'
sw = openpyxl.load_workbook(sp)
if sw.sheetnames != ['汇总', '按规则', '运行清单', '拒收明细']:
    bad(f'summary sheets {sw.sheetnames}')
ws = sw['汇总']
rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
body = [r for r in rows if r[0] not in (None, '合计')]
total = [r for r in rows if r[0] == '合计']
per_town = {r[0]: r[5] for r in body}
if per_town != {t: sum(len(x) for x in rr.values()) for t, rr in want.items()}:
    bad(f'summary per township {per_town}')
if not total or total[0][5] != len(flags):
    bad(f'summary total {total}')
over = sum(float(f['overpaid']) for f in flags if f['overpaid'])
if not total or abs(total[0][6] - over) > 0.01:
    bad(f'summary overpayment {total[0][6] if total else None} vs {over:.2f}')
charts = [n for n in zipfile.ZipFile(sp).namelist() if n.startswith('xl/charts/chart')]
if len(charts) != 2:
    bad(f'summary charts {charts}')
man = {r[0]: r[1] for r in sw['运行清单'].iter_rows(min_row=2, values_only=True)}
if man.get('flags_total') != str(len(flags)) or man.get('period') != period:
    bad(f'运行清单 must flatten the manifest: {list(man.items())[:5]}')
rej = sum(1 for _ in open(f'{out}/rejected.csv', encoding='utf-8-sig')) - 1
if sw['拒收明细'].max_row - 1 != rej:
    bad(f'rejected sheet {sw["拒收明细"].max_row - 1} rows, rejected.csv {rej}')
print(f'{len(books)} workbooks, {len(flags)} flags read back; summary agrees')
sys.exit(0 if ok else 1)
