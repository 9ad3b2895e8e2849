// bench/duckdb/run.mjs COUNTY_DIR OUT.csv [THREADS]: runs rules.sql with DuckDB (in memory)
// over the county's CSV exports and writes the flags (rule, subject, key, src, row);
// prints the seconds of the load and of the rules. Bench only.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const [dir, out, threads] = process.argv.slice(2);
if (!dir || !out) {
	console.error('usage: node run.mjs COUNTY_DIR OUT.csv [THREADS]');
	process.exit(2);
}
const ini = readFileSync(join(dir, 'RUN.ini'), 'utf8');
const get = (k) => (ini.match(new RegExp(`^${k}\\s*=\\s*([^\\s;]+)`, 'm')) || [])[1];
const D = get('as_of') || '2026-12-31';
const month = get('roll_month') || D.slice(0, 7);
const subst = {
	DIR: resolve(dir).replace(/'/g, "''"), J: get('jurisdiction'), D, M0: `${month}-01`,
};
const sql = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'rules.sql'), 'utf8')
	.replace(/\{(DIR|J|D|M0)\}/g, (_, k) => subst[k]);
const [load, rules] = sql.split('-- ==== rules ====');
const db = await DuckDBInstance.create(process.env.DUCKDB_FILE || ':memory:', threads ? { threads: String(threads) } : {});
const con = await db.connect();
async function runAll(text) {
	const t0 = performance.now();
	for (const stmt of text.split(/;[ \t]*\n/)) {
		if (!stmt.replace(/--.*$/gm, '').trim())
			continue;
		try {
			const t = performance.now();
			await con.run(stmt);
			if (process.env.DUCKDB_PROFILE)
				console.error(`${((performance.now() - t) / 1000).toFixed(3)} s  ${stmt.replace(/--.*$/gm, '').trim().slice(0, 60).replace(/\s+/g, ' ')}`);
		} catch (e) {
			console.error(`duckdb: ${e.message}\n-- in:\n${stmt.trim().slice(0, 400)}`);
			process.exit(1);
		}
	}
	return (performance.now() - t0) / 1000;
}
const tLoad = await runAll(load);
const tRules = await runAll(rules);
const t0 = performance.now();
await con.run(`COPY (SELECT * FROM flags ORDER BY rule, subject, key, src, row) TO '${out.replace(/'/g, "''")}' (HEADER, DELIMITER ',')`);
const tOut = (performance.now() - t0) / 1000;
const counts = (await con.runAndReadAll('SELECT rule, count(*) FROM flags GROUP BY 1 ORDER BY 1')).getRows();
console.log(`duckdb: load ${tLoad.toFixed(2)} s, rules ${tRules.toFixed(2)} s, write ${tOut.toFixed(2)} s; flags ${counts.map(([r, n]) => `${r} ${n}`).join(', ')}`);
