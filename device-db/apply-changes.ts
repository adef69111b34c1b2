import type { Activity, Change, Checkin, Like, Member } from '../protocol';
import {
  searchTextOf,
  type LocalActivity,
  type LocalBlockedUser,
  type LocalCheckin,
  type LocalConversation,
  type LocalLike,
  type LocalMember,
  type LocalConversationSettings,
  type LocalHiddenMessage,
  type LocalMessage,
  type LocalNotification,
  type LocalReceipt,
  type LocalRemoval,
  type LocalUserSettings,
} from './local-db';

/**
 * A change as the page applies it: the feed's changes, plus the count update a like or join
 * event carries for its activity (the event has the counts but not the whole row).
 */
export type LocalChange =
  | Change
  | { entity: 'activity-counts'; id: string; version: number; memberCount: number; likeCount: number; updatedAt: string }
  /** A check-in event's attendance for its activity. */
  | { entity: 'activity-attendance'; id: string; version: number; checkinCount: number; updatedAt: string };

/** Versions the device holds now, by `entity/id`; undefined when it holds no such row. */
export type StoredVersions = ReadonlyMap<string, number>;

export interface ChangePlan {
  putActivities: LocalActivity[];
  putMembers: LocalMember[];
  putLikes: LocalLike[];
  putCheckins: LocalCheckin[];
  /** Activities to remove together with their members and likes. */
  deleteActivities: string[];
  deleteMembers: [string, string][];
  deleteLikes: [string, string][];
  deleteCheckins: [string, string][];
  /** Count updates for activities already stored (applied with `modify`). */
  patchCounts: ({ id: string; version: number; updatedAt: string } & Partial<{ memberCount: number; likeCount: number; checkinCount: number }>)[];
  putConversations: LocalConversation[];
  putMessages: LocalMessage[];
  putReceipts: LocalReceipt[];
  /** Conversations to remove together with their messages and receipts. */
  deleteConversations: string[];
  putNotifications: LocalNotification[];
  putUserSettings: LocalUserSettings[];
  putConversationSettings: LocalConversationSettings[];
  /** Messages this user deleted for themselves: stored, and the messages taken off the device. */
  putHiddenMessages: LocalHiddenMessage[];
  deleteMessages: string[];
  /** This user's removals from activities (a standing one also takes the room off the device). */
  putRemovals: LocalRemoval[];
  /** Activities whose notifications leave the device (a standing removal: their text is the room's). */
  deleteNotificationsOf: string[];
  /** The people this user blocked or unblocked. */
  putBlockedUsers: LocalBlockedUser[];
  /** Rows of the user's own (notifications, settings) that a tombstone removes, by table. */
  deleteOwn: { notifications: string[]; userSettings: string[]; conversationSettings: string[]; blockedUsers: string[] };
}

export type VersionedEntity = Change['entity'];

export const versionKey = (entity: VersionedEntity, id: string) => `${entity}/${id}`;

const storedEntityOf = (change: LocalChange): VersionedEntity =>
  change.entity === 'activity-counts' || change.entity === 'activity-attendance' ? 'activity' : change.entity;

/** The keys whose stored versions `planChanges` needs. */
export function versionKeysOf(changes: readonly LocalChange[]): string[] {
  return changes.map((change) => versionKey(storedEntityOf(change), change.id));
}

function splitPair(id: string): [string, string] {
  const separator = id.indexOf(':');
  return [id.slice(0, separator), id.slice(separator + 1)];
}

/**
 * Decides what to write, in order. The rules that make applying idempotent and order-tolerant:
 * an upsert lands only if it is newer than what is stored; a tombstone removes only what is not
 * newer than itself; removing an activity removes everything under it. Later changes in the list
 * see the effect of earlier ones.
 */
export function planChanges(changes: readonly LocalChange[], stored: StoredVersions): ChangePlan {
  const versions = new Map(stored);
  const activities = new Map<string, LocalActivity>();
  const members = new Map<string, LocalMember>();
  const likes = new Map<string, LocalLike>();
  const checkins = new Map<string, LocalCheckin>();
  const deletedCheckins = new Map<string, [string, string]>();
  const deletedActivities = new Set<string>();
  const deletedMembers = new Map<string, [string, string]>();
  const deletedLikes = new Map<string, [string, string]>();
  const patches = new Map<string, ChangePlan['patchCounts'][number]>();
  const conversations = new Map<string, LocalConversation>();
  const messages = new Map<string, LocalMessage>();
  const receipts = new Map<string, LocalReceipt>();
  const deletedConversations = new Set<string>();
  const hiddenMessages = new Map<string, LocalHiddenMessage>();
  const deletedMessages = new Set<string>();
  const removals = new Map<string, LocalRemoval>();
  const notificationsDropped = new Set<string>();
  const own = {
    notification: new Map<string, LocalNotification>(),
    'user-settings': new Map<string, LocalUserSettings>(),
    'conversation-settings': new Map<string, LocalConversationSettings>(),
    'blocked-user': new Map<string, LocalBlockedUser>(),
  };
  const deletedOwn = { notification: new Set<string>(), 'user-settings': new Set<string>(), 'conversation-settings': new Set<string>(), 'blocked-user': new Set<string>() };

  /** The conversation, its messages and receipts leave the device (also those planned earlier in this batch). */
  const dropConversation = (id: string) => {
    versions.delete(versionKey('conversation', id));
    conversations.delete(id);
    deletedConversations.add(id);
    for (const [messageId, message] of messages) if (message.conversationId === id) messages.delete(messageId);
    for (const [receiptId, receipt] of receipts) if (receipt.conversationId === id) receipts.delete(receiptId);
  };

  for (const change of changes) {
    if (change.entity === 'activity-counts' || change.entity === 'activity-attendance') {
      const key = versionKey('activity', change.id);
      const current = versions.get(key);
      if (current === undefined || current >= change.version) continue;
      versions.set(key, change.version);
      const { entity: _entity, ...patch } = change;
      const pending = activities.get(change.id);
      if (pending) activities.set(change.id, { ...pending, ...patch });
      // A count change and then an attendance change (a join and a check-in in one burst) each
      // patch their own fields: the second must not drop the first's.
      else patches.set(change.id, { ...patches.get(change.id), ...patch });
      continue;
    }
    const key = versionKey(change.entity, change.id);
    const current = versions.get(key);
    if (change.op === 'upsert') {
      if (current !== undefined && current >= change.version) continue;
      versions.set(key, change.version);
      if (change.entity === 'activity') {
        deletedActivities.delete(change.id);
        patches.delete(change.id);
        activities.set(change.id, toLocalActivity(change.data));
      } else if (change.entity === 'member') {
        deletedMembers.delete(change.id);
        members.set(change.id, toLocalMember(change.data, change.version));
      } else if (change.entity === 'like') {
        deletedLikes.delete(change.id);
        likes.set(change.id, toLocalLike(change.data, change.version));
      } else if (change.entity === 'checkin') {
        deletedCheckins.delete(change.id);
        checkins.set(change.id, toLocalCheckin(change.data, change.version));
      } else if (change.entity === 'conversation') {
        deletedConversations.delete(change.id);
        conversations.set(change.id, { ...change.data, version: change.version });
      } else if (change.entity === 'message') {
        // Deleted for me in this batch: it stays away (stored ones are filtered by the writer).
        if (hiddenMessages.has(change.id)) continue;
        deletedMessages.delete(change.id);
        messages.set(change.id, { ...change.data, version: change.version });
      } else if (change.entity === 'receipt') {
        receipts.set(change.id, { ...change.data, version: change.version });
      } else if (change.entity === 'hidden-message') {
        hiddenMessages.set(change.id, { ...change.data, version: change.version });
        messages.delete(change.id);
        deletedMessages.add(change.id);
      } else if (change.entity === 'removal') {
        removals.set(change.id, { ...change.data, version: change.version });
        // Removed and not invited back: the room (an activity's has the activity's id) leaves,
        // whatever order its own tombstone comes in.
        if (change.data.liftedAt === null) {
          dropConversation(change.data.activityId);
          notificationsDropped.add(change.data.activityId);
          for (const [id, notification] of own.notification) if (notification.activityId === change.data.activityId) own.notification.delete(id);
        }
      } else {
        deletedOwn[change.entity].delete(change.id);
        (own[change.entity] as Map<string, unknown>).set(change.id, { ...change.data, version: change.version });
      }
      continue;
    }
    if (current !== undefined && current > change.version) continue;
    versions.delete(key);
    if (change.entity === 'activity') {
      activities.delete(change.id);
      patches.delete(change.id);
      deletedActivities.add(change.id);
      // Everything under it goes too, including rows planned earlier in this batch.
      for (const [id, member] of members) if (member.activityId === change.id) members.delete(id);
      for (const [id, like] of likes) if (like.activityId === change.id) likes.delete(id);
      for (const [id, checkin] of checkins) if (checkin.activityId === change.id) checkins.delete(id);
    } else if (change.entity === 'member') {
      members.delete(change.id);
      deletedMembers.set(change.id, splitPair(change.id));
    } else if (change.entity === 'like') {
      likes.delete(change.id);
      deletedLikes.set(change.id, splitPair(change.id));
    } else if (change.entity === 'checkin') {
      checkins.delete(change.id);
      deletedCheckins.set(change.id, splitPair(change.id));
    } else if (change.entity === 'conversation') {
      // The conversation takes its messages and receipts along, including ones planned earlier.
      dropConversation(change.id);
    } else if (change.entity === 'message') {
      messages.delete(change.id);
      deletedMessages.add(change.id);
    } else if (change.entity === 'receipt') {
      receipts.delete(change.id);
    } else if (change.entity === 'hidden-message' || change.entity === 'removal') {
      // Never sent (a hide is not undone; a removal is lifted, not deleted); nothing to do.
    } else {
      own[change.entity].delete(change.id);
      deletedOwn[change.entity].add(change.id);
    }
  }

  return {
    putActivities: [...activities.values()],
    putMembers: [...members.values()],
    putLikes: [...likes.values()],
    putCheckins: [...checkins.values()],
    deleteActivities: [...deletedActivities],
    deleteMembers: [...deletedMembers.values()],
    deleteLikes: [...deletedLikes.values()],
    deleteCheckins: [...deletedCheckins.values()],
    patchCounts: [...patches.values()],
    putConversations: [...conversations.values()],
    putMessages: [...messages.values()],
    putReceipts: [...receipts.values()],
    deleteConversations: [...deletedConversations],
    putNotifications: [...own.notification.values()],
    putUserSettings: [...own['user-settings'].values()],
    putConversationSettings: [...own['conversation-settings'].values()],
    putHiddenMessages: [...hiddenMessages.values()],
    putBlockedUsers: [...own['blocked-user'].values()],
    deleteMessages: [...deletedMessages],
    putRemovals: [...removals.values()],
    deleteNotificationsOf: [...notificationsDropped],
    deleteOwn: {
      notifications: [...deletedOwn.notification],
      userSettings: [...deletedOwn['user-settings']],
      conversationSettings: [...deletedOwn['conversation-settings']],
      blockedUsers: [...deletedOwn['blocked-user']],
    },
  };
}

export function toLocalActivity(activity: Activity): LocalActivity {
  return { ...activity, searchText: searchTextOf(activity) };
}

function toLocalMember(member: Member, version: number): LocalMember {
  return { ...member, version };
}

function toLocalLike(like: Like, version: number): LocalLike {
  return { ...like, version };
}

function toLocalCheckin(checkin: Checkin, version: number): LocalCheckin {
  return { ...checkin, version };
}

export function isEmptyPlan(plan: ChangePlan): boolean {
  return (
    plan.putActivities.length + plan.putMembers.length + plan.putLikes.length + plan.putCheckins.length +
      plan.deleteActivities.length + plan.deleteMembers.length + plan.deleteLikes.length + plan.deleteCheckins.length +
      plan.patchCounts.length + plan.putConversations.length + plan.putMessages.length + plan.putReceipts.length +
      plan.deleteConversations.length + plan.putNotifications.length + plan.putUserSettings.length +
      plan.putConversationSettings.length + plan.putHiddenMessages.length + plan.deleteMessages.length + plan.putRemovals.length + plan.deleteNotificationsOf.length + plan.deleteOwn.notifications.length + plan.deleteOwn.userSettings.length +
      plan.deleteOwn.conversationSettings.length + plan.putBlockedUsers.length + plan.deleteOwn.blockedUsers.length ===
    0
  );
}
