# docs/RULES.md lists every rule parameter with its default, type and range
# exactly as the matchers' tables (bd_params_* in matchers/) declare them,
# which RUN.ini's loader enforces: the guide cannot promise a value that is
# refused, nor hide a range.
. tests/e2e/lib.inc
python3 - <<'PY' || fail "docs/RULES.md parameter table and the matchers' bd_params disagree"
import glob, re, sys
def num(x):
    v = float(x)
    return str(int(v)) if v == int(v) else str(v)
def kind(t, lo, hi):
    lo, hi = num(lo), num(hi)
    return {
        'BD_VT_INT': f'整数，{lo} 至 {hi}',
        'BD_VT_NUMBER': f'数（可有小数），{lo} 至 {hi}',
        'BD_VT_MONEY': f'金额（元，最多两位小数），{lo} 至 {hi}',
        'BD_VT_PROGS': f'项目代码，逗号分隔，{lo} 至 {hi} 个',
        'BD_VT_PAIRS': f'项目组合 代码+代码，逗号分隔，{lo} 至 {hi} 组',
        'BD_VT_DISSET': '残疾等级集合（等级 1-4，或 类别:等级，类别 1-7）',
        'BD_VT_TEXTS': f'文字，逗号分隔，{lo} 至 {hi} 项',
    }[t]
doc = open('docs/RULES.md', encoding='utf-8').read()
sec = re.search(r'^## 可调整的参数.*?(?=^## |\Z)', doc, re.S | re.M)
if not sec:
    print('docs/RULES.md has no 可调整的参数 section'); sys.exit(1)
rows = set(re.findall(r'^\| .*\|$', sec.group(0), re.M))
want = set()
for path in sorted(glob.glob('matchers/[clrq][0-9][0-9]_*.c')):
    rid = path.split('/')[1][:3].upper()
    src = open(path, encoding='utf-8').read()
    body = re.search(r'bd_params_\w+\[\] = \{(.*?)\};', src, re.S).group(1)
    for name, default, t, lo, hi in re.findall(
            r'\{ "(\w+)", "([^"]*)",\s*"[^"]*",\s*(BD_VT_\w+), ([-\d.e]+), ([-\d.e]+) \}', body):
        want.add(f'| {rid} | `{name}` | {default} | {kind(t, lo, hi)} |')
missing = sorted(want - rows)
for m in missing:
    print('docs/RULES.md lacks:', m)
extra = sorted(r for r in rows - want if re.match(r'\| [CLRQ]\d\d \|', r))
for e in extra:
    print('docs/RULES.md has a row no matcher declares:', e)
print(len(want), 'parameters documented with their type and range')
sys.exit(1 if missing or extra or len(want) < 20 else 0)
PY
