import { build } from 'esbuild';
import { expect, test } from '@playwright/test';
import type { LocalDbHooks } from './local-db-page';

/**
 * A device keeps its database across releases: whatever schema version a phone last opened, the
 * app's database class must bring it to the same tables and indexes a new install gets, with each
 * release's data conversion run once (search text on activities, check-in counts, message search
 * terms), and nothing the device held lost.
 *
 * RELEASED is every schema version as it shipped (device-db/local-db.ts's history): each test
 * builds a database as that release's app left it, with rows written then, and opens it with
 * today's class.
 */
const RELEASED: { version: number; stores: Record<string, string> }[] = [
  { version: 1, stores: { activities: 'id, createdAt', members: '[activityId+userId], activityId', likes: '[activityId+userId], activityId', syncState: 'key' } },
  { version: 2, stores: { activities: 'id, createdAt, ownerId', members: '[activityId+userId], activityId, userId', likes: '[activityId+userId], activityId, userId' } },
  { version: 3, stores: { checkins: '[activityId+userId], activityId, userId', outbox: 'mutationId, status', clientState: 'key' } },
  { version: 4, stores: { conversations: 'id, activityId', messages: 'id, [conversationId+seq]', receipts: '[conversationId+userId], conversationId' } },
  { version: 5, stores: { notifications: 'id, createdAt', userSettings: 'userId', conversationSettings: 'conversationId' } },
  { version: 6, stores: { drafts: 'conversationId' } },
  { version: 7, stores: { messages: 'id, [conversationId+seq], [conversationId+senderId+seq]' } },
  { version: 8, stores: { hiddenMessages: 'messageId' } },
  { version: 9, stores: { messages: 'id, [conversationId+seq], [conversationId+senderId+seq], *terms, createdAt' } },
  { version: 10, stores: { pendingPhotos: 'hash' } },
  { version: 11, stores: { removals: 'activityId' } },
  { version: 12, stores: { blockedUsers: 'userId' } },
  { version: 13, stores: { messages: 'id, [conversationId+seq], [conversationId+senderId+seq], *terms, createdAt, conversationId' } },
];

let pageScript: string;
test.beforeAll(async () => {
  const bundle = await build({ entryPoints: ['tests/e2e/local-db-page.ts'], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022' });
  pageScript = bundle.outputFiles[0]!.text;
});

test('a database left by any earlier release opens as a new install’s would, each conversion run and every row kept', async ({ browser }) => {
  // bypassCSP: the test's script is added inline; the app's own scripts run as always.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto('/login');
  await page.addScriptTag({ content: pageScript });

  const outcome = await page.evaluate(async (released) => {
    const { Dexie, RallyLocalDb } = (window as unknown as { localDbHooks: LocalDbHooks }).localDbHooks;
    /** The database as IndexedDB itself holds it: version, stores, key paths and indexes. */
    const schemaOf = async (name: string) => {
      const raw = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const names = [...raw.objectStoreNames].sort();
      const stores = names.length === 0 ? [] : (() => {
        const tx = raw.transaction(names);
        return names.map((store) => {
          const s = tx.objectStore(store);
          const indexes = [...s.indexNames].sort().map((index) => {
            const i = s.index(index);
            return `${index}=${JSON.stringify(i.keyPath)}${i.multiEntry ? ' multi' : ''}${i.unique ? ' unique' : ''}`;
          });
          return `${store} key ${JSON.stringify(s.keyPath)}${s.autoIncrement ? ' auto' : ''} [${indexes.join(', ')}]`;
        });
      })();
      const version = raw.version;
      raw.close();
      return { version, stores };
    };

    await Dexie.delete('upgrade-fresh');
    const fresh = new RallyLocalDb('upgrade-fresh');
    await fresh.open();
    fresh.close();
    const freshSchema = await schemaOf('upgrade-fresh');

    const results = [];
    for (const { version: from } of released.slice(0, -1)) {
      const name = `upgrade-from-${from}`;
      await Dexie.delete(name);
      // The database as the release of version `from` created and filled it.
      const old = new Dexie(name);
      for (const { version, stores } of released.filter((r) => r.version <= from)) old.version(version).stores(stores);
      await old.open();
      await old.table('activities').put({ id: 'a1', title: 'Sunrise hike', description: 'Bring water', location: 'North gate', createdAt: '2026-01-01T00:00:00.000Z', ownerId: 'u1' });
      await old.table('members').put({ activityId: 'a1', userId: 'u1' });
      const hasMessages = from >= 4;
      if (hasMessages) await old.table('messages').put({ id: 'm1', conversationId: 'a1', seq: 1, senderId: 'u1', body: 'Meet at the trailhead', createdAt: '2026-01-01T00:00:00.000Z' });
      if (from >= 6) await old.table('drafts').put({ conversationId: 'a1', body: 'half written' });
      old.close();

      const upgraded = new RallyLocalDb(name);
      await upgraded.open();
      const activity = await upgraded.activities.get('a1');
      const message = hasMessages ? await upgraded.messages.get('m1') : undefined;
      const found = {
        from,
        searchText: typeof activity?.searchText === 'string' && activity.searchText.includes('sunrise'),
        checkinCount: activity?.checkinCount,
        members: await upgraded.members.count(),
        terms: hasMessages ? (message?.terms ?? []).includes('trailhead') : null,
        termsIndexed: hasMessages ? (await upgraded.messages.where('terms').equals('trailhead').count()) === 1 : null,
        byConversation: hasMessages ? (await upgraded.messages.where('conversationId').equals('a1').count()) === 1 : null,
        draft: from >= 6 ? (await upgraded.drafts.get('a1'))?.body : null,
      };
      upgraded.close();
      results.push({ ...found, schema: await schemaOf(name) });
      await Dexie.delete(name);
    }
    await Dexie.delete('upgrade-fresh');
    return { freshSchema, results };
  }, RELEASED);

  expect(outcome.freshSchema.stores.length).toBe(18);
  for (const result of outcome.results) {
    const from = `from version ${result.from}`;
    expect(result.schema, from).toEqual(outcome.freshSchema);
    expect(result.members, from).toBe(1);
    // Each release's conversion: search text (2), check-in counts (3), message terms (9), once.
    if (result.from < 2) expect(result.searchText, from).toBe(true);
    if (result.from < 3) expect(result.checkinCount, from).toBe(0);
    if (result.from >= 4 && result.from < 9) {
      expect(result.terms, from).toBe(true);
      expect(result.termsIndexed, from).toBe(true);
    }
    if (result.from >= 6) expect(result.draft, from).toBe('half written');
    // Version 13 indexes the messages already there by conversation (the unread total reads it).
    if (result.from >= 4) expect(result.byConversation, from).toBe(true);
  }
  await context.close();
});

test('analytics events queued by the release that stored one row per event are kept, in order, a row per burst', async ({ browser }) => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto('/login');
  await page.addScriptTag({ content: pageScript });

  const found = await page.evaluate(async () => {
    const { Dexie, AnalyticsQueueDb } = (window as unknown as { localDbHooks: LocalDbHooks }).localDbHooks;
    const name = 'upgrade-analytics';
    await Dexie.delete(name);
    // Version 1 as it shipped: one row per event.
    const old = new Dexie(name);
    old.version(1).stores({ events: '++seq, userId' });
    await old.open();
    const event = (i: number) => ({ id: `e${i}`, at: '2026-01-01T00:00:00.000Z', sessionId: 's1', kind: 'track', name: 'old.event', props: { i }, screen: '/' });
    // Nobody's first steps, then Ana's 150, then Ben's 20.
    await old.table('events').bulkAdd([
      ...Array.from({ length: 5 }, (_, i) => ({ userId: '', event: event(i) })),
      ...Array.from({ length: 150 }, (_, i) => ({ userId: 'ana', event: event(5 + i) })),
      ...Array.from({ length: 20 }, (_, i) => ({ userId: 'ben', event: event(155 + i) })),
    ]);
    old.close();

    const upgraded = new AnalyticsQueueDb(name);
    const bursts = await upgraded.bursts.orderBy('seq').toArray();
    const stores = upgraded.tables.map((table) => table.name).sort();
    const bySize = await upgraded.bursts.where('size').above(0).count();
    upgraded.close();
    await Dexie.delete(name);
    return { stores, bySize, bursts: bursts.map((burst) => ({ userId: burst.userId, size: burst.size, first: burst.events[0]?.id, ids: burst.events.map((e) => e.id) })) };
  });

  expect(found.stores).toEqual(['bursts']);
  expect(found.bursts.map(({ userId, size, first }) => ({ userId, size, first }))).toEqual([
    { userId: '', size: 5, first: 'e0' },
    { userId: 'ana', size: 100, first: 'e5' },
    { userId: 'ana', size: 50, first: 'e105' },
    { userId: 'ben', size: 20, first: 'e155' },
  ]);
  expect(found.bursts.flatMap((burst) => burst.ids)).toEqual(Array.from({ length: 175 }, (_, i) => `e${i}`));
  expect(found.bySize).toBe(4);
  await context.close();
});
