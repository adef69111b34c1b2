// bench/replay: 1,000 mutations queued by the service worker while offline, drained after the
// network returns (in batches: POST /api/mutations/batch), against the bare floor: 1,000
// sequential POSTs from a Chromium page to a bare fastify route doing one SQLite insert
// (bench/lib/bare-floor.ts). Also printed: the same 1,000 mutations sent online to Rally one by
// one by a plain fetch loop from a page no service worker controls. The drain is timed from just before the network comes back until the
// server has recorded all 1,000. Checks that none is lost or applied twice, and that they landed
// in the order they were made.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { MUTATION_QUEUE_NAME, OUTBOX_CHANNEL } from '../protocol';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { measureBareFloor } from './lib/bare-floor';
import { CHROMIUM_ARGS, startBenchServer } from './lib/bench-server';
import { defineNameHelper } from './lib/name-helper';
import { pageRowIdScript, type WithRowIds } from './lib/page-row-ids';
import { reportResults } from './lib/results';

const COUNT = 1000;
/** How often the bench asks the database whether the drain is over: the drain's resolution. */
const POLL_MS = 10;

async function main(): Promise<void> {
  buildIfStale();
  const server = await startBenchServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const email = 'drain@bench.test';
    const password = 'bench password 1';
    await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, displayName: 'Drain' }),
    });
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    await context.addInitScript(defineNameHelper);
    await context.addInitScript(pageRowIdScript);
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('connection').filter({ hasText: 'Online' }).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
      }
    });
    // A token of the bench's own, so the mutations are plain requests the page could make.
    const login = (await (
      await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
    ).json()) as { accessToken: string; user: { id: string } };

    const sendAll = (from: Page, clientId: string, prefix: string) =>
      from.evaluate(
        async ({ clientId, prefix, count, token }) => {
          const started = performance.now();
          const statuses: number[] = [];
          for (let i = 1; i <= count; i++) {
            const response = await fetch('/api/mutations', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({
                clientId,
                mutationId: i,
                name: 'activity.create',
                createdAt: new Date().toISOString(),
                args: { id: (globalThis as unknown as WithRowIds).newRowId(), fields: { title: `${prefix} ${i}`, startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
              }),
            });
            statuses.push(response.status);
          }
          return { ms: performance.now() - started, statuses };
        },
        { clientId, prefix, count: COUNT, token: login.accessToken },
      );

    // Floor: online, one after another, straight to the server. From a context whose service
    // workers are blocked: in the app's page every request would pass through the worker's
    // mutation route (a queue read each), and the floor would carry part of what it is compared with.
    const floorContext = await browser.newContext({ serviceWorkers: 'block' });
    await floorContext.addInitScript(defineNameHelper);
    await floorContext.addInitScript(pageRowIdScript);
    const floorPage = await floorContext.newPage();
    await floorPage.goto(`${server.url}/api/health`);
    const uncontrolled = await floorPage.evaluate(() => navigator.serviceWorker?.controller == null);
    if (!uncontrolled) throw new Error('the floor page is controlled by a service worker');
    const floor = await sendAll(floorPage, randomUUID(), 'floor');
    // The bare floor: the round trip and one insert, nothing of Rally's (bench/lib/bare-floor.ts).
    const bareFloorMs = await measureBareFloor(browser, COUNT);
    console.log(`floors: ${COUNT} sequential POSTs to a bare route with one insert ${bareFloorMs.toFixed(0)} ms; to Rally's /api/mutations ${floor.ms.toFixed(0)} ms`);
    await floorContext.close();
    if (floor.statuses.some((s) => s !== 200)) throw new Error('the floor run was refused');

    // Drain: the same mutations made offline are queued by the worker, then replayed.
    const { db } = server.app.database;
    const drainClient = randomUUID();
    const recorded = async () =>
      Number(
        (
          await db
            .selectFrom('mutations')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('userId', '=', login.user.id)
            .where('clientId', '=', drainClient)
            .executeTakeFirstOrThrow()
        ).n,
      );
    await context.setOffline(true);
    const queued = await sendAll(page, drainClient, 'drain');
    const queuedCount = queued.statuses.filter((s) => s === 202).length;
    // Long enough to measure a drain well past its target on a slow machine, not only a pass.
    const drain = await timeDrain(context, page, recorded, Math.max(COUNT * 100, floor.ms * 3));
    if (drain.recorded < COUNT) console.log(`FAIL: the server recorded ${drain.recorded}/${COUNT} within ${(drain.ms / 1000).toFixed(0)} s`);
    await waitForIdleWorker(page);

    const applied = await db
      .selectFrom('mutations')
      .select(['mutationId', 'httpStatus'])
      .where('clientId', '=', drainClient)
      .orderBy('mutationId')
      .execute();
    const landed = await db.selectFrom('activities').select(['title', 'seq', 'version']).where('title', 'like', 'drain %').execute();
    const titles = landed.map((row) => row.title);
    const lost = COUNT - new Set(titles).size;
    const duplicated = titles.length - new Set(titles).size + landed.filter((row) => Number(row.version) !== 1).length;
    const bySeq = [...landed].sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => Number(row.title.split(' ')[1]));
    const inOrder = bySeq.every((n, i) => i === 0 || n > bySeq[i - 1]!);
    console.log(
      `queued by the worker: ${queuedCount}/${COUNT}; first recorded ${drain.firstMs?.toFixed(0) ?? '-'} ms after the network returned; ` +
        `recorded mutations: ${applied.length}; in order: ${inOrder}; queue: ${MUTATION_QUEUE_NAME}`,
    );

    const ratio = drain.ms / bareFloorMs;
    const ok = reportResults('replay', [
      {
        metric: 'drain',
        value: drain.ms,
        unit: 'ms',
        floor: bareFloorMs,
        ratio,
        target: '≤ 1.0× bare sequential floor',
        pass: ratio <= 1.0 && queuedCount === COUNT && drain.recorded === COUNT,
      },
      {
        metric: 'drain vs one by one to Rally',
        value: drain.ms,
        unit: 'ms',
        floor: floor.ms,
        ratio: drain.ms / floor.ms,
        target: '≤ 1.5× the same mutations sent online one by one to Rally',
        pass: drain.ms / floor.ms <= 1.5,
      },
      { metric: 'throughput', value: (drain.recorded / drain.ms) * 1000, unit: 'mutations/s', target: 'reported', pass: true },
      { metric: 'lost', value: lost, unit: 'mutations', target: '0', pass: lost === 0 },
      { metric: 'duplicated', value: duplicated, unit: 'mutations', target: '0', pass: duplicated === 0 },
      { metric: 'out of order', value: inOrder ? 0 : 1, unit: 'runs', target: '0', pass: inOrder },
    ]);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

interface Drain {
  /** From just before the network came back until the server had recorded all, or the deadline. */
  ms: number;
  recorded: number;
  /** When the server recorded the first one: how long the replay took to start. */
  firstMs: number | undefined;
}

/**
 * Brings the network back and polls the server until it has recorded COUNT of the queued
 * mutations. The clock starts before the network returns: the page's own `online` listener asks
 * the worker to replay at once, before anything the bench could start in the page. It stops on
 * the server's records, not on the worker saying its queue is empty.
 */
async function timeDrain(context: BrowserContext, page: Page, recorded: () => Promise<number>, deadlineMs: number): Promise<Drain> {
  const started = performance.now();
  await context.setOffline(false);
  // In case nothing else wakes the worker (the page usually has by now; a second request only
  // adds one more, empty, pass).
  await page.evaluate(() => navigator.serviceWorker.controller?.postMessage({ type: 'REPLAY_OUTBOX' }));
  let count = 0;
  let firstMs: number | undefined;
  for (;;) {
    count = await recorded();
    if (count > 0) firstMs ??= performance.now() - started;
    if (count >= COUNT || performance.now() - started >= deadlineMs) break;
    await sleep(POLL_MS);
  }
  return { ms: performance.now() - started, recorded: count, firstMs };
}

/**
 * Lets the worker finish whatever it still does after the last mutation was recorded (a stray
 * resend would land now), so the checks below read the server after the replay, not during it.
 */
async function waitForIdleWorker(page: Page): Promise<void> {
  await page.evaluate(
    async ({ channelName, timeoutMs }) => {
      const channel = new BroadcastChannel(channelName);
      const idle = new Promise<void>((resolve) => {
        channel.onmessage = (message: MessageEvent<{ type: string; queued?: number; replaying?: boolean }>) => {
          if (message.data.type === 'OUTBOX_STATE' && message.data.queued === 0 && !message.data.replaying) resolve();
        };
      });
      // A pass over an empty queue ends by announcing the state, which an idle worker would not.
      navigator.serviceWorker.controller?.postMessage({ type: 'REPLAY_OUTBOX' });
      await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
      channel.close();
    },
    { channelName: OUTBOX_CHANNEL, timeoutMs: 10_000 },
  );
}

await main();
