// `npm test`: typecheck each runtime, lint, vitest (unit + server integration), build, then
// Playwright end to end against the production build. Runs every step even after a failure so
// one run shows everything, and ends with a single `N passed, N failed` line summing all suites.
//
//   node scripts/test.mjs             the whole suite (the README's test command)
//   node scripts/test.mjs --postgres  only the server integration suite, against a throwaway
//                                     Postgres database (RALLY_TEST_POSTGRES_URL, default local)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, '.test-output');
const postgresOnly = process.argv.includes('--postgres');
// The Postgres run comes after the full one in CI: keep the full run's reports beside it.
if (!postgresOnly) rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);

const tally = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

/** A step that is one check: it passes or fails as a whole. */
function check(label, args, env) {
  const ok = run(label, args, env);
  if (ok) {
    tally.passed++;
  } else {
    tally.failed++;
    failures.push(label);
  }
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function vitest(label, args, env) {
  const report = path.join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  const ok = run(label, [bin('vitest', 'vitest.mjs'), 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  const json = readJson(report);
  if (!json) {
    tally.failed++;
    failures.push(`${label} (no report)`);
    return;
  }
  tally.passed += json.numPassedTests;
  tally.failed += json.numFailedTests;
  tally.skipped += json.numPendingTests + json.numTodoTests;
  if (json.numFailedTests > 0 || (!ok && json.numFailedTests === 0)) failures.push(label);
  if (!ok && json.numFailedTests === 0) tally.failed++;
}

function playwright() {
  const report = path.join(outDir, 'playwright.json');
  const ok = run('end to end (Playwright, Chromium)', [bin('@playwright/test', 'cli.js'), 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  const json = readJson(report);
  if (!json?.stats) {
    tally.failed++;
    failures.push('end to end (no report)');
    return;
  }
  tally.passed += json.stats.expected + json.stats.flaky;
  tally.failed += json.stats.unexpected;
  tally.skipped += json.stats.skipped;
  if (json.stats.unexpected > 0 || !ok) failures.push('end to end');
  if (!ok && json.stats.unexpected === 0) tally.failed++;
}

function summarize(name) {
  const line = `${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`;
  writeFileSync(path.join(outDir, `summary-${name}.json`), JSON.stringify(tally));
  if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
  console.log(`\n${line}`);
  process.exit(tally.failed === 0 ? 0 : 1);
}

if (postgresOnly) {
  vitest('server integration on Postgres', ['--project', 'server'], {
    RALLY_TEST_POSTGRES_URL: process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  });
  summarize('postgres');
}

const tsc = bin('typescript', 'bin/tsc');
check('typecheck page', [tsc, '-p', 'tsconfig.page.json', '--noEmit']);
check('typecheck worker', [tsc, '-p', 'tsconfig.sw.json', '--noEmit']);
check('typecheck server', [tsc, '-p', 'tsconfig.server.json', '--noEmit']);
check('lint', [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings=0']);
vitest('unit and server integration (vitest)', []);
const built = check('build', [bin('vite', 'bin/vite.js'), 'build']);
if (built && existsSync(path.join(root, 'dist', 'index.html'))) {
  playwright();
} else {
  failures.push('end to end (skipped: no build)');
  tally.failed++;
}
summarize('all');
