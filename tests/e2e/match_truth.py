#!/usr/bin/env python3
"""Rules recomputed independently, in SQL (sqlite3) over the generator's clean
truth tables, and compared subject by subject with bidui's flags.csv.

All 18 rules. For C01-L06, R01 and Q02 the roll rows whose raw ID was damaged on
purpose (Excel numeric cells, planted Q01 cases) are left out on both sides.
Q01, Q03 and R02 start from the roll rows as the files hold them
(truth/roll_raw.csv: the damaged ID and the name as written): Q01 is checked
row by row with its recovered person, Q03 person by person, R02 village by
village with recovered rows counted as their person."""
import csv, hashlib, hmac, sqlite3, sys, unicodedata
from datetime import date

run, flags_csv = sys.argv[1], sys.argv[2]
key = bytes.fromhex(open(f'{run}/bidui.key').read().strip())
hid = lambda i: hmac.new(key, i.encode(), hashlib.sha256).hexdigest()
db = sqlite3.connect(':memory:')
for t in ('person', 'roll', 'custody', 'cert', 'death', 'cremation', 'illness', 'vehicle', 'cadre'):
    rows = list(csv.DictReader(open(f'{run}/truth/{t}.csv', encoding='utf-8')))
    cols = list(rows[0].keys())
    db.execute(f'create table {t} ({", ".join(c + " text" for c in cols)})')
    db.executemany(f'insert into {t} values ({", ".join("?" * len(cols))})',
                   [[r[c] for c in cols] for r in rows])
q01 = {r['id'] for r in csv.DictReader(open(f'{run}/truth/scenarios.csv', encoding='utf-8'))
       if r['rule'] == 'Q01'}
db.execute('create table damaged (id text)')
db.executemany('insert into damaged values (?)', [(i,) for i in q01])
db.execute("""insert into damaged select id from roll where mess like 'excel_numeric%'""")
D, M0, J = '2026-12-31', '2026-12-01', '410102'
db.executescript(f"""
create view r as select * from roll where id not in (select id from damaged);
create view dead as
  select id from person where status = '死亡' union select id from death
  union select id from cremation;
create view resident as select id from person where status = '正常' and region like '{J}%';
""")
want = {}
def rule(name, sql):
    want[name] = {hid(row[0]) for row in db.execute(sql)}

db.executescript("""
create view death_dates as
  select id, status_date as d from person where status = '死亡' and status_date != ''
  union all select id, death_date from death
  union all select id, case when death_date != '' then death_date else cremation_date end
    from cremation;
""")
rule('C01', f"""select distinct id from r where id in (select id from dead)
  and (id not in (select id from death_dates)
       or (select min(d) from death_dates x where x.id = r.id) < '{M0}')""")
rule('L01', f"""select distinct r.id from r join cert c on c.id = r.id
  where r.programme = 'DIBAO' and r.id not in (select id from dead)
    and c.status in ('有效', '正常') and (c.valid_until = '' or c.valid_until >= '{D}')
    and r.id not in (select id from roll where programme = 'CJ_SHENGHUO')""")
db.executescript(f"""
create view unable_parent as
  select id from dead
  union select id from custody where custody_type in ('服刑', '强制隔离戒毒')
    and start_date <= '{D}' and (end_date = '' or (end_date >= '{D}'
         and end_date >= date(start_date, '+6 months')))
  union select id from cert where status in ('有效', '正常')
    and (valid_until = '' or valid_until >= '{D}')
    and (cast(grade as int) <= 2 or (category in ('5', '6') and cast(grade as int) >= 3))
  union select id from illness where year in ('2026', '2025') and major = '是';
""")
rule('L05', f"""select p.id from person p
  where p.id in (select id from resident) and p.id not in (select id from dead)
    and (cast(substr('{D}',1,4) as int) - cast(substr(p.birth,1,4) as int)
         - (substr(p.birth,6,2) || substr(p.birth,9,2) > '1231')) < 18
    and p.id not in (select id from roll where programme in ('GUER', 'SHISHI', 'TEKUN'))
    and p.father != '' and p.mother != ''
    and p.father in (select id from unable_parent) and p.mother in (select id from unable_parent)""")
rule('C03', f"""select distinct r.id from r join person p on p.id = r.id
  where (p.status in ('迁出', '注销') and (p.status_date = '' or p.status_date < '{M0}'))
     or (p.status = '正常' and p.region not like '{J}%')""")
rule('C04', f"""select distinct r.id from r join custody c on c.id = r.id
  where r.programme in ('DIBAO', 'TEKUN', 'BIANYUAN', 'GAOLING')
    and c.custody_type in ('服刑', '强制隔离戒毒')
    and c.start_date <= '{D}' and (c.end_date = '' or c.end_date >= '{D}')
    and c.start_date < '{M0}'""")
rule('C05', """select id from r group by id, programme having count(*) > 1
  union select a.id from r a join r b on a.id = b.id
  where (a.programme, b.programme) in (values ('DIBAO','TEKUN'), ('DIBAO','BIANYUAN'),
        ('GUER','SHISHI'), ('GUER','TEKUN'), ('SHISHI','TEKUN'))""")
# age from the ID's birth date: whole years, birthday reached when (m, d) <= D's
rule('C07', f"""select distinct id from r where programme = 'GAOLING' and
  (cast(substr('{D}',1,4) as int) - cast(substr(id,7,4) as int)
   - (substr(id,11,2) || substr(id,13,2) > '1231')) < 80""")
rule('L02', f"""select distinct c.id from cert c
  where c.status in ('有效', '正常') and (c.valid_until = '' or c.valid_until >= '{D}')
    and cast(c.grade as int) <= 2
    and c.id in (select id from resident) and c.id not in (select id from dead)
    and c.id not in (select id from roll where programme = 'CJ_HULI')""")
rule('L06', f"""select i.id from illness i
  where i.year in ('2026', '2025') and i.id in (select id from resident)
    and i.id not in (select id from dead)
    and not exists (select 1 from person p join person q on q.hukou = p.hukou
                    join roll x on x.id = q.id
                    where p.id = i.id and x.programme in ('DIBAO', 'TEKUN', 'BIANYUAN'))
  group by i.id, i.year having sum(cast(i.self_pay as real)) >= 20000 - 0.001""")
rule('Q02', """select distinct id from r where id not in (select id from person)""")
# a numeric cell whose 15 significant digits still pass the check reads as
# another, unregistered person: Q02 for that number
persons = {r[0] for r in db.execute('select id from person')}
for (i,) in db.execute("select id from roll where mess = 'excel_numeric_passes_check'"):
    mant, exp = f'{float(i):.14e}'.split('e')
    shown = (mant.replace('.', '') + '0' * 18)[:int(exp) + 1]
    if shown not in persons:
        want['Q02'].add(hid(shown))

# ---- rules over households and kin, in Python over the same tables ----
rows = [dict(zip([c[0] for c in db.execute('select * from r').description], x))
        for x in db.execute('select * from r')]
parent = list(range(len(rows)))
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
keys = {}
for i, x in enumerate(rows):
    ks = []
    if x['household_id']:
        ks.append('I' + x['household_id'])
    if x['head_id']:
        ks.append('H' + x['head_id'])
    if x['relation'] in ('户主', '本人') or x['id'] == x['head_id']:
        ks.append('H' + x['id'])
    for k in ks:
        if k in keys:
            a, b = find(i), find(keys[k])
            parent[max(a, b)] = min(a, b)
        else:
            keys[k] = i
hh = {}
for i, x in enumerate(rows):
    hh.setdefault(find(i), []).append(x)
household_of = [hh[find(i)] for i in range(len(rows))]
person = {p[0]: p for p in db.execute('select id, name, hukou, region, status, father, mother, spouse from person')}
spouses = {}
for i, p in person.items():
    if p[7]:
        spouses.setdefault(i, set()).add(p[7])
        spouses.setdefault(p[7], set()).add(i)
ENDS = set('BCEFMP')
ENDW = ('转出', '被盗抢', '注销', '撤销', '强制注销', '达到报废标准', '报废', '吊销')
def registered(st):
    st = st.strip()
    if any(w in st for w in ENDW):
        return False
    letters = st.replace(' ', '')
    return not (letters.isascii() and any(c in ENDS for c in letters.upper()))
cars = {}
for o, t, st in db.execute('select owner_id, vehicle_type, status from vehicle'):
    if registered(st) and not any(w in t for w in ('摩托', '残疾人', '低速', '三轮汽车')):
        cars.setdefault(o, []).append(t)
want['C02'] = set()
for i, x in enumerate(rows):
    if not any(y['programme'] in ('DIBAO', 'TEKUN') for y in household_of[i]):
        continue
    for m in {x['id']} | spouses.get(x['id'], set()):
        if m in cars:
            want['C02'].add(hid(m))
certs = {}
for i, cat, grade, until, st in db.execute('select id, category, grade, valid_until, status from cert'):
    if st in ('有效', '正常') and (until == '' or until >= D):
        certs.setdefault(i, []).append((int(cat), int(grade)))
want['C06'] = set()
for i, x in enumerate(rows):
    c = certs.get(x['id'], [])
    if x['programme'] == 'CJ_HULI' and not any(g <= 2 for _, g in c):
        want['C06'].add(hid(x['id']))
    if x['programme'] == 'CJ_SHENGHUO' and (not c or not any(y['programme'] == 'DIBAO' for y in household_of[i])):
        want['C06'].add(hid(x['id']))
cadres = {x[0] for x in db.execute('select id from cadre')} if db.execute(
    "select count(*) from sqlite_master where name = 'cadre'").fetchone()[0] else set()
children = {}
for i, p in person.items():
    for par in (p[5], p[6]):
        if par:
            children.setdefault(par, set()).add(i)
by_hukou = {}
for i, p in person.items():
    by_hukou.setdefault(p[2], set()).add(i)
def kin(i):
    p = person.get(i)
    out = set(spouses.get(i, set()))
    pars = {x for x in (p[5], p[6]) if x} if p else set()
    out |= pars
    out |= children.get(i, set())
    for par in pars:
        out |= children.get(par, set())
        pp = person.get(par)
        if pp:
            out |= {x for x in (pp[5], pp[6]) if x}
    for ch in children.get(i, set()):
        out |= children.get(ch, set())
    if p:
        out |= by_hukou.get(p[2], set())
    return out
want['R01'] = set()
for i, x in enumerate(rows):
    if x['programme'] not in ('DIBAO', 'TEKUN', 'BIANYUAN'):
        continue
    # RULES.md "Filed household": filing is judged per household_id; a
    # family keyed by its head (no household_id) is the same household as the
    # household_id its head heads, but two household_ids are never one
    if any(y['filed'] == '是' and (y['household_id'] == x['household_id'] or not y['household_id']
                                   or not x['household_id']) for y in household_of[i]):
        continue
    if x['id'] in cadres or kin(x['id']) & cadres:
        want['R01'].add(hid(x['id']))

dead_ids = {x[0] for x in db.execute('select id from dead')}
roll_progs = {}
for x in db.execute('select id, programme from roll'):
    roll_progs.setdefault(x[0], set()).add(x[1])
def age(i):
    p = person.get(i)
    b = p_birth.get(i)
    if not b:
        return -1
    return int(D[:4]) - int(b[:4]) - ((b[5:7] + b[8:10]) > (D[5:7] + D[8:10]))
p_birth = {x[0]: x[1] for x in db.execute('select id, birth from person')}
def has_cert(i, test):
    return any(test(c, g) for c, g in certs.get(i, []))
severe = lambda c, g: g <= 2 or (c in (5, 6) and g == 3)
unable_work = lambda c, g: (c == 1 and g == 1) or (c == 4 and g <= 2) or (c in (5, 6) and g <= 3)
major = {(x[0], x[1]) for x in db.execute("select id, year from illness where major = '是'")}
held = {x[0] for x in db.execute(f"""select id from custody where custody_type in ('服刑', '强制隔离戒毒')
          and start_date <= '{D}' and (end_date = '' or end_date >= '{D}')""")}
want['L03'] = set()
for i, x in enumerate(rows):
    pid = x['id']
    if roll_progs[pid] & {'DIBAO', 'TEKUN'} or pid in dead_ids:
        continue
    if not any(y['programme'] == 'BIANYUAN' for y in household_of[i]):
        continue
    if has_cert(pid, severe) or (pid, D[:4]) in major or (pid, str(int(D[:4]) - 1)) in major:
        want['L03'].add(hid(pid))
def obligor_unable(o):
    if o in dead_ids or o in held:
        return True
    progs = roll_progs.get(o, set())
    if 'TEKUN' in progs:
        return True
    a = age(o)
    if 'DIBAO' in progs and a >= 60:
        return True
    return bool(progs & {'DIBAO', 'BIANYUAN'}) and (a >= 70 or has_cert(o, severe))
want['L04'] = set()
for x in rows:
    pid = x['id']
    if x['programme'] not in ('DIBAO', 'BIANYUAN') or pid not in person or pid in dead_ids:
        continue
    if 'TEKUN' in roll_progs[pid]:
        continue
    a = age(pid)
    if a < 18 or (a < 60 and not has_cert(pid, unable_work)):
        continue
    obligors = spouses.get(pid, set()) | {c for c in children.get(pid, set()) if age(c) >= 18}
    if all(obligor_unable(o) for o in obligors):
        want['L04'].add(hid(pid))

# ---- Q01, Q03, R02 from the raw roll rows
raw_rows = list(csv.DictReader(open(f'{run}/truth/roll_raw.csv', encoding='utf-8')))
prog_of = {(x['section'], x['row']): x['programme'] for x in csv.DictReader(open(f'{run}/truth/roll.csv', encoding='utf-8'))}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def real_date(s8):
    try:
        return date(int(s8[:4]), int(s8[4:6]), int(s8[6:8])) <= date.fromisoformat(D)
    except ValueError:
        return False
def valid_id(i):
    return (len(i) == 18 and i[:17].isdigit() and real_date(i[6:14])
            and '10X98765432'[sum(int(c) * w for c, w in zip(i, W)) % 11] == i[17])
def norm_id(raw):
    i = ''.join(unicodedata.normalize('NFKC', raw).split()).lstrip("'").upper()
    return i
def norm_name(n):
    n = ''.join(unicodedata.normalize('NFKC', n).split())
    return ''.join('·' if c in '•・‧∙･' else c for c in n)
names = {x[0]: norm_name(x[1]) for x in db.execute('select id, name from person')}
want_q01, roll_ids = set(), []   # roll_ids: (id, programme) of every roll person row
for x in raw_rows:
    i, nm = norm_id(x['raw_id']), norm_name(x['raw_name'])
    if valid_id(i):
        roll_ids.append((i, prog_of.get((x['section'], x['row']))))
        continue
    if x['complete'] != '1':
        continue
    if 'E' in i:                                    # scientific notation: never recovered
        cands = []
    elif len(i) == 18 and i.isdigit() and i.endswith('000'):   # 15 significant digits
        cands = [p for p in names if p[:15] == i[:15] and names[p] == nm]
    elif len(i) >= 14 and i[:14].isdigit() and real_date(i[6:14]):
        cands = [p for p in names if p[:14] == i[:14] and names[p] == nm]
    else:
        cands = []
    rec = cands[0] if len(cands) == 1 else None
    want_q01.add((x['section'], x['row'], hid(rec) if rec else ''))
    if rec:
        roll_ids.append((rec, prog_of.get((x['section'], x['row']))))
got_q01 = set()
for f in csv.DictReader(open(flags_csv, encoding='utf-8')):
    if f['rule'] == 'Q01':
        got_q01.add((f['source_dataset'], f['source_row'], f['subject_hid']))
raw_names = {}
for x in raw_rows:
    i = norm_id(x['raw_id'])
    if valid_id(i) and i in names and norm_name(x['raw_name']) != names[i]:
        raw_names[i] = 1
want['Q03'] = {hid(i) for i in raw_names}
residents = {}
for i, region in db.execute(f"select id, region from resident join person using (id)"):
    residents.setdefault(region[:12], set()).add(i)
village_of = {i: v for v, s_ in residents.items() for i in s_}
recipients = {}
for i, prog in roll_ids:
    if prog in ('DIBAO', 'TEKUN') and i in village_of:
        recipients.setdefault(village_of[i], set()).add(i)
towns = {}
for v in residents:
    towns.setdefault(v[:9], []).append(len(recipients.get(v, ())) / len(residents[v]))
want['R02'] = set()
for v in residents:
    rates = sorted(towns[v[:9]])
    c = len(rates)
    median = rates[c // 2] if c % 2 else (rates[c // 2 - 1] + rates[c // 2]) / 2
    n = len(recipients.get(v, ()))
    if n >= 10 and n / len(residents[v]) > 3 * median:
        want['R02'].add(v)

damaged = {hid(r[0]) for r in db.execute('select id from damaged')}
got = {}
for f in csv.DictReader(open(flags_csv, encoding='utf-8')):
    if f['rule'] == 'R02':
        got.setdefault('R02', set()).add(f['village'])
    elif f['rule'] == 'Q03':
        got.setdefault('Q03', set()).add(f['subject_hid'])
    elif f['subject_hid'] and f['subject_hid'] not in damaged and '号码已修复' not in f['evidence']:
        got.setdefault(f['rule'], set()).add(f['subject_hid'])
ok = True
for r in sorted(want):
    g, w = got.get(r, set()), want[r]
    status = 'agrees' if g == w else 'DIFFERS'
    print(f'{r}: sql {len(w)}, bidui {len(g)}: {status}'
          + (f' (only sql: {len(w - g)}, only bidui: {len(g - w)})' if g != w else ''))
    ok = ok and g == w and len(w) > 0
# the names and places a reviewer reads are whole: a flag's name is its
# subject's name in the registry or as a roll file wrote it; a region code
# standing for a village has its 12 digits
known = {}
for i, n in db.execute('select id, name from person'):
    known.setdefault(hid(i), set()).add(n)
for (sec, row), pid in {(x['section'], x['row']): x['id'] for x in
                        csv.DictReader(open(f'{run}/truth/roll.csv', encoding='utf-8'))}.items():
    known.setdefault(hid(pid), set())
raw_by_row = {(x['section'], x['row']): x['raw_name'] for x in raw_rows}
for x in csv.DictReader(open(f'{run}/truth/roll.csv', encoding='utf-8')):
    known.setdefault(hid(x['id']), set()).add(raw_by_row.get((x['section'], x['row']), x['name']))
names_ok = 0
for f in csv.DictReader(open(flags_csv, encoding='utf-8')):
    if f['subject_hid'] in known and f['name']:
        names_ok += 1
        if f['name'] not in known[f['subject_hid']]:
            print('name cut or wrong:', f['rule'], repr(f['name']), known[f['subject_hid']]); ok = False
    if f['village'][:1].isdigit() and len(f['village']) != 12:
        print('village code cut:', f['rule'], f['village']); ok = False
    # the county's divisions table (RUN.ini divisions =) names every place;
    # only R02's village column keeps its code (OUTPUT.md)
    if f['township'][:1].isdigit() or (f['rule'] != 'R02' and f['village'][:1].isdigit()):
        print('place left as a code:', f['rule'], f['township'], f['village']); ok = False
print(f'{names_ok} names checked against the registry and the roll files')
recovered = sum(1 for x in want_q01 if x[2])
print(f'Q01: independent {len(want_q01)} rows ({recovered} recovered), bidui {len(got_q01)}: '
      + ('agrees' if want_q01 == got_q01 else f'DIFFERS (only independent: {sorted(want_q01 - got_q01)}, '
         f'only bidui: {sorted(got_q01 - want_q01)})'))
ok = ok and want_q01 == got_q01 and recovered > 0 and len(want_q01) > recovered
sys.exit(0 if ok else 1)
