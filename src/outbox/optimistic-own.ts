import { DEFAULT_PUSH_PREFERENCES, type Mutation } from '../../protocol';
import type { OutboxEntry, RallyLocalDb } from '../../device-db/local-db';

/**
 * The optimistic side of the user's own rows: notifications read, push preferences, a
 * conversation's mute, pin and archive. Like
 * every optimistic row they keep the version they had (0 when new), so the server's copy, which
 * comes through the feed with a higher one, replaces them.
 */

const OWN_SETTINGS_MUTATIONS = ['notification.read', 'notification.readAll', 'settings.push', 'conversation.mute', 'conversation.pin', 'conversation.archive'] as const;
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
  }
}
