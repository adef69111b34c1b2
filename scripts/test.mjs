// `npm test`: typecheck each runtime, lint, vitest (unit + server integration), build, then
// Playwright end to end against the production build. Runs every step even after a failure so
// one run shows everything, and ends with a single `N passed, N failed` line summing all suites.
// The counts are tests only: typecheck, lint and build are listed on a `checks:` line of their
// own, and a failed one counts as one failure so the closing line never reads "0 failed" on a
// failing run. A stray `.only` fails the run (it would silently skip every other test), and so
// does a suite that ran no tests at all.
//
//   node scripts/test.mjs             the whole suite (the README's test command)
//   node scripts/test.mjs --postgres  only the server integration suite, against a throwaway
//                                     Postgres database (RALLY_TEST_POSTGRES_URL, default local)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, '.test-output');
const postgresOnly = process.argv.includes('--postgres');
// The Postgres run comes after the full one in CI: keep the full run's reports beside it, but
// not a previous Postgres run's, which would otherwise stand in for a report this run failed to write.
if (!postgresOnly) rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
if (postgresOnly) {
  for (const file of readdirSync(outDir)) {
    if (/postgres/i.test(file)) rmSync(path.join(outDir, file), { recursive: true, force: true });
  }
}
// Read by playwright.config.ts (forbidOnly); vitest is told on its command line.
const FORBID_ONLY_ENV = { RALLY_FORBID_ONLY: '1' };
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);

/** Tests only; checks (typecheck, lint, build) are kept apart in `checks`. */
const tally = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** label → 'ok' | 'failed', in the order they ran. */
const checks = {};

function run(label, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

/** A step that is one check, not a test: it passes or fails as a whole and is listed apart. */
function check(label, args, env) {
  const ok = run(label, args, env);
  checks[label] = ok ? 'ok' : 'failed';
  if (!ok) {
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
  const ok = run(
    label,
    [bin('vitest', 'vitest.mjs'), 'run', ...args, '--allowOnly=false', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  const json = readJson(report);
  if (!json) {
    tally.failed++;
    failures.push(`${label} (no report)`);
    return;
  }
  if (json.numPassedTests + json.numFailedTests === 0) {
    // A suite that runs nothing (none found, or all skipped) proves nothing: a moved folder or a wrong filter.
    tally.failed++;
    failures.push(`${label} (ran no tests)`);
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
    ...FORBID_ONLY_ENV,
  });
  const json = readJson(report);
  if (!json?.stats) {
    tally.failed++;
    failures.push('end to end (no report)');
    return;
  }
  if (json.stats.expected + json.stats.unexpected + json.stats.flaky === 0) {
    tally.failed++;
    failures.push('end to end (ran no tests)');
    return;
  }
  if (json.stats.flaky > 0) {
    const flaky = [];
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) for (const test of spec.tests ?? []) if (test.status === 'flaky') flaky.push(`${spec.file}:${spec.line} ${spec.title}`);
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of json.suites ?? []) walk(suite);
    console.log(`\nflaky (failed, then passed on retry): ${json.stats.flaky}\n${flaky.map((title) => `  ${title}`).join('\n')}`);
  }
  tally.passed += json.stats.expected + json.stats.flaky;
  tally.failed += json.stats.unexpected;
  tally.skipped += json.stats.skipped;
  if (json.stats.unexpected > 0 || !ok) failures.push('end to end');
  if (!ok && json.stats.unexpected === 0) tally.failed++;
}

function summarize(name) {
  const line = `${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`;
  // .ci/run reads passed/failed/skipped; `checks` rides along for whoever wants the detail.
  writeFileSync(path.join(outDir, `summary-${name}.json`), JSON.stringify({ ...tally, checks }));
  const checkList = Object.entries(checks).map(([label, state]) => `${label} ${state === 'ok' ? 'ok' : 'FAILED'}`);
  if (checkList.length) console.log(`\nchecks: ${checkList.join(', ')}`);
  if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
  console.log(`\n${line}`);
  const checksOk = Object.values(checks).every((state) => state === 'ok');
  process.exit(tally.failed === 0 && failures.length === 0 && checksOk ? 0 : 1);
}

if (postgresOnly) {
  vitest('server integration on Postgres', ['--project', 'server'], {
    RALLY_TEST_POSTGRES_URL: process.env.RALLY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  });
  summarize('postgres');
}

const tsc = bin('typescript', 'bin/tsc');
// Every tsconfig.<runtime>.json, found rather than listed, so a new runtime is never left unchecked.
for (const file of readdirSync(root).filter((name) => /^tsconfig\..+\.json$/.test(name)).sort()) {
  check(`typecheck ${file.slice('tsconfig.'.length, -'.json'.length)}`, [tsc, '-p', file, '--noEmit']);
}
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
