// bench/lighthouse: Lighthouse 12 (mobile profile, its default throttling) against the production
// build, signed in, on the feed (`/`), an activity page and that activity's chat. Scores for
// performance, accessibility and best practices, with total blocking time and unused JavaScript
// beside them; each page's full report is saved under bench/results/lighthouse/ (not committed).
// Lighthouse drives the same /usr/bin/chromium through its DevTools port. The session is the
// app's own: a Playwright page signs in within the browser's default profile, and Lighthouse
// keeps its storage (`disableStorageReset`), so the refresh cookie restores the session.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from '@playwright/test';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { CHROMIUM_ARGS, startBenchServer } from './lib/bench-server';
import { userWithActivityAndChat } from './lib/bench-users';
import { reportResults, type BenchResult } from './lib/results';

const DEBUGGING_PORT = 9333;
const CATEGORIES = [
  { id: 'performance', label: 'performance', target: 95 },
  { id: 'accessibility', label: 'accessibility', target: 100 },
  { id: 'best-practices', label: 'best practices', target: 95 },
] as const;

async function main(): Promise<void> {
  buildIfStale();
  const server = await startBenchServer();
  const profileDir = mkdtempSync(path.join(tmpdir(), 'rally-lighthouse-'));
  const reportsDir = path.resolve('bench', 'results', 'lighthouse');
  mkdirSync(reportsDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${DEBUGGING_PORT}`],
    serviceWorkers: 'allow',
  });
  try {
    const seeded = await userWithActivityAndChat(server.url, `Lighthouse${Date.now()}`);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(seeded.email);
    await page.getByLabel('Password').fill(seeded.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    // The first sync done, so each audited page loads as a returning user's would.
    await page.waitForFunction(() => performance.getEntriesByName('rally:sync:full').length > 0, undefined, { timeout: 60_000 });
    await page.goto('about:blank');

    const pages = [
      { name: 'feed', path: '/' },
      { name: 'activity', path: `/activities/${seeded.activityId}` },
      { name: 'chat', path: `/chat/${seeded.activityId}` },
    ];
    const rows: BenchResult[] = [];
    for (const audited of pages) {
      const result = await lighthouse(`${server.url}${audited.path}`, {
        port: DEBUGGING_PORT,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES.map((c) => c.id),
        disableStorageReset: true,
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${audited.path}`);
      const { lhr } = result;
      writeFileSync(path.join(reportsDir, `${audited.name}.report.json`), JSON.stringify(lhr));
      if (lhr.runtimeError) throw new Error(`Lighthouse on ${audited.path}: ${lhr.runtimeError.message}`);
      for (const category of CATEGORIES) {
        const score = Math.round((lhr.categories[category.id]?.score ?? 0) * 100);
        rows.push({ metric: `${category.label} (${audited.name})`, value: score, unit: 'points', target: `≥ ${category.target}`, pass: score >= category.target });
      }
      const tbt = lhr.audits['total-blocking-time']?.numericValue ?? Number.NaN;
      const unusedJs = (lhr.audits['unused-javascript']?.details as { overallSavingsBytes?: number } | undefined)?.overallSavingsBytes ?? 0;
      rows.push({ metric: `total blocking time (${audited.name})`, value: tbt, unit: 'ms', target: 'reported', pass: true });
      rows.push({ metric: `unused JavaScript (${audited.name})`, value: unusedJs / 1024, unit: 'KB', target: 'reported', pass: true });
      const failing = Object.values(lhr.audits)
        .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === 'binary')
        .map((audit) => audit.id);
      console.log(`${audited.path}: failing audits: ${failing.join(', ') || 'none'}`);
    }
    process.exitCode = reportResults('lighthouse', rows) ? 0 : 1;
  } finally {
    await context.close();
    await server.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

await main();
