import { DEFAULT_PUSH_PREFERENCES, type Mutation } from '../../protocol';
import type { OutboxEntry, RallyLocalDb } from '../../device-db/local-db';

/**
 * The optimistic side of the user's own rows: notifications read, push preferences, a
 * conversation's mute, pin and archive, blocks (and reports, which change nothing here). Like
 * every optimistic row they keep the version they had (0 when new), so the server's copy, which
 * comes through the feed with a higher one, replaces them.
 */

const OWN_SETTINGS_MUTATIONS = [
  'notification.read',
  'notification.readAll',
  'settings.push',
  'conversation.mute',
  'conversation.pin',
  'conversation.archive',
  'user.block',
  'report.create',
] as const;
type OwnSettingsMutation = Extract<Mutation, { name: (typeof OWN_SETTINGS_MUTATIONS)[number] }>;

export function isOwnSettingsMutation(mutation: Mutation): mutation is OwnSettingsMutation {
  return (OWN_SETTINGS_MUTATIONS as readonly string[]).includes(mutation.name);
}

export async function applyOwnOptimistic(db: RallyLocalDb, userId: string, mutation: OwnSettingsMutation, now: string): Promise<OutboxEntry['undo']> {
  const undo: OutboxEntry['undo'] = [];
  switch (mutation.name) {
    case 'notification.read':
    case 'notification.readAll': {
      const unread =
        mutation.name === 'notification.read'
          ? (await db.notifications.bulkGet(mutation.args.ids)).filter((row) => row !== undefined)
          : await db.notifications.where('createdAt').belowOrEqual(new Date(mutation.args.upTo).toISOString()).toArray();
      for (const row of unread) {
        if (row.readAt !== null) continue;
        undo.push({ table: 'notifications', key: row.id, row });
        await db.notifications.put({ ...row, readAt: now });
      }
      return undo;
    }
    case 'settings.push': {
      const stored = await db.userSettings.get(userId);
      undo.push({ table: 'userSettings', key: userId, row: stored ?? null });
      const push = { ...(stored?.push ?? DEFAULT_PUSH_PREFERENCES) };
      // Only the kinds named change (the args are partial): an absent kind keeps its value.
      for (const [kind, on] of Object.entries(mutation.args.push)) if (on !== undefined) push[kind as keyof typeof push] = on;
      await db.userSettings.put({ userId, push, version: stored?.version ?? 0 });
      return undo;
    }
    case 'conversation.mute':
    case 'conversation.pin':
    case 'conversation.archive': {
      const { conversationId } = mutation.args;
      const stored = await db.conversationSettings.get(conversationId);
      undo.push({ table: 'conversationSettings', key: conversationId, row: stored ?? null });
      const row = { conversationId, mutedUntil: null, pinnedAt: null, archivedAt: null, ...stored, version: stored?.version ?? 0 };
      if (mutation.name === 'conversation.mute') row.mutedUntil = mutation.args.mutedUntil === null ? null : new Date(mutation.args.mutedUntil).toISOString();
      else if (mutation.name === 'conversation.pin') row.pinnedAt = mutation.args.pinned ? (stored?.pinnedAt ?? now) : null;
      else row.archivedAt = mutation.args.archived ? (stored?.archivedAt ?? now) : null;
      await db.conversationSettings.put(row);
      return undo;
    }
    case 'user.block': {
      const { userId: blockedId, blocked } = mutation.args;
      const stored = await db.blockedUsers.get(blockedId);
      undo.push({ table: 'blockedUsers', key: blockedId, row: stored ?? null });
      const displayName = stored?.displayName || (await knownNameOf(db, blockedId));
      await db.blockedUsers.put({ userId: blockedId, displayName, blockedAt: blocked ? (stored?.blockedAt ?? now) : null, version: stored?.version ?? 0 });
      return undo;
    }
    case 'report.create':
      // Nothing on the device changes: a report is for the administrators.
      return undo;
  }
}

/** The person's name as this device knows it (a fellow member, or a direct chat's other person); the server's row brings it anyway. */
async function knownNameOf(db: RallyLocalDb, userId: string): Promise<string> {
  const member = await db.members.where('userId').equals(userId).first();
  if (member) return member.displayName;
  const direct = await db.conversations.filter((conversation) => conversation.participants.some((person) => person.userId === userId)).first();
  return direct?.participants.find((person) => person.userId === userId)?.displayName ?? '';
}
