#!/usr/bin/env python3
"""bench/duckdb/compare.py FLAGS_CSV DUCKDB_OUT [KEYFILE] - bidui's flags.csv against the
flags of bench/duckdb/rules.sql, rule by rule.

Subjects are compared as bidui keys them: the hid (HMAC-SHA256 of the 18-character ID
under the run's key, by default bench.key beside FLAGS_CSV's RUN.ini, i.e. two folders up)
for person rules, the 12-digit village for R02, and the roll row (source_dataset,
source_row, recovered hid) for Q01. Per rule it prints the flags of each side, then the
subjects: both, only bidui, only DuckDB, with up to three examples of each difference.
Exit status 1 when any rule differs."""
import csv, hashlib, hmac, os, sys

if len(sys.argv) not in (3, 4):
    sys.exit(__doc__)
flags_csv, duck_csv = sys.argv[1], sys.argv[2]
keyfile = sys.argv[3] if len(sys.argv) == 4 else os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(flags_csv))), 'bench.key')
key = bytes.fromhex(open(keyfile).read().strip())


def hid(i):
    return hmac.new(key, i.encode(), hashlib.sha256).hexdigest() if i else ''


def subject(rule, row, side):
    if side == 'bidui':
        if rule == 'R02':
            return row['village']
        if rule == 'Q01':
            return (row['source_dataset'], row['source_row'], row['subject_hid'])
        return row['subject_hid']
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
print(f"{'rule':<5} {'bidui flags':>11} {'duckdb flags':>12} {'subjects: both':>15} {'only bidui':>10} {'only duckdb':>11}")
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
