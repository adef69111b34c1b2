import { readBlockedIds } from './blocked-people';
import { readInPieces } from './in-pieces';
import type { RallyLocalDb } from './local-db';

/**
 * What counts as unread on this device, for the chat list, the header and the app badge. Here
 * because the page and the worker (which sets the badge after a push) must count alike.
 */

/**
 * Conversations counted per main-thread task. Each asks two or more counts, and asking is work
 * for the page: 200 conversations at once were a task of 30-80 ms, re-run (for the header and
 * the badge) by every write of messages or receipts during a first sync.
 */
export const CONVERSATIONS_PER_TASK = 25;

/** `hiddenSenders`: people whose messages here are hidden (blocked, in a room: see blocked-people.ts). */
export async function unreadIn(db: RallyLocalDb, me: string, conversationId: string, readSeq?: number, hiddenSenders: Iterable<string> = []): Promise<number> {
  const watermark = readSeq ?? (await db.receipts.get([conversationId, me]))?.readSeq ?? 0;
  // Everything above the watermark less my own (and the hidden senders') there: counts over index
  // ranges, which IndexedDB answers without handing each message to the page (a filter would walk
  // them one by one).
  const bySender = (senderId: string) =>
    db.messages
      .where('[conversationId+senderId+seq]')
      .between([conversationId, senderId, watermark + 1], [conversationId, senderId, Number.MAX_SAFE_INTEGER], true, true)
      .count();
  const [above, ...notCounted] = await Promise.all([
    db.messages
      .where('[conversationId+seq]')
      .between([conversationId, watermark + 1], [conversationId, Number.MAX_SAFE_INTEGER], true, true)
      .count(),
    bySender(me),
    ...[...hiddenSenders].filter((id) => id !== me).map(bySender),
  ]);
  return above - notCounted.reduce((sum, count) => sum + count, 0);
}

/** Messages from others after my read watermark, in every conversation (muted ones too: a mute only silences). */
export async function readTotalUnread(db: RallyLocalDb, me: string): Promise<number> {
  // One read transaction for all of it: a count per conversation each in its own transaction
  // queues behind every write, and this re-runs on every receipt and message.
  return db.transaction('r', [db.conversations, db.receipts, db.messages, db.blockedUsers], async () => {
    const [conversations, blocked] = await Promise.all([db.conversations.toArray(), readBlockedIds(db)]);
    // My watermarks in one read; then each conversation counts only what lies above its own.
    const mine = await db.receipts.bulkGet(conversations.map((conversation): [string, string] => [conversation.id, me]));
    const counts = await readInPieces(conversations, CONVERSATIONS_PER_TASK, (conversation, i) =>
      unreadIn(db, me, conversation.id, mine[i]?.readSeq ?? 0, conversation.kind === 'direct' ? [] : blocked),
    );
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
