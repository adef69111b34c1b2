// `npm run bench [-- name]`: runs bench/<name>.ts (or every benchmark) with tsx. Each benchmark
// prints its figures beside their floors and writes bench/results/<name>.json itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const available = existsSync(benchDir)
  ? readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''))
  : [];
const names = wanted.length ? wanted : available;
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
process.exit(failed ? 1 : 0);
