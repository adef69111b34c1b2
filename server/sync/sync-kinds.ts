import { activityKind, checkinKind, likeKind, memberKind } from './activity-kinds';
import { conversationKind, messageKind, receiptKind } from './chat-kinds';
import type { SnapshotWalk, SyncKind } from './sync-kind';
import { tombstoneKind } from './tombstone-kind';
import { blockedUserKind, conversationSettingsKind, hiddenMessageKind, notificationKind, removalKind, userSettingsKind } from './user-kinds';

/** Every kind the feed carries, in KIND order: the order of delivery within one position. */
export const SYNC_KINDS: readonly SyncKind[] = [
  activityKind,
  memberKind,
  likeKind,
  checkinKind,
  tombstoneKind,
  conversationKind,
  messageKind,
  receiptKind,
  notificationKind,
  userSettingsKind,
  conversationSettingsKind,
  hiddenMessageKind,
  removalKind,
  blockedUserKind,
];

/** The kinds a snapshot walks, in order (tombstones are only in the log). */
export const SNAPSHOT_KINDS = SYNC_KINDS.filter((kind): kind is SyncKind & { snapshot: SnapshotWalk } => kind.snapshot !== undefined);

/** The kinds a page of `protocolVersion` can parse: what its feed carries. */
export interface FeedKinds {
  all: readonly SyncKind[];
  snapshot: readonly (SyncKind & { snapshot: SnapshotWalk })[];
}

export function feedKindsFor(protocolVersion: number): FeedKinds {
  const readable = (kind: SyncKind) => (kind.sinceProtocolVersion ?? 0) <= protocolVersion;
  return { all: SYNC_KINDS.filter(readable), snapshot: SNAPSHOT_KINDS.filter(readable) };
}

export const ALL_FEED_KINDS: FeedKinds = { all: SYNC_KINDS, snapshot: SNAPSHOT_KINDS };
