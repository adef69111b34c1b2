import { activityKind, checkinKind, likeKind, memberKind } from './activity-kinds';
import { conversationKind, messageKind, receiptKind } from './chat-kinds';
import type { SnapshotWalk, SyncKind } from './sync-kind';
import { tombstoneKind } from './tombstone-kind';

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
];

/** The kinds a snapshot walks, in order (tombstones are only in the log). */
export const SNAPSHOT_KINDS = SYNC_KINDS.filter((kind): kind is SyncKind & { snapshot: SnapshotWalk } => kind.snapshot !== undefined);
