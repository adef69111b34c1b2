// bench/replay: 1,000 mutations queued by the service worker while offline, drained after the
// network returns, against the floor of the same 1,000 mutations sent online by a plain
// sequential fetch loop from the page. Checks that none is lost or applied twice, and that they
// landed in the order they were made.
import { randomUUID } from 'node:crypto';
import { chromium } from '@playwright/test';
import { MUTATION_QUEUE_NAME, OUTBOX_CHANNEL } from '../protocol';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { CHROMIUM_ARGS, startBenchServer } from './lib/bench-server';
import { reportResults } from './lib/results';

const COUNT = 1000;

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
    await context.addInitScript(() => {
      (globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
    });
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
    ).json()) as { accessToken: string };

    const sendAll = (clientId: string, prefix: string) =>
      page.evaluate(
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
                args: { id: crypto.randomUUID(), fields: { title: `${prefix} ${i}`, startsAt: new Date(Date.now() + 86_400_000).toISOString() } },
              }),
            });
            statuses.push(response.status);
          }
          return { ms: performance.now() - started, statuses };
        },
        { clientId, prefix, count: COUNT, token: login.accessToken },
      );

    // Floor: online, one after another, straight to the server.
    const floor = await sendAll(randomUUID(), 'floor');
    if (floor.statuses.some((s) => s !== 200)) throw new Error('the floor run was refused');

    // Drain: the same mutations made offline are queued by the worker, then replayed.
    const drainClient = randomUUID();
    await context.setOffline(true);
    const queued = await sendAll(drainClient, 'drain');
    const queuedCount = queued.statuses.filter((s) => s === 202).length;
    await context.setOffline(false);
    const drainMs = await page.evaluate(
      async ({ channelName, count }) => {
        const channel = new BroadcastChannel(channelName);
        const started = performance.now();
        const done = new Promise<void>((resolve) => {
          channel.onmessage = (message: MessageEvent<{ type: string; queued?: number; replaying?: boolean }>) => {
            if (message.data.type === 'OUTBOX_STATE' && message.data.queued === 0 && !message.data.replaying) resolve();
          };
        });
        navigator.serviceWorker.controller?.postMessage({ type: 'REPLAY_OUTBOX' });
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, count * 100))]);
        channel.close();
        return performance.now() - started;
      },
      { channelName: OUTBOX_CHANNEL, count: COUNT },
    );

    const { db } = server.app.database;
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
      `queued by the worker: ${queuedCount}/${COUNT}; recorded mutations: ${applied.length}; in order: ${inOrder}; queue: ${MUTATION_QUEUE_NAME}`,
    );

    const ratio = drainMs / floor.ms;
    const ok = reportResults('replay', [
      { metric: 'drain', value: drainMs, unit: 'ms', floor: floor.ms, ratio, target: '≤ 1.5× floor', pass: ratio <= 1.5 && queuedCount === COUNT },
      { metric: 'throughput', value: (COUNT / drainMs) * 1000, unit: 'mutations/s', target: 'reported', pass: true },
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

await main();
