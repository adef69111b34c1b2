import Dexie from 'dexie';
import { localDbName } from '../device-db/local-db';
import { optimisticTables } from '../device-db/optimistic-undo';
import { settleOutcome } from '../device-db/outbox-settle';
import { withUserDb } from './push-store';

/**
 * The worker's answers to replayed mutations go where the page reads every outcome: the outbox
 * entries in their user's device database, settled by the page's own rules
 * (device-db/outbox-settle.ts). Open pages hear of it through Dexie's live queries; a page opened
 * later finds it done. A batch replay lets go of its requests only after their answers are written
 * here, so a worker killed in between sends them again and the server answers as the first time.
 * (The one-at-a-time replay takes a request off the queue as it sends it: killed before the write,
 * the entry stays pending on the page, which sends it again once the worker holds nothing.)
 */

export interface Settlement {
  clientId: string;
  mutationId: number;
  outcome: 'applied' | 'rejected' | 'failed';
  body: unknown;
}

/**
 * Settles answers to `userId`'s mutations, in order. Answers for a device database that is gone
 * (its user signed out) or belongs to another sender (signed out and in again: a new client id)
 * have nobody to tell, and are dropped.
 */
export async function settleInDevice(userId: string, settlements: readonly Settlement[]): Promise<void> {
  if (settlements.length === 0) return;
  // Opening a database that is gone would make an empty one in its place.
  if (!(await Dexie.exists(localDbName(userId)))) return;
  await withUserDb(userId, (db) =>
    // One transaction for a whole batch's answers: a page reading meanwhile sees all or none.
    db.transaction('rw', [db.clientState, db.outbox, ...optimisticTables(db)], async () => {
      const clientId = (await db.clientState.get('client'))?.clientId;
      for (const settlement of settlements) {
        if (settlement.clientId === clientId) await settleOutcome(db, settlement.mutationId, settlement.outcome, settlement.body);
      }
    }),
  );
}

/** A write queued by an older Rally that named no writer: its sender id says whose device it was. */
export async function settleInAnyDevice(settlement: Settlement): Promise<void> {
  const prefix = localDbName('');
  const names = await Dexie.getDatabaseNames().catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix)) await settleInDevice(name.slice(prefix.length), [settlement]);
  }
}
