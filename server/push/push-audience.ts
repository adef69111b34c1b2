import { DEFAULT_PUSH_PREFERENCES, type PushKind, type PushPreferences } from '../../protocol';
import type { Db } from '../db/connect';
import { parseStoredPreferences } from './settings-store';

/** Who a push is for, read inside the transaction of the change that causes it. */

/** The people in a conversation besides `exceptUserId`: an activity room's members, or a direct conversation's other person. */
export async function conversationAudience(db: Db, conversationId: string, exceptUserId: string): Promise<{ userIds: string[]; activityId: string | null; activityTitle: string | null }> {
  const conversation = await db
    .selectFrom('conversations as cv')
    .leftJoin('activities as a', 'a.id', 'cv.activityId')
    .select(['cv.activityId', 'cv.userA', 'cv.userB', 'a.title'])
    .where('cv.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation) return { userIds: [], activityId: null, activityTitle: null };
  const userIds = conversation.activityId
    ? await activityMembers(db, conversation.activityId)
    : [conversation.userA, conversation.userB].filter((id): id is string => id !== null);
  return { userIds: userIds.filter((id) => id !== exceptUserId), activityId: conversation.activityId, activityTitle: conversation.title };
}

export async function activityMembers(db: Db, activityId: string): Promise<string[]> {
  const rows = await db.selectFrom('activityMembers').select('userId').where('activityId', '=', activityId).orderBy('userId').execute();
  return rows.map((row) => row.userId);
}

/** The kinds a preference switches off. A call rings like a phone: no switch holds it back. */
type SwitchedKind = Exclude<PushKind, 'call'>;

const PREFERENCE_OF: Record<SwitchedKind, keyof PushPreferences> = {
  message: 'messages',
  announcement: 'announcements',
  'activity-update': 'activityUpdates',
  invitation: 'invitations',
};

/** Of `userIds`, those whose preferences let `kind` push. */
export async function wantingPush(db: Db, userIds: readonly string[], kind: SwitchedKind): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('userSettings').select(['userId', 'push']).where('userId', 'in', userIds).execute();
  const stored = new Map(rows.map((row) => [row.userId, parseStoredPreferences(row.push)]));
  return userIds.filter((id) => (stored.get(id) ?? DEFAULT_PUSH_PREFERENCES)[PREFERENCE_OF[kind]]);
}

/** Of `userIds`, those who have not muted the conversation at `at`. */
export async function notMuting(db: Db, userIds: readonly string[], conversationId: string, at: string): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('conversationSettings')
    .select('userId')
    .where('conversationId', '=', conversationId)
    .where('userId', 'in', userIds)
    .where('mutedUntil', '>', at)
    .execute();
  const muted = new Set(rows.map((row) => row.userId));
  return userIds.filter((id) => !muted.has(id));
}

/** Of `userIds`, those who do not block `senderId`: a blocked person's messages are hidden on the blocker's devices, so they never push there. */
export async function notBlocking(db: Db, userIds: readonly string[], senderId: string): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('userBlocks')
    .select('userId')
    .where('blockedUserId', '=', senderId)
    .where('userId', 'in', userIds)
    .where('blockedAt', 'is not', null)
    .execute();
  const blocking = new Set(rows.map((row) => row.userId));
  return userIds.filter((id) => !blocking.has(id));
}
