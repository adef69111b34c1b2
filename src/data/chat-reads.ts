import type { Conversation, Receipt } from '../../protocol';
import { isHostRole } from '../../protocol/roles';
import type { LocalMessage, RallyLocalDb } from '../../device-db/local-db';
import { isHiddenByBlock, readBlockedIds } from '../../device-db/blocked-people';
import { readInPieces } from '../../device-db/in-pieces';
import { conversationsWithMessages, CONVERSATIONS_PER_TASK, unreadIn } from '../../device-db/unread-counts';

export { readTotalUnread } from '../../device-db/unread-counts';

/** Reads of chat from the device's database, shaped for screens (run inside live queries). */

export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read';

/**
 * Where one of my messages stands with the others in its conversation: read once every other
 * member's read watermark reaches it, delivered once every other member's delivered watermark
 * does, sent once the server has it. `readBy` counts who has read it (for rooms).
 */
export function deliveryStateOf(message: Pick<LocalMessage, 'seq'>, others: readonly Pick<Receipt, 'deliveredSeq' | 'readSeq'>[]): { state: DeliveryState; readBy: number } {
  if (message.seq === 0) return { state: 'pending', readBy: 0 };
  const readBy = others.filter((receipt) => receipt.readSeq >= message.seq).length;
  if (others.length === 0) return { state: 'sent', readBy };
  if (readBy === others.length) return { state: 'read', readBy };
  if (others.every((receipt) => receipt.deliveredSeq >= message.seq)) return { state: 'delivered', readBy };
  return { state: 'sent', readBy };
}

/** Messages from others after my read watermark. */
export function countUnread(messages: readonly Pick<LocalMessage, 'senderId' | 'seq'>[], me: string, readSeq: number): number {
  return messages.filter((message) => message.seq > readSeq && message.senderId !== me).length;
}

/** Server messages in order, then this device's pending ones in the order they were written. */
export function inDisplayOrder<M extends Pick<LocalMessage, 'seq' | 'createdAt'>>(messages: readonly M[]): M[] {
  const sent = messages.filter((message) => message.seq > 0).sort((a, b) => a.seq - b.seq);
  const pending = messages.filter((message) => message.seq === 0).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return [...sent, ...pending];
}

export interface ConversationSummary {
  conversation: Conversation;
  title: string;
  /** The other person in a direct conversation. */
  peer: { userId: string; displayName: string } | null;
  last: LocalMessage | null;
  unread: number;
}

const ALL_SEQS = (conversationId: string) => [
  [conversationId, 0],
  [conversationId, Number.MAX_SAFE_INTEGER],
] as const;

export function peerOf(conversation: Conversation, me: string) {
  return conversation.kind === 'direct' ? (conversation.participants.find((p) => p.userId !== me) ?? null) : null;
}

/** What a conversation is called on this device: the other person's name, or the activity's title. */
export async function titleOf(db: RallyLocalDb, conversation: Conversation, me: string): Promise<string> {
  if (conversation.kind === 'direct') return peerOf(conversation, me)?.displayName || 'Direct conversation';
  const activity = conversation.activityId ? await db.activities.get(conversation.activityId) : undefined;
  return activity?.title ?? 'Activity chat';
}

export async function readConversationSummaries(db: RallyLocalDb, me: string, stillWanted?: () => boolean): Promise<ConversationSummary[]> {
  // One read transaction for all of it, as in readTotalUnread.
  const summaries = await db.transaction('r', [db.conversations, db.receipts, db.messages, db.activities, db.blockedUsers], async () => {
    const [conversations, withMessages, blocked] = await Promise.all([db.conversations.toArray(), conversationsWithMessages(db), readBlockedIds(db)]);
    // A piece at a time, as the unread counts are (see CONVERSATIONS_PER_TASK).
    return readInPieces(conversations, CONVERSATIONS_PER_TASK, async (conversation) => {
      // A room nobody has written in yet has no last message and nothing unread: not asked.
      if (!withMessages.has(conversation.id)) return { conversation, title: await titleOf(db, conversation, me), peer: peerOf(conversation, me), last: null, unread: 0 };
      const [lower, upper] = ALL_SEQS(conversation.id);
      const messages = db.messages.where('[conversationId+seq]').between(lower, upper, true, true);
      const last =
        (blocked.size === 0
          ? await messages.last()
          : await messages.reverse().filter((message) => !isHiddenByBlock(conversation, message.senderId, blocked)).first()) ?? null;
      return {
        conversation,
        title: await titleOf(db, conversation, me),
        peer: peerOf(conversation, me),
        last,
        unread: await unreadIn(db, me, conversation.id, undefined, conversation.kind === 'direct' ? [] : blocked),
      };
    }, stillWanted);
  });
  const lastAt = (summary: ConversationSummary) => summary.last?.createdAt ?? summary.conversation.createdAt;
  return summaries.sort((a, b) => (lastAt(a) < lastAt(b) ? 1 : lastAt(a) > lastAt(b) ? -1 : 0));
}

export interface ConversationView {
  conversation: Conversation;
  title: string;
  peer: { userId: string; displayName: string } | null;
  messages: LocalMessage[];
  /** Other members' watermarks. */
  others: Receipt[];
  myReadSeq: number;
  /** The people in it (for a room: the activity's members). */
  memberCount: number;
  checkinCount: number | null;
  /** Whether I host this room (its organizer or a co-host): I may announce and delete anyone's message. */
  isHost: boolean;
}

export async function readConversation(db: RallyLocalDb, me: string, conversationId: string): Promise<ConversationView | null> {
  const conversation = await db.conversations.get(conversationId);
  if (!conversation) return null;
  const [lower, upper] = ALL_SEQS(conversationId);
  const [stored, receipts, activity, blocked] = await Promise.all([
    db.messages.where('[conversationId+seq]').between(lower, upper, true, true).toArray(),
    db.receipts.where('conversationId').equals(conversationId).toArray(),
    conversation.activityId ? db.activities.get(conversation.activityId) : undefined,
    readBlockedIds(db),
  ]);
  const members = conversation.kind === 'direct' ? [] : await db.members.where('activityId').equals(conversationId).toArray();
  const memberIds = conversation.kind === 'direct' ? conversation.participants.map((p) => p.userId) : members.map((member) => member.userId);
  // Blocked people's messages in a shared room are not shown here (the server still sends them: an unblock brings them back).
  const messages = blocked.size === 0 ? stored : stored.filter((message) => !isHiddenByBlock(conversation, message.senderId, blocked));
  const others: Receipt[] = receipts.filter((receipt) => receipt.userId !== me && memberIds.includes(receipt.userId));
  // Members who never sent a receipt have received nothing yet.
  for (const userId of memberIds) {
    if (userId !== me && !others.some((receipt) => receipt.userId === userId)) others.push({ conversationId, userId, deliveredSeq: 0, readSeq: 0 });
  }
  return {
    conversation,
    title: await titleOf(db, conversation, me),
    peer: peerOf(conversation, me),
    messages: inDisplayOrder(messages),
    others,
    myReadSeq: receipts.find((receipt) => receipt.userId === me)?.readSeq ?? 0,
    memberCount: memberIds.length,
    checkinCount: activity ? activity.checkinCount : null,
    isHost: activity?.ownerId === me || isHostRole(members.find((member) => member.userId === me)?.role),
  };
}

/** The newest announcement in a conversation that is still there (a host may delete one), if any. */
export async function readLatestAnnouncement(db: RallyLocalDb, conversationId: string): Promise<LocalMessage | undefined> {
  const [lower, upper] = ALL_SEQS(conversationId);
  return db.messages
    .where('[conversationId+seq]')
    .between(lower, upper, true, true)
    .reverse()
    .filter((message) => message.kind === 'announcement' && message.deletedAt === undefined)
    .first();
}
