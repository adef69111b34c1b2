import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { MessagePhoto, Reaction, type Conversation, type Message, type Receipt } from '../../protocol';
import type { ConversationsTable, Database } from '../db/schema';

/** Reads of conversations, messages and receipts, shared by the chat service, sync feed and sockets. */

type Db = Kysely<Database>;

/**
 * `conversation` (an alias of a conversations row, `cv` unless named) is one `userId` takes part
 * in: a member of its activity, or one of its two people.
 */
export function takesPart(userId: string, conversation = 'cv'): RawBuilder<boolean> {
  // The alias is always a name written in code, never input.
  const column = (name: string) => sql.raw(`${conversation}.${name}`);
  return sql<boolean>`(${column('user_a')} = ${userId} or ${column('user_b')} = ${userId}
    or exists (select 1 from activity_members room_member join activities room_activity on room_activity.id = room_member.activity_id
                where room_member.activity_id = ${column('activity_id')} and room_member.user_id = ${userId} and room_activity.deleted_at is null))`;
}

export type ConversationRow = Selectable<ConversationsTable> & { nameA: string | null; nameB: string | null };

/** Conversations with their direct participants' names, by id. */
export function selectConversations(db: Db) {
  return db
    .selectFrom('conversations as cv')
    .leftJoin('users as ua', 'ua.id', 'cv.userA')
    .leftJoin('users as ub', 'ub.id', 'cv.userB')
    .selectAll('cv')
    .select(['ua.displayName as nameA', 'ub.displayName as nameB']);
}

export function toConversation(row: ConversationRow): Conversation {
  const participants =
    row.kind === 'direct' && row.userA && row.userB
      ? [
          { userId: row.userA, displayName: row.nameA ?? '' },
          { userId: row.userB, displayName: row.nameB ?? '' },
        ]
      : [];
  return { id: row.id, kind: row.kind, activityId: row.activityId, participants, createdAt: row.createdAt };
}

export function selectMessages(db: Db) {
  return db
    .selectFrom('messages as m')
    .innerJoin('users as s', 's.id', 'm.senderId')
    .select([
      'm.id',
      'm.conversationId',
      'm.senderId',
      's.displayName as senderName',
      'm.kind',
      'm.body',
      'm.createdAt',
      'm.seq',
      'm.replyToId',
      'm.editedAt',
      'm.deletedAt',
      'm.reactions',
      'm.changedSeq',
      'm.photo',
    ]);
}

export interface MessageRow extends Pick<Message, 'id' | 'conversationId' | 'senderId' | 'senderName' | 'kind' | 'body' | 'createdAt'> {
  seq: number | string;
  replyToId: string | null;
  editedAt: string | null;
  deletedAt: string | null;
  reactions: string | null;
  changedSeq: number | string;
  photo: string | null;
}

const StoredReactions = Reaction.array();

export function readReactions(json: string | null): Reaction[] {
  return json === null ? [] : StoredReactions.parse(JSON.parse(json));
}

/** A stored message as the contract has it: what it does not have (a quote, an edit, reactions) is left out. */
export function toMessage(row: MessageRow): Message {
  const seq = Number(row.seq);
  const version = Number(row.changedSeq);
  const reactions = readReactions(row.reactions);
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    senderName: row.senderName,
    kind: row.kind,
    body: row.body,
    createdAt: row.createdAt,
    seq,
    ...(row.replyToId !== null ? { replyToId: row.replyToId } : {}),
    ...(row.editedAt !== null ? { editedAt: row.editedAt } : {}),
    ...(row.deletedAt !== null ? { deletedAt: row.deletedAt } : {}),
    ...(reactions.length > 0 ? { reactions } : {}),
    ...(row.photo !== null ? { photo: MessagePhoto.parse(JSON.parse(row.photo)) } : {}),
    ...(version > seq ? { version } : {}),
  };
}

export function toReceipt(row: { conversationId: string; userId: string; deliveredSeq: number | string; readSeq: number | string }): Receipt {
  return { conversationId: row.conversationId, userId: row.userId, deliveredSeq: Number(row.deliveredSeq), readSeq: Number(row.readSeq) };
}

export async function findConversationFor(db: Db, conversationId: string, userId: string): Promise<ConversationRow | undefined> {
  return selectConversations(db).where('cv.id', '=', conversationId).where(takesPart(userId)).executeTakeFirst();
}

/** Every conversation `userId` takes part in (the rooms their sockets join). */
export async function listConversationIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select cv.id from conversations cv where cv.user_a = ${userId} or cv.user_b = ${userId}
    union
    select cv.id from conversations cv join activity_members m on m.activity_id = cv.activity_id
      join activities a on a.id = cv.activity_id
     where m.user_id = ${userId} and a.deleted_at is null`.execute(db);
  return rows.rows.map((row) => row.id);
}

/**
 * Which of `candidates` share a conversation with `userId`: a direct one, or an activity both are
 * members of (its room). Presence is answered only for them (and for oneself).
 */
export async function listPeopleSharingWith(db: Db, userId: string, candidates: readonly string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const them = sql.join(candidates.map((id) => sql`${id}`));
  const rows = await sql<{ userId: string }>`
    select cv.user_b as user_id from conversations cv where cv.user_a = ${userId} and cv.user_b in (${them})
    union
    select cv.user_a as user_id from conversations cv where cv.user_b = ${userId} and cv.user_a in (${them})
    union
    select theirs.user_id from activity_members mine
      join activities a on a.id = mine.activity_id
      join activity_members theirs on theirs.activity_id = mine.activity_id
     where mine.user_id = ${userId} and a.deleted_at is null and theirs.user_id in (${them})`.execute(db);
  return new Set(rows.rows.map((row) => row.userId));
}

/** Everyone who may read `conversationId` (for an activity room, its members). */
export async function listParticipantIds(db: Db, conversation: { activityId: string | null; userA: string | null; userB: string | null }): Promise<string[]> {
  if (conversation.activityId === null) return [conversation.userA, conversation.userB].filter((id): id is string => id !== null);
  const rows = await db.selectFrom('activityMembers').select('userId').where('activityId', '=', conversation.activityId).execute();
  return rows.map((row) => row.userId);
}

export async function readLatestMessageSeq(db: Db, conversationId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('seq').as('latest'))
    .where('conversationId', '=', conversationId)
    .executeTakeFirst();
  return Number(row?.latest ?? 0);
}
