#!/usr/bin/python3
"""Printed sizes of a workbook rendered to PDF (tools/preview.sh):
  print_measure.py BOOK.xlsx BOOK.pdf
Text size: every word of `pdftotext -bbox` made of CJK ideographs only is
as wide as its characters times the font size (they are full-width, one em
each), so size = width / characters, in points (horizontal words only). Reported per PDF: pages, the
smallest and the median size of body text, and the pages whose smallest text
is under 9 pt. Boxes to write in: the workbook's row heights and column
widths (openpyxl) times the printed scale (the measured size of the 10-point
body text over 10), for the 核查结论 and 核查说明 columns of every rule sheet.
Exit status 1 when body text prints under 9 pt or a box is smaller than 12
mm high (核查结论, 核查说明) or 50 mm wide (核查说明)."""
import html, re, statistics, subprocess, sys
import openpyxl

book, pdf = sys.argv[1], sys.argv[2]
xml = subprocess.run(['pdftotext', '-bbox', pdf, '-'], capture_output=True, text=True, check=True).stdout
cjk = re.compile(r'^[\u4e00-\u9fff]{2,}$')
pages, sizes = [], []
for page in xml.split('<page ')[1:]:
    ps = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page):
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        w = html.unescape(m.group(5))
        if cjk.match(w) and x1 - x0 > y1 - y0:   # vertical text (a chart's axis title) is not measured
            ps.append((x1 - x0) / len(w))
    pages.append(ps)
    sizes += ps
if not sizes:
    sys.exit(f'{pdf}: no CJK text found (is a CJK font installed?)')
small = [i + 1 for i, ps in enumerate(pages) if ps and min(ps) < 9 - 0.05]
body = statistics.median(sizes)
print(f'{pdf}: {len(pages)} pages; text {min(sizes):.1f} pt smallest, {body:.1f} pt median;'
      f' pages under 9 pt: {small if small else "none"}')
ok = not small
# boxes to write in, on the rule sheets (10-point body text)
wb = openpyxl.load_workbook(book)
scale = body / 10
MM_PT = 25.4 / 72
def col_mm(width):   # Excel column width (characters of the default font) -> mm at 100 %
    return (width * 7 + 5) * 25.4 / 96
worst = None
for ws in wb.worksheets:
    head = {c.value: c.column_letter for c in ws[1] if c.value}
    if '核查结论' not in head:
        continue
    rows = [ws.row_dimensions[r].height or 15 for r in range(2, ws.max_row + 1)]
    h = min(rows) * MM_PT * scale
    wn = col_mm(ws.column_dimensions[head['核查说明']].width) * scale
    wc = col_mm(ws.column_dimensions[head['核查结论']].width) * scale
    if worst is None or (h, wn) < worst[:2]:
        worst = (h, wn, wc, ws.title)
if worst:
    h, wn, wc, title = worst
    print(f'{book}: boxes at {scale:.0%} print scale: rows {h:.1f} mm high, 核查说明 {wn:.1f} mm wide,'
          f' 核查结论 {wc:.1f} mm wide (smallest: {title})')
    ok = ok and h >= 12 and wn >= 50
sys.exit(0 if ok else 1)
