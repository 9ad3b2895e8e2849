# docs/RULES.md names, for every rule, the evidence columns its matcher
# declares (bd_cols_* in matchers/), in order: the reviewers' guide cannot
# drift from the workbooks.
. tests/e2e/lib.inc
python3 - <<'PY' || fail "docs/RULES.md and the matchers' evidence columns disagree"
import glob, re, sys
doc = open('docs/RULES.md', encoding='utf-8').read()
ok, n = True, 0
for path in sorted(glob.glob('matchers/[clrq][0-9][0-9]_*.c')):
    src = open(path, encoding='utf-8').read()
    m = re.search(r'bd_cols_([clrq]\d\d)\[\] = \{(.*?)\n\};|bd_cols_([clrq]\d\d)\[\] = \{(.*?)\};', src, re.S)
    if not m:
        print(path, 'declares no evidence columns'); ok = False; continue
    rid = (m.group(1) or m.group(3)).upper()
    labels = re.findall(r'\{ "([^"]+)", BD_COL_', m.group(2) or m.group(4) or '')
    sec = re.search(rf'^## {rid} .*?(?=^## |\Z)', doc, re.S | re.M)
    line = re.search(r'\*\*核查表列\*\*：(.*)', sec.group(0)) if sec else None
    if not line:
        print(rid, 'has no 核查表列 line in docs/RULES.md'); ok = False; continue
    pos = [line.group(1).find(l) for l in labels]
    if -1 in pos or pos != sorted(pos):
        print(rid, 'columns', labels, 'vs docs:', line.group(1)); ok = False
    n += 1
print(n, 'rules: docs list their evidence columns')
sys.exit(0 if ok and n == 18 else 1)
PY
