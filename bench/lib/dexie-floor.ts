import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import type { ChangePlan } from '../../device-db/apply-changes';
import { RallyLocalDb } from '../../device-db/local-db';
import { indexMessageText } from '../../device-db/message-search-index';

const require = createRequire(import.meta.url);

/**
 * The rows a plan puts, under the names of the app's tables they go to, as the app stores them:
 * messages with their search terms (worked out here, before the floor's clock starts), so the
 * floor writes the same index entries the app does and the app's cost of finding them shows.
 */
export function rowsByTable(plan: ChangePlan): Record<string, unknown[]> {
  return {
    activities: plan.putActivities,
    members: plan.putMembers,
    likes: plan.putLikes,
    checkins: plan.putCheckins,
    conversations: plan.putConversations,
    messages: plan.putMessages.map(indexMessageText),
    receipts: plan.putReceipts,
  };
}

/**
 * The app's schema as Dexie's `stores()` takes it (primary key, then indexes), read from the
 * app's own database class (constructed, never opened), so the floor's tables keep exactly the
 * app's indexes as they change.
 */
function appSchema(): { version: number; stores: Record<string, string> } {
  const db = new RallyLocalDb('rally-schema-only');
  const stores = Object.fromEntries(db.tables.map((t) => [t.name, [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', ')]));
  return { version: db.verno, stores };
}

export interface FloorTiming {
  totalMs: number;
  /** Time of each table's bulkPut, for telling which table a slow sync loses its time on. */
  byTable: Record<string, number>;
}

/**
 * The floor: the rows the app stores, already in page memory, written with one Dexie bulkPut per
 * table into a database with the app's schema. `page` must allow inline scripts (bypassCSP).
 */
export async function measureFloor(page: Page, rows: Record<string, unknown[]>): Promise<FloorTiming> {
  await page.addScriptTag({ path: require.resolve('dexie/dist/dexie.js') });
  await page.evaluate((tables) => {
    (window as unknown as { floorRows: Record<string, unknown[]> }).floorRows = Object.fromEntries(tables.map((t) => [t, []]));
  }, Object.keys(rows));
  // In slices: one evaluate argument of every row would be one huge serialized message.
  for (const [table, list] of Object.entries(rows)) {
    for (let i = 0; i < list.length; i += 10_000) {
      await page.evaluate(
        ({ table, chunk }) => {
          (window as unknown as { floorRows: Record<string, unknown[]> }).floorRows[table]!.push(...chunk);
        },
        { table, chunk: list.slice(i, i + 10_000) },
      );
    }
  }
  return page.evaluate(async (schema) => {
    const { Dexie, floorRows } = window as unknown as {
      Dexie: new (name: string) => {
        version(n: number): { stores(s: Record<string, string>): void };
        table(name: string): { bulkPut(rows: unknown[]): Promise<unknown> };
        open(): Promise<unknown>;
      };
      floorRows: Record<string, unknown[]>;
    };
    const db = new Dexie('rally-floor');
    db.version(schema.version).stores(schema.stores);
    await db.open();
    const byTable: Record<string, number> = {};
    const started = performance.now();
    for (const [table, list] of Object.entries(floorRows)) {
      if (list.length === 0) continue;
      const tableStarted = performance.now();
      await db.table(table).bulkPut(list);
      byTable[table] = performance.now() - tableStarted;
    }
    return { totalMs: performance.now() - started, byTable };
  }, appSchema());
}

/** How many rows each of `tables` holds in the IndexedDB database `name`, read without Dexie. */
export function countStoredRows(page: Page, name: string, tables: string[]): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ name, tables }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const counts: Record<string, number> = {};
      for (const table of tables) counts[table] = await count(table);
      db.close();
      return counts;
    },
    { name, tables },
  );
}
