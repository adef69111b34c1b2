import type { OutboxEntry, RallyLocalDb } from './local-db';

/**
 * What an optimistic change replaced, and how to put it back. The page writes these rows when it
 * applies a mutation at once (src/outbox/optimistic.ts); whoever settles the server's refusal
 * (the page, or the service worker replaying it) puts them back (outbox-settle.ts).
 */

export type UndoRows = OutboxEntry['undo'];
type Pair = [string, string];

export const optimisticTables = (db: RallyLocalDb) => [
  db.activities,
  db.members,
  db.likes,
  db.checkins,
  db.conversations,
  db.messages,
  db.receipts,
  db.notifications,
  db.userSettings,
  db.conversationSettings,
  db.hiddenMessages,
  db.blockedUsers,
  // Not undone by rows: a sent photo's file waits here with its message, and goes when it is applied or discarded.
  db.pendingPhotos,
];

/**
 * Puts back what an optimistic change replaced, row by row, unless the server has sent a newer
 * row since (then that is the truth and stays).
 */
export async function rollBack(db: RallyLocalDb, undo: UndoRows, options: { restoreRemoved: boolean }): Promise<void> {
  for (const { table, key, row } of [...undo].reverse()) {
    const store = db.table<{ version: number }, string | Pair>(table);
    const current = await store.get(key);
    const before = row as { version: number } | null;
    if (current && current.version > (before?.version ?? 0)) continue;
    // A row that is gone was removed by the server meanwhile (a tombstone), unless removing it was
    // the refused change itself: putting it back would bring a deleted activity back to life.
    if (before && !current && !options.restoreRemoved) continue;
    if (before) await store.put(before);
    else if (current) await store.delete(key);
  }
}
