// `npm run bench [-- name]`: runs bench/<name>.ts (or every benchmark) with tsx. Each benchmark
// prints its figures beside their floors and writes bench/results/<name>.json itself; at the end
// one table of every benchmark's latest figures is printed and kept in bench/results/latest.json
// (`npm run bench:readme` writes it into README.md).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ORDER, formatTextTable, readResults, writeLatest } from './bench-table.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const available = existsSync(benchDir)
  ? readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''))
  : [];
const rank = (name) => (BENCH_ORDER.includes(name) ? BENCH_ORDER.indexOf(name) : BENCH_ORDER.length);
available.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const names = wanted.length ? wanted : available;
const started = Date.now();
if (names.length === 0) {
  console.log('No benchmarks in bench/ yet.');
  process.exit(0);
}
let failed = 0;
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`No benchmark "${name}" (have: ${available.join(', ') || 'none'})`);
    failed++;
    continue;
  }
  console.log(`\n▶ bench ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}.bench.ts`)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
const benchmarks = readResults(path.join(benchDir, 'results'));
if (benchmarks.length > 0) {
  const latest = writeLatest(path.join(benchDir, 'results'), benchmarks);
  const ran = new Set(names);
  console.log(`\n▶ every benchmark's latest figures (this run: ${names.join(', ')} in ${((Date.now() - started) / 60_000).toFixed(1)} min)\n`);
  console.log(formatTextTable(benchmarks));
  const older = benchmarks.filter((b) => !ran.has(b.name)).map((b) => `${b.name} (${b.ranAt.slice(0, 16)})`);
  if (older.length) console.log(`\nfrom earlier runs: ${older.join(', ')}`);
  console.log(`\n${latest.pass ? 'every row passes' : 'some rows FAIL'}; written to bench/results/latest.json`);
}
process.exit(failed ? 1 : 0);
