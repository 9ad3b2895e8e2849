#!/usr/bin/env python3
"""Rules recomputed independently, in SQL (sqlite3) over the generator's clean
truth tables, and compared subject by subject with bidui's flags.csv.

Covered: C01 C02 C03 C04 C05 C06 C07 L01 L02 L03 L04 L05 L06 R01 Q02. Roll rows whose raw ID was damaged on
purpose (Excel numeric cells, planted Q01 cases) are left out on both sides:
whether they are recovered is Q01's business, checked by match_fixture."""
import csv, hashlib, hmac, sqlite3, sys

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
    if any(y['filed'] == '是' for y in household_of[i]):
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

damaged = {hid(r[0]) for r in db.execute('select id from damaged')}
got = {}
for f in csv.DictReader(open(flags_csv, encoding='utf-8')):
    if f['subject_hid'] and f['subject_hid'] not in damaged and '号码已修复' not in f['evidence']:
        got.setdefault(f['rule'], set()).add(f['subject_hid'])
ok = True
for r in sorted(want):
    g, w = got.get(r, set()), want[r]
    status = 'agrees' if g == w else 'DIFFERS'
    print(f'{r}: sql {len(w)}, bidui {len(g)}: {status}'
          + (f' (only sql: {len(w - g)}, only bidui: {len(g - w)})' if g != w else ''))
    ok = ok and g == w and (len(w) > 0 or r in ('Q02', 'L03'))  # none occur in this county
sys.exit(0 if ok else 1)
