import type { Kysely } from 'kysely';
import {
  applyReaction,
  PhotoType,
  DELETED_MESSAGE_TEXT,
  directConversationId,
  isHostRole,
  type SendableMessageKind,
  type MessagePhoto,
  type Conversation,
  type Message,
  type MessagesPage,
  type Receipt,
  type Resolution,
} from '../../protocol';
import type { ChangeStamp } from '../activities/activity-events';
import type { Viewer } from '../auth/authenticate';
import { findMemberRole, isRemovedFrom } from '../db/activities-store';
import { takeNextSeq } from '../db/change-sequence';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { isDirectConversationOf } from '../domain/direct-conversation';
import { decideMessageWrite, type MessageWrite } from '../domain/message-rules';
import { AppError, notFound } from '../http/app-error';
import { blockBetween, listBlockedEitherWay } from '../safety/blocks-store';
import type { ChatEvents } from './chat-events';
import {
  findConversationFor,
  listPeopleSharingWith,
  readLatestMessageSeq,
  readReactions,
  selectConversations,
  selectMessages,
  toConversation,
  toMessage,
  toReceipt,
  type ConversationRow,
  type MessageRow,
} from './chat-store';

type Trx = Kysely<Database>;

export interface SendMessageInput {
  id: string;
  conversationId: string;
  body: string;
  kind: SendableMessageKind;
  replyToId?: string | undefined;
  photo?: MessagePhoto | undefined;
}

export interface ChatService {
  send(
    viewer: Viewer,
    input: SendMessageInput,
  ): Promise<{ message: Message; resolution: Resolution }>;
  /** The author's new text; refused once the message is deleted for everyone. */
  edit(viewer: Viewer, input: { id: string; body: string }): Promise<{ message: Message; resolution: Resolution }>;
  /** Delete for everyone: the text, quote and reactions go; a tombstone stays in their place. */
  deleteForEveryone(viewer: Viewer, input: { id: string }): Promise<{ message: Message; resolution: Resolution }>;
  /** Delete for me: gone from the viewer's devices, and left out of everything they read later. */
  hide(viewer: Viewer, input: { id: string }): Promise<{ resolution: Resolution }>;
  react(viewer: Viewer, input: { id: string; emoji: string; on: boolean }): Promise<{ message: Message; resolution: Resolution }>;
  openDirect(viewer: Viewer, input: { id: string; peerId: string }): Promise<{ conversation: Conversation; resolution: Resolution }>;
  /** Moves the viewer's watermarks forward (never back, never past the newest message). */
  updateReceipt(viewer: Viewer, input: { conversationId: string; deliveredSeq?: number | undefined; readSeq?: number | undefined }): Promise<Receipt>;
  olderMessages(viewer: Viewer, conversationId: string, before: number, limit: number): Promise<MessagesPage>;
  /** The conversation if the viewer takes part in it, else a 404 (which does not reveal that it exists). */
  requireConversation(viewer: Viewer, conversationId: string): Promise<ConversationRow>;
  /** Those of `userIds` the viewer may know the presence of: themselves and whoever shares a conversation with them. */
  presenceVisibleTo(viewer: Viewer, userIds: readonly string[]): Promise<Set<string>>;
  /** Everyone the viewer blocks or is blocked by: their presence and typing never reach each other. */
  blockedEitherWay(viewer: Viewer): Promise<string[]>;
}

/**
 * Chat writes. Like activity writes, each takes its change position first (see `takeNextSeq`) and
 * runs inside an outer transaction when there is one (a mutation's), reporting events after commit.
 */
export function createChatService(deps: { db: Db; events: ChatEvents; now: () => Date }): ChatService {
  const { db, events, now } = deps;

  async function write<T>(work: (trx: Trx, stamp: ChangeStamp) => Promise<T>): Promise<{ result: T; stamp: ChangeStamp }> {
    const run = async (trx: Trx) => {
      const stamp = { seq: await takeNextSeq(trx), at: now().toISOString() };
      return { result: await work(trx, stamp), stamp };
    };
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  }

  /**
   * Two people one of whom blocked the other have no direct conversation: neither may open it or
   * write in it. The blocked person learns only that they cannot; the blocker is told to unblock.
   */
  async function refuseIfBlocked(viewer: Viewer, peerId: string): Promise<void> {
    const { aBlocksB: iBlock, bBlocksA: blocksMe } = await blockBetween(db, viewer.id, peerId);
    if (iBlock) throw new AppError('blocked', 'You blocked this person. Unblock them to send messages.');
    if (blocksMe) throw new AppError('blocked', 'You can’t message this person.');
  }

  async function requireConversation(viewer: Viewer, conversationId: string): Promise<ConversationRow> {
    const conversation = await findConversationFor(db, conversationId, viewer.id);
    if (conversation) return conversation;
    // An activity room's id is its activity's: someone a host removed is told so (they knew the
    // room), where anyone else learns nothing.
    if (await isRemovedFrom(db, conversationId, viewer.id)) throw new AppError('removed_from_activity', 'You were removed from this activity');
    throw notFound('Conversation');
  }

  /** A message the viewer may see (in a conversation they take part in, not hidden by them), else a 404. */
  async function requireMessage(viewer: Viewer, id: string, trx: Trx = db, options: { evenHidden?: boolean } = {}): Promise<MessageRow> {
    let query = selectMessages(trx).where('m.id', '=', id);
    if (!options.evenHidden) {
      query = query.where((eb) =>
        eb.not(eb.exists(eb.selectFrom('hiddenMessages as h').select('h.messageId').where('h.userId', '=', viewer.id).whereRef('h.messageId', '=', 'm.id'))),
      );
    }
    const row = await query.executeTakeFirst();
    if (!row || !(await findConversationFor(trx, row.conversationId, viewer.id))) throw notFound('Message');
    return row;
  }

  /**
   * One change of a message: the position is taken first, so the message is read under the change
   * sequence's lock and every rule sees the state the change lands on (a delete that committed a
   * moment ago refuses this edit). A refusal rolls the position back with the rest.
   */
  async function changeMessage(
    viewer: Viewer,
    id: string,
    kind: MessageWrite,
    change: (row: MessageRow, stamp: ChangeStamp) => Record<string, unknown> | null,
  ): Promise<{ message: Message; resolution: Resolution }> {
    await requireMessage(viewer, id);
    const { result, stamp } = await write(async (trx, stamp) => {
      const row = await requireMessage(viewer, id, trx);
      // A room's hosts moderate it: an activity room has its activity's id, a direct one has no members.
      const moderates = kind === 'delete' && row.senderId !== viewer.id && isHostRole((await findMemberRole(trx, row.conversationId, viewer.id)) ?? undefined);
      const decision = decideMessageWrite(kind, row, { userId: viewer.id, moderates }, new Date(stamp.at));
      if (decision.outcome === 'refuse') throw new AppError(decision.code, decision.message);
      const values = decision.outcome === 'apply' ? change(row, stamp) : null;
      if (values === null) return { message: toMessage(row), changed: false };
      await trx
        .updateTable('messages')
        .set({ ...values, changedSeq: stamp.seq })
        .where('id', '=', id)
        .execute();
      return { message: toMessage(await requireMessage(viewer, id, trx)), changed: true };
    });
    if (!result.changed) return { message: result.message, resolution: 'unchanged' };
    await events.messageChanged(result.message, stamp);
    return { message: result.message, resolution: 'applied' };
  }

  /**
   * A message may name only a photo whose file is stored (the page uploads it first). The type is
   * the one the server found in the bytes, whatever the page said.
   */
  async function requireStoredPhoto(photo: MessagePhoto): Promise<MessagePhoto> {
    const stored = await db.selectFrom('photos').select('type').where('hash', '=', photo.hash).executeTakeFirst();
    if (!stored) throw new AppError('photo_missing', 'The photo was not uploaded; upload it, then send again', { fields: { photo: 'was not uploaded' } });
    return { ...photo, type: PhotoType.parse(stored.type) };
  }

  /**
   * The text of a deleted message lives on in two more places: the pushes made for it (their
   * payload carries the message; one not sent yet is no longer sent) and an announcement's
   * notifications. Same transaction as the delete.
   */
  async function forgetText(message: MessageRow): Promise<void> {
    await db.deleteFrom('pushOutbox').where('payload', 'like', `%${message.id}%`).execute();
    if (message.kind !== 'announcement') return;
    await db
      .updateTable('notifications')
      .set({ body: DELETED_MESSAGE_TEXT })
      .where('conversationId', '=', message.conversationId)
      .where('actorId', '=', message.senderId)
      .where('kind', '=', 'announcement')
      .where('body', '=', message.body)
      .execute();
  }

  return {
    requireConversation,

    edit(viewer, input) {
      return changeMessage(viewer, input.id, 'edit', (row, { at }) => (row.body === input.body ? null : { body: input.body, editedAt: at }));
    },

    async deleteForEveryone(viewer, input) {
      const before = await requireMessage(viewer, input.id);
      const result = await changeMessage(viewer, input.id, 'delete', (_row, { at }) => ({ body: '', deletedAt: at, editedAt: null, reactions: null, replyToId: null, photo: null, photoHash: null }));
      if (result.resolution === 'applied') await forgetText(before);
      return result;
    },

    react(viewer, input) {
      return changeMessage(viewer, input.id, 'react', (row) => {
        const before = readReactions(row.reactions);
        const after = applyReaction(before, { emoji: input.emoji, userId: viewer.id, displayName: viewer.displayName }, input.on);
        if (after === before) return null;
        return { reactions: after.length > 0 ? JSON.stringify(after) : null };
      });
    },

    async hide(viewer, input) {
      // Another device of theirs may have hidden it already: that is no error.
      const row = await requireMessage(viewer, input.id, db, { evenHidden: true });
      const { result: inserted, stamp } = await write(async (trx, { seq, at }) => {
        const done = await trx
          .insertInto('hiddenMessages')
          .values({ userId: viewer.id, messageId: row.id, conversationId: row.conversationId, hiddenAt: at, seq })
          .onConflict((oc) => oc.columns(['userId', 'messageId']).doNothing())
          .executeTakeFirst();
        return Number(done.numInsertedOrUpdatedRows ?? 0n) > 0;
      });
      if (!inserted) return { resolution: 'unchanged' };
      await events.messageHidden(viewer.id, stamp);
      return { resolution: 'applied' };
    },

    blockedEitherWay: (viewer) => listBlockedEitherWay(db, viewer.id),

    async presenceVisibleTo(viewer, userIds) {
      const visible = await listPeopleSharingWith(db, viewer.id, userIds.filter((id) => id !== viewer.id));
      // A block, either way, shares no presence.
      if (visible.size > 0) for (const id of await listBlockedEitherWay(db, viewer.id)) visible.delete(id);
      if (userIds.includes(viewer.id)) visible.add(viewer.id);
      return visible;
    },

    async send(viewer, input) {
      const conversation = await requireConversation(viewer, input.conversationId);
      if (conversation.kind === 'direct') {
        const peerId = conversation.userA === viewer.id ? conversation.userB : conversation.userA;
        if (peerId) await refuseIfBlocked(viewer, peerId);
      }
      if (input.kind === 'announcement') {
        const role = conversation.activityId ? await findMemberRole(db, conversation.activityId, viewer.id) : null;
        if (!isHostRole(role ?? undefined)) throw new AppError('host_only', 'Only the organizer and co-hosts can post announcements');
      }
      if (input.replyToId !== undefined) {
        const quoted = await db.selectFrom('messages').select('id').where('id', '=', input.replyToId).where('conversationId', '=', input.conversationId).executeTakeFirst();
        if (!quoted) throw new AppError('invalid_input', 'The quoted message is not in this conversation', { fields: { replyToId: 'is not a message of this conversation' } });
      }
      const photo = input.photo === undefined ? undefined : await requireStoredPhoto(input.photo);
      const existing = await selectMessages(db).where('m.id', '=', input.id).executeTakeFirst();
      if (existing) {
        // The same message sent again (a retry under a new mutation id): it is already there.
        if (existing.senderId === viewer.id && existing.conversationId === input.conversationId) {
          return { message: toMessage(existing), resolution: 'unchanged' };
        }
        throw new AppError('conflict', 'A message with this id already exists', { fields: { id: 'is taken' } });
      }
      const { result: message, stamp } = await write(async (trx, { seq, at }) => {
        await trx
          .insertInto('messages')
          .values({
            id: input.id,
            conversationId: input.conversationId,
            senderId: viewer.id,
            kind: input.kind,
            body: input.body,
            createdAt: at,
            seq,
            changedSeq: seq,
            replyToId: input.replyToId ?? null,
            editedAt: null,
            deletedAt: null,
            reactions: null,
            photo: photo === undefined ? null : JSON.stringify(photo),
            photoHash: photo?.hash ?? null,
          })
          .execute();
        // The sender has read (and received) what they sent.
        await advanceReceipt(trx, input.conversationId, viewer.id, { deliveredSeq: seq, readSeq: seq }, seq);
        const message: Message = {
          id: input.id,
          conversationId: input.conversationId,
          senderId: viewer.id,
          senderName: viewer.displayName,
          kind: input.kind,
          body: input.body,
          createdAt: at,
          seq,
          ...(input.replyToId !== undefined ? { replyToId: input.replyToId } : {}),
          ...(photo !== undefined ? { photo } : {}),
        };
        return message;
      });
      await events.messageSent(message, stamp);
      return { message, resolution: 'applied' };
    },

    async openDirect(viewer, input) {
      if (input.peerId === viewer.id) throw new AppError('invalid_input', 'A direct conversation needs another person', { fields: { peerId: 'is you' } });
      if (input.id !== (await directConversationId(viewer.id, input.peerId))) {
        throw new AppError('invalid_input', 'This is not the id of your conversation with that person', { fields: { id: 'does not match the pair' } });
      }
      const peer = await db.selectFrom('users').select('id').where('id', '=', input.peerId).executeTakeFirst();
      if (!peer) throw new AppError('invalid_input', 'No such user', { fields: { peerId: 'is not a Rally user' } });
      await refuseIfBlocked(viewer, input.peerId);
      const [userA, userB] = [viewer.id, input.peerId].sort() as [string, string];
      // The id is known to anyone who knows the pair, so the row behind it must be checked to be
      // theirs: a row made under it before activity ids had to be random is no direct chat.
      const requirePair = (row: ConversationRow): ConversationRow => {
        if (isDirectConversationOf(row, [userA, userB])) return row;
        throw new AppError('conflict', 'This id belongs to another conversation', { fields: { id: 'is taken by another conversation' } });
      };
      const found = await selectConversations(db).where('cv.id', '=', input.id).executeTakeFirst();
      if (found) return { conversation: toConversation(requirePair(found)), resolution: 'unchanged' };
      const { result: row, stamp } = await write(async (trx, { seq, at }) => {
        await trx
          .insertInto('conversations')
          .values({ id: input.id, kind: 'direct', activityId: null, userA, userB, createdAt: at, seq })
          // The other person opened it at the same moment: theirs stands.
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        return requirePair(await selectConversations(trx).where('cv.id', '=', input.id).executeTakeFirstOrThrow());
      });
      const conversation = toConversation(row);
      await events.conversationOpened(conversation, [userA, userB], stamp);
      return { conversation, resolution: 'applied' };
    },

    async updateReceipt(viewer, input) {
      await requireConversation(viewer, input.conversationId);
      const latest = await readLatestMessageSeq(db, input.conversationId);
      const current = await db
        .selectFrom('conversationReceipts')
        .selectAll()
        .where('conversationId', '=', input.conversationId)
        .where('userId', '=', viewer.id)
        .executeTakeFirst();
      const before = current ? toReceipt(current) : { conversationId: input.conversationId, userId: viewer.id, deliveredSeq: 0, readSeq: 0 };
      const wanted = {
        deliveredSeq: Math.min(latest, Math.max(input.deliveredSeq ?? 0, input.readSeq ?? 0)),
        readSeq: Math.min(latest, input.readSeq ?? 0),
      };
      if (wanted.deliveredSeq <= before.deliveredSeq && wanted.readSeq <= before.readSeq) return before;
      const { result: receipt, stamp } = await write((trx, { seq }) => advanceReceipt(trx, input.conversationId, viewer.id, wanted, seq));
      await events.receiptChanged(receipt, stamp);
      return receipt;
    },

    async olderMessages(viewer, conversationId, before, limit) {
      await requireConversation(viewer, conversationId);
      const rows = await selectMessages(db)
        .where('m.conversationId', '=', conversationId)
        .where('m.seq', '<', before)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('hiddenMessages as h').select('h.messageId').where('h.userId', '=', viewer.id).whereRef('h.messageId', '=', 'm.id'))))
        .orderBy('m.seq', 'desc')
        .limit(limit + 1)
        .execute();
      return { messages: rows.slice(0, limit).map(toMessage).reverse(), hasMore: rows.length > limit };
    },
  };
}

/** Raises one member's watermarks to at least `to` (a read message is also delivered; the caller has read their call's line). */
export async function advanceReceipt(
  trx: Trx,
  conversationId: string,
  userId: string,
  to: { deliveredSeq: number; readSeq: number },
  seq: number,
): Promise<Receipt> {
  const deliveredSeq = Math.max(to.deliveredSeq, to.readSeq);
  await trx
    .insertInto('conversationReceipts')
    .values({ conversationId, userId, deliveredSeq, readSeq: to.readSeq, seq })
    .onConflict((oc) =>
      oc.columns(['conversationId', 'userId']).doUpdateSet((eb) => ({
        deliveredSeq: eb.case().when('conversationReceipts.deliveredSeq', '<', deliveredSeq).then(deliveredSeq).else(eb.ref('conversationReceipts.deliveredSeq')).end(),
        readSeq: eb.case().when('conversationReceipts.readSeq', '<', to.readSeq).then(to.readSeq).else(eb.ref('conversationReceipts.readSeq')).end(),
        seq,
      })),
    )
    .execute();
  const row = await trx
    .selectFrom('conversationReceipts')
    .selectAll()
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return toReceipt(row);
}
