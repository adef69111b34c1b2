import { DEFAULT_PUSH_PREFERENCES, type Mutation } from '../../protocol';
import type { OutboxEntry, RallyLocalDb } from '../../device-db/local-db';

/**
 * The optimistic side of the user's own rows: notifications read, push preferences, mutes. Like
 * every optimistic row they keep the version they had (0 when new), so the server's copy, which
 * comes through the feed with a higher one, replaces them.
 */

type OwnSettingsMutation = Extract<Mutation, { name: 'notification.read' | 'notification.readAll' | 'settings.push' | 'conversation.mute' }>;

export function isOwnSettingsMutation(mutation: Mutation): mutation is OwnSettingsMutation {
  return ['notification.read', 'notification.readAll', 'settings.push', 'conversation.mute'].includes(mutation.name);
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
    case 'conversation.mute': {
      const { conversationId, mutedUntil } = mutation.args;
      const stored = await db.conversationSettings.get(conversationId);
      undo.push({ table: 'conversationSettings', key: conversationId, row: stored ?? null });
      const until = mutedUntil === null ? null : new Date(mutedUntil).toISOString();
      await db.conversationSettings.put({ conversationId, mutedUntil: until, version: stored?.version ?? 0 });
      return undo;
    }
  }
}
