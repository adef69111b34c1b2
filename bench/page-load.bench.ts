// bench/page-load: how long a signed-in page load keeps the main thread from answering a tap, on a
// phone's CPU. Chromium's CPU is slowed 4× (Lighthouse's mobile factor) while a returning user's
// page loads, the feed or a chat; the page's own PerformanceObserver lists every long task (over
// 50 ms) until the page has been online and quiet for 4 s. Figures are medians over 8 loads of
// each: the blocking time (the sum of each long task's time over 50 ms, as Lighthouse's total
// blocking time counts it) and the longest task. Lighthouse (bench/lighthouse) scores one load
// per page and moved by up to 14 points between runs here; this is the steadier figure to work by.
// The floor, in the same run and browser: the sign-in screen of a visitor with no session, which
// evaluates the same first bundle and renders a form, so the ratio is what a signed-in start
// (database, screens, the contract, sync and socket) adds to the bundle's own cost.
import type { Page } from '@playwright/test';
import { runBrowserBench } from './lib/bench-server';
import { userWithActivityAndChat } from './lib/bench-users';
import { percentile, reportResults, type BenchResult } from './lib/results';

const LOADS = 8;
const CPU_SLOWDOWN = 4;
const QUIET_MS = 4_000;

/** Every long task's duration, kept from the first moment of each document the page opens. */
const RECORD_LONG_TASKS = () => {
  const durations: number[] = [];
  (window as unknown as { __longTasks: number[] }).__longTasks = durations;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
};

interface Load {
  blocking: number;
  longest: number;
}

const median = (values: readonly number[]) => percentile(values, 50);

/** One load of `url` with the CPU slowed; `ready` says when the page has what it loads for. */
async function measureLoad(page: Page, url: string, ready: (page: Page) => Promise<void>): Promise<Load> {
  await page.goto('about:blank');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  try {
    await page.goto(url);
    await ready(page);
    await page.waitForTimeout(QUIET_MS);
    const durations = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    return { blocking: durations.reduce((sum, d) => sum + Math.max(0, d - 50), 0), longest: Math.max(0, ...durations) };
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  }
}

function rows(label: string, loads: Load[], floor: Load[]): BenchResult[] {
  const [blocking, floorBlocking] = [median(loads.map((l) => l.blocking)), median(floor.map((l) => l.blocking))];
  const [longest, floorLongest] = [median(loads.map((l) => l.longest)), median(floor.map((l) => l.longest))];
  return [
    { metric: `blocking time at load (${label})`, value: blocking, unit: 'ms', floor: floorBlocking, ratio: blocking / Math.max(1, floorBlocking), target: `reported (median of ${LOADS}, CPU ${CPU_SLOWDOWN}× slower)`, pass: true },
    { metric: `longest task at load (${label})`, value: longest, unit: 'ms', floor: floorLongest, ratio: longest / Math.max(1, floorLongest), target: 'reported', pass: true },
  ];
}

await runBrowserBench({}, async (server, browser) => {
  // What bench/lighthouse audits: an activity of the user's own with a few messages in its chat.
  const user = await userWithActivityAndChat(server.url, `Loader${Date.now()}`);
  const { activityId } = user;

  const online = (page: Page) => page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
  const visitor = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 412, height: 823 } });
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 412, height: 823 } });
  try {
    await visitor.addInitScript(RECORD_LONG_TASKS);
    await context.addInitScript(RECORD_LONG_TASKS);
    const visitorPage = await visitor.newPage();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await online(page);
    // The first sync done, so each load is a returning user's.
    await page.waitForFunction(() => performance.getEntriesByName('rally:sync:full').length > 0, undefined, { timeout: 60_000 });

    const loads = { floor: [] as Load[], feed: [] as Load[], chat: [] as Load[] };
    // Interleaved, so a busy moment of the machine falls on every kind alike.
    for (let i = 0; i < LOADS; i++) {
      loads.floor.push(await measureLoad(visitorPage, `${server.url}/login`, (p) => p.getByRole('button', { name: 'Sign in' }).waitFor()));
      loads.feed.push(await measureLoad(page, `${server.url}/`, online));
      loads.chat.push(await measureLoad(page, `${server.url}/chat/${activityId}`, online));
    }
    return reportResults('page-load', [...rows('feed', loads.feed, loads.floor), ...rows('chat', loads.chat, loads.floor)]);
  } finally {
    await visitor.close();
    await context.close();
  }
});
