// bench/startup: a warm start from the home screen with the network off. A device that holds the
// large account of bench/sync (its first full sync done, the service worker in control) opens
// Rally at `/` ten times, offline, in a new tab each time; each time, the time from navigation
// start until the first activity card is in the DOM, measured in the page. That card is painted
// from the feed's first screenful as it last showed (src/data/feed-snapshot.ts, the device's
// copy); when the feed's own read of the database replaced it is reported beside. The server counts the
// requests it receives meanwhile: there must be none (the browser's own check for a new worker
// script aside, see below), or the cards did not come from the device.
import { cpus, loadavg } from 'node:os';
import { chromium, type BrowserContext } from '@playwright/test';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { CHROMIUM_ARGS, startBenchServer } from './lib/bench-server';
import { registerViaApi } from './lib/bench-users';
import { defineNameHelper } from './lib/name-helper';
import { percentile, reportResults } from './lib/results';
import { LARGE_ACCOUNT, mulberry32, seedLargeDataset } from './seed-large';

const STARTS = 10;
/** The feed's card (src/features/activities/ActivityCard.tsx). */
const CARD_SELECTOR = '[data-testid="activity-card"]';
/** The service worker's script (src/app/service-worker.ts registers it). */
const WORKER_SCRIPT = '/sw.js';

/**
 * Runs in every page before its own scripts: records `performance.now()` (milliseconds since the
 * navigation started) when the first activity card enters the DOM. A MutationObserver hears the
 * insertion in the same task React commits it, so the figure does not wait on a polling interval.
 */
const recordFirstCard = (selector: string) => {
  const probe = window as unknown as { firstCardAt?: number };
  const observer = new MutationObserver(() => {
    if (probe.firstCardAt !== undefined || !document.querySelector(selector)) return;
    probe.firstCardAt = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
};

async function main(): Promise<void> {
  buildIfStale();
  const server = await startBenchServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const viewer = await registerViaApi(server.url, 'Viewer');
    await seedLargeDataset(server.app.database.db, LARGE_ACCOUNT, mulberry32(42), viewer.id);

    const context = await browser.newContext({ serviceWorkers: 'allow' });
    await context.addInitScript(defineNameHelper);
    await context.addInitScript(recordFirstCard, CARD_SELECTOR);
    await signInAndSync(context, server.url, viewer);

    await context.setOffline(true);
    // Everything the server receives from now on is counted: an offline start must send nothing.
    // But for one thing the browser does itself: after a navigation its worker answered, Chromium
    // checks for a new version of the worker's script (GET /sw.js), from the browser process,
    // which Playwright's offline emulation (pages and their workers) does not reach. On a phone
    // with no network that check fails; it is counted apart, as it carries no data of the app.
    const reached: string[] = [];
    const workerUpdateChecks: string[] = [];
    server.app.http.server.on('request', (request: { method?: string; url?: string }) => {
      const line = `${request.method} ${request.url}`;
      (line === `GET ${WORKER_SCRIPT}` ? workerUpdateChecks : reached).push(line);
    });
    const firstRenders: number[] = [];
    const contentLoaded: number[] = [];
    const ownReads: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      const firstCardAt = await page.waitForFunction(() => (window as unknown as { firstCardAt?: number }).firstCardAt, undefined, { timeout: 60_000 });
      const offline = await page.evaluate(() => !navigator.onLine && navigator.serviceWorker.controller !== null);
      if (!offline) throw new Error('the start was not offline, or no service worker answered it');
      firstRenders.push((await firstCardAt.jsonValue())!);
      // Where the time went before React could render: the document's own parse and scripts.
      contentLoaded.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
      // The first card is painted from the feed's copy (src/data/feed-snapshot.ts); this is when
      // the feed's own read of the database had replaced it (src/data/first-screen.ts).
      const ownRead = await page.waitForFunction(() => performance.getEntriesByName('rally:first-screen')[0]?.startTime, undefined, { timeout: 60_000 });
      ownReads.push((await ownRead.jsonValue())!);
      await page.close();
    }
    await context.setOffline(false);
    await context.close();

    const sorted = [...firstRenders].sort((a, b) => a - b);
    const median = (sorted[STARTS / 2 - 1]! + sorted[STARTS / 2]!) / 2;
    const p90 = sorted[Math.ceil(STARTS * 0.9) - 1]!;
    console.log(`first card after (ms, in order): ${firstRenders.map((ms) => ms.toFixed(0)).join(', ')}`);
    console.log(`DOMContentLoaded after (ms, in order): ${contentLoaded.map((ms) => ms.toFixed(0)).join(', ')}`);
    console.log(`the feed's own read on screen after (ms, in order): ${ownReads.map((ms) => ms.toFixed(0)).join(', ')}`);
    console.log(`requests the server received during the offline starts: ${reached.length ? reached.join(', ') : 'none'}`);
    console.log(`the browser's own checks for a new worker script meanwhile: ${workerUpdateChecks.length}`);
    const fromDevice = reached.length === 0;
    const ok = reportResults('startup', [
      { metric: 'warm start first render', value: median, unit: 'ms', target: `≤ 500 ms (median of ${STARTS}, offline)`, pass: median <= 500 && fromDevice },
      { metric: 'warm start p90', value: p90, unit: 'ms', target: 'reported', pass: true },
      { metric: "warm start, feed's own read on screen", value: percentile(ownReads, 50), unit: 'ms', target: 'reported (median; the first card is the copy it replaces)', pass: true },
      { metric: 'requests to the server while offline', value: reached.length, unit: 'requests', target: '0', pass: fromDevice },
    ]);
    // The machine may be shared; wall-clock figures stretch with its load.
    console.log(`load average (1 min) on ${cpus().length} cores: ${loadavg()[0]!.toFixed(1)}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Signs in through the login form and waits for the first full sync into the device's database
 * and for the service worker to control the page: what a device has after its first visit. The
 * page is closed afterwards, as an app sent to the background and evicted would be.
 */
async function signInAndSync(context: BrowserContext, url: string, user: { email: string; password: string }): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => performance.getEntriesByName('rally:sync:full').length > 0, undefined, { timeout: 180_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
  const fullSyncMs = await page.evaluate(() => performance.getEntriesByName('rally:sync:full')[0]!.duration);
  console.log(`first full sync: ${(fullSyncMs / 1000).toFixed(1)} s`);
  await page.close();
}

await main();
