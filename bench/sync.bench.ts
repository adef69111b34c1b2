// bench/sync: a fresh page's first sync of a large account into Dexie, against the floor of
// writing the same records (already in page memory) with one Dexie bulkPut per table; then a
// one-change incremental pull; and the longest main-thread task during the first sync.
import { createRequire } from 'node:module';
import { chromium, type Page } from '@playwright/test';
import type { Change } from '../protocol';
import { buildIfStale } from '../scripts/build-if-stale.mjs';
import { planChanges } from '../src/data/apply-changes';
import { CHROMIUM_ARGS, startBenchServer } from './lib/bench-server';
import { reportResults } from './lib/results';
import { mulberry32, seedLargeDataset } from './seed-large';

/** tsx keeps function names with a `__name` helper that pages do not have; give them a no-op one. */
const defineNameHelper = () => {
  (globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
};

const COUNTS = { people: 500, activities: 10_000, members: 50_000, likes: 50_000 };
const require = createRequire(import.meta.url);

async function registerViaApi(url: string, name: string) {
  const email = `${name.toLowerCase()}@bench.test`;
  const password = 'bench password 1';
  const response = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: name }),
  });
  const body = (await response.json()) as { accessToken: string; user: { id: string } };
  return { email, password, token: body.accessToken, id: body.user.id };
}

async function fetchAllChanges(url: string, token: string): Promise<Change[]> {
  const changes: Change[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '5000', ...(cursor ? { cursor } : {}) });
    const body = (await (await fetch(`${url}/api/sync?${query}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      changes: Change[];
      cursor: string;
      hasMore: boolean;
    };
    changes.push(...body.changes);
    cursor = body.cursor;
    if (!body.hasMore) return changes;
  }
}

/** The floor: the same rows the app stores, already in page memory, one bulkPut per table. */
async function measureFloor(page: Page, rows: ReturnType<typeof planChanges>): Promise<number> {
  await page.addScriptTag({ path: require.resolve('dexie/dist/dexie.js') });
  await page.evaluate(() => {
    (window as unknown as { floorRows: Record<string, unknown[]> }).floorRows = { activities: [], members: [], likes: [] };
  });
  const tables = { activities: rows.putActivities, members: rows.putMembers, likes: rows.putLikes } as const;
  for (const [table, list] of Object.entries(tables)) {
    for (let i = 0; i < list.length; i += 10_000) {
      await page.evaluate(
        ({ table, chunk }) => {
          (window as unknown as { floorRows: Record<string, unknown[]> }).floorRows[table]!.push(...chunk);
        },
        { table, chunk: list.slice(i, i + 10_000) as unknown[] },
      );
    }
  }
  return page.evaluate(async () => {
    const { Dexie, floorRows } = window as unknown as {
      Dexie: new (name: string) => {
        version(n: number): { stores(s: Record<string, string>): void };
        table(name: string): { bulkPut(rows: unknown[]): Promise<unknown> };
        open(): Promise<unknown>;
      };
      floorRows: Record<string, unknown[]>;
    };
    const db = new Dexie('rally-floor');
    db.version(2).stores({
      activities: 'id, createdAt, ownerId',
      members: '[activityId+userId], activityId, userId',
      likes: '[activityId+userId], activityId, userId',
      syncState: 'key',
    });
    await db.open();
    const started = performance.now();
    await db.table('activities').bulkPut(floorRows.activities!);
    await db.table('members').bulkPut(floorRows.members!);
    await db.table('likes').bulkPut(floorRows.likes!);
    return performance.now() - started;
  });
}

async function main(): Promise<void> {
  buildIfStale();
  const server = await startBenchServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const viewer = await registerViaApi(server.url, 'Viewer');
    const other = await registerViaApi(server.url, 'Other');
    const seeded = await seedLargeDataset(server.app.database.db, COUNTS, mulberry32(42));
    console.log(`seeded ${seeded.activities} activities, ${seeded.members} members, ${seeded.likes} likes`);

    const changes = await fetchAllChanges(server.url, viewer.token);
    const rows = planChanges(changes, new Map());
    console.log(`records for this user: ${rows.putActivities.length} activities, ${rows.putMembers.length} members, ${rows.putLikes.length} likes`);

    const floorContext = await browser.newContext({ bypassCSP: true, serviceWorkers: 'block' });
    await floorContext.addInitScript(defineNameHelper);
    const floorPage = await floorContext.newPage();
    await floorPage.goto(`${server.url}/login`);
    const floorMs = await measureFloor(floorPage, rows);
    await floorContext.close();

    const context = await browser.newContext({ serviceWorkers: 'allow' });
    await context.addInitScript(defineNameHelper);
    await context.addInitScript(() => {
      const tasks: { start: number; duration: number }[] = [];
      (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    page.on('console', (m) => m.text().startsWith('WAIT') && console.log(m.text()));
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('rally:sync:full').length > 0, undefined, { timeout: 180_000 });
    const cold = await page.evaluate(() => {
      const measure = performance.getEntriesByName('rally:sync:full')[0]!;
      const tasks = (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks;
      const during = tasks.filter((t) => t.start + t.duration >= measure.startTime && t.start <= measure.startTime + measure.duration);
      return { duration: measure.duration, longest: Math.max(0, ...during.map((t) => t.duration)), detail: (measure as PerformanceMeasure).detail as unknown };
    });
    console.log(`cold sync detail: ${JSON.stringify(cold.detail)}`);
    const stored = await page.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
        });
      const result = { activities: await count('activities'), members: await count('members'), likes: await count('likes') };
      db.close();
      return result;
    }, `rally-user-${viewer.id}`);
    console.log(`stored by the app: ${JSON.stringify(stored)}`);
    const complete =
      stored.activities === rows.putActivities.length && stored.members === rows.putMembers.length && stored.likes === rows.putLikes.length;

    // One change by someone else: the event shows the device is behind, and it pulls.
    await page.waitForTimeout(500);
    const before = await page.evaluate(() => performance.now());
    const target = rows.putActivities[0]!.id;
    await fetch(`${server.url}/api/activities/${target}/like`, { method: 'PUT', headers: { authorization: `Bearer ${other.token}` } });
    await page.waitForFunction(
      (since) => performance.getEntriesByName('rally:sync:pull').some((m) => m.startTime > since && ((m as PerformanceMeasure).detail as { changes: number }).changes > 0),
      before,
      { timeout: 10_000 },
    );
    const incremental = await page.evaluate(
      (since) => performance.getEntriesByName('rally:sync:pull').find((m) => m.startTime > since && ((m as PerformanceMeasure).detail as { changes: number }).changes > 0)!.duration,
      before,
    );

    const ratio = cold.duration / floorMs;
    const ok = reportResults('sync', [
      { metric: 'cold sync', value: cold.duration, unit: 'ms', floor: floorMs, ratio, target: '≤ 2× floor', pass: ratio <= 2 && complete },
      { metric: 'incremental pull', value: incremental, unit: 'ms', target: '≤ 50 ms', pass: incremental <= 50 },
      { metric: 'longest task', value: cold.longest, unit: 'ms', target: '≤ 200 ms during cold sync', pass: cold.longest <= 200 },
    ]);
    if (!complete) console.log('FAIL: the app did not store every record');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
