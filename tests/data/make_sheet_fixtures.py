#!/usr/bin/env python3
"""Builds the small spreadsheet fixtures used by tests/unit/test_sheet.c.

Run from the repository root: python3 tests/data/make_sheet_fixtures.py
The generated files are committed, so the tests do not need Python.
Only the standard library is used (zipfile writes the XLSX packages).
"""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NSR = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HDR = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FIXED_TIME = (2026, 12, 1, 0, 0, 0)

CONTENT_TYPES = HDR + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '</Types>')

ROOT_RELS = HDR + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="' + REL + '/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')

WORKBOOK = HDR + (
    '<workbook ' + NS + ' ' + NSR + '><sheets>'
    '<sheet name="名册" sheetId="1" r:id="rId1"/>'
    '<sheet name="Other" sheetId="2" r:id="rId7"/>'
    '</sheets></workbook>')

# sheet 1 relative, sheet 2 absolute target
WB_RELS = HDR + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="' + REL + '/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId7" Type="' + REL + '/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
    '<Relationship Id="rId3" Type="' + REL + '/styles" Target="styles.xml"/>'
    '<Relationship Id="rId4" Type="' + REL + '/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')

# xf 0 general, 1 built-in 14 (date), 2 custom CJK date, 3 elapsed time,
# 4 money, 5 locale-prefixed date, 6 quoted text with letters only
STYLES = HDR + (
    '<styleSheet ' + NS + '><numFmts count="5">'
    '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
    '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="#,##0.00_);[Red]\\(#,##0.00\\)"/>'
    '<numFmt numFmtId="167" formatCode="[$-804]yyyy/m/d;@"/>'
    '<numFmt numFmtId="168" formatCode="0&quot; days&quot;"/>'
    '</numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/>'
    '<xf numFmtId="168"/></cellXfs></styleSheet>')

SST = HDR + (
    '<sst ' + NS + ' count="3" uniqueCount="3">'
    '<si><t>姓名</t></si>'
    '<si><r><rPr><b/></rPr><t>身份证</t></r><r><t xml:space="preserve">号码 </t></r>'
    '<rPh sb="0" eb="1"><t>SHENFEN</t></rPh></si>'
    '<si><t>a_x000D_b</t></si>'
    '</sst>')


def c_inline(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


SHEET1 = HDR + (
    '<worksheet ' + NS + ' ' + NSR + '><dimension ref="A1:H9"/><sheetData>'
    # row 1: shared strings and a gap at B1 (A1, C1, D1)
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>'
    + c_inline("D1", "内联 文本") + '</row>'
    # row 2: numbers as Excel stores them
    '<row r="2"><c r="A2"><v>4.10502195809029E+17</v></c>'
    '<c r="B2"><v>410502195809028992</v></c>'
    '<c r="C2"><v>1234.5</v></c><c r="D2"><v>0.30000000000000004</v></c>'
    '<c r="E2"><v>-42</v></c><c r="F2" t="b"><v>1</v></c>'
    '<c r="G2" t="e"><v>#N/A</v></c>'
    '<c r="H2" t="str"><f>CONCAT("公","式")</f><v>公式</v></c></row>'
    # row 3 and 4 absent: row 5 holds styled numbers
    '<row r="5"><c r="A5" s="1"><v>45658</v></c><c r="B5" s="2"><v>45658.75</v></c>'
    '<c r="C5" s="3"><v>1.5</v></c><c r="D5" s="4"><v>1234.5</v></c>'
    '<c r="E5" s="5"><v>44594</v></c><c r="F5" t="d"><v>2024-03-01T08:30:00</v></c>'
    '<c r="G5" s="6"><v>7</v></c><c r="H5" s="1"/></row>'
    # rows and cells without r: counted on from the previous ones
    '<row><c><v>1</v></c><c t="inlineStr"><is><t>二</t></is></c></row>'
    '<row><c t="s"><v>2</v></c></row>'
    # an explicitly empty row
    '<row r="9" spans="1:3"/>'
    # inline string with a phonetic run and rich runs
    '<row r="10"><c r="B10" t="inlineStr"><is><r><t>张</t></r><r><t>三</t></r>'
    '<rPh sb="0" eb="1"><t>zhang</t></rPh></is></c><c r="C10"/></row>'
    '</sheetData></worksheet>')

SHEET2 = HDR + (
    '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<x:sheetData><x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>second</x:t></x:is>'
    '</x:c></x:row></x:sheetData></x:worksheet>')


def write_zip(name, members, compression=zipfile.ZIP_DEFLATED):
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w", compression) as z:
        for arc, data in members:
            info = zipfile.ZipInfo(arc, FIXED_TIME)
            info.compress_type = compression
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def basic_members(sheet1=SHEET1):
    return [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WB_RELS),
        ("xl/styles.xml", STYLES),
        ("xl/sharedStrings.xml", SST),
        ("xl/worksheets/sheet1.xml", sheet1),
        ("xl/worksheets/sheet2.xml", SHEET2),
    ]


def main():
    basic = write_zip("sheet_basic.xlsx", basic_members())

    # truncated: the central directory is lost
    data = open(basic, "rb").read()
    with open(os.path.join(HERE, "sheet_truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])

    # well-formed zip, malformed worksheet XML after a good first row
    bad = SHEET1.replace('<row r="5">', '<row r="5"><c r="A5"<v>1</v></c>')
    write_zip("sheet_badxml.xlsx", basic_members(bad))

    # stored (uncompressed) worksheet with a damaged byte: CRC error
    path = write_zip("sheet_crc.xlsx", basic_members(), zipfile.ZIP_STORED)
    data = bytearray(open(path, "rb").read())
    at = data.find("内联".encode("utf-8"))
    data[at + 1] ^= 0x01
    open(path, "wb").write(bytes(data))

    # a zip that is no workbook at all
    write_zip("sheet_notxlsx.zip", [("hello.txt", "hello\n")])

    # OLE2 signature followed by garbage
    with open(os.path.join(HERE, "sheet_garbage.xls"), "wb") as f:
        f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        f.write(bytes((i * 37 + 11) & 0xFF for i in range(1024)))

    # HTML table in GBK, no charset declared
    html = (
        "<!DOCTYPE html>\r\n<!-- 导出 -->\r\n<html><head><title>特困</title>"
        "<style>td{mso-number-format:\"\\@\";}</style>"
        "<script>var x = '<tr><td>no</td></tr>';</script></head><body>\r\n"
        "<table border=1>\r\n"
        "<tr><th colspan=\"2\">姓名与证号</th><th>金额</th></tr>\r\n"
        "<tr><td> 张三&nbsp;</td><td><span>4105</span><b>02</b>1958</td>"
        "<td rowspan=\"2\">680.00</td></tr>\r\n"
        "<tr><td>李四<br>(户主)</td><td>\r\n  410502\r\n  197809257248 </td></tr>\r\n"
        "<tr></tr>\r\n"
        "<tr><td>合计</td><td></td><td>1360.00</td><td></td></tr>\r\n"
        "</table></body></html>\r\n")
    with open(os.path.join(HERE, "sheet_gbk.html"), "wb") as f:
        f.write(html.encode("gbk"))

    # GB2312 declared in a meta tag, bytes in GBK
    html2 = (
        "<html><head><meta http-equiv=\"Content-Type\" "
        "content=\"text/html; charset=gb2312\"></head><body><table>"
        "<tr><td>低保</td><td>特困人员-7131</td></tr></table></body></html>")
    with open(os.path.join(HERE, "sheet_gb2312.html"), "wb") as f:
        f.write(html2.encode("gbk"))

    # declares UTF-8 but holds GBK bytes on line 4, after a good row
    html3 = ("<html><head><meta charset=\"utf-8\"></head>\n<body><table>\n"
             "<tr><td>好</td><td>charset=gbk</td></tr>\n<tr><td>").encode() + \
        "张三".encode("gbk") + b"</td></tr></table></body></html>\n"
    with open(os.path.join(HERE, "sheet_badenc.html"), "wb") as f:
        f.write(html3)


if __name__ == "__main__":
    main()
