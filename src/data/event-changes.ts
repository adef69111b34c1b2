import {
  pairKey,
  type ActivityChangedEvent,
  type ActivityCountEvent,
  type ActivityDeletedEvent,
} from '../../protocol';
import type { LocalChange } from './apply-changes';

/** Realtime events as changes to the device's database: the same rules apply to both paths. */

export function changesOfActivityChanged(event: ActivityChangedEvent): LocalChange[] {
  return [{ entity: 'activity', op: 'upsert', id: event.activity.id, version: event.activity.version, data: event.activity }];
}

export function changesOfActivityDeleted(event: ActivityDeletedEvent): LocalChange[] {
  return [{ entity: 'activity', op: 'delete', id: event.activityId, version: event.version, data: null }];
}

export type CountEventKind = 'user_joined' | 'user_left' | 'like_added' | 'like_removed';

export function changesOfCountEvent(kind: CountEventKind, event: ActivityCountEvent): LocalChange[] {
  const id = pairKey(event.activityId, event.userId);
  const counts: LocalChange = {
    entity: 'activity-counts',
    id: event.activityId,
    version: event.version,
    memberCount: event.memberCount,
    likeCount: event.likeCount,
    // The count change is the activity's latest change: its time is the activity's updatedAt.
    updatedAt: event.at,
  };
  // Member and like rows are versioned by change position, which the event carries as `seq`.
  switch (kind) {
    case 'user_joined':
      return [
        counts,
        {
          entity: 'member',
          op: 'upsert',
          id,
          version: event.seq,
          data: { activityId: event.activityId, userId: event.userId, displayName: event.displayName, role: 'member', joinedAt: event.at },
        },
      ];
    case 'user_left':
      return [counts, { entity: 'member', op: 'delete', id, version: event.seq, data: null }];
    case 'like_added':
      return [counts, { entity: 'like', op: 'upsert', id, version: event.seq, data: { activityId: event.activityId, userId: event.userId, createdAt: event.at } }];
    case 'like_removed':
      return [counts, { entity: 'like', op: 'delete', id, version: event.seq, data: null }];
  }
}
