import { sql } from 'kysely';
import { messageVersion, type Change } from '../../protocol';
import { selectConversations, selectMessages, toConversation, toMessage, toReceipt, type MessageRow } from '../chat/chat-store';
import type { Db } from '../db/connect';
import { perUserKind } from './per-user-kind';
import { KIND } from './sync-cursor';
import { scopedKind, splitPairKey, type SnapshotWalk } from './sync-kind';
import { conversationScope, newestPageFloorOf } from './sync-scopes';

/**
 * The chat kinds of the feed: conversations, their messages and their receipts. Of each
 * conversation the feed carries the newest page of messages it had when the user gained sight of
 * it, then every message after; older pages are read on demand, never synced.
 */

export const conversationKind = scopedKind({
  kind: KIND.conversation,
  scope: conversationScope,
  table: 'conversations',
  alias: 'conversation',
  keyedBy: 'id',
  selectVisible: (db, userId) => selectConversations(db).where(conversationScope.visibleTo(userId, 'cv')),
  selectedAs: 'cv',
  toChange: (row): Change => ({ entity: 'conversation', op: 'upsert', id: row.id, version: Number(row.seq), data: toConversation(row) }),
});

/** Messages of conversations `userId` takes part in and has not deleted for themselves, as chat-store selects them (`m`). */
function visibleMessages(db: Db, userId: string) {
  return selectMessages(db)
    .innerJoin('conversations as conversation', 'conversation.id', 'm.conversationId')
    .where(conversationScope.visibleTo(userId))
    .where(sql<boolean>`not exists (select 1 from hidden_messages hidden where hidden.user_id = ${userId} and hidden.message_id = m.id)`);
}

// Conversation by conversation (key order), each from its newest page's floor: the index on
// (conversation, position) serves every step, and older messages are never read.
const messagesFromNewestPages: SnapshotWalk = {
  readAfter: async (db, userId, afterKey, limit) => {
    const [afterConversation, afterSeqText] = splitPairKey(afterKey);
    const afterSeq = afterSeqText === '' ? -1 : Number(afterSeqText);
    const rows = await visibleMessages(db, userId)
      .where('conversation.id', '>=', afterConversation)
      .where(sql<boolean>`m.seq >= ${newestPageFloorOf(sql.raw('conversation.id'))}`)
      .where((eb) => eb.or([eb('conversation.id', '>', afterConversation), eb('m.seq', '>', afterSeq)]))
      .orderBy('m.conversationId')
      .orderBy('m.seq')
      .limit(limit)
      .execute();
    return rows.map(messageChange);
  },
  keyOf: (change) => (change.entity === 'message' && change.op === 'upsert' ? `${change.data.conversationId}:${change.data.seq}` : change.id),
};

function messageChange(row: MessageRow): Change {
  const message = toMessage(row);
  return { entity: 'message', op: 'upsert', id: message.id, version: messageVersion(message), data: message };
}

export const messageKind = scopedKind({
  kind: KIND.message,
  scope: conversationScope,
  table: 'messages',
  alias: 'message',
  scopeColumn: 'conversation_id',
  keyedBy: 'id',
  // An edit, a delete or a reaction brings an old message again, as it is now.
  changeColumn: 'changed_seq',
  grantedRows: sql`message.seq >= ${newestPageFloorOf(sql.raw('conversation.id'))}`,
  selectVisible: visibleMessages,
  selectedAs: 'm',
  toChange: messageChange,
  snapshot: messagesFromNewestPages,
});

export const receiptKind = perUserKind({
  kind: KIND.receipt,
  entity: 'receipt',
  scope: conversationScope,
  table: 'conversation_receipts',
  alias: 'receipt',
  scopeColumn: 'conversation_id',
  selectVisible: (db, userId) =>
    db
      .selectFrom('conversationReceipts as row')
      .innerJoin('conversations as conversation', 'conversation.id', 'row.conversationId')
      .select(['row.conversationId', 'row.userId', 'row.deliveredSeq', 'row.readSeq', 'row.seq'])
      .where(conversationScope.visibleTo(userId)),
  scopeIdOf: (row) => row.conversationId,
  toData: (row) => toReceipt(row),
});
