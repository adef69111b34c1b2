import { pairKey, type Change, type Checkin, type Like, type Member } from '../../protocol';
import { toActivity } from '../db/activities-store';
import { KIND } from './sync-cursor';
import { scopedKind } from './sync-kind';
import { activityScope } from './sync-scopes';

/** The activity kinds of the feed: activities, and their members, likes and check-ins. */

export const activityKind = scopedKind({
  kind: KIND.activity,
  scope: activityScope,
  table: 'activities',
  alias: 'activity',
  keyedBy: 'id',
  selectVisible: (db, userId) =>
    db
      .selectFrom('activities as activity')
      .innerJoin('users as owner', 'owner.id', 'activity.ownerId')
      .selectAll('activity')
      .select('owner.displayName as ownerName')
      .where(activityScope.visibleTo(userId)),
  toChange: (row): Change => ({ entity: 'activity', op: 'upsert', id: row.id, version: Number(row.version), data: toActivity(row) }),
});

export const memberKind = scopedKind({
  kind: KIND.member,
  scope: activityScope,
  table: 'activity_members',
  alias: 'member',
  scopeColumn: 'activity_id',
  keyedBy: 'scope and user',
  selectVisible: (db, userId) =>
    db
      .selectFrom('activityMembers as member')
      .innerJoin('activities as activity', 'activity.id', 'member.activityId')
      .innerJoin('users as person', 'person.id', 'member.userId')
      .select(['member.activityId', 'member.userId', 'member.role', 'member.joinedAt', 'member.seq', 'person.displayName'])
      .where(activityScope.visibleTo(userId)),
  toChange: (row: Member & { seq: number }): Change => {
    const data: Member = { activityId: row.activityId, userId: row.userId, displayName: row.displayName, role: row.role, joinedAt: row.joinedAt };
    return { entity: 'member', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
  },
});

export const likeKind = scopedKind({
  kind: KIND.like,
  scope: activityScope,
  table: 'activity_likes',
  alias: 'activity_like',
  scopeColumn: 'activity_id',
  keyedBy: 'scope and user',
  selectVisible: (db, userId) =>
    db
      .selectFrom('activityLikes as activityLike')
      .innerJoin('activities as activity', 'activity.id', 'activityLike.activityId')
      .select(['activityLike.activityId', 'activityLike.userId', 'activityLike.createdAt', 'activityLike.seq'])
      .where(activityScope.visibleTo(userId)),
  toChange: (row: Like & { seq: number }): Change => {
    const data: Like = { activityId: row.activityId, userId: row.userId, createdAt: row.createdAt };
    return { entity: 'like', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
  },
});

export const checkinKind = scopedKind({
  kind: KIND.checkin,
  scope: activityScope,
  table: 'activity_checkins',
  alias: 'checkin',
  scopeColumn: 'activity_id',
  keyedBy: 'scope and user',
  selectVisible: (db, userId) =>
    db
      .selectFrom('activityCheckins as checkin')
      .innerJoin('activities as activity', 'activity.id', 'checkin.activityId')
      .select(['checkin.activityId', 'checkin.userId', 'checkin.checkedInAt', 'checkin.seq'])
      .where(activityScope.visibleTo(userId)),
  toChange: (row: Checkin & { seq: number }): Change => {
    const data: Checkin = { activityId: row.activityId, userId: row.userId, checkedInAt: row.checkedInAt };
    return { entity: 'checkin', op: 'upsert', id: pairKey(row.activityId, row.userId), version: Number(row.seq), data };
  },
});
