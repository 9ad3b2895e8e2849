#!/usr/bin/python3
"""Reads every township workbook back with openpyxl (an independent reader) and
compares it with flags.csv: the same flags per township and rule, the same
values, every evidence field in its own column (or in 说明) with its type
(dates as dates, money and counts as numbers, rates as percentages) and on
its own line in the printed 核查依据; the printed block (A4 landscape, one
page wide, header on every page, the township in the page header, a page
break before each village of a long sheet, rows tall enough to write in),
the 核查结论 drop-down and date bounds, sheets sortable (not protected),
numbers and codes padded from their neighbours, masked IDs; the summary in
Chinese words."""
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
PRINTED = ['序号', 'flag_id', '风险等级', '村(社区)', '对象（姓名 家庭编号 身份证号）', '保障项目', '核查依据',
           '核查结论', '核查说明', '核查人', '核查日期']
NP = len(PRINTED)
SCREEN = ['状态', '姓名', '家庭编号', '身份证号(脱敏)', '月保障金额']
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
        if head[:NP] != PRINTED or head[NP:NP + 5] != SCREEN or head[-2:] != ['说明', '来源（文件 行）']:
            bad(f'{path} {ws.title}: header {head}')
            continue
        col = {h: i for i, h in enumerate(head)}
        evcols = head[NP + 5:col['说明']]
        # printed: A4 landscape, the printed block only, header row on every
        # page, the township and period in the page header
        if ws.page_setup.orientation != 'landscape' or ws.print_title_rows != '$1:$1' or \
           ' '.join(ws.print_area if isinstance(ws.print_area, list) else [str(ws.print_area)]) != f'$A$1:${get_column_letter(NP)}${ws.max_row}' or \
           ws.sheet_properties.pageSetUpPr.fitToPage is not True or ws.page_setup.fitToWidth not in (1, None):
            bad(f'{path} {ws.title}: print setup {ws.page_setup.orientation} {ws.print_title_rows} {ws.print_area}')
        if f'{town} {period}' not in (ws.oddHeader.left.text or ''):
            bad(f'{path} {ws.title}: the township must head every page: {ws.oddHeader.left.text}')
        if min((ws.row_dimensions[i].height or 0) for i in range(2, ws.max_row + 1)) < 40:
            bad(f'{path} {ws.title}: rows must leave room to write by hand (12 mm printed)')
        if ws.column_dimensions[get_column_letter(col['核查说明'] + 1)].width < 29:
            bad(f'{path} {ws.title}: 核查说明 must be 50 mm wide printed')
        if ws.protection.sheet:
            bad(f'{path} {ws.title}: a protected sheet cannot be sorted')
        if ws.freeze_panes != 'A2':
            bad(f'{path} {ws.title}: freeze panes {ws.freeze_panes}')
        review = col['核查结论']
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == 'list']
        if not lists or '属实' not in lists[0].formula1 or f'{get_column_letter(review + 1)}2' not in str(lists[0].sqref):
            bad(f'{path} {ws.title}: no 核查结论 drop-down')
        dates = [dv for dv in ws.data_validations.dataValidation if dv.type == 'date']
        if not dates or dates[0].operator not in (None, 'between') or 'TODAY()' not in (dates[0].formula2 or '') \
           or 'DATE(2000,1,2)' not in (dates[0].formula1 or ''):
            bad(f'{path} {ws.title}: 核查日期 must be bounded by today')
        rows = list(ws.iter_rows(min_row=2, values_only=False))
        got = {}
        for r in rows:
            got[r[1].value] = r
        # a long sheet starts each village on a new page
        villages = [r[col['村(社区)']].value for r in rows]
        want_breaks = {i + 2 for i in range(1, len(rows)) if villages[i] != villages[i - 1]} if len(rows) > 10 else set()
        if {b.id + 1 for b in ws.row_breaks.brk} != want_breaks:
            bad(f'{path} {ws.title}: page breaks {[b.id for b in ws.row_breaks.brk]} vs villages {sorted(want_breaks)}')
        if rows and (rows[0][1].alignment.indent < 1 or rows[0][0].alignment.horizontal != 'center'):
            bad(f'{path} {ws.title}: 序号 and flag_id must not run into each other')
        exp = rules.get(rule, {})
        if set(got) != set(exp):
            bad(f'{path} {ws.title}: {len(got)} rows, flags.csv has {len(exp)}')
            continue
        for fid, r in got.items():
            f = exp[fid]
            if r[col['姓名']].value != (f['name'] or None):
                bad(f'{path} {fid}: name differs'); break
            if any(re.search(r'\d{17}[\dX]', str(c.value or '')) for c in r):
                bad(f'{path} {fid}: a full ID in the sheet'); break
            who = r[col['对象（姓名 家庭编号 身份证号）']].value or ''
            if f['name'] not in who or (r[col['身份证号(脱敏)']].value or '') not in who:
                bad(f'{path} {fid}: 对象 {who!r} must show name and masked ID'); break
            if re.fullmatch(r'\d{12}', str(r[col['村(社区)']].value or '')):
                bad(f'{path} {fid}: the village shown as a code {r[col["村(社区)"]].value}'); break
            src = r[col['来源（文件 行）']].value or ''
            if src != src.strip() or (not f['source_row'] and '按村统计' not in src):
                bad(f'{path} {fid}: 来源 {src!r}'); break
            printed = (r[col['核查依据']].value or '').split('\n')
            if f['evidence'] and printed != f['evidence'].split('；'):
                bad(f'{path} {fid}: 核查依据 {printed} vs {f["evidence"]}'); break
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
            m = r[col['月保障金额']].value
            if f['monthly_amount'] and (not isinstance(m, (int, float)) or abs(m - float(f['monthly_amount'])) > 0.001):
                bad(f'{path} {fid}: money {m!r} vs {f["monthly_amount"]}'); break
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
if ws.cell(3, 7).value != '死亡后多发金额(元，C01)' or {f['rule'] for f in flags if f['overpaid']} - {'C01'}:
    bad(f'the overpayment column must say what it holds: {ws.cell(3, 7).value}')
if ws.print_title_rows:
    bad('汇总 must not repeat its header over the page of charts')
charts = [n for n in zipfile.ZipFile(sp).namelist() if n.startswith('xl/charts/chart')]
if len(charts) != 2:
    bad(f'summary charts {charts}')
mrows = list(sw['运行清单'].iter_rows(min_row=2, values_only=True))
man = {(r[0], r[1]): r[2] for r in mrows}
if man.get(('本次比对', '提示总数')) != str(len(flags)) or man.get(('本次比对', '期次')) != period:
    bad(f'运行清单 must give the manifest in Chinese words: {mrows[:5]}')
if any(re.search(r'[a-z_]+\[\d+\]|rejected_total|\.rows\.', str(c)) for r in mrows for c in r[:2]):
    bad(f'运行清单 must not show raw manifest keys: {[r for r in mrows if "[" in str(r[1])][:3]}')
if '取消隐藏' not in str(ws.cell(2, 1).value):
    bad('汇总 must say where the hidden 运行清单 is')
if sw['运行清单'].sheet_state != 'hidden':
    bad('运行清单 is not printed with the summary: a hidden sheet')
rej = sum(1 for _ in open(f'{out}/rejected.csv', encoding='utf-8-sig')) - 1
if sw['拒收明细'].max_row - 1 != rej:
    bad(f'rejected sheet {sw["拒收明细"].max_row - 1} rows, rejected.csv {rej}')
print(f'{len(books)} workbooks, {len(flags)} flags read back; summary agrees')
sys.exit(0 if ok else 1)
