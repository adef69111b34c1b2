// bench/analytics: what tracking costs the person using Rally. One signed-in page sends 100 chat
// messages with nothing else going on and 100 more while 10,000 analytics events are tracked (100
// just before each message: the engine stamps and queues them and sends them in batches of 100 as
// the message goes out). A message's latency runs from pressing Enter to its "Sending…" turning to
// sent (the server's answer written into the device database and shown), timed in the page. The
// two kinds of message alternate in blocks of 10 (quiet first, then tracked first), and each
// pair's events are all sent before the next pair, so machine drift and leftover sending fall on
// neither side alone.
// Target: the loaded messages' p95 within 5 % of the quiet ones'.
import type { Page } from '@playwright/test';
import { runBrowserBench } from './lib/bench-server';
import { openChatSignedIn, twoUsersInADirectChat } from './lib/bench-users';
import { defineNameHelper } from './lib/name-helper';
import { percentile, reportResults } from './lib/results';

const BLOCKS = 10;
const MESSAGES_PER_BLOCK = 10;
const EVENTS_PER_MESSAGE = 100;

interface AnalyticsHooks {
  recordEvent(event: { kind: 'track'; name: string; props: Record<string, unknown> }, at: Date): void;
  queued(): Promise<number>;
}

/** In the page: tracks `events` events, sends `text` with Enter, resolves with ms until it shows as sent. */
const sendTimed = ({ text, events }: { text: string; events: number }) =>
  new Promise<number>((resolve, reject) => {
    const hooks = (window as unknown as { rallyAnalyticsTestHooks: AnalyticsHooks }).rallyAnalyticsTestHooks;
    for (let i = 0; i < events; i++) hooks.recordEvent({ kind: 'track', name: 'bench.event', props: { i } }, new Date());
    const composer = document.querySelector<HTMLTextAreaElement>('textarea')!;
    // React reads the value through the native setter, then hears the input event.
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(composer, text);
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    const start = performance.now();
    const isSent = () =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="message"]')].some(
        (item) => item.querySelector('.message-body')?.textContent === text && item.dataset.status !== 'pending',
      );
    const observer = new MutationObserver(() => {
      if (!isSent()) return;
      observer.disconnect();
      clearTimeout(timeout);
      resolve(performance.now() - start);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const timeout = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`“${text}” not sent within 15 s`));
    }, 15_000);
    composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });

const queued = (page: Page) => page.evaluate(() => (window as unknown as { rallyAnalyticsTestHooks: AnalyticsHooks }).rallyAnalyticsTestHooks.queued());

async function waitForEmptyQueue(page: Page): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await queued(page)) > 0) {
    if (Date.now() > deadline) throw new Error('analytics queue did not drain within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The bench measures what sending costs, not waiting out the per-user limit (3,000 a minute).
await runBrowserBench({ env: { USER_ANALYTICS_EVENTS_PER_MINUTE: '100000', USER_WRITE_LIMIT_PER_MINUTE: '100000' } }, async (server, browser) => {
  const { ana, conversationId } = await twoUsersInADirectChat(server.url);
  const context = await browser.newContext();
  await context.addInitScript(defineNameHelper);
  const page = await context.newPage();
  await openChatSignedIn(page, server.url, ana, conversationId);
  await page.waitForFunction(() => 'rallyAnalyticsTestHooks' in window, undefined, { timeout: 30_000 });

  // Warm-up: the first messages settle the socket, the outbox's code and the engine's.
  for (let i = 0; i < MESSAGES_PER_BLOCK; i++) await page.evaluate(sendTimed, { text: `warm-up ${i}`, events: EVENTS_PER_MESSAGE });
  await waitForEmptyQueue(page);

  const quiet: number[] = [];
  const loaded: number[] = [];
  const quietBlock = async (block: number) => {
    for (let i = 0; i < MESSAGES_PER_BLOCK; i++) quiet.push(await page.evaluate(sendTimed, { text: `quiet ${block}.${i}`, events: 0 }));
  };
  const trackedBlock = async (block: number) => {
    for (let i = 0; i < MESSAGES_PER_BLOCK; i++) loaded.push(await page.evaluate(sendTimed, { text: `tracked ${block}.${i}`, events: EVENTS_PER_MESSAGE }));
  };
  // Quiet first in even blocks, tracked first in odd ones: neither side always follows a drained queue.
  for (let block = 0; block < BLOCKS; block++) {
    if (block % 2 === 0) {
      await quietBlock(block);
      await trackedBlock(block);
    } else {
      await trackedBlock(block);
      await quietBlock(block);
    }
    await waitForEmptyQueue(page);
  }
  const stored = Number(
    (await server.app.database.db.selectFrom('analyticsEvents').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', 'bench.event').executeTakeFirstOrThrow()).n,
  );
  const tracked = (BLOCKS + 1) * MESSAGES_PER_BLOCK * EVENTS_PER_MESSAGE;
  const [quietP95, loadedP95, quietMedian, loadedMedian] = [percentile(quiet, 95), percentile(loaded, 95), percentile(quiet, 50), percentile(loaded, 50)];
  console.log(`quiet message latency (ms): median ${quietMedian.toFixed(1)}, p95 ${quietP95.toFixed(1)}`);
  console.log(`while tracking (ms): median ${loadedMedian.toFixed(1)}, p95 ${loadedP95.toFixed(1)}; events stored ${stored} of ${tracked}`);
  const ratio = loadedP95 / quietP95;
  const ok = reportResults('analytics', [
    {
      metric: 'message p95 while tracking 10,000 events',
      value: loadedP95,
      unit: 'ms',
      floor: quietP95,
      ratio,
      target: '≤ 1.05× the p95 without tracking (100 messages each)',
      pass: ratio <= 1.05,
    },
    { metric: 'tracked events stored once', value: stored, unit: 'events', target: `= ${tracked}`, pass: stored === tracked },
  ]);
  return ok;
});
