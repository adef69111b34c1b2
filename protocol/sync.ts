import { z } from 'zod';
import { Activity, ActivityRemoval, Member } from './activities';
import { Conversation, HiddenMessage, Message, Receipt } from './chat';
import { Id, Instant } from './ids';
import { AppNotification, ConversationSettings, UserSettings } from './push';
import { BlockedUser } from './safety';

/**
 * The delta feed. A change names an entity and its id; `upsert` carries the whole current row,
 * `delete` (a tombstone) carries none. Ids of rows keyed by activity and user are
 * `<activityId>:<userId>`. `version` orders changes to one row: an activity's own version, or for
 * member, like, check-in, conversation, message and receipt rows the sequence position of their
 * last change. Of each conversation the feed carries the newest MESSAGE_PAGE_SIZE messages it
 * had when the user gained sight of it, and every message after; older pages load on demand.
 */
export const SyncEntity = z.enum([
  'activity',
  'member',
  'like',
  'checkin',
  'conversation',
  'message',
  'receipt',
  'notification',
  'user-settings',
  'conversation-settings',
  'hidden-message',
  'removal',
  'blocked-user',
]);
export type SyncEntity = z.infer<typeof SyncEntity>;

export const Like = z.object({ activityId: Id, userId: Id, createdAt: Instant });
export type Like = z.infer<typeof Like>;

export const Checkin = z.object({ activityId: Id, userId: Id, checkedInAt: Instant });
export type Checkin = z.infer<typeof Checkin>;

const Version = z.number().int();

export const ActivityUpsert = z.object({ entity: z.literal('activity'), op: z.literal('upsert'), id: Id, version: Version, data: Activity });
export const MemberUpsert = z.object({ entity: z.literal('member'), op: z.literal('upsert'), id: z.string(), version: Version, data: Member });
export const LikeUpsert = z.object({ entity: z.literal('like'), op: z.literal('upsert'), id: z.string(), version: Version, data: Like });
export const CheckinUpsert = z.object({ entity: z.literal('checkin'), op: z.literal('upsert'), id: z.string(), version: Version, data: Checkin });
export const ConversationUpsert = z.object({ entity: z.literal('conversation'), op: z.literal('upsert'), id: Id, version: Version, data: Conversation });
/** A message's version is the position of its last change (its `seq` until it is edited, deleted or reacted to). */
export const MessageUpsert = z.object({ entity: z.literal('message'), op: z.literal('upsert'), id: Id, version: Version, data: Message });
/** Id `<conversationId>:<userId>`. */
export const ReceiptUpsert = z.object({ entity: z.literal('receipt'), op: z.literal('upsert'), id: z.string(), version: Version, data: Receipt });
/** The user's own notifications; version is the position of its last change (made, read). */
export const NotificationUpsert = z.object({ entity: z.literal('notification'), op: z.literal('upsert'), id: Id, version: Version, data: AppNotification });
/** Id: the user's own id. */
export const UserSettingsUpsert = z.object({ entity: z.literal('user-settings'), op: z.literal('upsert'), id: Id, version: Version, data: UserSettings });
/** Id: the conversation's id (each user sees only their own settings). */
export const ConversationSettingsUpsert = z.object({
  entity: z.literal('conversation-settings'),
  op: z.literal('upsert'),
  id: Id,
  version: Version,
  data: ConversationSettings,
});
/** Id: the message's id. The user's own "delete for me" (protocol 7); the message is removed and stays away. */
export const HiddenMessageUpsert = z.object({ entity: z.literal('hidden-message'), op: z.literal('upsert'), id: Id, version: Version, data: HiddenMessage });
/** Id: the activity's id. The user's own removal from it (protocol 7). */
export const RemovalUpsert = z.object({ entity: z.literal('removal'), op: z.literal('upsert'), id: Id, version: Version, data: ActivityRemoval });
/** Id: the blocked person's id. The user's own block of them (protocol 7); `blockedAt` null once unblocked. */
export const BlockedUserUpsert = z.object({ entity: z.literal('blocked-user'), op: z.literal('upsert'), id: Id, version: Version, data: BlockedUser });
/** A conversation's tombstone takes its messages and receipts with it (the user left the activity, or it was deleted). */
export const Tombstone = z.object({ entity: SyncEntity, op: z.literal('delete'), id: z.string(), version: Version, data: z.null() });

// Discriminated (by op, then entity) so a page of thousands parses without trying every option.
export const Change = z.discriminatedUnion('op', [z.discriminatedUnion('entity', [
    ActivityUpsert,
    MemberUpsert,
    LikeUpsert,
    CheckinUpsert,
    ConversationUpsert,
    MessageUpsert,
    ReceiptUpsert,
    NotificationUpsert,
    UserSettingsUpsert,
    ConversationSettingsUpsert,
    HiddenMessageUpsert,
    RemovalUpsert,
    BlockedUserUpsert,
  ]), Tombstone]);
export type Change = z.infer<typeof Change>;

export const SYNC_DEFAULT_LIMIT = 500;
export const SYNC_MAX_LIMIT = 5000;

export const SyncQuery = z.strictObject({
  /** Opaque; absent for a first (full) sync. */
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(SYNC_MAX_LIMIT).default(SYNC_DEFAULT_LIMIT),
  /** This device's mutation sender id: the answer then says how far its mutations got. */
  clientId: z.uuid().optional(),
});
export type SyncQuery = z.infer<typeof SyncQuery>;

export const SyncResponse = z.object({
  changes: z.array(Change),
  cursor: z.string(),
  hasMore: z.boolean(),
  /**
   * The change position everything up to which is now delivered (0 during a first sync). Not a
   * cursor: it lets the page tell from an event's `seq` that it is behind and should pull.
   */
  position: z.number().int().min(0),
  /**
   * The last mutation the server applied (or refused) for `clientId`, 0 if none: a page opened
   * after the worker replayed everything settles its outbox from this.
   */
  lastMutationId: z.number().int().min(0).optional(),
});
export type SyncResponse = z.infer<typeof SyncResponse>;

/** The id a row keyed by activity and user travels under. */
export function pairKey(activityId: string, userId: string): string {
  return `${activityId}:${userId}`;
}
