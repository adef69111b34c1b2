import { applyReaction, type Mutation } from '../../protocol';
import { toLocalActivity } from '../../device-db/apply-changes';
import type { LocalActivity, RallyLocalDb } from '../../device-db/local-db';
import type { UndoRows } from '../../device-db/optimistic-undo';
import { applyOwnOptimistic, isOwnSettingsMutation } from './optimistic-own';

type Pair = [string, string];

/**
 * A mutation applied to the device's database at once, before the server has it. Optimistic
 * rows keep the version they had (or 0 when new), so anything the server sends wins over them.
 * Returns the rows as they were, to put back if the server refuses. Runs inside the caller's
 * transaction (see `optimisticTables` in device-db/optimistic-undo.ts).
 */

export async function applyOptimistic(db: RallyLocalDb, me: { userId: string; displayName: string }, mutation: Mutation, now: string): Promise<UndoRows> {
  const undo: UndoRows = [];
  if (isOwnSettingsMutation(mutation)) return applyOwnOptimistic(db, me.userId, mutation, now);
  if (mutation.name === 'message.send') {
    const { id, conversationId, body, kind, replyToId, photo } = mutation.args;
    // Shown at once with a pending mark (seq 0); the server's copy replaces it under the same id.
    undo.push({ table: 'messages', key: id, row: (await db.messages.get(id)) ?? null });
    await db.messages.put({
      id,
      conversationId,
      senderId: me.userId,
      senderName: me.displayName,
      kind,
      body,
      createdAt: now,
      seq: 0,
      version: 0,
      ...(replyToId !== undefined ? { replyToId } : {}),
      ...(photo !== undefined ? { photo } : {}),
    });
    return undo;
  }
  if (mutation.name === 'message.edit' || mutation.name === 'message.delete' || mutation.name === 'message.hide' || mutation.name === 'message.react') {
    return applyMessageChange(db, me, mutation, now);
  }
  if (mutation.name === 'conversation.open') {
    const { id, peerId } = mutation.args;
    const existing = await db.conversations.get(id);
    if (existing) return undo;
    undo.push({ table: 'conversations', key: id, row: null });
    const peerName = (await db.members.where('userId').equals(peerId).first())?.displayName ?? '';
    await db.conversations.put({
      id,
      kind: 'direct',
      activityId: null,
      participants: [
        { userId: me.userId, displayName: me.displayName },
        { userId: peerId, displayName: peerName },
      ],
      createdAt: now,
      version: 0,
    });
    return undo;
  }
  const id = mutation.args.id;
  const mine: Pair = [id, me.userId];
  const activity = await db.activities.get(id);
  const remember = (table: UndoRows[number]['table'], key: string | Pair, row: unknown) => undo.push({ table, key, row: row ?? null });

  switch (mutation.name) {
    case 'activity.create': {
      const { fields } = mutation.args;
      remember('activities', id, activity);
      remember('members', mine, await db.members.get(mine));
      await db.activities.put(
        toLocalActivity({
          id,
          ownerId: me.userId,
          ownerName: me.displayName,
          title: fields.title,
          description: fields.description,
          location: fields.location,
          startsAt: fields.startsAt,
          endsAt: fields.endsAt,
          capacity: fields.capacity,
          visibility: fields.visibility,
          memberCount: 1,
          likeCount: 0,
          checkinCount: 0,
          createdAt: now,
          updatedAt: now,
          version: 0,
        }),
      );
      await db.members.put({ activityId: id, userId: me.userId, displayName: me.displayName, role: 'owner', joinedAt: now, version: 0 });
      return undo;
    }
    case 'activity.update': {
      if (!activity) return undo;
      remember('activities', id, activity);
      const changes = Object.fromEntries(Object.entries(mutation.args.changes).filter(([, value]) => value !== undefined));
      await db.activities.put(toLocalActivity({ ...withoutSearch(activity), ...(changes as Partial<LocalActivity>), updatedAt: now }));
      return undo;
    }
    case 'activity.delete': {
      if (!activity) return undo;
      remember('activities', id, activity);
      for (const row of await db.members.where('activityId').equals(id).toArray()) remember('members', [id, row.userId], row);
      for (const row of await db.likes.where('activityId').equals(id).toArray()) remember('likes', [id, row.userId], row);
      for (const row of await db.checkins.where('activityId').equals(id).toArray()) remember('checkins', [id, row.userId], row);
      await Promise.all([
        db.activities.delete(id),
        db.members.where('activityId').equals(id).delete(),
        db.likes.where('activityId').equals(id).delete(),
        db.checkins.where('activityId').equals(id).delete(),
      ]);
      return undo;
    }
    case 'activity.like':
    case 'activity.unlike': {
      const on = mutation.name === 'activity.like';
      const like = await db.likes.get(mine);
      if (!activity || (like !== undefined) === on) return undo;
      remember('activities', id, activity);
      remember('likes', mine, like);
      await db.activities.update(id, { likeCount: Math.max(0, activity.likeCount + (on ? 1 : -1)) });
      if (on) await db.likes.put({ activityId: id, userId: me.userId, createdAt: now, version: 0 });
      else await db.likes.delete(mine);
      return undo;
    }
    case 'activity.join':
    case 'activity.leave': {
      const on = mutation.name === 'activity.join';
      const member = await db.members.get(mine);
      if (!activity || (member !== undefined) === on) return undo;
      remember('activities', id, activity);
      remember('members', mine, member);
      await db.activities.update(id, { memberCount: Math.max(0, activity.memberCount + (on ? 1 : -1)) });
      if (on) await db.members.put({ activityId: id, userId: me.userId, displayName: me.displayName, role: 'member', joinedAt: now, version: 0 });
      else await db.members.delete(mine);
      return undo;
    }
    case 'activity.setRole': {
      const target: Pair = [id, mutation.args.userId];
      const member = await db.members.get(target);
      if (!member || member.role === 'owner' || member.role === mutation.args.role) return undo;
      remember('members', target, member);
      // The row keeps its version: the server's copy (answer, event or feed) replaces it.
      await db.members.put({ ...member, role: mutation.args.role });
      return undo;
    }
    case 'activity.removeMember': {
      const target: Pair = [id, mutation.args.userId];
      const member = await db.members.get(target);
      if (!activity || !member || member.role === 'owner') return undo;
      remember('activities', id, activity);
      remember('members', target, member);
      await db.activities.update(id, { memberCount: Math.max(0, activity.memberCount - 1) });
      await db.members.delete(target);
      return undo;
    }
    case 'activity.checkin': {
      const checkin = await db.checkins.get(mine);
      if (!activity || checkin) return undo;
      remember('activities', id, activity);
      remember('checkins', mine, checkin);
      await db.activities.update(id, { checkinCount: activity.checkinCount + 1 });
      await db.checkins.put({ activityId: id, userId: me.userId, checkedInAt: now, version: 0 });
      return undo;
    }
  }
}

function withoutSearch(activity: LocalActivity) {
  const { searchText: _searchText, ...plain } = activity;
  return plain;
}

/**
 * An edit, a delete, a hide or a reaction, shown at once. The row keeps its version, so the
 * server's copy (the answer, an event, the feed) replaces it: a refused edit of a message deleted
 * meanwhile ends as the server's tombstone, and an edit that lost to a later one as the winner.
 */
type MessageChange = Extract<Mutation, { name: 'message.edit' | 'message.delete' | 'message.hide' | 'message.react' }>;

async function applyMessageChange(db: RallyLocalDb, me: { userId: string; displayName: string }, mutation: MessageChange, now: string): Promise<UndoRows> {
  const { id } = mutation.args;
  const message = await db.messages.get(id);
  if (!message) return [];
  const undo: UndoRows = [{ table: 'messages', key: id, row: message }];
  switch (mutation.name) {
    case 'message.edit':
      if (message.deletedAt === undefined) await db.messages.put({ ...message, body: mutation.args.body, editedAt: now });
      return undo;
    case 'message.delete': {
      const { editedAt: _editedAt, reactions: _reactions, replyToId: _replyToId, photo: _photo, ...rest } = message;
      await db.messages.put({ ...rest, body: '', deletedAt: message.deletedAt ?? now });
      return undo;
    }
    case 'message.react': {
      if (message.deletedAt !== undefined) return undo;
      const reactions = applyReaction(message.reactions ?? [], { emoji: mutation.args.emoji, userId: me.userId, displayName: me.displayName }, mutation.args.on);
      const { reactions: _before, ...rest } = message;
      await db.messages.put(reactions.length > 0 ? { ...rest, reactions: [...reactions] } : rest);
      return undo;
    }
    case 'message.hide':
      undo.push({ table: 'hiddenMessages', key: id, row: (await db.hiddenMessages.get(id)) ?? null });
      await db.hiddenMessages.put({ messageId: id, conversationId: message.conversationId, hiddenAt: now, version: 0 });
      await db.messages.delete(id);
      return undo;
  }
}
