// The one table of every benchmark's figures: read from bench/results/<name>.json (each
// benchmark writes its own), combined into bench/results/latest.json, printed by `npm run bench`
// and written into README.md by scripts/bench-readme.mjs.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The order the table lists benchmarks in (others follow, by name). */
export const BENCH_ORDER = ['sync', 'search', 'replay', 'fanout', 'startup', 'page-load', 'http', 'lighthouse', 'call', 'analytics'];

const LATEST = 'latest.json';

/** Every benchmark's last results, in table order, with when each was written. */
export function readResults(resultsDir) {
  if (!existsSync(resultsDir)) return [];
  const names = readdirSync(resultsDir)
    .filter((file) => file.endsWith('.json') && file !== LATEST)
    .map((file) => file.slice(0, -'.json'.length));
  const rank = (name) => (BENCH_ORDER.includes(name) ? BENCH_ORDER.indexOf(name) : BENCH_ORDER.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => {
    const file = path.join(resultsDir, `${name}.json`);
    return { name, ranAt: statSync(file).mtime.toISOString(), rows: JSON.parse(readFileSync(file, 'utf8')) };
  });
}

/** Writes bench/results/latest.json: every benchmark's last rows, and whether all pass. */
export function writeLatest(resultsDir, benchmarks) {
  const latest = { writtenAt: new Date().toISOString(), pass: benchmarks.every((b) => b.rows.every((r) => r.pass)), benchmarks };
  writeFileSync(path.join(resultsDir, LATEST), `${JSON.stringify(latest, null, 2)}\n`);
  return latest;
}

export function readLatest(resultsDir) {
  return JSON.parse(readFileSync(path.join(resultsDir, LATEST), 'utf8'));
}

/** A figure as a person reads it: 3 significant digits, whole numbers above 100. */
export function formatNumber(value) {
  if (value === undefined || value === null) return '';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3).replace(/\.?0+$/, '');
}

/** Rows of [benchmark, metric, value, floor, ratio, target, pass]. */
export function tableRows(benchmarks) {
  return benchmarks.flatMap(({ name, rows }) =>
    rows.map((r) => [
      name,
      r.metric,
      `${formatNumber(r.value)} ${r.unit}`,
      r.floor === undefined ? '' : `${formatNumber(r.floor)} ${r.unit}`,
      r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
      r.target,
      r.pass ? 'pass' : 'FAIL',
    ]),
  );
}

export const TABLE_HEADER = ['benchmark', 'metric', 'value', 'floor', 'ratio', 'target', 'pass'];

/** The table in fixed-width columns, for the terminal. */
export function formatTextTable(benchmarks) {
  const rows = [TABLE_HEADER, ...tableRows(benchmarks)];
  const widths = TABLE_HEADER.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The table in Markdown, for README.md. */
export function formatMarkdownTable(benchmarks) {
  const escape = (cell) => cell.replaceAll('|', '\\|');
  const rows = tableRows(benchmarks);
  return [
    `| ${TABLE_HEADER.join(' | ')} |`,
    `|${TABLE_HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}
