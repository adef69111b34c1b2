import { DEFAULT_PUSH_PREFERENCES, type PushKind, type PushPreferences } from '../../protocol';
import type { Db } from '../db/connect';
import { devicesOfUsers, type DeviceRow } from './devices-store';
import { parseStoredPreferences } from './settings-store';

/** Who a push is for, read inside the transaction of the change that causes it. */

export interface PushConversation {
  id: string;
  /** The activity whose room this is, with its title; null for a direct conversation. */
  activityId: string | null;
  activityTitle: string | null;
  /** A direct conversation's two people (null in an activity room). */
  userA: string | null;
  userB: string | null;
}

export async function findPushConversation(db: Db, conversationId: string): Promise<PushConversation | undefined> {
  return db
    .selectFrom('conversations as cv')
    .leftJoin('activities as a', 'a.id', 'cv.activityId')
    .select(['cv.id', 'cv.activityId', 'a.title as activityTitle', 'cv.userA', 'cv.userB'])
    .where('cv.id', '=', conversationId)
    .executeTakeFirst();
}

/** The people in a conversation besides `exceptUserId`: an activity room's members, or a direct conversation's other person. */
export async function conversationPeople(db: Db, conversation: PushConversation, exceptUserId: string): Promise<string[]> {
  const userIds = conversation.activityId ? await activityMembers(db, conversation.activityId) : directPair(conversation);
  return userIds.filter((id) => id !== exceptUserId);
}

/**
 * The push registrations of the people in a conversation besides `exceptUserId`, in one query.
 * A message in a room of a thousand is read against the devices first: only their holders'
 * preferences, mutes and blocks need reading then, not a thousand members' (a list that size,
 * read four times, was most of a message's cost in a large room).
 */
export async function conversationDevices(db: Db, conversation: PushConversation, exceptUserId: string): Promise<DeviceRow[]> {
  if (!conversation.activityId) return devicesOfUsers(db, directPair(conversation).filter((id) => id !== exceptUserId));
  return db
    .selectFrom('pushDevices as d')
    .innerJoin('activityMembers as m', 'm.userId', 'd.userId')
    .selectAll('d')
    .where('m.activityId', '=', conversation.activityId)
    .where('d.userId', '<>', exceptUserId)
    .orderBy('d.id')
    .execute();
}

function directPair(conversation: PushConversation): string[] {
  return [conversation.userA, conversation.userB].filter((id): id is string => id !== null);
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
