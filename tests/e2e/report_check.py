#!/usr/bin/python3
"""Reads every township workbook back with openpyxl (an independent reader) and
compares it with flags.csv: the same flags per township and rule, the same
values; the 核查结论 drop-down, sheet protection, frozen header, unlocked
reviewer columns, money as numbers."""
import csv, glob, os, sys
import openpyxl

out, period = sys.argv[1], sys.argv[2]
flags = list(csv.DictReader(open(f'{out}/flags.csv', encoding='utf-8')))
want = {}
for f in flags:
    want.setdefault(f['township'] or '未知乡镇', {}).setdefault(f['rule'], {})[f['flag_id']] = f
books = sorted(glob.glob(f'{out}/{period}_*_核查表.xlsx'))
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
        if head[:2] != ['序号', 'flag_id'] or head[-4:] != ['核查结论', '核查说明', '核查人', '核查日期']:
            bad(f'{path} {ws.title}: header {head}')
        if not ws.protection.sheet:
            bad(f'{path} {ws.title}: not protected')
        if ws.freeze_panes != 'A2':
            bad(f'{path} {ws.title}: freeze panes {ws.freeze_panes}')
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == 'list']
        if not lists or '属实' not in lists[0].formula1 or 'N2' not in str(lists[0].sqref):
            bad(f'{path} {ws.title}: no 核查结论 drop-down')
        rows = list(ws.iter_rows(min_row=2, values_only=False))
        got = {}
        for r in rows:
            fid = r[1].value
            got[fid] = r
            if r[13].protection.locked or not r[1].protection.locked:
                bad(f'{path} {ws.title}: reviewer columns must be the only unlocked ones')
        exp = rules.get(rule, {})
        if set(got) != set(exp):
            bad(f'{path} {ws.title}: {len(got)} rows, flags.csv has {len(exp)}')
            continue
        for fid, r in got.items():
            f = exp[fid]
            if r[6].value != (f['name'] or None) or r[11].value != f['evidence']:
                bad(f'{path} {fid}: values differ'); break
            if f['monthly_amount'] and (not isinstance(r[9].value, (int, float))
                                        or abs(r[9].value - float(f['monthly_amount'])) > 0.001):
                bad(f'{path} {fid}: money {r[9].value!r} vs {f["monthly_amount"]}'); break
    if seen != set(rules):
        bad(f'{path}: rule sheets {sorted(seen)} vs {sorted(rules)}')
print(f'{len(books)} workbooks, {len(flags)} flags read back')
sys.exit(0 if ok else 1)
