import { DEFAULT_PUSH_PREFERENCES, PushPreferences, type ConversationSettings, type UserSettings } from '../../protocol';
import type { Db } from '../db/connect';

/** A user's push preferences: the stored ones over the defaults (a kind added later defaults on). */
export async function readPushPreferences(db: Db, userId: string): Promise<PushPreferences> {
  const row = await db.selectFrom('userSettings').select('push').where('userId', '=', userId).executeTakeFirst();
  return row ? parseStoredPreferences(row.push) : { ...DEFAULT_PUSH_PREFERENCES };
}

export function parseStoredPreferences(json: string): PushPreferences {
  const stored = PushPreferences.partial().safeParse(JSON.parse(json));
  const named = stored.success ? Object.entries(stored.data).filter(([, value]) => typeof value === 'boolean') : [];
  return { ...DEFAULT_PUSH_PREFERENCES, ...(Object.fromEntries(named) as Partial<PushPreferences>) };
}

export async function writePushPreferences(db: Db, userId: string, push: PushPreferences, seq: number): Promise<void> {
  const json = JSON.stringify(push);
  await db
    .insertInto('userSettings')
    .values({ userId, push: json, seq })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ push: json, seq }))
    .execute();
}

export function toUserSettings(row: { userId: string; push: string }): UserSettings {
  return { userId: row.userId, push: parseStoredPreferences(row.push) };
}

/** Until when `userId` muted the conversation: null when not muted (or unmuted). */
export async function readMutedUntil(db: Db, userId: string, conversationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('conversationSettings')
    .select('mutedUntil')
    .where('userId', '=', userId)
    .where('conversationId', '=', conversationId)
    .executeTakeFirst();
  return row?.mutedUntil ?? null;
}

export async function writeMutedUntil(db: Db, userId: string, conversationId: string, mutedUntil: string | null, seq: number): Promise<void> {
  await db
    .insertInto('conversationSettings')
    .values({ conversationId, userId, mutedUntil, seq })
    .onConflict((oc) => oc.columns(['conversationId', 'userId']).doUpdateSet({ mutedUntil, seq }))
    .execute();
}

/** The user's settings row for the conversation, if they ever changed one. */
export async function readConversationSettings(db: Db, userId: string, conversationId: string) {
  return db.selectFrom('conversationSettings').selectAll().where('userId', '=', userId).where('conversationId', '=', conversationId).executeTakeFirst();
}

export async function countPinned(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('conversationSettings')
    .select((eb) => eb.fn.countAll<number>().as('pinned'))
    .where('userId', '=', userId)
    .where('pinnedAt', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.pinned);
}

/** Sets the pin or the archive (the other columns stay as they are). */
export async function writeConversationSetting(
  db: Db,
  userId: string,
  conversationId: string,
  change: { pinnedAt: string | null } | { archivedAt: string | null },
  seq: number,
): Promise<void> {
  await db
    .insertInto('conversationSettings')
    .values({ conversationId, userId, mutedUntil: null, ...change, seq })
    .onConflict((oc) => oc.columns(['conversationId', 'userId']).doUpdateSet({ ...change, seq }))
    .execute();
}

export function toConversationSettings(row: { conversationId: string; mutedUntil: string | null; pinnedAt: string | null; archivedAt: string | null }): ConversationSettings {
  return { conversationId: row.conversationId, mutedUntil: row.mutedUntil, pinnedAt: row.pinnedAt, archivedAt: row.archivedAt };
}
