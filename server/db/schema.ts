/**
 * Row shapes as Kysely sees them (camelCase; the CamelCasePlugin maps them to snake_case columns).
 * Instants are ISO-8601 text in both SQLite and Postgres, so the same queries and comparisons work.
 */
import type { ColumnType } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string;
  passwordSalt: string;
  createdAt: string;
}

export interface RefreshTokensTable {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
}

export interface ActivitiesTable {
  id: string;
  ownerId: string;
  title: string;
  description: string;
  location: string;
  startsAt: string;
  endsAt: string | null;
  capacity: number | null;
  visibility: 'public' | 'private';
  memberCount: number;
  likeCount: number;
  checkinCount: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
  /** Position of the last change in the server-wide change sequence. */
  seq: number;
  /** Position at which it last became public (0 while private): everyone's grant to see it. */
  publicSinceSeq: number;
}

export interface ActivityMembersTable {
  activityId: string;
  userId: string;
  role: 'owner' | 'cohost' | 'member';
  joinedAt: string;
  seq: number;
}

/** Someone a host removed from an activity (migration 013). */
export interface ActivityRemovalsTable {
  activityId: string;
  userId: string;
  removedBy: string;
  /** The activity's title at the time: the removed person's devices say what they were removed from. */
  title: string;
  removedAt: string;
  /** Set when the organizer invites them back: they may join again. */
  liftedAt: string | null;
  seq: number;
}

export interface ActivityInvitesTable {
  activityId: string;
  userId: string;
  invitedBy: string;
  createdAt: string;
  seq: number;
}

export interface ActivityLikesTable {
  activityId: string;
  userId: string;
  createdAt: string;
  seq: number;
}

export interface ActivityCheckinsTable {
  activityId: string;
  userId: string;
  checkedInAt: string;
  seq: number;
}

export interface MutationsTable {
  userId: string;
  clientId: string;
  mutationId: number;
  name: string;
  httpStatus: number;
  /** The JSON answered, replayed verbatim when the same mutation comes again. */
  response: string;
  createdAt: string;
}

export interface MutationClientsTable {
  userId: string;
  clientId: string;
  lastMutationId: number;
}

export interface ConversationsTable {
  id: string;
  kind: 'activity' | 'direct';
  activityId: string | null;
  userA: string | null;
  userB: string | null;
  createdAt: string;
  seq: number;
}

export interface MessagesTable {
  id: string;
  conversationId: string;
  senderId: string;
  kind: 'text' | 'announcement' | 'call';
  body: string;
  createdAt: string;
  seq: number;
  replyToId: string | null;
  editedAt: string | null;
  deletedAt: string | null;
  /** JSON: the message's reactions (`Reaction[]`); null when it has none. */
  reactions: string | null;
  /** The position of the message's last change (its `seq` until it changes): what the feed follows. */
  changedSeq: number;
  /** JSON: the message's photo (`MessagePhoto`); null when it has none or was deleted. */
  photo: string | null;
  /** The photo's SHA-256, for the check that a reader may see a message naming it. */
  photoHash: string | null;
}

/** A photo file stored (in the data directory or the bucket), by the SHA-256 of its bytes. */
export interface PhotosTable {
  hash: string;
  type: string;
  size: number;
  uploadedBy: string;
  createdAt: string;
}

/** One user's "delete for me". */
export interface HiddenMessagesTable {
  userId: string;
  messageId: string;
  conversationId: string;
  hiddenAt: string;
  seq: number;
}

export interface ConversationReceiptsTable {
  conversationId: string;
  userId: string;
  deliveredSeq: number;
  readSeq: number;
  seq: number;
}

export interface TombstonesTable {
  seq: number;
  entity: 'activity' | 'member' | 'like' | 'checkin' | 'conversation';
  entityId: string;
  activityId: string;
  userId: string | null;
  version: number;
}

export interface ChangeSequenceTable {
  id: number;
  value: number;
}

/** "At `at`, the change sequence stood at `position`" (written by the history pruner). */
export interface HistoryCheckpointsTable {
  position: number;
  at: string;
}

export interface SyncMetaTable {
  key: string;
  value: string;
}

/** A device registered for push by one session of one user (see server/push/devices-store.ts). */
export interface PushDevicesTable {
  id: string;
  userId: string;
  sessionId: string | null;
  kind: 'webpush' | 'fcm';
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
  fcmToken: string | null;
  platform: string;
  appVersion: string;
  createdAt: string;
  lastSeenAt: string;
}

export type PushOutboxStatus = 'pending' | 'sent' | 'failed' | 'expired' | 'skipped-live';

/** One push to one device (see server/push/push-outbox-store.ts). */
export interface PushOutboxTable {
  id: string;
  deviceId: string;
  userId: string;
  kind: 'message' | 'announcement' | 'activity-update' | 'invitation' | 'call';
  priority: 'high' | 'normal' | 'low';
  topic: string;
  /** The PushPayload as JSON. */
  payload: string;
  status: PushOutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  claimedBy: string | null;
  lastError: string | null;
  createdAt: string;
  settledAt: string | null;
}

export interface NotificationsTable {
  id: string;
  userId: string;
  kind: 'announcement' | 'activity-update' | 'invitation';
  title: string;
  body: string;
  url: string;
  activityId: string | null;
  conversationId: string | null;
  actorId: string | null;
  createdAt: string;
  readAt: string | null;
  seq: number;
}

export interface UserSettingsTable {
  userId: string;
  /** PushPreferences as JSON. */
  push: string;
  seq: number;
}

export interface ConversationSettingsTable {
  conversationId: string;
  userId: string;
  mutedUntil: string | null;
  /** When the user pinned it (pinned ones go first, most recent first); null when not. */
  pinnedAt: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the user archived it: hidden until a message newer than this arrives unmuted. */
  archivedAt: ColumnType<string | null, string | null | undefined, string | null>;
  seq: number;
}

export interface CallsTable {
  id: string;
  conversationId: string;
  callerId: string;
  calleeId: string;
  kind: 'audio' | 'video';
  state: 'ringing' | 'active' | 'ended';
  callerSocket: string | null;
  calleeSocket: string | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: CallEndReasonColumn | null;
  endCause: string | null;
  deadlineAt: string | null;
}

export type CallEndReasonColumn = 'hung_up' | 'declined' | 'busy' | 'no_answer' | 'cancelled' | 'answered_elsewhere' | 'failed' | 'connection_lost';

/** A person in a call that has not ended (at most one each). */
export interface CallLinesTable {
  userId: string;
  callId: string;
}

export interface FeatureFlagsTable {
  key: string;
  /** FlagTargeting as JSON (protocol/flags.ts). */
  targeting: string;
  updatedAt: string;
  updatedBy: string;
}

/** One event a page reported (protocol/analytics.ts); append-only, pruned by day. */
export interface AnalyticsEventsTable {
  id: string;
  /** The UTC day of `at` (YYYY-MM-DD): part of the key, and the partition on Postgres. */
  day: string;
  at: string;
  receivedAt: string;
  /** The signed-in user who sent it; their id only, never a name or an e-mail. */
  userId: string | null;
  sessionId: string;
  kind: 'track' | 'screen' | 'error';
  name: string;
  screen: string;
  /** AnalyticsProps as JSON. */
  props: string;
  message: string | null;
  stack: string | null;
}

/** One user's block of another; `blockedAt` null once unblocked (the row stays so the feed carries it). */
export interface UserBlocksTable {
  userId: string;
  blockedUserId: string;
  blockedAt: string | null;
  seq: number;
}

/** A report of a person or one of their messages, with the message as it was when reported. */
export interface ReportsTable {
  id: string;
  /** `<clientId>:<mutationId>` of the mutation that made it: a report lands once. */
  sourceKey: string;
  reporterId: string;
  targetUserId: string;
  messageId: string | null;
  conversationId: string | null;
  messageBody: string | null;
  messageSentAt: string | null;
  reason: string;
  text: string | null;
  createdAt: string;
}

export interface Database {
  users: UsersTable;
  refreshTokens: RefreshTokensTable;
  activities: ActivitiesTable;
  activityMembers: ActivityMembersTable;
  activityInvites: ActivityInvitesTable;
  activityLikes: ActivityLikesTable;
  activityCheckins: ActivityCheckinsTable;
  mutations: MutationsTable;
  mutationClients: MutationClientsTable;
  tombstones: TombstonesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  hiddenMessages: HiddenMessagesTable;
  activityRemovals: ActivityRemovalsTable;
  conversationReceipts: ConversationReceiptsTable;
  changeSequence: ChangeSequenceTable;
  syncMeta: SyncMetaTable;
  historyCheckpoints: HistoryCheckpointsTable;
  pushDevices: PushDevicesTable;
  pushOutbox: PushOutboxTable;
  notifications: NotificationsTable;
  userSettings: UserSettingsTable;
  conversationSettings: ConversationSettingsTable;
  calls: CallsTable;
  callLines: CallLinesTable;
  featureFlags: FeatureFlagsTable;
  analyticsEvents: AnalyticsEventsTable;
  userBlocks: UserBlocksTable;
  reports: ReportsTable;
  photos: PhotosTable;
}
