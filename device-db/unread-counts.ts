import type { RallyLocalDb } from './local-db';

/**
 * What counts as unread on this device, for the chat list, the header and the app badge. Here
 * because the page and the worker (which sets the badge after a push) must count alike.
 */

export async function unreadIn(db: RallyLocalDb, me: string, conversationId: string, readSeq?: number): Promise<number> {
  readSeq ??= (await db.receipts.get([conversationId, me]))?.readSeq ?? 0;
  // Everything above the watermark less my own there: counts over index ranges, which IndexedDB
  // answers without handing each message to the page (a filter would walk them one by one).
  const [above, mineAbove] = await Promise.all([
    db.messages
      .where('[conversationId+seq]')
      .between([conversationId, readSeq + 1], [conversationId, Number.MAX_SAFE_INTEGER], true, true)
      .count(),
    db.messages
      .where('[conversationId+senderId+seq]')
      .between([conversationId, me, readSeq + 1], [conversationId, me, Number.MAX_SAFE_INTEGER], true, true)
      .count(),
  ]);
  return above - mineAbove;
}

/** Messages from others after my read watermark, in every conversation (muted ones too: a mute only silences). */
export async function readTotalUnread(db: RallyLocalDb, me: string): Promise<number> {
  // One read transaction for all of it: a count per conversation each in its own transaction
  // queues behind every write, and this re-runs on every receipt and message.
  return db.transaction('r', [db.conversations, db.receipts, db.messages], async () => {
    const ids = await db.conversations.toCollection().primaryKeys();
    // My watermarks in one read; then each conversation counts only what lies above its own.
    const mine = await db.receipts.bulkGet(ids.map((id): [string, string] => [id, me]));
    const counts = await Promise.all(ids.map((id, i) => unreadIn(db, me, id, mine[i]?.readSeq ?? 0)));
    return counts.reduce((sum, count) => sum + count, 0);
  });
}

export async function readUnreadNotifications(db: RallyLocalDb): Promise<number> {
  return db.notifications.filter((row) => row.readAt === null).count();
}

/** The app badge: unread messages plus unread notifications. */
export async function readBadgeCount(db: RallyLocalDb, me: string): Promise<number> {
  const [messages, notifications] = await Promise.all([readTotalUnread(db, me), readUnreadNotifications(db)]);
  return messages + notifications;
}
