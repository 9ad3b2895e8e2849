-- The 18 rules of /work/shared/spec/RULES.md as analyst-style SQL (DuckDB) over the plain
-- UTF-8 CSV exports that bench/gen_county.c writes: the yardstick bidui is measured with
-- in bench/cold.sh. Bench only; never a dependency of bidui.
--
-- run.mjs replaces {DIR} (the county folder), {J} (jurisdiction), {D} (reference date) and
-- {M0} (first day of the roll month), runs the statements up to the rules marker line (load)
-- and those after it (rules), and writes the table flags (rule, subject, key, src, row):
-- subject = the 18-character ID of the person (hashed by compare.py into bidui's hid), the
-- 12-digit village for R02, '' for an unrecovered Q01 row; key = the evidence that tells
-- two flags of one rule on one subject apart (plate for C02, cadre for R01, the programme
-- pair for C05; the programme for C06; for R01 the digit of the closest tie before the cadre's ID); src/row name the roll row for Q01 (row as a spreadsheet counts: the
-- header is row 1).
--
-- Scope: the forms gen_county writes (UTF-8 CSV, ISO dates, IDs as text or damaged as
-- Excel does). Not covered, because the bench's data has none: GBK, XLSX, 15-digit legacy
-- IDs, pre-hashed IDs, full-width names (DuckDB has no NFKC).

-- ==== load ====
CREATE MACRO id_ok(s) AS
  coalesce(regexp_full_match(s, '[0-9]{17}[0-9X]')
    AND try_strptime(substr(s, 7, 8), '%Y%m%d') IS NOT NULL
    AND substr(s, 7, 8) <= strftime(DATE '{D}', '%Y%m%d')
    AND substr(s, 18, 1) = substr('10X98765432', 1 + CAST(list_sum(list_transform(range(1, 18),
          i -> coalesce(TRY_CAST(substr(s, i, 1) AS INTEGER), 0) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i])) % 11 AS BIGINT), 1),
    false);
CREATE MACRO norm_id(s) AS upper(regexp_replace(regexp_replace(coalesce(s, ''), '[\s\x{3000}]', '', 'g'), '^''', ''));
CREATE MACRO norm_name(s) AS translate(regexp_replace(coalesce(s, ''), '[\s\x{3000}]', '', 'g'), '•・‧∙･', '·····');
-- age at D from the birth date in the ID: whole years completed
CREATE MACRO age_d(s) AS
  year(DATE '{D}') - CAST(substr(s, 7, 4) AS INTEGER)
  - CASE WHEN substr(s, 11, 4) > strftime(DATE '{D}', '%m%d') THEN 1 ELSE 0 END;
CREATE MACRO csv(f) AS TABLE SELECT * FROM read_csv(f, header = true, all_varchar = true, quote = '"');

CREATE TABLE person AS
SELECT 公民身份号码 AS id, 姓名 AS name, 户号 AS hukou, 户籍地行政区划 AS region,
       CASE WHEN 人员状态 IN ('0', '正常') THEN '正常' WHEN 人员状态 IN ('1', '死亡') THEN '死亡'
            WHEN 人员状态 IN ('2', '迁出') THEN '迁出' ELSE '注销' END AS status,
       TRY_CAST(变动日期 AS DATE) AS sdate,
       nullif(父亲公民身份号码, '') AS father, nullif(母亲公民身份号码, '') AS mother,
       nullif(配偶公民身份号码, '') AS spouse
FROM csv('{DIR}/公安_户籍人口.csv') WHERE id_ok(公民身份号码);

CREATE TABLE vehicle AS
SELECT 身份证明号码 AS owner, 号牌号码 AS plate, 车辆类型 AS vtype, 机动车状态 AS vstatus
FROM csv('{DIR}/公安_机动车.csv')
WHERE coalesce(身份证明名称, '') IN ('A', '居民身份证') AND id_ok(身份证明号码);

CREATE TABLE custody AS
SELECT 身份证号码 AS id, 羁押类型 AS ctype, TRY_CAST(入所日期 AS DATE) AS start_d, TRY_CAST(出所日期 AS DATE) AS end_d
FROM csv('{DIR}/公安_在押人员.csv') WHERE id_ok(身份证号码);

CREATE TABLE cert AS
SELECT 身份证号码 AS id,
       CASE WHEN regexp_full_match(残疾类别, '[1-7]') THEN CAST(残疾类别 AS INTEGER)
            ELSE list_position(['视力', '听力', '言语', '肢体', '智力', '精神', '多重'], 残疾类别) END AS cat,
       CASE WHEN regexp_full_match(残疾等级, '[1-4]') THEN CAST(残疾等级 AS INTEGER)
            ELSE list_position(['一级', '二级', '三级', '四级'], 残疾等级) END AS grade,
       TRY_CAST(有效期至 AS DATE) AS until, 证件状态 AS cstatus
FROM csv('{DIR}/残联_残疾人证.csv') WHERE id_ok(身份证号码);

CREATE TABLE death AS
SELECT 身份证号码 AS id, TRY_CAST(死亡日期 AS DATE) AS d
FROM csv('{DIR}/卫健_死亡医学证明.csv') WHERE id_ok(身份证号码) AND TRY_CAST(死亡日期 AS DATE) IS NOT NULL;

CREATE TABLE cremation AS
SELECT 逝者身份证号 AS id, coalesce(TRY_CAST(死亡日期 AS DATE), TRY_CAST(火化日期 AS DATE)) AS d
FROM csv('{DIR}/民政_火化记录.csv')
WHERE id_ok(逝者身份证号) AND coalesce(TRY_CAST(死亡日期 AS DATE), TRY_CAST(火化日期 AS DATE)) IS NOT NULL;

CREATE TABLE illness AS
SELECT 身份证号码 AS id, year(TRY_CAST(结算日期 AS DATE)) AS yr, 重特大疾病 AS major,
       coalesce(TRY_CAST(个人自付 AS DECIMAL(18, 2)), 0) + coalesce(TRY_CAST(个人自费 AS DECIMAL(18, 2)), 0) AS self_pay
FROM csv('{DIR}/医保_住院结算.csv') WHERE id_ok(身份证号码);

CREATE TABLE cadre AS
SELECT 身份证号码 AS id, 姓名 AS name, 职务 AS role FROM csv('{DIR}/民政_村两委名册.csv') WHERE id_ok(身份证号码);

CREATE TABLE roll_raw AS
SELECT 'mz.roll 低保特困边缘' AS src, CAST(序号 AS INTEGER) + 1 AS row, 家庭编号 AS hh, 保障类别 AS ptext,
       姓名 AS name, norm_id(身份证号码) AS nid, coalesce(近亲属备案 = '是', false) AS filed, 与户主关系 AS rel
FROM csv('{DIR}/民政_低保特困边缘名册.csv')
UNION ALL
SELECT 'mz.roll 补贴', CAST(序号 AS INTEGER) + 1, 家庭编号, 保障类别, 姓名, norm_id(身份证号码), false, 与户主关系
FROM csv('{DIR}/民政_补贴名册.csv');

-- ==== rules ====
-- programme by keyword, first match wins (DATA.md)
CREATE TABLE roll AS
SELECT *, CASE
    WHEN regexp_matches(ptext, '低保边缘|低收入|刚性支出') THEN 'BIANYUAN'
    WHEN regexp_matches(ptext, '特困|分散供养|集中供养') THEN 'TEKUN'
    WHEN regexp_matches(ptext, '低保|最低生活保障') THEN 'DIBAO'
    WHEN regexp_matches(ptext, '事实无人抚养') THEN 'SHISHI'
    WHEN regexp_matches(ptext, '孤儿') THEN 'GUER'
    WHEN regexp_matches(ptext, '护理补贴') THEN 'CJ_HULI'
    WHEN regexp_matches(ptext, '生活补贴') THEN 'CJ_SHENGHUO'
    WHEN regexp_matches(ptext, '高龄') THEN 'GAOLING' END AS prog,
  id_ok(nid) AS valid
FROM roll_raw;

-- Q01 recovery: one registry person (any status) with the same first 15 digits (an
-- Excel-mangled number: 18 digits, 000 at the end) or first 14 (any other invalid ID
-- whose first 14 characters are digits with a real date), and the same name
CREATE TABLE q01 AS
WITH bad AS (
  SELECT src, row, nid, name,
         CASE WHEN regexp_matches(nid, '[Ee]') THEN NULL
              WHEN regexp_full_match(nid, '[0-9]{15}000') THEN substr(nid, 1, 15)
              WHEN regexp_full_match(substr(nid, 1, 14), '[0-9]{14}')
                   AND try_strptime(substr(nid, 7, 8), '%Y%m%d') IS NOT NULL THEN substr(nid, 1, 14) END AS prefix
  FROM roll WHERE NOT valid),
cand AS (
  SELECT b.src, b.row, p.id FROM bad b JOIN person p
    ON substr(p.id, 1, 15) = b.prefix AND norm_name(p.name) = norm_name(b.name) WHERE length(b.prefix) = 15
  UNION ALL
  SELECT b.src, b.row, p.id FROM bad b JOIN person p
    ON substr(p.id, 1, 14) = b.prefix AND norm_name(p.name) = norm_name(b.name) WHERE length(b.prefix) = 14)
SELECT b.src, b.row, (SELECT min(id) FROM cand c WHERE c.src = b.src AND c.row = b.row
                      HAVING count(*) = 1) AS pid
FROM bad b;

-- roll persons: valid IDs and recovered rows
CREATE TABLE rr0 AS
SELECT r.src, r.row, r.hh, r.prog, r.name, r.filed, r.rel, coalesce(q.pid, r.nid) AS pid, r.valid
FROM roll r LEFT JOIN q01 q USING (src, row)
WHERE r.valid OR q.pid IS NOT NULL;
-- a roll household (DATA.md): the rows sharing a household_id, joined with every other
-- household_id whose 户主 row has the same ID (the household keyed by that head's ID);
-- components by three rounds of smallest-label propagation (a head is 户主 of a few
-- households at most)
CREATE TABLE hh_link AS
  WITH heads AS (SELECT DISTINCT hh, pid FROM rr0 WHERE rel IN ('户主', '本人', '申请人'))
  SELECT DISTINCT a.hh, b.hh AS hh2 FROM heads a JOIN heads b USING (pid)
  UNION SELECT DISTINCT hh, hh FROM rr0;
CREATE TABLE hh_fam AS
  WITH l1 AS (SELECT hh, min(hh2) AS lab FROM hh_link GROUP BY hh),
  l2 AS (SELECT k.hh, min(l.lab) AS lab FROM hh_link k JOIN l1 l ON l.hh = k.hh2 GROUP BY k.hh),
  l3 AS (SELECT k.hh, min(l.lab) AS lab FROM hh_link k JOIN l2 l ON l.hh = k.hh2 GROUP BY k.hh)
  SELECT k.hh, min(l.lab) AS fam FROM hh_link k JOIN l3 l ON l.hh = k.hh2 GROUP BY k.hh;
CREATE TABLE rr AS
SELECT r.src, r.row, f.fam AS hh, r.hh AS household_id, r.prog, r.name, r.filed, r.pid, r.valid
FROM rr0 r JOIN hh_fam f USING (hh);

CREATE TABLE hh_prog AS SELECT DISTINCT hh, prog FROM rr;
CREATE TABLE hh_filed AS SELECT hh FROM rr GROUP BY hh HAVING bool_or(filed);
CREATE TABLE pprog AS SELECT DISTINCT pid, prog FROM rr;

CREATE TABLE deaths AS
  SELECT id, sdate AS d FROM person WHERE status = '死亡'
  UNION ALL SELECT id, d FROM death
  UNION ALL SELECT id, d FROM cremation;
CREATE TABLE dead AS SELECT id, min(d) AS d FROM deaths GROUP BY id;
CREATE TABLE resident AS SELECT * FROM person WHERE status = '正常' AND region LIKE '{J}%';
CREATE TABLE vcert AS SELECT * FROM cert WHERE cstatus IN ('有效', '正常') AND (until IS NULL OR until >= DATE '{D}');
CREATE TABLE held AS
  SELECT id, bool_or(end_d IS NULL OR end_d >= start_d + INTERVAL 6 MONTH) AS long_custody
  FROM custody WHERE ctype IN ('服刑', '强制隔离戒毒') AND start_d <= DATE '{D}'
    AND (end_d IS NULL OR end_d >= DATE '{D}')
  GROUP BY id;
CREATE TABLE major AS SELECT DISTINCT id FROM illness
  WHERE major = '是' AND yr IN (year(DATE '{D}'), year(DATE '{D}') - 1);
CREATE TABLE spouses AS
  SELECT id AS a, spouse AS b FROM person WHERE spouse IS NOT NULL
  UNION SELECT spouse, id FROM person WHERE spouse IS NOT NULL;
CREATE TABLE parents AS   -- (child, parent)
  SELECT id AS child, father AS parent FROM person WHERE father IS NOT NULL
  UNION SELECT id, mother FROM person WHERE mother IS NOT NULL;

CREATE TABLE flags (rule VARCHAR, subject VARCHAR, key VARCHAR, src VARCHAR, row INTEGER);

-- C01 死亡人员仍在保
INSERT INTO flags SELECT DISTINCT 'C01', r.pid, '', '', NULL FROM rr r JOIN dead d ON d.id = r.pid
  WHERE d.d IS NULL OR d.d < DATE '{M0}';

-- C02 保障家庭拥有机动车: roll persons of a DIBAO/TEKUN household plus their spouses
INSERT INTO flags
WITH hhs AS (SELECT DISTINCT hh FROM hh_prog WHERE prog IN ('DIBAO', 'TEKUN')),
members AS (
  SELECT DISTINCT r.pid AS id FROM rr r JOIN hhs USING (hh)
  UNION SELECT s.b FROM rr r JOIN hhs USING (hh) JOIN spouses s ON s.a = r.pid),
cars AS (
  SELECT * FROM vehicle
  WHERE NOT regexp_matches(vtype, '摩托|残疾人|低速|三轮汽车')
    AND NOT regexp_matches(vstatus, '转出|被盗抢|注销|撤销|强制注销|达到报废标准|报废|吊销')
    AND NOT (regexp_full_match(regexp_replace(upper(vstatus), '[\s,，]', '', 'g'), '[A-Z]+')
             AND regexp_matches(upper(vstatus), '[BCEFMP]')))
SELECT DISTINCT 'C02', c.owner, c.plate, '', NULL FROM cars c JOIN members m ON m.id = c.owner;

-- C03 户籍迁出或不在辖区
INSERT INTO flags SELECT DISTINCT 'C03', r.pid, '', '', NULL FROM rr r JOIN person p ON p.id = r.pid
  WHERE (p.status IN ('迁出', '注销') AND (p.sdate IS NULL OR p.sdate < DATE '{M0}'))
     OR (p.status = '正常' AND p.region NOT LIKE '{J}%');

-- C04 在押服刑仍在保
INSERT INTO flags SELECT DISTINCT 'C04', r.pid, '', '', NULL FROM rr r JOIN custody c ON c.id = r.pid
  WHERE r.prog IN ('DIBAO', 'TEKUN', 'BIANYUAN', 'GAOLING') AND c.ctype IN ('服刑', '强制隔离戒毒')
    AND c.start_d <= DATE '{D}' AND (c.end_d IS NULL OR c.end_d >= DATE '{D}') AND c.start_d < DATE '{M0}';

-- C05 重复或冲突享受: key = the programme pair
INSERT INTO flags
SELECT DISTINCT 'C05', pid, prog || '+' || prog, '', NULL FROM rr GROUP BY pid, prog HAVING count(*) > 1
UNION
SELECT DISTINCT 'C05', a.pid, a.prog || '+' || b.prog, '', NULL FROM pprog a JOIN pprog b USING (pid)
  WHERE (a.prog, b.prog) IN (('DIBAO', 'TEKUN'), ('DIBAO', 'BIANYUAN'), ('GUER', 'SHISHI'),
                             ('GUER', 'TEKUN'), ('SHISHI', 'TEKUN'));

-- C06 残疾人补贴资格不符: one flag per subsidy (key = the programme), as bidui writes it;
-- RULES.md names no evidence key for C06, but the two subsidies are two situations
INSERT INTO flags SELECT DISTINCT 'C06', r.pid, r.prog, '', NULL FROM rr r
  WHERE (r.prog = 'CJ_HULI' AND NOT EXISTS (SELECT 1 FROM vcert c WHERE c.id = r.pid AND c.grade <= 2))
     OR (r.prog = 'CJ_SHENGHUO' AND (NOT EXISTS (SELECT 1 FROM vcert c WHERE c.id = r.pid)
         OR NOT EXISTS (SELECT 1 FROM hh_prog h WHERE h.hh = r.hh AND h.prog = 'DIBAO')));

-- C07 高龄津贴年龄不符
INSERT INTO flags SELECT DISTINCT 'C07', pid, '', '', NULL FROM rr WHERE prog = 'GAOLING' AND age_d(pid) < 80;

-- L01 低保家庭残疾人未享受生活补贴
INSERT INTO flags SELECT DISTINCT 'L01', r.pid, '', '', NULL FROM rr r
  WHERE r.prog = 'DIBAO' AND r.pid NOT IN (SELECT id FROM dead)
    AND r.pid IN (SELECT id FROM vcert)
    AND r.pid NOT IN (SELECT pid FROM pprog WHERE prog = 'CJ_SHENGHUO');

-- L02 重度残疾人未享受护理补贴
INSERT INTO flags SELECT DISTINCT 'L02', c.id, '', '', NULL FROM vcert c
  WHERE c.grade <= 2 AND c.id IN (SELECT id FROM resident) AND c.id NOT IN (SELECT id FROM dead)
    AND c.id NOT IN (SELECT pid FROM pprog WHERE prog = 'CJ_HULI');

-- L03 低保边缘家庭重残重病成员
INSERT INTO flags SELECT DISTINCT 'L03', r.pid, '', '', NULL FROM rr r
  WHERE r.hh IN (SELECT hh FROM hh_prog WHERE prog = 'BIANYUAN')
    AND r.pid NOT IN (SELECT id FROM dead)
    AND (r.pid IN (SELECT id FROM vcert WHERE grade <= 2 OR (cat IN (5, 6) AND grade = 3))
         OR r.pid IN (SELECT id FROM major))
    AND r.pid NOT IN (SELECT pid FROM pprog WHERE prog IN ('DIBAO', 'TEKUN'));

-- L04 特困供养候选: every obligor (spouse; children aged >= 18) unable to support
INSERT INTO flags
WITH unable AS (
  SELECT id FROM dead
  UNION SELECT id FROM held
  UNION SELECT pid FROM pprog WHERE prog = 'TEKUN'
  UNION SELECT pid FROM pprog WHERE prog = 'DIBAO' AND age_d(pid) >= 60
  UNION SELECT pid FROM pprog WHERE prog IN ('DIBAO', 'BIANYUAN')
          AND (age_d(pid) >= 70 OR pid IN (SELECT id FROM vcert WHERE grade <= 2 OR (cat IN (5, 6) AND grade = 3)))),
subj AS (
  SELECT DISTINCT r.pid FROM rr r JOIN person p ON p.id = r.pid
  WHERE r.prog IN ('DIBAO', 'BIANYUAN') AND r.pid NOT IN (SELECT id FROM dead)
    AND r.pid NOT IN (SELECT pid FROM pprog WHERE prog = 'TEKUN')
    AND age_d(r.pid) >= 18
    AND (age_d(r.pid) >= 60 OR r.pid IN (SELECT id FROM vcert WHERE (cat = 1 AND grade = 1)
         OR (cat = 4 AND grade <= 2) OR (cat IN (5, 6) AND grade <= 3)))),
obligor AS (
  SELECT s.pid, x.b AS o FROM subj s JOIN spouses x ON x.a = s.pid
  UNION SELECT s.pid, c.child FROM subj s JOIN parents c ON c.parent = s.pid WHERE age_d(c.child) >= 18)
SELECT 'L04', s.pid, '', '', NULL FROM subj s
WHERE s.pid NOT IN (SELECT o.pid FROM obligor o LEFT JOIN unable u ON u.id = o.o WHERE u.id IS NULL);

-- L05 孤儿或事实无人抚养儿童候选
INSERT INTO flags
WITH gone AS (
  SELECT id FROM dead
  UNION SELECT id FROM held WHERE long_custody
  UNION SELECT id FROM vcert WHERE grade <= 2 OR (cat IN (5, 6) AND grade >= 3)
  UNION SELECT id FROM major)
SELECT 'L05', p.id, '', '', NULL FROM resident p
WHERE p.id NOT IN (SELECT id FROM dead) AND age_d(p.id) < 18
  AND p.id NOT IN (SELECT pid FROM pprog WHERE prog IN ('GUER', 'SHISHI', 'TEKUN'))
  AND p.father IN (SELECT id FROM gone) AND p.mother IN (SELECT id FROM gone);

-- L06 支出型困难家庭候选
INSERT INTO flags
WITH spend AS (SELECT id FROM illness WHERE yr IN (year(DATE '{D}'), year(DATE '{D}') - 1)
               GROUP BY id, yr HAVING sum(self_pay) >= 20000),
covered AS (SELECT DISTINCT hukou FROM person p JOIN pprog r ON r.pid = p.id
            WHERE r.prog IN ('DIBAO', 'TEKUN', 'BIANYUAN'))
SELECT DISTINCT 'L06', p.id, '', '', NULL FROM resident p JOIN spend s ON s.id = p.id
WHERE p.id NOT IN (SELECT id FROM dead) AND p.hukou NOT IN (SELECT hukou FROM covered)
  AND p.id NOT IN (SELECT pid FROM pprog WHERE prog IN ('DIBAO', 'TEKUN', 'BIANYUAN'));

-- R01 干部近亲属享受未备案: key = the closest tie (0 本人 .. 5 同户) and the cadre's ID
INSERT INTO flags
WITH kin AS (   -- (person, cadre, closeness)
  SELECT id AS p, id AS c, 0 AS t FROM cadre
  UNION ALL SELECT s.b, c.id, 1 FROM cadre c JOIN spouses s ON s.a = c.id
  UNION ALL SELECT x.child, c.id, 2 FROM cadre c JOIN parents x ON x.parent = c.id
  UNION ALL SELECT x.parent, c.id, 2 FROM cadre c JOIN parents x ON x.child = c.id
  UNION ALL SELECT y.child, c.id, 3 FROM cadre c JOIN parents x ON x.child = c.id
            JOIN parents y ON y.parent = x.parent WHERE y.child <> c.id
  UNION ALL SELECT y.parent, c.id, 4 FROM cadre c JOIN parents x ON x.child = c.id JOIN parents y ON y.child = x.parent
  UNION ALL SELECT y.child, c.id, 4 FROM cadre c JOIN parents x ON x.parent = c.id JOIN parents y ON y.parent = x.child
  UNION ALL SELECT q.id, c.id, 5 FROM cadre c JOIN person p ON p.id = c.id JOIN person q ON q.hukou = p.hukou),
subj AS (SELECT DISTINCT pid FROM rr WHERE prog IN ('DIBAO', 'TEKUN', 'BIANYUAN')
         AND hh NOT IN (SELECT hh FROM hh_filed))
SELECT 'R01', s.pid, min(k.t || k.c), '', NULL
FROM subj s JOIN kin k ON k.p = s.pid GROUP BY s.pid;

-- R02 村级保障率异常
INSERT INTO flags
WITH v AS (SELECT substr(region, 1, 12) AS village, count(*) AS residents FROM resident GROUP BY 1),
rec AS (SELECT substr(p.region, 1, 12) AS village, count(DISTINCT p.id) AS n
        FROM resident p JOIN pprog r ON r.pid = p.id WHERE r.prog IN ('DIBAO', 'TEKUN') GROUP BY 1),
rate AS (SELECT v.village, coalesce(rec.n, 0) AS n, coalesce(rec.n, 0) / v.residents AS rate
         FROM v LEFT JOIN rec USING (village)),
med AS (SELECT substr(village, 1, 9) AS town, median(rate) AS m FROM rate GROUP BY 1)
SELECT 'R02', village, '', '', NULL FROM rate JOIN med ON med.town = substr(village, 1, 9)
WHERE n >= 10 AND rate > 3 * m;

-- Q01 身份证号无效: one flag per roll row; subject = the recovered person, if any
INSERT INTO flags SELECT 'Q01', coalesce(pid, ''), '', src, row FROM q01;

-- Q02 户籍库查无此人
INSERT INTO flags SELECT DISTINCT 'Q02', pid, '', '', NULL FROM rr WHERE valid AND pid NOT IN (SELECT id FROM person);

-- Q03 姓名不一致: one flag per person
INSERT INTO flags SELECT DISTINCT 'Q03', r.pid, '', '', NULL FROM rr r JOIN person p ON p.id = r.pid
  WHERE norm_name(r.name) <> norm_name(p.name);
