#!/usr/bin/env python3
"""Builds the small legacy .xls fixtures used by tests/unit/test_sheet.c.

Run from the repository root: python3 tests/data/make_xls_fixtures.py
The generated files are committed, so the tests do not need Python.
BIFF records and the OLE2 compound file are written by hand here (after
[MS-XLS] and [MS-CFB]), so each fixture holds exactly the records a test
needs: FORMULA results of every kind, STRING, BOOLERR, RK, MULRK, shared
strings split across CONTINUE records, the 1904 date system, BIFF5 with a
GBK code page, a password-protected workbook, a bare BIFF4 worksheet.

    make_xls_fixtures.py --big N OUT   writes an N-row roll (speed checks)
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- OLE2 compound file ----------------------------------------------------

SECT = 512
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def dir_entry(name, typ, child, start, size):
    n = (name + "\0").encode("utf-16-le") if name else b""
    e = n.ljust(64, b"\0") + struct.pack("<HBB", len(n), typ, 1)
    e += struct.pack("<III", NOSTREAM, NOSTREAM, child)
    e += b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
    e += struct.pack("<III", start, size, 0)
    assert len(e) == 128
    return e


def ole2(stream_name, data):
    """A compound file holding one stream (>= 4096 bytes: no mini stream)."""
    if len(data) < 4096:
        data = data + b"\0" * (4096 - len(data))
    n = (len(data) + SECT - 1) // SECT
    data = data.ljust(n * SECT, b"\0")
    nfat, ndif = 1, 0
    while True:
        ndif = max(0, (nfat - 109 + 126) // 127)
        if n + 1 + nfat + ndif <= nfat * 128:
            break
        nfat += 1
    dir_sec, fat0, dif0 = n, n + 1, n + 1 + nfat
    fat = []
    for i in range(n):
        fat.append(i + 1 if i + 1 < n else ENDOFCHAIN)
    fat.append(ENDOFCHAIN)  # directory
    fat += [FATSECT] * nfat + [0xFFFFFFFC] * ndif
    fat += [FREESECT] * (nfat * 128 - len(fat))
    fatsecs = [fat0 + k for k in range(nfat)]
    difat = fatsecs[:109] + [FREESECT] * (109 - min(nfat, 109))
    hdr = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    hdr += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    hdr += struct.pack("<IIIIIIIII", 0, nfat, dir_sec, 0, 4096, ENDOFCHAIN, 0,
                       dif0 if ndif else ENDOFCHAIN, ndif)
    hdr += struct.pack("<109I", *difat)
    assert len(hdr) == SECT
    dif = b""
    rest = fatsecs[109:]
    for k in range(ndif):
        ids = rest[k * 127:(k + 1) * 127]
        ids += [FREESECT] * (127 - len(ids))
        nxt = dif0 + k + 1 if k + 1 < ndif else ENDOFCHAIN
        dif += struct.pack("<128I", *(ids + [nxt]))
    d = dir_entry("Root Entry", 5, 1, ENDOFCHAIN, 0)
    d += dir_entry(stream_name, 2, NOSTREAM, 0, len(data))
    d += dir_entry("", 0, NOSTREAM, 0, 0) * 2
    return hdr + data + d + struct.pack("<%dI" % len(fat), *fat) + dif


# ---- BIFF records ----------------------------------------------------------

def rec(typ, payload=b""):
    assert len(payload) <= 8224
    return struct.pack("<HH", typ, len(payload)) + payload


def u16str(s):
    """BIFF8 XLUnicodeString: cch, option byte, characters."""
    if all(ord(c) < 256 for c in s):
        return struct.pack("<HB", len(s), 0) + s.encode("latin-1")
    b = s.encode("utf-16-le")
    return struct.pack("<HB", len(b) // 2, 1) + b


def u8str(s):
    """BIFF8 ShortXLUnicodeString (sheet names)."""
    b = s.encode("utf-16-le")
    return struct.pack("<BB", len(b) // 2, 1) + b


def sst_records(strings):
    """SST plus CONTINUE records; characters split across records get a
    new option byte, compressed when the rest fits in Latin-1."""
    out, cur = [], bytearray(struct.pack("<II", len(strings), len(strings)))
    limit = 8224
    for s in strings:
        wide = any(ord(c) > 255 for c in s)
        head = struct.pack("<HB", len(s), 1 if wide else 0)
        if len(cur) + len(head) + 2 > limit:
            out.append(bytes(cur))
            cur = bytearray()
        cur += head
        i = 0
        while i < len(s):
            w = 2 if wide else 1
            room = (limit - len(cur)) // w
            if room <= 0:
                out.append(bytes(cur))
                rest = s[i:]
                wide = any(ord(c) > 255 for c in rest)
                cur = bytearray([1 if wide else 0])
                continue
            part = s[i:i + room]
            cur += part.encode("utf-16-le" if wide else "latin-1")
            i += len(part)
    out.append(bytes(cur))
    recs = rec(0x00FC, out[0])
    for i, c in enumerate(out[1:]):
        if i == 0:
            recs += rec(0x003C, b"")  # an empty CONTINUE, as some writers leave
        recs += rec(0x003C, c)
    return recs


def bof(dt, vers=0x0600):
    return rec(0x0809, struct.pack("<HHHHII", vers, dt, 0x0DBB, 0x07CC, 0, 6))


def xf(ifmt):
    return rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, ifmt, 1, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def fmt(ifmt, code):
    return rec(0x041E, struct.pack("<H", ifmt) + u16str(code))


def cell(row, col, x=0):
    return struct.pack("<HHH", row, col, x)


def number(row, col, v, x=0):
    return rec(0x0203, cell(row, col, x) + struct.pack("<d", v))


def rk_int(v):
    return (v << 2) | 2


def rk(row, col, v, x=0):
    return rec(0x027E, cell(row, col, x) + struct.pack("<I", rk_int(v)))


def labelsst(row, col, k, x=0):
    return rec(0x00FD, cell(row, col, x) + struct.pack("<I", k))


def label(row, col, s, x=0):
    return rec(0x0204, cell(row, col, x) + u16str(s))


def boolerr(row, col, v, is_err, x=0):
    return rec(0x0205, cell(row, col, x) + struct.pack("<BB", v, 1 if is_err else 0))


FORMULA_TOKENS = b"\x1e\x01\x00"  # ptgInt 1: the formula's text does not matter


def formula(row, col, result, x=0):
    """result: float, or ('str',), ('bool', v), ('err', code), ('empty',)."""
    if isinstance(result, float):
        r = struct.pack("<d", result)
    else:
        kind = {"str": 0, "bool": 1, "err": 2, "empty": 3}[result[0]]
        v = result[1] if len(result) > 1 else 0
        r = struct.pack("<BBBBBBH", kind, 0, v, 0, 0, 0, 0xFFFF)
    return rec(0x0006, cell(row, col, x) + r + struct.pack("<HI", 0, 0) +
               struct.pack("<H", len(FORMULA_TOKENS)) + FORMULA_TOKENS)


def string(s):
    return rec(0x0207, u16str(s))


def workbook(sheets, strings=(), formats=(), xfs=(0,), date1904=False,
             extra_globals=b""):
    """sheets: [(name, cell records bytes)]; a BIFF8 Workbook stream."""
    def globals_(positions):
        g = bof(0x0005) + extra_globals + rec(0x0042, struct.pack("<H", 1200))
        g += rec(0x0022, struct.pack("<H", 1 if date1904 else 0))
        for ifmt, code in formats:
            g += fmt(ifmt, code)
        for i in xfs:
            g += xf(i)
        for (name, _), pos in zip(sheets, positions):
            g += rec(0x0085, struct.pack("<IBB", pos, 0, 0) + u8str(name))
        if strings:
            g += sst_records(list(strings))
        return g + rec(0x000A)
    g = globals_([0] * len(sheets))
    pos, positions = len(g), []
    bodies = []
    for _, cells in sheets:
        body = bof(0x0010) + cells + rec(0x000A)
        positions.append(pos)
        bodies.append(body)
        pos += len(body)
    return globals_(positions) + b"".join(bodies)


# ---- fixtures --------------------------------------------------------------

def formula_fixture():
    long_text = "长" * 5000 + "tail-ASCII-" * 300 + "尾"
    strings = ["序号", "姓名", "身份证号", "月保障金额", "享受日期", "是否有效",
               "状态", "长文本", "张三", "李四", long_text]
    # xf 0 general, 1 built-in date 14, 2 custom CJK date, 3 [h]:mm:ss (46)
    formats = [(164, 'yyyy"年"m"月"d"日"')]
    xfs = [0, 14, 164, 46]
    c = b""
    for col in range(8):
        c += labelsst(0, col, col)
    # row 2: every formula result kind, read from cached values
    c += number(1, 0, 1.0)
    c += labelsst(1, 1, 8)
    c += label(1, 2, "410502195809029318")
    c += formula(1, 3, 450.5)
    c += formula(1, 4, 45000.0, 1)
    c += formula(1, 5, ("bool", 1))
    c += formula(1, 6, ("str",)) + string("正常")
    c += labelsst(1, 7, 10)
    # row 3: errors and booleans, as formulas and as constants
    c += rk(2, 0, 2)
    c += labelsst(2, 1, 9)
    c += formula(2, 2, ("err", 0x07))
    c += boolerr(2, 3, 0x00, True)
    c += boolerr(2, 4, 0, False)
    c += formula(2, 5, ("bool", 0))
    c += formula(2, 6, ("empty",))
    c += boolerr(2, 7, 0x2A, True)
    # row 4: MULRK over columns 3..5 (money, custom date, duration)
    c += rec(0x00BD, struct.pack("<HH", 3, 3) +
             struct.pack("<HI", 0, rk_int(381)) +
             struct.pack("<HI", 2, rk_int(45292)) +
             struct.pack("<HI", 3, (int(round(1.5 * 100)) << 2) | 3) +
             struct.pack("<H", 5))
    # row 5 blank; row 6: shared formula between FORMULA and STRING, then
    # a string result whose STRING record is missing (cannot be read)
    c += formula(5, 0, ("str",)) + rec(0x04BC, b"\0" * 10) + string("共享公式")
    c += formula(5, 6, ("str",))
    c += number(5, 7, -0.25)
    return workbook([("名册", c), ("Sheet2", number(0, 0, 7.0))], strings,
                    formats, xfs)


def cadre_unreadable_fixture():
    """村干部名册 whose second cadre's 职务 is a formula whose text result
    was never written (its STRING record is missing): that row must be
    rejected as cell_unreadable, the first accepted."""
    strings = ["姓名", "身份证号码", "职务", "乡镇", "村", "王五", "赵六", "村主任", "城关镇", "东村"]
    c = b""
    for col in range(5):
        c += labelsst(0, col, col)
    c += labelsst(1, 0, 5) + label(1, 1, "410502195809029318") + labelsst(1, 2, 7)
    c += labelsst(1, 3, 8) + labelsst(1, 4, 9)
    c += labelsst(2, 0, 6) + label(2, 1, "11010519491231002X") + formula(2, 2, ("str",))
    c += labelsst(2, 3, 8) + labelsst(2, 4, 9)
    return workbook([("干部", c)], strings, (), (0,))


def date1904_fixture():
    c = number(0, 0, 0.0, 1) + number(0, 1, 1.0, 1) + number(0, 2, 45000.0, 1)
    c += formula(0, 3, 1.0, 1)
    return workbook([("S", c)], xfs=[0, 14], date1904=True)


def biff5_fixture():
    """BIFF5 "Book" stream, code page 936 (GBK), no shared strings."""
    def lab(row, col, s):
        b = s.encode("gbk")
        return rec(0x0204, cell(row, col) + struct.pack("<H", len(b)) + b)
    c = lab(0, 0, "姓名") + lab(0, 1, "金额") + lab(1, 0, "王五")
    c += rk(1, 1, 300)
    c += formula(2, 0, ("str",))
    b = "赵六".encode("gbk")
    c += rec(0x0207, struct.pack("<H", len(b)) + b)
    c += formula(2, 1, 12.5)
    name = "低保".encode("gbk")

    def globals_(pos):
        g = bof(0x0005, 0x0500) + rec(0x0042, struct.pack("<H", 936))
        g += rec(0x0085, struct.pack("<IBBB", pos, 0, 0, len(name)) + name)
        return g + rec(0x000A)
    pos = len(globals_(0))
    return globals_(pos) + bof(0x0010, 0x0500) + c + rec(0x000A)


def password_fixture():
    c = number(0, 0, 1.0)
    return workbook([("S", c)], extra_globals=rec(0x002F, b"\x01\x00" + b"\0" * 52))


def big_fixture(n):
    """An n-row roll: ID, name, amount, date, a formula each row; sheets
    of at most 65,535 data rows (BIFF8 holds 65,536 rows a sheet)."""
    names = ["姓名", "身份证号", "金额", "日期", "合计"] + ["居民%d" % i for i in range(1000)]
    sheets, done = [], 0
    while done < n:
        k = min(65535, n - done)
        c = b"".join(labelsst(0, col, col) for col in range(5))
        for r in range(1, k + 1):
            i = done + r
            c += labelsst(r, 0, 5 + i % 1000)
            c += label(r, 1, "4105021958%08d" % i)
            c += rk(r, 2, 300 + i % 500)
            c += number(r, 3, 40000.0 + i % 9000, 1)
            c += formula(r, 4, float(300 + i % 500) * 2)
        sheets.append(("名册%d" % (len(sheets) + 1), c))
        done += k
    return workbook(sheets, names, xfs=[0, 14])


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--big":
        with open(sys.argv[3], "wb") as f:
            f.write(ole2("Workbook", big_fixture(int(sys.argv[2]))))
        return
    write("xls_formula.xls", ole2("Workbook", formula_fixture()))
    write("xls_1904.xls", ole2("Workbook", date1904_fixture()))
    write("xls_cadre_unreadable.xls", ole2("Workbook", cadre_unreadable_fixture()))
    write("xls_biff5_gbk.xls", ole2("Book", biff5_fixture()))
    write("xls_password.xls", ole2("Workbook", password_fixture()))
    # bare Excel 2.x-4.0 files (no OLE2 container): one worksheet each
    write("xls_bare_biff4.xls", bare_biff4())
    write("xls_bare_biff2.xls", bare_biff2())
    # an Excel 4.0 workbook (BIFF4W): several sheets in one stream
    write("xls_biff4w.xls", struct.pack("<HHHHH", 0x0409, 6, 0, 0x100, 0) + rec(0x000A))


def bare_biff4():
    """Excel 4.0 worksheet, GBK code page: formats numbered by order."""
    def fmt4(code):
        b = code.encode("latin-1")
        return rec(0x041E, b"\0\0" + struct.pack("<B", len(b)) + b)

    def xf4(ifmt):
        return rec(0x0443, struct.pack("<BB", 0, ifmt) + b"\0" * 10)

    def lab(row, col, text):
        b = text.encode("gbk")
        return rec(0x0204, cell(row, col) + struct.pack("<H", len(b)) + b)
    d = struct.pack("<HHHHH", 0x0409, 6, 0, 0x10, 0)
    d += rec(0x0042, struct.pack("<H", 936))
    d += fmt4("General") + fmt4("yyyy-mm-dd")
    d += xf4(0) + xf4(1)
    d += lab(0, 0, "姓名") + lab(0, 1, "出生日期")
    d += lab(1, 0, "张三") + number(1, 1, 45000.0, 1)
    d += rec(0x0406, cell(2, 0) + struct.pack("<BBBBBBH", 0, 0, 0, 0, 0, 0, 0xFFFF) + b"\0" * 6)
    d += rec(0x0207, struct.pack("<H", 2) + b"ok")
    d += rk(2, 1, 7)
    return d + rec(0x000A)


def bare_biff2():
    """Excel 2.x worksheet: 3-byte cell attributes, IXFE, byte strings."""
    def attr(row, col, xf):
        return struct.pack("<HHBBB", row, col, xf, 0, 0)
    d = struct.pack("<HHHH", 0x0009, 4, 0, 0x10)
    d += rec(0x001E, struct.pack("<B", 7) + b"General")
    d += rec(0x001E, struct.pack("<B", 8) + b"d-mmm-yy")
    d += rec(0x0043, b"\0\0\0\0") + rec(0x0043, b"\0\0\x01\0")
    d += rec(0x0004, attr(0, 0, 0) + struct.pack("<B", 4) + b"Name")
    d += rec(0x0002, attr(1, 0, 0) + struct.pack("<H", 42))
    d += rec(0x0044, struct.pack("<H", 1))
    d += rec(0x0003, attr(1, 1, 63) + struct.pack("<d", 45000.0))
    d += rec(0x0005, attr(1, 2, 0) + struct.pack("<BB", 0x07, 1))
    return d + rec(0x000A)

if __name__ == "__main__":
    main()
