import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MESSAGE_PAGE_SIZE, pairKey, type Change, type Checkin, type Like, type Member } from '../../protocol';
import { toConversation, toMessage, toReceipt } from '../chat/chat-store';
import type { Database } from '../db/schema';

/** What the snapshot and the log share: who may see what, and rows as feed changes. */

export type Db = Kysely<Database>;

/** `a` (an activities row) is something `userId` may see now. */
export function visible(userId: string): RawBuilder<boolean> {
  return sql<boolean>`(a.deleted_at is null and (a.visibility = 'public' or a.owner_id = ${userId}
    or exists (select 1 from activity_members vm where vm.activity_id = a.id and vm.user_id = ${userId})
    or exists (select 1 from activity_invites vi where vi.activity_id = a.id and vi.user_id = ${userId})))`;
}

/** The position at or above which a conversation's messages are in its newest page (0: it has fewer). */
export function newestPageFloorOf(conversationId: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`coalesce((select fm.seq from messages fm where fm.conversation_id = ${conversationId}
                                order by fm.seq desc limit 1 offset ${MESSAGE_PAGE_SIZE - 1}), 0)`;
}

export function conversationChange(row: Parameters<typeof toConversation>[0]): Change {
  return { entity: 'conversation', op: 'upsert', id: row.id, version: Number(row.seq), data: toConversation(row) };
}

export function messageChange(row: Parameters<typeof toMessage>[0]): Change {
  const message = toMessage(row);
  return { entity: 'message', op: 'upsert', id: message.id, version: message.seq, data: message };
}

export function receiptChange(row: Parameters<typeof toReceipt>[0] & { seq: number | string }): Change {
  const receipt = toReceipt(row);
  return { entity: 'receipt', op: 'upsert', id: pairKey(receipt.conversationId, receipt.userId), version: Number(row.seq), data: receipt };
}

export function checkinChange(row: Checkin & { seq: number }): Change {
  const data: Checkin = { activityId: row.activityId, userId: row.userId, checkedInAt: row.checkedInAt };
  return { entity: 'checkin', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
}

export function memberChange(row: Member & { seq: number }): Change {
  const data: Member = { activityId: row.activityId, userId: row.userId, displayName: row.displayName, role: row.role, joinedAt: row.joinedAt };
  return { entity: 'member', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
}

export function likeChange(row: Like & { seq: number }): Change {
  const data: Like = { activityId: row.activityId, userId: row.userId, createdAt: row.createdAt };
  return { entity: 'like', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
}
