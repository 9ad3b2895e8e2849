#!/usr/bin/env python3
"""Reader conformance: bidui's cells against openpyxl (.xlsx/.xlsm) and
xlrd (.xls) over a folder of spreadsheets (not part of `make test`).

    tools/conformance.py BIDUI CORPUS_DIR [REPORT.tsv]

BIDUI is best the sanitizer build (build-san/bidui): every file is read
with `bidui peek FILE --all --show-id` under a timeout, and a crash, a
sanitizer report or a hang is counted. Cells are compared on the sheets
both sides read, as text rendered the way bidui renders (numbers to 15
significant digits, date-formatted cells as YYYY-MM-DD, times as
HH:MM:SS, TRUE/FALSE, error texts). The reference readers come from Debian (python3-openpyxl,
python3-xlrd 1.2); a file a reference cannot read is counted apart.
REPORT.tsv lists every differing cell with the file, sheet, cell, both
values and a guessed reason. See docs/READERS.md for the figures.
"""
import datetime
import math
import os
import signal
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import openpyxl  # noqa: E402
import xlrd  # noqa: E402
from openpyxl.utils.datetime import to_excel  # noqa: E402


def render_num(v):
    """bd_number_render without is_date (src/read/numfmt.c)."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if not math.isfinite(v):
        return "#NUM!"
    if v == 0:
        return "0"
    e = "%.14e" % v
    neg = e.startswith("-")
    mant, ex = e.lstrip("-").split("e")
    dig = mant.replace(".", "")[:15].rstrip("0") or "0"
    ex = int(ex)
    if ex >= 21 or ex < -20:
        return "%.15G" % v
    if ex >= 0:
        ip = "".join(dig[k] if k < len(dig) else "0" for k in range(ex + 1))
        fp = dig[ex + 1:]
        s = ip + ("." + fp if fp else "")
    else:
        s = "0." + "0" * (-ex - 1) + dig
    return ("-" if neg else "") + s


def hms(t):
    """Seconds as bidui renders times and durations: HH:MM:SS."""
    return "%02d:%02d:%02d" % (t // 3600, t // 60 % 60, t % 60)


def render_serial_date(v):
    s = math.floor(v + 0.5 / 86400000.0)
    if s == 60:
        return "1900-02-29"
    days = s - 1 if s < 60 else s - 2
    d = datetime.date(1900, 1, 1) + datetime.timedelta(days=days)
    return d.isoformat()


def fmt_kind(code):
    """bd_numfmt_of (src/read/numfmt.c) in Python: 'date', 'time', 'duration' or
    'number'. The references supply the value and the format string; this
    only decides how a serial is shown, as bidui does."""
    y = m = d = h = sec = elapsed = False
    i = 0
    while i < len(code):
        c = code[i]
        if c == '"':
            j = code.find('"', i + 1)
            if j < 0:
                break
            i = j
        elif c == "[":
            j = code.find("]", i + 1)
            if j < 0:
                break
            inner = code[i + 1:j]
            elapsed = elapsed or (inner != "" and all(ch in "hHmMsS" for ch in inner))
            i = j
        elif c in "\\_*":
            i += 1
        else:
            lc = c.lower()
            y, m, d, h, sec = (y or lc == "y", m or lc == "m", d or lc == "d",
                               h or lc == "h", sec or lc == "s")
        i += 1
    if y or d:
        return "date"
    if elapsed:
        return "duration"
    if h or sec:
        return "time"
    return "date" if m else "number"


def render_kind(v, kind, date1904=False):
    if kind == "date":
        if 1 <= v < 2958466:
            return render_serial_date(v + (1462 if date1904 else 0))
        return render_num(v)
    if kind in ("time", "duration") and 0 <= v < 2958466:
        t = math.floor(v * 86400 + 0.5)
        return hms(t % 86400 if kind == "time" else t)
    return render_num(v)


def xls_cells(path):
    """{sheet name: {(row, col): text}} from xlrd, or raises."""
    try:
        bk = xlrd.open_workbook(path, formatting_info=True, on_demand=True,
                                logfile=open(os.devnull, "w"))
    except Exception:
        bk = xlrd.open_workbook(path, formatting_info=False, on_demand=True,
                                logfile=open(os.devnull, "w"))
    out = {}
    for sh in bk.sheets():
        cells = {}
        for r in range(sh.nrows):
            for c, cell in enumerate(sh.row(r)):
                t, v = cell.ctype, cell.value
                if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if t == xlrd.XL_CELL_TEXT:
                    s = v
                elif t == xlrd.XL_CELL_NUMBER:
                    s = render_num(v)
                elif t == xlrd.XL_CELL_DATE:
                    kind = "date"
                    try:
                        xf = bk.xf_list[cell.xf_index]
                        kind = fmt_kind(bk.format_map[xf.format_key].format_str)
                    except Exception:  # no formatting info: xlrd's decision
                        kind = "time" if v < 1 else "date"
                    s = render_kind(v, kind, bk.datemode == 1)
                elif t == xlrd.XL_CELL_BOOLEAN:
                    s = "TRUE" if v else "FALSE"
                elif t == xlrd.XL_CELL_ERROR:
                    s = xlrd.error_text_from_code.get(v, "#N/A")
                else:
                    s = str(v)
                if s != "":
                    cells[(r + 1, c + 1)] = s
        out[sh.name] = cells
    return out


def xlsx_cells(path):
    # not read_only: that mode trusts <dimension> and misses cells beyond it
    wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    epoch = wb.epoch if hasattr(wb, "epoch") else None
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                v = getattr(cell, "value", None)
                if v is None:
                    continue
                if isinstance(v, bool):
                    s = "TRUE" if v else "FALSE"
                elif isinstance(v, (int, float)):
                    s = render_num(float(v))
                elif isinstance(v, (datetime.datetime, datetime.date, datetime.time,
                                    datetime.timedelta)):
                    serial = to_excel(v, epoch) if epoch else to_excel(v)
                    s = render_kind(float(serial), fmt_kind(cell.number_format or ""),
                                    bool(epoch) and epoch.year == 1904)
                else:
                    s = str(v)
                if s != "":
                    cells[(cell.row, cell.column)] = s
        out[ws.title] = cells
    wb.close()
    return out


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def bidui_cells(bidui, path):
    """(status, {sheet: cells}); status 'ok', 'refused: msg', 'crash ...'."""
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    try:
        p = subprocess.run([bidui, "peek", path, "--all", "--show-id"],
                           capture_output=True, timeout=120, env=env)
    except subprocess.TimeoutExpired:
        return "hang", {}
    err = p.stderr.decode("utf-8", "replace")
    if "Sanitizer" in err or "runtime error" in err or p.returncode < 0 or p.returncode > 2:
        return "crash rc=%d %s" % (p.returncode, err[:300].replace("\n", " ")), {}
    out, cur = {}, None
    for line in p.stdout.decode("utf-8", "replace").split("\n"):
        if line.startswith("== 工作表 "):
            name = line.split('"', 1)[1][:-1] if '"' in line else ""
            cur = out.setdefault(name, {})
            continue
        if line.startswith("!! ") or not line or cur is None:
            continue
        parts = line.split("\t")
        try:
            r = int(parts[0])
        except ValueError:
            continue
        for c, v in enumerate(parts[1:], 1):
            if v != "":
                cur[(r, c)] = unescape(v)
    if p.returncode == 1 and not any(out.values()):
        return "refused: " + err.strip().split("\n")[-1][:300], out
    return "ok", out


REF_TIMEOUT = 60  # seconds a reference reader may take on one file


def on_alarm(signum, frame):
    raise TimeoutError("reference reader took over %d s" % REF_TIMEOUT)


def reason(ref, got):
    if got is None:
        return "missing in bidui"
    if ref is None:
        return "extra in bidui"
    if got.count(":") == 2 and ":" not in ref and len(ref) != 10:
        return "elapsed-time format ([h], [hh], [s]): bidui H:MM:SS, the reference the number"
    if ref and got and ":" in ref + got and (len(ref) == 10 or len(got) == 10):
        return "time format on a date-time value (the reference shows the date)"
    try:
        if abs(float(ref) - float(got)) <= 1e-9 * max(1.0, abs(float(ref))):
            return "number rendering"
    except ValueError:
        pass
    if len(got) == 10 and got[4] == "-" and got[7] == "-":
        return "bidui date, reference number (style not applied by the reference)"
    if len(ref) == 10 and ref[4] == "-" and ref[7] == "-":
        return "reference date, bidui number (format decision)"
    if ref.strip() == got.strip():
        return "whitespace"
    return "value"


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    bidui, corpus = sys.argv[1], sys.argv[2]
    report = open(sys.argv[3] if len(sys.argv) > 3 else os.devnull, "w", buffering=1)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs
                   if f.lower().endswith((".xls", ".xlsx", ".xlsm")))
    st = {k: dict(files=0, ref_ok=0, both=0, agree_files=0, cells=0, agree=0,
                  refused=0, crash=0, hang=0, ref_only=0) for k in ("xls", "xlsx")}
    reasons = {}
    for path in files:
        kind = "xls" if path.lower().endswith(".xls") else "xlsx"
        s = st[kind]
        s["files"] += 1
        t0 = time.time()
        status, got = bidui_cells(bidui, path)
        t1 = time.time()
        if status.startswith("crash"):
            s["crash"] += 1
            print("CRASH", path, status, file=report)
        elif status == "hang":
            s["hang"] += 1
            print("HANG", path, file=report)
        try:
            signal.alarm(REF_TIMEOUT)
            try:
                ref = xls_cells(path) if kind == "xls" else xlsx_cells(path)
            finally:
                signal.alarm(0)
            print("TIME", path, "%.2f" % (t1 - t0), "%.2f" % (time.time() - t1),
                  sep="\t", file=report)
        except Exception as ex:  # the reference cannot read it
            print("REF-FAIL", path, type(ex).__name__, str(ex)[:120], status[:120],
                  sep="\t", file=report)
            continue
        s["ref_ok"] += 1
        if status != "ok":
            s["refused"] += 1
            s["ref_only"] += 1
            print("REFUSED", path, status, sep="\t", file=report)
            continue
        s["both"] += 1
        file_ok = True
        gnames = list(got)
        for i, (name, rcells) in enumerate(ref.items()):
            gcells = got.get(name)
            if gcells is None and len(ref) == len(got):
                gcells = got[gnames[i]]  # same position, another name
            if gcells is None:
                if rcells:
                    print("NO-SHEET", path, name, sep="\t", file=report)
                    s["cells"] += len(rcells)
                    file_ok = False
                    reasons["sheet not read"] = reasons.get("sheet not read", 0) + len(rcells)
                continue
            for key in sorted(set(rcells) | set(gcells)):
                a, b = rcells.get(key), gcells.get(key)
                s["cells"] += 1
                if a == b:
                    s["agree"] += 1
                    continue
                file_ok = False
                why = reason(a, b)
                reasons[(kind, why)] = reasons.get((kind, why), 0) + 1
                print("DIFF", path, name, "R%dC%d" % key, repr(a)[:80], repr(b)[:80],
                      why, sep="\t", file=report)
        s["agree_files"] += file_ok
    for kind, s in st.items():
        pct = 100.0 * s["agree"] / s["cells"] if s["cells"] else 100.0
        print("%s: %d files, reference reads %d, both read %d, all cells agree in %d; "
              "cells %d, agree %d (%.3f %%); bidui refuses %d the reference reads; "
              "crashes %d, hangs %d" % (kind, s["files"], s["ref_ok"], s["both"],
                                         s["agree_files"], s["cells"], s["agree"], pct,
                                         s["refused"], s["crash"], s["hang"]))
    for k, v in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print("  diff %-60s %d" % (k, v))


if __name__ == "__main__":
    main()
