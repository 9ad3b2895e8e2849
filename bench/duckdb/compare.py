#!/usr/bin/env python3
"""bench/duckdb/compare.py FLAGS_CSV DUCKDB_OUT [KEYFILE] - bidui's flags.csv against the
flags of bench/duckdb/rules.sql, rule by rule.

Subjects are compared as bidui keys them: the hid (HMAC-SHA256 of the 18-character ID
under the run's key, by default bench.key beside FLAGS_CSV's RUN.ini, i.e. two folders up)
for person rules, the 12-digit village for R02, and the roll row (source_dataset,
source_row, recovered hid) for Q01; with the evidence key where flags.csv shows it: the
masked plate for C02 (one flag per vehicle), the programme pair for C05 (the same
programme twice for a duplicate), the programme for C06, the kind of the closest tie for R01 (本人 >
配偶 > 父母/子女 > 兄弟姐妹 > 祖父母/孙子女 > 同户). Per rule it prints the flags of each side, then the
subjects: both, only bidui, only DuckDB, with up to three examples of each difference.
Exit status 1 when any rule differs."""
import csv, hashlib, hmac, os, re, sys

if len(sys.argv) not in (3, 4):
    sys.exit(__doc__)
flags_csv, duck_csv = sys.argv[1], sys.argv[2]
keyfile = sys.argv[3] if len(sys.argv) == 4 else os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(flags_csv))), 'bench.key')
key = bytes.fromhex(open(keyfile).read().strip())


def hid(i):
    return hmac.new(key, i.encode(), hashlib.sha256).hexdigest() if i else ''


TIES = {'本人': '0', '配偶': '1', '父母': '2', '子女': '2', '兄弟姐妹': '3', '祖父母': '4', '孙子女': '4',
        '同户': '5'}


PROGS = {'低保': 'DIBAO', '特困': 'TEKUN', '低保边缘': 'BIANYUAN', '孤儿': 'GUER', '事实无人抚养': 'SHISHI',
         '残疾人护理补贴': 'CJ_HULI', '困难残疾人生活补贴': 'CJ_SHENGHUO', '高龄津贴': 'GAOLING'}
ORDER = ['DIBAO', 'TEKUN', 'BIANYUAN', 'GUER', 'SHISHI', 'CJ_HULI', 'CJ_SHENGHUO', 'GAOLING']


def pair(a, b):
    """a programme pair in one order, whichever row came first"""
    a, b = sorted((a, b), key=lambda p: ORDER.index(p) if p in ORDER else 99)
    return a + '+' + b


def evidence(row, label):
    m = re.search(label + '：([^；]*)', row['evidence'])
    return m.group(1) if m else '?'


def subject(rule, row, side):
    if side == 'bidui':
        if rule == 'C02':
            return (row['subject_hid'], evidence(row, '号牌号码'))
        if rule == 'C05':
            a, b = (PROGS.get(evidence(row, k).split('（')[0], '?') for k in ('第一条', '第二条'))
            return (row['subject_hid'], pair(a, b))
        if rule == 'C06':
            return (row['subject_hid'], row['programme'])
        if rule == 'R01':
            return (row['subject_hid'], TIES.get(evidence(row, '关系'), '?'))
        if rule == 'R02':
            return row['village']
        if rule == 'Q01':
            return (row['source_dataset'], row['source_row'], row['subject_hid'])
        return row['subject_hid']
    if rule == 'C02':
        return (hid(row['subject']), row['key'][:2] + '***' + row['key'][-2:])
    if rule == 'C05':
        return (hid(row['subject']), pair(*row['key'].split('+')))
    if rule == 'C06':
        return (hid(row['subject']), row['key'])
    if rule == 'R01':
        return (hid(row['subject']), row['key'][:1])
    if rule == 'R02':
        return row['subject']
    if rule == 'Q01':
        return (row['src'], row['row'], hid(row['subject']))
    return hid(row['subject'])


bidui, duck, nb, nd, raw = {}, {}, {}, {}, {}
for row in csv.DictReader(open(flags_csv, encoding='utf-8')):
    r = row['rule']
    bidui.setdefault(r, set()).add(subject(r, row, 'bidui'))
    nb[r] = nb.get(r, 0) + 1
for row in csv.DictReader(open(duck_csv, encoding='utf-8')):
    r = row['rule']
    s = subject(r, row, 'duck')
    duck.setdefault(r, set()).add(s)
    nd[r] = nd.get(r, 0) + 1
    raw[(r, s)] = row['subject'] + (f" ({row['key']})" if row['key'] else '')

RULES = ['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'L01', 'L02', 'L03', 'L04', 'L05', 'L06',
         'R01', 'R02', 'Q01', 'Q02', 'Q03']
print(f"{'rule':<5} {'bidui flags':>11} {'duckdb flags':>12} {'keys: both':>15} {'only bidui':>10} {'only duckdb':>11}")
bad = []
for r in RULES + sorted((set(bidui) | set(duck)) - set(RULES)):
    b, d = bidui.get(r, set()), duck.get(r, set())
    print(f"{r:<5} {nb.get(r, 0):>11} {nd.get(r, 0):>12} {len(b & d):>15} {len(b - d):>10} {len(d - b):>11}"
          + ('' if b == d and nb.get(r, 0) == nd.get(r, 0) else '  DIFFERS'))
    if b != d or nb.get(r, 0) != nd.get(r, 0):
        bad.append(r)
        for s in sorted(b - d, key=str)[:3]:
            print(f'      only bidui:  {s}')
        for s in sorted(d - b, key=str)[:3]:
            print(f'      only duckdb: {raw.get((r, s), s)}')
print('all rules agree' if not bad else f"differ: {' '.join(bad)}")
sys.exit(1 if bad else 0)
