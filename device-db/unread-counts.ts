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

/**
 * How often, at most, a live unread count (the header's, the app badge's) runs again while writes
 * keep coming, as in a sync or a replay (src/data/live-query.ts, oneRunAtATime).
 */
export const UNREAD_RECOUNT_GAP_MS = 250;

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
  const above = await db.messages
    .where('[conversationId+seq]')
    .between([conversationId, watermark + 1], [conversationId, Number.MAX_SAFE_INTEGER], true, true)
    .count();
  // Nothing above the watermark is the usual answer (a read or empty conversation): then there is
  // nothing to take away, and the per-sender counts are not asked. A device with a thousand rooms
  // re-counts them on every write of messages, receipts or conversations; these counts were 40 %
  // of the page's CPU during bench/replay's drain, when every replayed create adds a room.
  if (above === 0) return 0;
  const notCounted = await Promise.all([bySender(me), ...[...hiddenSenders].filter((id) => id !== me).map(bySender)]);
  return above - notCounted.reduce((sum, count) => sum + count, 0);
}

/**
 * The conversations that hold at least one message on this device: one step of the messages'
 * `conversationId` index per conversation, so the many rooms nobody has written in cost nothing.
 */
export async function conversationsWithMessages(db: RallyLocalDb): Promise<Set<string>> {
  return new Set((await db.messages.orderBy('conversationId').uniqueKeys()) as string[]);
}

/**
 * Messages from others after my read watermark, in every conversation (muted ones too: a mute only
 * silences). `stillWanted` (see readInPieces) lets a live query give up a recount it no longer needs.
 */
export async function readTotalUnread(db: RallyLocalDb, me: string, stillWanted?: () => boolean): Promise<number> {
  // One read transaction for all of it: a count per conversation each in its own transaction
  // queues behind every write, and this re-runs on every receipt and message.
  return db.transaction('r', [db.conversations, db.receipts, db.messages, db.blockedUsers], async () => {
    const [all, withMessages, blocked] = await Promise.all([db.conversations.toArray(), conversationsWithMessages(db), readBlockedIds(db)]);
    // A conversation with no message has none unread: only the others are asked.
    const conversations = all.filter((conversation) => withMessages.has(conversation.id));
    // My watermarks in one read; then each conversation counts only what lies above its own.
    const mine = await db.receipts.bulkGet(conversations.map((conversation): [string, string] => [conversation.id, me]));
    const counts = await readInPieces(conversations, CONVERSATIONS_PER_TASK, (conversation, i) =>
      unreadIn(db, me, conversation.id, mine[i]?.readSeq ?? 0, conversation.kind === 'direct' ? [] : blocked),
      stillWanted,
    );
    return counts.reduce((sum, count) => sum + count, 0);
  });
}

export async function readUnreadNotifications(db: RallyLocalDb): Promise<number> {
  return db.notifications.filter((row) => row.readAt === null).count();
}

/** The app badge: unread messages across every conversation plus unread notifications. */
export async function readBadgeCount(db: RallyLocalDb, me: string, stillWanted?: () => boolean): Promise<number> {
  const [messages, notifications] = await Promise.all([readTotalUnread(db, me, stillWanted), readUnreadNotifications(db)]);
  return messages + notifications;
}
